//! `akixi`: every operation of the spec as a command, bulk provisioning, and an embedded
//! simulator when no `--url` is given.
//!
//! Exit codes: 0 success, 1 failure, 2 partial failure, 64 usage error.

mod bulk;
mod connect;
mod em;
mod output;
mod spec_cli;

use std::path::PathBuf;
use std::process::ExitCode;

use akixi_client::Error;
use akixi_client::akixi::{OPERATIONS, Platform, dynamic};
use akixi_client::akixi_ws::ResultKind;
use akixi_client::runtime::akixi_ws::{DynError, OpKind, OperationInfo, Record};
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::connect::{Connection, Target};
use crate::output::Format;

/// How a command ended badly.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The command line is wrong (exit 64).
    #[error("{0}")]
    Usage(String),
    /// The command failed (exit 1).
    #[error("{0}")]
    Failure(String),
    /// Some of it failed (exit 2).
    #[error("{0}")]
    Partial(String),
}

impl CliError {
    fn exit(&self) -> ExitCode {
        ExitCode::from(match self {
            CliError::Usage(_) => 64,
            CliError::Failure(_) => 1,
            CliError::Partial(_) => 2,
        })
    }
}

fn global_args(cmd: Command) -> Command {
    cmd.arg(Arg::new("url").long("url").env("AKIXI_URL").global(true).value_name("URL").help("The service's XML endpoint; without it, the embedded simulator"))
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
        .arg(Arg::new("format").long("format").global(true).value_parser(["table", "json", "csv"]).default_value("table").help("Output format: table (csv for export) or json"))
        .arg(Arg::new("timeout").long("timeout").global(true).value_name("SECONDS").default_value("30").value_parser(clap::value_parser!(u64)).help("Request timeout"))
        .arg(Arg::new("verbose").long("verbose").short('v').global(true).action(ArgAction::SetTrue).help("Show the exchanged XML (secrets redacted)"))
}

fn cli() -> Command {
    let mut root = Command::new("akixi")
        .about("Typed client for the Akixi Service Web Services API: every operation of the spec, bulk provisioning, and an embedded simulator")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true);
    for (family, ops) in spec_cli::families() {
        let mut group = Command::new(spec_cli::group_name(family))
            .about(format!("The {family} operations"))
            .visible_aliases(spec_cli::group_alias(family))
            .subcommand_required(true)
            .arg_required_else_help(true);
        for op in &ops {
            group = group.subcommand(spec_cli::op_command(op));
        }
        if let Some(add) = ops.iter().find(|o| o.kind == OpKind::Add) {
            group = group.subcommand(
                Command::new("import")
                    .about(format!("Run {} for every row of a CSV file (header: wire names such as Scope.TelSysID, or flag names)", add.name))
                    .arg(Arg::new("file").required(true).value_name("FILE.csv").value_parser(clap::value_parser!(PathBuf)))
                    .arg(Arg::new("dry-run").long("dry-run").action(ArgAction::SetTrue).help("Check every row; send nothing"))
                    .arg(Arg::new("concurrency").long("concurrency").value_name("N").default_value("4").value_parser(clap::value_parser!(u16).range(1..=bulk::MAX_CONCURRENCY)).help(format!("Rows in flight at once (1 to {})", bulk::MAX_CONCURRENCY)))
                    .arg(Arg::new("results").long("results").value_name("OUT.csv").value_parser(clap::value_parser!(PathBuf)).help("Record each row's outcome here; rows it records as done are skipped when re-run")),
            );
        }
        if ops.iter().any(|o| o.kind == OpKind::List) && ops.iter().any(|o| o.kind == OpKind::Info)
        {
            group = group.subcommand(
                Command::new("export")
                    .about("Every entry, with everything its Info operation returns (CSV headed by wire names, so it can be imported again)")
            );
        }
        // The Akixi options are global to each Akixi group, not to the root, so that the
        // `em` group's `--url` (and `--timeout`) are its own.
        root = root.subcommand(global_args(group));
    }
    root = root.subcommand(em::group());
    root = root.subcommand(
        Command::new("spec")
            .about("Maintainers' tools for the spec tables")
            .subcommand_required(true)
            .subcommand(
                Command::new("check")
                    .about("Load and check the spec")
                    .arg(Arg::new("dir").default_value("spec")),
            )
            .subcommand(
                Command::new("expand")
                    .about("Print the Rust generated from the spec")
                    .arg(Arg::new("dir").default_value("spec"))
                    .arg(Arg::new("service").default_value("akixi")),
            ),
    );
    root
}

fn target(m: &ArgMatches) -> Target {
    Target {
        url: m
            .get_one::<String>("url")
            .cloned()
            .filter(|u| !u.is_empty()),
        login: m.get_one::<String>("login").cloned(),
        password_file: m.get_one::<String>("password-file").cloned(),
        platform: m.get_one::<Platform>("platform").copied(),
        timeout: m.get_one::<u64>("timeout").copied().unwrap_or(30),
    }
}

fn format(m: &ArgMatches) -> Format {
    if m.get_one::<String>("format").map(String::as_str) == Some("json") {
        Format::Json
    } else {
        Format::Table
    }
}

fn main() -> ExitCode {
    let matches = match cli().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(64),
            };
        }
    };
    if matches.subcommand().is_some_and(|(_, gm)| em::verbose(gm)) {
        init_verbose_logging();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("akixi: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("akixi: {e}");
            e.exit()
        }
    }
}

/// `--verbose`: the client's log of each exchange (the XML with secrets redacted) on stderr.
fn init_verbose_logging() {
    let filter = tracing_subscriber::EnvFilter::new("akixi_client=trace,akixi_sim=info");
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

async fn run(m: &ArgMatches) -> Result<(), CliError> {
    let Some((group, gm)) = m.subcommand() else {
        return Err(CliError::Usage("no command".into()));
    };
    if group == "spec" {
        return spec_tool(gm);
    }
    if group == em::GROUP {
        return em::run(gm).await;
    }
    // The Akixi options are the group's.
    let m = gm;
    let Some((command, cm)) = gm.subcommand() else {
        return Err(CliError::Usage("no command".into()));
    };
    let families = spec_cli::families();
    let Some((_, ops)) = families
        .iter()
        .find(|(f, _)| spec_cli::group_name(f) == group)
    else {
        return Err(CliError::Usage(format!("no command group `{group}`")));
    };
    let fmt = format(m);
    match command {
        "import" => {
            let Some(add) = ops.iter().find(|o| o.kind == OpKind::Add) else {
                return Err(CliError::Usage("nothing to import".into()));
            };
            import(m, cm, add).await
        }
        "export" => export(m, cm, ops).await,
        name => {
            let Some(op) = ops.iter().find(|o| spec_cli::command_name(o) == name) else {
                return Err(CliError::Usage(format!("no command `{group} {name}`")));
            };
            let fields = spec_cli::fields(op, cm).map_err(CliError::Usage)?;
            if let Some((message, _)) = spec_cli::unsupported_on_axis(op, &fields) {
                return Err(CliError::Usage(format!("{}: {message}", op.name)));
            }
            let paging = spec_cli::paging(op, cm);
            let conn = connect::connect(&target(m)).await?;
            let result = call(&conn, op, &fields, paging).await;
            conn.finish().await;
            match result {
                Ok(records) => {
                    output::print_records(op.name, &records, op.kind == OpKind::List, fmt);
                    Ok(())
                }
                Err(e) => Err(report(op.name, e, fmt)),
            }
        }
    }
}

/// Calls `op` with `fields` in its payload and, for a paged call, the envelope's offset and
/// limit.
async fn call(
    conn: &Connection,
    op: &'static OperationInfo,
    fields: &[(String, String)],
    paging: Option<(Option<u64>, Option<u64>)>,
) -> Result<Vec<Record>, DynError<Error>> {
    match paging {
        Some((offset, limit)) => {
            dynamic::call_paged(&conn.client, op.name, fields, conn.platform, offset, limit).await
        }
        None => dynamic::call(&conn.client, op.name, fields, conn.platform).await,
    }
}

/// Prints a failure (stderr; and the JSON document on stdout for scripts) and picks the exit code.
fn report(operation: &str, e: DynError<Error>, fmt: Format) -> CliError {
    let (result, errors, err) = match &e {
        DynError::Call(Error::PartialFail(p)) => (
            ResultKind::PartialFail.as_str(),
            p.errors
                .iter()
                .map(|x| (x.code.map(|c| c.code()), x.to_string()))
                .collect::<Vec<_>>(),
            CliError::Partial(e.to_string()),
        ),
        DynError::Call(Error::Api(a)) => (
            ResultKind::Fail.as_str(),
            a.errors
                .iter()
                .map(|x| (x.code.map(|c| c.code()), x.to_string()))
                .collect(),
            CliError::Failure(e.to_string()),
        ),
        DynError::Fields(_)
        | DynError::Unsupported(_)
        | DynError::UnknownOperation(_)
        | DynError::Call(Error::Validation(_)) => (
            "Invalid",
            vec![(None, e.to_string())],
            CliError::Usage(e.to_string()),
        ),
        DynError::Call(other) => (
            "Error",
            vec![(other.code().map(|c| c.code()), other.to_string())],
            CliError::Failure(e.to_string()),
        ),
    };
    if fmt == Format::Json {
        println!("{}", output::failure_json(operation, result, &errors));
    }
    err
}

/// `akixi spec check|expand`: the same commands as `akixi-spec` (`akixi_schema::tool`).
fn spec_tool(m: &ArgMatches) -> Result<(), CliError> {
    let dir = |a: &ArgMatches| {
        a.get_one::<String>("dir")
            .map_or("spec", String::as_str)
            .to_owned()
    };
    let report = match m.subcommand() {
        Some(("check", a)) => akixi_schema::tool::check(&dir(a)),
        Some(("expand", a)) => {
            let service = a
                .get_one::<String>("service")
                .map_or("akixi", String::as_str);
            akixi_schema::tool::expand(&dir(a), service)
        }
        _ => return Err(CliError::Usage("spec check|expand".into())),
    };
    print!("{}", report.stdout);
    if report.ok {
        Ok(())
    } else {
        Err(CliError::Failure(report.stderr.trim_end().to_owned()))
    }
}

async fn import(
    m: &ArgMatches,
    cm: &ArgMatches,
    add: &'static OperationInfo,
) -> Result<(), CliError> {
    let Some(file) = cm.get_one::<PathBuf>("file") else {
        return Err(CliError::Usage("no file".into()));
    };
    let t = target(m);
    // The embedded simulator's servers are known; a real service's are not (use --platform).
    let servers: Vec<(i64, Platform)> = if t.url.is_none() {
        Platform::ALL
            .iter()
            .map(|p| (akixi_sim::seed::tel_sys_id(*p), *p))
            .collect()
    } else {
        Vec::new()
    };
    let rows = bulk::read_rows(file, add, &|fields| {
        bulk::row_platform(fields, &servers, t.platform)
    })
    .map_err(|problems| {
        for p in &problems {
            eprintln!("{}: {p}", file.display());
        }
        CliError::Usage(format!(
            "{} problem(s) in {}; nothing was sent",
            problems.len(),
            file.display()
        ))
    })?;
    if cm.get_flag("dry-run") {
        println!(
            "{} row(s) checked; nothing was sent (--dry-run)",
            rows.len()
        );
        return Ok(());
    }
    let conn = connect::connect(&t).await?;
    let concurrency = cm
        .get_one::<u16>("concurrency")
        .map_or(4, |n| usize::from(*n));
    let results = cm.get_one::<PathBuf>("results").map(PathBuf::as_path);
    let summary = bulk::provision(&conn.client, add, rows, concurrency, results).await;
    conn.finish().await;
    let s = summary?;
    let line = format!(
        "{} succeeded, {} partial, {} failed, {} in conflict (exist but differ), {} skipped (already done), {} sent more than once",
        s.succeeded, s.partial, s.failed, s.conflicts, s.skipped, s.retried
    );
    match (s.failed + s.conflicts, s.partial) {
        (0, 0) => {
            println!("{line}");
            Ok(())
        }
        (0, _) => Err(CliError::Partial(line)),
        _ => Err(CliError::Failure(line)),
    }
}

async fn export(
    m: &ArgMatches,
    cm: &ArgMatches,
    ops: &[&'static OperationInfo],
) -> Result<(), CliError> {
    let (Some(list), Some(info)) = (
        ops.iter().find(|o| o.kind == OpKind::List),
        ops.iter().find(|o| o.kind == OpKind::Info),
    ) else {
        return Err(CliError::Usage("nothing to export".into()));
    };
    let json = format(m) == Format::Json;
    let _ = cm;
    let conn = connect::connect(&target(m)).await?;
    let result = bulk_export(&conn, list, info, json).await;
    conn.finish().await;
    result
}

async fn bulk_export(
    conn: &Connection,
    list: &'static OperationInfo,
    info: &'static OperationInfo,
    json: bool,
) -> Result<(), CliError> {
    use std::io::Write;
    // The columns: everything Info returns that Add takes, so the file imports again.
    let add = OPERATIONS
        .iter()
        .find(|o| o.family == list.family && o.kind == OpKind::Add);
    let columns: Vec<String> = info
        .fields
        .iter()
        .filter(|f| f.returned.is_some())
        .filter(|f| {
            add.is_none_or(|a| {
                a.fields.iter().any(|g| {
                    (g.property.container, g.property.name)
                        == (f.property.container, f.property.name)
                        && g.input.is_some()
                })
            })
        })
        .map(|f| spec_cli::wire_path(f.property))
        .collect();
    let key = info
        .fields
        .iter()
        .find(|f| f.input.is_some())
        .map(|f| spec_cli::wire_path(f.property))
        .ok_or_else(|| CliError::Failure(format!("{} has no key", info.name)))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let io = |e: std::io::Error| CliError::Failure(format!("cannot write: {e}"));
    let mut csv_out = csv::Writer::from_writer(Vec::new());
    if json {
        write!(
            out,
            "{{\"operation\":\"{}\",\"result\":\"Success\",\"records\":[",
            list.name
        )
        .map_err(io)?;
    } else {
        csv_out
            .write_record(&columns)
            .map_err(|e| CliError::Failure(e.to_string()))?;
    }
    let page = akixi_client::akixi::DEFAULT_LIMIT;
    let mut offset = 0u64;
    let mut first = true;
    let mut progress = akixi_client::client::PageProgress::default();
    loop {
        // One page at a time: memory stays bounded by the page size.
        let entries = dynamic::call_paged(
            &conn.client,
            list.name,
            &[],
            conn.platform,
            Some(offset),
            Some(page),
        )
        .await
        .map_err(|e| report(list.name, e, Format::Table))?;
        let n = entries.iter().filter(|r| !r.is_empty()).count() as u64;
        progress
            .page(list.name, n, page, || {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (entries.first(), entries.last()).hash(&mut h);
                h.finish()
            })
            .map_err(|e| CliError::Failure(e.to_string()))?;
        for entry in entries.iter().filter(|r| !r.is_empty()) {
            let Some((_, id)) = entry.iter().find(|(k, _)| *k == key) else {
                continue;
            };
            let full = dynamic::call(&conn.client, info.name, &[(key.clone(), id.clone())], None)
                .await
                .map_err(|e| report(info.name, e, Format::Table))?;
            let record = full.into_iter().next().unwrap_or_default();
            if json {
                let obj = output::record_json(
                    &record
                        .into_iter()
                        .filter(|(k, _)| columns.contains(k))
                        .collect(),
                );
                write!(out, "{}{}", if first { "" } else { "," }, obj).map_err(io)?;
            } else {
                let row: Vec<String> = columns
                    .iter()
                    .map(|c| {
                        record
                            .iter()
                            .find(|(k, _)| k == c)
                            .map(|(_, v)| v.clone())
                            .unwrap_or_default()
                    })
                    .collect();
                csv_out
                    .write_record(&row)
                    .map_err(|e| CliError::Failure(e.to_string()))?;
                let bytes = std::mem::replace(&mut csv_out, csv::Writer::from_writer(Vec::new()))
                    .into_inner()
                    .map_err(|e| CliError::Failure(e.to_string()))?;
                out.write_all(&bytes).map_err(io)?;
            }
            first = false;
        }
        if n < page {
            break;
        }
        offset += page;
    }
    if json {
        writeln!(out, "]}}").map_err(io)?;
    } else {
        let bytes = csv_out
            .into_inner()
            .map_err(|e| CliError::Failure(e.to_string()))?;
        out.write_all(&bytes).map_err(io)?;
    }
    out.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_valid_for_every_family() {
        // Clap's own consistency checks (unique flags, ids, …) over every command the spec makes.
        cli().debug_assert();
    }

    #[test]
    fn property_flags_avoid_every_global_option() {
        let globals: Vec<String> = global_args(Command::new("group"))
            .get_arguments()
            .filter_map(|a| a.get_long().map(str::to_owned))
            .collect();
        for long in &globals {
            assert!(
                spec_cli::GLOBAL_FLAGS.contains(&long.as_str()),
                "--{long} is global but not in GLOBAL_FLAGS"
            );
        }
    }
}
