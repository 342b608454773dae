//! Compile-time behaviour: spec errors as located compile errors, setters that do not exist.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
