//! What commands print: a readable table, or one stable JSON document per command.

use akixi_client::akixi_ws::ResultKind;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use akixi_client::json::Collected;
use akixi_client::runtime::akixi_ws::{OpKind, Record};
use serde_json::{Map, Value, json};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::error::CliError;
use crate::terminal_text;

/// `--format csv` was asked for: the record tables [`print_collected`] writes are CSV. Set once,
/// before the command runs, by [`accept_format`] (the record-printing paths take [`Format`],
/// whose `Table` stands for "for people"; CSV is the same records for programs).
static RECORDS_AS_CSV: AtomicBool = AtomicBool::new(false);

/// What a command can print (`--format`), its default first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formats {
    /// Records (`info`, `list`): a table, CSV or JSON.
    Records,
    /// An export: CSV or JSON.
    Export,
    /// Everything else (a write's `ok`, an import's summary, a plan, an EM action): a table or
    /// JSON.
    Other,
}

impl Formats {
    /// What an operation of `kind` prints.
    pub fn of_kind(kind: OpKind) -> Formats {
        match kind {
            OpKind::Info | OpKind::List => Formats::Records,
            _ => Formats::Other,
        }
    }

    /// The `--format` values, the default first.
    pub fn values(self) -> &'static [&'static str] {
        match self {
            Formats::Records => &["table", "csv", "json"],
            Formats::Export => &["csv", "json"],
            Formats::Other => &["table", "json"],
        }
    }
}

/// Refuses a `--format` that `command` (named in the message: `user add`) cannot print,
/// naming those it can (exit 64); with `--format csv` accepted, the records it prints are CSV.
/// The default (`table`, not given) is always accepted: it means the command's own default
/// (CSV for an export).
pub fn accept_format(
    m: &clap::ArgMatches,
    command: &str,
    formats: Formats,
) -> Result<(), CliError> {
    let Some(asked) = m.try_get_one::<String>("format").ok().flatten() else {
        return Ok(());
    };
    let given = m.value_source("format") == Some(clap::parser::ValueSource::CommandLine);
    let can = formats.values();
    if given && !can.contains(&asked.as_str()) {
        let (last, first) = can.split_last().unwrap_or((&"json", &[]));
        let listed = if first.is_empty() {
            (*last).to_string()
        } else {
            format!("{} or {last}", first.join(", "))
        };
        return Err(CliError::Usage(format!(
            "{command} prints {listed}, not {asked}"
        )));
    }
    RECORDS_AS_CSV.store(
        asked == "csv" && formats == Formats::Records,
        Ordering::Relaxed,
    );
    Ok(())
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON document for scripts.
    Json,
}

/// Prints what an operation returned: its typed JSON (one document), or a table of its records.
pub fn print_collected(
    operation: &str,
    data: &Collected,
    list: bool,
    format: Format,
) -> Result<(), CliError> {
    match format {
        Format::Json => print_json(&success_json(operation, &data.json)),
        Format::Table => {
            let stdout = std::io::stdout();
            let terminal = stdout.is_terminal();
            let text = if RECORDS_AS_CSV.load(Ordering::Relaxed) {
                csv(&data.records, terminal)?
            } else {
                // On a terminal, long values are cut to its width; piped, nothing is cut.
                let width = terminal.then(terminal_width).flatten();
                table_within(&data.records, list, width)
            };
            stdout
                .lock()
                .write_all(text.as_bytes())
                .map_err(|e| CliError::Failure(format!("cannot write: {e}")))
        }
    }
}

/// The width of the terminal on standard output: as the terminal reports it, else `COLUMNS`
/// (a terminal that reports no size, such as some pseudo-terminals).
fn terminal_width() -> Option<usize> {
    terminal_size::terminal_size()
        .map(|(w, _)| usize::from(w.0))
        .filter(|w| *w > 0)
        .or_else(|| {
            std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse().ok())
        })
}

/// Records as CSV: a header of the properties' wire paths (in first-seen order), a row per
/// record; nothing for no records. CSV is read by programs, so values are exact; on a
/// `terminal`, where control characters would be obeyed, they are escaped
/// ([`terminal_text`]).
pub fn csv(records: &[Record], terminal: bool) -> Result<String, CliError> {
    let records: Vec<&Record> = records.iter().filter(|r| !r.is_empty()).collect();
    if records.is_empty() {
        return Ok(String::new());
    }
    let columns = columns(&records);
    let shown = |v: &str| {
        if terminal {
            terminal_text::escaped(v).into_owned()
        } else {
            v.to_owned()
        }
    };
    let fail = |e: csv::Error| CliError::Failure(format!("cannot write CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns.iter().map(|c| shown(c)))
        .map_err(fail)?;
    for r in &records {
        w.write_record(columns.iter().map(|c| {
            shown(
                r.iter()
                    .find(|(k, _)| k == c)
                    .map_or("", |(_, v)| v.as_str()),
            )
        }))
        .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| CliError::Failure(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| CliError::Failure(format!("cannot write CSV: {e}")))
}

/// The properties of `records`, in first-seen order.
fn columns<'a>(records: &[&'a Record]) -> Vec<&'a str> {
    let mut columns: Vec<&str> = Vec::new();
    for r in records {
        for (k, _) in r.iter() {
            if !columns.contains(&k.as_str()) {
                columns.push(k);
            }
        }
    }
    columns
}

/// Writes `doc` and a newline to standard output: compact JSON whose strings keep their exact
/// values, every control character written as an escape ([`terminal_text::SafeJson`]).
pub fn print_json(doc: &Value) -> Result<(), CliError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    terminal_text::write_json(&mut out, doc)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .map_err(|e| CliError::Failure(format!("cannot write: {e}")))
}

/// The `result` of a JSON envelope: the Akixi service's own words where an answer decides it
/// ([`ResultKind`]), and the command line's where none does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeResult {
    /// The service's answer: `Success`, `Fail` or `PartialFail`.
    Answer(ResultKind),
    /// Refused before sending (a bad value, an unknown name).
    Invalid,
    /// No answer, or one that could not be read.
    Error,
    /// A bulk run stopped by a dead or refusing service.
    Stopped,
    /// A bulk run stopped by Ctrl-C.
    Interrupted,
}

impl EnvelopeResult {
    /// The word the envelope holds.
    pub const fn as_str(self) -> &'static str {
        match self {
            EnvelopeResult::Answer(kind) => kind.as_str(),
            EnvelopeResult::Invalid => "Invalid",
            EnvelopeResult::Error => "Error",
            EnvelopeResult::Stopped => "Stopped",
            EnvelopeResult::Interrupted => "Interrupted",
        }
    }
}

/// The JSON document of a successful command: the typed JSON of each record (a response with
/// no data has none).
pub fn success_json(operation: &str, records: &[Value]) -> Value {
    let records: Vec<&Value> = records
        .iter()
        .filter(|r| r.as_object().is_none_or(|o| !o.is_empty()))
        .collect();
    json!({ "operation": operation, "result": ResultKind::Success.as_str(), "records": records })
}

/// The JSON document of a failed (or partly failed) command.
pub fn failure_json(operation: &str, result: &str, errors: &[(Option<u32>, String)]) -> Value {
    let errors: Vec<Value> = errors
        .iter()
        .map(|(code, message)| json!({ "code": code, "message": message }))
        .collect();
    json!({ "operation": operation, "result": result, "errors": errors })
}

/// One record as a JSON object, keys in document order.
pub fn record_json(r: &Record) -> Value {
    let mut m = Map::new();
    for (k, v) in r {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    Value::Object(m)
}

/// A table: `Property  Value` for one record; one row per record, one column per property
/// (in first-seen order) for lists. Values are shown on one line with their control characters
/// escaped ([`terminal_text`]), so a stored value can never drive the terminal. Columns are
/// measured by display width (a double-width name takes two columns). Nothing is cut: see
/// [`table_within`].
pub fn table(records: &[Record], list: bool) -> String {
    table_within(records, list, None)
}

/// The narrowest a column is cut to (wider when its header is): below this, a value says too
/// little to be worth a line that wraps instead.
const MIN_CUT_WIDTH: usize = 8;

/// The marker at the end of a value that was cut.
pub const CUT_MARKER: char = '…';

/// [`table`], fitted to `width` display columns when given (a terminal's): the widest columns
/// are narrowed, each by as little as it takes and none below [`MIN_CUT_WIDTH`] (or its
/// header), and each value longer than its column ends with [`CUT_MARKER`].
pub fn table_within(records: &[Record], list: bool, width: Option<usize>) -> String {
    let records: Vec<&Record> = records.iter().filter(|r| !r.is_empty()).collect();
    if records.is_empty() {
        return if list {
            "(no entries)\n".to_string()
        } else {
            "ok\n".to_string()
        };
    }
    let mut out = String::new();
    if !list && records.len() == 1 {
        let shown: Vec<(String, String)> = records[0]
            .iter()
            .map(|(k, v)| (shown_cell(k), shown_cell(v)))
            .collect();
        let key_width = shown.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
        let value_width = width.map(|w| w.saturating_sub(key_width + 2).max(MIN_CUT_WIDTH));
        for (k, v) in shown {
            let v = match value_width {
                Some(w) => cut(&v, w),
                None => v,
            };
            out.push_str(&padded(&k, key_width));
            out.push_str("  ");
            out.push_str(&v);
            out.push('\n');
        }
        return out;
    }
    let columns = columns(&records);
    // Each cell escaped once (so each value is counted once), then measured and printed.
    let header: Vec<String> = columns.iter().map(|c| shown_cell(c)).collect();
    let rows: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| {
                    r.iter()
                        .find(|(k, _)| k == c)
                        .map(|(_, v)| shown_cell(v))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].width())
                .chain([header[i].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    if let Some(limit) = width {
        fit(&mut widths, &header, limit);
    }
    let line = |cells: &[String]| {
        let mut l: String = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| padded(&cut(c, *w), *w))
            .collect::<Vec<_>>()
            .join("  ");
        l.truncate(l.trim_end().len());
        l.push('\n');
        l
    };
    out.push_str(&line(&header));
    for r in &rows {
        out.push_str(&line(r));
    }
    out
}

/// Narrows `widths` (with two spaces between columns) until they fit in `limit`, the widest
/// first, none below its floor ([`MIN_CUT_WIDTH`], or its header's width when that is less).
fn fit(widths: &mut [usize], header: &[String], limit: usize) {
    let floor = |i: usize| MIN_CUT_WIDTH.min(header[i].width()).max(1);
    let gaps = 2 * widths.len().saturating_sub(1);
    let mut total: usize = widths.iter().sum::<usize>() + gaps;
    while total > limit {
        let Some((i, _)) = widths
            .iter()
            .enumerate()
            .filter(|(i, w)| **w > floor(*i))
            .max_by_key(|(i, w)| (**w, std::cmp::Reverse(*i)))
        else {
            break;
        };
        widths[i] -= 1;
        total -= 1;
    }
}

/// `text` cut to `width` display columns, ending with [`CUT_MARKER`] when anything was cut.
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let room = width.saturating_sub(CUT_MARKER.width().unwrap_or(1));
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push(CUT_MARKER);
    out
}

/// `text` followed by spaces up to `width` display columns.
fn padded(text: &str, width: usize) -> String {
    let mut out = text.to_owned();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(text.width())));
    out
}

/// A value as a table shows it: on one line (long comma lists and line breaks would break the
/// table; whitespace runs, tabs and line breaks become one space), every other control
/// character escaped.
fn shown_cell(v: &str) -> String {
    let one_line = v.split_whitespace().collect::<Vec<_>>().join(" ");
    terminal_text::escaped(&one_line).into_owned()
}

/// `+3 billable users`: a family's name as a plural noun.
pub fn plural(family: &str) -> String {
    use heck::ToTitleCase;
    let words = family.to_title_case().to_lowercase();
    match words.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{words}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(pairs: &[(&str, &str)]) -> Record {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn tables_and_json() {
        let one = vec![rec(&[("Username", "a"), ("Scope.TelSysID", "1")])];
        assert_eq!(table(&one, false), "Username        a\nScope.TelSysID  1\n");
        let many = vec![
            rec(&[("Username", "a"), ("FullName", "A A")]),
            rec(&[("Username", "bb"), ("LockOut", "True")]),
        ];
        assert_eq!(
            table(&many, true),
            "Username  FullName  LockOut\na         A A\nbb                  True\n"
        );
        assert_eq!(table(&[Vec::new()], false), "ok\n");
        let hostile = vec![rec(&[(
            "FullName",
            "A\u{1b}]52;c;SGVsbG8=\u{7}\u{9b}B\u{202e}",
        )])];
        assert_eq!(
            table(&hostile, false),
            "FullName  A\\x1b]52;c;SGVsbG8=\\x07\\u{9b}B\\u{202e}\n"
        );
        let typed = vec![
            json!({"Username": "a"}),
            json!({}),
            json!({"Username": "bb", "LockOut": true}),
        ];
        let doc = success_json("UserList", &typed);
        assert_eq!(
            doc["records"][1]["LockOut"], true,
            "empty records are left out"
        );
        assert_eq!(doc["result"], "Success");
    }

    #[test]
    fn columns_are_measured_by_display_width() {
        // Each double-width character takes two columns: the next column starts at the same
        // place on every line.
        let many = vec![
            rec(&[
                ("Username", "a"),
                ("FullName", "山田太郎"),
                ("LockOut", "True"),
            ]),
            rec(&[("Username", "b"), ("FullName", "Ann"), ("LockOut", "False")]),
        ];
        let text = table(&many, true);
        let at: Vec<usize> = text
            .lines()
            .map(|l| {
                let i = l
                    .find("True")
                    .or_else(|| l.find("False"))
                    .or_else(|| l.find("LockOut"));
                l[..i.expect("column")].width()
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] == w[1]), "{text}");
        let one = vec![rec(&[("姓名", "x"), ("Username", "y")])];
        assert_eq!(table(&one, false), "姓名      x\nUsername  y\n");
    }

    #[test]
    fn long_values_are_cut_with_a_marker_at_the_width_given() {
        let long = "x".repeat(200);
        let many = vec![
            rec(&[("Username", "ann@example.com"), ("FullName", &long)]),
            rec(&[("Username", "bob@example.com"), ("FullName", "Bob")]),
        ];
        let text = table_within(&many, true, Some(60));
        for l in text.lines() {
            assert!(l.width() <= 60, "{l:?} is {} wide", l.width());
        }
        assert!(text.contains('…'), "{text}");
        assert!(
            text.contains("ann@example.com"),
            "the narrow column is left whole: {text}"
        );
        assert_eq!(
            table_within(&many, true, None),
            table(&many, true),
            "no width, no cut"
        );
        assert!(table(&many, true).contains(&long));
        let one = vec![rec(&[("FullName", &long)])];
        let text = table_within(&one, false, Some(40));
        assert!(
            text.lines().all(|l| l.width() <= 40) && text.contains('…'),
            "{text}"
        );
        // A double-width value is cut on a character boundary, within its column.
        assert_eq!(cut("山田太郎", 5), "山田…");
        assert_eq!(cut("abc", 3), "abc");
    }

    #[test]
    fn csv_of_records() {
        let many = vec![
            rec(&[("Username", "a"), ("FullName", "A, \"the\" first")]),
            rec(&[("Username", "b"), ("LockOut", "True")]),
        ];
        assert_eq!(
            csv(&many, false).expect("csv"),
            "Username,FullName,LockOut\na,\"A, \"\"the\"\" first\",\nb,,True\n"
        );
        assert_eq!(csv(&[], false).expect("csv"), "");
        let hostile = vec![rec(&[("FullName", "A\u{1b}B")])];
        assert_eq!(csv(&hostile, false).expect("csv"), "FullName\nA\u{1b}B\n");
        assert_eq!(csv(&hostile, true).expect("csv"), "FullName\nA\\x1bB\n");
    }
}
