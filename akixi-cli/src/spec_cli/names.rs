//! What the Akixi command tree calls things, from the spec: one group per family (in the order
//! of what holds what), one command per operation, one flag per property; nothing here names a
//! property or an operation.

use std::collections::BTreeMap;

use akixi_client::akixi::{OPERATIONS, SERVICE, dynamic};
use akixi_client::runtime::akixi_ws::{
    FieldInfo, InputUse, OpKind, OperationInfo, PropertyInfo, ValueKind,
};

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
    let depth = |family: &str| SERVICE.family(family).map_or(0, |f| f.reference_depth);
    out.sort_by_cached_key(|(family, _)| (depth(family), *family));
    out
}

/// The operation of kind `kind` of the family named `family`, from the spec's metadata.
pub fn operation_of(family: &str, kind: OpKind) -> Option<&'static OperationInfo> {
    SERVICE.family(family)?.operation(kind)
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

/// `--clear`: the optional properties a change empties.
pub const CLEAR: &str = "clear";

/// `--from-json`.
pub const FROM_JSON: &str = "from-json";

/// Whether `op` reads its properties from JSON as well as flags: the operations that create or
/// change an entity.
pub fn takes_json(op: &OperationInfo) -> bool {
    matches!(op.kind, OpKind::Add | OpKind::Change)
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

/// The Akixi operation `name`, for tests.
#[cfg(test)]
pub(crate) fn test_operation(name: &str) -> &'static OperationInfo {
    OPERATIONS
        .iter()
        .find(|o| o.name == name)
        .expect("operation")
}

#[cfg(test)]
mod tests {
    use super::test_operation as op;
    use super::*;

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
}
