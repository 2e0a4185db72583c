#!/usr/bin/python3
# generate_vectors.py -- DNS wire-format test vectors for Palisade, judged by
# dnspython (an independent DNS implementation).
#
# It builds DNS messages (queries, responses of many RR types, EDNS options,
# error rcodes, odd header flags, mixed case, one uncompressed message) with
# dnspython, renders them to wire format (compressed exactly as dnspython's
# Message.to_wire does, except where noted), parses every wire back with
# dnspython and with a small independent wire walker, and writes
# vectors.json next to this script.  Every field in vectors.json is derived
# from dnspython's parse of the wire, and cross-checked against what was built.
#
# It also writes a "names" list: absolute names in dnspython text form with
# their uncompressed wire form (escapes, case, 63-octet label, 255-octet name).
#
# The output is deterministic (fixed IDs, fixed data, no clock, no randomness):
# running the script twice gives identical bytes.
#
# Rerun from the repository root with:
#   /usr/bin/python3 tests/Palisade.Protocol.Tests/Vectors/generate_vectors.py
#
# Requires dnspython 2.3.0 (Debian package python3-dnspython); use
# /usr/bin/python3, not a pyenv python without dnspython.
# The format of vectors.json is consumed by the C# tests: do not rename keys.

import base64
import json
import os
import struct
import sys

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.renderer
import dns.rrset
import dns.rdtypes.ANY.TXT
import dns.update
import dns.version

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep __pycache__ out of the test tree
sys.path.insert(0, HERE)
from dnspython_check import walk_wire, raw_opt_options, compare, wire_class  # noqa: E402

OUT = os.path.join(HERE, "vectors.json")

IN = dns.rdataclass.IN
CH = dns.rdataclass.CH
ANY = dns.rdataclass.ANY


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------
def build_names():
    names = [
        dns.name.root,
        dns.name.from_text("com."),
        dns.name.from_text("example.com."),
        dns.name.from_text("www.example.com."),
        dns.name.from_text("WWW.Example.COM."),
        dns.name.from_text("_sip._tcp.example.com."),
        dns.name.from_text("*.example.com."),
        dns.name.from_text("1.2.0.192.in-addr.arpa."),
        dns.name.from_text("xn--bcher-kva.example."),
        dns.name.from_text(r"a\.b.example."),           # label containing a dot
        dns.name.from_text(r"back\\slash.example."),    # backslash
        dns.name.from_text(r'quo\"te.example.'),        # double quote
        dns.name.from_text(r"sp\ ace.example."),        # space (printed as \032)
        dns.name.from_text(r"a\@b\$c\;d\(e\).example."),  # other escaped specials
        dns.name.Name([b"\x00\x7f\xff", b"bin", b"example", b""]),  # \000 \127 \255
        dns.name.Name([b"caf\xc3\xa9", b"example", b""]),  # UTF-8 bytes, printed \DDD
        dns.name.from_text("a" * 63 + ".example."),      # 63-octet label
        # 255 octets in wire form: 3 * (1+63) + (1+61) + 1 = 255
        dns.name.from_text(".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61]) + "."),
    ]
    out = []
    for n in names:
        w = n.to_wire()
        assert n.is_absolute()
        # round trip checks
        back, used = dns.name.from_wire(w, 0)
        assert used == len(w) and back.labels == n.labels, n
        assert dns.name.from_text(n.to_text()).labels == n.labels, n
        out.append({"text": n.to_text(), "wire": w.hex()})
    assert len(out[-1]["wire"]) // 2 == 255
    return out


# ---------------------------------------------------------------------------
# Message building helpers
# ---------------------------------------------------------------------------
def rrset(name, ttl, rdtype, *rdatas, rdclass=IN):
    return dns.rrset.from_text(name, ttl, rdclass, rdtype, *rdatas)


def rrset_rdatas(name, ttl, rdatas):
    return dns.rrset.from_rdata_list(dns.name.from_text(name), ttl, rdatas)


def message(mid, flags, qname, qtype, qclass=IN, answer=(), authority=(),
            additional=(), edns=None, rcode=0, opcode=0):
    """flags: the header flag bits (QR/AA/...); opcode and rcode set separately.
    edns: None or dict(version, payload, flags, options, pad)."""
    m = dns.message.Message(id=mid)
    m.flags = flags
    m.set_opcode(opcode)
    if qname is not None:
        m.question.append(dns.rrset.RRset(dns.name.from_text(qname), qclass, qtype))
    m.answer.extend(answer)
    m.authority.extend(authority)
    m.additional.extend(additional)
    if edns is not None:
        m.use_edns(edns.get("version", 0), edns.get("flags", 0),
                   edns.get("payload", 1232), options=edns.get("options"),
                   pad=edns.get("pad", 0))
    m.set_rcode(rcode)
    return m


class _NoCompress(dict):
    """A compression table that never remembers anything."""

    def get(self, key, default=None):
        return None

    def __setitem__(self, key, value):
        pass


def to_wire_uncompressed(m):
    """Same as Message.to_wire but with name compression disabled everywhere."""
    r = dns.renderer.Renderer(m.id, m.flags, 65535, None)
    r.compress = _NoCompress()
    for rs in m.question:
        r.add_question(rs.name, rs.rdtype, rs.rdclass)
    for rs in m.answer:
        r.add_rrset(dns.renderer.ANSWER, rs, want_shuffle=False)
    for rs in m.authority:
        r.add_rrset(dns.renderer.AUTHORITY, rs, want_shuffle=False)
    for rs in m.additional:
        r.add_rrset(dns.renderer.ADDITIONAL, rs, want_shuffle=False)
    if m.opt is not None:
        r.add_opt(m.opt, m.pad)
    r.write_header()
    return r.get_wire()


# ---------------------------------------------------------------------------
# Fixed binary data (deterministic)
# ---------------------------------------------------------------------------
def det_bytes(seed, n):
    """Deterministic pseudo-random bytes (simple LCG, no randomness)."""
    out = bytearray()
    x = seed & 0xFFFFFFFF
    for _ in range(n):
        x = (1103515245 * x + 12345) & 0x7FFFFFFF
        out.append((x >> 16) & 0xFF)
    return bytes(out)


def b64(data):
    return base64.b64encode(data).decode("ascii")


SOA_EXAMPLE = "ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300"

QR = dns.flags.QR
AA = dns.flags.AA
TC = dns.flags.TC
RD = dns.flags.RD
RA = dns.flags.RA
AD = dns.flags.AD
CD = dns.flags.CD
Z = 0x0040


def build_messages():
    """Return a list of (name, description, Message, compressed: bool)."""
    v = []

    def add(name, desc, m, compressed=True):
        v.append((name, desc, m, compressed))

    R = QR | RD | RA  # ordinary recursive response flags

    # ---------------- queries ----------------
    add("query-a-rd", "Plain A query for www.example.com with RD set and no EDNS.",
        message(0x1001, RD, "www.example.com.", dns.rdatatype.A))
    add("query-edns-do", "AAAA query with EDNS version 0, payload 1232 and the DO bit set.",
        message(0x1002, RD, "example.com.", dns.rdatatype.AAAA,
                edns={"payload": 1232, "flags": dns.flags.DO}))
    add("query-edns-padding", "A query with EDNS padding (option 12) making the message a multiple of 128 octets.",
        message(0x1003, RD, "padded.example.com.", dns.rdatatype.A,
                edns={"payload": 1232, "pad": 128}))
    add("query-ecs-ipv4", "A query with an EDNS Client Subnet option for 192.0.2.0/24 (scope 0).",
        message(0x1004, RD, "www.example.com.", dns.rdatatype.A,
                edns={"payload": 1232, "options": [dns.edns.ECSOption("192.0.2.0", 24, 0)]}))
    add("query-ecs-ipv6", "AAAA query with an EDNS Client Subnet option for 2001:db8::/56 (scope 0).",
        message(0x1005, RD, "www.example.com.", dns.rdatatype.AAAA,
                edns={"payload": 1232, "options": [dns.edns.ECSOption("2001:db8::", 56, 0)]}))
    add("query-ecs-ipv4-odd-prefix", "A query with ECS 198.51.100.128/25, a source prefix that is not a multiple of 8.",
        message(0x1006, RD, "www.example.com.", dns.rdatatype.A,
                edns={"payload": 4096, "options": [dns.edns.ECSOption("198.51.100.128", 25, 0)]}))
    add("query-all-flags-status",
        "Message with every settable header flag (QR AA TC RD RA Z AD CD) and opcode 2 (STATUS).",
        message(0x1007, QR | AA | TC | RD | RA | Z | AD | CD, "example.com.", dns.rdatatype.SOA,
                opcode=dns.opcode.STATUS))
    add("query-mixed-case", "A query whose name uses mixed case (0x20 style), which must be preserved.",
        message(0x1008, RD, "wWw.ExAmPlE.cOm.", dns.rdatatype.A))
    add("query-no-flags-id-zero", "Iterative (RD clear) NS query with message ID 0 and no flags at all.",
        message(0x0000, 0, "example.com.", dns.rdatatype.NS))
    add("query-root-ns", "NS query for the root name with EDNS payload 512 and no options.",
        message(0xffff, RD, ".", dns.rdatatype.NS, edns={"payload": 512}))
    add("query-any-class-any", "Query with qtype ANY (255) and qclass ANY (255).",
        message(0x1009, RD, "example.com.", dns.rdatatype.ANY, qclass=ANY))
    add("query-ch-version-bind", "CH class TXT query for version.bind.",
        message(0x100a, 0, "version.bind.", dns.rdatatype.TXT, qclass=CH))
    add("query-notify", "NOTIFY (opcode 4) for example.com SOA with AA set.",
        message(0x100b, AA, "example.com.", dns.rdatatype.SOA, opcode=dns.opcode.NOTIFY))
    add("query-edns-cookie-unknown-option",
        "Query with a client COOKIE option (10) and an unassigned option code 65001 with data.",
        message(0x100c, RD, "example.com.", dns.rdatatype.A,
                edns={"payload": 1232, "options": [
                    dns.edns.GenericOption(10, bytes.fromhex("0123456789abcdef")),
                    dns.edns.GenericOption(65001, b"\x00\xffpalisade")]}))
    add("query-edns-version1", "Query advertising EDNS version 1 (which a version-0 server answers with BADVERS).",
        message(0x100d, RD, "example.com.", dns.rdatatype.A, edns={"version": 1, "payload": 1232}))
    add("query-no-question", "A message with QDCOUNT 0 (no question) and EDNS, e.g. a cookie-only query.",
        message(0x100e, 0, None, None,
                edns={"payload": 1232, "options": [
                    dns.edns.GenericOption(10, bytes.fromhex("0011223344556677"))]}))

    # ---------------- responses ----------------
    add("response-a-multi", "Response with three A records for www.example.com.",
        message(0x2001, R, "www.example.com.", dns.rdatatype.A,
                answer=[rrset("www.example.com.", 300, "A", "192.0.2.1", "192.0.2.2", "198.51.100.7")]))
    add("response-aaaa", "Response with two AAAA records.",
        message(0x2002, R, "www.example.com.", dns.rdatatype.AAAA,
                answer=[rrset("www.example.com.", 3600, "AAAA", "2001:db8::1", "2001:db8:0:1::ff00:42:8329")]))
    add("response-cname-chain", "CNAME chain www -> cdn -> edge followed by the A records of edge.",
        message(0x2003, R, "www.example.com.", dns.rdatatype.A,
                answer=[rrset("www.example.com.", 300, "CNAME", "cdn.example.net."),
                        rrset("cdn.example.net.", 60, "CNAME", "edge.cdn.example.net."),
                        rrset("edge.cdn.example.net.", 20, "A", "203.0.113.10", "203.0.113.11")]))
    add("response-dname", "DNAME redirection with the synthesised CNAME and final A record.",
        message(0x2004, R, "www.old.example.com.", dns.rdatatype.A,
                answer=[rrset("old.example.com.", 86400, "DNAME", "new.example.net."),
                        rrset("www.old.example.com.", 86400, "CNAME", "www.new.example.net."),
                        rrset("www.new.example.net.", 300, "A", "192.0.2.80")]))
    add("response-ns-glue", "Referral: NS records in authority with A and AAAA glue in additional.",
        message(0x2005, QR, "www.example.com.", dns.rdatatype.A,
                authority=[rrset("example.com.", 172800, "NS", "ns1.example.com.", "ns2.example.com.")],
                additional=[rrset("ns1.example.com.", 172800, "A", "192.0.2.53"),
                            rrset("ns1.example.com.", 172800, "AAAA", "2001:db8::53"),
                            rrset("ns2.example.com.", 172800, "A", "198.51.100.53")]))
    add("response-ptr", "PTR answer for 1.2.0.192.in-addr.arpa.",
        message(0x2006, R, "1.2.0.192.in-addr.arpa.", dns.rdatatype.PTR,
                answer=[rrset("1.2.0.192.in-addr.arpa.", 3600, "PTR", "host.example.com.")]))
    add("response-mx", "MX RRset with several preferences, including 0 and 65535.",
        message(0x2007, R, "example.com.", dns.rdatatype.MX,
                answer=[rrset("example.com.", 3600, "MX", "10 mail.example.com.", "20 mail2.example.com.",
                              "0 primary.example.net.", "65535 .")]))
    add("response-txt-multi", "TXT records with several character-strings, an empty string and escapes.",
        message(0x2008, R, "example.com.", dns.rdatatype.TXT,
                answer=[rrset("example.com.", 300, "TXT",
                              '"v=spf1 -all"',
                              '"first" "second" "third"',
                              '""',
                              '"with space and \\"quotes\\" and \\\\backslash"',
                              '"semi;colon" "dollar$" "tab\\009"')]))

    big = []
    for i in range(6):
        s1 = bytes([i]) + b"\x00\x22\x5c\xff" + det_bytes(i + 1, 250)  # 255 octets
        s2 = (b"long-%d-" % i) + b"x" * 244 + b"\x22\x5c\x00\xff"
        s2 = s2[:255]
        assert len(s1) == 255 and len(s2) == 255
        big.append(dns.rdtypes.ANY.TXT.TXT(IN, dns.rdatatype.TXT, [s1, s2, b"short"]))
    add("response-txt-large",
        "TXT RRset of six records (about 3 KB) with 255-octet strings holding binary bytes 0x00 0x22 0x5c 0xff.",
        message(0x2009, R, "big.example.com.", dns.rdatatype.TXT,
                answer=[rrset_rdatas("big.example.com.", 60, big)],
                edns={"payload": 4096}))
    add("response-soa", "SOA answer for example.com.",
        message(0x200a, QR | AA, "example.com.", dns.rdatatype.SOA,
                answer=[rrset("example.com.", 3600, "SOA", SOA_EXAMPLE)]))
    add("response-srv", "SRV answer with three targets; dnspython compresses SRV target names (RFC 2782 says not to).",
        message(0x200b, R, "_sip._tcp.example.com.", dns.rdatatype.SRV,
                answer=[rrset("_sip._tcp.example.com.", 300, "SRV",
                              "10 60 5060 sip1.example.com.", "10 20 5060 sip2.example.com.",
                              "0 0 0 .")]))
    add("response-srv-uncompressed", "The SRV answer written without any name compression, as RFC 2782 asks.",
        message(0x201d, R, "_sip._tcp.example.com.", dns.rdatatype.SRV,
                answer=[rrset("_sip._tcp.example.com.", 300, "SRV",
                              "10 60 5060 sip1.example.com.", "10 20 5060 sip2.example.com.")]),
        compressed=False)
    add("response-caa", "CAA records: issue, issuewild, iodef, one with the critical flag 128.",
        message(0x200c, R, "example.com.", dns.rdatatype.CAA,
                answer=[rrset("example.com.", 3600, "CAA",
                              '0 issue "ca.example.net"',
                              '0 issue "ca.example.org; account=12345"',
                              '0 issuewild ";"',
                              '0 iodef "mailto:security@example.com"',
                              '128 tbs "unknown critical property"')]))
    add("response-svcb-alias", "SVCB in AliasMode (priority 0) pointing at svc.example.net.",
        message(0x200d, R, "_dns.example.com.", dns.rdatatype.SVCB,
                answer=[rrset("_dns.example.com.", 300, "SVCB", "0 svc.example.net.")]))
    ech = det_bytes(99, 40)
    add("response-svcb-service",
        "SVCB in ServiceMode with mandatory, alpn (several ids), no-default-alpn, port, ipv4hint, ipv6hint, ech.",
        message(0x200e, R, "_dns.example.com.", dns.rdatatype.SVCB,
                answer=[rrset("_dns.example.com.", 300, "SVCB",
                              "1 dot.example.net. mandatory=alpn,port alpn=dot,h2,h3 no-default-alpn "
                              "port=853 ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1,2001:db8::2 "
                              "ech=" + b64(ech),
                              "2 . alpn=doq key65000=\"opaque\"")]))
    add("response-https-alias", "HTTPS in AliasMode (priority 0).",
        message(0x200f, R, "example.com.", dns.rdatatype.HTTPS,
                answer=[rrset("example.com.", 300, "HTTPS", "0 www.example.net.")]))
    add("response-https-service",
        "HTTPS in ServiceMode (target \".\") with mandatory, alpn h2/h3, no-default-alpn, port, hints and ech.",
        message(0x2010, R, "www.example.com.", dns.rdatatype.HTTPS,
                answer=[rrset("www.example.com.", 300, "HTTPS",
                              "1 . mandatory=alpn alpn=h2,h3,http/1.1 no-default-alpn port=443 "
                              "ipv4hint=203.0.113.1 ipv6hint=2001:db8::443 ech=" + b64(ech))]))
    dnskey_pub = det_bytes(7, 64)
    add("response-ds", "DS records (SHA-256 and SHA-384 digests).",
        message(0x2011, R | AD, "example.com.", dns.rdatatype.DS,
                answer=[rrset("example.com.", 86400, "DS",
                              "12345 13 2 " + det_bytes(11, 32).hex(),
                              "12345 14 4 " + det_bytes(12, 48).hex())]))
    add("response-dnskey", "DNSKEY RRset with a KSK (257) and a ZSK (256), algorithm 13.",
        message(0x2012, R | AD, "example.com.", dns.rdatatype.DNSKEY,
                answer=[rrset("example.com.", 3600, "DNSKEY",
                              "257 3 13 " + b64(dnskey_pub),
                              "256 3 13 " + b64(det_bytes(8, 64)))],
                edns={"payload": 1232, "flags": dns.flags.DO}))
    add("response-rrsig", "A RRset with its RRSIG (signer name, timestamps, 64-octet signature).",
        message(0x2013, R | AD, "www.example.com.", dns.rdatatype.A,
                answer=[rrset("www.example.com.", 300, "A", "192.0.2.1"),
                        rrset("www.example.com.", 300, "RRSIG",
                              "A 13 3 300 20240201000000 20240101000000 12345 example.com. "
                              + b64(det_bytes(13, 64)))],
                edns={"payload": 1232, "flags": dns.flags.DO}))
    add("response-nsec", "NXDOMAIN with SOA and an NSEC record whose bitmap spans several windows.",
        message(0x2014, QR | AA, "nope.example.com.", dns.rdatatype.A, rcode=dns.rcode.NXDOMAIN,
                authority=[rrset("example.com.", 300, "SOA", SOA_EXAMPLE),
                           rrset("host.example.com.", 300, "NSEC",
                                 "zzz.example.com. A NS SOA MX TXT AAAA RRSIG NSEC DNSKEY CAA TYPE1234 TYPE65280")]))
    add("response-nsec3", "NSEC3 record with a salt, opt-out flag and a type bitmap, plus NSEC3PARAM.",
        message(0x2015, QR | AA, "nope.example.com.", dns.rdatatype.A, rcode=dns.rcode.NXDOMAIN,
                authority=[rrset("example.com.", 300, "SOA", SOA_EXAMPLE),
                           rrset("2vptu5timamqttgl4luu9kg21e0aor3s.example.com.", 300, "NSEC3",
                                 "1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG"),
                           rrset("example.com.", 300, "NSEC3PARAM", "1 0 12 aabbccdd")]))
    add("response-tlsa", "TLSA record (3 1 1) for _443._tcp.www.example.com.",
        message(0x2016, R, "_443._tcp.www.example.com.", dns.rdatatype.TLSA,
                answer=[rrset("_443._tcp.www.example.com.", 3600, "TLSA", "3 1 1 " + det_bytes(21, 32).hex())]))
    add("response-sshfp", "SSHFP records (Ed25519 SHA-256 and RSA SHA-1).",
        message(0x2017, R, "host.example.com.", dns.rdatatype.SSHFP,
                answer=[rrset("host.example.com.", 3600, "SSHFP",
                              "4 2 " + det_bytes(22, 32).hex(), "1 1 " + det_bytes(23, 20).hex())]))
    add("response-naptr", "NAPTR records with flags, services, regexp and replacement.",
        message(0x2018, R, "example.com.", dns.rdatatype.NAPTR,
                answer=[rrset("example.com.", 3600, "NAPTR",
                              '100 10 "U" "E2U+sip" "!^.*$!sip:info@example.com!" .',
                              '102 10 "S" "SIP+D2T" "" _sip._tcp.example.com.')]))
    add("response-loc", "LOC record.",
        message(0x2019, R, "example.com.", dns.rdatatype.LOC,
                answer=[rrset("example.com.", 3600, "LOC", "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m")]))
    add("response-unknown-type", "Answer of the unassigned type TYPE65280 with generic rdata \\# 4 0a000001.",
        message(0x201a, R, "unknown.example.com.", 65280,
                answer=[rrset("unknown.example.com.", 300, 65280, r"\# 4 0a000001")]))
    add("response-unknown-type-empty", "Answer of the unassigned type TYPE65281 with empty rdata (\\# 0).",
        message(0x201b, R, "unknown.example.com.", 65281,
                answer=[rrset("unknown.example.com.", 300, 65281, r"\# 0")]))
    add("response-hinfo-uri", "HINFO and URI records in one answer section.",
        message(0x201c, R, "host.example.com.", dns.rdatatype.ANY,
                answer=[rrset("host.example.com.", 3600, "HINFO", '"INTEL-386" "Linux"'),
                        rrset("host.example.com.", 3600, "URI", '10 1 "https://www.example.com/path"')]))

    # ---------------- negative ----------------
    add("response-nxdomain", "NXDOMAIN answer with the zone SOA in authority.",
        message(0x3001, QR | AA | RD, "missing.example.com.", dns.rdatatype.A, rcode=dns.rcode.NXDOMAIN,
                authority=[rrset("example.com.", 300, "SOA", SOA_EXAMPLE)]))
    add("response-nodata", "NODATA: NOERROR, empty answer, SOA in authority.",
        message(0x3002, QR | AA | RD, "www.example.com.", dns.rdatatype.MX,
                authority=[rrset("example.com.", 300, "SOA", SOA_EXAMPLE)]))

    # ---------------- EDNS responses ----------------
    add("response-ede-blocked", "REFUSED-free blocked answer: NXDOMAIN with EDE info code 15 (Blocked) and text.",
        message(0x4001, R, "ads.example.com.", dns.rdatatype.A, rcode=dns.rcode.NXDOMAIN,
                edns={"payload": 1232, "options": [dns.edns.EDEOption(15, "blocked by policy")]}))
    add("response-ede-no-text", "REFUSED with EDE info code 18 (Prohibited) and no extra text.",
        message(0x4002, QR | RD, "example.com.", dns.rdatatype.A, rcode=dns.rcode.REFUSED,
                edns={"payload": 1232, "options": [dns.edns.EDEOption(18)]}))
    add("response-ede-multiple", "SERVFAIL with two EDE options (DNSSEC bogus with text, and network error).",
        message(0x4003, QR | RD | RA, "bogus.example.com.", dns.rdatatype.A, rcode=dns.rcode.SERVFAIL,
                edns={"payload": 1232, "options": [dns.edns.EDEOption(6, "RRSIG expired? ünïcode"),
                                                   dns.edns.EDEOption(23)]}))
    add("response-badvers", "Response with extended rcode BADVERS (16): header rcode 0, OPT extended rcode 1.",
        message(0x4004, QR, "example.com.", dns.rdatatype.A, rcode=dns.rcode.BADVERS,
                edns={"payload": 1232}))
    add("response-do-bit", "Signed answer with the DO bit echoed in the response OPT record and AD set.",
        message(0x4005, R | AD, "www.example.com.", dns.rdatatype.A,
                answer=[rrset("www.example.com.", 300, "A", "192.0.2.1")],
                edns={"payload": 1232, "flags": dns.flags.DO}))
    add("response-ecs-scope", "Response echoing ECS 192.0.2.0/24 with scope prefix 24.",
        message(0x4006, R, "www.example.com.", dns.rdatatype.A,
                answer=[rrset("www.example.com.", 300, "A", "192.0.2.1")],
                edns={"payload": 1232, "options": [dns.edns.ECSOption("192.0.2.0", 24, 24)]}))
    add("response-padding", "Response padded to a multiple of 468 octets (RFC 8467 block size).",
        message(0x4007, R, "www.example.com.", dns.rdatatype.AAAA,
                answer=[rrset("www.example.com.", 300, "AAAA", "2001:db8::1")],
                edns={"payload": 1232, "pad": 468}))

    # ---------------- error rcodes ----------------
    add("response-refused", "REFUSED response echoing the question, no EDNS.",
        message(0x5001, QR | RD, "example.org.", dns.rdatatype.A, rcode=dns.rcode.REFUSED))
    add("response-servfail", "SERVFAIL response with RA set, no EDNS.",
        message(0x5002, QR | RD | RA, "broken.example.com.", dns.rdatatype.A, rcode=dns.rcode.SERVFAIL))
    add("response-formerr", "FORMERR response without a question section.",
        message(0x5003, QR, None, None, rcode=dns.rcode.FORMERR))
    add("response-notimp", "NOTIMP response to an UPDATE (opcode 5) message.",
        message(0x5004, QR, "example.com.", dns.rdatatype.SOA, rcode=dns.rcode.NOTIMP,
                opcode=dns.opcode.UPDATE))
    add("response-truncated", "Truncated (TC) UDP response with an empty answer section.",
        message(0x5005, QR | TC | RD | RA, "big.example.com.", dns.rdatatype.TXT))

    # ---------------- classes ----------------
    add("response-ch-version-bind", "CH class TXT answer for version.bind.",
        message(0x6001, QR | AA, "version.bind.", dns.rdatatype.TXT, qclass=CH,
                answer=[rrset("version.bind.", 0, "TXT", '"Palisade 0.1"', rdclass=CH)]))
    add("response-class-any-none",
        "UPDATE with a class ANY delete-RRset record (rdlength 0, empty rdata_text/rdata_generic) and a class NONE "
        "delete-RR; dnspython reports the NONE A rdata as 192.0.2.9.",
        message(0x6002, 0, "example.com.", dns.rdatatype.SOA, opcode=dns.opcode.UPDATE,
                answer=[rrset("example.com.", 0, "A", rdclass=ANY)],
                authority=[rrset("old.example.com.", 0, "A", r"\# 4 c0000209", rdclass=dns.rdataclass.NONE),
                           rrset("new.example.com.", 300, "A", "192.0.2.10")]))

    # ---------------- case ----------------
    add("response-mixed-case",
        "Question in mixed case, answer owners in lower case; uncompressed so every owner keeps its own case.",
        message(0x7001, R, "WwW.ExAmPlE.CoM.", dns.rdatatype.CNAME,
                answer=[rrset("www.example.com.", 300, "CNAME", "Target.Example.NET."),
                        rrset("target.example.net.", 300, "A", "192.0.2.7")]),
        compressed=False)
    add("response-mixed-case-compressed",
        "Same as response-mixed-case but compressed by dnspython, whose case-insensitive compression points "
        "the lower-case owner at the mixed-case question name.",
        message(0x7002, R, "WwW.ExAmPlE.CoM.", dns.rdatatype.CNAME,
                answer=[rrset("www.example.com.", 300, "CNAME", "Target.Example.NET."),
                        rrset("target.example.net.", 300, "A", "192.0.2.7")]))
    add("response-escaped-names", "Answer whose owner and rdata names contain escaped bytes (dot, space, 0x00, 0xff).",
        message(0x7003, R, r"a\.b.example.", dns.rdatatype.PTR,
                answer=[rrset(r"a\.b.example.", 60, "PTR", r"sp\ ace.\000\255.example.")]))

    # ---------------- uncompressed ----------------
    add("response-ns-glue-uncompressed",
        "The NS referral with glue, written without any name compression.",
        message(0x8001, QR, "www.example.com.", dns.rdatatype.A,
                authority=[rrset("example.com.", 172800, "NS", "ns1.example.com.", "ns2.example.com.")],
                additional=[rrset("ns1.example.com.", 172800, "A", "192.0.2.53"),
                            rrset("ns2.example.com.", 172800, "AAAA", "2001:db8::53")],
                edns={"payload": 1232, "flags": dns.flags.DO}),
        compressed=False)
    return v


# ---------------------------------------------------------------------------
# Describing a wire in JSON (all from dnspython's parse of the wire)
# ---------------------------------------------------------------------------
def option_json(code, data, parsed_opt):
    o = {"code": code, "data": data.hex()}
    if code == 8:  # ECS
        family, src, scope = struct.unpack("!HBB", data[:4])
        addr = data[4:]
        if family == 1:
            text = dns.ipv4.inet_ntoa(addr + b"\x00" * (4 - len(addr)))
        elif family == 2:
            text = dns.ipv6.inet_ntoa(addr + b"\x00" * (16 - len(addr)))
        else:
            raise AssertionError("unexpected ECS family")
        o.update({"family": family, "source": src, "scope": scope, "address": text})
        assert isinstance(parsed_opt, dns.edns.ECSOption)
        assert (parsed_opt.family, parsed_opt.srclen, parsed_opt.scopelen, parsed_opt.address) == \
            (family, src, scope, text)
    elif code == 15:  # EDE
        info = struct.unpack("!H", data[:2])[0]
        text = data[2:].decode("utf-8") if len(data) > 2 else None
        o.update({"info_code": info, "text": text})
        assert isinstance(parsed_opt, dns.edns.EDEOption)
        assert int(parsed_opt.code) == info and parsed_opt.text == text
    elif code == 12:  # Padding: dnspython 2.3 has no typed class
        o["length"] = len(data)
        assert data == b"\x00" * len(data)
    return o


def rr_json(rs):
    cls = wire_class(rs)
    if len(rs) == 0:
        # UPDATE delete-RRset record: class ANY, no rdata on the wire
        return [{"name": rs.name.to_text(), "type": int(rs.rdtype), "class": cls,
                 "ttl": int(rs.ttl), "rdata_text": "", "rdata_generic": ""}]
    out = []
    for rd in rs:
        out.append({"name": rs.name.to_text(), "type": int(rs.rdtype), "class": cls,
                    "ttl": int(rs.ttl), "rdata_text": rd.to_text(),
                    "rdata_generic": rd.to_wire(canonicalize=False).hex()})
    return out


def describe(name, desc, wire, built):
    m = dns.message.from_wire(wire)
    hdr, recs = walk_wire(wire)

    # dnspython's view must agree with the builder's message (dnspython __eq__ is
    # case-insensitive on names and ignores EDNS, so check EDNS separately).
    is_update = isinstance(m, dns.update.UpdateMessage)
    if not is_update:  # UpdateMessage rewrites classes ANY/NONE, checked below instead
        assert m == built, name
    assert (m.opt is None) == (built.opt is None), name
    if built.opt is not None:
        assert m.edns == built.edns and m.payload == built.payload, name
        assert m.ednsflags == built.ednsflags, name
    assert m.rcode() == built.rcode() and m.opcode() == built.opcode(), name
    assert hdr["flags"] == m.flags and hdr["id"] == m.id, name

    sections = {"answer": [], "authority": [], "additional": []}
    for sname, sec in (("answer", m.answer), ("authority", m.authority), ("additional", m.additional)):
        for rs in sec:
            sections[sname].extend(rr_json(rs))

    # Independent check: the records as laid out on the wire, in order.
    for sname in ("answer", "authority", "additional"):
        wire_recs = [r for r in recs if r["section"] == sname and r["type"] != 41]
        js = sections[sname]
        assert len(wire_recs) == len(js), (name, sname)
        for w, j in zip(wire_recs, js):
            assert w["name"].to_text() == j["name"], (name, w["name"], j["name"])
            assert (w["type"], w["class"]) == (j["type"], j["class"]), name
            pclass = w["class"]
            if is_update and pclass in (ANY, dns.rdataclass.NONE):
                pclass = m.zone[0].rdclass if m.zone else IN
            if w["rdlen"] == 0 and w["class"] == ANY and is_update:
                assert j["rdata_generic"] == "" and j["rdata_text"] == "", (name, j)
            else:
                rd = dns.rdata.from_wire(pclass, w["type"], wire, w["rdata_offset"], w["rdlen"])
                assert rd.to_wire().hex() == j["rdata_generic"], (name, j)
                assert rd.to_text() == j["rdata_text"], (name, j)
            assert w["ttl"] == j["ttl"], (name, j)  # all RRsets here have a single TTL
    qrecs = [r for r in recs if r["section"] == "question"]
    question = [{"name": q.name.to_text(), "type": int(q.rdtype), "class": int(q.rdclass)} for q in m.question]
    assert [(r["name"].to_text(), r["type"], r["class"]) for r in qrecs] == \
        [(q["name"], q["type"], q["class"]) for q in question], name

    edns = None
    if m.opt is not None:
        raw = raw_opt_options(wire)
        parsed = list(m.options)
        assert len(raw) == len(parsed), name
        edns = {"version": m.edns, "payload": m.payload, "flags": m.ednsflags & 0xFFFF,
                "options": [option_json(c, d, p) for (c, d), p in zip(raw, parsed)]}
        assert [r for r in recs if r["type"] == 41][0]["name"] == dns.name.root
    else:
        assert raw_opt_options(wire) is None

    # self-judgement
    assert compare(wire, wire) is None, name

    return {
        "name": name,
        "description": desc,
        "wire": wire.hex(),
        "header": {"id": m.id, "flags": hdr["flags"], "opcode": int(m.opcode()), "rcode": int(m.rcode()),
                   "qdcount": hdr["qdcount"], "ancount": hdr["ancount"],
                   "nscount": hdr["nscount"], "arcount": hdr["arcount"]},
        "edns": edns,
        "question": question,
        "answer": sections["answer"],
        "authority": sections["authority"],
        "additional": sections["additional"],
    }


def has_pointer(wire):
    _, recs = walk_wire(wire)
    for r in recs:
        if r["name_wire_len"] != len(r["name"].to_wire()):
            return True
        if "rdlen" in r:
            rd = dns.rdata.from_wire(r["class"], r["type"], wire, r["rdata_offset"], r["rdlen"])
            if len(rd.to_wire()) != r["rdlen"]:
                return True
    return False


def main():
    if dns.version.version != "2.3.0":
        print("warning: expected dnspython 2.3.0, running %s" % dns.version.version, file=sys.stderr)
    names = build_names()
    vectors = []
    seen = set()
    for name, desc, m, compressed in build_messages():
        assert name not in seen, name
        seen.add(name)
        # want_shuffle=False: dnspython shuffles the records of an RRset by default
        wire = m.to_wire(want_shuffle=False) if compressed else to_wire_uncompressed(m)
        if not compressed:
            assert not has_pointer(wire), name
        vectors.append(describe(name, desc, wire, m))

    # Sanity checks on a few specific vectors.
    byname = {v["name"]: v for v in vectors}
    assert byname["response-mixed-case"]["answer"][0]["name"] == "www.example.com."
    assert byname["response-mixed-case"]["question"][0]["name"] == "WwW.ExAmPlE.CoM."
    assert len(bytes.fromhex(byname["response-txt-large"]["wire"])) > 1232
    assert byname["response-badvers"]["header"]["rcode"] == 16
    assert byname["query-all-flags-status"]["header"]["flags"] == 0x97F0
    assert has_pointer(bytes.fromhex(byname["response-ns-glue"]["wire"]))
    assert len(bytes.fromhex(byname["query-edns-padding"]["wire"])) % 128 == 0
    assert len(bytes.fromhex(byname["response-padding"]["wire"])) % 468 == 0

    doc = {"generator": "generate_vectors.py", "dnspython": dns.version.version,
           "names": names, "vectors": vectors}
    text = json.dumps(doc, indent=1, ensure_ascii=True) + "\n"
    with open(OUT, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    print("wrote %s: %d vectors, %d names" % (OUT, len(vectors), len(names)))


if __name__ == "__main__":
    main()
