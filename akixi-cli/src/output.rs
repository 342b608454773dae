//! What commands print: a readable table, or one stable JSON document per command.

use akixi_client::akixi_ws::ResultKind;
use std::io::Write;

use akixi_client::json::Collected;
use akixi_client::runtime::akixi_ws::Record;
use serde_json::{Map, Value, json};

use crate::{CliError, terminal_text};

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
            let mut out = std::io::stdout().lock();
            write!(out, "{}", table(&data.records, list))
                .map_err(|e| CliError::Failure(format!("cannot write: {e}")))
        }
    }
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
/// escaped ([`terminal_text`]), so a stored value can never drive the terminal.
pub fn table(records: &[Record], list: bool) -> String {
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
        let width = shown
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (k, v) in shown {
            out.push_str(&format!("{k:width$}  {v}\n"));
        }
        return out;
    }
    let mut columns: Vec<&str> = Vec::new();
    for r in &records {
        for (k, _) in r.iter() {
            if !columns.contains(&k.as_str()) {
                columns.push(k);
            }
        }
    }
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
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut l: String = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:w$}"))
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

/// A value as a table shows it: on one line (long comma lists and line breaks would break the
/// table; whitespace runs, tabs and line breaks become one space), every other control
/// character escaped.
fn shown_cell(v: &str) -> String {
    let one_line = v.split_whitespace().collect::<Vec<_>>().join(" ");
    terminal_text::escaped(&one_line).into_owned()
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
}
