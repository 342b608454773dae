//! The `binding` table, read into the service protocol's typed binding: every key the protocol
//! knows is read once, in its own module ([`akixi_ws`], [`cisco_em`]), with its form and its
//! cross-references checked (a property, an operation, a value of a type the spec defines).
//! Each protocol module then checks the protocol's own rules on the families (which operation
//! kinds and property types it can put on the wire), so that its generator has nothing left to
//! reject.

mod akixi_ws;
mod cisco_em;

use super::key_values::KeyValues;
use super::{Loaded, ServiceLoader};
use crate::diag::{DiagKind, Diagnostics, did_you_mean};
use crate::model::{Binding, BindingEntry, Property, Protocol, TypeKind, ValueType};
use crate::table::Cell;

impl<'a> ServiceLoader<'a> {
    /// The service's typed binding and its rows as written. A missing table is reported at
    /// `service_at`.
    pub(super) fn load_binding(
        &mut self,
        protocol: Protocol,
        service_at: &crate::diag::Loc,
        spec: &Loaded<'_>,
    ) -> (Binding, Vec<BindingEntry>) {
        let (settings, table_at) = self.settings("binding");
        let rows = settings
            .iter()
            .map(|s| BindingEntry {
                key: s.key.text.clone(),
                value: s.value.text.clone(),
                provenance: s.provenance.clone(),
                loc: s.key.loc.clone(),
            })
            .collect();
        let owner = format!("`{}` binding", protocol.name());
        let clean = self.clean();
        let mut refs = Diagnostics::default();
        let mut kv = KeyValues::new(self.d, "binding", owner, settings, table_at, service_at);
        let binding = match protocol {
            Protocol::AkixiWs => Binding::AkixiWs(akixi_ws::read(&mut kv, &mut refs, spec)),
            Protocol::CiscoEm => Binding::CiscoEm(cisco_em::read(&mut kv, &mut refs, spec)),
        };
        kv.finish();
        // References into the rest of the spec are reported only when it loaded cleanly: a table
        // that failed to load would otherwise make each reference to it a problem of its own.
        if clean {
            self.d.append(refs);
        }
        match &binding {
            Binding::AkixiWs(_) => akixi_ws::check(self.d, spec),
            Binding::CiscoEm(b) => cisco_em::check(self.d, b, spec),
        }
        (binding, rows)
    }
}

/// The property a binding row names (`TelSysID`), in any family and container; `None`, and a
/// diagnostic at the row, when no family defines it.
fn property<'m>(d: &mut Diagnostics, spec: &Loaded<'m>, cell: &Cell) -> Option<&'m Property> {
    let all = || spec.families.iter().flat_map(|f| f.properties.iter());
    // A top-level property wins over one of the same name in a container.
    let found = all()
        .find(|p| p.name == cell.text && p.container.is_none())
        .or_else(|| all().find(|p| p.name == cell.text));
    if found.is_none() && !cell.text.is_empty() {
        let hint = did_you_mean(&cell.text, all().map(|p| p.name.as_str()))
            .unwrap_or_else(|| "name a property of a `properties` table".to_string());
        d.error_hint(
            &cell.loc,
            DiagKind::UnknownProperty,
            format!("no family has a property `{}`", cell.text),
            hint,
        );
    }
    found
}

/// The value type of `p`, if the spec defines it.
fn type_of<'m>(spec: &Loaded<'m>, p: &Property) -> Option<&'m ValueType> {
    spec.types.iter().find(|t| t.name == p.ty)
}

/// Reports `p` (named by the binding row at `cell`) when its type is not one of `kinds`.
fn expect_kind(d: &mut Diagnostics, spec: &Loaded<'_>, cell: &Cell, p: &Property, kinds: &[&str]) {
    let Some(t) = type_of(spec, p) else { return };
    let kind = t.kind.name();
    if !kinds.contains(&kind) {
        d.error_hint(
            &cell.loc,
            DiagKind::Inconsistent,
            format!(
                "`{}` is of type `{}`, a `{kind}` type; this row needs {} type",
                p.name,
                t.name,
                kinds
                    .iter()
                    .map(|k| if k.starts_with(['a', 'e', 'i', 'o', 'u']) {
                        format!("an {k}")
                    } else {
                        format!("a {k}")
                    })
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            format!("`{}` is defined at {}", p.name, p.loc),
        );
    }
}

/// Whether `value` is a value of the enumeration `t` (any text is, for a string type).
fn is_value_of(t: &ValueType, value: &str) -> bool {
    match t.kind {
        TypeKind::Enum => t.values.iter().any(|v| v.value == value),
        _ => true,
    }
}
