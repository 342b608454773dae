//! `akixi`: every operation of the spec as a command, bulk provisioning, and an embedded
//! simulator when no `--url` is given.
//!
//! In the order a command flows: [`commands`] (the whole tree, registered once: each command
//! with what runs it, `spec_cli::registry`), [`profile`] and [`connect`] (where it goes),
//! [`spec_cli`] (the commands from the spec, for every protocol: names, value checks, the one
//! builder, the protocol table, the global options) and [`from_json`] (properties from JSON),
//! the call ([`family`] for the Akixi groups, [`em`] for Extension Mobility), then [`output`]
//! (typed JSON or a table); [`listing`] walks every page and exports; [`bulk`] reads bulk files,
//! sends them (import, apply) and has the desired-state commands (plan, apply, drift);
//! [`error`] is how a command ends badly.
//!
//! Exit codes: 0 success, 1 failure, 2 partial failure (a bulk run in which some rows failed),
//! 3 a bulk run stopped by a dead or refusing service (resume by running it again), 64 usage
//! error, 130 Ctrl-C.

mod bulk;
mod cascade;
mod commands;
mod connect;
mod consent;
mod em;
mod error;
mod export_marker;
mod family;
mod from_json;
mod interrupt;
mod listing;
mod output;
mod profile;
mod servers;
mod snapshot;
mod spec_cli;
mod target_line;
mod terminal_text;
mod tools;

use std::process::ExitCode;

use crate::spec_cli::{globals, registry};

fn main() -> ExitCode {
    let entries = commands::entries();
    let mut tree = commands::tree(&entries);
    let matches = match tree.try_get_matches_from_mut(std::env::args_os()) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(64),
            };
        }
    };
    if globals::verbose(registry::innermost(&matches)) {
        init_verbose_logging();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("akixi: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Ctrl-C ends any command with 130; a bulk run first records every row's state.
    let code = match runtime.block_on(async {
        interrupt::listen();
        registry::dispatch(&entries, &matches, &tree).await
    }) {
        Ok(()) => ExitCode::SUCCESS,
        // An error may quote a stored value: its control characters are shown escaped.
        Err(e) => e.report(),
    };
    terminal_text::note_escaped();
    code
}

/// `--verbose`: the client's log of each exchange (the XML with secrets redacted) on stderr.
fn init_verbose_logging() {
    let filter = tracing_subscriber::EnvFilter::new("akixi_client=trace,akixi_sim=info");
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}
