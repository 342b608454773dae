//! `akixi em …`: the Cisco Extension Mobility actions, made from the spec at run time: one
//! command per action of `akixi_client::em::ACTIONS`, one flag per parameter (kebab case).
//! Nothing here names an action: the connection parameters are the binding's `url-parameter`,
//! `host-parameter` and `version-parameter`, the application's id its `app-id-parameter`,
//! and an action is sent through the client's `send_any`. The application certificate (the
//! spec's `Secret` parameter) is never a flag: `AKIXI_EM_APP_CERTIFICATE` or a prompt.
//!
//! The group behaves as the Akixi groups do: the same connection and output options
//! (`--format`, `--timeout` for the request timeout, `--verbose`, `--profile`), the target
//! named on standard error before an action that changes state, the same JSON envelope
//! (`operation`, `result`, `records` or `errors`; the seed's `branch`, `ErrorCode` and
//! `ErrorMessage` beside them), one line per failure.

use std::time::Duration;

use akixi_client::cisco_em::{self, Client, SeedView};
use akixi_client::em::{self, ACTIONS, AnyAction, BINDING};
use akixi_client::runtime::akixi_ws::{
    FieldInfo, InputUse, OperationInfo, Record, SetError, ValueKind,
};
use clap::{Arg, ArgAction, ArgMatches, Command};
use heck::ToKebabCase;
use serde_json::{Value, json};

use crate::output::{self, EnvelopeResult, Format};
use crate::{CliError, connect, profile, terminal_text};
use akixi_client::akixi_ws::ResultKind;

/// The command group.
pub const GROUP: &str = "em";
/// Where the application certificate comes from (else a prompt).
pub const CERTIFICATE_ENV: &str = "AKIXI_EM_APP_CERTIFICATE";

/// An action's command: its name in kebab case.
pub fn command_name(op: &OperationInfo) -> String {
    op.name.to_kebab_case()
}

/// The heading of the group's options in `--help`, as the Akixi groups name theirs.
const GLOBAL_HEADING: &str = "Connection and output";

/// Parameters whose kebab-case name is one of the group's options, and the flag each takes
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

/// The parameters an action takes as flags (everything but the secret).
fn flag_inputs(op: &'static OperationInfo) -> impl Iterator<Item = &'static FieldInfo> {
    op.fields
        .iter()
        .filter(|f| f.input.is_some() && f.property.kind != ValueKind::Secret)
}

fn secret_parameter(op: &OperationInfo) -> Option<&'static str> {
    op.fields
        .iter()
        .find(|f| f.input.is_some() && f.property.kind == ValueKind::Secret)
        .map(|f| f.property.name)
}

fn is_required(f: &FieldInfo) -> bool {
    matches!(f.input, Some(InputUse::Required | InputUse::Key))
}

/// The application's id (the binding's `app-id-parameter`).
pub fn app_id_parameter() -> Option<&'static str> {
    Some(BINDING.app_id_parameter).filter(|p| !p.is_empty())
}

/// Parameters the CLI fills itself when connecting (so clap does not require them).
fn is_connection(name: &str) -> bool {
    [
        BINDING.url_parameter,
        BINDING.host_parameter,
        BINDING.version_parameter,
    ]
    .contains(&name)
        || app_id_parameter() == Some(name)
}

fn help(f: &FieldInfo) -> String {
    let p = f.property;
    let mut h = p.description.to_string();
    match p.kind {
        // A switch: given or not.
        ValueKind::Boolean => {}
        ValueKind::Integer { min, max } => h.push_str(&format!(" [{min}..{max}]")),
        ValueKind::Enum if !p.values.is_empty() => {
            h.push_str(&format!(" [{}]", p.values.join(" | ")));
        }
        ValueKind::List => h.push_str(" [comma-separated]"),
        _ => {}
    }
    if p.name == BINDING.url_parameter {
        h.push_str(
            " (the EM service URL; without it and --call-manager-host, the embedded simulator)",
        );
    }
    if app_id_parameter() == Some(p.name) {
        h.push_str(&format!(
            " (certificate: {CERTIFICATE_ENV} or a prompt; default with the embedded simulator: its application user)"
        ));
    }
    h
}

/// The `em` group: one command per action, with the options every `akixi` group has
/// (`--format`, `--timeout`, `--verbose`, `--profile`, under the same heading) and its own
/// `--scheme`. The Akixi groups' `--url`, `--login` and `--platform` do not apply: an action's
/// own `--url` and `--call-manager-host` say where it goes.
pub fn group() -> Command {
    let mut group = Command::new(GROUP)
        .about("The Cisco Unified CM Extension Mobility actions (spec cisco-em)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .next_help_heading(GLOBAL_HEADING)
        .arg(
            Arg::new("format")
                .long("format")
                .global(true)
                .value_parser(["table", "json"])
                .default_value("table")
                .help("Output format: table or json"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .alias("request-timeout")
                .global(true)
                .value_name("SECONDS")
                .default_value("30")
                .value_parser(clap::value_parser!(u64))
                .help("Request timeout (the auto-logout duration is login's --logout-after)"),
        )
        .arg(
            Arg::new("verbose")
                .long("verbose")
                .short('v')
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Log each exchange (the certificate is never logged)"),
        )
        .arg(
            Arg::new("profile")
                .long("profile")
                .env("AKIXI_PROFILE")
                .global(true)
                .value_name("NAME")
                .help("Use the named profile of the config file: its em-host (a host[:port], or a URL) and em-app-user, and its timeout; flags override them"),
        )
        .arg(
            Arg::new("scheme")
                .long("scheme")
                .global(true)
                .value_parser([BINDING.default_scheme, BINDING.secure_scheme])
                .help(format!(
                    "Scheme of URLs built from --call-manager-host (default {})",
                    BINDING.default_scheme
                )),
        );
    for op in ACTIONS {
        // The spec's name and its aliases (the seed's `LogoutALL`) are read too.
        let mut spellings: Vec<String> = std::iter::once(op.name)
            .chain(op.aliases.iter().copied())
            .flat_map(|n| [n.to_string(), n.to_kebab_case()])
            .filter(|n| *n != command_name(op))
            .collect();
        spellings.dedup();
        let mut cmd = Command::new(command_name(op))
            .about(op.description)
            .aliases(spellings);
        for f in flag_inputs(op) {
            let p = f.property;
            let flag = flag_name(op, f);
            let mut arg = Arg::new(p.name).long(flag.clone()).help(help(f));
            if p.kind == ValueKind::Boolean {
                // A switch: given or not.
                arg = arg.action(ArgAction::SetTrue);
            } else {
                arg = arg
                    .value_name(p.type_name.to_uppercase())
                    .required(is_required(f) && !is_connection(p.name))
                    .allow_negative_numbers(matches!(p.kind, ValueKind::Integer { .. }))
                    .action(ArgAction::Set);
            }
            if let Some(former) = former_flag(f).filter(|n| *n != flag) {
                arg = arg.alias(former);
            }
            cmd = cmd.arg(arg);
        }
        group = group.subcommand(cmd);
    }
    group
}

/// Whether `--verbose` was given to an `em` command.
pub fn verbose(gm: &ArgMatches) -> bool {
    gm.try_get_one::<bool>("verbose")
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false)
}

/// What one action returned, in the seed's terms.
#[derive(Debug)]
pub struct Outcome {
    /// The action.
    pub action: &'static str,
    /// The branch, ErrorCode and ErrorMessage.
    pub branch: em::Branch,
    /// See [`SeedView`].
    pub view: SeedView,
    /// Query results, one record per device or user.
    pub results: Option<Vec<Record>>,
    /// The client's own account of a failure.
    pub error: Option<cisco_em::Error>,
}

/// Sends `action` with `client`.
pub async fn send(client: &Client, action: &AnyAction) -> Outcome {
    let result = client.send_any(action).await;
    let view = SeedView::of(&result, &BINDING);
    let branch = em::Branch::from(if view.success {
        BINDING.success_branch
    } else {
        BINDING.failure_branch
    });
    let (results, error) = match result {
        Ok(response) => (response.records(), None),
        Err(e) => (None, Some(e)),
    };
    Outcome {
        action: action.name(),
        branch,
        view,
        results,
        error,
    }
}

/// The `result` of the JSON envelope, as the Akixi commands name theirs: `Success`, `Fail`
/// (the service refused), `Invalid` (refused before sending) or `Error` (no answer, or one
/// that could not be read).
fn result_name(o: &Outcome) -> &'static str {
    match &o.error {
        None => EnvelopeResult::Answer(ResultKind::Success).as_str(),
        Some(cisco_em::Error::Failure(_)) => EnvelopeResult::Answer(ResultKind::Fail).as_str(),
        Some(cisco_em::Error::Invalid(_) | cisco_em::Error::Config(_)) => {
            EnvelopeResult::Invalid.as_str()
        }
        Some(_) => EnvelopeResult::Error.as_str(),
    }
}

/// The JSON document of an outcome: the Akixi commands' envelope (`operation`, `result`, and
/// `records` or `errors`), with the seed's view beside it (`branch`, `ErrorCode`, and
/// `ErrorMessage`, null when the service did not answer).
pub fn outcome_json(o: &Outcome) -> Value {
    let mut doc = match &o.error {
        None => {
            let records: Vec<Value> = o
                .results
                .iter()
                .flatten()
                .map(output::record_json)
                .collect();
            output::success_json(o.action, &records)
        }
        Some(e) => {
            let code = e.failure().and_then(cisco_em::Failure::code_number);
            output::failure_json(
                o.action,
                result_name(o),
                &[(code, failure_text(o.action, e))],
            )
        }
    };
    doc["branch"] = json!(o.branch.as_str());
    doc["ErrorCode"] = json!(o.view.error_code.code());
    doc["ErrorMessage"] = json!(o.view.error_message);
    doc
}

/// The table of a success: a query's records, or `ok` for a request (as the Akixi commands
/// print a change).
pub fn outcome_table(o: &Outcome) -> String {
    match &o.results {
        Some(results) => output::table(results, true),
        None => output::table(&[], false),
    }
}

/// What went wrong, once: the service's code and message (`25 User logged in elsewhere`), or
/// the client's account (a refused connection says so).
fn failure_text(action: &str, e: &cisco_em::Error) -> String {
    match e.failure() {
        Some(f) => {
            let message = f
                .message()
                .filter(|m| !m.trim().is_empty())
                .map(str::to_owned)
                .or_else(|| f.code().and_then(|c| c.message()).map(str::to_owned));
            match (f.code_number(), message) {
                (Some(code), Some(m)) => format!("{code} {m}"),
                (Some(code), None) => code.to_string(),
                (None, Some(m)) => m,
                (None, None) => "no code and no message".to_string(),
            }
        }
        None => match e {
            cisco_em::Error::Http(cisco_em::HttpError::Transport(t)) => {
                let url = connect::shown_url(&t.call.url);
                let cause = innermost(t);
                match t.phase {
                    cisco_em::Phase::Connect => {
                        format!("cannot connect to {url}: {cause} (nothing was sent)")
                    }
                    _ => format!(
                        "the connection to {url} failed after the request may have been sent: {cause}"
                    ),
                }
            }
            _ => {
                // The client's errors start with the action (and its URL); it is said once,
                // before.
                let text = e.to_string();
                let rest = text.strip_prefix(action).unwrap_or(&text);
                let rest = match rest.strip_prefix(" (") {
                    Some(r) => r.split_once(')').map_or(r, |(_, after)| after),
                    None => rest,
                };
                let rest = rest.trim_start_matches([':', ' ']);
                if rest.is_empty() {
                    text.clone()
                } else {
                    rest.to_string()
                }
            }
        },
    }
}

/// The innermost cause of an error ("Connection refused"), which the outer ones wrap.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn describe(op: &'static OperationInfo, e: &SetError) -> String {
    let flag = |property: &str| {
        op.fields
            .iter()
            .find(|f| f.property.name == property)
            .map_or_else(
                || property.to_string(),
                |f| format!("--{}", flag_name(op, f)),
            )
    };
    match e {
        SetError::Missing { property } if Some(property.as_str()) == secret_parameter(op) => {
            format!("no application certificate: set {CERTIFICATE_ENV}")
        }
        SetError::Missing { property } => format!("{} is required", flag(property)),
        SetError::BadValue { property, error } => format!("{}: {error}", flag(property)),
        other => other.to_string(),
    }
}

/// The action from `fields`, every problem reported at once as a usage error.
fn build(op: &'static OperationInfo, fields: &[(String, String)]) -> Result<AnyAction, CliError> {
    AnyAction::from_wire_fields(op.name, fields).map_err(|errors| {
        CliError::Usage(
            errors
                .iter()
                .map(|e| describe(op, e))
                .collect::<Vec<_>>()
                .join("\n       "),
        )
    })
}

fn certificate() -> Result<String, CliError> {
    if let Ok(c) = std::env::var(CERTIFICATE_ENV) {
        return Ok(c);
    }
    rpassword::prompt_password("EM application certificate: ").map_err(|e| {
        CliError::Usage(format!(
            "no application certificate: set {CERTIFICATE_ENV} or run in a terminal ({e})"
        ))
    })
}

fn given<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.as_str())
}

/// Where an action goes, resolved from its flags, over the profile, over the embedded
/// simulator.
struct Destination {
    /// The profile whose `em-host` is used.
    profile: Option<String>,
    /// No `--url`, `--call-manager-host` or profile `em-host`: the embedded simulator.
    embedded: bool,
}

/// The profile's EM settings, applied where no flag gave them: `em-host` as the URL (when it
/// has a scheme) or the host, and `em-app-user` as the application's id for that host only.
fn apply_profile(
    gm: &ArgMatches,
    fields: &mut Vec<(String, String)>,
) -> Result<(Destination, Option<u64>), CliError> {
    let flagged = given(fields, BINDING.host_parameter).is_some()
        || given(fields, BINDING.url_parameter).is_some();
    let selected = profile::select(gm.get_one::<String>("profile").map(String::as_str))?;
    let timeout = selected.as_ref().and_then(|(_, p)| p.timeout);
    let mut used = None;
    if !flagged
        && let Some((name, p)) = &selected
        && let Some(host) = p.em_host.as_deref().filter(|h| !h.trim().is_empty())
    {
        let parameter = if host.contains("://") {
            BINDING.url_parameter
        } else {
            BINDING.host_parameter
        };
        fields.push((parameter.to_string(), host.to_string()));
        if let (Some(a), Some(user)) = (app_id_parameter(), p.em_app_user.as_deref())
            && given(fields, a).is_none()
        {
            fields.push((a.to_string(), user.to_string()));
        }
        used = Some(name.clone());
    }
    let embedded = !flagged && used.is_none();
    Ok((
        Destination {
            profile: used,
            embedded,
        },
        timeout,
    ))
}

/// The target line (`→ embedded simulator (STATE)`, `→ profile NAME: URL as APP`, `→ URL as
/// APP`), as the Akixi commands say it before a write.
fn target_line(
    dest: &Destination,
    action: &AnyAction,
    fields: &[(String, String)],
    scheme: cisco_em::Scheme,
) -> String {
    let text = if dest.embedded {
        let state =
            connect::sim_state_path().map_or_else(|e| e.to_string(), |p| p.display().to_string());
        format!("→ embedded simulator ({state})")
    } else {
        let op = ACTIONS.iter().find(|o| o.name == action.name());
        let version = given(fields, BINDING.version_parameter)
            .or_else(|| {
                op.and_then(|o| {
                    o.fields
                        .iter()
                        .find(|f| f.property.name == BINDING.version_parameter)
                })
                .and_then(|f| f.property.default)
            })
            .unwrap_or_default();
        let params = cisco_em::EndpointParams {
            url: given(fields, BINDING.url_parameter),
            call_manager_host: given(fields, BINDING.host_parameter),
            version,
        };
        let url =
            cisco_em::resolve_endpoint(&BINDING, action.name(), action.kind(), &params, scheme)
                .map_or_else(
                    |_| {
                        params
                            .call_manager_host
                            .or(params.url)
                            .unwrap_or_default()
                            .to_string()
                    },
                    |u| u.to_string(),
                );
        let mut line = String::from("→ ");
        if let Some(name) = &dest.profile {
            line.push_str(&format!("profile {name}: "));
        }
        line.push_str(&connect::shown_url(&url));
        if let Some(app) = app_id_parameter().and_then(|a| given(fields, a)) {
            line.push_str(&format!(" as {app}"));
        }
        line
    };
    terminal_text::escaped(&text).into_owned()
}

/// Runs `akixi em <action>`.
pub async fn run(gm: &ArgMatches) -> Result<(), CliError> {
    let Some((command, cm)) = gm.subcommand() else {
        return Err(CliError::Usage("no command".into()));
    };
    let Some(op) = ACTIONS.iter().find(|o| command_name(o) == command) else {
        return Err(CliError::Usage(format!("no command `em {command}`")));
    };
    let fmt = if cm.get_one::<String>("format").map(String::as_str) == Some("json") {
        Format::Json
    } else {
        Format::Table
    };
    let mut fields: Vec<(String, String)> = flag_inputs(op)
        .filter_map(|f| {
            if f.property.kind == ValueKind::Boolean {
                let on = cm.get_flag(f.property.name);
                return on.then(|| (f.property.name.to_string(), "true".to_string()));
            }
            cm.get_one::<String>(f.property.name)
                .map(|v| (f.property.name.to_string(), v.clone()))
        })
        .collect();
    let (dest, profile_timeout) = apply_profile(cm, &mut fields)?;
    let embedded = dest.embedded;
    let app_id = app_id_parameter();
    let default_credentials = embedded && app_id.is_none_or(|a| given(&fields, a).is_none());
    let secret = secret_parameter(op);
    // Check everything else before asking for the certificate.
    let mut probe = fields.clone();
    if default_credentials && let Some(a) = app_id {
        probe.push((a.to_string(), akixi_sim::em::APP_ID.to_string()));
    }
    if let Some(s) = secret {
        probe.push((s.to_string(), String::new()));
    }
    if embedded {
        probe.push((BINDING.url_parameter.to_string(), "http://simulator".into()));
    }
    let probe_action = build(op, &probe)?;
    let scheme =
        if cm.get_one::<String>("scheme").map(String::as_str) == Some(BINDING.secure_scheme) {
            cisco_em::Scheme::Https
        } else {
            cisco_em::Scheme::Http
        };
    // An action that changes state names where it goes first, as every writing command does.
    if probe_action.kind() == cisco_em::ActionKind::Request {
        let mut shown = fields.clone();
        if default_credentials && let Some(a) = app_id {
            shown.push((a.to_string(), akixi_sim::em::APP_ID.to_string()));
        }
        eprintln!("{}", target_line(&dest, &probe_action, &shown, scheme));
    }
    drop(probe_action);

    let simulator = if embedded {
        let sim = connect::start_private_simulator().await?;
        let url = format!(
            "{}{}",
            sim.url().to_string().trim_end_matches('/'),
            BINDING.service_path
        );
        fields.retain(|(k, _)| k != BINDING.url_parameter);
        fields.push((BINDING.url_parameter.to_string(), url));
        Some(sim)
    } else {
        None
    };
    if let Some(s) = secret {
        let cert = if default_credentials {
            if let Some(a) = app_id {
                fields.push((a.to_string(), akixi_sim::em::APP_ID.to_string()));
            }
            akixi_sim::em::APP_CERTIFICATE.to_string()
        } else {
            certificate()?
        };
        fields.push((s.to_string(), cert));
    }
    let action = build(op, &fields)?;
    drop(fields);

    // The flag, over the profile's timeout, over the default.
    let flagged_timeout = matches!(
        cm.value_source("timeout"),
        Some(clap::parser::ValueSource::CommandLine | clap::parser::ValueSource::EnvVariable)
    );
    let seconds = match (flagged_timeout, profile_timeout) {
        (false, Some(t)) => t,
        _ => cm.get_one::<u64>("timeout").copied().unwrap_or(30),
    };
    let timeout = Duration::from_secs(seconds.max(1));
    let mut builder = Client::builder()
        .connect_timeout(timeout)
        .request_timeout(timeout)
        .scheme(scheme);
    // The embedded simulator listens only on a socket this user can open.
    if let Some(socket) = simulator.as_ref().and_then(|sim| sim.unix_socket()) {
        builder = builder.unix_socket(socket);
    }
    let result = match builder.build() {
        Ok(client) => Ok(send(&client, &action).await),
        Err(e) => Err(CliError::Failure(e.to_string())),
    };
    if let Some(sim) = simulator {
        let _ = sim.shutdown().await;
    }
    let outcome = result?;
    report(&outcome, fmt)
}

/// Prints an outcome and picks the exit: 0 on success, 1 on failure, 64 for an action the
/// client refused to send as given. A success prints its result (a query's records, `ok` for
/// a request); a failure is one line on standard error (`ACTION failed: CODE MESSAGE`), and
/// with `--format json` the document on standard output too.
pub fn report(o: &Outcome, fmt: Format) -> Result<(), CliError> {
    if fmt == Format::Json {
        crate::output::print_json(&outcome_json(o))?;
    } else if o.error.is_none() {
        print!("{}", outcome_table(o));
    }
    let Some(e) = &o.error else {
        return Ok(());
    };
    let line = format!("{} failed: {}", o.action, failure_text(o.action, e));
    match e {
        cisco_em::Error::Invalid(_) => Err(CliError::Usage(line)),
        _ => Err(CliError::Failure(line)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_flags_come_from_the_spec() {
        let g = group();
        let names: Vec<&str> = g.get_subcommands().map(Command::get_name).collect();
        assert_eq!(names.len(), AnyAction::NAMES.len());
        assert!(names.contains(&"logout-all"), "{names:?}");
        let login = g.find_subcommand("login").expect("login");
        let flags: Vec<String> = login
            .get_arguments()
            .filter_map(|a| a.get_long().map(str::to_string))
            .collect();
        for f in [
            "call-manager-host",
            "url",
            "version",
            "app-id",
            "device-name",
        ] {
            assert!(flags.contains(&f.to_string()), "{f}: {flags:?}");
        }
        assert!(
            !flags.iter().any(|f| f.contains("certificate")),
            "{flags:?}"
        );
        assert_eq!(app_id_parameter(), Some("AppId"));
        // The duration is not the request timeout; its switch takes no value.
        assert!(flags.contains(&"logout-after".to_string()), "{flags:?}");
        assert!(!flags.contains(&"timeout".to_string()), "{flags:?}");
        let switch = login
            .get_arguments()
            .find(|a| a.get_long() == Some("no-timeout"))
            .expect("--no-timeout");
        assert!(!switch.get_action().takes_values());
    }

    /// No parameter's flag is one of the group's options, and the queries' lists are spelt
    /// alike.
    #[test]
    fn flags_do_not_collide_and_lists_are_named_alike() {
        let g = group();
        let globals: Vec<&str> = g.get_arguments().filter_map(|a| a.get_long()).collect();
        let mut lists = Vec::new();
        for op in ACTIONS {
            for f in flag_inputs(op) {
                let flag = flag_name(op, f);
                assert!(!globals.contains(&flag.as_str()), "{}: --{flag}", op.name);
                if f.property.kind == ValueKind::List {
                    lists.push(flag);
                }
            }
        }
        lists.sort();
        lists.dedup();
        assert_eq!(lists, ["device-names", "user-ids"]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let op = ACTIONS.iter().find(|o| o.name == "Login").expect("Login");
        let fields = vec![
            ("Timeout".to_string(), "-3".to_string()),
            ("Version".to_string(), "v999".to_string()),
        ];
        let Err(CliError::Usage(msg)) = build(op, &fields) else {
            panic!("expected a usage error");
        };
        for part in [
            "--logout-after",
            "--version",
            "--device-name is required",
            "--user-id is required",
        ] {
            assert!(msg.contains(part), "{part}: {msg}");
        }
    }

    /// Login, query, logout-all, query: one simulator, within one process.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn logout_all_logs_everyone_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sim = akixi_sim::Simulator::start(
            akixi_sim::Config::default().state(dir.path().join("sim.sqlite")),
        )
        .await
        .expect("simulator");
        let url = format!(
            "{}{}",
            sim.url().to_string().trim_end_matches('/'),
            BINDING.service_path
        );
        let url: &'static str = Box::leak(url.into_boxed_str());
        let client = Client::builder().build().expect("client");
        let creds = |mut f: Vec<(&str, &str)>| -> Vec<(String, String)> {
            f.extend([
                ("AppId", akixi_sim::em::APP_ID),
                ("AppCertificate", akixi_sim::em::APP_CERTIFICATE),
                ("Url", url),
            ]);
            f.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let device = akixi_sim::em::DEVICES[0].name;
        let user = akixi_sim::em::USERS[0].id;
        let run = |name: &str, f: Vec<(String, String)>| {
            let action = AnyAction::from_wire_fields(name, &f).expect("action");
            let client = &client;
            async move { send(client, &action).await }
        };
        let login = run(
            "Login",
            creds(vec![("DeviceName", device), ("UserId", user)]),
        )
        .await;
        assert!(login.view.success, "{login:?}");
        let query = || run("QueryDevices", creds(vec![("DeviceNames", device)]));
        let before = query().await;
        let rows = before.results.clone().expect("results");
        assert!(
            rows[0].contains(&("UserId".to_string(), user.to_string())),
            "{rows:?}"
        );
        let all = run("LogoutAll", creds(vec![])).await;
        assert!(all.view.success, "{all:?}");
        assert_eq!(all.branch, em::Branch::Success);
        let after = query().await;
        let rows = after.results.clone().expect("results");
        assert!(
            rows[0].contains(&("State".to_string(), "none".to_string())),
            "{rows:?}"
        );
        assert_eq!(outcome_json(&after)["records"][0]["UserId"], "");
        let _ = sim.shutdown().await;
    }
}
