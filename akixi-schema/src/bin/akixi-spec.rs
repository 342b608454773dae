//! `akixi-spec`: the maintainers' tool for the spec tables.
//!
//! - `akixi-spec check [DIR]`: load and check the spec; print a summary line, or every diagnostic.
//! - `akixi-spec expand [DIR] [SERVICE]`: print the Rust generated for a service, formatted.

use std::process::ExitCode;

const USAGE: &str =
    "usage: akixi-spec check [DIR]\n\n  check   load and check the spec in DIR (default: spec)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => {
            let dir = args.get(1).map_or("spec", String::as_str);
            check(dir)
        }
        Some("expand") => {
            let dir = args.get(1).map_or("spec", String::as_str);
            let service = args.get(2).map_or("akixi", String::as_str);
            expand(dir, service)
        }
        Some("-h" | "--help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(64)
        }
    }
}

fn check(dir: &str) -> ExitCode {
    match akixi_schema::Spec::load(dir) {
        Ok(spec) => {
            println!("{}", spec.summary_line());
            ExitCode::SUCCESS
        }
        Err(diags) => {
            for d in &diags {
                eprintln!("{d}");
            }
            eprintln!("{} problem(s) in {dir}", diags.len());
            ExitCode::FAILURE
        }
    }
}

fn expand(dir: &str, service: &str) -> ExitCode {
    let spec = match akixi_schema::Spec::load(dir) {
        Ok(spec) => spec,
        Err(diags) => {
            for d in &diags {
                eprintln!("{d}");
            }
            return ExitCode::FAILURE;
        }
    };
    match akixi_schema::codegen::expand(&spec, service) {
        Ok(code) => {
            print!("{code}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
