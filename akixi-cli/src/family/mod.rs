//! The Akixi family groups (`akixi user …`, `akixi tel-sys …`), registered once each: one
//! group per family of the spec (`spec_cli::names::families`), with
//! - a command per operation ([`operation`]: the akixi-ws protocol's table and how a command
//!   is sent, over the shared `spec_cli::builder`),
//! - `import` where the family adds (`crate::bulk::import`),
//! - `export` where it lists and reads ([`export`]),
//! - `plan`, `apply` and `drift` where desired state applies (`crate::bulk::desired_state`),
//!
//! each of which first does what [`prelude`] says.

pub mod export;
pub mod operation;
pub mod prelude;

use akixi_client::runtime::akixi_ws::{OpKind, OperationInfo};
use clap::Command;

use crate::bulk::desired_state::{self, DesiredCommand};
use crate::bulk::{diff, import, rows};
use crate::output::Formats;
use crate::spec_cli::builder;
use crate::spec_cli::names;
use crate::spec_cli::registry::Entry;
use crate::target_line;

/// One group per family, in the order of what holds what.
pub fn entries() -> Vec<Entry> {
    names::families()
        .into_iter()
        .map(|(family, ops)| {
            let group = Command::new(names::group_name(family))
                .about(format!("The {family} operations"))
                .visible_aliases(names::group_alias(family))
                .subcommand_required(true)
                .arg_required_else_help(true);
            Entry::group(group, commands(family, ops))
        })
        .collect()
}

/// The commands of a family whose operations are `ops`.
fn commands(family: &str, ops: Vec<&'static OperationInfo>) -> Vec<Entry> {
    let mut out: Vec<Entry> = ops
        .iter()
        .map(|op| builder::op_entry(&operation::AKIXI_WS, op))
        .collect();
    if let Some(add) = names::operation_of(family, OpKind::Add) {
        out.push(import::entry(add));
    }
    if let (Some(list), Some(info)) = (
        names::operation_of(family, OpKind::List),
        names::operation_of(family, OpKind::Info),
    ) {
        out.push(export::entry(list, info));
    }
    if let Some(fam) = diff::Family::of(family) {
        for (desired, command) in desired_state::commands(&fam) {
            out.push(Entry::run(
                command.args(rows::read_args()),
                move |invocation| {
                    Box::pin(async move {
                        let writes = desired == DesiredCommand::Apply;
                        let format = prelude::prepare(invocation, Formats::Other, writes)?;
                        let target = target_line::resolve(invocation.matches)?.target;
                        desired_state::run(desired, &target, invocation.matches, &fam, format).await
                    })
                },
            ));
        }
    }
    out
}
