//! Snapshots of the generated code: for the real spec (the code `akixi-client` compiles, since
//! its macro calls the same generator on the same spec) and for the small spec of the
//! fixtures (which `tests/ui/spec/pass_minimal_spec.rs` compiles in a crate of its own).

use akixi_schema::{Spec, codegen};
use akixi_tests::workspace;

fn expand(dir: &str, service: &str) -> String {
    let spec = Spec::load(workspace().join(dir)).unwrap_or_else(|d| panic!("{dir}: {d:?}"));
    codegen::expand(&spec, service).expect("expands")
}

#[test]
fn generated_code_of_the_real_spec() {
    insta::assert_snapshot!("akixi", expand("spec", "akixi"));
}

#[test]
fn generated_code_of_the_cisco_em_spec() {
    insta::assert_snapshot!("cisco_em", expand("spec", "cisco-em"));
}

#[test]
fn generated_code_of_the_minimal_spec() {
    insta::assert_snapshot!(
        "widgets",
        expand("akixi-schema/tests/fixtures/minimal", "widgets")
    );
}

/// The serde impls (akixi-client's `serde` feature), on the small spec.
#[test]
fn generated_serde_of_the_minimal_spec() {
    let spec = Spec::load(workspace().join("akixi-schema/tests/fixtures/minimal")).expect("loads");
    let svc = spec.service("widgets").expect("widgets");
    let code = codegen::pretty(codegen::generate_with(
        svc,
        codegen::Options { serde: true },
    ))
    .expect("formats");
    assert!(code.contains("#[serde(rename = "), "{code}");
    insta::assert_snapshot!("widgets_serde", code);
}

#[test]
fn expanding_an_unknown_service_is_an_error() {
    let spec = Spec::load(workspace().join("spec")).expect("loads");
    let err = codegen::expand(&spec, "nope").expect_err("no such service");
    assert!(err.contains("akixi"), "{err}");
}
