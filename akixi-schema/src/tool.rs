//! The maintainers' commands, `check`, `expand` and `families`, written once for both places that offer
//! them: the `akixi-spec` binary and the command line's `akixi spec`.

use std::fmt::Write as _;

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
        Ok(spec) => Report {
            stdout: format!("{}\n", spec.summary_line()),
            stderr: String::new(),
            ok: true,
        },
        Err(diags) => {
            let mut err = String::new();
            for d in &diags {
                let _ = writeln!(err, "{d}");
            }
            let _ = writeln!(err, "{} problem(s) in {dir}", diags.len());
            Report::failed(err)
        }
    }
}

/// `expand DIR SERVICE`: the Rust generated for a service, formatted.
pub fn expand(dir: &str, service: &str) -> Report {
    let spec = match crate::Spec::load(dir) {
        Ok(spec) => spec,
        Err(diags) => {
            let mut err = String::new();
            for d in &diags {
                let _ = writeln!(err, "{d}");
            }
            return Report::failed(err);
        }
    };
    match crate::codegen::expand(&spec, service) {
        Ok(code) => Report {
            stdout: code,
            stderr: String::new(),
            ok: true,
        },
        Err(e) => Report::failed(format!("error: {e}\n")),
    }
}

/// `families DIR SERVICE`: the Markdown table of the service's families that the README shows.
pub fn families(dir: &str, service: &str) -> Report {
    match crate::Spec::load(dir) {
        Ok(spec) => match spec.families_table(service) {
            Some(table) => Report {
                stdout: table,
                stderr: String::new(),
                ok: true,
            },
            None => Report::failed(format!("error: no service `{service}` in {dir}\n")),
        },
        Err(diags) => {
            let mut err = String::new();
            for d in &diags {
                let _ = writeln!(err, "{d}");
            }
            Report::failed(err)
        }
    }
}

/// `conformance DIR` (the check half): reads and checks every service's conformance cases
/// (`DIR/<service>/conformance/*.md`); one summary line, or every problem located. Running them
/// needs the client and the simulator, which depend on this crate: `akixi-conformance` does.
pub fn conformance(dir: &str) -> Report {
    let spec = match crate::Spec::load(dir) {
        Ok(spec) => spec,
        Err(diags) => {
            let mut err = String::new();
            for d in &diags {
                let _ = writeln!(err, "{d}");
            }
            let _ = writeln!(err, "{} problem(s) in {dir}", diags.len());
            return Report::failed(err);
        }
    };
    match crate::conformance::load(std::path::Path::new(dir), dir, &spec) {
        Ok(c) => Report {
            stdout: format!(
                "ok: {} conformance case(s), {} known divergence(s)\n",
                c.cases.len(),
                c.divergences.len()
            ),
            stderr: String::new(),
            ok: true,
        },
        Err(diags) => {
            let mut err = String::new();
            for d in &diags {
                let _ = writeln!(err, "{d}");
            }
            let _ = writeln!(
                err,
                "{} problem(s) in the conformance cases of {dir}",
                diags.len()
            );
            Report::failed(err)
        }
    }
}
