//! Generates the `gadgets` service of `spec/` into `OUT_DIR/gadgets.rs`: what
//! `akixi_derive::service!` would generate, as a file; every spec file is watched, and a spec
//! problem fails the build with its `file:line:col`. The crate turns on akixi-client's `serde`
//! feature, so the generated code must carry the serde impls that feature's runtime names.

fn main() {
    akixi_schema::build::Build::new("spec")
        .service("gadgets")
        .serde(true)
        .run();
}
