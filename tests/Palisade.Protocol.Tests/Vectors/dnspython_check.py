#!/usr/bin/python3
# dnspython_check.py -- the reverse judge for Palisade's DNS wire writer.
#
# dnspython (an independent DNS implementation) decides whether a message
# produced by Palisade's C# writer says the same thing as a reference message.
#
# Usage (from the repo root):
#   /usr/bin/python3 tests/Palisade.Protocol.Tests/Vectors/dnspython_check.py [--raw] [--ignore-case] < lines.jsonl
#
# Default mode: every stdin line is
#   {"name": "<vector name from vectors.json>", "wire": "<hex of our message>"}
# and the wire is compared with that vector's "wire" in vectors.json (looked up
# next to this script).
#
# --raw mode: every stdin line is
#   {"name": "<any label>", "wire": "<hex>", "expect": "<hex>"}
# and the two given wires are compared with each other.
#
# --ignore-case: compare owner/question names and names inside rdata
#   case-insensitively (rdata compared in canonical form). Default is exact.
#
# For each input line one JSON line is printed:
#   {"name": ..., "ok": true|false, "diff": "<first difference or parse error>"}
# ("diff" is "" when ok). Blank input lines are skipped.
# Exit status: 0 when all lines were processed (mismatches included),
#              2 on bad usage (unknown option, vectors.json unreadable).
#
# What is compared: id, the whole 16-bit flags word, opcode, full rcode
# (including EDNS extended bits), the four header counts as on the wire,
# the question (ordered), answer/authority/additional as multisets of records
# (owner, type, class, ttl, uncompressed rdata wire), EDNS presence, version,
# payload, the 16-bit EDNS flags, and the ordered list of options (code and raw
# data bytes, read straight from the wire so dnspython's re-encoding of typed
# options cannot hide a difference).
#
# Requires dnspython (Debian python3-dnspython); run with /usr/bin/python3.

import json
import os
import struct
import sys

import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rcode
import dns.opcode

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "vectors.json")

SECTION_NAMES = ("question", "answer", "authority", "additional")


# ---------------------------------------------------------------------------
# Minimal independent wire walker (also used by generate_vectors.py).
# Returns header counts and, for every RR on the wire, its position data.
# Names are decoded with dns.name.from_wire (which follows pointers).
# ---------------------------------------------------------------------------
def walk_wire(wire):
    """Return (header_dict, records) where records is a list of dicts with
    keys section, name (dns.name.Name), name_len_on_wire, type, class, ttl,
    rdata_offset, rdlen.  Question entries have no ttl/rdata fields."""
    if len(wire) < 12:
        raise ValueError("message shorter than 12 octets")
    mid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", wire[:12])
    header = {"id": mid, "flags": flags, "qdcount": qd, "ancount": an,
              "nscount": ns, "arcount": ar}
    pos = 12
    records = []
    for sidx, count in enumerate((qd, an, ns, ar)):
        for _ in range(count):
            name, used = dns.name.from_wire(wire, pos)
            start = pos
            pos += used
            if sidx == 0:
                rtype, rclass = struct.unpack("!HH", wire[pos:pos + 4])
                pos += 4
                records.append({"section": SECTION_NAMES[sidx], "name": name,
                                "name_wire_len": used, "type": rtype,
                                "class": rclass, "offset": start})
                continue
            rtype, rclass, ttl, rdlen = struct.unpack("!HHIH", wire[pos:pos + 10])
            pos += 10
            if pos + rdlen > len(wire):
                raise ValueError("rdata runs past end of message")
            records.append({"section": SECTION_NAMES[sidx], "name": name,
                            "name_wire_len": used, "type": rtype,
                            "class": rclass, "ttl": ttl, "rdata_offset": pos,
                            "rdlen": rdlen, "offset": start})
            pos += rdlen
    if pos != len(wire):
        raise ValueError("%d trailing octets after last record" % (len(wire) - pos))
    return header, records


def raw_opt_options(wire):
    """Return the OPT record's options exactly as on the wire:
    list of (code, data_bytes), or None when the message has no OPT."""
    _, records = walk_wire(wire)
    opts = [r for r in records if r["section"] == "additional" and r["type"] == 41]
    if not opts:
        return None
    r = opts[0]
    data = wire[r["rdata_offset"]:r["rdata_offset"] + r["rdlen"]]
    out = []
    i = 0
    while i < len(data):
        if i + 4 > len(data):
            raise ValueError("truncated EDNS option header")
        code, olen = struct.unpack("!HH", data[i:i + 4])
        i += 4
        if i + olen > len(data):
            raise ValueError("truncated EDNS option data")
        out.append((code, bytes(data[i:i + olen])))
        i += olen
    return out


# ---------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------
def parse(wire):
    # Same settings both sides: defaults (TC does not raise, trailing junk does).
    return dns.message.from_wire(wire)


def _name(n, ignore_case):
    t = n.to_text()
    return t.lower() if ignore_case else t


def wire_class(rrset):
    """The class as on the wire. In UPDATE messages dnspython rewrites class
    ANY/NONE records to the zone class and keeps the wire class in .deleting."""
    deleting = getattr(rrset, "deleting", None)
    return int(deleting) if deleting is not None else int(rrset.rdclass)


def _records(section, ignore_case):
    out = []
    for rrset in section:
        cls = wire_class(rrset)
        if len(rrset) == 0:
            # UPDATE "delete" RR with empty rdata (class ANY, rdlength 0)
            out.append((_name(rrset.name, ignore_case), int(rrset.rdtype), cls,
                        int(rrset.ttl), "", ""))
        for rd in rrset:
            data = rd.to_wire(canonicalize=ignore_case)
            out.append((_name(rrset.name, ignore_case), int(rrset.rdtype),
                        cls, int(rrset.ttl), data.hex(), rd.to_text()))
    return out


def _fmt_rr(r):
    return "%s %d %s %s %s" % (r[0], r[3], dns.rdataclass.to_text(r[2]),
                               dns.rdatatype.to_text(r[1]), r[5])


def _compare_section(label, got, exp):
    """got/exp: lists of record tuples. Multiset comparison (the 6th element,
    rdata text, is derived from the 5th and is only used for messages)."""
    key = lambda r: r[:5]
    if sorted(map(key, got)) == sorted(map(key, exp)):
        return None
    if len(got) != len(exp):
        prefix = "%s: %d records, expected %d; " % (label, len(got), len(exp))
    else:
        prefix = "%s: " % label
    exp_left = list(exp)
    for r in got:
        match = [e for e in exp_left if key(e) == key(r)]
        if match:
            exp_left.remove(match[0])
        else:
            # Try to pinpoint the field that differs against a similar record.
            similar = [e for e in exp_left if e[0].lower() == r[0].lower() and e[1] == r[1]]
            if similar:
                e = similar[0]
                for idx, fld in ((0, "owner name"), (2, "class"), (3, "ttl"), (4, "rdata")):
                    if e[idx] != r[idx]:
                        if idx == 4:
                            return prefix + "record %s has rdata %s (wire %s), expected %s (wire %s)" % (
                                r[0] + " " + dns.rdatatype.to_text(r[1]), r[5], r[4], e[5], e[4])
                        return prefix + "record %s: %s %r, expected %r" % (
                            _fmt_rr(r), fld, r[idx], e[idx])
            return prefix + "unexpected record: " + _fmt_rr(r)
    if exp_left:
        return prefix + "missing record: " + _fmt_rr(exp_left[0])
    return prefix + "records differ"


def compare(wire, expect, ignore_case=False):
    """Return None when equal, else a human readable description of the first
    difference. Raises on parse errors of `wire` (caller reports them)."""
    got_m = parse(wire)
    exp_m = parse(expect)
    got_h, _ = walk_wire(wire)
    exp_h, _ = walk_wire(expect)

    if got_m.id != exp_m.id:
        return "id %d, expected %d" % (got_m.id, exp_m.id)
    if got_h["flags"] != exp_h["flags"]:
        return "flags word 0x%04x, expected 0x%04x" % (got_h["flags"], exp_h["flags"])
    if got_m.opcode() != exp_m.opcode():
        return "opcode %d, expected %d" % (got_m.opcode(), exp_m.opcode())
    if got_m.rcode() != exp_m.rcode():
        return "rcode %d (%s), expected %d (%s)" % (
            got_m.rcode(), dns.rcode.to_text(got_m.rcode()),
            exp_m.rcode(), dns.rcode.to_text(exp_m.rcode()))
    for k in ("qdcount", "ancount", "nscount", "arcount"):
        if got_h[k] != exp_h[k]:
            return "header %s %d, expected %d" % (k, got_h[k], exp_h[k])

    gq = [(_name(r.name, ignore_case), int(r.rdtype), int(r.rdclass)) for r in got_m.question]
    eq = [(_name(r.name, ignore_case), int(r.rdtype), int(r.rdclass)) for r in exp_m.question]
    if gq != eq:
        for i in range(max(len(gq), len(eq))):
            g = gq[i] if i < len(gq) else None
            e = eq[i] if i < len(eq) else None
            if g != e:
                return "question[%d] %s, expected %s" % (i, g, e)

    for label, gs, es in (("answer", got_m.answer, exp_m.answer),
                          ("authority", got_m.authority, exp_m.authority),
                          ("additional", got_m.additional, exp_m.additional)):
        d = _compare_section(label, _records(gs, ignore_case), _records(es, ignore_case))
        if d:
            return d

    g_edns = got_m.opt is not None
    e_edns = exp_m.opt is not None
    if g_edns != e_edns:
        return "EDNS %s, expected %s" % ("present" if g_edns else "absent",
                                         "present" if e_edns else "absent")
    if g_edns:
        if got_m.edns != exp_m.edns:
            return "EDNS version %d, expected %d" % (got_m.edns, exp_m.edns)
        if got_m.payload != exp_m.payload:
            return "EDNS payload %d, expected %d" % (got_m.payload, exp_m.payload)
        gf = got_m.ednsflags & 0xFFFF
        ef = exp_m.ednsflags & 0xFFFF
        if gf != ef:
            return "EDNS flags 0x%04x, expected 0x%04x" % (gf, ef)
        if got_m.opt.name != dns.name.root or exp_m.opt.name != dns.name.root:
            if got_m.opt.name.to_text() != exp_m.opt.name.to_text():
                return "OPT owner %s, expected %s" % (got_m.opt.name, exp_m.opt.name)
        go = raw_opt_options(wire)
        eo = raw_opt_options(expect)
        if go != eo:
            for i in range(max(len(go), len(eo))):
                g = go[i] if i < len(go) else None
                e = eo[i] if i < len(eo) else None
                if g != e:
                    fmt = lambda o: "none" if o is None else "code %d data %s" % (o[0], o[1].hex() or "(empty)")
                    return "EDNS option[%d] %s, expected %s (got %d options, expected %d)" % (
                        i, fmt(g), fmt(e), len(go), len(eo))
    # TSIG is not expected in these tests; compare presence only.
    if (got_m.tsig is not None) != (exp_m.tsig is not None):
        return "TSIG presence differs"
    return None


def _err(e):
    return "%s: %s" % (type(e).__name__, e)


def main(argv):
    raw = False
    ignore_case = False
    for a in argv[1:]:
        if a == "--raw":
            raw = True
        elif a == "--ignore-case":
            ignore_case = True
        elif a in ("-h", "--help"):
            sys.stdout.write(__doc__ if __doc__ else "")
            print("usage: dnspython_check.py [--raw] [--ignore-case] < lines.jsonl")
            return 0
        else:
            print("usage: dnspython_check.py [--raw] [--ignore-case] < lines.jsonl",
                  file=sys.stderr)
            print("unknown argument: %s" % a, file=sys.stderr)
            return 2

    vectors = {}
    if not raw:
        try:
            with open(VECTORS, "r", encoding="ascii") as f:
                data = json.load(f)
            vectors = {v["name"]: v["wire"] for v in data["vectors"]}
        except Exception as e:  # noqa: BLE001
            print("cannot load %s: %s" % (VECTORS, _err(e)), file=sys.stderr)
            return 2

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        name = None
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("input line is not a JSON object")
            name = obj.get("name")
            if "wire" not in obj:
                raise ValueError("missing \"wire\"")
            if raw:
                if "expect" not in obj:
                    raise ValueError("missing \"expect\" (required with --raw)")
                expect_hex = obj["expect"]
            else:
                if name not in vectors:
                    raise ValueError("unknown vector name %r" % (name,))
                expect_hex = vectors[name]
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"name": name, "ok": False, "diff": "bad input line: " + _err(e)}))
            sys.stdout.flush()
            continue

        try:
            wire = bytes.fromhex(obj["wire"])
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"name": name, "ok": False, "diff": "bad hex in wire: " + _err(e)}))
            continue
        try:
            expect = bytes.fromhex(expect_hex)
            parse(expect)
            walk_wire(expect)
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"name": name, "ok": False,
                              "diff": "expected wire does not parse: " + _err(e)}))
            continue
        try:
            parse(wire)
            walk_wire(wire)
        except Exception as e:  # noqa: BLE001
            print(json.dumps({"name": name, "ok": False, "diff": "parse error: " + _err(e)}))
            continue
        try:
            d = compare(wire, expect, ignore_case)
        except Exception as e:  # noqa: BLE001
            d = "comparison failed: " + _err(e)
        print(json.dumps({"name": name, "ok": d is None, "diff": d or ""}))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
