//! The command tree, made from the spec at run time: one group per family, one command per
//! operation, one flag per property. Nothing here names a property or an operation.

use std::collections::BTreeMap;

use akixi_client::akixi::{BOOLEAN_SPELLINGS, FAMILIES, OPERATIONS, dynamic};
use akixi_client::akixi_ws::grammar;
use akixi_client::runtime::akixi_ws::{
    DynError, FieldInfo, InputUse, OpKind, OperationInfo, PropertyInfo, SetError, ValueKind,
};
use clap::{Arg, ArgAction, ArgMatches, Command};
use heck::ToKebabCase;

/// Operation families the command line offers, with their operations (session operations are
/// the client's own business), in the order of what holds what: a family comes after the
/// families its entities reference (CM environments, telephony servers, partitions, then what
/// sits in a partition), by name among equals.
pub fn families() -> Vec<(&'static str, Vec<&'static OperationInfo>)> {
    let mut by_name: BTreeMap<&'static str, Vec<&'static OperationInfo>> = BTreeMap::new();
    for op in OPERATIONS
        .iter()
        .filter(|op| dynamic::NAMES.contains(&op.name))
    {
        by_name.entry(op.family).or_default().push(op);
    }
    let mut out: Vec<_> = by_name.into_iter().collect();
    out.sort_by_cached_key(|(family, _)| (reference_depth(family, 0), *family));
    out
}

/// How many families deep `family`'s references go (0: it references none).
fn reference_depth(family: &str, seen: usize) -> usize {
    // The spec's references form no cycle but the families' own; the bound keeps a
    // self-reference from recursing forever.
    if seen > FAMILIES.len() {
        return seen;
    }
    FAMILIES
        .iter()
        .find(|f| f.name == family)
        .into_iter()
        .flat_map(|f| f.properties.iter().filter_map(|p| p.references))
        .filter(|target| *target != family)
        .map(|target| 1 + reference_depth(target, seen + 1))
        .max()
        .unwrap_or(0)
}

/// `User` → `user`, `TelSys` → `tel-sys`.
pub fn group_name(family: &str) -> String {
    family.to_kebab_case()
}

/// Another name for a group where the family's own name, lower-cased, differs from its group
/// name (`telsys` for `tel-sys`), as administrators tend to type it.
pub fn group_alias(family: &str) -> Option<String> {
    let alias = family.to_lowercase();
    (alias != group_name(family)).then_some(alias)
}

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

/// Whether `f` of `op` is given as a file to read whole: the CSV text of a bulk add.
pub fn read_from_file(op: &OperationInfo, f: &FieldInfo) -> bool {
    op.kind == OpKind::BulkAdd
        && f.input == Some(InputUse::Required)
        && f.property.kind == ValueKind::String
}

/// `UserAdd` in family `User` → `add`.
pub fn command_name(op: &OperationInfo) -> String {
    op.name
        .strip_prefix(op.family)
        .filter(|s| !s.is_empty())
        .unwrap_or(op.name)
        .to_kebab_case()
}

/// The options every Akixi group or command takes (connection, output, paging, JSON input); a
/// property whose flag would be one of them gets its family's name in front
/// (`--tel-sys-platform`).
pub const GLOBAL_FLAGS: &[&str] = &[
    "url",
    "login",
    "password-file",
    "platform",
    "format",
    "timeout",
    "verbose",
    "profile",
    "help",
    "version",
    FROM_JSON,
    "page-size",
    "max-items",
    "offset",
    "limit",
    CLEAR,
];

/// `Scope.TelSysID` → `scope-tel-sys-id`; a secret takes its value from a file: `--user-password-file`.
pub fn flag_name(op: &OperationInfo, p: &PropertyInfo) -> String {
    let base = match p.container {
        Some(c) => format!("{}-{}", c.to_kebab_case(), p.name.to_kebab_case()),
        None => p.name.to_kebab_case(),
    };
    let base = if GLOBAL_FLAGS.contains(&base.as_str()) {
        format!("{}-{base}", op.family.to_kebab_case())
    } else {
        base
    };
    if p.kind == ValueKind::Secret {
        format!("{}-{base}-file", op.family.to_kebab_case())
    } else {
        base
    }
}

/// `Container.Name` or `Name`.
pub fn wire_path(p: &PropertyInfo) -> String {
    match p.container {
        Some(c) => format!("{c}.{}", p.name),
        None => p.name.to_string(),
    }
}

/// The inputs of an operation.
pub fn inputs(op: &'static OperationInfo) -> impl Iterator<Item = &'static FieldInfo> {
    op.fields.iter().filter(|f| f.input.is_some())
}

/// Checks `text` against the property's type before anything is sent; on error, says what is
/// allowed.
pub fn check_value(p: &PropertyInfo, text: &str) -> Result<(), String> {
    let t = text.trim();
    match p.kind {
        ValueKind::Boolean => {
            if BOOLEAN_SPELLINGS.iter().any(|(s, _)| *s == t) {
                Ok(())
            } else {
                let words: Vec<&str> = BOOLEAN_SPELLINGS.iter().map(|(s, _)| *s).collect();
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
pub fn canonical_value(p: &PropertyInfo, text: &str) -> Result<String, String> {
    let t = text.trim();
    match p.kind {
        ValueKind::Boolean => {
            let value = BOOLEAN_SPELLINGS
                .iter()
                .find(|(s, _)| *s == t)
                .or_else(|| {
                    BOOLEAN_SPELLINGS
                        .iter()
                        .find(|(s, _)| s.eq_ignore_ascii_case(t))
                })
                .map(|(_, v)| *v);
            match value {
                // The canonical spelling, as the service writes it.
                Some(v) => Ok(BOOLEAN_SPELLINGS
                    .iter()
                    .find(|(_, b)| *b == v)
                    .map_or(t, |(s, _)| *s)
                    .to_string()),
                None => check_value(p, text).map(|()| text.to_string()),
            }
        }
        ValueKind::Enum if !p.values.is_empty() => match known_value(p, t) {
            Ok(Some(v)) => Ok(v.to_string()),
            Ok(None) => check_value(p, text).map(|()| text.to_string()),
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
                    Ok(None) => return check_value(p, text).map(|()| text.to_string()),
                    Err(()) => return Err(ambiguity(p, tok).unwrap_or_default()),
                }
            }
            Ok(tokens.join(","))
        }
        _ => check_value(p, text).map(|()| text.to_string()),
    }
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

/// `--clear`: the optional properties a change empties.
pub const CLEAR: &str = "clear";

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

fn help(p: &PropertyInfo) -> String {
    let mut h = p.description.to_string();
    match p.kind {
        ValueKind::Boolean => h.push_str(" [Boolean: True or False]"),
        ValueKind::Integer { min, max } => h.push_str(&format!(" [{min}..{max}]")),
        ValueKind::Enum | ValueKind::Selector if !p.values.is_empty() => {
            h.push_str(&format!(
                " [{}{}]",
                p.values.join(" | "),
                if p.kind == ValueKind::Selector {
                    " | a number"
                } else {
                    ""
                }
            ));
        }
        ValueKind::List if !p.values.is_empty() => h.push_str(" [comma-separated]"),
        ValueKind::Secret => h.push_str(" [read from this file; - for standard input]"),
        _ => {}
    }
    h
}

/// The heading of the properties outside containers in `--help`.
const PROPERTIES_HEADING: &str = "Properties";

/// `--from-json`.
pub const FROM_JSON: &str = "from-json";

/// Whether `op` reads its properties from JSON as well as flags: the operations that create or
/// change an entity.
pub fn takes_json(op: &OperationInfo) -> bool {
    matches!(op.kind, OpKind::Add | OpKind::Change)
}

/// `--page-size` and `--max-items`, for walking every page of a list.
pub fn walk_args() -> [Arg; 2] {
    [
        Arg::new("page-size")
            .long("page-size")
            .value_name("N")
            .value_parser(clap::value_parser!(u64).range(1..))
            .help("Entries asked for per request when reading every page (default: the service's default Limit)"),
        Arg::new("max-items")
            .long("max-items")
            .value_name("N")
            .value_parser(clap::value_parser!(u64).range(1..))
            .help("Stop after N entries (without it, every page is read)"),
    ]
}

/// `--page-size`, else the service's default `Limit`.
pub fn page_size(m: &ArgMatches) -> u64 {
    m.get_one::<u64>("page-size")
        .copied()
        .unwrap_or(akixi_client::akixi::DEFAULT_LIMIT)
}

/// `--concurrency`, else `default`.
pub fn concurrency(m: &ArgMatches, default: usize) -> usize {
    m.get_one::<u16>("concurrency")
        .map_or(default, |n| usize::from(*n))
}

/// The input flags of `list` (its filters), for the commands that walk it (export); none
/// without a list.
pub fn filter_args(list: Option<&'static OperationInfo>) -> Vec<Arg> {
    let Some(list) = list else {
        return Vec::new();
    };
    op_command(list)
        .get_arguments()
        .filter(|a| inputs(list).any(|f| wire_path(f.property) == a.get_id().as_str()))
        .cloned()
        .collect()
}

/// The command of one operation.
pub fn op_command(op: &'static OperationInfo) -> Command {
    let mut cmd = Command::new(command_name(op)).about(op.description);
    for f in inputs(op) {
        let p = f.property;
        let required = matches!(f.input, Some(InputUse::Required | InputUse::Key));
        let prop = *p;
        let from_file = read_from_file(op, f);
        let mut arg = Arg::new(wire_path(p))
            .long(flag_name(op, p))
            .value_name(if p.kind == ValueKind::Secret || from_file {
                "FILE".to_string()
            } else {
                p.type_name.to_uppercase()
            })
            .help(if from_file {
                format!(
                    "{} [read whole from this file; - for standard input]",
                    p.description
                )
            } else {
                help(p)
            })
            .help_heading(p.container.map_or_else(
                || PROPERTIES_HEADING.to_string(),
                |c| format!("{c} container"),
            ))
            .action(ArgAction::Set);
        // With --from-json, the required properties may come from the file.
        if required && takes_json(op) {
            arg = arg.required_unless_present(FROM_JSON);
        } else {
            arg = arg.required(required);
        }
        if p.kind != ValueKind::Secret && !from_file {
            arg = arg.value_parser(move |s: &str| canonical_value(&prop, s));
        }
        if p.kind == ValueKind::List && !p.values.is_empty() {
            arg = arg.long_help(format!("{}\n\nValues: {}", help(p), p.values.join(", ")));
        }
        cmd = cmd.arg(arg);
    }
    if op.kind == OpKind::Change {
        cmd = cmd.arg(
            Arg::new(CLEAR)
                .long(CLEAR)
                .value_name("PROPERTY")
                .action(ArgAction::Append)
                .value_parser(move |s: &str| clearable(op, s))
                .help("Clear an optional property, named as a CSV header names it (Container.Name) or by its flag without the dashes; repeatable. Text, enumerations and lists can be cleared; a whole number or a Boolean has no empty value"),
        );
    }
    if takes_json(op) {
        cmd = cmd.arg(
            Arg::new(FROM_JSON)
                .long(FROM_JSON)
                .value_name("FILE")
                .help("Read the properties from FILE (- for standard input): one object in the shape `info --format json` prints (its envelope too); flags given override it"),
        );
    }
    if op.paged {
        cmd = cmd.args(walk_args());
        for (element, help) in [
            (grammar::OFFSET, "Entries to skip (asks for one page)"),
            (grammar::LIMIT, "Entries to return (asks for one page)"),
        ] {
            let flag = element.to_kebab_case();
            cmd = cmd.arg(
                Arg::new(flag.clone())
                    .long(flag)
                    .value_name("N")
                    .help(help)
                    .value_parser(clap::value_parser!(u64)),
            );
        }
    }
    cmd
}

/// A paged operation's offset and limit, as given (the envelope's `Offset` and `Limit`);
/// `None` for an operation that does not page.
pub fn paging(op: &OperationInfo, m: &ArgMatches) -> Option<(Option<u64>, Option<u64>)> {
    let flag = |element: &str| m.get_one::<u64>(&element.to_kebab_case()).copied();
    op.paged
        .then(|| (flag(grammar::OFFSET), flag(grammar::LIMIT)))
        .filter(|(o, l)| o.is_some() || l.is_some())
}

/// The `(wire path, text)` pairs of the flags given, secrets read from their files.
pub fn fields(op: &'static OperationInfo, m: &ArgMatches) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for f in inputs(op) {
        let path = wire_path(f.property);
        if let Some(v) = m.get_one::<String>(&path) {
            let value = if f.property.kind == ValueKind::Secret {
                read_secret(v)?
            } else if read_from_file(op, f) {
                read_whole(v)?
            } else {
                v.clone()
            };
            out.push((path, value));
        }
    }
    Ok(out)
}

/// The first line of `path` (`-`: standard input).
pub fn read_secret(path: &str) -> Result<String, String> {
    Ok(read_whole(path)?
        .lines()
        .next()
        .unwrap_or_default()
        .to_string())
}

/// All of `path` (`-`: standard input).
pub fn read_whole(path: &str) -> Result<String, String> {
    if path == "-" {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| format!("cannot read standard input: {e}"))
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

/// Finds an operation's property by its wire path (`Scope.TelSysID`) or its flag name
/// (`scope-tel-sys-id`), for CSV headers.
pub fn property_by_header(
    op: &'static OperationInfo,
    header: &str,
) -> Option<&'static PropertyInfo> {
    let h = header.trim();
    inputs(op).map(|f| f.property).find(|p| {
        wire_path(p) == h
            || flag_name(op, p) == h.trim_start_matches("--")
            || p.aliases
                .iter()
                .any(|a| p.container.map_or(a.to_string(), |c| format!("{c}.{a}")) == h)
    })
}

#[cfg(test)]
mod tests {
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
    fn names_come_from_the_spec() {
        let add = op("UserAdd");
        assert_eq!(group_name(add.family), "user");
        assert_eq!(command_name(add), "add");
        let flags: Vec<String> = inputs(add).map(|f| flag_name(add, f.property)).collect();
        assert!(flags.contains(&"scope-tel-sys-id".to_string()), "{flags:?}");
        assert!(flags.contains(&"username".to_string()));
        assert!(flags.contains(&"user-password-file".to_string()));
        assert!(
            !flags.contains(&"password".to_string()),
            "no plain password flag"
        );
        assert!(families().iter().all(|(f, _)| *f != "Session"));
    }

    #[test]
    fn a_property_the_axis_value_does_not_support_is_found_before_sending() {
        // Found from the spec's metadata: any family with a support axis and a property one of
        // its values does not support (omnichannel integrations today).
        let found = FAMILIES.iter().find_map(|fam| {
            let axis = fam.support_axis?;
            axis.values.iter().find_map(|value| {
                let p = fam.properties.iter().find(|p| !axis.supports(p, value))?;
                let add = OPERATIONS
                    .iter()
                    .find(|o| o.family == fam.name && o.kind == OpKind::Add)?;
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
