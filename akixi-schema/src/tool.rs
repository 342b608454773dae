//! The maintainers' commands, `check`, `expand`, `families`, `conformance` and `diff`, written
//! once for both places that offer them: the `akixi-spec` binary and the command line's
//! `akixi spec`.

use std::fmt::Write as _;

use crate::diag::Diagnostic;

/// What a command prints, and whether it succeeded (exit 0) or found problems (exit 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Whether it succeeded.
    pub ok: bool,
}

impl Report {
    fn succeeded(stdout: String) -> Self {
        Report {
            stdout,
            stderr: String::new(),
            ok: true,
        }
    }

    /// A failure listing every problem, one a line; then, with `counted_in`, how many there
    /// are in it.
    fn problems(diags: &[Diagnostic], counted_in: Option<&str>) -> Self {
        let mut err = String::new();
        for d in diags {
            let _ = writeln!(err, "{d}");
        }
        if let Some(place) = counted_in {
            let _ = writeln!(err, "{} problem(s) in {place}", diags.len());
        }
        Report::failed(err)
    }

    fn failed(stderr: String) -> Self {
        Report {
            stdout: String::new(),
            stderr,
            ok: false,
        }
    }

    /// Prints the report to the process's standard output and error.
    pub fn print(&self) {
        print!("{}", self.stdout);
        eprint!("{}", self.stderr);
    }
}

/// `check DIR`: load and check the spec; one summary line, or every problem with its
/// `file:line:col` and a count.
pub fn check(dir: &str) -> Report {
    match crate::Spec::load(dir) {
        Ok(spec) => Report::succeeded(format!("{}\n", spec.summary_line())),
        Err(diags) => Report::problems(&diags, Some(dir)),
    }
}

/// `expand DIR SERVICE`: the Rust generated for a service, formatted.
pub fn expand(dir: &str, service: &str) -> Report {
    let spec = match crate::Spec::load(dir) {
        Ok(spec) => spec,
        Err(diags) => return Report::problems(&diags, None),
    };
    match crate::codegen::expand(&spec, service) {
        Ok(code) => Report::succeeded(code),
        Err(e) => Report::failed(format!("error: {e}\n")),
    }
}

/// `families DIR SERVICE`: the Markdown table of the service's families that the README shows.
pub fn families(dir: &str, service: &str) -> Report {
    match crate::Spec::load(dir) {
        Ok(spec) => match spec.families_table(service) {
            Some(table) => Report::succeeded(table),
            None => Report::failed(format!("error: no service `{service}` in {dir}\n")),
        },
        Err(diags) => Report::problems(&diags, None),
    }
}

/// `conformance DIR` (the check half): reads and checks every service's conformance cases
/// (`DIR/<service>/conformance/*.md`); one summary line, or every problem located. Running them
/// needs the client and the simulator, which depend on this crate: `akixi-conformance` does.
pub fn conformance(dir: &str) -> Report {
    let spec = match crate::Spec::load(dir) {
        Ok(spec) => spec,
        Err(diags) => return Report::problems(&diags, Some(dir)),
    };
    match crate::conformance::load(std::path::Path::new(dir), dir, &spec) {
        Ok(c) => Report::succeeded(format!(
            "ok: {} conformance case(s), {} known divergence(s)\n",
            c.cases.len(),
            c.divergences.len()
        )),
        Err(diags) => Report::problems(&diags, Some(&format!("the conformance cases of {dir}"))),
    }
}

/// How `diff` prints its changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiffFormat {
    /// For people: [`crate::diff::render::human`].
    #[default]
    Human,
    /// For machines: [`crate::diff::render::json`].
    Json,
}

/// What `diff` found, which decides its exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffOutcome {
    /// No change breaks any audience (exit 0).
    Compatible,
    /// Some change breaks an audience (exit 1, for CI).
    Breaking,
    /// A spec did not load (exit 2); its diagnostics are on standard error (and, with
    /// `--format json`, in a document on standard output).
    Unloadable,
}

impl DiffOutcome {
    /// The process exit status: 0, 1 or 2.
    pub fn exit_code(self) -> u8 {
        match self {
            DiffOutcome::Compatible => 0,
            DiffOutcome::Breaking => 1,
            DiffOutcome::Unloadable => 2,
        }
    }
}

/// `diff OLD NEW`: every change from the spec in `old` to the one in `new`, classified as
/// breaking or additive for the generated API, the wire and the simulator
/// ([`crate::diff`]). A spec that does not load is reported with its diagnostics.
pub fn diff(old: &str, new: &str, format: DiffFormat) -> (Report, DiffOutcome) {
    let (old_spec, new_spec) = match (crate::Spec::load(old), crate::Spec::load(new)) {
        (Ok(o), Ok(n)) => (o, n),
        (o, n) => {
            let mut err = String::new();
            let mut all = Vec::new();
            for (dir, result) in [(old, o.err()), (new, n.err())] {
                if let Some(diags) = result {
                    for d in &diags {
                        let _ = writeln!(err, "{d}");
                    }
                    let _ = writeln!(err, "{} problem(s) in {dir}", diags.len());
                    all.extend(diags);
                }
            }
            let stdout = match format {
                DiffFormat::Human => String::new(),
                DiffFormat::Json => crate::diff::render::json_diagnostics(&all),
            };
            let report = Report {
                stdout,
                stderr: err,
                ok: false,
            };
            return (report, DiffOutcome::Unloadable);
        }
    };
    let changes = crate::diff::compare(&old_spec, &new_spec);
    let stdout = match format {
        DiffFormat::Human => crate::diff::render::human(&changes),
        DiffFormat::Json => crate::diff::render::json(&changes),
    };
    if changes.iter().any(crate::diff::Change::is_breaking) {
        let report = Report {
            stdout,
            stderr: String::new(),
            ok: false,
        };
        (report, DiffOutcome::Breaking)
    } else {
        (Report::succeeded(stdout), DiffOutcome::Compatible)
    }
}
