//! `plan --rehearse` and `apply --rehearse`: the plan's requests sent first to a copy of the
//! service, as the same caller, and every refusal reported before anything is sent for real.
//!
//! The copy: a snapshot of what the caller sees (taken now through the API, or reused with
//! `--snapshot FILE`), restored into a simulator in memory ([`connect::restored`]), signed in
//! as the snapshot's caller, whose account is in the snapshot: its permissions, scope and the
//! platforms of its telephony servers are the service's. The requests go there exactly as apply
//! sends them ([`crate::bulk::send::run_steps`], phase by phase, the prune held back after a failure as apply
//! holds it back). Only reads reach the real service: the plan's, the snapshot's, and three
//! small list requests that measure its latency for the estimate of how long the apply takes
//! (round trips × latency ÷ concurrency).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use akixi_client::akixi::{SERVICE, dynamic};
use akixi_client::runtime::akixi_ws::{InputUse, OpKind};
use clap::{Arg, ArgAction, ArgMatches};
use serde_json::Value;

use crate::bulk::send_row::Step;
use crate::bulk::summary::{OnExisting, Summary};
use crate::connect::{self, Connection};
use crate::error::CliError;
use crate::listing::Walk;
use crate::snapshot::{self, Scope};
use crate::terminal_text;

/// `--rehearse`.
pub const REHEARSE: &str = "rehearse";
/// `--snapshot`.
pub const SNAPSHOT: &str = "snapshot";
/// `--ignore-rehearsal`.
pub const IGNORE: &str = "ignore-rehearsal";
/// `--rehearsal-state`.
pub const STATE_OUT: &str = "rehearsal-state";

/// The options of a rehearsal (`apply` also takes `--ignore-rehearsal`).
pub fn args(apply: bool) -> Vec<Arg> {
    let mut args = vec![
        Arg::new(REHEARSE).long(REHEARSE).action(ArgAction::SetTrue).help("First send the plan's requests to a copy of the service (a snapshot restored into an in-memory simulator, signed in as a copy of the caller) and report every request it refuses; only reads reach the service"),
        Arg::new(SNAPSHOT).long(SNAPSHOT).value_name("FILE").value_parser(clap::value_parser!(PathBuf)).requires(REHEARSE).help("With --rehearse: rehearse on this snapshot (akixi snapshot --out FILE) if it exists; otherwise take one and save it here"),
        Arg::new(STATE_OUT).long(STATE_OUT).value_name("FILE").value_parser(clap::value_parser!(PathBuf)).requires(REHEARSE).help("With --rehearse: write a snapshot of the copy after the rehearsal (what the service would hold after the apply)"),
    ];
    if apply {
        args.push(
            Arg::new(IGNORE)
                .long(IGNORE)
                .action(ArgAction::SetTrue)
                .requires(REHEARSE)
                .help("Apply even though the rehearsal found requests the service would refuse"),
        );
    }
    args
}

/// Whether `--rehearse` was given.
pub fn asked(cm: &ArgMatches) -> bool {
    cm.try_get_one::<bool>(REHEARSE)
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false)
}

/// What a rehearsal found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The counts.
    pub summary: Summary,
    /// Requests not sent (the prune, after a failure).
    pub held_back: usize,
}

impl Outcome {
    /// Whether every request succeeded.
    pub fn clean(&self) -> bool {
        self.summary.failed_rows() == 0 && self.summary.partial == 0
    }
}

/// The real service's latency: the median of three small list requests (reads), timed
/// whatever their answer (a refusal is a round trip too).
async fn latency(conn: &Connection) -> Duration {
    let list = SERVICE
        .families_in_reference_order()
        .into_iter()
        .filter_map(|f| f.operation(OpKind::List))
        .find(|o| o.fields.iter().all(|f| f.input != Some(InputUse::Required)));
    let Some(list) = list else {
        return Duration::ZERO;
    };
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let _ = dynamic::call_paged(
            &conn.client,
            list.name,
            &[],
            conn.platform,
            Some(0),
            Some(1),
        )
        .await;
        times.push(started.elapsed());
    }
    times.sort();
    times[1]
}

/// Rehearses `phases` (the plan's requests) on a copy of the service `conn` reaches, and
/// reports every request the copy refused or partly refused on stderr, with the estimate.
pub async fn rehearse(
    conn: &Connection,
    phases: &[Vec<Step>; 3],
    cm: &ArgMatches,
    concurrency: usize,
) -> Result<Outcome, CliError> {
    let walk = Walk {
        page_size: akixi_client::akixi::DEFAULT_LIMIT,
        max_items: None,
    };
    let reuse = cm.try_get_one::<PathBuf>(SNAPSHOT).ok().flatten();
    let snap = match reuse {
        Some(path) if path.exists() => akixi_sim::Snapshot::load(path, &SERVICE)
            .map_err(|e| CliError::Usage(format!("--snapshot: {e}")))?,
        _ => {
            eprintln!("akixi: rehearsal: taking a snapshot of what the caller sees (reads only)");
            let snap = snapshot::take(conn, &Scope::default(), concurrency, walk, true).await?;
            if let Some(path) = reuse {
                snap.save(path)
                    .map_err(|e| CliError::Failure(format!("cannot write the snapshot: {e}")))?;
                eprintln!("akixi: rehearsal: snapshot saved to {}", path.display());
            }
            snap
        }
    };
    let latency = latency(conn).await;
    // The caller's copy, when the snapshot holds the caller's account (one an administrator
    // took holds everyone's); else the snapshot's own caller.
    let caller = if snap.has_account(&conn.caller) {
        conn.caller.clone()
    } else {
        eprintln!(
            "akixi: rehearsal: the snapshot does not hold {}: the rehearsal signs in as its caller, {}",
            terminal_text::escaped(&conn.caller),
            terminal_text::escaped(&snap.header.caller)
        );
        snap.header.caller.clone()
    };
    let label = format!(
        "a copy of {} ({} entities, taken {}) as {caller}",
        snap.header.service,
        snap.len(),
        snap.header.taken,
    );
    let (sim, client) = connect::restored(snap, &caller, Duration::from_secs(60)).await?;
    let started = Instant::now();
    let mut outcome = Outcome::default();
    let mut failed: Vec<Value> = Vec::new();
    for (i, phase) in phases.iter().enumerate() {
        if phase.is_empty() {
            continue;
        }
        if i == 2 && outcome.summary.failed_rows() > 0 {
            outcome.held_back += phase.len();
            continue;
        }
        let run = crate::bulk::send::run_steps(
            &client,
            phase.clone(),
            crate::bulk::send::Options {
                concurrency,
                results: None,
                on_existing: OnExisting::Fail,
                json: true,
            },
        )
        .await;
        let run = match run {
            Ok(run) => run,
            Err(e) => {
                let _ = sim.shutdown().await;
                return Err(e);
            }
        };
        outcome.summary.add(&run.summary);
        if let (Value::Array(rows), _) = run.report.json_parts() {
            failed.extend(rows);
        }
    }
    let took = started.elapsed();
    if let Some(path) = cm.try_get_one::<PathBuf>(STATE_OUT).ok().flatten() {
        let copy = Connection {
            client: client.clone(),
            simulator: None,
            platform: conn.platform,
            service: conn.service.clone(),
            caller: conn.caller.clone(),
        };
        let after = snapshot::take(&copy, &Scope::default(), concurrency, walk, false).await;
        match after.and_then(|s| {
            s.save(path)
                .map_err(|e| CliError::Failure(format!("cannot write the snapshot: {e}")))
        }) {
            Ok(()) => eprintln!(
                "akixi: rehearsal: the copy's state afterwards written to {}",
                path.display()
            ),
            Err(e) => eprintln!("akixi: rehearsal: {e}"),
        }
    }
    let _ = sim.shutdown().await;
    report(&outcome, &failed, &label, latency, concurrency, took);
    Ok(outcome)
}

/// Prints what the rehearsal found.
fn report(
    outcome: &Outcome,
    failed: &[Value],
    label: &str,
    latency: Duration,
    concurrency: usize,
    took: Duration,
) {
    let s = &outcome.summary;
    let sent = s.succeeded + s.partial + s.failed + s.conflicts;
    eprintln!(
        "akixi: rehearsal on {}: {sent} request(s) in {:.1} s: {} succeeded, {} partly failed, {} failed{}",
        terminal_text::escaped(label),
        took.as_secs_f64(),
        s.succeeded,
        s.partial,
        s.failed_rows(),
        if outcome.held_back > 0 {
            format!(
                "; {} prune deletion(s) held back (earlier requests failed)",
                outcome.held_back
            )
        } else {
            String::new()
        }
    );
    for f in failed {
        let text = |k: &str| match f.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        };
        eprintln!(
            "akixi: rehearsal: line {} ({}): {} [{}]: {}",
            text("line"),
            terminal_text::escaped(&text("key")),
            text("outcome"),
            text("code"),
            terminal_text::escaped(&text("message"))
        );
    }
    let round_trips = sent + s.retried;
    let parallel = concurrency.clamp(1, round_trips.max(1));
    let estimate = latency.mul_f64(round_trips as f64 / parallel as f64);
    eprintln!(
        "akixi: rehearsal: estimated time against the service: {round_trips} round trip(s) × {:.0} ms ÷ {parallel} = {:.1} s",
        latency.as_secs_f64() * 1000.0,
        estimate.as_secs_f64()
    );
}
