//! The options every command takes, defined once on the root and global: where a command goes
//! (`--url`, `--login`, `--password-file`, `--profile`, `--platform`), how long it waits
//! (`--timeout`), what it prints (`--format`, `--verbose`). They may come before the command
//! group or after the command, for the Akixi groups and `em` alike.

use akixi_client::akixi::Platform;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::output::Format;

/// The heading of the connection and output options in `--help`.
pub const GLOBAL_HEADING: &str = "Connection and output";

/// `cmd` with the global options.
pub fn global_args(cmd: Command) -> Command {
    cmd.next_help_heading(GLOBAL_HEADING).arg(Arg::new("url").long("url").env("AKIXI_URL").global(true).value_name("URL").help("The service's endpoint (the Akixi XML endpoint; for em, the EM service URL, or --call-manager-host); without it, the embedded simulator"))
        .arg(Arg::new("login").long("login").env("AKIXI_USERNAME").global(true).value_name("NAME").help("The administrative user to sign in as (password: AKIXI_PASSWORD, --password-file, or a prompt)"))
        .arg(Arg::new("password-file").long("password-file").global(true).value_name("FILE").help("Read the sign-in password from FILE (- for standard input)"))
        .arg(
            Arg::new("platform")
                .long("platform")
                .global(true)
                .value_name("PLATFORM")
                .help(format!("Validate requests for this platform: {}", Platform::ALL.iter().map(|p| p.id()).collect::<Vec<_>>().join(", ")))
                .value_parser(|s: &str| Platform::parse(s).map_err(|e| e.to_string())),
        )
        .arg(Arg::new("format").long("format").global(true).value_parser(["table", "json", "csv"]).default_value("table").help("Output format: table, csv or json where a command prints records (info, list); an export prints csv (its default) or json; other commands print table or json"))
        .arg(Arg::new("timeout").long("timeout").alias("request-timeout").global(true).value_name("SECONDS").default_value("30").value_parser(clap::value_parser!(u64)).help("Request timeout (em login's auto-logout duration is --logout-after)"))
        .arg(Arg::new("verbose").long("verbose").short('v').global(true).action(ArgAction::SetTrue).help("Show each exchange (secrets redacted, the EM certificate never shown)"))
        .arg(Arg::new("profile").long("profile").env("AKIXI_PROFILE").global(true).value_name("NAME").help("Use the named profile of the config file (see `akixi config`; for em, its em-host and em-app-user); flags and environment variables override it"))
}

/// The long names of the global options.
#[cfg(test)]
pub fn global_flags() -> Vec<String> {
    global_args(Command::new("globals"))
        .get_arguments()
        .filter_map(|a| a.get_long().map(str::to_owned))
        .collect()
}

/// `--format`: JSON, or a table (CSV is the records' own business, see
/// `output::accept_format`).
pub fn format(m: &ArgMatches) -> Format {
    if m.try_get_one::<String>("format")
        .ok()
        .flatten()
        .map(String::as_str)
        == Some("json")
    {
        Format::Json
    } else {
        Format::Table
    }
}

/// Whether `--verbose` was given.
pub fn verbose(m: &ArgMatches) -> bool {
    m.try_get_one::<bool>("verbose")
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false)
}

/// Whether `option` was given on the command line (not taken from the environment or a
/// default).
pub fn given(m: &ArgMatches, option: &str) -> bool {
    m.try_contains_id(option).unwrap_or(false)
        && m.value_source(option) == Some(clap::parser::ValueSource::CommandLine)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec_cli::names::GLOBAL_FLAGS;

    #[test]
    fn property_flags_avoid_every_global_option() {
        for long in global_flags() {
            assert!(
                GLOBAL_FLAGS.contains(&long.as_str()),
                "--{long} is global but not in GLOBAL_FLAGS"
            );
        }
    }
}
