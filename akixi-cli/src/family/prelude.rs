//! What every command of an Akixi family group does first: the embedded simulator's snapshot
//! (`--sim-from-snapshot`), the `--format` it can print, the target named before a write, the
//! bulk input options and `--platform`.

use std::path::PathBuf;

use akixi_client::akixi::Platform;
use clap::ArgMatches;

use crate::bulk::rows;
use crate::error::CliError;
use crate::output::{self, Format, Formats};
use crate::spec_cli::globals;
use crate::spec_cli::registry::Invocation;
use crate::{connect, servers, target_line};

/// `--sim-from-snapshot FILE` (a root option): the embedded simulator holds that snapshot.
pub fn use_sim_snapshot(root: &ArgMatches) {
    if let Some(path) = root.get_one::<PathBuf>("sim-from-snapshot") {
        connect::use_sim_snapshot(path.clone());
    }
}

/// Prepares a command of a family group that prints `formats`; `writes` says whether it
/// changes the service (the target is named first). Gives the output format.
pub fn prepare(
    invocation: &Invocation<'_>,
    formats: Formats,
    writes: bool,
) -> Result<Format, CliError> {
    use_sim_snapshot(invocation.root);
    let m = invocation.matches;
    output::accept_format(m, &invocation.name(), formats)?;
    if writes {
        target_line::announce(m)?;
    }
    // This run's input options (import, plan, apply, drift) and --platform, which overrides
    // the telephony servers' platforms.
    rows::set_read_options(m);
    servers::run().force(m.get_one::<Platform>("platform").copied());
    Ok(globals::format(m))
}
