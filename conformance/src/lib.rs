//! The conformance runner: every case of `spec/<service>/conformance/` (read and checked by
//! `akixi_schema::conformance`) run against each part it applies to: the generated codec, the
//! client over HTTP against a canned server, and the simulator. The result is a table, case ×
//! part → pass, fail or known divergence (listed in the spec with its reason); a listed
//! divergence that passes is reported too, so that the list stays true.
//!
//! Nothing here names an operation, an element or a value: the cases are data, read at run
//! time, so a new case is a file. Each protocol has a module that knows how to run a case of
//! its services through the generated API's by-name entry points.
#![deny(missing_docs)]

mod akixi;
mod canned;
mod em;
mod xml;

use std::fmt::Write as _;
use std::path::Path;

use akixi_schema::conformance::{Case, Conformance, Part};
use akixi_schema::{Binding, Diagnostic, Spec};

/// How one case fared in one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The case does not apply to the part.
    NotApplicable,
    /// As documented.
    Pass,
    /// Not as documented, and not listed as a known divergence.
    Fail(String),
    /// Not as documented, as the spec's divergence list says (the reason).
    Known(String),
    /// Listed as a known divergence, yet as documented: the list is stale.
    Stale,
}

impl Verdict {
    /// Whether the run should fail because of it.
    pub fn is_problem(&self) -> bool {
        matches!(self, Verdict::Fail(_) | Verdict::Stale)
    }

    fn mark(&self) -> &'static str {
        match self {
            Verdict::NotApplicable => "",
            Verdict::Pass => "pass",
            Verdict::Fail(_) => "**FAIL**",
            Verdict::Known(_) => "known",
            Verdict::Stale => "**STALE**",
        }
    }
}

/// One case's verdicts.
#[derive(Debug, Clone)]
pub struct Row {
    /// The service.
    pub service: String,
    /// The case id.
    pub case: String,
    /// The case's source key and place.
    pub source: String,
    /// The verdict per part, in [`Part::ALL`]'s order.
    pub verdicts: [Verdict; 3],
}

/// A whole run.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// One row per case.
    pub rows: Vec<Row>,
    /// The known divergences, for the table's notes.
    pub divergences: Vec<(String, String, Part, String)>,
}

impl Run {
    /// The problems: `service/case part: why`.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for r in &self.rows {
            for (part, v) in Part::ALL.iter().zip(&r.verdicts) {
                match v {
                    Verdict::Fail(why) => {
                        out.push(format!("{}/{} {}: {why}", r.service, r.case, part.name()));
                    }
                    Verdict::Stale => out.push(format!(
                        "{}/{} {}: listed as a known divergence, but passes: remove it from the list",
                        r.service,
                        r.case,
                        part.name()
                    )),
                    _ => {}
                }
            }
        }
        out
    }

    /// The table (Markdown): case × part, then the known divergences with their reasons,
    /// then the totals.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let mut services: Vec<&str> = self.rows.iter().map(|r| r.service.as_str()).collect();
        services.dedup();
        for svc in services {
            let _ = writeln!(out, "### {svc}\n");
            let _ = writeln!(out, "| Case | Source | Codec | Client | Simulator |");
            let _ = writeln!(out, "|---|---|---|---|---|");
            for r in self.rows.iter().filter(|r| r.service == svc) {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} |",
                    r.case,
                    r.source.replace('|', "\\|"),
                    r.verdicts[0].mark(),
                    r.verdicts[1].mark(),
                    r.verdicts[2].mark()
                );
            }
            let divs: Vec<_> = self.divergences.iter().filter(|d| d.0 == svc).collect();
            if !divs.is_empty() {
                let _ = writeln!(out, "\nKnown divergences:\n");
                let _ = writeln!(out, "| Case | Part | Reason |");
                let _ = writeln!(out, "|---|---|---|");
                for (_, case, part, reason) in divs {
                    let _ = writeln!(out, "| `{case}` | {} | {reason} |", part.name());
                }
            }
            out.push('\n');
        }
        let count = |f: fn(&Verdict) -> bool| {
            self.rows
                .iter()
                .flat_map(|r| r.verdicts.iter())
                .filter(|v| f(v))
                .count()
        };
        let _ = writeln!(
            out,
            "{} cases; {} pass, {} known divergences, {} failures, {} stale divergences.",
            self.rows.len(),
            count(|v| *v == Verdict::Pass),
            count(|v| matches!(v, Verdict::Known(_))),
            count(|v| matches!(v, Verdict::Fail(_))),
            count(|v| *v == Verdict::Stale),
        );
        out
    }
}

/// Loads the spec in `dir` and its cases, and runs every case.
pub fn run(dir: &Path) -> Result<Run, Vec<Diagnostic>> {
    let display = dir.to_string_lossy().into_owned();
    let spec = Spec::load(dir)?;
    let cases = akixi_schema::conformance::load(dir, &display, &spec)?;
    Ok(run_cases(&spec, &cases))
}

/// Runs `cases` (of `spec`).
pub fn run_cases(spec: &Spec, cases: &Conformance) -> Run {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    let mut run = Run {
        rows: Vec::new(),
        divergences: cases
            .divergences
            .iter()
            .map(|d| (d.service.clone(), d.case.clone(), d.part, d.reason.clone()))
            .collect(),
    };
    for case in &cases.cases {
        let protocol = spec.service(&case.service).map(|s| &s.binding);
        let verdicts = Part::ALL.map(|part| {
            if !case.applies(part) {
                return Verdict::NotApplicable;
            }
            let outcome = match (&runtime, protocol) {
                (Err(e), _) => Err(format!("cannot start a runtime: {e}")),
                (_, None) => Err(format!("no service `{}`", case.service)),
                (Ok(rt), Some(Binding::CiscoEm(_))) => em::run(part, case, cases, rt),
                (Ok(rt), Some(Binding::AkixiWs(_))) => akixi::run(part, case, cases, spec, rt),
            };
            let known = cases.divergence(&case.service, &case.id, part);
            match (outcome, known) {
                (Ok(()), None) => Verdict::Pass,
                (Ok(()), Some(_)) => Verdict::Stale,
                (Err(why), None) => Verdict::Fail(why),
                (Err(_), Some(d)) => Verdict::Known(d.reason.clone()),
            }
        });
        run.rows.push(Row {
            service: case.service.clone(),
            case: case.id.clone(),
            source: source_of(case),
            verdicts,
        });
    }
    run
}

fn source_of(case: &Case) -> String {
    if case.place.is_empty() {
        format!("`{}`", case.source)
    } else {
        format!("`{}`: {}", case.source, case.place)
    }
}

/// Compares records with the expected rows (only the columns each row gives).
fn compare_records(
    expected: &[Vec<(String, String)>],
    actual: &[Vec<(String, String)>],
) -> Result<(), String> {
    if expected.len() != actual.len() {
        return Err(format!(
            "{} result record(s) expected, {} read: {actual:?}",
            expected.len(),
            actual.len()
        ));
    }
    for (i, (want, got)) in expected.iter().zip(actual).enumerate() {
        for (column, value) in want {
            let found = got
                .iter()
                .find(|(k, _)| k == column)
                .map(|(_, v)| v.as_str());
            // An empty cell means "empty or left out".
            if found.unwrap_or_default() != value.as_str() || (found.is_none() && !value.is_empty())
            {
                return Err(format!(
                    "result {}: `{column}` expected `{value}`, read {}",
                    i + 1,
                    found.map_or_else(|| "nothing".to_owned(), |f| format!("`{f}`"))
                ));
            }
        }
    }
    Ok(())
}
