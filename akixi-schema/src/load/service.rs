//! The service table, the sources rows may cite, and the platforms.

use super::key_values::KeyValues;
use super::loader::ServiceLoader;
use super::tables::{KeyForm, KeySpec};
use crate::diag::{DiagKind, Loc};
use crate::model::{Platform, Protocol, SourceDoc};

/// What the `service` table says.
pub(super) struct ServiceTable {
    pub(super) name: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) protocol: Protocol,
    pub(super) loc: Loc,
}

impl<'a> ServiceLoader<'a> {
    /// The `sources` table: the keys rows may cite in `Source`.
    pub(super) fn load_sources(&mut self) -> Vec<SourceDoc> {
        let spec = KeySpec {
            column: "Source",
            what: "source",
            form: KeyForm::NonEmpty,
        };
        let out: Vec<SourceDoc> = self
            .unique_rows("sources", spec)
            .into_iter()
            .map(|k| SourceDoc {
                key: k.key.text.clone(),
                reference: k.rows.text(k.row, "Reference").to_string(),
                loc: k.key.loc.clone(),
            })
            .collect();
        self.sources = out.iter().map(|s| s.key.clone()).collect();
        out
    }

    /// The `service` table; `None` when the service cannot be used without it (no name, or an
    /// unknown protocol).
    pub(super) fn load_service_table(&mut self) -> Option<ServiceTable> {
        let (settings, table_at) = self.settings("service");
        let Some(table_loc) = table_at.clone() else {
            self.d.error_hint(
                &self.loc,
                DiagKind::Missing,
                "service has no `service` table",
                "add `## service` with `name`, `title` and `protocol` keys",
            );
            return None;
        };
        let mut kv = KeyValues::new(
            self.d,
            "service",
            "a service".to_string(),
            settings,
            table_at,
            &table_loc,
        );
        let name = kv.text("name", "the service's identifier (`akixi`)");
        let title = kv.text("title", "the service's title");
        let protocols: Vec<&str> = Protocol::ALL.iter().map(|(n, _)| *n).collect();
        let protocol = kv.one_of("protocol", "how the service goes on the wire", &protocols);
        let description = kv
            .optional("description")
            .map(|c| c.text)
            .unwrap_or_default();
        kv.finish();
        let protocol = Protocol::ALL.iter().find(|(n, _)| *n == protocol)?.1;
        (!name.is_empty()).then_some(ServiceTable {
            name,
            title,
            description,
            protocol,
            loc: table_loc,
        })
    }

    /// The `platforms` table, in the matrices' column order.
    pub(super) fn load_platforms(&mut self) -> Vec<Platform> {
        let spec = KeySpec {
            column: "Id",
            what: "platform",
            form: KeyForm::Kebab,
        };
        let mut out: Vec<Platform> = Vec::new();
        for k in self.unique_rows("platforms", spec) {
            let matrix = k.rows.text(k.row, "Matrix Column");
            if let Some(prev) = out.iter().find(|p| p.matrix_column == matrix) {
                self.d.error_hint(
                    &k.key.loc,
                    DiagKind::Duplicate,
                    format!("matrix column `{matrix}` names two platforms"),
                    format!("`{}` uses it first, at {}", prev.id, prev.loc),
                );
                continue;
            }
            let provenance = self.provenance(&k.rows, k.row);
            out.push(Platform {
                id: k.key.text.clone(),
                name: k.rows.text(k.row, "Name").to_string(),
                matrix_column: matrix.to_string(),
                description: k.rows.text(k.row, "Description").to_string(),
                provenance,
                loc: k.key.loc.clone(),
            });
        }
        out
    }
}
