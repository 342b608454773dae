//! From spec files to the model, stage by stage: read the files and parse their tables
//! ([`tables`]), then the service table, sources and platforms ([`service`]), value types
//! ([`types`]), errors ([`errors`]), families ([`families`]) with their traits and references
//! ([`traits`]), and last the protocol's binding
//! with its cross-references and the protocol's own rules ([`binding`]).
//!
//! Every stage records its problems in one [`Diagnostics`] collector and carries on with what it
//! could read, so one run reports every problem. Nothing here panics on any input. What the
//! loader accepts, the generators trust (serde_derive's `check.rs` before its expansion).

mod binding;
mod errors;
mod families;
mod family_shape;
mod key_values;
mod loader;
mod names;
mod rights;
mod service;
mod tables;
mod traits;
mod types;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{DiagKind, Diagnostic, Diagnostics, Loc};
use crate::model::{Service, Spec};
use crate::table::Document;
use loader::{Loaded, ServiceLoader};
use names::to_u32;

pub use names::variant_name;

/// Load the spec in `dir`. Paths in diagnostics start with `display` instead of `dir`.
pub fn load(dir: &Path, display: &str) -> Result<Spec, Vec<Diagnostic>> {
    let (spec, diags, failed) = load_partial(dir, display);
    if failed { Err(diags) } else { Ok(spec) }
}

/// Load what can be loaded: the model of every service whose `service` table is usable, every
/// diagnostic, and whether any of them is an error.
pub fn load_partial(dir: &Path, display: &str) -> (Spec, Vec<Diagnostic>, bool) {
    let mut d = Diagnostics::default();
    let display = display.trim_end_matches('/');
    let dir_loc = Loc::new(&Arc::from(display), 1, 1);
    let mut files = Vec::new();
    let mut services = Vec::new();

    let mut service_dirs = match list_dir(dir) {
        Ok(entries) => entries
            .into_iter()
            .filter(|p| p.is_dir())
            .collect::<Vec<_>>(),
        Err(e) => {
            d.error(
                &dir_loc,
                DiagKind::Unreadable,
                format!("cannot read the spec directory: {e}"),
            );
            return (Spec { services, files }, d.into_sorted(), true);
        }
    };
    service_dirs.sort();
    if service_dirs.is_empty() {
        d.error_hint(
            &dir_loc,
            DiagKind::Missing,
            "the spec directory holds no service",
            "each service is a sub-directory of `.md` files, one of them with a `## service` table",
        );
    }
    for sdir in service_dirs {
        let dir_name = sdir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = format!("{display}/{dir_name}");
        let errors_before = d.error_count();
        let mut docs = Vec::new();
        let mut md_files = match list_dir(&sdir) {
            Ok(entries) => entries
                .into_iter()
                .filter(|p| !p.is_dir() && p.extension().is_some_and(|e| e == "md"))
                .collect::<Vec<_>>(),
            Err(e) => {
                d.error(
                    &Loc::new(&Arc::from(shown.as_str()), 1, 1),
                    DiagKind::Unreadable,
                    format!("cannot read the service directory: {e}"),
                );
                continue;
            }
        };
        md_files.sort();
        for path in md_files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let file: Arc<str> = Arc::from(format!("{shown}/{name}"));
            files.push(path.clone());
            match std::fs::read(&path) {
                Err(e) => d.error(
                    &Loc::new(&file, 1, 1),
                    DiagKind::Unreadable,
                    format!("cannot read: {e}"),
                ),
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => docs.push(Document::parse(Arc::clone(&file), &text, &mut d)),
                    Err(e) => {
                        let bytes = e.as_bytes();
                        let good = e.utf8_error().valid_up_to();
                        let before = String::from_utf8_lossy(&bytes[..good]);
                        let line = before.matches('\n').count() + 1;
                        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                        d.error(
                            &Loc::new(&file, to_u32(line), to_u32(col)),
                            DiagKind::BadUtf8,
                            "the file is not valid UTF-8",
                        );
                    }
                },
            }
        }
        let svc_loc = Loc::new(&Arc::from(shown.as_str()), 1, 1);
        if let Some(svc) = ServiceLoader::new(&mut d, &docs, svc_loc, errors_before).load() {
            services.push(svc);
        }
    }
    let failed = d.has_errors();
    (Spec { services, files }, d.into_sorted(), failed)
}

/// One service from in-memory files (see [`crate::Spec::load_texts`]).
pub fn load_texts(service: &str, files: &[(&str, &str)]) -> Result<Spec, Vec<Diagnostic>> {
    let mut d = Diagnostics::default();
    let docs: Vec<Document> = files
        .iter()
        .map(|(name, text)| Document::parse(Arc::from(format!("{service}/{name}")), text, &mut d))
        .collect();
    let svc_loc = Loc::new(&Arc::from(service), 1, 1);
    let services: Vec<Service> = ServiceLoader::new(&mut d, &docs, svc_loc, 0)
        .load()
        .into_iter()
        .collect();
    if d.has_errors() {
        return Err(d.into_sorted());
    }
    Ok(Spec {
        services,
        files: Vec::new(),
    })
}

fn list_dir(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect()
}

impl<'a> ServiceLoader<'a> {
    fn load(mut self) -> Option<Service> {
        self.check_sections();
        let sources = self.load_sources();
        let table = self.load_service_table()?;
        let platforms = self.load_platforms();
        let mut types = self.load_types();
        self.load_values(&mut types);
        let boolean_spellings = self.load_spellings(&types);
        let categories = self.load_categories();
        let errors = self.load_errors(&categories);
        let permission_verbs = self.load_permission_verbs();
        let mut families = self.load_families(&types);
        self.load_usage(&mut families);
        let cx = traits::TraitContext {
            types: &types,
            platforms: &platforms,
            verbs: &permission_verbs,
        };
        // Before the matrices: a family's support axis decides their columns.
        self.load_family_traits(&mut families, &cx);
        self.load_support(&mut families, &platforms);
        self.load_operation_errors(&mut families, &errors, &categories);
        let (conditions, conditions_at) = self.load_conditions(&errors, &families, table.protocol);
        self.check_types(&types, &families);
        self.check_usage(&families, &types);
        self.check_references(&families);
        self.check_renames_and_aliases(&families);
        let partial_rules = self.load_partial_rules(&families, &errors);
        let loaded = Loaded {
            types: &types,
            spellings: &boolean_spellings,
            errors: &errors,
            families: &families,
            conditions: (&conditions, conditions_at.as_ref()),
            verbs: &permission_verbs,
        };
        let (binding, binding_rows) = self.load_binding(table.protocol, &table.loc, &loaded);
        let rest = self.load_rest(table.protocol, &loaded);
        Some(Service {
            name: table.name,
            title: table.title,
            description: table.description,
            loc: table.loc,
            sources,
            platforms,
            binding,
            binding_rows,
            rest,
            types,
            boolean_spellings,
            categories,
            errors,
            conditions,
            permission_verbs,
            partial_rules,
            families,
        })
    }
}
