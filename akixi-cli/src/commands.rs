//! The whole command tree, registered once: the root command with the global options
//! (`spec_cli::globals`) and `--sim-from-snapshot`, and every entry of the registry
//! (`spec_cli::registry`): the Akixi family groups (`family`), `snapshot`, `em`, `config`
//! and the tools (`tools`). `main` parses with [`tree`] and runs with
//! `spec_cli::registry::dispatch` over the same [`entries`].

use std::path::PathBuf;

use akixi_client::akixi::Platform;
use clap::{Arg, Command};

use crate::error::CliError;
use crate::family::prelude;
use crate::spec_cli::globals::{self, global_args};
use crate::spec_cli::registry::{self, Entry, Invocation};
use crate::{em, family, profile, servers, snapshot, target_line, tools};

/// The root command, without its subcommands.
fn root() -> Command {
    global_args(
        Command::new("akixi")
            .about("Typed client for the Akixi Service Web Services API: every operation of the spec, bulk provisioning, and an embedded simulator")
            .version(env!("CARGO_PKG_VERSION"))
            .subcommand_required(true)
            .arg_required_else_help(true)
            .after_help("Connection and output options (--url, --login, --profile, --format, …) may come before the command group or after the command."),
    )
    .arg(
        Arg::new("sim-from-snapshot")
            .long("sim-from-snapshot")
            .env("AKIXI_SIM_SNAPSHOT")
            .value_name("FILE")
            .value_parser(clap::value_parser!(PathBuf))
            .help("Without --url: start the embedded simulator in memory holding exactly what this snapshot (akixi snapshot --out FILE) holds, signed in as its caller; give it before the command group"),
    )
}

/// Every command of `akixi`, in `akixi --help`'s order.
pub fn entries() -> Vec<Entry> {
    let mut out = family::entries();
    out.push(Entry::run(snapshot::command(), |i| Box::pin(snapshot(i))));
    out.push(em::entry());
    out.push(config());
    out.extend(tools::entries());
    out
}

/// The clap command of `entries`, under the root.
pub fn tree(entries: &[Entry]) -> Command {
    registry::tree(root(), entries)
}

/// `akixi snapshot`.
async fn snapshot(invocation: &Invocation<'_>) -> Result<(), CliError> {
    prelude::use_sim_snapshot(invocation.root);
    let m = invocation.matches;
    servers::run().force(m.get_one::<Platform>("platform").copied());
    snapshot::run(&target_line::resolve(m)?.target, m).await
}

/// `akixi config list|show|current`, with a `--format` of its own (no CSV).
fn config() -> Entry {
    let group = Command::new("config")
        .about("The profiles of the config file (AKIXI_CONFIG, or akixi/config.toml in the config directory)")
        .subcommand_required(true)
        .arg(Arg::new("format").long("format").global(true).value_parser(["table", "json"]).default_value("table").help("Output format"));
    let json = |i: &Invocation<'_>| globals::format(i.matches) == crate::output::Format::Json;
    Entry::group(
        group,
        vec![
            Entry::run(
                Command::new("list").about("Every profile (* marks the default)"),
                move |i| Box::pin(async move { profile::list(json(i)) }),
            ),
            Entry::run(
                Command::new("show")
                    .about("One profile's settings (default: the default profile)")
                    .arg(Arg::new("name")),
                move |i| {
                    Box::pin(async move {
                        let name = i.matches.get_one::<String>("name").map(String::as_str);
                        profile::show(name, json(i))
                    })
                },
            ),
            Entry::run(
                Command::new("current").about("The target the options, environment and profile resolve to: the profile, the URL (or the embedded simulator's state file), the login, the platform"),
                move |i| Box::pin(async move { target_line::current(i.matches, json(i)) }),
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_valid_for_every_family() {
        // Clap's own consistency checks (unique flags, ids, …) over every command the spec makes.
        tree(&entries()).debug_assert();
    }
}
