//! Compile-time behaviour: spec errors as located compile errors, setters that do not exist,
//! generated code that compiles in a crate of its own, and `#[derive(Operation)]`'s errors.

use std::path::{Path, PathBuf};

/// trybuild builds each case in `<target>/tests/trybuild/akixi-ui-tests`; the `spec` cases name
/// spec directories relative to that, which reaches the workspace only from the default target
/// directory (`<workspace>/target`).
fn default_target_dir() -> bool {
    match std::env::var_os("CARGO_TARGET_DIR") {
        None => true,
        Some(dir) => {
            let workspace_target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
            let canon = |p: PathBuf| p.canonicalize().unwrap_or(p);
            canon(PathBuf::from(dir)) == canon(workspace_target)
        }
    }
}

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("fail/*.rs");
    t.compile_fail("derive/*.rs");
    if default_target_dir() {
        t.pass("spec/pass_*.rs");
        t.compile_fail("spec/fail_*.rs");
    } else {
        eprintln!(
            "CARGO_TARGET_DIR is not <workspace>/target: skipping the spec cases, whose spec paths assume it"
        );
    }
}
