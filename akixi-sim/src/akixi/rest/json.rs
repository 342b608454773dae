//! JSON and the engine's payloads, both ways: a REST body into the payload the engine reads
//! (wire text for each value, a container for a nested object, a secret protected with the
//! session's nonce), and a payload the engine answered into JSON (each value in its kind's JSON
//! or the binding's form).

use akixi_client::akixi_rest::binding::{JsonForm, RestInfo, RestOperationInfo};
use akixi_client::akixi_ws::cipher::{NonceCipher, PasswordCipher};
use akixi_client::akixi_ws::{Extra, ExtraItem};
use akixi_client::runtime::akixi_ws::{
    Condition, FamilyInfo, ServiceInfo, ValueKind, parse_boolean,
};
use akixi_client::secret::{Password, Secret};
use serde_json::{Map, Value};

use super::refusal::Refusal;

/// What the translation reads: the service, its REST binding, and the cipher that protects a
/// secret for the engine.
pub(super) struct Translate<'a> {
    pub(super) svc: &'static ServiceInfo,
    pub(super) rest: &'static RestInfo,
    pub(super) cipher: &'a NonceCipher,
}

impl Translate<'_> {
    /// The members of a JSON object into `payload` as the engine reads them: wire text for each
    /// value, a nested object as a container.
    pub(super) fn body_into(
        &self,
        payload: &mut Extra,
        cx: &BodyCx<'_>,
        container: Option<&str>,
        members: &Map<String, Value>,
    ) -> Result<(), Refusal> {
        for (name, value) in members {
            let path = match container {
                Some(c) => format!("{c}.{name}"),
                None => name.clone(),
            };
            match value {
                Value::Null => {}
                Value::Object(inner) if container.is_none() => {
                    let mut items = Extra::default();
                    self.body_into(&mut items, cx, Some(name), inner)?;
                    payload.push_container(Some(name.clone()), items);
                }
                other => {
                    let text = self.wire_text(cx.op, cx.family, &path, other)?;
                    let text = match cx.family.property(&path).map(|p| p.kind) {
                        // A password goes to the engine as an XML client sends it: protected
                        // with the session's nonce (the REST binding's `password-form` is plain).
                        Some(ValueKind::Secret) => match cx.nonce {
                            Some(nonce) => self
                                .cipher
                                .encrypt(nonce, &Password::new(text))
                                .map_err(|e| {
                                    Refusal::new(Condition::InternalError, e.to_string())
                                })?,
                            None => {
                                return Err(Refusal::new(
                                    Condition::NotAuthenticated,
                                    format!("`{path}` is a secret: set it in a signed-in session"),
                                ));
                            }
                        },
                        _ => text,
                    };
                    payload.push_property(name.clone(), text);
                }
            }
        }
        Ok(())
    }

    /// A JSON value as the wire text of the property at `path`.
    fn wire_text(
        &self,
        op: &RestOperationInfo,
        family: &FamilyInfo,
        path: &str,
        value: &Value,
    ) -> Result<String, Refusal> {
        let bad = |why: &str| {
            Refusal::new(
                Condition::BadPropertyValue,
                format!("`{path}` of REST `{}`: {why}", op.name),
            )
        };
        let form = self.rest.form(op.family, path);
        let kind = family.property(path).map(|p| p.kind);
        let scalar = |v: &Value| -> Result<String, Refusal> {
            match v {
                Value::Bool(b) => Ok(if *b {
                    self.svc.boolean_words.0
                } else {
                    self.svc.boolean_words.1
                }
                .to_string()),
                Value::Number(n) => Ok(n.to_string()),
                Value::String(s) => Ok(s.clone()),
                _ => Err(bad("expected a single value")),
            }
        };
        match (value, form, kind) {
            (Value::Array(items), JsonForm::Array, _) => match items.as_slice() {
                [one] => scalar(one),
                _ => Err(bad("expected a one-element array")),
            },
            (Value::Array(items), _, Some(ValueKind::List)) => items
                .iter()
                .map(scalar)
                .collect::<Result<Vec<_>, _>>()
                .map(|v| v.join(",")),
            (Value::String(s), JsonForm::BracketList, _) => Ok(unbracket(s).to_string()),
            (v, _, _) => scalar(v),
        }
    }

    /// A payload level (an answer, a list entry, a container) as a JSON object, each value in
    /// its kind's JSON or its REST form.
    pub(super) fn object(
        &self,
        family: &FamilyInfo,
        container: Option<&str>,
        level: &Extra,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for item in level.items() {
            match item {
                ExtraItem::Property { name, value } => {
                    let path = match container {
                        Some(c) => format!("{c}.{name}"),
                        None => name.clone(),
                    };
                    out.insert(name.clone(), self.json_value(family, &path, value));
                }
                ExtraItem::Container {
                    name: Some(name),
                    items,
                } if container.is_none() => {
                    out.insert(
                        name.clone(),
                        Value::Object(self.object(family, Some(name), items)),
                    );
                }
                ExtraItem::Container { .. } => {}
            }
        }
        out
    }

    fn json_value(&self, family: &FamilyInfo, path: &str, text: &str) -> Value {
        let kind = family.property(path).map(|p| p.kind);
        let scalar = match kind {
            Some(ValueKind::Boolean) => parse_boolean(text, self.svc.boolean_spellings)
                .map_or_else(|_| Value::String(text.to_string()), Value::Bool),
            Some(ValueKind::Integer { .. }) => text
                .parse::<i64>()
                .map_or_else(|_| Value::String(text.to_string()), Value::from),
            Some(ValueKind::List) => Value::Array(
                text.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            ),
            _ => Value::String(text.to_string()),
        };
        match self.rest.form(family.name, path) {
            JsonForm::Array => Value::Array(vec![scalar]),
            JsonForm::BracketList => Value::String(format!("[{text}]")),
            JsonForm::Native => scalar,
        }
    }
}

/// What a request body is read for: the REST operation, its family, and the session's nonce
/// (for secrets).
pub(super) struct BodyCx<'a> {
    pub(super) op: &'a RestOperationInfo,
    pub(super) family: &'a FamilyInfo,
    pub(super) nonce: Option<&'a Secret>,
}

/// `[a,b]` as `a,b`.
pub(super) fn unbracket(s: &str) -> &str {
    s.strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(s)
}

/// Sets the property at `path` (`Container.Name`) in `payload`.
pub(super) fn put(payload: &mut Extra, path: &str, value: String) {
    match path.split_once('.') {
        None => payload.push_property(path, value),
        Some((container, name)) => {
            let mut items = Extra::default();
            items.push_property(name, value);
            payload.push_container(Some(container.to_string()), items);
        }
    }
}

/// Every property path of `payload`.
pub(super) fn paths(payload: &Extra) -> Vec<String> {
    let mut out = Vec::new();
    for item in payload.items() {
        match item {
            ExtraItem::Property { name, .. } => out.push(name.clone()),
            ExtraItem::Container {
                name: Some(c),
                items,
            } => {
                for inner in items.items() {
                    if let ExtraItem::Property { name, .. } = inner {
                        out.push(format!("{c}.{name}"));
                    }
                }
            }
            ExtraItem::Container { name: None, .. } => {}
        }
    }
    out
}
