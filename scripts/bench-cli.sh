#!/usr/bin/env bash
# The command line's bulk figures for BENCHMARKS.md: a 10,000-row import into the embedded
# simulator at concurrency 1 and 8, and the peak memory of exporting those users, beside the
# peak memory of a one-entry list on the same state (the process and its embedded simulator).
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000}
cargo build --release --quiet -p akixi-cli
bin=$PWD/target/release/akixi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

{
  echo "Username,FullName,LockOut,Scope.TelSysID,Scope.ReportingAccess,Permissions.NonAdmin,Advanced.ReportUpdInterval"
  awk -v n="$rows" 'BEGIN { split("Akixi 1000,Akixi 2000,Akixi 3000", a, ",");
    for (i = 0; i < n; i++) printf "bench%05d@example.com,Bench User %d,%s,%d,%s,\"Report|Read,Report|Create\",Auto\n", i, i, (i % 2 ? "True" : "False"), 1 + i % 5, a[1 + i % 3] }'
} > "$dir/users.csv"

measure() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -n 1; }

for c in 1 8; do
  export AKIXI_SIM_STATE="$dir/c$c.sqlite"
  "$bin" user list --limit 1 >/dev/null 2>&1   # seed the state first, outside the timing
  read -r secs kib < <(measure "$bin" user import "$dir/users.csv" --concurrency "$c")
  echo "import $rows rows, concurrency $c: ${secs} s ($(awk -v n="$rows" -v s="$secs" 'BEGIN { printf "%.0f", n / s }') rows/s), peak RSS ${kib} KiB"
done
export AKIXI_SIM_STATE="$dir/c8.sqlite"
read -r secs kib < <(measure "$bin" user list --limit 1)
echo "baseline (list one entry, same state): ${secs} s, peak RSS ${kib} KiB"
read -r secs kib < <(measure "$bin" user export)
echo "export $rows users (CSV): ${secs} s, peak RSS ${kib} KiB"
read -r secs kib < <(measure "$bin" user export --format json)
echo "export $rows users (JSON): ${secs} s, peak RSS ${kib} KiB"
