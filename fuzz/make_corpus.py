#!/usr/bin/env python3
"""Writes the seed corpus in fuzz/corpus/<target>/ from the repository's own test data.

Run from anywhere: python3 fuzz/make_corpus.py. It replaces the generated seeds and leaves hand-written ones
(files whose name starts with "hand-") and the excerpts of real lists ("excerpt-", see corpus/README.md) alone. Sources:
  wire      every message of tests/Palisade.Protocol.Tests/Vectors/vectors.json (written by dnspython)
  hosts     the hosts fixture of tests/Palisade.Server.Tests/Blocklists/Fixtures, and hand-written lines
  domains   hand-written plain and *.domain lists
  adblock   the two adblock fixtures, and hand-written rules
  config    palisade.example.yml, and hand-written configurations
  pipeline  the query vectors, each wrapped for the pipeline target (a control octet, the query's length, the
            query, then the raw upstream answer built from a response vector); and seeds for the handlers added
            since: ANY (RFC 8482), rebinding protection (private addresses, an allowed name) and the answer
            scrubber's rewrite path (records that do not answer the question); every UDP seed also runs into the
            target's rate limit
"""
import json
import os
import shutil
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
FIXTURES = os.path.join(ROOT, "tests", "Palisade.Server.Tests", "Blocklists", "Fixtures")


def clean(target):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if not name.startswith(("hand-", "excerpt-")):
            os.remove(os.path.join(folder, name))
    return folder


def write(folder, name, data):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def skip_name(wire, position):
    while True:
        length = wire[position]
        if length == 0:
            return position + 1
        if length & 0xC0 == 0xC0:
            return position + 2
        position += 1 + length


def main():
    with open(os.path.join(ROOT, "tests", "Palisade.Protocol.Tests", "Vectors", "vectors.json")) as f:
        vectors = json.load(f)["vectors"]

    wire = clean("wire")
    for vector in vectors:
        write(wire, vector["name"] + ".bin", bytes.fromhex(vector["wire"]))

    hosts = clean("hosts")
    shutil.copy(os.path.join(FIXTURES, "hagezi-hosts-light.excerpt.txt"), hosts)
    adblock = clean("adblock")
    for name in ("hagezi-adblock-light.excerpt.txt", "adguard-dns-filter.excerpt.txt"):
        shutil.copy(os.path.join(FIXTURES, name), adblock)
    clean("domains")

    config = clean("config")
    shutil.copy(os.path.join(ROOT, "palisade.example.yml"), config)

    # Pipeline: queries (QR clear) with a few control octets; the raw upstream answer of mode 1 is a response
    # vector's flags, counts and records (its header's ID and its question are the query's, made by the fake).
    pipeline = clean("pipeline")
    queries = [v for v in vectors if v["name"].startswith("query-")]
    responses = {v["name"]: bytes.fromhex(v["wire"]) for v in vectors if v["name"].startswith("response-")}
    for vector in queries:
        query = bytes.fromhex(vector["wire"])
        for control, suffix in ((0x00, "udp"), (0x01, "tcp-nullip"), (0x62, "outside-nxdomain"), (0xE4, "outside-drop")):
            write(pipeline, f"{vector['name']}.{suffix}.bin", bytes([control]) + struct.pack(">H", len(query)) + query)
    example_query = bytes.fromhex(next(v["wire"] for v in vectors if v["name"] == "query-a-rd"))
    for name in ("response-cname-chain", "response-nxdomain", "response-soa", "response-truncated", "response-a-multi", "response-do-bit", "response-txt-multi"):
        response = responses[name]
        records = response[skip_name(response, 12) + 4:] if struct.unpack(">H", response[4:6])[0] else response[12:]
        raw = response[2:4] + response[6:12] + records
        for control, suffix in ((0x08, "raw-udp"), (0x29, "raw-tcp-cname")):
            write(pipeline, f"{name}.{suffix}.bin", bytes([control]) + struct.pack(">H", len(example_query)) + example_query + raw)
    for qname, qtype in (("ads.example", 1), ("Sub.ADS.example", 28), ("ok.ads.example", 1), ("important.example", 1),
                         ("track7.example", 1), ("cname-me.example", 16), ("host.blocked.example", 15)):
        labels = b"".join(bytes([len(l)]) + l.encode() for l in qname.split(".")) + b"\0"
        query = struct.pack(">HHHHHH", 0xBEEF, 0x0100, 1, 0, 0, 1) + labels + struct.pack(">HH", qtype, 1)
        query += b"\0" + struct.pack(">HHIH", 41, 1232, 0x8000, 0)
        for control, suffix in ((0x20, "cname-inspection"), (0x60, "nxdomain"), (0xA1, "refused-tcp"), (0xE0, "custom")):
            write(pipeline, f"blocklist-{qname.lower()}.{suffix}.bin", bytes([control]) + struct.pack(">H", len(query)) + query)
    for control, suffix in ((0x10, "servfail"), (0x18, "unreachable"), (0x20, "cname-inspection")):
        write(pipeline, f"query-a-rd.{suffix}.bin", bytes([control]) + struct.pack(">H", len(example_query)) + example_query)
    hardening_seeds(pipeline)


def wire_name(name):
    return b"".join(bytes([len(l)]) + l.encode() for l in name.split(".") if l) + b"\0"


def record(owner, rtype, rdata, ttl=300):
    """A record in wire form; owner None is a pointer to the question's name (offset 12)."""
    return (b"\xc0\x0c" if owner is None else wire_name(owner)) + struct.pack(">HHIH", rtype, 1, ttl, len(rdata)) + rdata


def pipeline_seed(folder, name, control, qname, qtype, raw=b"", edns=True):
    query = struct.pack(">HHHHHH", 0xCAFE, 0x0100, 1, 0, 0, 1 if edns else 0) + wire_name(qname) + struct.pack(">HH", qtype, 1)
    if edns:
        query += b"\0" + struct.pack(">HHIH", 41, 1232, 0x8000, 0)
    write(folder, f"hardening-{name}.bin", bytes([control]) + struct.pack(">H", len(query)) + query + raw)


def raw_answer(flags, answers, authorities=(), additionals=()):
    return struct.pack(">HHHH", flags, len(answers), len(authorities), len(additionals)) + b"".join(answers + list(authorities) + list(additionals))


def hardening_seeds(folder):
    # ANY (RFC 8482): answered by Palisade itself over UDP and TCP, blocked or not.
    for control, suffix in ((0x00, "udp"), (0x01, "tcp"), (0x60, "nxdomain")):
        pipeline_seed(folder, f"any-www.example.{suffix}", control, "www.example", 255)
        pipeline_seed(folder, f"any-ads.example.{suffix}", control, "ads.example", 255)

    # Rebinding: a private address in the answer (and in a CNAME's target), and an allowed name.
    private_a = raw_answer(0x8180, [record(None, 1, bytes([10, 0, 0, 1]))])
    private_aaaa = raw_answer(0x8180, [record(None, 28, bytes.fromhex("fd000000000000000000000000000001"))])
    chain = raw_answer(0x8180, [record(None, 5, wire_name("lan.example")), record("lan.example", 1, bytes([192, 168, 1, 1]))])
    https_hint = raw_answer(0x8180, [record(None, 65, struct.pack(">H", 1) + b"\0" + struct.pack(">HH", 4, 4) + bytes([127, 0, 0, 1]))])
    pipeline_seed(folder, "rebinding-private-a", 0x08, "www.example", 1, private_a)
    pipeline_seed(folder, "rebinding-private-aaaa-tcp", 0x09, "www.example", 28, private_aaaa)
    pipeline_seed(folder, "rebinding-cname-to-private", 0x08, "www.example", 1, chain)
    pipeline_seed(folder, "rebinding-https-hint", 0x08, "www.example", 65, https_hint)
    pipeline_seed(folder, "rebinding-allowed", 0x08, "nas.home.example", 1, private_a)

    # Scrubber: records that do not answer the question, in every section, which it cuts out and writes anew.
    poisoned = raw_answer(
        0x8180,
        [record(None, 1, bytes([192, 0, 2, 1])), record("victim.example", 1, bytes([203, 0, 113, 66]))],
        [record("victim.example", 2, wire_name("ns.attacker.example")), record("example", 2, wire_name("ns.example"))],
        [record("ns.attacker.example", 1, bytes([203, 0, 113, 53])), record("ns.example", 1, bytes([192, 0, 2, 53]))])
    negative = raw_answer(
        0x8183, [],
        [record("example", 6, wire_name("ns.example") + wire_name("host.example") + struct.pack(">IIIII", 1, 2, 3, 4, 300)),
         record("other.example", 6, wire_name("ns.other.example") + wire_name("h.other.example") + struct.pack(">IIIII", 1, 2, 3, 4, 300))])
    unrelated_chain = raw_answer(
        0x8180,
        [record(None, 5, wire_name("b.example")), record("b.example", 1, bytes([192, 0, 2, 7])), record("c.example", 5, wire_name("www.example"))])
    pipeline_seed(folder, "scrub-unrelated-every-section", 0x08, "www.example", 1, poisoned)
    pipeline_seed(folder, "scrub-unrelated-every-section-tcp-cname", 0x29, "www.example", 1, poisoned)
    pipeline_seed(folder, "scrub-nxdomain-foreign-soa", 0x08, "www.example", 1, negative)
    pipeline_seed(folder, "scrub-cname-loop-and-stray", 0x08, "www.example", 1, unrelated_chain)
    pipeline_seed(folder, "scrub-unrelated-no-edns", 0x08, "www.example", 1, poisoned, edns=False)


if __name__ == "__main__":
    main()
