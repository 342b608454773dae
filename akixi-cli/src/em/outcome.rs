//! What one Extension Mobility action returned ([`Outcome`], in the seed's terms), sent with
//! the client's `send_any`, and how it is shown: the Akixi commands' JSON envelope
//! (`operation`, `result`, `records` or `errors`) with the seed's `branch`, `ErrorCode` and
//! `ErrorMessage` beside it, a table, or one line per failure, and the exit code.

use akixi_client::akixi_ws::ResultKind;
use akixi_client::cisco_em;
use akixi_client::em::{self, AnyAction, BINDING, Client, SeedView};
use akixi_client::runtime::cisco_em::Record;
use serde_json::{Value, json};

use crate::connect;
use crate::error::CliError;
use crate::output::{self, EnvelopeResult, Format};

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
    pub error: Option<em::Error>,
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
        Some(em::Error::Failure(_)) => EnvelopeResult::Answer(ResultKind::Fail).as_str(),
        Some(em::Error::Invalid(_) | em::Error::Config(_)) => EnvelopeResult::Invalid.as_str(),
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
fn failure_text(action: &str, e: &em::Error) -> String {
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
            em::Error::Http(cisco_em::HttpError::Transport(t)) => {
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
        em::Error::Invalid(_) => Err(CliError::Usage(line)),
        _ => Err(CliError::Failure(line)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
