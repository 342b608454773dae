//! `akixi-spec`: the maintainers' tool for the spec tables.
//!
//! - `akixi-spec check [DIR]`: load and check the spec; print a summary line, or every diagnostic.
//! - `akixi-spec expand [DIR] [SERVICE]`: print the Rust generated for a service, formatted.
//! - `akixi-spec families [DIR] [SERVICE]`: print the service's families as the README's table.
//! - `akixi-spec conformance [DIR]`: check the conformance cases, then run them against the
//!   codec, the client and the simulator and print the table (`CONFORMANCE.md`'s). Running
//!   needs the client and the simulator, which depend on this crate, so the run is the
//!   workspace's `akixi-conformance` binary, started through cargo.
//! - `akixi-spec diff OLD NEW [--format human|json]`: every change from the spec in OLD to the
//!   one in NEW, classified as breaking or additive for the generated API, the wire and the
//!   simulator, with both places; exit 1 when any change breaks, 2 when a spec does not load.
//!
//! The commands are `akixi_schema::tool`'s, which `akixi spec` runs too.

use std::process::ExitCode;

const USAGE: &str = "usage: akixi-spec check [DIR] | expand [DIR] [SERVICE] | families [DIR] [SERVICE] | conformance [DIR] | diff OLD NEW [--format human|json]\n\n  check        load and check the spec in DIR (default: spec)\n  expand       print the Rust generated for SERVICE (default: akixi)\n  families     print SERVICE's families as a Markdown table (the README's)\n  conformance  check and run the conformance cases; print the table (cases x parts)\n  diff         classify every change from the spec in OLD to NEW as breaking or additive\n               for the generated API, the wire and the simulator (exit 1: breaking; 2: a\n               spec does not load)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args.get(1).map_or("spec", String::as_str);
    let report = match args.first().map(String::as_str) {
        Some("check") => akixi_schema::tool::check(dir),
        Some("expand") => {
            akixi_schema::tool::expand(dir, args.get(2).map_or("akixi", String::as_str))
        }
        Some("families") => {
            akixi_schema::tool::families(dir, args.get(2).map_or("akixi", String::as_str))
        }
        Some("conformance") => {
            let report = akixi_schema::tool::conformance(dir);
            report.print();
            if !report.ok {
                return ExitCode::FAILURE;
            }
            return run_conformance(dir);
        }
        Some("diff") => return diff(&args[1..]),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(64);
        }
    };
    report.print();
    if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `diff OLD NEW [--format human|json]` (the format may come anywhere after `diff`).
fn diff(args: &[String]) -> ExitCode {
    let mut format = akixi_schema::tool::DiffFormat::Human;
    let mut dirs = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = match arg.as_str() {
            "--format" => rest.next().map(String::as_str),
            other => match other.strip_prefix("--format=") {
                Some(v) => Some(v),
                None => {
                    dirs.push(other);
                    continue;
                }
            },
        };
        format = match value {
            Some("human") => akixi_schema::tool::DiffFormat::Human,
            Some("json") => akixi_schema::tool::DiffFormat::Json,
            _ => {
                eprintln!("akixi-spec diff: --format takes `human` or `json`\n{USAGE}");
                return ExitCode::from(64);
            }
        };
    }
    let [old, new] = dirs[..] else {
        eprintln!("akixi-spec diff: give the OLD and NEW spec directories\n{USAGE}");
        return ExitCode::from(64);
    };
    let (report, outcome) = akixi_schema::tool::diff(old, new, format);
    report.print();
    ExitCode::from(outcome.exit_code())
}

/// Runs the cases through the workspace's `akixi-conformance` binary (which links the client and
/// the simulator), with cargo.
fn run_conformance(dir: &str) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
    let status = std::process::Command::new(cargo)
        .args(["run", "-q", "-p", "akixi-conformance", "--manifest-path"])
        .arg(manifest)
        .args(["--", dir])
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("akixi-spec: cannot run akixi-conformance with cargo: {e}");
            ExitCode::FAILURE
        }
    }
}
