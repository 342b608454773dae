//! A flag's value checked against its property's type before anything is sent (Booleans,
//! ranges, enumerations, lists), matched case-insensitively where unambiguous, and the values a
//! family's support axis does not support.

use akixi_client::akixi::{BOOLEAN_SPELLINGS, FAMILIES};
use akixi_client::runtime::akixi_ws::{OperationInfo, PropertyInfo, ValueKind};

use crate::spec_cli::names::{inputs, wire_path};

/// The properties among `fields` (`(wire path, text)`) that the value they give the family's
/// support axis does not support (`APICommunicationSettings.IPAddress1` of a `LiveChat`
/// integration), with a message saying why, so that they are refused before anything is sent;
/// `None` when the family has no axis, the fields do not give its value, or all are supported.
pub fn unsupported_on_axis(
    op: &OperationInfo,
    fields: &[(String, String)],
) -> Option<(String, Vec<String>)> {
    let family = FAMILIES.iter().find(|f| f.name == op.family)?;
    let axis = family.support_axis?;
    let (_, value) = fields.iter().find(|(path, _)| path == axis.property)?;
    let value = value.trim();
    let paths: Vec<String> = fields
        .iter()
        .filter_map(|(path, _)| {
            let p = family.properties.iter().find(|p| wire_path(p) == *path)?;
            (!axis.supports(p, value)).then(|| path.clone())
        })
        .collect();
    (!paths.is_empty()).then(|| {
        let message = format!(
            "{} {value} does not support {}",
            axis.property,
            paths.join(", ")
        );
        (message, paths)
    })
}

/// Checks `text` against the property's type before anything is sent; on error, says what is
/// allowed.
pub fn check_value_in(spellings: Spellings, p: &PropertyInfo, text: &str) -> Result<(), String> {
    let t = text.trim();
    match p.kind {
        ValueKind::Boolean => {
            if spellings.iter().any(|(s, _)| *s == t) {
                Ok(())
            } else {
                let words: Vec<&str> = spellings.iter().map(|(s, _)| *s).collect();
                Err(format!(
                    "`{text}` is not a Boolean; use one of: {}",
                    words.join(", ")
                ))
            }
        }
        ValueKind::Integer { min, max } => match t.parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => Ok(()),
            _ => Err(format!(
                "`{text}` is not a whole number from {min} to {max}"
            )),
        },
        ValueKind::Enum if !p.values.is_empty() => {
            if p.values.contains(&t) {
                Ok(())
            } else {
                Err(format!(
                    "`{text}` is not a known {}; use one of: {}",
                    p.type_name,
                    p.values.join(", ")
                ))
            }
        }
        ValueKind::List if !p.values.is_empty() => {
            let unknown: Vec<&str> = t
                .split(',')
                .map(str::trim)
                .filter(|tok| !tok.is_empty() && !p.values.contains(tok))
                .collect();
            if unknown.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "unknown {} value(s): {}; use a comma-separated list of: {}",
                    p.type_name,
                    unknown.join(", "),
                    p.values.join(", ")
                ))
            }
        }
        _ => Ok(()),
    }
}

/// `text` as the value the service knows, matched as [`check_value`] checks it but
/// case-insensitively where that is unambiguous, as Booleans are read in several spellings:
/// `akixi 2000` is `Akixi 2000`, `report|read,report|write` is `Report|Read,Report|Write`,
/// `TRUE` is `True`. An exact match always wins; two values that differ only in case are
/// refused as ambiguous, naming both.
pub fn canonical_value_in(
    spellings: Spellings,
    p: &PropertyInfo,
    text: &str,
) -> Result<String, String> {
    let t = text.trim();
    match p.kind {
        ValueKind::Boolean => {
            let value = spellings
                .iter()
                .find(|(s, _)| *s == t)
                .or_else(|| spellings.iter().find(|(s, _)| s.eq_ignore_ascii_case(t)))
                .map(|(_, v)| *v);
            match value {
                // The canonical spelling, as the service writes it.
                Some(v) => Ok(spellings
                    .iter()
                    .find(|(_, b)| *b == v)
                    .map_or(t, |(s, _)| *s)
                    .to_string()),
                None => check_value_in(spellings, p, text).map(|()| text.to_string()),
            }
        }
        ValueKind::Enum if !p.values.is_empty() => match known_value(p, t) {
            Ok(Some(v)) => Ok(v.to_string()),
            Ok(None) => check_value_in(spellings, p, text).map(|()| text.to_string()),
            Err(()) => Err(ambiguity(p, t).unwrap_or_default()),
        },
        ValueKind::Selector if !p.values.is_empty() => match known_value(p, t) {
            Ok(Some(v)) => Ok(v.to_string()),
            Ok(None) => Ok(text.to_string()),
            Err(()) => Err(ambiguity(p, t).unwrap_or_default()),
        },
        ValueKind::List if !p.values.is_empty() => {
            let mut tokens = Vec::new();
            for tok in t.split(',').map(str::trim).filter(|tok| !tok.is_empty()) {
                match known_value(p, tok) {
                    Ok(Some(v)) => tokens.push(v),
                    Ok(None) => {
                        return check_value_in(spellings, p, text).map(|()| text.to_string());
                    }
                    Err(()) => return Err(ambiguity(p, tok).unwrap_or_default()),
                }
            }
            Ok(tokens.join(","))
        }
        _ => check_value_in(spellings, p, text).map(|()| text.to_string()),
    }
}

/// A service's spellings of a Boolean, with their meaning (the generated
/// `BOOLEAN_SPELLINGS`).
pub type Spellings = &'static [(&'static str, bool)];

/// [`check_value_in`] with the Akixi service's Boolean spellings.
pub fn check_value(p: &PropertyInfo, text: &str) -> Result<(), String> {
    check_value_in(BOOLEAN_SPELLINGS, p, text)
}

/// [`canonical_value_in`] with the Akixi service's Boolean spellings.
pub fn canonical_value(p: &PropertyInfo, text: &str) -> Result<String, String> {
    canonical_value_in(BOOLEAN_SPELLINGS, p, text)
}

/// The value of `p`'s `values` that `t` names: itself, or the only one equal to it but for
/// case; `Ok(None)` for none, `Err(())` for more than one.
fn known_value(p: &PropertyInfo, t: &str) -> Result<Option<&'static str>, ()> {
    if let Some(v) = p.values.iter().find(|v| **v == t) {
        return Ok(Some(v));
    }
    let lower = t.to_lowercase();
    let mut matches = p.values.iter().filter(|v| v.to_lowercase() == lower);
    match (matches.next(), matches.next()) {
        (Some(v), None) => Ok(Some(v)),
        (None, _) => Ok(None),
        (Some(_), Some(_)) => Err(()),
    }
}

/// Why `t` names no one value of `p` (several differ from it only in case), if so.
fn ambiguity(p: &PropertyInfo, t: &str) -> Option<String> {
    let lower = t.to_lowercase();
    let all: Vec<&str> = p
        .values
        .iter()
        .copied()
        .filter(|v| v.to_lowercase() == lower)
        .collect();
    (all.len() > 1 && !all.contains(&t)).then(|| {
        format!(
            "`{t}` could be any of {} ({}): give its exact spelling",
            all.join(", "),
            p.type_name
        )
    })
}

/// `fields` (from flags and `--from-json`) with each known value of an enumeration, a
/// selector or a list in its exact spelling where it matches one but for case
/// ([`canonical_value`]); anything else as it was (a value the spec does not list is kept, as
/// the typed client keeps it).
pub fn canonical_fields(
    op: &'static OperationInfo,
    fields: Vec<(String, String)>,
) -> Vec<(String, String)> {
    fields
        .into_iter()
        .map(|(path, text)| {
            let p = inputs(op)
                .map(|f| f.property)
                .find(|p| wire_path(p) == path);
            let text = match p {
                Some(p) if !text.is_empty() && p.kind != ValueKind::Secret => {
                    canonical_value(p, &text).unwrap_or(text)
                }
                _ => text,
            };
            (path, text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use akixi_client::akixi::OPERATIONS;
    use akixi_client::runtime::akixi_ws::OpKind;

    use crate::spec_cli::names::property_by_header;

    use super::*;

    fn op(name: &str) -> &'static OperationInfo {
        OPERATIONS
            .iter()
            .find(|o| o.name == name)
            .expect("operation")
    }

    /// The property of `op`'s input at `path`.
    fn input_property(op: &'static OperationInfo, path: &str) -> &'static PropertyInfo {
        inputs(op)
            .map(|f| f.property)
            .find(|p| wire_path(p) == path)
            .expect("prop")
    }

    #[test]
    fn a_property_the_axis_value_does_not_support_is_found_before_sending() {
        // Found from the spec's metadata: any family with a support axis and a property one of
        // its values does not support (omnichannel integrations today).
        let found = FAMILIES.iter().find_map(|fam| {
            let axis = fam.support_axis?;
            axis.values.iter().find_map(|value| {
                let p = fam.properties.iter().find(|p| !axis.supports(p, value))?;
                let add = fam.operation(OpKind::Add)?;
                Some((add, axis.property, *value, wire_path(p)))
            })
        });
        let (add, axis, value, path) = found.expect("a family with a support axis");
        let fields = vec![
            (axis.to_string(), value.to_string()),
            (path.clone(), "x".to_string()),
        ];
        let (message, paths) = unsupported_on_axis(add, &fields).expect("refused");
        assert_eq!(paths, vec![path.clone()]);
        assert!(
            message.contains(value) && message.contains(&path),
            "{message}"
        );
        assert!(
            unsupported_on_axis(add, &fields[1..]).is_none(),
            "no axis value, no check"
        );
    }

    #[test]
    fn values_are_checked_with_the_allowed_values_listed() {
        let add = op("UserAdd");
        let prop = |path: &str| input_property(add, path);
        assert!(check_value(prop("LockOut"), "on").is_ok());
        let err = check_value(prop("LockOut"), "maybe").expect_err("bad Boolean");
        assert!(err.contains("True") && err.contains("off"), "{err}");
        let err =
            check_value(prop("Scope.ReportingAccess"), "Akixi 9000").expect_err("unknown value");
        assert!(err.contains("Akixi 1000"), "{err}");
        assert!(check_value(prop("Scope.TelSysID"), "12x").is_err());
        assert!(check_value(prop("Permissions.Admin"), "User|Create, User|Read").is_ok());
        assert!(check_value(prop("Permissions.Admin"), "User|Create,Fly").is_err());
        assert_eq!(
            property_by_header(add, "scope-tel-sys-id").map(wire_path),
            Some("Scope.TelSysID".to_string())
        );
        assert_eq!(
            property_by_header(add, "Defaultlang").map(wire_path),
            Some("DefaultLang".to_string())
        );
    }

    #[test]
    fn enumerations_match_case_insensitively_where_unambiguous() {
        let add = op("UserAdd");
        let prop = |path: &str| input_property(add, path);
        let access = prop("Scope.ReportingAccess");
        assert_eq!(
            canonical_value(access, "akixi 2000"),
            Ok("Akixi 2000".into())
        );
        assert_eq!(
            canonical_value(access, "Akixi 2000"),
            Ok("Akixi 2000".into())
        );
        assert!(canonical_value(access, "akixi 9000").is_err());
        assert_eq!(
            canonical_value(prop("DefaultLang"), "EN_gb"),
            Ok("en_GB".into())
        );
        assert_eq!(canonical_value(prop("LockOut"), "TRUE"), Ok("True".into()));
        assert_eq!(canonical_value(prop("LockOut"), "Off"), Ok("False".into()));
        assert!(canonical_value(prop("LockOut"), "maybe").is_err());
        assert_eq!(
            canonical_value(prop("Permissions.NonAdmin"), "report|read, REPORT|READ"),
            Ok("Report|Read,Report|Read".into())
        );
        assert!(canonical_value(prop("Permissions.NonAdmin"), "report|fly").is_err());
        assert_eq!(
            canonical_value(prop("Scope.DeviceNumber"), "all"),
            Ok("All".into())
        );
        assert_eq!(
            canonical_value(prop("Scope.DeviceNumber"), "0123"),
            Ok("0123".into())
        );
        // JSON's unknown values are kept, known ones respelt.
        let fields = canonical_fields(
            add,
            vec![
                ("Scope.ReportingAccess".into(), "AKIXI 3000".into()),
                ("DefaultLang".into(), "xx_XX".into()),
            ],
        );
        assert_eq!(fields[0].1, "Akixi 3000");
        assert_eq!(fields[1].1, "xx_XX");
    }
}
