//! Lists and exports: every page of a list (the aws CLI's default), and an export that reads
//! each entry's Info with several requests in flight, in list order, with bounded memory.

use std::collections::VecDeque;
use std::io::{IsTerminal, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use akixi_client::Client;
use akixi_client::akixi::{OPERATIONS, Platform, dynamic};
use akixi_client::akixi_ws::ResultKind;
use akixi_client::client::PageProgress;
use akixi_client::json::{CollectJson, Collected, Value};
use akixi_client::runtime::akixi_ws::{OpKind, OperationInfo, Record};
use indicatif::ProgressBar;
use serde::ser::{SerializeMap, Serializer};

use crate::connect::Connection;
use crate::error::CliError;
use crate::error::call_failure::report;
use crate::output::{self, Format};
use crate::{spec_cli, terminal_text};

/// How to walk a list.
#[derive(Debug, Clone, Copy)]
pub struct Walk {
    /// Entries asked for per request.
    pub page_size: u64,
    /// Stop after this many entries.
    pub max_items: Option<u64>,
}

/// `--page-size` and `--max-items`.
pub fn walk(cm: &clap::ArgMatches) -> Walk {
    Walk {
        page_size: crate::spec_cli::matches::page_size(cm),
        max_items: cm.get_one::<u64>("max-items").copied(),
    }
}

/// A summary of a page's entries, so that a server repeating a page is noticed.
fn fingerprint(page: &Collected) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (page.records.first(), page.records.last()).hash(&mut h);
    h.finish()
}

/// Walks every page of `list` (with `fields` as its filters), giving each page to `each`; stops
/// at `walk.max_items`, and with a clear error when the pages make no progress.
async fn walk_pages(
    conn: &Connection,
    list: &'static OperationInfo,
    fields: &[(String, String)],
    walk: Walk,
    mut each: impl AsyncFnMut(Collected) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let page_size = walk.page_size.max(1);
    let mut offset = 0u64;
    let mut progress = PageProgress::default();
    let mut left = walk.max_items.unwrap_or(u64::MAX);
    while left > 0 {
        let limit = page_size.min(left);
        let mut page = dynamic::call_paged_with(
            &conn.client,
            list.name,
            fields,
            conn.platform,
            Some(offset),
            Some(limit),
            &CollectJson,
        )
        .await
        .map_err(|e| report(list.name, e, Format::Table))?;
        page.records.retain(|r| !r.is_empty());
        let n = page.json.len() as u64;
        // A server that sends more than asked for is cut to what is left.
        let keep = usize::try_from(left).unwrap_or(usize::MAX);
        page.records.truncate(keep);
        page.json.truncate(keep);
        progress
            .page(list.name, n, limit, || fingerprint(&page))
            .map_err(|e| CliError::Failure(e.to_string()))?;
        each(page).await?;
        if n < limit {
            break;
        }
        left = left.saturating_sub(n);
        offset = offset.saturating_add(n);
    }
    Ok(())
}

/// `akixi <family> list` without `--offset`/`--limit`: every page, printed as one document.
pub async fn list_all(
    conn: &Connection,
    list: &'static OperationInfo,
    fields: &[(String, String)],
    walk: Walk,
    format: Format,
) -> Result<(), CliError> {
    let mut all = Collected::default();
    walk_pages(conn, list, fields, walk, async |page| {
        all.records.extend(page.records);
        all.json.extend(page.json);
        Ok(())
    })
    .await?;
    output::print_collected(list.name, &all, true, format)
}

/// One exported entry: its record (CSV) and its typed JSON, both cut to the export's columns.
struct Exported {
    record: Record,
    json: Value,
}

/// The flag of `export` that guards CSV cells against spreadsheet formula injection.
pub const FORMULA_GUARD: &str = "csv-formula-guard";

/// `--csv-formula-guard`, for `export`.
pub fn formula_guard_arg() -> clap::Arg {
    clap::Arg::new(FORMULA_GUARD)
        .long(FORMULA_GUARD)
        .action(clap::ArgAction::SetTrue)
        .help(
            "CSV only: put a ' in front of every cell that starts with =, +, -, @, a tab or a \
             carriage return, so that a spreadsheet shows it as text instead of running it as a \
             formula. The cells so changed no longer hold the exact value (a negative number \
             becomes text too), so do not import such a file again",
        )
}

/// How an export is written: its format and, for CSV, whether cells are guarded against
/// formulas.
#[derive(Debug, Clone, Copy)]
pub struct ExportOutput {
    /// CSV (`Table`) or one JSON document.
    pub format: Format,
    /// `--csv-formula-guard`: cells that a spreadsheet would read as a formula get a `'`.
    pub formula_guard: bool,
}

impl ExportOutput {
    /// The export's output as the command line asks: `format`, and `--csv-formula-guard` from
    /// the command's matches `cm`.
    pub fn from_args(format: Format, cm: &clap::ArgMatches) -> Self {
        ExportOutput {
            format,
            formula_guard: cm
                .try_get_one::<bool>(FORMULA_GUARD)
                .ok()
                .flatten()
                .copied()
                .unwrap_or(false),
        }
    }
}

/// One CSV cell as the export writes it. CSV is read by programs, so a file (or a pipe) gets the
/// exact value; on a terminal, where a person reads it and control characters would be obeyed,
/// they are escaped ([`terminal_text`]). With the formula guard, a cell a spreadsheet would
/// evaluate starts with `'` (decided on the exact value, before any escaping).
fn csv_cell(value: &str, formula_guard: bool, terminal: bool) -> String {
    let guarded = if formula_guard {
        terminal_text::formula_guarded(value)
    } else {
        std::borrow::Cow::Borrowed(value)
    };
    if terminal {
        terminal_text::escaped(&guarded).into_owned()
    } else {
        guarded.into_owned()
    }
}

/// What the export writes: CSV rows, or one JSON document whose records are streamed.
fn writer(
    output: ExportOutput,
    operation: &'static str,
    columns: Vec<String>,
    rx: Receiver<Exported>,
    outcome: Arc<Mutex<&'static str>>,
) -> std::thread::JoinHandle<Result<(), String>> {
    std::thread::spawn(move || {
        let stdout = std::io::stdout();
        let terminal = stdout.is_terminal();
        let out = std::io::BufWriter::new(stdout.lock());
        match output.format {
            Format::Json => {
                // Exact values, control characters written as escapes.
                let mut ser = serde_json::Serializer::with_formatter(out, terminal_text::SafeJson);
                let mut map = ser.serialize_map(None).map_err(|e| e.to_string())?;
                map.serialize_entry("operation", operation)
                    .map_err(|e| e.to_string())?;
                map.serialize_entry("records", &Streamed(Mutex::new(rx)))
                    .map_err(|e| e.to_string())?;
                // Written last: only now is it known whether every entry was read.
                let result = *outcome.lock().map_err(|e| e.to_string())?;
                map.serialize_entry("result", result)
                    .map_err(|e| e.to_string())?;
                map.end().map_err(|e| e.to_string())?;
                let mut out = ser.into_inner();
                writeln!(out)
                    .and_then(|()| out.flush())
                    .map_err(|e| e.to_string())
            }
            Format::Table => {
                let mut csv = csv::Writer::from_writer(out);
                csv.write_record(&columns).map_err(|e| e.to_string())?;
                for e in rx {
                    let row = columns.iter().map(|c| {
                        let value = e
                            .record
                            .iter()
                            .find(|(k, _)| k == c)
                            .map_or("", |(_, v)| v.as_str());
                        csv_cell(value, output.formula_guard, terminal)
                    });
                    csv.write_record(row).map_err(|e| e.to_string())?;
                }
                csv.flush().map_err(|e| e.to_string())
            }
        }
    })
}

/// The records array of the export's JSON, read from the channel as they come.
struct Streamed(Mutex<Receiver<Exported>>);

impl serde::Serialize for Streamed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rx = self
            .0
            .lock()
            .map_err(|_| serde::ser::Error::custom("the export's channel is poisoned"))?;
        s.collect_seq(rx.iter().map(|e| e.json))
    }
}

/// Keeps the parts of `json` (nested by container) whose wire paths are in `columns`.
fn cut_json(json: Value, columns: &[String]) -> Value {
    let Value::Object(map) = json else {
        return json;
    };
    let mut out = serde_json::Map::new();
    for (k, v) in map {
        match v {
            Value::Object(inner) => {
                let prefix = format!("{k}.");
                let kept: serde_json::Map<String, Value> = inner
                    .into_iter()
                    .filter(|(ik, _)| columns.iter().any(|c| *c == format!("{prefix}{ik}")))
                    .collect();
                if !kept.is_empty() {
                    out.insert(k, Value::Object(kept));
                }
            }
            v if columns.contains(&k) => {
                out.insert(k, v);
            }
            _ => {}
        }
    }
    Value::Object(out)
}

/// The export's columns: everything Info returns that Add takes, so the file imports again.
fn columns(list: &OperationInfo, info: &OperationInfo) -> Vec<String> {
    let add = OPERATIONS
        .iter()
        .find(|o| o.family == list.family && o.kind == OpKind::Add);
    info.fields
        .iter()
        .filter(|f| f.returned.is_some())
        .filter(|f| {
            add.is_none_or(|a| {
                a.fields.iter().any(|g| {
                    (g.property.container, g.property.name)
                        == (f.property.container, f.property.name)
                        && g.input.is_some()
                })
            })
        })
        .map(|f| spec_cli::names::wire_path(f.property))
        .collect()
}

/// How a progress is shown: a bar on a terminal, plain lines otherwise.
struct Progress {
    bar: ProgressBar,
    plain: bool,
    done: u64,
}

impl Progress {
    fn new() -> Self {
        let plain = !std::io::stderr().is_terminal();
        let bar = if plain {
            ProgressBar::hidden()
        } else {
            let b = ProgressBar::new_spinner();
            b.set_style(crate::bulk::run_report::bar_style(
                "{spinner} {pos} exported {rate} {elapsed}",
            ));
            b
        };
        Progress {
            bar,
            plain,
            done: 0,
        }
    }

    fn one(&mut self) {
        self.done += 1;
        self.bar.inc(1);
        if self.plain && self.done.is_multiple_of(1000) {
            eprintln!("akixi: {} exported", self.done);
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
        eprintln!("akixi: {} exported", self.done);
    }
}

/// `akixi <family> export`: every entry of `list` (with `filters`, its inputs), each read with
/// `info` (`concurrency` in flight), written in list order as CSV headed by wire names (exact
/// values in a file, control characters escaped on a terminal, see [`csv_cell`]), or as one
/// JSON document.
pub async fn export(
    conn: &Connection,
    list: &'static OperationInfo,
    info: &'static OperationInfo,
    filters: &[(String, String)],
    output: ExportOutput,
    concurrency: usize,
    walk: Walk,
) -> Result<(), CliError> {
    let columns = columns(list, info);
    // The completeness marker is written only once everything was (crate::export_marker).
    let marker = crate::export_marker::Pending::begin(list, output.format);
    // A few entries beyond those in flight may wait for the writer; memory stays bounded.
    let (tx, rx) = sync_channel::<Exported>(concurrency.max(1) * 2);
    let outcome = Arc::new(Mutex::new(ResultKind::Success.as_str()));
    let written = writer(output, list.name, columns.clone(), rx, Arc::clone(&outcome));
    let result = produce(
        conn,
        (list, info),
        filters,
        &columns,
        concurrency,
        walk,
        &tx,
    )
    .await;
    // The outcome is set before the channel closes, so the writer reads the right one.
    if result.is_err()
        && let Ok(mut o) = outcome.lock()
    {
        *o = ResultKind::Fail.as_str();
    }
    drop(tx);
    let wrote = written
        .join()
        .map_err(|_| CliError::Failure("the export's writer stopped".into()))
        .and_then(|r| r.map_err(|e| CliError::Failure(format!("cannot write: {e}"))));
    result.and(wrote).and_then(|()| marker.finish())
}

type InfoCall = tokio::task::JoinHandle<Result<Collected, CliError>>;

/// Every entry of `list` (with `filters` as its inputs), each read with `info` (`concurrency`
/// requests in flight), given to `each` in list order. Memory stays bounded by the calls in
/// flight and one page.
#[allow(clippy::too_many_arguments)]
pub async fn each_entry(
    conn: &Connection,
    list: &'static OperationInfo,
    info: &'static OperationInfo,
    filters: &[(String, String)],
    concurrency: usize,
    walk: Walk,
    mut each: impl FnMut(Collected) -> Result<(), CliError>,
) -> Result<(), CliError> {
    // Info's inputs, read from each list entry by wire path (every part of a composite key).
    let keys: Vec<String> = info
        .fields
        .iter()
        .filter(|f| f.input.is_some())
        .map(|f| spec_cli::names::wire_path(f.property))
        .collect();
    if keys.is_empty() {
        return Err(CliError::Usage(format!("{} has no key", info.name)));
    }
    let mut in_flight: VecDeque<InfoCall> = VecDeque::new();
    let platform: Option<Platform> = conn.platform;
    walk_pages(conn, list, filters, walk, async |page| {
        for entry in page.records {
            // A key part the list does not return (a filter such as the partition) is the
            // filter's value.
            let fields: Vec<(String, String)> = keys
                .iter()
                .filter_map(|k| entry.iter().chain(filters).find(|(n, _)| n == k).cloned())
                .collect();
            if fields.len() < keys.len() {
                continue;
            }
            if in_flight.len() >= concurrency.max(1)
                && let Some(first) = in_flight.pop_front()
            {
                each(joined(first).await?)?;
            }
            let client: Client = conn.client.clone();
            in_flight.push_back(tokio::spawn(async move {
                dynamic::call_paged_with(
                    &client,
                    info.name,
                    &fields,
                    platform,
                    None,
                    None,
                    &CollectJson,
                )
                .await
                .map_err(|e| report(info.name, e, Format::Table))
            }));
        }
        Ok(())
    })
    .await?;
    while let Some(first) = in_flight.pop_front() {
        each(joined(first).await?)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn produce(
    conn: &Connection,
    (list, info): (&'static OperationInfo, &'static OperationInfo),
    filters: &[(String, String)],
    columns: &[String],
    concurrency: usize,
    walk: Walk,
    tx: &SyncSender<Exported>,
) -> Result<(), CliError> {
    let mut progress = Progress::new();
    each_entry(conn, list, info, filters, concurrency, walk, |done| {
        let record: Record = done
            .records
            .into_iter()
            .next()
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| columns.contains(k))
            .collect();
        let json = cut_json(done.json.into_iter().next().unwrap_or(Value::Null), columns);
        tx.send(Exported { record, json })
            .map_err(|_| CliError::Failure("the export's writer stopped".into()))?;
        progress.one();
        Ok(())
    })
    .await?;
    progress.finish();
    Ok(())
}

async fn joined(call: InfoCall) -> Result<Collected, CliError> {
    call.await
        .map_err(|e| CliError::Failure(format!("an Info request stopped: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_exact_in_a_file_escaped_on_a_terminal_and_guarded_on_request() {
        let hostile = "=HYPERLINK(\"x\")\u{1b}]52;c;SGVsbG8=\u{7}";
        assert_eq!(csv_cell(hostile, false, false), hostile);
        assert_eq!(csv_cell(hostile, true, false), format!("'{hostile}"));
        assert_eq!(
            csv_cell(hostile, true, true),
            "'=HYPERLINK(\"x\")\\x1b]52;c;SGVsbG8=\\x07"
        );
        assert_eq!(csv_cell("-5", false, true), "-5");
        assert_eq!(csv_cell("\tx", true, true), "'\\tx");
    }
}
