#!/usr/bin/env bash
# The whole-server benchmark: Palisade against Unbound, dnsmasq and a trivial echo responder (the ceiling), all
# forwarding to the same Knot DNS upstream with the same 1,000,000-name blocklist, measured with dnsperf.
# See bench/README.md ("Whole-server benchmark") for what it measures and how to read the figures.
#
#   bench/server/run.sh [--quick] [--layout pinned|unpinned|both] [--servers palisade,unbound,dnsmasq,echo]
#                       [--out FILE] [--duration S] [--reps N] [--dnsperf-opts '...'] [--unbound-blocking data|zone]
#                       [--no-build] [--no-install]
#
# Everything runs on 127.0.0.1 on high ports (15300-15304 by default; PALISADE_BENCH_PORT_BASE moves them), as the
# current user, with configs written here into the work directory; every process it starts is stopped on exit,
# Ctrl-C included. No server it starts can reach anything but 127.0.0.1: Palisade, Unbound and dnsmasq are given
# only Knot on 127.0.0.1 as upstream, and no root hints, resolv.conf or remote list.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${PALISADE_BENCH_WORK:-$HERE/.work}

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# ---------------------------------------------------------------------------------------------------- options
QUICK=0 LAYOUT=both SERVERS=palisade,unbound,dnsmasq,echo OUT=$ROOT/bench/RESULTS.md
DURATION="" REPS="" DNSPERF_OPTS="-c 4 -T 2 -q 200" UNBOUND_BLOCKING=data BUILD=1 INSTALL=1
while (($#)); do
    case "$1" in
        --quick) QUICK=1 ;;
        --layout) LAYOUT=${2:?}; shift ;;
        --servers) SERVERS=${2:?}; shift ;;
        --out) OUT=${2:?}; shift ;;
        --duration) DURATION=${2:?}; shift ;;
        --reps) REPS=${2:?}; shift ;;
        --dnsperf-opts) DNSPERF_OPTS=${2:?}; shift ;;
        --unbound-blocking) UNBOUND_BLOCKING=${2:?}; shift ;;
        --no-build) BUILD=0 ;;
        --no-install) INSTALL=0 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
if ((QUICK)); then : "${DURATION:=2}" "${REPS:=1}"; else : "${DURATION:=10}" "${REPS:=3}"; fi
case "$LAYOUT" in both) LAYOUTS=(unpinned pinned) ;; pinned | unpinned) LAYOUTS=("$LAYOUT") ;; *) echo "run.sh: --layout pinned|unpinned|both" >&2; exit 2 ;; esac
case "$UNBOUND_BLOCKING" in data | zone) ;; *) echo "run.sh: --unbound-blocking data|zone" >&2; exit 2 ;; esac
IFS=, read -r -a SERVER_LIST <<<"$SERVERS"
for s in "${SERVER_LIST[@]}"; do
    case "$s" in palisade | unbound | dnsmasq | echo) ;; *) echo "run.sh: unknown server '$s'" >&2; exit 2 ;; esac
done
[[ "$DURATION" =~ ^[0-9]+$ && "$REPS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --duration and --reps take whole numbers" >&2; exit 2; }
if [[ "$OUT" != /* ]]; then OUT=$PWD/$OUT; fi

BASE=${PALISADE_BENCH_PORT_BASE:-15300}
KNOT_PORT=$BASE
declare -A PORT=([palisade]=$((BASE + 1)) [unbound]=$((BASE + 2)) [dnsmasq]=$((BASE + 3)) [echo]=$((BASE + 4)))
LOAD_TIMEOUT=${PALISADE_BENCH_LOAD_TIMEOUT:-300}   # seconds a server may take to answer its first blocked name
W3_LINES=3000000                                    # unique names per W3 file: 10 s at 300k QPS
PALISADE_BIN=$ROOT/src/Palisade/bin/Release/net10.0/palisade
ECHO_BIN=$HERE/EchoResponder/bin/Release/net10.0/echo-responder
COUNTERS_VERSION=10.0.750501                        # dotnet-counters, for Palisade's GC figures (W1, W2)
COUNTERS_BIN=$WORK/tools/dotnet-counters
CLK_TCK=$(getconf CLK_TCK)

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------------- processes
# Every process started in the background is recorded here and stopped by stop_pid or, at the latest, by cleanup.
PIDS=()
stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "pid $pid ignored SIGTERM for 10 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}
# forget_pid PID: drops a process that has ended from PIDS, so that cleanup never signals a reused PID.
forget_pid() {
    local -a keep=()
    local p
    for p in "${PIDS[@]}"; do if [ "$p" != "$1" ]; then keep+=("$p"); fi; done
    PIDS=("${keep[@]}")
}
cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# start_bg LOGFILE COMMAND...: starts COMMAND in the background, records its PID in BG_PID (taskset execs the command,
# so a pinned server's PID is the server's own).
start_bg() {
    local logfile=$1; shift
    "$@" >"$logfile" 2>&1 &
    BG_PID=$!
    PIDS+=("$BG_PID")
}

port_free() { ! ss -Hlun "sport = :$1" 2>/dev/null | grep -q . && ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# ---------------------------------------------------------------------------------------------------- install
# Debian packages, installed only when missing. Their init scripts are kept from starting daemons during the
# install (a temporary policy-rc.d, unless one is there already), and any service of a package installed here is
# stopped and disabled afterwards, so that nothing is left listening on port 53.
install_missing() {
    local -a need=()
    command -v dnsperf >/dev/null || need+=(dnsperf)
    [ -x /usr/sbin/knotd ] || command -v knotd >/dev/null || need+=(knot)
    command -v dig >/dev/null || need+=(bind9-dnsutils)
    command -v taskset >/dev/null || need+=(util-linux)
    command -v ss >/dev/null || need+=(iproute2)
    command -v python3 >/dev/null || need+=(python3)
    [[ ",$SERVERS," != *,unbound,* ]] || [ -x /usr/sbin/unbound ] || command -v unbound >/dev/null || need+=(unbound)
    [[ ",$SERVERS," != *,dnsmasq,* ]] || [ -x /usr/sbin/dnsmasq ] || command -v dnsmasq >/dev/null || need+=(dnsmasq)
    ((${#need[@]})) || return 0
    ((INSTALL)) || die "missing ${need[*]} (and --no-install given)"
    local sudo="" policy=/usr/sbin/policy-rc.d made_policy=0 p
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    log "installing ${need[*]}"
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy" && made_policy=1
    fi
    local status=0
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null; } || status=$?
    ((made_policy)) && $sudo rm -f "$policy"
    ((status == 0)) || die "apt-get install ${need[*]} failed"
    for p in "${need[@]}"; do
        case "$p" in knot | unbound | dnsmasq) ;; *) continue ;; esac
        if [ -d /run/systemd/system ]; then
            $sudo systemctl disable --now "$p" >/dev/null 2>&1 || true
        elif [ -x "/etc/init.d/$p" ]; then
            $sudo service "$p" stop >/dev/null 2>&1 || true
        fi
    done
}

# dotnet-counters (a .NET global tool, installed into the work directory, not globally), only when Palisade is measured
# and the tool is missing. Without it the run goes on, without the GC figures.
install_counters() {
    [[ ",$SERVERS," == *,palisade,* ]] || return 0
    [ -x "$COUNTERS_BIN" ] && return 0
    if ((INSTALL)); then
        log "installing dotnet-counters $COUNTERS_VERSION into $WORK/tools"
        if timeout 300 dotnet tool install dotnet-counters --version "$COUNTERS_VERSION" --tool-path "$WORK/tools" \
            >"$WORK/logs/install-dotnet-counters.log" 2>&1; then
            return 0
        fi
        log "warning: dotnet-counters did not install (see $WORK/logs/install-dotnet-counters.log); no GC figures"
    else
        log "warning: no $COUNTERS_BIN (and --no-install given); no GC figures"
    fi
}

# ---------------------------------------------------------------------------------------------------- build
build() {
    local need_palisade=0 need_echo=0 s
    for s in "${SERVER_LIST[@]}"; do
        if [ "$s" = palisade ]; then need_palisade=1; fi
        if [ "$s" = echo ]; then need_echo=1; fi
    done
    if ((need_palisade)); then
        if ((BUILD)); then
            log "building Palisade (Release)"
            if ! dotnet build -c Release "$ROOT/src/Palisade/Palisade.csproj" -nologo -v q >"$WORK/logs/build-palisade.log" 2>&1; then
                [ -x "$PALISADE_BIN" ] || { tail -20 "$WORK/logs/build-palisade.log" >&2; die "Palisade does not build"; }
                log "warning: Palisade did not build (see $WORK/logs/build-palisade.log); using the last built binary"
                BUILD_NOTE="the Palisade build failed at the time; the last built binary was measured"
            fi
        fi
        [ -x "$PALISADE_BIN" ] || die "no $PALISADE_BIN (run without --no-build)"
    fi
    if ((need_echo)); then
        if ((BUILD)) || [ ! -x "$ECHO_BIN" ]; then
            log "building the echo responder (Release)"
            dotnet build -c Release "$HERE/EchoResponder/EchoResponder.csproj" -nologo -v q >"$WORK/logs/build-echo.log" 2>&1 ||
                { tail -20 "$WORK/logs/build-echo.log" >&2; die "the echo responder does not build"; }
        fi
    fi
}

# ---------------------------------------------------------------------------------------------------- configs
write_configs() {
    local d=$WORK/run
    rm -rf "$d"
    mkdir -p "$d/knot" "$d/unbound" "$d/palisade-data"
    cat >"$d/knot.conf" <<EOF
server:
    rundir: "$d/knot"
    listen: 127.0.0.1@$KNOT_PORT
    udp-workers: 2
    tcp-workers: 1
    background-workers: 1
control:
    listen: "$d/knot/knot.sock"
log:
  - target: stderr
    any: warning
database:
    storage: "$d/knot"
template:
  - id: default
    storage: "$d/knot"
    zonefile-load: whole
    zonefile-sync: -1
    journal-content: none
    dnssec-signing: off
zone:
  - domain: bench.test
    file: "$WORK/bench.test.zone"
EOF
    # Palisade: the default blocked answer (nullIp: 0.0.0.0 for A) for exact names from the hosts file.
    cat >"$d/palisade.yml" <<EOF
listen: ["127.0.0.1:${PORT[palisade]}"]
upstreams: ["udp://127.0.0.1:$KNOT_PORT"]
dataDir: "$d/palisade-data"
cache:
  maxSize: 256MB
# dnsperf sends every query from 127.0.0.1; the peers do not rate-limit either (Unbound's ratelimit is off by default).
rateLimit:
  queriesPerSecond: 0
blocking:
  lists: ["$WORK/blocklist.hosts"]
  refreshInterval: 24h
log:
  level: warning
EOF
    # Unbound: forwarding only, to Knot, never recursing (forward-first: no; queries leave from 127.0.0.1 only);
    # the blocklist as local-data "name. A 0.0.0.0" in a transparent zone: the same exact-name semantics and the
    # same answer as Palisade's (or, with --unbound-blocking zone, as one always_null local-zone per name, which
    # answers 0.0.0.0 too but also for every subdomain).
    local block=$WORK/unbound-block.conf
    if [ "$UNBOUND_BLOCKING" = zone ]; then block=$WORK/unbound-block-zone.conf; fi
    cat >"$d/unbound.conf" <<EOF
server:
    interface: 127.0.0.1
    port: ${PORT[unbound]}
    interface-automatic: no
    do-ip6: no
    outgoing-interface: 127.0.0.1
    do-not-query-localhost: no
    access-control: 127.0.0.0/8 allow
    username: ""
    chroot: ""
    directory: "$d/unbound"
    pidfile: "$d/unbound/unbound.pid"
    use-syslog: no
    logfile: ""
    verbosity: 0
    num-threads: @THREADS@
    so-rcvbuf: 4m
    msg-cache-size: 128m
    rrset-cache-size: 128m
    module-config: "iterator"
    prefetch: yes
include: "$block"
forward-zone:
    name: "."
    forward-addr: 127.0.0.1@$KNOT_PORT
    forward-first: no
EOF
    # dnsmasq: only Knot as upstream (no resolv.conf, no /etc/hosts); the same hosts file as Palisade's through
    # addn-hosts (exact names, 0.0.0.0). cache-size 20000 holds W1's 10,000 names twice over; dnsmasq allocates its
    # cache up front and warns that more than 10,000 is unlikely to help, so a larger one would only inflate its RSS.
    cat >"$d/dnsmasq.conf" <<EOF
port=${PORT[dnsmasq]}
listen-address=127.0.0.1
bind-interfaces
no-resolv
no-poll
no-hosts
server=127.0.0.1#$KNOT_PORT
cache-size=20000
dns-forward-max=4096
addn-hosts=$WORK/blocklist.hosts
pid-file=
log-facility=-
EOF
    if [ "$(id -u)" -eq 0 ]; then echo "user=root" >>"$d/dnsmasq.conf"; fi
    # Make sure no config names anything but loopback.
    if grep -hoE '([0-9]{1,3}\.){3}[0-9]{1,3}' "$d"/*.conf "$d"/*.yml | grep -vE '^127\.' | grep -q .; then
        die "a generated config names a non-loopback address"
    fi
}

# ---------------------------------------------------------------------------------------------------- measuring
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }   # utime + stime (fields 14, 15)
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
now() { date +%s.%N; }
alive() { kill -0 "$1" 2>/dev/null; }

FIRST_BLOCKED=""   # the first W2 name, set after generation
# wait_ready NAME PID PORT: polls every 50 ms, bounded by LOAD_TIMEOUT, until a blocked name answers 0.0.0.0
# (for echo: until anything answers). Sets READY_S to the seconds since the server was started (START_TIME).
wait_ready() {
    local name=$1 pid=$2 port=$3 deadline answer
    deadline=$(($(date +%s) + LOAD_TIMEOUT))
    while (($(date +%s) < deadline)); do
        alive "$pid" || { tail -20 "$WORK/logs/$name.log" >&2; die "$name exited while starting"; }
        if [ "$name" = echo ]; then
            answer=$(dig +tries=1 +time=1 -p "$port" @127.0.0.1 "$FIRST_BLOCKED" A 2>/dev/null | grep -c 'status:' || true)
            [ "$answer" = 1 ] && { READY_S=$(awk -v a="$START_TIME" -v b="$(now)" 'BEGIN { printf "%.3f\n", b - a }'); return 0; }
        else
            answer=$(dig +short +tries=1 +time=1 -p "$port" @127.0.0.1 "$FIRST_BLOCKED" A 2>/dev/null || true)
            [ "$answer" = 0.0.0.0 ] && { READY_S=$(awk -v a="$START_TIME" -v b="$(now)" 'BEGIN { printf "%.3f\n", b - a }'); return 0; }
        fi
        sleep 0.05
    done
    die "$name did not answer a blocked name within $LOAD_TIMEOUT s (see $WORK/logs/$name.log)"
}

# start_server NAME LAYOUT: starts it (pinned to CPU 0 in the pinned layout) and sets SERVER_PID and START_TIME.
start_server() {
    local name=$1 layout=$2 threads=2
    local -a pin=()
    if [ "$layout" = pinned ]; then pin=(taskset -c 0); threads=1; fi
    port_free "${PORT[$name]}" || die "port ${PORT[$name]} is in use (set PALISADE_BENCH_PORT_BASE)"
    local logfile=$WORK/logs/$name.log
    START_TIME=$(now)
    case "$name" in
        palisade) start_bg "$logfile" "${pin[@]}" "$PALISADE_BIN" serve --config "$WORK/run/palisade.yml" ;;
        unbound)
            sed "s/@THREADS@/$threads/" "$WORK/run/unbound.conf" >"$WORK/run/unbound-$layout.conf"
            start_bg "$logfile" "${pin[@]}" unbound -d -c "$WORK/run/unbound-$layout.conf" ;;
        dnsmasq) start_bg "$logfile" "${pin[@]}" dnsmasq -k --conf-file="$WORK/run/dnsmasq.conf" ;;
        echo) start_bg "$logfile" "${pin[@]}" "$ECHO_BIN" --listen "127.0.0.1:${PORT[echo]}" ;;
    esac
    SERVER_PID=$BG_PID
}

# dnsperf_run PORT FILE SECONDS OUTPUT EXTRA...: runs dnsperf (pinned to CPU 1 in the pinned layout) into OUTPUT. It
# runs in the background and is waited for, so that Ctrl-C or SIGTERM is handled at once, not after the run.
dnsperf_run() {
    local port=$1 file=$2 seconds=$3 output=$4 pid status=0; shift 4
    # shellcheck disable=SC2086 # DNSPERF_OPTS is a list of options
    "${CLIENT_PIN[@]}" dnsperf -s 127.0.0.1 -p "$port" -d "$file" -l "$seconds" $DNSPERF_OPTS "$@" >"$output" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait "$pid" || status=$?
    forget_pid "$pid"
    return "$status"
}

# The figures dnsperf prints: sent, completed, lost, QPS, run time, mean latency (s), and the response codes.
parse_dnsperf() {
    awk '/Queries sent:/ { sent = $3 } /Queries completed:/ { done = $3 } /Queries lost:/ { lost = $3 }
         /Queries per second:/ { qps = $4 } /Run time \(s\):/ { rt = $4 } /Average Latency \(s\):/ { lat = $4 }
         /Response codes:/ { sub(/^ *Response codes: */, ""); rc = $0 }
         END { if (qps == "") exit 1; printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", sent, done, lost, qps, rt, lat, rc }'
}

# check_answers NAME PORT: before measuring, one query of each workload must get the answer it is meant to measure.
check_answers() {
    local name=$1 port=$2 got
    [ "$name" = echo ] && return 0
    got=$(dig +short +tries=2 +time=2 -p "$port" @127.0.0.1 h0.bench.test A 2>/dev/null || true)
    [ "$got" = 198.51.100.1 ] || die "$name answered h0.bench.test with '$got', not 198.51.100.1"
    got=$(dig +short +tries=2 +time=2 -p "$port" @127.0.0.1 check-0.w.bench.test A 2>/dev/null || true)
    [ "$got" = 198.51.100.200 ] || die "$name answered check-0.w.bench.test with '$got', not 198.51.100.200"
    got=$(dig +short +tries=2 +time=2 -p "$port" @127.0.0.1 "sub.$FIRST_BLOCKED" A 2>/dev/null | head -1 || true)
    [ "$got" != 0.0.0.0 ] || log "warning: $name blocks sub.$FIRST_BLOCKED too (not exact-name blocking)"
    return 0
}

workload_file() {   # workload_file W REP
    case "$1" in W1) echo "$WORK/w1.txt" ;; W2) echo "$WORK/w2.txt" ;; W3) echo "$WORK/w3-$2.txt" ;; esac
}

# counters_start PID OUTPUT SECONDS: a dotnet-counters session on the .NET process PID (Palisade) sampling, every
# second, its GC counts by generation and the bytes it allocated, for SECONDS, then writing OUTPUT (CSV) and ending by
# itself (a session stopped by a signal writes nothing). Returns once the session is attached (it says so; at most
# 15 s) and one more second has passed, so that what follows is inside it. Sets COUNTERS_PID (empty without the tool).
counters_start() {
    local i
    COUNTERS_PID=""
    [ -x "$COUNTERS_BIN" ] || return 0
    rm -f "$2"
    start_bg "$2.log" "${CLIENT_PIN[@]}" "$COUNTERS_BIN" collect -p "$1" --format csv --refresh-interval 1 \
        --duration "$(printf '00:%02d:%02d:%02d' $(($3 / 3600)) $(($3 / 60 % 60)) $(($3 % 60)))" -o "$2" \
        --counters 'System.Runtime[dotnet.gc.collections,dotnet.gc.heap.total_allocated]'
    COUNTERS_PID=$BG_PID
    for ((i = 0; i < 150; i++)); do
        grep -q 'Starting a counter session' "$2.log" 2>/dev/null && break
        alive "$COUNTERS_PID" || break
        sleep 0.1
    done
    ((i < 150)) && alive "$COUNTERS_PID" || log "warning: dotnet-counters did not attach to $1 (see $2.log)"
    sleep 1
}

# counters_finish OUTPUT SECONDS: waits (bounded) for the session to end by itself and sets GC_FIG to its figures (see
# report.py counters), or to nothing when it wrote none. Not to be run in a subshell: it forgets the session's PID.
counters_finish() {
    local output=$1 seconds=$2 i
    GC_FIG=""
    [ -n "$COUNTERS_PID" ] || return 0
    for ((i = 0; i < (seconds + 15) * 10; i++)); do alive "$COUNTERS_PID" || break; sleep 0.1; done
    stop_pid "$COUNTERS_PID"
    if [ -s "$output" ]; then
        GC_FIG=$(python3 "$HERE/report.py" counters "$output") || GC_FIG=""
    fi
    [ -n "$GC_FIG" ] || log "warning: dotnet-counters wrote no figures (see $output.log)"
}

bench_server() {
    local name=$1 layout=$2 port=${PORT[$1]} load rss_load w rep file out fig c0 c1 rss pid
    log "$layout: starting $name"
    start_server "$name" "$layout"
    pid=$SERVER_PID
    wait_ready "$name" "$pid" "$port"
    load=$READY_S
    rss_load=$(rss_kb "$pid")
    if [ "$name" = echo ]; then load=NA; fi
    log "$layout: $name answers blocked names after ${load} s, RSS $((rss_load / 1024)) MB"
    printf 'server\t%s\t%s\t%s\t%s\n' "$layout" "$name" "$load" "$rss_load" >>"$RAW"
    check_answers "$name" "$port"

    for w in W1 W2 W3; do
        # Warm-up: W1 fills the cache (two passes), W2 runs once; W3 cannot be warmed (every name is new).
        case "$w" in
            W1) dnsperf_run "$port" "$WORK/w1.txt" 60 "$WORK/logs/$layout-$name-$w-warm.txt" -n 2 || die "dnsperf failed (warm-up)" ;;
            W2) dnsperf_run "$port" "$WORK/w2.txt" 60 "$WORK/logs/$layout-$name-$w-warm.txt" -n 1 || die "dnsperf failed (warm-up)" ;;
        esac
        for ((rep = 1; rep <= REPS; rep++)); do
            file=$(workload_file "$w" "$rep")
            local -a extra=()
            if [ "$w" = W3 ]; then extra=(-n 1); fi   # never wrap around: a repeated name would be a cache hit
            alive "$pid" || die "$name died (see $WORK/logs/$name.log)"
            # Palisade's GC counts and allocations over W1 and W2 (cache hits and blocked names allocate nothing,
            # so the counts stay flat): a session that starts a second before the run and ends about 2 s after it.
            local gc_session=0 counters=$WORK/logs/$layout-$name-$w-$rep-counters.csv
            if [ "$name" = palisade ] && [ "$w" != W3 ] && [ -x "$COUNTERS_BIN" ]; then
                gc_session=1
                counters_start "$pid" "$counters" $((DURATION + 4))
            fi
            c0=$(cpu_ticks "$pid")
            out=$WORK/logs/$layout-$name-$w-$rep.txt
            dnsperf_run "$port" "$file" "$DURATION" "$out" "${extra[@]}" || true
            c1=$(cpu_ticks "$pid")
            if ((gc_session)); then
                counters_finish "$counters" $((DURATION + 4))
                if [ -n "$GC_FIG" ]; then
                    printf 'gc\t%s\t%s\t%s\t%s\t%s\n' "$layout" "$name" "$w" "$rep" "$GC_FIG" >>"$RAW"
                    log "$layout: $name $w rep $rep: GCs gen0/gen1/gen2 $(cut -f1-3 <<<"$GC_FIG" | tr '\t' /), $(cut -f4 <<<"$GC_FIG") bytes allocated"
                fi
            fi
            fig=$(parse_dnsperf <"$out") || { tail -20 "$out" >&2; die "dnsperf failed against $name"; }
            rss=$(rss_kb "$pid")
            printf 'run\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$layout" "$name" "$w" "$rep" "$fig" \
                "$(awk -v t="$((c1 - c0))" -v hz="$CLK_TCK" 'BEGIN { printf "%.3f", t / hz }')" "$rss" >>"$RAW"
            if ! grep -q 'NOERROR [0-9]* (100.00%)' <<<"$(cut -f7 <<<"$fig")"; then log "warning: $name $w: $(cut -f7 <<<"$fig")"; fi
            log "$layout: $name $w rep $rep: $(cut -f4 <<<"$fig" | cut -d. -f1) QPS, server CPU $(awk -v t="$((c1 - c0))" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }') s"
        done
        # Latency: one more run with dnsperf -v (each query's latency); -v slows dnsperf by about a quarter, so
        # this run gives the percentiles and the QPS runs above give everything else.
        file=$(workload_file "$w" $((REPS + 1)))
        local -a extra=()
        if [ "$w" = W3 ]; then extra=(-n 1); fi
        dnsperf_run "$port" "$file" "$DURATION" "$WORK/logs/$layout-$name-$w-verbose.txt" "${extra[@]}" -v || true
        python3 "$HERE/report.py" percentiles "$WORK/logs/$layout-$name-$w-verbose.txt" |
            awk -v l="$layout" -v n="$name" -v w="$w" '{ printf "lat\t%s\t%s\t%s\t%s\n", l, n, w, $0 }' >>"$RAW"
        rm -f "$WORK/logs/$layout-$name-$w-verbose.txt"
    done
    printf 'after\t%s\t%s\t%s\n' "$layout" "$name" "$(rss_kb "$pid")" >>"$RAW"
    stop_pid "$pid"
}

versions() {
    local palisade_version="" dotnet_version
    if [ -x "$PALISADE_BIN" ]; then palisade_version=$("$PALISADE_BIN" --version 2>/dev/null | head -1); fi
    dotnet_version=$(dotnet --version 2>/dev/null || echo "?")
    printf 'date\t%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf 'cpu\t%s\n' "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
    printf 'cores\t%s\n' "$(nproc)"
    printf 'kernel\t%s\n' "$(uname -sr)"
    printf 'palisade\t%s (commit %s%s)\n' "$palisade_version" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ', src modified')"
    printf 'dotnet\t%s\n' "$dotnet_version"
    printf 'dnsperf\t%s\n' "$(dnsperf -H 2>&1 | awk '/^Version/ { print $2; exit }')"
    printf 'knot\t%s\n' "$(knotd --version 2>&1 | awk '{ print $NF; exit }')"
    if command -v unbound >/dev/null; then printf 'unbound\t%s\n' "$(unbound -V 2>&1 | awk '/^Version/ { print $2; exit }')"; fi
    if command -v dnsmasq >/dev/null; then printf 'dnsmasq\t%s\n' "$(dnsmasq --version 2>&1 | awk '{ print $3; exit }')"; fi
    printf 'settings\tduration %s s, %s repetition(s), dnsperf %s, unbound blocking: %s%s\n' "$DURATION" "$REPS" "$DNSPERF_OPTS" \
        "$UNBOUND_BLOCKING" "${BUILD_NOTE:+; $BUILD_NOTE}"
    printf 'load\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# ---------------------------------------------------------------------------------------------------- main
BUILD_NOTE=""
started=$(date +%s)
mkdir -p "$WORK/logs"
install_missing
install_counters
build
log "generating the zone, the blocklist and the query files in $WORK (once)"
python3 "$HERE/gen.py" "$WORK" --w3-lines "$W3_LINES" --w3-files $((REPS + 1)) $([ "$UNBOUND_BLOCKING" = zone ] && echo --unbound-zones)
FIRST_BLOCKED=$(awk '{ print $1; exit }' "$WORK/w2.txt")
write_configs

RAW=$WORK/results.tsv
: >"$RAW"
versions | sed 's/^/meta\t/' >>"$RAW"
for layout in "${LAYOUTS[@]}"; do
    CLIENT_PIN=()
    if [ "$layout" = pinned ]; then CLIENT_PIN=(taskset -c 1); fi
    port_free "$KNOT_PORT" || die "port $KNOT_PORT is in use (set PALISADE_BENCH_PORT_BASE)"
    start_bg "$WORK/logs/knot-$layout.log" "${CLIENT_PIN[@]}" knotd -c "$WORK/run/knot.conf"
    KNOT_PID=$BG_PID
    for ((i = 0; i < 100; i++)); do
        [ "$(dig +short +tries=1 +time=1 -p "$KNOT_PORT" @127.0.0.1 h0.bench.test A 2>/dev/null)" = 198.51.100.1 ] && break
        alive "$KNOT_PID" || { cat "$WORK/logs/knot-$layout.log" >&2; die "knotd exited"; }
        sleep 0.1
    done
    ((i < 100)) || die "knotd did not answer within 10 s"
    for s in "${SERVER_LIST[@]}"; do bench_server "$s" "$layout"; done
    stop_pid "$KNOT_PID"
done

mkdir -p "$(dirname "$OUT")"
python3 "$HERE/report.py" report "$RAW" --markdown "$OUT" --json "$WORK/results.json"
log "done in $((($(date +%s) - started) / 60)) min $((($(date +%s) - started) % 60)) s: $OUT, $WORK/results.json, raw figures in $RAW"
