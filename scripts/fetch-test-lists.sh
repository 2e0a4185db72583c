#!/usr/bin/env bash
# Downloads the real third-party blocklists that the parser and matcher tests read (tests/Palisade.Server.Tests, the
# Real*Tests), at the exact versions the tests' counts were made from: each file is fetched from its repository at a
# pinned commit and kept only when its size and SHA-256 are the recorded ones. Run it once in a fresh clone:
#
#   scripts/fetch-test-lists.sh
#
# Where the lists go, as the tests look for them: $PALISADE_TEST_LISTS (absolute, or relative to the repository root)
# when set; else ../shared/data/blocklists beside the checkout when that folder exists (the project's own machines);
# else tests/data/blocklists (ignored by git). A file already there with the right hash is not downloaded again.
# $PALISADE_LISTS_BASE_URL replaces the download host (a mirror, or a local server in this script's own test); the
# path under it is OWNER/REPO/COMMIT/PATH. Exit status: 0 when every list is in place, 1 when one could not be had.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

base=${PALISADE_LISTS_BASE_URL:-https://raw.githubusercontent.com}
base=${base%/}
dest=${PALISADE_TEST_LISTS:-}
if [ -z "$dest" ]; then
    if [ -d ../shared/data/blocklists ]; then dest=../shared/data/blocklists; else dest=tests/data/blocklists; fi
fi
case "$dest" in /*) ;; *) dest="$root/$dest" ;; esac

# The pins, from ../shared/data/blocklists/SOURCES.md: file, repository, commit, path there, size, SHA-256.
hagezi_legacy="hagezi/dns-blocklists-legacy f3db948a17dad5f49bf529fe6e332e139a946f16"
hagezi_output="adv247/dns-blocklists 71368b2b9093e509c73ca79553966cbcacecc7b4"
lists=(
    "hagezi-hosts-light.txt $hagezi_legacy hosts/light.txt 2718236 3f573c489a453a88962ce0492454582b5f43a93a5cd798b38e7858c7811cb93d"
    "hagezi-hosts-light-compressed.txt $hagezi_legacy hosts/light-compressed.txt 2078754 458af652ff9659b3663ee35869466886253ee9be4b1a5c3488817d595d69a8fb"
    "hagezi-domains-light.txt $hagezi_legacy domains/light.txt 1998790 e0c3a51b173cf52725be1bb77fcf2880f08eadf73ec4f7e47cdc943559d2687a"
    "hagezi-wildcard-pro-onlydomains.txt $hagezi_output wildcard/pro-onlydomains.txt 4059964 5ce49c7cc13ba22a1d24a57789f8a54dfa026b3546a5d8a9c89b9ed87e4b146f"
    "hagezi-wildcard-multi.txt $hagezi_output wildcard/multi.txt 3857849 4acbe0a21c26e5f0b8a558a7d712d38a0e6d88ab68f827ad48bbd4bf23e22b2c"
    "hagezi-adblock-multi.txt $hagezi_output adblock/multi.txt 4038061 c7073dbe274a02b7cf2787d9d55a79304cee06abc174932bff983760e30a58e1"
    "hagezi-adblock-pro.mini.txt $hagezi_output adblock/pro.mini.txt 1190953 a7d201789b5bfe6a8a3d106f4f998b4babd814f45bcbda59ea2ffc88dd663a44"
    "hagezi-adblock-light.txt $hagezi_output adblock/light.txt 908959 55261950e85aee15d639a7b478ff3db4f56967ac87101ebc6379e4b35aae0626"
    "stevenblack-unified-trimmed-domains.txt cyb3rko/stevenblack-hosts-trimmed 979c68495a2f2efc0e65fc7d450e140ac1e6cf37 hosts0 1830622 89fb0908a0e36cc36b8b22c4c757435a1b86bff81403b8cc012e442497b807e2"
    "adguard-dns-filter-without-privacy.txt kitadai31/AdGuardSDNSFilter_withoutPrivacyFilters 1df45dec3994ae7ff409d1b021354a70e237bacf Filters/filter.txt 1585098 72b24633301d554199dc72d89a3a65f6476fe65f590b52f41bbb3d92841d6056"
)

command -v curl >/dev/null || { echo "fetch-test-lists.sh: curl is needed (Debian package curl)" >&2; exit 1; }
command -v sha256sum >/dev/null || { echo "fetch-test-lists.sh: sha256sum is needed (Debian package coreutils)" >&2; exit 1; }
mkdir -p "$dest" || { echo "fetch-test-lists.sh: cannot make $dest" >&2; exit 1; }

hash_of() { sha256sum "$1" | cut -d' ' -f1; }

failed=0
fetched=0
for entry in "${lists[@]}"; do
    read -r file repository commit path size sha256 <<<"$entry"
    target="$dest/$file"
    if [ -f "$target" ] && [ "$(hash_of "$target")" = "$sha256" ]; then
        continue
    fi

    url="$base/$repository/$commit/$path"
    partial="$target.part"
    if ! curl --fail --silent --show-error --location --retry 2 --max-time 120 --output "$partial" "$url"; then
        echo "fetch-test-lists.sh: $file: the download from $url failed (above); nothing kept" >&2
        rm -f "$partial"
        failed=1
        continue
    fi

    actual_size=$(wc -c <"$partial" | tr -d ' ')
    actual_hash=$(hash_of "$partial")
    if [ "$actual_size" != "$size" ] || [ "$actual_hash" != "$sha256" ]; then
        echo "fetch-test-lists.sh: $file from $url is not the pinned version: $actual_size octets with SHA-256 $actual_hash, expected $size octets with SHA-256 $sha256; not kept" >&2
        rm -f "$partial"
        failed=1
        continue
    fi

    mv -f "$partial" "$target"
    fetched=$((fetched + 1))
done

if [ "$failed" -ne 0 ]; then
    echo "fetch-test-lists.sh: some lists are missing from $dest; the tests that read them will be skipped" >&2
    exit 1
fi

echo "fetch-test-lists.sh: all ${#lists[@]} lists are in $dest ($fetched downloaded, the rest already there)"
