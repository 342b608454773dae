//! What a bulk run tells the operator: each failed row (its line, key, code and message) as it
//! happens, above the progress bar, up to [`SHOWN`] of them and then one line for each further
//! kind of error (error code); at the end a summary grouped by error code, with a count and an
//! example each; with `--format json`, the same as one JSON document. Values quoted from the
//! service or the file go through [`terminal_text::escaped`].

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use indicatif::ProgressBar;
use serde_json::{Value, json};

use crate::bulk::row_outcome::RowOutcome;
use crate::terminal_text;

/// The failed rows printed one by one; after them, only the first row of each new error code.
pub const SHOWN: usize = 20;

/// One failed row.
#[derive(Debug, Clone)]
pub struct Failed {
    /// Its line in the file.
    pub line: u64,
    /// The entity it names.
    pub key: String,
    /// Its outcome in the results file (`failure`, `conflict`, `interrupted`, …).
    pub outcome: RowOutcome,
    /// The error code (or codes), empty when the failure had none (a dead connection).
    pub code: String,
    /// What went wrong.
    pub message: String,
}

impl Failed {
    /// The kind of error: its code, or the outcome for a failure without one.
    fn kind(&self) -> String {
        if self.code.is_empty() {
            format!("({})", self.outcome.as_str())
        } else {
            self.code.clone()
        }
    }

    fn line_text(&self) -> String {
        let code = if self.code.is_empty() {
            String::new()
        } else {
            format!(" [{}]", self.code)
        };
        let key = if self.key.is_empty() {
            String::new()
        } else {
            format!(" ({})", terminal_text::escaped(&self.key))
        };
        format!(
            "line {}{key}: {}{code}: {}",
            self.line,
            self.outcome.as_str(),
            terminal_text::escaped(&self.message)
        )
    }
}

/// A server's message about one row of a bulk request, `line N: what`, as `(N, what)`; `(0,
/// message)` when it names no line.
pub fn line_of(message: &str) -> (u64, String) {
    message
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
        .and_then(|(n, what)| Some((n.trim().parse().ok()?, what.to_owned())))
        .unwrap_or_else(|| (0, message.to_owned()))
}

/// The failures of a run, as they come.
#[derive(Debug, Default)]
pub struct RunReport {
    /// `--format json`: nothing is printed as it happens; [`RunReport::json`] holds it all.
    pub json: bool,
    shown: usize,
    kinds_shown: HashSet<String>,
    said_capped: bool,
    /// Every failed row, in the order they ended.
    failed: Vec<Failed>,
    /// Per kind of error: how many, and its first row in the file.
    by_kind: BTreeMap<String, (usize, usize)>,
    /// Notes printed as they happen (a row sent again, a row found existing).
    notes: usize,
}

impl RunReport {
    /// A report printing on stderr, or kept for one JSON document.
    pub fn new(json: bool) -> Self {
        RunReport {
            json,
            ..RunReport::default()
        }
    }

    /// A failed row: printed above `bar` if within the cap or of a new kind.
    pub fn failed(&mut self, bar: &ProgressBar, f: Failed) {
        let kind = f.kind();
        let first_of_kind = !self.by_kind.contains_key(&kind);
        let index = self.failed.len();
        let entry = self.by_kind.entry(kind.clone()).or_insert((0, index));
        entry.0 += 1;
        // The example of a kind is its first row in the file, whichever ended first.
        if self
            .failed
            .get(entry.1)
            .is_some_and(|first| f.line < first.line)
        {
            entry.1 = index;
        }
        if !self.json {
            let line = if self.shown < SHOWN {
                self.shown += 1;
                self.kinds_shown.insert(kind);
                Some(format!("akixi: {}", f.line_text()))
            } else if first_of_kind && self.kinds_shown.insert(kind) {
                Some(format!("akixi: {} (a new kind of error)", f.line_text()))
            } else {
                None
            };
            let capped = self.shown >= SHOWN && !self.said_capped && line.is_none();
            if capped {
                self.said_capped = true;
            }
            bar.suspend(|| {
                if let Some(line) = line {
                    eprintln!("{line}");
                }
                if capped {
                    eprintln!(
                        "akixi: more rows failed: only the first row of each new kind of error is \
                         shown from now on; the summary at the end counts them all"
                    );
                }
            });
        }
        self.failed.push(f);
    }

    /// A note on a row that did not fail (sent again, found existing), printed above `bar`
    /// while few.
    pub fn note(&mut self, bar: &ProgressBar, line: u64, text: &str) {
        if self.json {
            return;
        }
        self.notes += 1;
        if self.notes <= SHOWN {
            bar.suspend(|| {
                eprintln!("akixi: line {line}: {}", terminal_text::escaped(text));
            });
        }
    }

    /// The failures grouped by kind: one line per error code, with a count and an example;
    /// empty when none failed.
    pub fn summary_lines(&self) -> Vec<String> {
        self.kinds()
            .into_iter()
            .map(|(kind, (count, first))| {
                let example = self
                    .failed
                    .get(*first)
                    .map(Failed::line_text)
                    .unwrap_or_default();
                format!(
                    "  {kind}: {count} row{} (e.g. {example})",
                    if *count == 1 { "" } else { "s" }
                )
            })
            .collect()
    }

    /// The kinds of error, the most frequent first: `(kind, (count, index of its first row))`.
    fn kinds(&self) -> Vec<(&String, &(usize, usize))> {
        let mut kinds: Vec<(&String, &(usize, usize))> = self.by_kind.iter().collect();
        kinds.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        kinds
    }

    /// Prints the summary by kind on stderr (not with `--format json`).
    pub fn print_summary(&self) {
        if self.json || self.failed.is_empty() {
            return;
        }
        eprintln!(
            "akixi: {} row(s) failed, by kind of error:",
            self.failed.len()
        );
        for line in self.summary_lines() {
            eprintln!("{line}");
        }
    }

    /// The failed rows and their summary by kind, as JSON (exact values: a document is read
    /// by programs).
    pub fn json_parts(&self) -> (Value, Value) {
        // In line order: with several rows in flight, rows end out of order.
        let mut in_line_order: Vec<&Failed> = self.failed.iter().collect();
        in_line_order.sort_by_key(|f| f.line);
        let failed: Vec<Value> = in_line_order
            .into_iter()
            .map(|f| {
                json!({
                    "line": f.line,
                    "key": f.key,
                    "outcome": f.outcome.as_str(),
                    "code": f.code,
                    "message": f.message,
                })
            })
            .collect();
        let summary: Vec<Value> = self
            .kinds()
            .into_iter()
            .map(|(kind, (count, first))| {
                let example = self.failed.get(*first);
                json!({
                    "code": kind,
                    "count": count,
                    "example": example.map(|f| json!({
                        "line": f.line,
                        "key": f.key,
                        "message": f.message,
                    })),
                })
            })
            .collect();
        (Value::Array(failed), Value::Array(summary))
    }
}

/// A progress bar's style from `template`, whose `{rate}` is the rounded rate ([`rate`]), not
/// indicatif's `550.6496/s`.
pub fn bar_style(template: &str) -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = w.write_str(&per_sec(s.per_sec()));
            },
        )
}

/// A rate in events per second, rounded as [`rate`] does.
pub fn per_sec(r: f64) -> String {
    if !r.is_finite() || r <= 0.0 {
        "-".to_owned()
    } else if r >= 100.0 {
        format!("{r:.0}/s")
    } else if r >= 1.0 {
        format!("{r:.1}/s")
    } else {
        format!("{r:.2}/s")
    }
}

/// A duration as a person reads it: `850 ms`, `12.3 s`, `4 min 05 s`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        let s = d.as_secs();
        format!("{} min {:02} s", s / 60, s % 60)
    }
}

/// A rate as a person reads it: `551/s`, `12.5/s` (below 100), `0.40/s` (below 1).
pub fn rate(count: usize, d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs <= 0.0 || count == 0 {
        return "-".to_owned();
    }
    #[allow(clippy::cast_precision_loss)]
    per_sec(count as f64 / secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(line: u64, code: &str) -> Failed {
        Failed {
            line,
            key: format!("k{line}"),
            outcome: RowOutcome::Failure,
            code: code.to_owned(),
            message: format!("m{line}"),
        }
    }

    #[test]
    fn failures_are_grouped_by_code_with_a_count_and_an_example() {
        let mut r = RunReport::new(true);
        let bar = ProgressBar::hidden();
        for i in 0..30 {
            r.failed(&bar, failed(i + 2, "11202"));
        }
        r.failed(&bar, failed(40, ""));
        let lines = r.summary_lines();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("  11202: 30 rows (e.g. line 2 (k2)"),
            "{lines:?}"
        );
        assert!(lines[1].starts_with("  (failure): 1 row "), "{lines:?}");
        let (rows, summary) = r.json_parts();
        assert_eq!(rows.as_array().map(Vec::len), Some(31));
        assert_eq!(summary[0]["count"], 30);
    }

    #[test]
    fn rows_ending_out_of_order_are_reported_in_line_order() {
        let mut r = RunReport::new(true);
        let bar = ProgressBar::hidden();
        for line in [5, 3, 9, 2] {
            r.failed(&bar, failed(line, "11210"));
        }
        let (rows, summary) = r.json_parts();
        let lines: Vec<_> = rows
            .as_array()
            .into_iter()
            .flatten()
            .map(|row| row["line"].clone())
            .collect();
        assert_eq!(lines, [2, 3, 5, 9]);
        assert_eq!(summary[0]["example"]["line"], 2);
        assert!(r.summary_lines()[0].contains("e.g. line 2 (k2)"));
    }

    #[test]
    fn rates_and_durations_are_rounded() {
        assert_eq!(rate(5506, Duration::from_secs(10)), "551/s");
        assert_eq!(rate(25, Duration::from_secs(2)), "12.5/s");
        assert_eq!(duration(Duration::from_millis(12_345)), "12.3 s");
        assert_eq!(duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(duration(Duration::from_secs(245)), "4 min 05 s");
    }
}
