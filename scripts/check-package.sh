#!/usr/bin/env bash
# Every publishable crate packages and builds from its package alone, against the others'
# packages (`cargo package` verifies each in a clean directory), and the client's package
# carries the spec its macro expands: the one spec directory is `akixi-client/spec`, and the
# top-level `spec` is a link to it, so there is no second copy to keep in step.
#
# Usage: scripts/check-package.sh          every crate packaged and verified (about 10 minutes
#                                          on 2 cores: each verification builds from nothing)
#        scripts/check-package.sh --ci     every crate packaged; the crates the macro's expansion
#                                          runs through (akixi-schema, akixi-derive, akixi-client)
#                                          verified (CI runs this)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(readlink spec)" != "akixi-client/spec" ]; then
    echo "check-package: spec must be a link to akixi-client/spec (the one spec directory)" >&2
    exit 1
fi

# The verification builds treat the packaged crates as registry crates, which cargo never
# rebuilds for the same name and version: a build left from an earlier run (of an older tree)
# would be linked instead of this tree's. So packaging runs in a target directory of its own,
# emptied first.
target_dir=${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')}
export CARGO_TARGET_DIR="${target_dir:?}/package-check"
rm -rf "$CARGO_TARGET_DIR"

listed=$(cargo package --locked --list -p akixi-client)
for file in spec/README.md spec/akixi/service.md spec/cisco-em/service.md; do
    if ! grep -qx "$file" <<<"$listed"; then
        echo "check-package: the akixi-client package lacks $file" >&2
        exit 1
    fi
done

if [ "${1:-}" = "--ci" ]; then
    cargo package --workspace --locked --no-verify --quiet
    cargo package --locked --quiet -p akixi-schema -p akixi-derive -p akixi-client
    echo "check-package: every crate packages; the client builds from its package, spec included"
else
    cargo package --workspace --locked "$@"
    echo "check-package: every publishable crate packages and builds from its package"
fi
