#!/usr/bin/env python3
"""Generates the synthetic data of the whole-server benchmark (bench/server/run.sh), standard library only.

    gen.py WORKDIR [--w3-lines N] [--w3-files K]

Writes into WORKDIR, skipping any file that already exists with the same parameters (stamp files):

  bench.test.zone    Knot's zone: 100,000 names h0..h99999.bench.test (A), a wildcard *.w.bench.test (A), TTL 3600
  blocklist.hosts    1,000,000 synthetic names in hosts format ("0.0.0.0 name"), all under .test
  unbound-block.conf the same names as Unbound local-data ("name. A 0.0.0.0"), exact-name like the hosts file
  unbound-block-zone.conf  with --unbound-zones: the same names as always_null local-zones (subdomains too)
  w1.txt             W1, cache hits: 10,000 distinct zone names (every 10th), "name A"
  w2.txt             W2, blocked: 10,000 names of the blocklist (every 100th), "name A"
  w3-1.txt ...       W3, cache misses: N names each, every one unique ("r<file>-<n>.w.bench.test A")

Every name is under the special-use .test TLD (RFC 6761), and every address is from TEST-NET-2 (198.51.100.0/24)
or 0.0.0.0: nothing here names anything on the Internet.
"""

import argparse
import os
import sys

ZONE = "bench.test"
ZONE_NAMES = 100_000
BLOCK_NAMES = 1_000_000
W1_NAMES = 10_000
W2_NAMES = 10_000
TTL = 3600
PREFIXES = ("ads", "track", "px", "metrics", "stat", "beacon", "pixel", "tag", "adserver", "log", "telemetry", "promo")
SUBS = ("eu", "us", "cdn", "api", "img", "static", "m", "s1")


def block_name(i):
    """The i-th blocklist name: spread over ~260,000 parents and one to three labels deep, like real lists."""
    h = (i * 2654435761) & 0xFFFFFFFF
    prefix = PREFIXES[h % len(PREFIXES)]
    parent = f"d{(h >> 6) % 262139:x}"
    if (h >> 28) % 3 == 0:
        return f"{prefix}{i}.{SUBS[(h >> 20) % len(SUBS)]}.{parent}.test"
    return f"{prefix}{i}.{parent}.test"


def write_if_changed(path, stamp, produce):
    """Runs produce(file) into path unless path exists with the same stamp; writes through a temporary file."""
    stamp_path = path + ".stamp"
    if os.path.exists(path) and os.path.exists(stamp_path):
        with open(stamp_path, encoding="ascii") as f:
            if f.read() == stamp:
                return False
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii", buffering=1 << 20) as f:
        produce(f)
    os.replace(tmp, path)
    with open(stamp_path, "w", encoding="ascii") as f:
        f.write(stamp)
    print(f"gen.py: wrote {path}", file=sys.stderr)
    return True


def zone(f):
    f.write(f"$ORIGIN {ZONE}.\n$TTL {TTL}\n")
    f.write(f"@ SOA ns.{ZONE}. hostmaster.{ZONE}. 1 3600 900 604800 {TTL}\n")
    f.write(f"@ NS ns.{ZONE}.\nns A 198.51.100.254\n")
    f.write("*.w A 198.51.100.200\n")
    for start in range(0, ZONE_NAMES, 10_000):
        f.write("".join(f"h{i} A 198.51.100.{i % 250 + 1}\n" for i in range(start, min(start + 10_000, ZONE_NAMES))))


def chunks(total, size=50_000):
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def blocklist_hosts(f):
    f.write("# Synthetic blocklist for bench/server/run.sh: 1,000,000 names, hosts format, exact names.\n")
    for r in chunks(BLOCK_NAMES):
        f.write("".join(f"0.0.0.0 {block_name(i)}\n" for i in r))


def blocklist_unbound(f):
    # A transparent zone over .test: a name with local-data gets it (exactly that name, like a hosts entry);
    # every other name, subdomains of listed names included, is forwarded as usual. It also replaces Unbound's
    # built-in static zone for test., which would otherwise answer NXDOMAIN for the benchmark's zone.
    f.write('server:\n    local-zone: "test." transparent\n')
    for r in chunks(BLOCK_NAMES):
        f.write("".join(f'    local-data: "{block_name(i)}. A 0.0.0.0"\n' for i in r))


def blocklist_unbound_zones(f):
    # --unbound-blocking zone: one always_null local-zone per name (0.0.0.0 for A, :: for AAAA, like Palisade's
    # nullIp), which Unbound stores more compactly than local-data, but which also blocks every subdomain.
    f.write('server:\n    local-zone: "test." transparent\n')
    for r in chunks(BLOCK_NAMES):
        f.write("".join(f'    local-zone: "{block_name(i)}." always_null\n' for i in r))


def w1(f):
    step = ZONE_NAMES // W1_NAMES
    f.write("".join(f"h{i}.{ZONE} A\n" for i in range(0, ZONE_NAMES, step)))


def w2(f):
    step = BLOCK_NAMES // W2_NAMES
    f.write("".join(f"{block_name(i)} A\n" for i in range(0, BLOCK_NAMES, step)))


def w3(index, lines):
    def produce(f):
        for r in chunks(lines, 200_000):
            f.write("".join(f"r{index}-{n:x}.w.{ZONE} A\n" for n in r))

    return produce


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workdir")
    parser.add_argument("--w3-lines", type=int, default=3_000_000, help="unique names in each W3 file")
    parser.add_argument("--w3-files", type=int, default=3, help="W3 files, one per repetition")
    parser.add_argument("--unbound-zones", action="store_true", help="also write unbound-block-zone.conf")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    d = args.workdir
    write_if_changed(os.path.join(d, "bench.test.zone"), f"zone v1 {ZONE_NAMES} {TTL}", zone)
    write_if_changed(os.path.join(d, "blocklist.hosts"), f"hosts v1 {BLOCK_NAMES}", blocklist_hosts)
    write_if_changed(os.path.join(d, "unbound-block.conf"), f"unbound v1 {BLOCK_NAMES}", blocklist_unbound)
    if args.unbound_zones:
        write_if_changed(os.path.join(d, "unbound-block-zone.conf"), f"unbound-zone v1 {BLOCK_NAMES}", blocklist_unbound_zones)
    write_if_changed(os.path.join(d, "w1.txt"), f"w1 v1 {W1_NAMES}", w1)
    write_if_changed(os.path.join(d, "w2.txt"), f"w2 v1 {W2_NAMES} {BLOCK_NAMES}", w2)
    for k in range(1, args.w3_files + 1):
        write_if_changed(os.path.join(d, f"w3-{k}.txt"), f"w3 v1 {k} {args.w3_lines}", w3(k, args.w3_lines))


if __name__ == "__main__":
    main()
