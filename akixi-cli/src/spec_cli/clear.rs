//! What a change empties: `--clear PROPERTY` and a JSON `null`, and what a command sends once
//! settled (values in their exact spelling, clears applied, an empty change refused).

use akixi_client::akixi::dynamic;
use akixi_client::runtime::akixi_ws::{
    DynError, InputUse, OpKind, OperationInfo, SetError, ValueKind,
};
use clap::ArgMatches;

use crate::spec_cli::names::{CLEAR, command_name, flag_name, group_name, inputs, wire_path};
use crate::spec_cli::values::canonical_fields;

/// The wire path of the property of `op` named `name` (its wire path or flag name), if a
/// change can clear it: an optional input (not a key, not required, not a secret) whose type
/// has an empty value on the wire (text, enumerations, lists, selectors). A whole number or a
/// Boolean has none: the service refuses an empty one, so it is refused here, saying so.
pub fn clearable(op: &'static OperationInfo, name: &str) -> Result<String, String> {
    let Some(f) = inputs(op).find(|f| {
        let p = f.property;
        wire_path(p) == name.trim() || flag_name(op, p) == name.trim().trim_start_matches("--")
    }) else {
        return Err(format!(
            "{} takes no property `{name}`; it can clear: {}",
            op.name,
            clearable_names(op).join(", ")
        ));
    };
    let path = wire_path(f.property);
    if f.input != Some(InputUse::Optional) || f.property.kind == ValueKind::Secret {
        return Err(format!("{path} cannot be cleared: {} needs it", op.name));
    }
    // Whether the typed request takes an empty value for it (the keys it lacks aside).
    let empty_refused = match dynamic::validate(op.name, &[(path.clone(), String::new())], None) {
        Err(DynError::Fields(errors)) => errors
            .iter()
            .any(|e| matches!(e, SetError::BadValue { property, .. } if *property == path)),
        _ => false,
    };
    if empty_refused {
        return Err(format!(
            "{path} cannot be cleared: it is {} ({}), which has no empty value; give it a value instead",
            match f.property.kind {
                ValueKind::Integer { .. } => "a whole number",
                ValueKind::Boolean => "a Boolean",
                _ => "a value",
            },
            f.property.type_name
        ));
    }
    Ok(path)
}

/// The wire paths of the properties `op` can clear ([`clearable`]).
pub fn clearable_names(op: &'static OperationInfo) -> Vec<String> {
    inputs(op)
        .filter_map(|f| clearable(op, &wire_path(f.property)).ok())
        .collect()
}

/// `fields` with each property in `cleared` (wire paths) given the empty value that clears it:
/// `replace` decides whether a value already in `fields` gives way (a `--clear` flag) or wins
/// (a JSON `null`, which a flag overrides). A property of the family that `op` does not take is
/// left out here (it was noted when read). Only a change clears.
pub fn with_cleared(
    op: &'static OperationInfo,
    mut fields: Vec<(String, String)>,
    cleared: &[String],
    replace: bool,
) -> Result<Vec<(String, String)>, String> {
    if op.kind != OpKind::Change {
        return Ok(fields);
    }
    for name in cleared {
        if !inputs(op).any(|f| wire_path(f.property) == *name) {
            continue;
        }
        let path = clearable(op, name)?;
        match fields.iter().position(|(p, _)| *p == path) {
            Some(i) if replace => fields[i].1 = String::new(),
            Some(_) => {}
            None => fields.push((path, String::new())),
        }
    }
    Ok(fields)
}

/// The properties a JSON document gives as `null` (wire paths; inside a container too), in
/// the record `info --format json` prints or in its envelope: what `--from-json` clears. A
/// container given as `null` is listed too, and clears nothing ([`with_cleared`] passes over
/// what is not a property).
pub fn json_nulls(doc: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    let record = match doc.get("records").and_then(Value::as_array) {
        Some(records) if doc.get("operation").is_some() => match records.as_slice() {
            [one] => one,
            _ => return Vec::new(),
        },
        _ => doc,
    };
    let Some(map) = record.as_object() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in map {
        match v {
            Value::Null => out.push(k.clone()),
            Value::Object(inner) => out.extend(
                inner
                    .iter()
                    .filter(|(_, v)| v.is_null())
                    .map(|(name, _)| format!("{k}.{name}")),
            ),
            _ => {}
        }
    }
    out
}

/// What a command of `op` sends, settled: values in their exact spelling
/// ([`canonical_fields`]), the `--clear` flags applied (a flag's value for the same property
/// is refused), and a change that names only its entity refused, naming what it can change.
pub fn settled(
    op: &'static OperationInfo,
    m: &ArgMatches,
    fields: Vec<(String, String)>,
) -> Result<Vec<(String, String)>, String> {
    let fields = canonical_fields(op, fields);
    let cleared: Vec<String> = m
        .try_get_many::<String>(CLEAR)
        .ok()
        .flatten()
        .map(|v| v.cloned().collect())
        .unwrap_or_default();
    for path in &cleared {
        if m.try_get_one::<String>(path).ok().flatten().is_some() {
            let flag = inputs(op)
                .find(|f| wire_path(f.property) == *path)
                .map_or_else(|| path.clone(), |f| flag_name(op, f.property));
            return Err(format!(
                "--{flag} and --clear {path} say different things: give one"
            ));
        }
    }
    let fields = with_cleared(op, fields, &cleared, true)?;
    if op.kind == OpKind::Change {
        let keys: Vec<String> = inputs(op)
            .filter(|f| f.input == Some(InputUse::Key))
            .map(|f| wire_path(f.property))
            .collect();
        if fields.iter().all(|(path, _)| keys.contains(path)) {
            let flags: Vec<String> = inputs(op)
                .filter(|f| f.input != Some(InputUse::Key))
                .map(|f| format!("--{}", flag_name(op, f.property)))
                .collect();
            return Err(format!(
                "{} {}: nothing to change; give one of {} (or --clear PROPERTY, or --from-json FILE)",
                group_name(op.family),
                command_name(op),
                flags.join(", ")
            ));
        }
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_cli::names::test_operation as op;

    #[test]
    fn what_a_change_can_clear() {
        let change = op("UserChange");
        assert_eq!(clearable(change, "FullName"), Ok("FullName".into()));
        assert_eq!(
            clearable(change, "scope-reporting-access"),
            Ok("Scope.ReportingAccess".into())
        );
        assert_eq!(
            clearable(change, "Permissions.NonAdmin"),
            Ok("Permissions.NonAdmin".into())
        );
        let e = clearable(change, "Scope.TelSysID").expect_err("no empty integer");
        assert!(e.contains("whole number"), "{e}");
        let e = clearable(change, "LockOut").expect_err("no empty Boolean");
        assert!(e.contains("Boolean"), "{e}");
        let e = clearable(change, "Username").expect_err("the key");
        assert!(e.contains("needs it"), "{e}");
        let e = clearable(change, "Nope").expect_err("unknown");
        assert!(e.contains("FullName"), "names what it can clear: {e}");
        let nulls = json_nulls(&serde_json::json!({
            "operation": "UserInfo",
            "records": [{"FullName": null, "Scope": {"ReportingAccess": null, "TelSysID": 1}, "Advanced": null}]
        }));
        assert_eq!(nulls, ["FullName", "Scope.ReportingAccess", "Advanced"]);
        let fields = with_cleared(
            change,
            vec![
                ("Username".into(), "a".into()),
                ("FullName".into(), "Flag".into()),
            ],
            &nulls,
            false,
        )
        .expect("cleared");
        assert_eq!(
            fields,
            vec![
                ("Username".to_string(), "a".to_string()),
                ("FullName".to_string(), "Flag".to_string()),
                ("Scope.ReportingAccess".to_string(), String::new()),
            ],
            "a flag's value wins over a null"
        );
        assert!(with_cleared(change, Vec::new(), &["LockOut".to_string()], false).is_err());
        assert!(
            with_cleared(op("UserAdd"), Vec::new(), &["FullName".to_string()], false)
                .expect("add")
                .is_empty(),
            "an add has nothing to clear"
        );
    }
}
