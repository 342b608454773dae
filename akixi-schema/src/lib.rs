//! The akixi spec: loading and checking the tables in `spec/`, the model they describe, and the
//! code generated from it.
//!
//! | module | what it holds |
//! |---|---|
//! | [`table`] | the Markdown tables, every cell with its place |
//! | `load` | the loader: one module per stage, every problem a located [`Diagnostic`] |
//! | [`model`] | the checked model ([`Spec`]), every item with its place |
//! | [`diag`], [`summary`] | diagnostics; the summary line, outlines and the families table |
//! | [`diff`] | two specs compared, each change breaking or additive for the generated API, the wire and the simulator |
//! | [`conformance`] | the conformance cases |
//! | `codegen`, `build`, `tool` | (feature `codegen`) the generators; build-script mode (a `build.rs` generating into `OUT_DIR`); the maintainers' commands |
//!
//! ```no_run
//! let spec = akixi_schema::Spec::load("spec").map_err(|diags| {
//!     for d in &diags {
//!         eprintln!("{d}");
//!     }
//! });
//! ```
#![deny(missing_docs)]

pub mod conformance;
pub mod diag;
pub mod diff;
mod load;
pub mod model;
pub mod summary;
pub mod table;

use std::path::Path;

pub use diag::{DiagKind, Diagnostic, Loc, Severity};
pub use load::variant_name;
pub use model::*;

impl Spec {
    /// Load and check the spec in `dir`: every service directory below it.
    ///
    /// Returns every problem found (sorted by place) when there is any error.
    pub fn load(dir: impl AsRef<Path>) -> Result<Spec, Vec<Diagnostic>> {
        let dir = dir.as_ref();
        load::load(dir, &dir.to_string_lossy())
    }

    /// Like [`Spec::load`], but diagnostics show paths starting with `display` instead of `dir`
    /// (the proc macro shows paths relative to the calling crate).
    pub fn load_as(dir: impl AsRef<Path>, display: &str) -> Result<Spec, Vec<Diagnostic>> {
        load::load(dir.as_ref(), display)
    }

    /// Load whatever can be loaded, with every diagnostic and whether any is an error. The proc
    /// macro generates from this model beside its errors, so that one mistake in the spec does
    /// not also become dozens of "cannot find type" errors.
    pub fn load_partial(dir: impl AsRef<Path>, display: &str) -> (Spec, Vec<Diagnostic>, bool) {
        load::load_partial(dir.as_ref(), display)
    }

    /// Loads one service from files held in memory, `(file name, text)` in the order given
    /// (as files in a directory are read in name order): for tools without a directory, and the
    /// fuzzer. Diagnostics name the files `SERVICE/NAME`.
    pub fn load_texts(service: &str, files: &[(&str, &str)]) -> Result<Spec, Vec<Diagnostic>> {
        load::load_texts(service, files)
    }
}

#[cfg(feature = "codegen")]
pub mod build;
#[cfg(feature = "codegen")]
pub mod codegen;
#[cfg(feature = "codegen")]
pub mod tool;
