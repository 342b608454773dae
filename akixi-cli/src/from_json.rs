//! `--from-json`: an add or a change whose properties come from a JSON document in the shape
//! `info --format json` prints (the envelope, or one of its records), read through the
//! generated types, so that `info` → edit → `change` works with `jq`.

use akixi_client::akixi::{OPERATIONS, dynamic};
use akixi_client::runtime::akixi_ws::{OperationInfo, PropertyInfo, Record, ValueKind};
use akixi_client::value::list_items;
use serde_json::{Map, Value};

use crate::error::CliError;
use crate::{bulk::compare, spec_cli};

/// The `(wire path, text)` pairs of `op` from the JSON in `file` (`-`: standard input), with
/// `flags` (already `(wire path, text)`) overriding it.
pub fn fields(
    op: &'static OperationInfo,
    file: &str,
    flags: &[(String, String)],
) -> Result<Vec<(String, String)>, CliError> {
    let text = spec_cli::matches::read_whole(file).map_err(CliError::Usage)?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!("{file}:{}:{}: not JSON: {e}", e.line(), e.column()))
    })?;
    // A property given as `null` is cleared (a change only; a flag's value wins).
    let nulls = spec_cli::clear::json_nulls(&doc);
    let (fields, dropped) =
        record_fields(op, doc, flags).map_err(|why| CliError::Usage(format!("{file}: {why}")))?;
    if !dropped.is_empty() {
        let line = format!(
            "akixi: {file}: {} does not take {}; left out",
            op.name,
            dropped.join(", ")
        );
        eprintln!("{}", crate::terminal_text::escaped_lines(&line));
    }
    spec_cli::clear::with_cleared(op, fields, &nulls, false)
        .map_err(|why| CliError::Usage(format!("{file}: {why}")))
}

/// The `(wire path, text)` pairs of `op` from one JSON document (`flags` overriding it), and
/// the properties of the family it had that `op` does not take (left out).
pub fn record_fields(
    op: &'static OperationInfo,
    doc: Value,
    flags: &[(String, String)],
) -> Result<(Record, Vec<String>), String> {
    record_fields_with(op, doc, flags, false).map(|read| (read.fields, read.left_out))
}

/// One record read from JSON.
#[derive(Debug)]
pub struct ReadRecord {
    /// The `(wire path, text)` pairs of the operation.
    pub fields: Record,
    /// The family's properties the operation does not take (what `info` prints beside its
    /// inputs): left out.
    pub left_out: Vec<String>,
    /// Names the family does not have, left out because `ignore_unknown` was asked.
    pub unknown: Vec<String>,
}

/// [`record_fields`]; with `ignore_unknown`, a name the family does not have is left out and
/// listed instead of refused.
pub fn record_fields_with(
    op: &'static OperationInfo,
    doc: Value,
    flags: &[(String, String)],
    ignore_unknown: bool,
) -> Result<ReadRecord, String> {
    let mut record = one_record(doc)?;
    let (left_out, unknown) = drop_what_op_does_not_take(op, &mut record);
    if !unknown.is_empty() && !ignore_unknown {
        return Err(format!(
            "{} {} not a property of {} ({}){}",
            unknown.join(", "),
            if unknown.len() == 1 { "is" } else { "are" },
            op.family,
            op.name,
            suggestions(op, &unknown)
        ));
    }
    for (path, text) in flags {
        set(op, &mut record, path, text);
    }
    let fields = dynamic::request_fields_from_json(op.name, &Value::Object(record))
        .map_err(|e| e.to_string())?;
    Ok(ReadRecord {
        fields,
        left_out,
        unknown,
    })
}

/// `: did you mean …?` for the unknown names that are close to a property `op` takes (one that
/// starts with it, or differs in case or punctuation only).
fn suggestions(op: &'static OperationInfo, unknown: &[String]) -> String {
    let loose = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let likely: Vec<String> = unknown
        .iter()
        .filter_map(|u| {
            let name = loose(u.rsplit('.').next().unwrap_or(u));
            if name.len() < 3 {
                return None;
            }
            spec_cli::names::inputs(op)
                .map(|f| f.property)
                .find(|p| loose(p.name).starts_with(&name))
                .map(|p| format!("`{}` for {u}", spec_cli::names::wire_path(p)))
        })
        .collect();
    if likely.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", likely.join(", "))
    }
}

/// The record of a document: an object, or the envelope `--format json` prints around one.
fn one_record(doc: Value) -> Result<Map<String, Value>, String> {
    match doc {
        Value::Object(mut map) if map.contains_key("records") && map.contains_key("operation") => {
            match map.remove("records") {
                Some(Value::Array(mut records)) if records.len() == 1 => match records.pop() {
                    Some(Value::Object(record)) => Ok(record),
                    _ => Err("its record is not an object".into()),
                },
                Some(Value::Array(records)) => Err(format!(
                    "the document holds {} records; give one (jq '.records[0]')",
                    records.len()
                )),
                _ => Err("`records` is not an array".into()),
            }
        }
        Value::Object(map) => Ok(map),
        _ => Err("expected a JSON object".into()),
    }
}

/// The properties of `op`'s family, whichever of its operations uses them.
fn family_properties(op: &OperationInfo) -> impl Iterator<Item = &'static PropertyInfo> + '_ {
    OPERATIONS
        .iter()
        .filter(move |o| o.family == op.family)
        .flat_map(|o| o.fields.iter().map(|f| f.property))
}

/// Takes out what `op` does not take: a property of the family that it does not take (what
/// `info` prints beside the inputs), to be dropped with a note, and the names the family does
/// not have, to be refused unless asked otherwise, so that a misspelt name is never silently
/// ignored.
fn drop_what_op_does_not_take(
    op: &'static OperationInfo,
    record: &mut Map<String, Value>,
) -> (Vec<String>, Vec<String>) {
    let takes = |container: Option<&str>, name: &str| {
        spec_cli::names::inputs(op).any(|f| {
            f.property.container == container
                && (f.property.name == name || f.property.aliases.contains(&name))
        })
    };
    let known = |container: Option<&str>, name: &str| {
        family_properties(op).any(|p| p.container == container && p.name == name)
    };
    let is_container = |name: &str| family_properties(op).any(|p| p.container == Some(name));
    let mut dropped = Vec::new();
    let mut unknown = Vec::new();
    let keys: Vec<String> = record.keys().cloned().collect();
    for key in keys {
        if key == "extra" {
            record.remove(&key);
            dropped.push(key);
            continue;
        }
        if is_container(&key) {
            if let Some(Value::Object(inner)) = record.get_mut(&key) {
                let names: Vec<String> = inner.keys().cloned().collect();
                for name in names {
                    if takes(Some(&key), &name) {
                        continue;
                    }
                    inner.remove(&name);
                    let path = format!("{key}.{name}");
                    if known(Some(&key), &name) || name == "extra" {
                        dropped.push(path);
                    } else {
                        unknown.push(path);
                    }
                }
                if inner.is_empty() {
                    record.remove(&key);
                }
            }
            continue;
        }
        if takes(None, &key) {
            continue;
        }
        record.remove(&key);
        if known(None, &key) {
            dropped.push(key);
        } else {
            unknown.push(key);
        }
    }
    (dropped, unknown)
}

/// Sets the property at wire `path` (from a flag) in `record`, typed as the JSON shape has it.
fn set(op: &'static OperationInfo, record: &mut Map<String, Value>, path: &str, text: &str) {
    let Some(p) = spec_cli::names::inputs(op)
        .map(|f| f.property)
        .find(|p| spec_cli::names::wire_path(p) == path)
    else {
        return;
    };
    let value = typed(p, text);
    match p.container {
        Some(c) => {
            let slot = record.entry(c).or_insert_with(|| Value::Object(Map::new()));
            // A flag wins even over a container the file gives as `null`.
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                inner.insert(p.name.to_string(), value);
            }
        }
        None => {
            record.insert(p.name.to_string(), value);
        }
    }
}

/// A flag's text as the JSON value of its property's kind (checked already by the flag's
/// parser; what does not read stays text, for the typed read to refuse with its message).
fn typed(p: &PropertyInfo, text: &str) -> Value {
    match p.kind {
        ValueKind::Integer { .. } => text
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Value::String(text.into()), Value::from),
        ValueKind::Boolean => {
            compare::boolean(text.trim()).map_or_else(|| Value::String(text.into()), Value::Bool)
        }
        ValueKind::List => {
            Value::Array(list_items(text).map(|t| Value::String(t.into())).collect())
        }
        _ => Value::String(text.into()),
    }
}
