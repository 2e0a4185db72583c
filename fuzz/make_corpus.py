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
            query, then the raw upstream answer built from a response vector)
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


if __name__ == "__main__":
    main()
