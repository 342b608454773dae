//! `akixi em …`: the Cisco Extension Mobility actions, made from the spec at run time (one
//! command per action of `akixi_client::em::ACTIONS`), by the same builder as the Akixi
//! commands (`spec_cli::builder`): the same help, value checks, headings and global options
//! (`--url`, `--format`, `--timeout`, `--verbose`, `--profile`), the same JSON envelope. What
//! is the protocol's own is its row of the protocol table ([`EM`]): [`names`] (commands,
//! flags, the parameters the command line fills itself), [`send`] (a parsed command made an
//! action and sent) and [`outcome`] (what it returned, shown). Nothing here names an action.

pub mod names;
pub mod outcome;
pub mod send;

use akixi_client::em::{ACTIONS, BINDING};
use clap::{Arg, Command};

use crate::spec_cli::builder;
use crate::spec_cli::globals::GLOBAL_HEADING;
use crate::spec_cli::protocol::{Booleans, Protocol};
use crate::spec_cli::registry::Entry;

/// The command group.
pub const GROUP: &str = "em";

/// The Extension Mobility API's commands.
pub static EM: Protocol = Protocol {
    command_name: names::command_name,
    command_aliases: names::command_aliases,
    is_flag: |_, f| names::is_flag(f),
    flag_name: names::flag_name,
    flag_aliases: names::flag_aliases,
    filled_later: |_, f| names::is_connection(f.property.name),
    help_note: |_, f| names::help_note(f),
    booleans: Booleans::Switch,
    extra_args: |cmd, _| cmd,
    send: |invocation, op| Box::pin(send::run(invocation, op)),
};

/// The `em` group: one command per action, and its own `--scheme` beside the global options.
pub fn entry() -> Entry {
    let group = Command::new(GROUP)
        .about("The Cisco Unified CM Extension Mobility actions (spec cisco-em)")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .next_help_heading(GLOBAL_HEADING)
        .arg(
            Arg::new("scheme")
                .long("scheme")
                .global(true)
                .value_parser([BINDING.default_scheme, BINDING.secure_scheme])
                .help(format!(
                    "Scheme of URLs built from --call-manager-host (default {})",
                    BINDING.default_scheme
                )),
        );
    Entry::group(
        group,
        ACTIONS
            .iter()
            .map(|op| builder::op_entry(&EM, op))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use akixi_client::em::AnyAction;

    use super::*;
    use crate::em::names::app_id_parameter;
    use crate::spec_cli::registry;

    /// The `em` group's command tree.
    fn group() -> Command {
        registry::tree(Command::new("akixi"), &[entry()])
            .find_subcommand(GROUP)
            .cloned()
            .expect("em")
    }

    #[test]
    fn commands_and_flags_come_from_the_spec() {
        let g = group();
        let names: Vec<&str> = g.get_subcommands().map(Command::get_name).collect();
        assert_eq!(names.len(), AnyAction::NAMES.len());
        assert!(names.contains(&"logout-all"), "{names:?}");
        let login = g.find_subcommand("login").expect("login");
        let flags: Vec<String> = login
            .get_arguments()
            .filter_map(|a| a.get_long().map(str::to_string))
            .collect();
        // The URL is the global --url.
        for f in ["call-manager-host", "version", "app-id", "device-name"] {
            assert!(flags.contains(&f.to_string()), "{f}: {flags:?}");
        }
        assert!(
            !flags.iter().any(|f| f.contains("certificate")),
            "{flags:?}"
        );
        assert_eq!(app_id_parameter(), Some("AppId"));
        // The duration is not the request timeout; its switch takes no value.
        assert!(flags.contains(&"logout-after".to_string()), "{flags:?}");
        assert!(!flags.contains(&"timeout".to_string()), "{flags:?}");
        let switch = login
            .get_arguments()
            .find(|a| a.get_long() == Some("no-timeout"))
            .expect("--no-timeout");
        assert!(!switch.get_action().takes_values());
    }
}
