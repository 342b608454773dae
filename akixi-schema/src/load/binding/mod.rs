//! The `binding` table, read into the service protocol's typed binding: every key the protocol
//! knows is read once, in its own module ([`akixi_ws`], [`cisco_em`]), with its form and its
//! cross-references checked (a property, an operation, a value of a type the spec defines).
//! Each protocol module then checks the protocol's own rules on the families (which operation
//! kinds and property types it can put on the wire), so that its generator has nothing left to
//! reject.

mod akixi_rest;
mod akixi_ws;
mod cisco_em;
mod refs;

use super::key_values::KeyValues;
use super::loader::{Loaded, ServiceLoader};
use crate::diag::Diagnostics;
use crate::model::{Binding, BindingEntry, Condition, ConditionScope, Protocol};

/// The conditions `protocol`'s simulator answers, where it has a fixed set (akixi-ws's), with
/// where each is answered; `None` where the simulator names its own (any kebab-case name).
pub(super) fn conditions(
    protocol: Protocol,
) -> Option<&'static [(&'static str, Condition, ConditionScope)]> {
    match protocol {
        Protocol::AkixiWs => Some(akixi_ws::CONDITIONS),
        Protocol::CiscoEm => None,
    }
}

/// A key/value table's rows as written, for tools that show or compare them.
fn entries(settings: &[super::key_values::Setting]) -> Vec<BindingEntry> {
    settings
        .iter()
        .map(|s| BindingEntry {
            key: s.key.text.clone(),
            value: s.value.text.clone(),
            provenance: s.provenance.clone(),
            loc: s.key.loc.clone(),
        })
        .collect()
}

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
        let rows = entries(&settings);
        let owner = format!("`{}` binding", protocol.name());
        let clean = self.clean();
        let mut refs = Diagnostics::default();
        let mut kv = KeyValues::new(self.d, "binding", owner, settings, table_at, service_at);
        let binding = match protocol {
            Protocol::AkixiWs => {
                Binding::AkixiWs(Box::new(akixi_ws::read(&mut kv, &mut refs, spec)))
            }
            Protocol::CiscoEm => {
                Binding::CiscoEm(Box::new(cisco_em::read(&mut kv, &mut refs, spec)))
            }
        };
        kv.finish();
        let mut binding = binding;
        if let Binding::CiscoEm(b) = &mut binding {
            self.load_cisco_em_versions(b, spec, service_at);
        }
        // References into the rest of the spec are reported only when it loaded cleanly: a table
        // that failed to load would otherwise make each reference to it a problem of its own.
        if clean {
            self.d.append(refs);
        }
        match &binding {
            Binding::AkixiWs(_) => akixi_ws::check(self.d, spec, clean),
            Binding::CiscoEm(b) => cisco_em::check(self.d, b, spec),
        }
        (binding, rows)
    }
}
