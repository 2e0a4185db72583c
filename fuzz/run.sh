#!/usr/bin/env bash
# A fuzzing campaign: fuzz/run.sh TARGET [SECONDS] (default 600), from anywhere in the checkout.
#
# Installs what is missing (Debian's afl++, and the SharpFuzz.CommandLine tool from .config/dotnet-tools.json),
# publishes fuzz/Palisade.Fuzz in Release, instruments the Palisade assemblies (and YamlDotNet for `config`) with
# sharpfuzz, runs afl-fuzz for SECONDS from the seed corpus fuzz/corpus/TARGET, and prints what it did.
# Findings go to fuzz/findings/TARGET-<time>/ (ignored by git); crashes are in its default/crashes/.
# Exit status: 0 when no crash was found, 1 when one was, 2 on a usage or setup error.
#
# Environment: PALISADE_FUZZ_NO_BUILD=1 reuses fuzz/out/publish when it is there (fuzz/ci.sh builds once).
set -euo pipefail
cd "$(dirname "$0")/.."

targets="wire hosts domains adblock config pipeline"
target=${1:-}
seconds=${2:-600}
if [[ ! " $targets " == *" $target "* ]] || [[ ! "$seconds" =~ ^[0-9]+$ ]]; then
    echo "usage: fuzz/run.sh {${targets// /|}} [SECONDS]" >&2
    exit 2
fi

if ! command -v afl-fuzz >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "run.sh: installing afl++"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq afl++ >/dev/null
fi
dotnet tool restore >/dev/null

out=fuzz/out
if [ -z "${PALISADE_FUZZ_NO_BUILD:-}" ] || [ ! -f "$out/publish/Palisade.Fuzz.dll" ]; then
    echo "run.sh: publishing fuzz/Palisade.Fuzz (Release)"
    dotnet publish fuzz/Palisade.Fuzz/Palisade.Fuzz.csproj -c Release -o "$out/publish" --nologo -v quiet
fi

# A fresh copy per run: sharpfuzz instruments in place, and an assembly is instrumented once.
bin="$out/bin/$target"
rm -rf "$bin"
mkdir -p "$out/bin"
cp -r "$out/publish" "$bin"
assemblies=(Palisade.Protocol.dll Palisade.Server.dll)
[ "$target" = config ] && assemblies+=(YamlDotNet.dll)
for assembly in "${assemblies[@]}"; do
    dotnet tool run sharpfuzz "$bin/$assembly" >/dev/null
done

findings="fuzz/findings/$target-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$findings"
dictionary=()
[ -f "fuzz/dict/$target.dict" ] && dictionary=(-x "fuzz/dict/$target.dict")

# The target is `dotnet`, not an afl-instrumented binary (SharpFuzz speaks afl's fork-server protocol itself).
# Root in a container: no CPU governor, no core_pattern to fix, no UI, no CPU binding (the cores are shared).
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "run.sh: afl-fuzz on '$target' for $seconds s; findings in $findings"
status=0
afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -t 5000 -m none -V "$seconds" "${dictionary[@]}" \
    -- dotnet "$bin/Palisade.Fuzz.dll" "$target" >"$findings/afl-fuzz.log" 2>&1 || status=$?

stats="$findings/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
    echo "run.sh: afl-fuzz did not start (exit $status); the end of its log:" >&2
    tail -n 30 "$findings/afl-fuzz.log" >&2
    exit 2
fi

stat() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$stats"; }
crashes=$(stat saved_crashes)
crashes=${crashes:-$(stat unique_crashes)}
hangs=$(stat saved_hangs)
hangs=${hangs:-$(stat unique_hangs)}
paths=$(stat corpus_count)
paths=${paths:-$(stat paths_total)}
printf '%s: %s s, %s executions, %s execs/s, %s paths, %s crashes, %s hangs\n' \
    "$target" "$(stat run_time)" "$(stat execs_done)" "$(stat execs_per_sec)" "$paths" "${crashes:-0}" "${hangs:-0}"
if [ "${crashes:-0}" -gt 0 ]; then
    echo "run.sh: crashes in $findings/default/crashes/; replay one with:"
    echo "  dotnet $bin/Palisade.Fuzz.dll $target --replay $findings/default/crashes"
    exit 1
fi
