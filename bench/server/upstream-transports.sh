#!/usr/bin/env bash
# Cache misses through each upstream transport: bench/server/upstream-transports.sh [SECONDS] (default 10).
#
# Knot serves the benchmark zone (gen.py); one Unbound on 127.0.0.1 forwards to it and is reachable over plain
# UDP, DNS over TLS and DNS over HTTPS, with a certificate from `palisade cert self-signed`. Palisade is started
# three times, forwarding to that Unbound over udp://, tls:// (pinned) and https://; each time dnsperf first
# warms it (JIT, the TLS connection) for 2 s, then asks SECONDS of names never asked before (W3: every query a
# cache miss at Palisade and at Unbound). Prints QPS, mean latency, lost queries and Palisade's CPU per query, and
# each encrypted transport's ratio to UDP. Everything on 127.0.0.1, ports 15310-15314; every process is stopped.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${PALISADE_BENCH_WORK:-$HERE/.work}
SECONDS_RUN=${1:-10}
KNOT_PORT=15310 UDP_PORT=15311 TLS_PORT=15312 HTTPS_PORT=15313 PALISADE_PORT=15314
D=$WORK/transports
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

for tool in dnsperf knotd unbound kdig; do
    command -v "$tool" >/dev/null || { echo "missing $tool: run bench/server/run.sh --quick once (it installs what is needed)" >&2; exit 2; }
done

python3 "$HERE/gen.py" "$WORK" --w3-files 4 >/dev/null
dotnet build "$ROOT/src/Palisade/Palisade.csproj" -c Release --nologo -v quiet >/dev/null
PALISADE="$ROOT/src/Palisade/bin/Release/net10.0/palisade"
rm -rf "$D" && mkdir -p "$D/knot" "$D/certs"

"$PALISADE" cert self-signed --name bench.tls --name 127.0.0.1 --out "$D/certs" >"$D/cert.txt"
PIN=$(awk '/^SPKI pin:/ { print $3 }' "$D/cert.txt")

cat >"$D/knot.conf" <<CONF
server:
    rundir: "$D/knot"
    listen: 127.0.0.1@$KNOT_PORT
    udp-workers: 1
control:
    listen: "$D/knot/knot.sock"
database:
    storage: "$D/knot"
template:
  - id: default
    storage: "$D/knot"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: bench.test
    file: "$WORK/bench.test.zone"
CONF

cat >"$D/unbound.conf" <<CONF
server:
    num-threads: 1
    interface: 127.0.0.1@$UDP_PORT
    interface: 127.0.0.1@$TLS_PORT
    interface: 127.0.0.1@$HTTPS_PORT
    port: $UDP_PORT
    tls-port: $TLS_PORT
    https-port: $HTTPS_PORT
    tls-service-key: "$D/certs/palisade.key"
    tls-service-pem: "$D/certs/palisade.crt"
    so-reuseport: no
    do-ip6: no
    outgoing-interface: 127.0.0.1
    do-not-query-localhost: no
    module-config: "iterator"
    local-zone: "test." nodefault
    access-control: 127.0.0.0/8 allow
    incoming-num-tcp: 100
    username: ""
    chroot: ""
    directory: "$D"
    pidfile: "$D/unbound.pid"
    use-syslog: no
    logfile: ""
remote-control:
    control-enable: no
forward-zone:
    name: "."
    forward-addr: 127.0.0.1@$KNOT_PORT
    forward-first: no
CONF
grep -hE '^\s*(interface|forward-addr|listen): *[0-9]' "$D/knot.conf" "$D/unbound.conf" | grep -v '127\.0\.0\.1@' && { echo "a config names an address off loopback" >&2; exit 1; }

knotd -c "$D/knot.conf" >"$D/knot.log" 2>&1 & PIDS+=($!)
unbound -d -c "$D/unbound.conf" >"$D/unbound.log" 2>&1 & PIDS+=($!)
for _ in $(seq 100); do
    kdig +short +time=1 +retry=0 @127.0.0.1 -p "$UDP_PORT" h1.bench.test A 2>/dev/null | grep -q . && break
    sleep 0.1
done

ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
HZ=$(getconf CLK_TCK)
printf '| upstream | QPS | ratio to UDP | mean latency (ms) | lost | Palisade CPU per 1,000 queries (ms) |\n|---|--:|--:|--:|--:|--:|\n'
file=1
base=""
for transport in udp tls https; do
    case $transport in
        udp) upstream="udp://127.0.0.1:$UDP_PORT" ;;
        tls) upstream="tls://127.0.0.1:$TLS_PORT?pin=$PIN#bench.tls" ;;
        https) upstream="https://bench.tls:$HTTPS_PORT/dns-query?pin=$PIN#127.0.0.1" ;;
    esac
    cat >"$D/palisade.yml" <<CONF
listen: ["127.0.0.1:$PALISADE_PORT"]
upstreams: ["$upstream"]
bootstrap: []
# All the load comes from 127.0.0.1: no rate limit.
rateLimit:
  queriesPerSecond: 0
blocking:
  lists: []
dataDir: "$D/palisade-data"
log:
  level: warning
CONF
    SSL_CERT_FILE="$D/certs/palisade.crt" "$PALISADE" serve --config "$D/palisade.yml" >"$D/palisade-$transport.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    for _ in $(seq 100); do
        kdig +short +time=1 +retry=0 @127.0.0.1 -p "$PALISADE_PORT" h2.bench.test A 2>/dev/null | grep -q . && break
        sleep 0.1
    done
    dnsperf -s 127.0.0.1 -p "$PALISADE_PORT" -d "$WORK/w3-$file.txt" -n 1 -l 2 -q 200 >/dev/null 2>&1
    file=$((file + 1))
    before=$(ticks "$pid")
    out=$(dnsperf -s 127.0.0.1 -p "$PALISADE_PORT" -d "$WORK/w3-$file.txt" -n 1 -l "$SECONDS_RUN" -q 200 2>&1)
    after=$(ticks "$pid")
    file=$((file + 1))
    [ "$file" -le 4 ] || file=1
    qps=$(awk '/Queries per second:/ { print $4 }' <<<"$out")
    completed=$(awk '/Queries completed:/ { print $3 }' <<<"$out")
    lost=$(awk '/Queries lost:/ { print $3 }' <<<"$out")
    latency=$(awk '/Average Latency \(s\):/ { printf "%.2f", $4 * 1000 }' <<<"$out")
    cpu=$(awk -v t=$((after - before)) -v hz="$HZ" -v n="$completed" 'BEGIN { printf "%.1f", n ? t / hz * 1000000 / n : 0 }')
    base=${base:-$qps}
    ratio=$(awk -v a="$qps" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
    printf '| %s | %.0f | %s | %s | %s | %s |\n' "$transport" "$qps" "$ratio" "$latency" "$lost" "$cpu"
    grep -E 'warn|fail' "$D/palisade-$transport.log" | head -3 >&2 || true
    kill "$pid"; wait "$pid" 2>/dev/null || true
done
