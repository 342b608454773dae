//! `akixi em …`: the Cisco Extension Mobility actions, made from the spec at run time: one
//! command per action of `akixi_client::em::ACTIONS`, one flag per parameter (kebab case).
//! Nothing here names an action: the connection parameters are the binding's `url-parameter`,
//! `host-parameter` and `version-parameter`, the application's id its `app-id-parameter`,
//! and an action is sent through the client's `send_any`. The application certificate (the
//! spec's `Secret` parameter) is never a flag: `AKIXI_EM_APP_CERTIFICATE` or a prompt.

use std::time::Duration;

use akixi_client::cisco_em::{self, Client, SeedView};
use akixi_client::em::{self, ACTIONS, AnyAction, BINDING};
use akixi_client::runtime::akixi_ws::{
    FieldInfo, InputUse, OperationInfo, Record, SetError, ValueKind,
};
use clap::{Arg, ArgAction, ArgMatches, Command};
use heck::ToKebabCase;
use serde_json::{Value, json};

use crate::CliError;
use crate::output::{self, Format};

/// The command group.
pub const GROUP: &str = "em";
/// Where the application certificate comes from (else a prompt).
pub const CERTIFICATE_ENV: &str = "AKIXI_EM_APP_CERTIFICATE";

/// An action's command: its name in kebab case.
pub fn command_name(op: &OperationInfo) -> String {
    op.name.to_kebab_case()
}

/// `CallManagerHost` → `call-manager-host`.
pub fn flag_name(f: &FieldInfo) -> String {
    f.property.name.to_kebab_case()
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
        ValueKind::Boolean => {
            let words: Vec<&str> = em::BOOLEAN_SPELLINGS.iter().map(|(s, _)| *s).collect();
            h.push_str(&format!(" [{}]", words.join(" | ")));
        }
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

/// The `em` group: one command per action, with the group's own options (the Akixi
/// options, such as its `--url`, do not apply here).
pub fn group() -> Command {
    let mut group = Command::new(GROUP)
        .about("The Cisco Unified CM Extension Mobility actions (spec cisco-em)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("format")
                .long("format")
                .global(true)
                .value_parser(["table", "json"])
                .default_value("table")
                .help("Output format: table or json"),
        )
        .arg(
            Arg::new("request-timeout")
                .long("request-timeout")
                .global(true)
                .value_name("SECONDS")
                .default_value("30")
                .value_parser(clap::value_parser!(u64))
                .help("Connect and request timeout"),
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
        )
        .arg(
            Arg::new("verbose")
                .long("verbose")
                .short('v')
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Log each exchange (the certificate is never logged)"),
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
            cmd = cmd.arg(
                Arg::new(p.name)
                    .long(flag_name(f))
                    .value_name(p.type_name.to_uppercase())
                    .help(help(f))
                    .required(is_required(f) && !is_connection(p.name))
                    .allow_negative_numbers(matches!(p.kind, ValueKind::Integer { .. }))
                    .action(ArgAction::Set),
            );
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

fn rec(pairs: &[(&str, String)]) -> Record {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// The JSON document of an outcome.
pub fn outcome_json(o: &Outcome) -> Value {
    let mut doc = json!({
        "action": o.action,
        "branch": o.branch.as_str(),
        "ErrorCode": o.view.error_code.code(),
        "ErrorMessage": o.view.error_message,
    });
    if let Some(results) = &o.results {
        doc["results"] = Value::Array(results.iter().map(output::record_json).collect());
    }
    if let Some(e) = &o.error {
        doc["error"] = Value::String(e.to_string());
    }
    doc
}

/// An `ErrorMessage` for people: quoted, or `null` when the service did not answer.
fn shown_message(message: Option<&str>) -> String {
    message.map_or_else(|| "null".to_string(), |m| format!("\"{m}\""))
}

/// The table of an outcome: the seed's view, then the results.
pub fn outcome_table(o: &Outcome) -> String {
    let mut out = output::table(
        &[rec(&[
            ("Branch", o.branch.as_str().to_string()),
            ("ErrorCode", o.view.error_code.code().to_string()),
            (
                "ErrorMessage",
                shown_message(o.view.error_message.as_deref()),
            ),
        ])],
        false,
    );
    if let Some(results) = &o.results {
        out.push('\n');
        out.push_str(&output::table(results, true));
    }
    out
}

fn describe(op: &'static OperationInfo, e: &SetError) -> String {
    let flag = |property: &str| {
        op.fields
            .iter()
            .find(|f| f.property.name == property)
            .map_or_else(|| property.to_string(), |f| format!("--{}", flag_name(f)))
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
            cm.get_one::<String>(f.property.name)
                .map(|v| (f.property.name.to_string(), v.clone()))
        })
        .collect();
    let embedded = given(&fields, BINDING.host_parameter).is_none()
        && given(&fields, BINDING.url_parameter).is_none();
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
    build(op, &probe)?;

    let simulator = if embedded {
        let sim = crate::connect::start_private_simulator().await?;
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

    let timeout = Duration::from_secs(
        cm.get_one::<u64>("request-timeout")
            .copied()
            .unwrap_or(30)
            .max(1),
    );
    let mut builder = Client::builder()
        .connect_timeout(timeout)
        .request_timeout(timeout);
    if cm.get_one::<String>("scheme").map(String::as_str) == Some(BINDING.secure_scheme) {
        builder = builder.scheme(cisco_em::Scheme::Https);
    }
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
/// client refused to send as given.
pub fn report(o: &Outcome, fmt: Format) -> Result<(), CliError> {
    if fmt == Format::Json {
        crate::output::print_json(&outcome_json(o))?;
    } else if o.view.success {
        print!("{}", outcome_table(o));
    }
    if o.view.success {
        return Ok(());
    }
    let detail = o
        .error
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let line = format!(
        "{} failed: branch {}, ErrorCode {}, ErrorMessage {}: {detail}",
        o.action,
        o.branch,
        o.view.error_code.code(),
        shown_message(o.view.error_message.as_deref())
    );
    match &o.error {
        Some(cisco_em::Error::Invalid(_)) => Err(CliError::Usage(line)),
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
            "--timeout",
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
        assert_eq!(outcome_json(&after)["results"][0]["UserId"], "");
        let _ = sim.shutdown().await;
    }
}
