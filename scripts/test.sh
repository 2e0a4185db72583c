#!/usr/bin/env bash
# Runs every Palisade test, exactly as CI does: `scripts/test.sh` from anywhere in the checkout.
# Installs the Debian packages the tests need when they are missing (needs root or sudo), then runs
# `dotnet test` on the whole solution in Release and prints one summary line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests use that is not .NET: dnspython (the independent judge of the wire format) under
# Debian's /usr/bin/python3; Knot DNS and Unbound (plain, DNS over TLS and over HTTPS) as real upstreams; dig, kdig
# and curl as real clients; openssl to verify the certificates palisade cert makes; xxd for a dump palisade decode reads.
missing=()
/usr/bin/python3 -c 'import dns.message' 2>/dev/null || missing+=(python3-dnspython)
[ -x /usr/sbin/knotd ] || command -v knotd >/dev/null || missing+=(knot)
command -v kdig >/dev/null || missing+=(knot-dnsutils)
command -v dig >/dev/null || missing+=(bind9-dnsutils)
[ -x /usr/sbin/unbound ] || missing+=(unbound)
command -v curl >/dev/null || missing+=(curl)
command -v openssl >/dev/null || missing+=(openssl)
command -v xxd >/dev/null || missing+=(xxd)
if ((${#missing[@]})); then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "test.sh: installing ${missing[*]}"
    # The tests run their own unbound; installing the package must not start the system service. A policy-rc.d that
    # exits 101 forbids it, for the duration of the install only (one already in place is left alone).
    policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        policy=/usr/sbin/policy-rc.d
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
        $sudo chmod 755 "$policy"
    fi
    installed=0
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null || installed=$?
    [ -z "$policy" ] || $sudo rm -f "$policy"
    [ "$installed" -eq 0 ] || exit "$installed"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Palisade.slnx -c Release 2>&1 | tee "$log" || status=$?

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S" line per test project.
awk '/(Passed|Failed)! +- Failed:/ {
        gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
        n++ }
     END { if (n == 0) { print "no test results found"; exit 1 } printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log" || status=1
exit "$status"
