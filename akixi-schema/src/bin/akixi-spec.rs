//! `akixi-spec`: the maintainers' tool for the spec tables.
//!
//! - `akixi-spec check [DIR]`: load and check the spec; print a summary line, or every diagnostic.
//! - `akixi-spec expand [DIR] [SERVICE]`: print the Rust generated for a service, formatted.
//! - `akixi-spec families [DIR] [SERVICE]`: print the service's families as the README's table.
//! - `akixi-spec conformance [DIR]`: check the conformance cases, then run them against the
//!   codec, the client and the simulator and print the table (`CONFORMANCE.md`'s). Running
//!   needs the client and the simulator, which depend on this crate, so the run is the
//!   workspace's `akixi-conformance` binary, started through cargo.
//!
//! The commands are `akixi_schema::tool`'s, which `akixi spec` runs too.

use std::process::ExitCode;

const USAGE: &str = "usage: akixi-spec check [DIR] | expand [DIR] [SERVICE] | families [DIR] [SERVICE] | conformance [DIR]\n\n  check        load and check the spec in DIR (default: spec)\n  expand       print the Rust generated for SERVICE (default: akixi)\n  families     print SERVICE's families as a Markdown table (the README's)\n  conformance  check and run the conformance cases; print the table (cases x parts)";

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
