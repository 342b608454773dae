//! Running an Extension Mobility action's command: its parameters from the flags and the
//! global `--url`, over the profile's `em-host` and `em-app-user`, over the embedded
//! simulator; everything checked before the certificate is asked for; the target named before
//! an action that changes state; the action sent and its outcome shown. The global options
//! that name an Akixi sign-in (`--login`, `--password-file`, `--platform`) are refused.

use std::time::Duration;

use akixi_client::cisco_em;

use akixi_client::em::{ACTIONS, AnyAction, BINDING, Client};
use akixi_client::runtime::cisco_em::{OperationInfo, SetError, ValueKind};
use clap::ArgMatches;

use crate::em::names::{
    CERTIFICATE_ENV, app_id_parameter, flag_inputs, flag_name, global_option, secret_parameter,
};
use crate::em::outcome::{report, send};
use crate::error::CliError;
use crate::output::Formats;
use crate::spec_cli::globals;
use crate::spec_cli::registry::Invocation;
use crate::{connect, profile, terminal_text};

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

/// The global options that name an Akixi sign-in, which an action does not take.
const NOT_FOR_EM: &[(&str, &str)] = &[
    ("login", "the application user is --app-id"),
    (
        "password-file",
        "the application certificate comes from AKIXI_EM_APP_CERTIFICATE or a prompt",
    ),
    ("platform", "the platforms are the Akixi service's"),
];

/// Runs `akixi em <action>`.
pub async fn run(invocation: &Invocation<'_>, op: &'static OperationInfo) -> Result<(), CliError> {
    crate::family::prelude::use_sim_snapshot(invocation.root);
    let cm = invocation.matches;
    if let Some((option, instead)) = NOT_FOR_EM.iter().find(|(o, _)| globals::given(cm, o)) {
        return Err(CliError::Usage(format!(
            "em {}: --{option} does not apply to the Extension Mobility actions: {instead}",
            invocation.command()
        )));
    }
    crate::output::accept_format(cm, &invocation.name(), Formats::Other)?;
    let fmt = globals::format(cm);
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
    // The parameters the global options give (the URL), when given on the command line: an
    // Akixi URL in the environment (AKIXI_URL) is not an EM service's.
    for f in op.fields.iter().filter(|f| f.input.is_some()) {
        if let Some(option) = global_option(f)
            && globals::given(cm, option)
            && let Some(value) = cm.get_one::<String>(option)
        {
            fields.push((f.property.name.to_string(), value.clone()));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
