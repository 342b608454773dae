//! The state of loading one service, and what its binding is checked against.

use std::collections::HashSet;

use crate::diag::{DiagKind, Diagnostics, Loc};
use crate::model::{BooleanSpelling, ErrorCondition, ErrorDef, Family, PermissionVerb, ValueType};
use crate::table::Document;

/// Loads one service: its documents, the collector, and the sources rows may cite.
pub(super) struct ServiceLoader<'a> {
    pub(super) d: &'a mut Diagnostics,
    pub(super) docs: &'a [Document],
    /// The service's directory, where problems of the whole service are reported.
    pub(super) loc: Loc,
    pub(super) sources: HashSet<String>,
    /// Errors recorded before this service (the collector is shared by every service).
    errors_before: usize,
}

/// What the binding's cross-references and the protocol's rules are checked against.
pub(super) struct Loaded<'m> {
    pub(super) types: &'m [ValueType],
    pub(super) spellings: &'m [BooleanSpelling],
    pub(super) errors: &'m [ErrorDef],
    pub(super) families: &'m [Family],
    /// The `error-conditions` rows, and where their table is.
    pub(super) conditions: (&'m [ErrorCondition], Option<&'m Loc>),
    pub(super) verbs: &'m [PermissionVerb],
}

impl<'a> ServiceLoader<'a> {
    /// A loader of the service in `docs`; `errors_before` is the collector's count of errors
    /// before the service's files were read.
    pub(super) fn new(
        d: &'a mut Diagnostics,
        docs: &'a [Document],
        loc: Loc,
        errors_before: usize,
    ) -> Self {
        ServiceLoader {
            d,
            docs,
            loc,
            sources: HashSet::new(),
            errors_before,
        }
    }

    /// Whether this service has had no error so far.
    pub(super) fn clean(&self) -> bool {
        self.d.error_count() == self.errors_before
    }

    /// Reports `v`, at `loc`, as no value of the enumeration `ty`, listing its values.
    pub(super) fn not_a_value(&mut self, loc: &Loc, v: &str, ty: &ValueType) {
        let known: Vec<&str> = ty.values.iter().map(|k| k.value.as_str()).collect();
        self.d.error_hint(
            loc,
            DiagKind::BadValue,
            format!("`{v}` is not a value of `{}`", ty.name),
            format!("values: {}", known.join(", ")),
        );
    }
}
