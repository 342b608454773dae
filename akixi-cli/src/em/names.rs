//! What the Extension Mobility actions' commands call things, from the spec: one command per
//! action of `akixi_client::em::ACTIONS` (its spec name and aliases still read), one flag per
//! parameter (kebab case; a list named by its element, plural; a parameter whose flag would be
//! a global option renamed), and the parameters the command line fills itself: the binding's
//! `url-parameter` (the global `--url`), `host-parameter` and `version-parameter`, the
//! application's id (`app-id-parameter`), and the certificate (the spec's `Secret` parameter:
//! `AKIXI_EM_APP_CERTIFICATE` or a prompt, never a flag).

use akixi_client::em::{AnyAction, BINDING};
use akixi_client::runtime::cisco_em::{FieldInfo, OperationInfo, ValueKind};
use heck::ToKebabCase;

/// Where the application certificate comes from (else a prompt).
pub const CERTIFICATE_ENV: &str = "AKIXI_EM_APP_CERTIFICATE";

/// Parameters whose kebab-case name is one of the global options, and the flag each takes
/// instead: `--timeout` is the request timeout in every `akixi` command, so the auto-logout
/// duration is `--logout-after`.
const RENAMED: &[(&str, &str)] = &[("Timeout", "logout-after")];

/// `CallManagerHost` → `call-manager-host`; a list is named by its element, plural, so that
/// the queries' lists are spelt alike (`--user-ids`, `--device-names`); see [`RENAMED`].
pub fn flag_name(op: &'static OperationInfo, f: &FieldInfo) -> String {
    if let Some((_, flag)) = RENAMED.iter().find(|(p, _)| *p == f.property.name) {
        return (*flag).to_string();
    }
    if f.property.kind == ValueKind::List
        && let Some(leaf) = element_of(op, f.property.name).and_then(|p| p.rsplit('/').next())
    {
        return format!("{}s", leaf.to_kebab_case());
    }
    f.property.name.to_kebab_case()
}

/// The element path a parameter of `op` is written at, read from an action built with
/// placeholder values (the paths are the generated code's, from the spec).
fn element_of(op: &'static OperationInfo, property: &str) -> Option<&'static str> {
    let probe: Vec<(String, String)> = op
        .fields
        .iter()
        .filter(|f| f.input.is_some())
        .map(|f| {
            let p = f.property;
            let value = match p.kind {
                ValueKind::Integer { min, .. } => min.max(0).to_string(),
                ValueKind::Enum => p.values.first().copied().unwrap_or_default().to_string(),
                ValueKind::Boolean => "false".to_string(),
                _ if p.name == BINDING.url_parameter => "http://probe".to_string(),
                _ => "probe".to_string(),
            };
            (p.name.to_string(), value)
        })
        .collect();
    let action = AnyAction::from_wire_fields(op.name, &probe).ok()?;
    action
        .fields()
        .iter()
        .find(|f| f.property == property)
        .map(|f| f.path)
}

/// The flag a parameter had before it was renamed (still read, not shown).
fn former_flag(f: &FieldInfo) -> Option<String> {
    let name = f.property.name.to_kebab_case();
    (RENAMED.iter().all(|(p, _)| *p != f.property.name)).then_some(name)
}

/// Whether a parameter is a flag of its own: not the secret, not one a global option gives.
pub fn is_flag(f: &FieldInfo) -> bool {
    f.input.is_some() && f.property.kind != ValueKind::Secret && global_option(f).is_none()
}

/// The parameters an action takes as flags of its own ([`is_flag`]).
pub fn flag_inputs(op: &'static OperationInfo) -> impl Iterator<Item = &'static FieldInfo> {
    op.fields.iter().filter(|f| is_flag(f))
}

pub fn secret_parameter(op: &OperationInfo) -> Option<&'static str> {
    op.fields
        .iter()
        .find(|f| f.input.is_some() && f.property.kind == ValueKind::Secret)
        .map(|f| f.property.name)
}

/// The application's id (the binding's `app-id-parameter`).
pub fn app_id_parameter() -> Option<&'static str> {
    Some(BINDING.app_id_parameter).filter(|p| !p.is_empty())
}

/// Parameters the CLI fills itself when connecting (so clap does not require them).
pub fn is_connection(name: &str) -> bool {
    [
        BINDING.url_parameter,
        BINDING.host_parameter,
        BINDING.version_parameter,
    ]
    .contains(&name)
        || app_id_parameter() == Some(name)
}

/// An action's command: its name in kebab case.
pub fn command_name(op: &OperationInfo) -> String {
    op.name.to_kebab_case()
}

/// The other spellings of an action's command: the spec's name and its aliases (the seed's
/// `LogoutALL`), as written and in kebab case.
pub fn command_aliases(op: &'static OperationInfo) -> Vec<String> {
    let mut spellings: Vec<String> = std::iter::once(op.name)
        .chain(op.aliases.iter().copied())
        .flat_map(|n| [n.to_string(), n.to_kebab_case()])
        .filter(|n| *n != command_name(op))
        .collect();
    spellings.dedup();
    spellings
}

/// The global option that gives a parameter, if one does: the service's URL is `--url`, as in
/// every command.
pub fn global_option(f: &FieldInfo) -> Option<&'static str> {
    (f.property.name == BINDING.url_parameter).then_some("url")
}

/// The flag a parameter had before it was renamed, or the spec's own spelling of a list's
/// (still read, not shown).
pub fn flag_aliases(op: &'static OperationInfo, f: &FieldInfo) -> Vec<String> {
    former_flag(f)
        .filter(|n| *n != flag_name(op, f))
        .into_iter()
        .collect()
}

/// What a parameter's help says beyond its description: where the application's id and
/// certificate come from.
pub fn help_note(f: &FieldInfo) -> Option<String> {
    (app_id_parameter() == Some(f.property.name)).then(|| {
        format!(
            "certificate: {CERTIFICATE_ENV} or a prompt; default with the embedded simulator: its application user"
        )
    })
}

#[cfg(test)]
mod tests {
    use akixi_client::em::ACTIONS;

    use super::*;

    /// No parameter's flag is one of the group's options, and the queries' lists are spelt
    /// alike.
    #[test]
    fn flags_do_not_collide_and_lists_are_named_alike() {
        let globals = crate::spec_cli::globals::global_flags();
        let mut lists = Vec::new();
        for op in ACTIONS {
            for f in flag_inputs(op) {
                let flag = flag_name(op, f);
                assert!(!globals.contains(&flag), "{}: --{flag}", op.name);
                if f.property.kind == ValueKind::List {
                    lists.push(flag);
                }
            }
        }
        lists.sort();
        lists.dedup();
        assert_eq!(lists, ["device-names", "user-ids"]);
    }
}
