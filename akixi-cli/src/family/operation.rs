//! The Akixi operations' commands: the akixi-ws row of the protocol table ([`AKIXI_WS`]: how
//! its commands and flags are named, a cascading delete's consent flags) and how a parsed
//! command becomes a call and is sent ([`send`]): its properties from the flags and
//! `--from-json`, settled and checked, every page of a list, a cascading delete shown and
//! approved first, the answer printed or its failure reported.

use akixi_client::Error;
use akixi_client::akixi::{BOOLEAN_SPELLINGS, dynamic};
use akixi_client::json::{CollectJson, Collected};
use akixi_client::runtime::akixi_ws::{DynError, OpKind, OperationInfo};

use crate::connect::{self, Connection};
use crate::error::CliError;
use crate::error::call_failure::report;
use crate::family::prelude;
use crate::output::{self, Formats};
use crate::spec_cli::protocol::{Booleans, Protocol};
use crate::spec_cli::registry::Invocation;
use crate::spec_cli::{clear, matches, names, values};
use crate::{cascade, from_json, listing, target_line};

/// The Akixi Service Web Services API's commands.
pub static AKIXI_WS: Protocol = Protocol {
    command_name: names::command_name,
    command_aliases: |_| Vec::new(),
    is_flag: |_, _| true,
    flag_name: |op, f| names::flag_name(op, f.property),
    flag_aliases: |_, _| Vec::new(),
    filled_later: |_, _| false,
    help_note: |_, _| None,
    booleans: Booleans::Valued(BOOLEAN_SPELLINGS),
    extra_args: |cmd, op| cascade::with_flags(cmd, op),
    send: |invocation, op| Box::pin(send(invocation, op)),
};

/// Runs `FAMILY OPERATION`.
async fn send(invocation: &Invocation<'_>, op: &'static OperationInfo) -> Result<(), CliError> {
    let writes = target_line::writes(op);
    let fmt = prelude::prepare(invocation, Formats::of_kind(op.kind), writes)?;
    let cm = invocation.matches;
    let flags = matches::fields(op, cm).map_err(CliError::Usage)?;
    // The flags given override what the JSON says.
    let fields = match cm.try_get_one::<String>(names::FROM_JSON).ok().flatten() {
        Some(file) => from_json::fields(op, file, &flags)?,
        None => flags,
    };
    let fields = clear::settled(op, cm, fields).map_err(CliError::Usage)?;
    if let Some((message, _)) = values::unsupported_on_axis(op, &fields) {
        return Err(CliError::Usage(format!("{}: {message}", op.name)));
    }
    let paging = matches::paging(op, cm);
    let conn = connect::connect(&target_line::resolve(cm)?.target).await?;
    let result = if op.kind == OpKind::List && op.paged && paging.is_none() {
        // Every page, as the aws CLI does; --offset/--limit ask for one page.
        listing::list_all(&conn, op, &fields, listing::walk(cm), fmt).await
    } else {
        // A delete that cascades is shown and approved first (cascade).
        let cascaded = match op.kind {
            OpKind::Delete => cascade::before_delete(&conn, op, &fields, cm).await,
            _ => Ok(None),
        };
        match cascaded {
            Err(e) => Err(e),
            Ok(cascaded) => match call(&conn, op, &fields, paging).await {
                Ok(data) => {
                    let printed =
                        output::print_collected(op.name, &data, op.kind == OpKind::List, fmt);
                    if let Some(line) = cascaded {
                        eprintln!("akixi: {line}");
                    }
                    printed
                }
                Err(e) => Err(report(op.name, e, fmt)),
            },
        }
    };
    conn.finish().await;
    result
}

/// Calls `op` with `fields` in its payload and, for a paged call, the envelope's offset and
/// limit.
async fn call(
    conn: &Connection,
    op: &'static OperationInfo,
    fields: &[(String, String)],
    paging: Option<(Option<u64>, Option<u64>)>,
) -> Result<Collected, DynError<Error>> {
    let (offset, limit) = paging.unwrap_or_default();
    dynamic::call_paged_with(
        &conn.client,
        op.name,
        fields,
        conn.platform_for(op, fields).await,
        offset,
        limit,
        &CollectJson,
    )
    .await
}
