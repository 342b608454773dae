//! `akixi-spec`: the maintainers' tool for the spec tables.
//!
//! - `akixi-spec check [DIR]`: load and check the spec; print a summary line, or every diagnostic.
//! - `akixi-spec expand [DIR] [SERVICE]`: print the Rust generated for a service, formatted.
//! - `akixi-spec families [DIR] [SERVICE]`: print the service's families as the README's table.
//!
//! The commands are `akixi_schema::tool`'s, which `akixi spec` runs too.

use std::process::ExitCode;

const USAGE: &str = "usage: akixi-spec check [DIR] | expand [DIR] [SERVICE] | families [DIR] [SERVICE]\n\n  check     load and check the spec in DIR (default: spec)\n  expand    print the Rust generated for SERVICE (default: akixi)\n  families  print SERVICE's families as a Markdown table (the README's)";

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
