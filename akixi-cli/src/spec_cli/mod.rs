//! The command tree from the spec: [`names`] (groups, commands and flags named from the spec),
//! [`values`] (each flag's value checked against its type), [`builder`] (an operation's clap
//! command), [`clear`] (what a change empties, and what a command sends once settled) and
//! [`matches`] (what a parsed command gives).

pub mod builder;
pub mod clear;
pub mod matches;
pub mod names;
pub mod values;
