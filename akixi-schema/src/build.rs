//! Build-script mode: a crate's `build.rs` generates what `akixi_derive::service!` generates for
//! a service into `OUT_DIR/<service>.rs`, formatted, and includes it.
//!
//! ```no_run
//! // build.rs (with `akixi-schema = { …, features = ["codegen"] }` in [build-dependencies]),
//! // in its `fn main`:
//! akixi_schema::build::Build::new("spec").service("gadgets").run();
//! ```
//!
//! ```ignore
//! // src/lib.rs (with `akixi-client` in [dependencies]: the generated code names its runtime)
//! pub mod gadgets {
//!     include!(concat!(env!("OUT_DIR"), "/gadgets.rs"));
//! }
//! ```
//!
//! [`Build::run`] prints `cargo:rerun-if-changed` for the spec directory and every spec file
//! (editing the spec rebuilds the crate), and fails the build on any spec problem, printing each
//! with its `file:line:col`. [`Build::generate`] does the same work and returns it
//! ([`Generation`]), for callers that report otherwise. The code is the macro's
//! ([`crate::codegen::generate_with`]), each top-level item marked exempt from the lints rustc
//! and clippy do not apply to a macro's expansion either; the generated file is readable,
//! unlike an expansion.

use std::io;
use std::path::{Path, PathBuf};

use crate::codegen::{self, Options};
use crate::diag::Diagnostic;
use crate::model::Spec;

/// The lints a file of generated code is exempt from, as a macro's expansion is: the generators
/// write uniform code (a `match` with only its fallback arm where a shape has no properties, a
/// `new()` beside `Default`, parentheses kept around an expression they interpolate).
fn exemption() -> syn::Attribute {
    syn::parse_quote!(#[allow(unused_parens, clippy::all, clippy::pedantic, clippy::nursery)])
}

/// The generated items as a formatted file, each top-level item carrying [`exemption`] (a file
/// that `include!` reads cannot hold an inner attribute).
fn as_file(tokens: proc_macro2::TokenStream) -> Result<String, String> {
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    for item in &mut file.items {
        if let Some(attrs) = attrs_of(item) {
            attrs.insert(0, exemption());
        }
    }
    Ok(prettyplease::unparse(&file))
}

fn attrs_of(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// What a build-script generation failed on.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The spec has problems; each is shown with its `file:line:col`.
    #[error("the spec in {dir} has {} problem(s):\n{}", .diagnostics.len(), lines(.diagnostics))]
    Spec {
        /// The spec directory, as given.
        dir: String,
        /// Every problem.
        diagnostics: Vec<Diagnostic>,
    },
    /// The spec has no service of that name.
    #[error("the spec in {dir} has no service `{service}` (services: {})", .services.join(", "))]
    NoService {
        /// The spec directory, as given.
        dir: String,
        /// The service asked for.
        service: String,
        /// The services it has.
        services: Vec<String>,
    },
    /// No output directory: `OUT_DIR` is not set (not run by cargo) and none was given.
    #[error("OUT_DIR is not set: run from a build script, or give Build::out_dir")]
    NoOutDir,
    /// The generated code could not be formatted (a generator bug).
    #[error("the code generated for `{service}` cannot be formatted: {why}")]
    Format {
        /// The service.
        service: String,
        /// What went wrong.
        why: String,
    },
    /// A generated file could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

fn lines(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// One build-script generation: a spec directory, the services to generate, and options.
#[derive(Debug, Clone)]
pub struct Build {
    spec: PathBuf,
    services: Vec<String>,
    out_dir: Option<PathBuf>,
    options: Options,
}

/// What a generation watched and wrote.
#[derive(Debug)]
pub struct Generation {
    /// The paths cargo should watch: the spec directory, then every spec file read (also when
    /// the spec has problems, so that fixing it rebuilds).
    pub watched: Vec<PathBuf>,
    /// The files written, one per service (`OUT_DIR/<service>.rs`), or why none could be.
    pub written: Result<Vec<PathBuf>, BuildError>,
}

impl Build {
    /// A generation from the spec in `spec` (relative to the crate's root, where cargo runs
    /// build scripts).
    pub fn new(spec: impl AsRef<Path>) -> Self {
        Build {
            spec: spec.as_ref().to_path_buf(),
            services: Vec::new(),
            out_dir: None,
            options: Options::default(),
        }
    }

    /// Generates service `name` (call once per service) into `<name>.rs`.
    pub fn service(mut self, name: impl Into<String>) -> Self {
        self.services.push(name.into());
        self
    }

    /// serde `Serialize`/`Deserialize` for every generated type (needs akixi-client's `serde`
    /// feature), as the macro generates with akixi-derive's.
    pub fn serde(mut self, on: bool) -> Self {
        self.options.serde = on;
        self
    }

    /// Writes into `dir` instead of `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Loads and checks the spec and writes each service's code.
    pub fn generate(&self) -> Generation {
        let display = self.spec.to_string_lossy().into_owned();
        let (spec, diagnostics, failed) = Spec::load_partial(&self.spec, &display);
        let mut watched = vec![self.spec.clone()];
        watched.extend(spec.files.iter().cloned());
        let written = if failed {
            Err(BuildError::Spec {
                dir: display,
                diagnostics,
            })
        } else {
            self.write(&spec, &display)
        };
        Generation { watched, written }
    }

    fn write(&self, spec: &Spec, display: &str) -> Result<Vec<PathBuf>, BuildError> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        let mut files = Vec::new();
        for name in &self.services {
            let service = spec.service(name).ok_or_else(|| BuildError::NoService {
                dir: display.to_string(),
                service: name.clone(),
                services: spec.services.iter().map(|s| s.name.clone()).collect(),
            })?;
            let code = as_file(codegen::generate_with(service, self.options)).map_err(|why| {
                BuildError::Format {
                    service: name.clone(),
                    why,
                }
            })?;
            let path = out_dir.join(format!("{name}.rs"));
            std::fs::write(&path, code).map_err(|source| BuildError::Write {
                path: path.clone(),
                source,
            })?;
            files.push(path);
        }
        Ok(files)
    }

    /// For `build.rs`: generates, prints `cargo:rerun-if-changed` for every watched path, and
    /// on any error prints it (each spec problem a `file:line:col` line) and exits with status
    /// 1, which fails the build.
    pub fn run(self) {
        let generation = self.generate();
        for path in &generation.watched {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        if let Err(e) = generation.written {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
