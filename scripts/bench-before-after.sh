#!/usr/bin/env bash
# Run the criterion benches of two commits back to back on this machine, for a before/after table
# in BENCHMARKS.md. Builds each commit's benches in one temporary worktree (one target directory,
# so the second build reuses the first's dependencies), keeps the binaries, then runs each bench
# before and after, one after the other, each with its own CRITERION_HOME.
#
#   scripts/bench-before-after.sh OLD NEW [BENCH...]     (default: codec client throughput memory)
#
# Output: bench-before-after.log in the current directory. Long: not for CI. Keep the machine
# otherwise idle while it runs.
set -euo pipefail
old=${1:?usage: $0 OLD NEW [BENCH...]}
new=${2:?usage: $0 OLD NEW [BENCH...]}
shift 2
benches=("$@")
[ ${#benches[@]} -eq 0 ] && benches=(codec client throughput memory)
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$work/tree" "$old" >/dev/null
out=$PWD/bench-before-after.log
: > "$out"
crate_of() { case $1 in codec|client) echo akixi-client ;; throughput|memory) echo akixi-sim ;; load) echo akixi-schema ;; *) echo "unknown bench $1" >&2; exit 64 ;; esac; }
for side in before after; do
  rev=$old; [ $side = after ] && rev=$new
  git -C "$work/tree" checkout -q --detach "$rev"
  mkdir -p "$work/$side"
  for b in "${benches[@]}"; do
    exe=$(cd "$work/tree" && CARGO_TARGET_DIR="$work/target" cargo bench --no-run -p "$(crate_of "$b")" --bench "$b" --message-format json 2>/dev/null \
      | grep -o '"executable":"[^"]*"' | sed 's/"executable":"//;s/"$//' | grep "/$b-" | head -1)
    cp "$exe" "$work/$side/$b"
  done
done
for b in "${benches[@]}"; do
  for side in before after; do
    echo "=== $b $side ($( [ $side = before ] && echo "$old" || echo "$new")) $(date +%T)" >> "$out"
    (cd "$work/tree/$(crate_of "$b")" && CRITERION_HOME="$work/crit-$side" "$work/$side/$b" --bench --warm-up-time 1 --measurement-time 3 >> "$out" 2>&1)
  done
done
echo "=== done $(date +%T)" >> "$out"
echo "results: $out"
