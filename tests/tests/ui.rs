//! Compile-time behaviour: spec errors as located compile errors, setters that do not exist,
//! and generated code that compiles in a crate of its own.

use std::path::PathBuf;

/// trybuild builds each case in `<target>/tests/trybuild/akixi-tests`; the `ui/spec` cases name
/// spec directories relative to that, which reaches the workspace only from the default target
/// directory (`<workspace>/target`).
fn default_target_dir() -> bool {
    match std::env::var_os("CARGO_TARGET_DIR") {
        None => true,
        Some(dir) => {
            let workspace_target = akixi_tests::workspace().join("target");
            let canon = |p: PathBuf| p.canonicalize().unwrap_or(p);
            canon(PathBuf::from(dir)) == canon(workspace_target)
        }
    }
}

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    if default_target_dir() {
        t.pass("ui/spec/pass_*.rs");
        t.compile_fail("ui/spec/fail_*.rs");
    } else {
        eprintln!(
            "CARGO_TARGET_DIR is not <workspace>/target: skipping the ui/spec cases, whose spec paths assume it"
        );
    }
}
