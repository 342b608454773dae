//! `akixi-conformance [DIR]`: runs every conformance case of the spec in DIR (default `spec`)
//! and prints the table (case × part → pass, fail, known divergence); exits 1 on a failure or
//! a stale divergence, with each one on standard error.

use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "spec".to_owned());
    match akixi_conformance::run(std::path::Path::new(&dir)) {
        Err(diags) => {
            for d in &diags {
                eprintln!("{d}");
            }
            eprintln!("{} problem(s) in {dir}", diags.len());
            ExitCode::from(1)
        }
        Ok(run) => {
            print!("{}", run.markdown());
            let problems = run.problems();
            for p in &problems {
                eprintln!("{p}");
            }
            if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}
