//! `FAMILY import FILE`: the family's add for every row of a CSV, JSON or JSON Lines file,
//! checked first (`--dry-run` stops there), sent through [`send`](crate::bulk::send) with a
//! results file and resume, and how the run ends ([`bulk_ending`]: its summary, or one JSON
//! document, and the exit code).

use std::path::PathBuf;

use akixi_client::akixi_ws::ResultKind;
use akixi_client::runtime::akixi_ws::OperationInfo;
use clap::{Arg, ArgAction, Command};

use crate::bulk::send::{self, MAX_CONCURRENCY};
use crate::bulk::summary::{OnExisting, Run};
use crate::bulk::{rows, run_report};
use crate::error::CliError;
use crate::family::prelude;
use crate::output::{self, Format, Formats};
use crate::spec_cli::registry::{Entry, Invocation};
use crate::spec_cli::{globals, matches};
use crate::{connect, target_line};

/// The import command of a family whose add is `add` (its operations: `ops`).
pub fn entry(add: &'static OperationInfo) -> Entry {
    let command = Command::new("import")
        .about(format!("Run {} for every row of a CSV file (header: wire names such as Scope.TelSysID, or flag names) or of a JSON Lines file (*.jsonl: one object per line, as info --format json prints)", add.name))
        .arg(Arg::new("file").required(true).value_name("FILE").value_parser(clap::value_parser!(PathBuf)).help("CSV (delimiter sniffed: , ; or tab), JSON or JSON Lines (told by content); - for standard input"))
        .args(rows::read_args())
        .arg(Arg::new("dry-run").long("dry-run").action(ArgAction::SetTrue).help("Check every row; send nothing"))
        .arg(Arg::new("concurrency").long("concurrency").value_name("N").default_value("4").value_parser(clap::value_parser!(u16).range(1..=MAX_CONCURRENCY)).help(format!("Rows in flight at once (1 to {MAX_CONCURRENCY})")))
        .arg(Arg::new("results").long("results").value_name("OUT.csv").value_parser(clap::value_parser!(PathBuf)).help("Record each row's outcome here; rows it records as done are skipped when re-run"))
        .arg(Arg::new("on-existing").long("on-existing").value_name("WHAT").value_parser(OnExisting::VALUES).default_value("fail").help("A row whose entry exists with other values: fail (a conflict naming each difference), skip (leave the entry), or update (send the change with the row's values); an entry holding the row's values is unchanged, whatever this says"));
    Entry::run(command, move |invocation| {
        Box::pin(async move {
            prelude::prepare(invocation, Formats::Other, true)?;
            import(invocation, add).await
        })
    })
}

async fn import(invocation: &Invocation<'_>, add: &'static OperationInfo) -> Result<(), CliError> {
    let cm = invocation.matches;
    let Some(file) = cm.get_one::<PathBuf>("file") else {
        return Err(CliError::Usage("no file".into()));
    };
    let t = target_line::resolve(cm)?.target;
    // The rows are checked for their servers' platforms, read from the service on connecting
    // (a dry run too, unless --platform is given): a dry run is the real run minus sending.
    let servers = connect::known_servers(&t);
    let conn = if servers.wanted() || !cm.get_flag("dry-run") {
        Some(connect::connect(&t).await?)
    } else {
        None
    };
    let rows = rows::read_rows_or_report(
        file,
        add,
        &|fields| rows::row_platform(fields, &servers, t.platform),
        "nothing was sent",
    );
    let (rows, conn) = match (rows, conn) {
        (Ok(rows), Some(conn)) if !cm.get_flag("dry-run") => (rows, conn),
        (rows, conn) => {
            if let Some(conn) = conn {
                conn.finish().await;
            }
            println!(
                "{} row(s) checked; nothing was sent (--dry-run)",
                rows?.len()
            );
            return Ok(());
        }
    };
    let concurrency = matches::concurrency(cm, 4);
    let results = cm.get_one::<PathBuf>("results").map(PathBuf::as_path);
    let on_existing = cm
        .get_one::<String>("on-existing")
        .and_then(|v| OnExisting::parse(v))
        .unwrap_or_default();
    let json = globals::format(cm) == Format::Json;
    let options = send::Options {
        concurrency,
        results,
        on_existing,
        json,
    };
    let run = send::provision(&conn.client, add, rows, options).await;
    conn.finish().await;
    bulk_ending(add.name, &run?, results, json)
}

/// How a bulk run (import) ends: its summary line (or one JSON document with the failed rows
/// and their summary by error code), and the exit: 0 when every row is done, 2 when some
/// failed, 3 when the breaker stopped it, 130 after Ctrl-C.
pub fn bulk_ending(
    operation: &str,
    run: &Run,
    results: Option<&std::path::Path>,
    json: bool,
) -> Result<(), CliError> {
    let s = &run.summary;
    let mut line = format!(
        "{} succeeded, {} partial, {} failed, {} in conflict (exist but differ), {} unchanged (exist and match), {} skipped (already done), {} sent more than once",
        s.succeeded, s.partial, s.failed, s.conflicts, s.unchanged, s.skipped, s.retried
    );
    if s.updated > 0 {
        line.push_str(&format!(
            ", {} updated (existed, changed to the row)",
            s.updated
        ));
    }
    if s.kept > 0 {
        line.push_str(&format!(
            ", {} kept (exist but differ, left as they are)",
            s.kept
        ));
    }
    if s.interrupted + s.not_sent > 0 {
        line.push_str(&format!(
            ", {} interrupted in flight, {} not sent",
            s.interrupted, s.not_sent
        ));
    }
    let sent = s.succeeded + s.partial + s.failed + s.conflicts + s.unchanged + s.updated + s.kept;
    let timing = format!(
        "{} row(s) in {} ({})",
        sent,
        run_report::duration(run.elapsed),
        run_report::rate(sent, run.elapsed)
    );
    let stopped = run.stop_error(results);
    let verdict = match stopped {
        Some(e) => Err(e),
        None => s.verdict(line.clone()).map(|_| ()),
    };
    if json {
        let (failed, by_code) = run.report.json_parts();
        let result = match &verdict {
            Ok(()) => ResultKind::Success.as_str(),
            Err(CliError::Stopped(_)) => output::EnvelopeResult::Stopped.as_str(),
            Err(CliError::Interrupted(_)) => output::EnvelopeResult::Interrupted.as_str(),
            Err(_) => ResultKind::PartialFail.as_str(),
        };
        #[allow(clippy::cast_precision_loss)]
        let seconds = (run.elapsed.as_millis() as f64 / 100.0).round() / 10.0;
        let doc = serde_json::json!({
            "operation": operation,
            "result": result,
            "counts": s.json(),
            "seconds": seconds,
            "rate": run_report::rate(sent, run.elapsed),
            "summary": by_code,
            "failed": failed,
            "results": results.map(|p| p.display().to_string()),
        });
        output::print_json(&doc)?;
    } else {
        run.report.print_summary();
        eprintln!("akixi: {timing}");
    }
    match verdict {
        Ok(()) => {
            if !json {
                println!("{line}");
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}
