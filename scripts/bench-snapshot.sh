#!/usr/bin/env bash
# Snapshot, restore and rehearsal figures (BENCHMARKS.md, "Snapshots and rehearsals"): a snapshot
# of the demo data plus 100,000 users, restored into the embedded simulator and snapshotted back
# through the API; then a rehearsal of a plan of 10,000 new users on that copy. Not a test: run
# it by hand (release build), on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
CHANGES=${CHANGES:-10000}
cargo build --release -q -p akixi-cli
AKIXI=$PWD/target/release/akixi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export AKIXI_SIM_STATE="$work/sim.sqlite" AKIXI_CONFIG="$work/none.toml"
unset AKIXI_URL AKIXI_PROFILE AKIXI_USERNAME AKIXI_PASSWORD || true
"$AKIXI" snapshot --out "$work/demo.jsonl" 2>/dev/null
# The demo's entities, then N users (the users' lines last: the family's place in the order).
python3 - "$work/demo.jsonl" "$work/big.jsonl" "$N" <<'PY'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src).read().splitlines()
header = json.loads(lines[0])
header["families"]["User"] = header["families"].get("User", 0) + n
header["entities"] += n
with open(dst, "w") as out:
    out.write(json.dumps(header, separators=(",", ":")) + "\n")
    for line in lines[1:]:
        out.write(line + "\n")
    for i in range(n):
        rec = {"Username": f"bench{i:06d}@example.com", "FullName": f"Bench User {i}",
               "Scope": {"TelSysID": 1 + i % 5, "ReportingAccess": "Akixi 2000"}}
        out.write(json.dumps({"family": "User", "record": rec}, separators=(",", ":")) + "\n")
PY
ls -l "$work/big.jsonl" | awk '{printf "snapshot file: %.1f MB\n", $5/1e6}'
measure() { # label, command…
  label=$1; shift
  /usr/bin/time -f "$label: %e s, peak %M KB" "$@"
}
# Restore alone: the embedded simulator from the snapshot, one small read.
measure "restore ($N users + demo) and one list" "$AKIXI" --sim-from-snapshot "$work/big.jsonl" cm-environment list >/dev/null
# Restore, then a snapshot through the API (list + info of every entity).
measure "restore + snapshot through the API" "$AKIXI" --sim-from-snapshot "$work/big.jsonl" snapshot --out "$work/back.jsonl"
cmp -s <(tail -n +2 "$work/back.jsonl" | sort) <(tail -n +2 "$work/big.jsonl" | sort) && echo "round trip: the same entities" || echo "round trip: DIFFERENT"
# A plan of CHANGES new users, rehearsed on the snapshot (restored once as the "service", once
# as the rehearsal's copy).
python3 - "$work/plan.jsonl" "$CHANGES" <<'PY'
import json, sys
with open(sys.argv[1], "w") as out:
    for i in range(int(sys.argv[2])):
        rec = {"Username": f"new{i:06d}@example.com", "FullName": f"New User {i}",
               "Scope": {"TelSysID": 1, "ReportingAccess": "Akixi 2000"}}
        out.write(json.dumps(rec) + "\n")
PY
measure "plan of $CHANGES adds --rehearse (on the $N-user snapshot)" "$AKIXI" --sim-from-snapshot "$work/big.jsonl" user plan "$work/plan.jsonl" --rehearse --snapshot "$work/big.jsonl" >/dev/null 2>"$work/rehearse.err" || true
grep -E "rehearsal on|estimated|s, peak" "$work/rehearse.err" | cut -c1-200
