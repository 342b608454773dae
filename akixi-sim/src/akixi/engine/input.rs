//! A request's payload read for one operation of one family: each property it takes found by
//! name (or alias) and checked against its type, its value made canonical (the text the
//! service would send back), secrets kept apart, and what the operation does not take set
//! aside to be logged.

use akixi_client::akixi_ws::{Extra, ExtraItem};
use akixi_client::runtime::akixi_ws::{
    Access, Condition, InputUse, OpKind, OperationInfo, PropertyInfo, ValueKind, parse_boolean,
};

use super::respond::{Failure, xml_forbidden};
use super::state::Engine;
use crate::akixi::catalog::{FamilyModel, Field, PropId, input_of};

/// What a request gives, checked.
#[derive(Debug, Default)]
pub(super) struct Input {
    /// Canonical values, one per property (the last given wins), secrets left out.
    pub(super) fields: Vec<Field>,
    /// Secret values as sent (protected with the session's nonce).
    pub(super) secrets: Vec<(PropId, String)>,
    /// Properties the operation does not take, as `Container.Name`.
    pub(super) ignored: Vec<String>,
}

impl Input {
    pub(super) fn value(&self, id: PropId) -> Option<&str> {
        crate::akixi::world::value_of(&self.fields, id)
    }

    fn set(&mut self, id: PropId, value: String) {
        match self.fields.iter_mut().find(|(f, _)| *f == id) {
            Some(slot) => slot.1 = value.into_boxed_str(),
            None => self.fields.push((id, value.into_boxed_str())),
        }
    }
}

impl Engine {
    /// Reads `payload` as `op` of `fam` takes it: 10106 (bad value) or the family's missing-key
    /// code when a key is absent or empty.
    pub(super) fn read_input(
        &self,
        fam: &FamilyModel,
        op: &OperationInfo,
        payload: Option<&Extra>,
    ) -> Result<Input, Failure> {
        let mut input = Input::default();
        if let Some(payload) = payload {
            for item in payload.items() {
                match item {
                    ExtraItem::Property { name, value } => {
                        self.take(&mut input, fam, op, None, name, value)?;
                    }
                    ExtraItem::Container {
                        name: Some(container),
                        items,
                    } => {
                        for inner in items.items() {
                            match inner {
                                ExtraItem::Property { name, value } => {
                                    self.take(&mut input, fam, op, Some(container), name, value)?;
                                }
                                ExtraItem::Container { name, .. } => input.ignored.push(format!(
                                    "{container}.{}",
                                    name.as_deref().unwrap_or("(unnamed container)")
                                )),
                            }
                        }
                    }
                    ExtraItem::Container { name: None, .. } => {
                        input.ignored.push("(unnamed container)".to_owned());
                    }
                }
            }
        }
        for field in op.fields {
            let Some(use_) = field.input else {
                continue;
            };
            let Some(id) = fam.id_of(field.property) else {
                continue;
            };
            let given = input.value(id).is_some() || input.secrets.iter().any(|(s, _)| *s == id);
            let names = use_ == InputUse::Key || fam.keys.contains(&id);
            if names && !given {
                return Err(Failure::of(
                    Condition::MissingKey,
                    fam.id,
                    format!("the request gives no {}", fam.path(id)),
                ));
            }
            if names && input.value(id).is_some_and(str::is_empty) {
                return Err(Failure::of(
                    Condition::MissingKey,
                    fam.id,
                    format!("the request's {} is empty", fam.path(id)),
                ));
            }
            if use_ == InputUse::Required && !given {
                return Err(Failure::of(
                    Condition::BadPropertyValue,
                    fam.id,
                    format!(
                        "the request lacks {}, which {} requires",
                        fam.path(id),
                        op.name
                    ),
                ));
            }
        }
        Ok(input)
    }

    fn take(
        &self,
        input: &mut Input,
        fam: &FamilyModel,
        op: &OperationInfo,
        container: Option<&str>,
        name: &str,
        raw: &str,
    ) -> Result<(), Failure> {
        let shown = || match container {
            Some(c) => format!("{c}.{name}"),
            None => name.to_owned(),
        };
        let Some(id) = fam.id(container, name) else {
            input.ignored.push(shown());
            return Ok(());
        };
        let p = fam.prop(id);
        let Some(use_) = input_of(fam, op, id) else {
            if op.kind == OpKind::Change && p.access == Access::ReadOnlyAfterCreation {
                return Err(Failure::of(
                    Condition::ReadOnlyProperty,
                    fam.id,
                    format!("{} cannot change after creation", fam.path(id)),
                ));
            }
            input.ignored.push(shown());
            return Ok(());
        };
        if let Some((at, c)) = xml_forbidden(raw) {
            return Err(Failure::of(
                Condition::BadPropertyValue,
                fam.id,
                format!(
                    "{}: character {} ({}) is one XML 1.0 cannot carry",
                    fam.path(id),
                    at + 1,
                    c.escape_unicode()
                ),
            ));
        }
        if p.kind == ValueKind::Secret {
            input.secrets.retain(|(s, _)| *s != id);
            input.secrets.push((id, raw.to_owned()));
            return Ok(());
        }
        let value = self.canonical(p, raw).map_err(|why| {
            Failure::of(
                Condition::BadPropertyValue,
                fam.id,
                format!("{}: {why}", fam.path(id)),
            )
        })?;
        // Keys name entities: "leading and trailing spaces are not significant".
        let value = if use_ == InputUse::Key || fam.keys.contains(&id) {
            value.trim().to_owned()
        } else {
            value
        };
        input.set(id, value);
        Ok(())
    }

    /// The text the service would store and send back for `raw`, or why it is not a value of
    /// the property's type.
    pub(super) fn canonical(&self, p: &PropertyInfo, raw: &str) -> Result<String, String> {
        let trimmed = raw.trim();
        match p.kind {
            ValueKind::String | ValueKind::Secret => Ok(raw.to_owned()),
            ValueKind::Integer { min, max } => match trimmed.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
                _ => Err(format!("`{raw}` is not a whole number from {min} to {max}")),
            },
            ValueKind::Boolean => {
                let (truth, falsity) = self.catalog.svc.boolean_words;
                parse_boolean(raw, self.catalog.svc.boolean_spellings)
                    .map(|b| if b { truth } else { falsity }.to_owned())
                    .map_err(|e| e.to_string())
            }
            // Values the spec does not list are kept, as the typed client keeps them.
            ValueKind::Enum | ValueKind::Selector => Ok(p
                .values
                .iter()
                .find(|v| **v == trimmed)
                .map_or_else(|| trimmed.to_owned(), |v| (*v).to_owned())),
            ValueKind::List => Ok(raw
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(",")),
        }
    }

    pub(super) fn note_ignored(&self, operation: &str, invoke_id: &str, ignored: &[String]) {
        if !ignored.is_empty() {
            tracing::warn!(
                operation,
                invoke_id,
                properties = ?ignored,
                "ignoring properties the operation does not take"
            );
        }
    }
}
