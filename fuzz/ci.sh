#!/usr/bin/env bash
# CI's fuzzing: a short bounded afl-fuzz run of every target (PALISADE_FUZZ_CI_SECONDS each, default 15), built
# once. Fails when any target finds a crash, or cannot run. About two and a half minutes in all on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${PALISADE_FUZZ_CI_SECONDS:-15}
start=$SECONDS
failed=()
summary=()
build=""
for target in wire hosts domains adblock config pipeline; do
    log=$(mktemp)
    status=0
    PALISADE_FUZZ_NO_BUILD=$build bash fuzz/run.sh "$target" "$seconds" 2>&1 | tee "$log" || status=$?
    build=1
    summary+=("$(grep -E "^$target: " "$log" || echo "$target: did not run")")
    rm -f "$log"
    [ "$status" -eq 0 ] || failed+=("$target")
done

echo "fuzz/ci.sh: $((SECONDS - start)) s in all"
printf '  %s\n' "${summary[@]}"
if ((${#failed[@]})); then
    echo "fuzz/ci.sh: FAILED: ${failed[*]} (crashes are kept in fuzz/findings/; see fuzz/README.md)"
    exit 1
fi
echo "fuzz/ci.sh: no crash found"
