#!/usr/bin/env bash
# Coverage-guided fuzzing of akixi's parsers (cargo-fuzz, libFuzzer). Not part of CI.
#
#   scripts/fuzz.sh seed                      fill each target's corpus from the seed documents,
#                                             the spec and the test sources
#   scripts/fuzz.sh run TARGET [LIBFUZZER...] fuzz one target, e.g. -runs=10000000 or
#                                             -max_total_time=1800
#   scripts/fuzz.sh all [LIBFUZZER...]        every target in turn, same options
#   scripts/fuzz.sh regress                   run every saved crash input once (regression)
#
# Targets: akixi_response akixi_request em_request em_response spec_loader csv_import
#
# cargo-fuzz needs compiler flags only nightly accepts; the pinned stable compiler accepts them
# when RUSTC_BOOTSTRAP=1 is set, which this script does for the fuzz build alone (the project's
# own build never sets it). Needs `cargo install cargo-fuzz`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export RUSTC_BOOTSTRAP=1
targets=(akixi_response akixi_request em_request em_response spec_loader csv_import)
corpus() { echo "$root/fuzz/corpus/$1"; }

# Writes each match of a Perl regular expression found in FILES into DIR, one file each,
# with Rust string escapes (\" and \n) undone.
extract() {
    local dir=$1
    shift
    mkdir -p "$dir"
    PATTERN=$1 DIR=$dir perl -0777 -ne '
        my $n = 0;
        my $name0 = $ARGV =~ s{.*/}{}r;
        while (/$ENV{PATTERN}/gs) {
            my $doc = $&;
            $doc =~ s/\\"/"/g;
            $doc =~ s/\\n/\n/g;
            open(my $out, ">", sprintf("%s/seed-%s-%03d", $ENV{DIR}, $name0, $n++)) or die;
            print $out $doc;
        }' "${@:2}"
}

seed() {
    local seeds="$root/../shared/seeds"
    extract "$(corpus akixi_response)" '<Response\b.*?</Response>' \
        "$seeds/akixi-application-users.txt" akixi-client/tests/*.rs akixi-client/tests/akixi_ws/*.rs
    extract "$(corpus akixi_request)" '<Request\b.*?</Request>' \
        "$seeds/akixi-application-users.txt" akixi-client/tests/*.rs akixi-sim/tests/*.rs \
        akixi-sim/tests/api/*.rs
    extract "$(corpus em_response)" '<response>.*?</response>' akixi-client/tests/cisco_em_*.rs
    extract "$(corpus em_request)" '<(request|query)>.*?</\1>' akixi-client/tests/cisco_em_*.rs \
        akixi-sim/src/em/*.rs
    # The spec: each service's files joined as the target splits them (at 0x1e).
    mkdir -p "$(corpus spec_loader)"
    for svc in spec/*/ tests/fixtures/gadgets/svc/; do
        local name
        name=$(basename "$svc")
        perl -e 'local $/; my @t; for (@ARGV) { open(my $f, "<", $_) or die; push @t, <$f> } print join("\x1e", @t)' \
            "$svc"*.md > "$(corpus spec_loader)/seed-$name"
    done
    mkdir -p "$(corpus csv_import)"
    cp fuzz/seeds/csv/*.csv "$(corpus csv_import)/"
    for t in "${targets[@]}"; do
        echo "$t: $(find "$(corpus "$t")" -type f | wc -l) seed inputs"
    done
}

run() {
    local target=$1
    shift
    mkdir -p "$(corpus "$target")" "fuzz/artifacts/$target"
    (cd fuzz && cargo fuzz run "$target" "$(corpus "$target")" -- \
        -artifact_prefix="$root/fuzz/artifacts/$target/" -print_final_stats=1 "$@")
}

regress() {
    local found=0
    for t in "${targets[@]}"; do
        local dir="fuzz/regressions/$t"
        [ -d "$dir" ] || continue
        for input in "$dir"/*; do
            [ -f "$input" ] || continue
            found=1
            (cd fuzz && cargo fuzz run "$t" "$root/$input" -- -runs=1)
        done
    done
    [ "$found" = 1 ] || echo "no saved crash inputs"
}

case "${1:-}" in
    seed) seed ;;
    run) shift; run "$@" ;;
    all) shift; for t in "${targets[@]}"; do run "$t" "$@"; done ;;
    regress) regress ;;
    *) sed -n '2,15p' "$0"; exit 64 ;;
esac
