#!/usr/bin/env python3
"""Figures for the whole-server benchmark (bench/server/run.sh), standard library only.

    report.py percentiles DNSPERF_VERBOSE_OUTPUT
        Reads the per-query lines of `dnsperf -v` ("> NOERROR name A 0.000123") and prints
        "p50<TAB>p99<TAB>mean<TAB>count", latencies in seconds.

    report.py counters DOTNET_COUNTERS.csv
        Reads a `dotnet-counters collect --format csv` file of dotnet.gc.collections and
        dotnet.gc.heap.total_allocated, sampled every second, and prints
        "gen0<TAB>gen1<TAB>gen2<TAB>allocated_bytes<TAB>floor_bytes_per_s<TAB>samples": the collections and bytes over
        the whole session, the smallest one-second allocation (the idle floor, the session's own included) and the
        number of samples.

    report.py report RESULTS.tsv --markdown OUT.md --json OUT.json
        Reads the raw figures run.sh wrote, takes the median of the repetitions and writes the tables.
"""

import argparse
import csv
import json
import re
import statistics
import sys

WORKLOADS = ("W1", "W2", "W3")
WORKLOAD_NAMES = {"W1": "W1 cache hits", "W2": "W2 blocked", "W3": "W3 cache misses"}
SERVERS = ("palisade", "unbound", "dnsmasq", "echo")
PEERS = ("unbound", "dnsmasq", "echo")
TITLE = {"palisade": "Palisade", "unbound": "Unbound", "dnsmasq": "dnsmasq", "echo": "echo (ceiling)"}


def percentiles(path):
    latencies = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("> "):
                try:
                    latencies.append(float(line.rsplit(None, 1)[1]))
                except (IndexError, ValueError):
                    pass
    if not latencies:
        print("NA\tNA\tNA\t0")
        return
    latencies.sort()

    def at(q):  # nearest rank
        return latencies[min(len(latencies) - 1, max(0, int(q * len(latencies) + 0.999999) - 1))]

    print(f"{at(0.50):.6f}\t{at(0.99):.6f}\t{statistics.fmean(latencies):.6f}\t{len(latencies)}")


def counters(path):
    gens = {"gen0": 0.0, "gen1": 0.0, "gen2": 0.0}
    allocated = []
    with open(path, encoding="utf-8", errors="replace") as f:
        rows = list(csv.reader(f))
    for row in rows[1:]:
        if len(row) < 5:
            continue
        name, value = row[2], num(row[-1])
        if value is None:
            continue
        if name.startswith("dotnet.gc.heap.total_allocated"):
            allocated.append(value)
        elif name.startswith("dotnet.gc.collections"):
            gen = re.search(r"gc\.heap\.generation=(gen[012])", name)
            if gen:
                gens[gen.group(1)] += value
    if not allocated:
        sys.exit(f"report.py: no dotnet.gc.heap.total_allocated samples in {path}")
    print(f"{gens['gen0']:.0f}\t{gens['gen1']:.0f}\t{gens['gen2']:.0f}\t{sum(allocated):.0f}\t{min(allocated):.0f}\t{len(allocated)}")


def num(text):
    try:
        return float(text)
    except ValueError:
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def read_raw(path):
    meta, servers, runs, lat, after, gc = {}, {}, {}, {}, {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            kind = p[0]
            if kind == "meta" and len(p) >= 3:
                meta[p[1]] = p[2]
            elif kind == "server":
                servers[(p[1], p[2])] = {"load_s": num(p[3]), "rss_load_kb": num(p[4])}
            elif kind == "run":
                layout, name, w, rep = p[1], p[2], p[3], int(p[4])
                sent, done, lost, qps, runtime, mean = (num(x) for x in p[5:11])
                rcodes, cpu_s, rss = p[11], num(p[12]), num(p[13])
                runs.setdefault((layout, name, w), []).append({
                    "rep": rep, "sent": sent, "completed": done, "lost": lost, "qps": qps, "runtime_s": runtime,
                    "mean_latency_s": mean, "server_cpu_s": cpu_s, "rss_kb": rss, "rcodes": rcodes,
                    "server_cores": cpu_s / runtime if cpu_s is not None and runtime else None,
                    "qps_per_core": done / cpu_s if cpu_s and done is not None else None,
                })
            elif kind == "lat":
                lat[(p[1], p[2], p[3])] = {"p50_s": num(p[4]), "p99_s": num(p[5]), "mean_s": num(p[6]), "count": num(p[7])}
            elif kind == "after":
                after[(p[1], p[2])] = num(p[3])
            elif kind == "gc":
                gen0, gen1, gen2, allocated, floor, samples = (num(x) for x in p[5:11])
                gc[(p[1], p[2], p[3], int(p[4]))] = {"gen0": gen0, "gen1": gen1, "gen2": gen2, "allocated_bytes": allocated,
                                                      "floor_bytes_per_s": floor, "samples": samples}
    for (layout, name, w), reps in runs.items():
        for r in reps:
            g = gc.get((layout, name, w, r["rep"]))
            if g is None:
                continue
            # Per query: what the session saw, less its idle floor (the session's own sampling allocates a little),
            # over the queries of the run.
            extra = max(0.0, g["allocated_bytes"] - g["floor_bytes_per_s"] * g["samples"])
            r["gc"] = dict(g, bytes_per_query=extra / r["completed"] if r["completed"] else None)
    return meta, servers, runs, lat, after


def summarize(meta, servers, runs, lat, after):
    layouts = []
    for key in list(servers) + [k[:2] for k in runs]:
        if key[0] not in layouts:
            layouts.append(key[0])
    result = {"meta": meta, "layouts": {}}
    for layout in layouts:
        present = [s for s in SERVERS if (layout, s) in servers]
        entry = {"servers": {}, "ratios": {}, "targets": []}
        for s in present:
            srv = {"load_s": servers[(layout, s)]["load_s"], "rss_load_mb": mb(servers[(layout, s)]["rss_load_kb"]),
                   "rss_after_mb": mb(after.get((layout, s))), "workloads": {}}
            for w in WORKLOADS:
                reps = runs.get((layout, s, w), [])
                if not reps:
                    continue
                fig = {k: median([r[k] for r in reps]) for k in
                       ("qps", "qps_per_core", "server_cores", "mean_latency_s", "lost", "sent", "rss_kb", "runtime_s")}
                fig["lost_pct"] = 100 * fig["lost"] / fig["sent"] if fig["sent"] else None
                fig["rss_after_mb"] = mb(fig.pop("rss_kb"))
                fig["p99_s"] = lat.get((layout, s, w), {}).get("p99_s")
                fig["p50_s"] = lat.get((layout, s, w), {}).get("p50_s")
                gcs = [r["gc"] for r in reps if "gc" in r]
                if gcs:
                    fig["gc"] = {k: median([g[k] for g in gcs]) for k in
                                 ("gen0", "gen1", "gen2", "allocated_bytes", "bytes_per_query", "floor_bytes_per_s", "samples")}
                fig["repetitions"] = reps
                srv["workloads"][w] = fig
            entry["servers"][s] = srv
        if "palisade" in entry["servers"]:
            pal = entry["servers"]["palisade"]
            for peer in PEERS:
                if peer not in entry["servers"]:
                    continue
                other = entry["servers"][peer]
                r = {}
                for w in WORKLOADS:
                    a, b = pal["workloads"].get(w), other["workloads"].get(w)
                    if a and b:
                        r[w] = {k: ratio(a[k], b[k]) for k in ("qps", "qps_per_core", "mean_latency_s", "p99_s")}
                r["load_s"] = ratio(pal["load_s"], other["load_s"])
                r["rss_load_mb"] = ratio(pal["rss_load_mb"], other["rss_load_mb"])
                r["rss_after_mb"] = ratio(pal["rss_after_mb"], other["rss_after_mb"])
                entry["ratios"][peer] = r
            entry["targets"] = targets(entry["ratios"])
        result["layouts"][layout] = entry
    return result


def targets(ratios):
    """The goals of the benchmark issue, each a ratio of Palisade's figure to a peer's in the same run."""
    rows = []

    def add(text, peer, path, op, limit):
        value = ratios.get(peer)
        for k in path:
            value = value.get(k) if isinstance(value, dict) else None
        met = None if value is None else (value >= limit if op == ">=" else value <= limit)
        rows.append({"target": text, "ratio": value, "limit": f"{op} {limit}", "met": met})

    add("W1 QPS per core ≥ 1.2× Unbound", "unbound", ("W1", "qps_per_core"), ">=", 1.2)
    add("W2 QPS per core ≥ 1.2× Unbound", "unbound", ("W2", "qps_per_core"), ">=", 1.2)
    add("W1 QPS per core ≥ 0.8× echo", "echo", ("W1", "qps_per_core"), ">=", 0.8)
    add("W2 QPS per core ≥ 0.8× echo", "echo", ("W2", "qps_per_core"), ">=", 0.8)
    add("W3 QPS per core ≥ 2× Unbound", "unbound", ("W3", "qps_per_core"), ">=", 2.0)
    add("RSS with 1M names ≤ ½ dnsmasq's", "dnsmasq", ("rss_load_mb",), "<=", 0.5)
    add("Load of 1M names ≤ dnsmasq's time", "dnsmasq", ("load_s",), "<=", 1.0)
    add("W1 p99 latency ≤ Unbound's", "unbound", ("W1", "p99_s"), "<=", 1.0)
    return rows


def mb(kb):
    return kb / 1024 if kb is not None else None


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(v, digits=0, scale=1.0):
    if v is None:
        return "–"
    v *= scale
    return f"{v:,.{digits}f}"


def fmt_ratio(v):
    return "–" if v is None else f"{v:.2f}×"


def markdown(summary):
    m = summary["meta"]
    out = ["# Whole-server benchmark results", ""]
    out.append(f"Measured {m.get('date', '?')} by `bench/server/run.sh` ({m.get('settings', '')}); "
               "how to read the figures: `bench/README.md`, \"Whole-server benchmark\".")
    out.append("")
    out.append(f"Load average when the run started: {m.get('load', '?')} (on a shared machine, other work skews every figure).")
    out += ["", "| | |", "|---|---|"]
    for key, label in (("cpu", "CPU"), ("cores", "Cores"), ("kernel", "Kernel"), ("palisade", "Palisade"), ("dotnet", ".NET SDK"),
                       ("dnsperf", "dnsperf"), ("knot", "Knot DNS (upstream)"), ("unbound", "Unbound"), ("dnsmasq", "dnsmasq")):
        if key in m:
            out.append(f"| {label} | {m[key]} |")
    for layout, entry in summary["layouts"].items():
        servers = entry["servers"]
        desc = ("server on CPU 0; dnsperf and Knot on CPU 1 (`taskset`)" if layout == "pinned"
                else "no pinning: the server, dnsperf and Knot share both cores")
        out += ["", f"## Layout: {layout}", "", desc + ".", ""]
        out += ["| Workload | Server | QPS | QPS per server core | Server CPU (cores) | Mean latency (ms) | p99 latency (ms) | Lost | RSS after (MB) |",
                "|---|---|--:|--:|--:|--:|--:|--:|--:|"]
        for w in WORKLOADS:
            for s in SERVERS:
                f = servers.get(s, {}).get("workloads", {}).get(w)
                if not f:
                    continue
                lost = f"{fmt(f['lost'])} ({fmt(f['lost_pct'], 2)} %)" if f["lost"] else "0"
                out.append(f"| {WORKLOAD_NAMES[w]} | {TITLE[s]} | {fmt(f['qps'])} | {fmt(f['qps_per_core'])} | "
                           f"{fmt(f['server_cores'], 2)} | {fmt(f['mean_latency_s'], 3, 1000)} | {fmt(f['p99_s'], 3, 1000)} | "
                           f"{lost} | {fmt(f['rss_after_mb'], 1)} |")
        gc_rows = [(w, servers["palisade"]["workloads"][w]["gc"]) for w in WORKLOADS
                   if "gc" in servers.get("palisade", {}).get("workloads", {}).get(w, {})]
        if gc_rows:
            out += ["", "Palisade's garbage collections and allocations during each run (`dotnet-counters`, sampled every second "
                    "from a second before the run to about 2 s after it; median of the repetitions). The cache-hit and blocked paths should "
                    "allocate nothing, so that the GC counts stay flat:", "",
                    "| Workload | GCs during the run (gen0/gen1/gen2) | Allocated during the run (MB) | Allocated per query (bytes) "
                    "| Idle floor (KB/s) |", "|---|--:|--:|--:|--:|"]
            for w, g in gc_rows:
                out.append(f"| {WORKLOAD_NAMES[w]} | {fmt(g['gen0'])}/{fmt(g['gen1'])}/{fmt(g['gen2'])} | "
                           f"{fmt(g['allocated_bytes'], 1, 1 / 1048576)} | {fmt(g['bytes_per_query'], 1)} | "
                           f"{fmt(g['floor_bytes_per_s'], 1, 1 / 1024)} |")
        out += ["", "| Server | Time until the blocklist answers (s) | RSS after loading (MB) | RSS after the run (MB) |",
                "|---|--:|--:|--:|"]
        for s in SERVERS:
            if s in servers:
                srv = servers[s]
                load = "– (no list)" if s == "echo" else fmt(srv["load_s"], 2)
                out.append(f"| {TITLE[s]} | {load} | {fmt(srv['rss_load_mb'], 1)} | {fmt(srv['rss_after_mb'], 1)} |")
        odd = [f"{TITLE[s]} {w} repetition {r['rep']}: {r['rcodes']}" for s in SERVERS for w in WORKLOADS
               for r in servers.get(s, {}).get("workloads", {}).get(w, {}).get("repetitions", [])
               if not re.fullmatch(r"NOERROR \d+ \(100\.00%\)", r["rcodes"].strip())]
        if odd:
            out += ["", "**Not every answer was NOERROR**, so those figures measure something else: " + "; ".join(odd) + "."]
        if entry["ratios"]:
            peers = [p for p in PEERS if p in entry["ratios"]]
            out += ["", "Palisade's figure divided by the peer's (for QPS, higher is better for Palisade; for latency, time and "
                    "memory, lower is):", ""]
            out.append("| Figure | " + " | ".join(f"Palisade ÷ {TITLE[p]}" for p in peers) + " |")
            out.append("|---|" + "--:|" * len(peers))
            for w in WORKLOADS:
                for key, label in (("qps", "QPS"), ("qps_per_core", "QPS per core"), ("mean_latency_s", "mean latency"),
                                   ("p99_s", "p99 latency")):
                    cells = [fmt_ratio(entry["ratios"][p].get(w, {}).get(key)) for p in peers]
                    out.append(f"| {WORKLOAD_NAMES[w]}: {label} | " + " | ".join(cells) + " |")
            for key, label in (("load_s", "time until the blocklist answers"), ("rss_load_mb", "RSS after loading"),
                               ("rss_after_mb", "RSS after the run")):
                cells = ["–" if p == "echo" and key == "load_s" else fmt_ratio(entry["ratios"][p].get(key)) for p in peers]
                out.append(f"| {label} | " + " | ".join(cells) + " |")
            out += ["", "| Target (from the benchmark issue) | Palisade's ratio | Met |", "|---|--:|:-:|"]
            for t in entry["targets"]:
                met = "–" if t["met"] is None else ("yes" if t["met"] else "**no**")
                value = "–" if t["ratio"] is None else f"{t['ratio']:.3f}×"
                out.append(f"| {t['target']} | {value} | {met} |")
    out.append("")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("percentiles")
    p.add_argument("file")
    c = sub.add_parser("counters")
    c.add_argument("file")
    r = sub.add_parser("report")
    r.add_argument("raw")
    r.add_argument("--markdown", required=True)
    r.add_argument("--json", required=True)
    args = parser.parse_args()
    if args.command == "percentiles":
        percentiles(args.file)
        return
    if args.command == "counters":
        counters(args.file)
        return
    summary = summarize(*read_raw(args.raw))
    with open(args.markdown, "w", encoding="utf-8") as f:
        f.write(markdown(summary))
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    print(f"report.py: wrote {args.markdown} and {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
