#!/usr/bin/env bash
# Shows that editing the spec rebuilds akixi-client: the proc macro include_str!s every spec file
# it reads, and the crate's build script watches the spec directory for added files.
set -euo pipefail
cd "$(dirname "$0")/.."

rebuilt() { grep -q 'Running `.*rustc --crate-name akixi_client ' <<<"$1"; }

cargo build --quiet -p akixi-client
out=$(cargo build -v -p akixi-client 2>&1)
if rebuilt "$out"; then echo "FAIL: akixi-client rebuilt with nothing changed"; exit 1; fi

touch spec/akixi/users.md
out=$(cargo build -v -p akixi-client 2>&1)
if ! rebuilt "$out"; then echo "FAIL: touching spec/akixi/users.md did not rebuild akixi-client"; exit 1; fi

echo "ok: touching a spec file rebuilds akixi-client; an unchanged tree does not"
