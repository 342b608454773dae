#!/usr/bin/env bash
# Checks that no crate of the workspace has an import cycle between its modules, the code the
# spec macro generates included (tests/tests/module_graph.rs), and prints the graph's size.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --quiet -p akixi-tests --test module_graph -- --nocapture 2>&1 | grep -v '^$'
