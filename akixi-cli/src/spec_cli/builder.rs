//! The clap command of one operation: a flag per input property, with its help, value name,
//! heading and value check; `--clear`, `--from-json` and paging where the operation has them.

use akixi_client::akixi_ws::grammar;
use akixi_client::runtime::akixi_ws::{InputUse, OpKind, OperationInfo, PropertyInfo, ValueKind};
use clap::{Arg, ArgAction, Command};

use crate::spec_cli::clear::clearable;
use crate::spec_cli::names::{CLEAR, FROM_JSON, inputs, read_from_file, takes_json, wire_path};
use crate::spec_cli::protocol::{Booleans, Protocol};
use crate::spec_cli::registry::Entry;
use crate::spec_cli::values::canonical_value_in;
use heck::ToKebabCase;

/// The spec's description with a hint of the values it takes (a switch takes none).
fn help(p: &PropertyInfo, switch: bool) -> String {
    let mut h = p.description.to_string();
    match p.kind {
        ValueKind::Boolean if switch => {}
        ValueKind::Boolean => h.push_str(" [Boolean: True or False]"),
        ValueKind::Integer { min, max } => h.push_str(&format!(" [{min}..{max}]")),
        ValueKind::Enum | ValueKind::Selector if !p.values.is_empty() => {
            h.push_str(&format!(
                " [{}{}]",
                p.values.join(" | "),
                if p.kind == ValueKind::Selector {
                    " | a number"
                } else {
                    ""
                }
            ));
        }
        ValueKind::List => h.push_str(" [comma-separated]"),
        ValueKind::Secret => h.push_str(" [read from this file; - for standard input]"),
        _ => {}
    }
    h
}

/// The heading of the properties outside containers in `--help`.
const PROPERTIES_HEADING: &str = "Properties";

/// `--page-size` and `--max-items`, for walking every page of a list.
pub fn walk_args() -> [Arg; 2] {
    [
        Arg::new("page-size")
            .long("page-size")
            .value_name("N")
            .value_parser(clap::value_parser!(u64).range(1..))
            .help("Entries asked for per request when reading every page (default: the service's default Limit)"),
        Arg::new("max-items")
            .long("max-items")
            .value_name("N")
            .value_parser(clap::value_parser!(u64).range(1..))
            .help("Stop after N entries (without it, every page is read)"),
    ]
}

/// The input flags of `list` (its filters), for the commands that walk it (export); none
/// without a list.
pub fn filter_args(protocol: &Protocol, list: Option<&'static OperationInfo>) -> Vec<Arg> {
    let Some(list) = list else {
        return Vec::new();
    };
    op_command(protocol, list)
        .get_arguments()
        .filter(|a| inputs(list).any(|f| wire_path(f.property) == a.get_id().as_str()))
        .cloned()
        .collect()
}

/// The command of one operation of `protocol`: a flag per input, with the spec's description
/// and a value hint, checked as its type says (Booleans, ranges, enumerations, lists), under
/// the heading of its container; `--clear`, `--from-json` and paging where the operation has
/// them (by its kind: a change, an add, a paged list), and the protocol's own flags.
pub fn op_command(protocol: &Protocol, op: &'static OperationInfo) -> Command {
    let mut cmd = Command::new((protocol.command_name)(op))
        .about(op.description)
        .aliases((protocol.command_aliases)(op));
    for f in inputs(op).filter(|f| (protocol.is_flag)(op, f)) {
        let p = f.property;
        let required = matches!(f.input, Some(InputUse::Required | InputUse::Key))
            && !(protocol.filled_later)(op, f);
        let prop = *p;
        let from_file = read_from_file(op, f);
        let switch = p.kind == ValueKind::Boolean && matches!(protocol.booleans, Booleans::Switch);
        let mut help = if from_file {
            format!(
                "{} [read whole from this file; - for standard input]",
                p.description
            )
        } else {
            help(p, switch)
        };
        if let Some(note) = (protocol.help_note)(op, f) {
            help.push_str(&format!(" ({note})"));
        }
        let mut arg = Arg::new(wire_path(p))
            .long((protocol.flag_name)(op, f))
            .aliases((protocol.flag_aliases)(op, f))
            .help(help.clone())
            .help_heading(p.container.map_or_else(
                || PROPERTIES_HEADING.to_string(),
                |c| format!("{c} container"),
            ));
        if switch {
            // Given or not.
            cmd = cmd.arg(arg.action(ArgAction::SetTrue));
            continue;
        }
        arg = arg
            .value_name(if p.kind == ValueKind::Secret || from_file {
                "FILE".to_string()
            } else {
                p.type_name.to_uppercase()
            })
            .allow_negative_numbers(matches!(p.kind, ValueKind::Integer { .. }))
            .action(ArgAction::Set);
        // With --from-json, the required properties may come from the file.
        if required && takes_json(op) {
            arg = arg.required_unless_present(FROM_JSON);
        } else {
            arg = arg.required(required);
        }
        if p.kind != ValueKind::Secret && !from_file {
            // A switch is never parsed as a value: a protocol with switches has no spellings.
            let spellings = match protocol.booleans {
                Booleans::Valued(spellings) => spellings,
                Booleans::Switch => &[],
            };
            arg = arg.value_parser(move |s: &str| canonical_value_in(spellings, &prop, s));
        }
        if p.kind == ValueKind::List && !p.values.is_empty() {
            arg = arg.long_help(format!("{help}\n\nValues: {}", p.values.join(", ")));
        }
        cmd = cmd.arg(arg);
    }
    if op.kind == OpKind::Change {
        cmd = cmd.arg(
            Arg::new(CLEAR)
                .long(CLEAR)
                .value_name("PROPERTY")
                .action(ArgAction::Append)
                .value_parser(move |s: &str| clearable(op, s))
                .help("Clear an optional property, named as a CSV header names it (Container.Name) or by its flag without the dashes; repeatable. Text, enumerations and lists can be cleared; a whole number or a Boolean has no empty value"),
        );
    }
    if takes_json(op) {
        cmd = cmd.arg(
            Arg::new(FROM_JSON)
                .long(FROM_JSON)
                .value_name("FILE")
                .help("Read the properties from FILE (- for standard input): one object in the shape `info --format json` prints (its envelope too); flags given override it"),
        );
    }
    if op.paged {
        cmd = cmd.args(walk_args());
        for (element, help) in [
            (grammar::OFFSET, "Entries to skip (asks for one page)"),
            (grammar::LIMIT, "Entries to return (asks for one page)"),
        ] {
            let flag = element.to_kebab_case();
            cmd = cmd.arg(
                Arg::new(flag.clone())
                    .long(flag)
                    .value_name("N")
                    .help(help)
                    .value_parser(clap::value_parser!(u64)),
            );
        }
    }
    (protocol.extra_args)(cmd, op)
}

/// The registered command of one operation of `protocol`: its command, sent as the protocol
/// sends one.
pub fn op_entry(protocol: &'static Protocol, op: &'static OperationInfo) -> Entry {
    Entry::run(op_command(protocol, op), move |invocation| {
        (protocol.send)(invocation, op)
    })
}
