//! What differs between the protocols' commands, as a table of functions ([`Protocol`]): how
//! an operation's command and flags are named, which inputs are flags, how a Boolean is given,
//! and how a parsed command becomes a request and is sent. Everything else (help, value
//! checks, headings, the global options, the JSON envelope) is the same for every protocol:
//! `spec_cli::builder` makes the commands from the protocol-neutral metadata
//! (`akixi_client::meta`).

use akixi_client::meta::{FieldInfo, OperationInfo};
use clap::Command;

use crate::spec_cli::registry::{Invocation, RunFuture};
use crate::spec_cli::values::Spellings;

/// How a protocol's Booleans are given on the command line.
#[derive(Debug, Clone, Copy)]
pub enum Booleans {
    /// With a value in one of these spellings (`--lock-out True`): a change may set False.
    Valued(Spellings),
    /// As a switch, given or not (`--no-timeout`).
    Switch,
}

/// A field of an operation, as the protocol's functions are given it.
pub type FieldFn<T> = fn(&'static OperationInfo, &'static FieldInfo) -> T;

/// What one protocol's commands do differently.
pub struct Protocol {
    /// The command of an operation (`add` for `UserAdd`; an EM action's name in kebab case).
    pub command_name: fn(&'static OperationInfo) -> String,
    /// Other spellings of the command, still read (not shown).
    pub command_aliases: fn(&'static OperationInfo) -> Vec<String>,
    /// Whether an input is a flag of its own (not a secret read elsewhere, not a parameter a
    /// global option gives).
    pub is_flag: FieldFn<bool>,
    /// The flag of an input (`scope-tel-sys-id`, `logout-after`).
    pub flag_name: FieldFn<String>,
    /// Other spellings of the flag, still read (not shown).
    pub flag_aliases: FieldFn<Vec<String>>,
    /// Whether a required input is filled by the command line itself when not given (the EM
    /// connection parameters), so that clap does not require it.
    pub filled_later: FieldFn<bool>,
    /// What the flag's help says beyond the spec's description and the value hint.
    pub help_note: FieldFn<Option<String>>,
    /// How a Boolean is given.
    pub booleans: Booleans,
    /// Flags of the protocol's own beside the properties' (a cascading delete's consent).
    pub extra_args: fn(Command, &'static OperationInfo) -> Command,
    /// Sends the operation of a parsed command and prints what it returned.
    pub send: for<'a> fn(&'a Invocation<'a>, &'static OperationInfo) -> RunFuture<'a>,
}
