//! `FAMILY export`: every entry, with everything its Info operation returns (CSV headed by
//! wire names, so that it can be imported again; or `--format json`), through
//! `listing::export`.

use akixi_client::runtime::akixi_ws::OperationInfo;
use clap::{Arg, Command};

use crate::bulk::send::MAX_CONCURRENCY;
use crate::connect;
use crate::error::CliError;
use crate::family::operation::AKIXI_WS;
use crate::family::prelude;
use crate::listing;
use crate::output::Formats;
use crate::spec_cli::builder;
use crate::spec_cli::globals;
use crate::spec_cli::matches;
use crate::spec_cli::registry::{Entry, Invocation};
use crate::target_line;

/// The export command of a family that lists (`list`) and reads each entry (`info`).
pub fn entry(list: &'static OperationInfo, info: &'static OperationInfo) -> Entry {
    let command = Command::new("export")
        .about("Every entry, with everything its Info operation returns (CSV headed by wire names, so it can be imported again; or --format json)")
        .arg(Arg::new("concurrency").long("concurrency").value_name("N").default_value("8").value_parser(clap::value_parser!(u16).range(1..=MAX_CONCURRENCY)).help(format!("Info requests in flight at once (1 to {MAX_CONCURRENCY}); the output keeps the list's order")))
        .args(builder::walk_args())
        .arg(listing::formula_guard_arg())
        .args(builder::filter_args(&AKIXI_WS, Some(list)));
    Entry::run(command, move |invocation| {
        Box::pin(async move { export(invocation, list, info).await })
    })
}

async fn export(
    invocation: &Invocation<'_>,
    list: &'static OperationInfo,
    info: &'static OperationInfo,
) -> Result<(), CliError> {
    prelude::prepare(invocation, Formats::Export, false)?;
    let cm = invocation.matches;
    let concurrency = matches::concurrency(cm, 8);
    let walk = listing::walk(cm);
    let filters = matches::fields(list, cm).map_err(CliError::Usage)?;
    let conn = connect::connect(&target_line::resolve(cm)?.target).await?;
    let output = listing::ExportOutput::from_args(globals::format(cm), cm);
    let result = listing::export(&conn, list, info, &filters, output, concurrency, walk).await;
    conn.finish().await;
    result
}
