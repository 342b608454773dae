//! The commands from the spec, for every protocol. The map, bottom up:
//! - [`names`] (what the Akixi groups, commands and flags are called), [`values`] (each flag's
//!   value checked against its type), [`clear`] (what a change empties, and what a command
//!   sends once settled), [`matches`] (what a parsed command gives);
//! - [`globals`] (the options every command takes, defined once on the root);
//! - [`registry`] (each command registered once with what runs it: the tree and the dispatch
//!   from one list) → [`protocol`] (what differs between the protocols' commands, as a table of
//!   functions) → [`builder`] (an operation's clap command over the protocol-neutral metadata,
//!   the same for every protocol).
//!
//! The protocols' rows of the table are `crate::family::operation::AKIXI_WS` and
//! `crate::em::EM`.

pub mod builder;
pub mod clear;
pub mod globals;
pub mod matches;
pub mod names;
pub mod protocol;
pub mod registry;
pub mod values;
