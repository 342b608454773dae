//! `akixi`: every operation of the spec as a command, bulk provisioning, and an embedded
//! simulator when no `--url` is given.
//!
//! In the order a command flows: [`profile`] and [`connect`] (where it goes), [`spec_cli`] (the
//! command tree from the spec) and [`from_json`] (properties from JSON), the call, then
//! [`output`] (typed JSON or a table); [`listing`] walks every page and exports; [`rows`] reads bulk
//! files and [`bulk`] sends them (import, apply); [`diff`] makes a [`plan`] of desired state,
//! [`desired_state`] has its commands; [`em`] is the Extension Mobility group.
//!
//! Exit codes: 0 success, 1 failure, 2 partial failure (a bulk run in which some rows failed),
//! 3 a bulk run stopped by a dead or refusing service (resume by running it again), 64 usage
//! error, 130 Ctrl-C.

mod bulk;
mod cascade;
mod connect;
mod consent;
mod em;
mod error;
mod export_marker;
mod from_json;
mod interrupt;
mod listing;
mod output;
mod profile;
mod servers;
mod snapshot;
mod spec_cli;
mod target_line;
mod terminal_text;

use std::path::PathBuf;
use std::process::ExitCode;

use akixi_client::Error;
use akixi_client::akixi::{Platform, dynamic};
use akixi_client::akixi_ws::ResultKind;
use akixi_client::json::{CollectJson, Collected};
use akixi_client::runtime::akixi_ws::{DynError, OpKind, OperationInfo};
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::bulk::{desired_state, diff, rows, run_report};
use crate::connect::{Connection, Target};
use crate::error::CliError;
use crate::error::call_failure::report;
use crate::output::Format;

/// The heading of the connection and output options in `--help`.
const GLOBAL_HEADING: &str = "Connection and output";

fn global_args(cmd: Command) -> Command {
    cmd.next_help_heading(GLOBAL_HEADING).arg(Arg::new("url").long("url").env("AKIXI_URL").global(true).value_name("URL").help("The service's XML endpoint; without it, the embedded simulator"))
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
        .arg(Arg::new("timeout").long("timeout").global(true).value_name("SECONDS").default_value("30").value_parser(clap::value_parser!(u64)).help("Request timeout"))
        .arg(Arg::new("verbose").long("verbose").short('v').global(true).action(ArgAction::SetTrue).help("Show the exchanged XML (secrets redacted)"))
        .arg(Arg::new("profile").long("profile").env("AKIXI_PROFILE").global(true).value_name("NAME").help("Use the named profile of the config file (see `akixi config`); flags and environment variables override it"))
}

/// Moves the global options given before the command group to just after it
/// (`akixi --url X user list` → `akixi user --url X list`), where clap reads them: they belong
/// to each group, so that the `em` group may have options of the same names.
fn hoist_globals(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    // The options and whether each takes a value, from their one definition.
    let globals = global_args(Command::new("globals"));
    let global = |arg: &str| {
        globals.get_arguments().find_map(|a| {
            let long = arg
                .strip_prefix("--")
                .map(|n| n.split('=').next().unwrap_or(n));
            let short = arg.strip_prefix('-').and_then(|s| s.chars().next());
            let named = long.is_some_and(|n| a.get_long() == Some(n))
                || (long.is_none() && short.is_some() && a.get_short() == short);
            named.then(|| a.get_action().takes_values() && !arg.contains('='))
        })
    };
    let mut hoisted = Vec::new();
    let mut i = 1;
    while let Some(arg) = args.get(i).and_then(|a| a.to_str()) {
        let Some(takes_value) = global(arg) else {
            break;
        };
        hoisted.push(args[i].clone());
        if takes_value {
            if let Some(v) = args.get(i + 1) {
                hoisted.push(v.clone());
            }
            i += 1;
        }
        i += 1;
    }
    if hoisted.is_empty() || i >= args.len() {
        return args;
    }
    let mut out = vec![args[0].clone(), args[i].clone()];
    out.extend(hoisted);
    out.extend(args[i + 1..].iter().cloned());
    out
}

fn cli() -> Command {
    let mut root = Command::new("akixi")
        .about("Typed client for the Akixi Service Web Services API: every operation of the spec, bulk provisioning, and an embedded simulator")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help("Connection and output options (--url, --login, --profile, --format, …) may come before the command group or after the command.");
    for (family, ops) in spec_cli::names::families() {
        let mut group = Command::new(spec_cli::names::group_name(family))
            .about(format!("The {family} operations"))
            .visible_aliases(spec_cli::names::group_alias(family))
            .subcommand_required(true)
            .arg_required_else_help(true);
        for op in &ops {
            group = group.subcommand(cascade::with_flags(spec_cli::builder::op_command(op), op));
        }
        if let Some(add) = ops.iter().find(|o| o.kind == OpKind::Add) {
            group = group.subcommand(
                Command::new("import")
                    .about(format!("Run {} for every row of a CSV file (header: wire names such as Scope.TelSysID, or flag names) or of a JSON Lines file (*.jsonl: one object per line, as info --format json prints)", add.name))
                    .arg(Arg::new("file").required(true).value_name("FILE").value_parser(clap::value_parser!(PathBuf)).help("CSV (delimiter sniffed: , ; or tab), JSON or JSON Lines (told by content); - for standard input"))
                    .args(rows::read_args())
                    .arg(Arg::new("dry-run").long("dry-run").action(ArgAction::SetTrue).help("Check every row; send nothing"))
                    .arg(Arg::new("concurrency").long("concurrency").value_name("N").default_value("4").value_parser(clap::value_parser!(u16).range(1..=bulk::send::MAX_CONCURRENCY)).help(format!("Rows in flight at once (1 to {})", bulk::send::MAX_CONCURRENCY)))
                    .arg(Arg::new("results").long("results").value_name("OUT.csv").value_parser(clap::value_parser!(PathBuf)).help("Record each row's outcome here; rows it records as done are skipped when re-run"))
                    .arg(Arg::new("on-existing").long("on-existing").value_name("WHAT").value_parser(bulk::summary::OnExisting::VALUES).default_value("fail").help("A row whose entry exists with other values: fail (a conflict naming each difference), skip (leave the entry), or update (send the change with the row's values); an entry holding the row's values is unchanged, whatever this says")),
            );
        }
        if ops.iter().any(|o| o.kind == OpKind::List) && ops.iter().any(|o| o.kind == OpKind::Info)
        {
            group = group.subcommand(
                Command::new("export")
                    .about("Every entry, with everything its Info operation returns (CSV headed by wire names, so it can be imported again; or --format json)")
                    .arg(Arg::new("concurrency").long("concurrency").value_name("N").default_value("8").value_parser(clap::value_parser!(u16).range(1..=bulk::send::MAX_CONCURRENCY)).help(format!("Info requests in flight at once (1 to {}); the output keeps the list's order", bulk::send::MAX_CONCURRENCY)))
                    .args(spec_cli::builder::walk_args())
                    .arg(listing::formula_guard_arg())
                    .args(spec_cli::builder::filter_args(list_op(&ops))),
            );
        }
        if let Some(fam) = diff::Family::of(&ops) {
            for cmd in desired_state::commands(&fam) {
                group = group.subcommand(cmd.args(rows::read_args()));
            }
        }
        // The Akixi options are global to each Akixi group, not to the root, so that the
        // `em` group's `--url` is its own (its actions name their server with their own
        // parameters; `--timeout` and `--format` are the same options there).
        root = root.subcommand(global_args(group));
    }
    root = root.subcommand(global_args(snapshot::command()));
    root = root.arg(
        Arg::new("sim-from-snapshot")
            .long("sim-from-snapshot")
            .env("AKIXI_SIM_SNAPSHOT")
            .value_name("FILE")
            .value_parser(clap::value_parser!(PathBuf))
            .help("Without --url: start the embedded simulator in memory holding exactly what this snapshot (akixi snapshot --out FILE) holds, signed in as its caller; give it before the command group"),
    );
    root = root.subcommand(em::group());
    root = root.subcommand(
        Command::new("config")
            .about("The profiles of the config file (AKIXI_CONFIG, or akixi/config.toml in the config directory)")
            .subcommand_required(true)
            .arg(Arg::new("format").long("format").global(true).value_parser(["table", "json"]).default_value("table").help("Output format"))
            .subcommand(Command::new("list").about("Every profile (* marks the default)"))
            .subcommand(Command::new("show").about("One profile's settings (default: the default profile)").arg(Arg::new("name")))
            // The connection options, for `current` (before or after it, as in the Akixi groups).
            .args(target_line::current_args())
            .subcommand(Command::new("current").about("The target the options, environment and profile resolve to: the profile, the URL (or the embedded simulator's state file), the login, the platform")),
    );
    root = root.subcommand(
        Command::new("completions")
            .about(
                "Print a shell completion script (from the same command tree as everything else)",
            )
            .arg(
                Arg::new("shell")
                    .required(true)
                    .value_parser(clap::value_parser!(clap_complete::Shell)),
            ),
    );
    root = root.subcommand(
        Command::new("man")
            .about("Print the man page, or with --out write one per command")
            .arg(
                Arg::new("out")
                    .long("out")
                    .value_name("DIR")
                    .value_parser(clap::value_parser!(PathBuf))
                    .help("Write akixi.1 and one page per command (akixi-user-add.1, …) here"),
            ),
    );
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

/// Where commands go: the flags and environment variables, over the profile, over the defaults
/// ([`target_line::resolve`]).
fn target(m: &ArgMatches) -> Result<Target, CliError> {
    target_line::resolve(m).map(|r| r.target)
}

fn format(m: &ArgMatches) -> Format {
    if m.get_one::<String>("format").map(String::as_str) == Some("json") {
        Format::Json
    } else {
        Format::Table
    }
}

fn main() -> ExitCode {
    let matches = match cli().try_get_matches_from(hoist_globals(std::env::args_os().collect())) {
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
    // Ctrl-C ends any command with 130; a bulk run first records every row's state.
    let code = match runtime.block_on(async {
        interrupt::listen();
        run(&matches).await
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // An error may quote a stored value: its control characters are shown escaped.
            e.report()
        }
    };
    terminal_text::note_escaped();
    code
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
    if group == "config" {
        let json = gm.get_one::<String>("format").map(String::as_str) == Some("json");
        if let Some(("current", a)) = gm.subcommand() {
            return target_line::current(a, json);
        }
        return profile::run(gm, json);
    }
    if group == "completions" {
        return completions(gm);
    }
    if group == "man" {
        return man_pages(gm);
    }
    if let Some(path) = m.get_one::<PathBuf>("sim-from-snapshot") {
        connect::use_sim_snapshot(path.clone());
    }
    if group == em::GROUP {
        return em::run(gm).await;
    }
    if group == "snapshot" {
        servers::run().force(gm.get_one::<Platform>("platform").copied());
        return snapshot::run(&target(gm)?, gm).await;
    }
    // The Akixi options are the group's.
    let m = gm;
    let Some((command, cm)) = gm.subcommand() else {
        return Err(CliError::Usage("no command".into()));
    };
    let families = spec_cli::names::families();
    let Some((_, ops)) = families
        .iter()
        .find(|(f, _)| spec_cli::names::group_name(f) == group)
    else {
        return Err(CliError::Usage(format!("no command group `{group}`")));
    };
    let fmt = format(m);
    output::accept_format(m, group, command, ops)?;
    if target_line::writes(command, ops) {
        target_line::announce(m)?;
    }
    // This run's input options (import, plan, apply, drift) and --platform, which overrides
    // the telephony servers' platforms.
    rows::set_read_options(cm);
    servers::run().force(m.get_one::<Platform>("platform").copied());
    match command {
        "import" => {
            let Some(add) = ops.iter().find(|o| o.kind == OpKind::Add) else {
                return Err(CliError::Usage("nothing to import".into()));
            };
            import(m, cm, add).await
        }
        "export" => export(m, cm, ops).await,
        "plan" | "apply" | "drift" => {
            let Some(fam) = diff::Family::of(ops) else {
                return Err(CliError::Usage(format!("no command `{group} {command}`")));
            };
            let t = target(m)?;
            desired_state::run(command, &t, cm, &fam, fmt).await
        }
        name => {
            let Some(op) = ops
                .iter()
                .find(|o| spec_cli::names::command_name(o) == name)
            else {
                return Err(CliError::Usage(format!("no command `{group} {name}`")));
            };
            let flags = spec_cli::matches::fields(op, cm).map_err(CliError::Usage)?;
            // The flags given override what the JSON says.
            let fields = match cm
                .try_get_one::<String>(spec_cli::names::FROM_JSON)
                .ok()
                .flatten()
            {
                Some(file) => from_json::fields(op, file, &flags)?,
                None => flags,
            };
            let fields = spec_cli::clear::settled(op, cm, fields).map_err(CliError::Usage)?;
            if let Some((message, _)) = spec_cli::values::unsupported_on_axis(op, &fields) {
                return Err(CliError::Usage(format!("{}: {message}", op.name)));
            }
            let paging = spec_cli::matches::paging(op, cm);
            let conn = connect::connect(&target(m)?).await?;
            let result = if op.kind == OpKind::List && op.paged && paging.is_none() {
                // Every page, as the aws CLI does; --offset/--limit ask for one page.
                listing::list_all(&conn, op, &fields, walk(cm), fmt).await
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
                            let printed = output::print_collected(
                                op.name,
                                &data,
                                op.kind == OpKind::List,
                                fmt,
                            );
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
    }
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

/// `akixi completions SHELL`.
fn completions(m: &ArgMatches) -> Result<(), CliError> {
    let Some(shell) = m.get_one::<clap_complete::Shell>("shell") else {
        return Err(CliError::Usage(
            "completions bash|zsh|fish|powershell|elvish".into(),
        ));
    };
    clap_complete::generate(*shell, &mut cli(), "akixi", &mut std::io::stdout());
    Ok(())
}

/// `akixi man [--out DIR]`: the root page on standard output, or every command's page in DIR.
fn man_pages(m: &ArgMatches) -> Result<(), CliError> {
    let mut root = cli();
    root.build();
    let Some(dir) = m.get_one::<PathBuf>("out") else {
        return clap_mangen::Man::new(root)
            .render(&mut std::io::stdout())
            .map_err(|e| CliError::Failure(format!("cannot write: {e}")));
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::Failure(format!("cannot create {}: {e}", dir.display())))?;
    let mut pages = 0;
    let mut todo = vec![("akixi".to_string(), root)];
    while let Some((name, cmd)) = todo.pop() {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            todo.push((format!("{name}-{}", sub.get_name()), sub.clone()));
        }
        let path = dir.join(format!("{name}.1"));
        let mut page = Vec::new();
        clap_mangen::Man::new(cmd.name(name.clone()))
            .render(&mut page)
            .and_then(|()| std::fs::write(&path, page))
            .map_err(|e| CliError::Failure(format!("cannot write {}: {e}", path.display())))?;
        pages += 1;
    }
    eprintln!("akixi: {pages} man pages in {}", dir.display());
    Ok(())
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
    let t = target(m)?;
    // The rows are checked for their servers' platforms, read from the service on connecting
    // (a dry run too, unless --platform is given): a dry run is the real run minus sending.
    let servers = connect::known_servers(&t);
    let conn = if servers.wanted() || !cm.get_flag("dry-run") {
        Some(connect::connect(&t).await?)
    } else {
        None
    };
    let rows = rows::read_rows_or_report(
        file,
        add,
        &|fields| rows::row_platform(fields, &servers, t.platform),
        "nothing was sent",
    );
    let (rows, conn) = match (rows, conn) {
        (Ok(rows), Some(conn)) if !cm.get_flag("dry-run") => (rows, conn),
        (rows, conn) => {
            if let Some(conn) = conn {
                conn.finish().await;
            }
            println!(
                "{} row(s) checked; nothing was sent (--dry-run)",
                rows?.len()
            );
            return Ok(());
        }
    };
    let concurrency = spec_cli::matches::concurrency(cm, 4);
    let results = cm.get_one::<PathBuf>("results").map(PathBuf::as_path);
    let on_existing = cm
        .get_one::<String>("on-existing")
        .and_then(|v| bulk::summary::OnExisting::parse(v))
        .unwrap_or_default();
    let json = format(m) == Format::Json;
    let options = bulk::send::Options {
        concurrency,
        results,
        on_existing,
        json,
    };
    let run = bulk::send::provision(&conn.client, add, rows, options).await;
    conn.finish().await;
    bulk_ending(add.name, &run?, results, json)
}

/// How a bulk run (import) ends: its summary line (or one JSON document with the failed rows
/// and their summary by error code), and the exit: 0 when every row is done, 2 when some
/// failed, 3 when the breaker stopped it, 130 after Ctrl-C.
fn bulk_ending(
    operation: &str,
    run: &bulk::summary::Run,
    results: Option<&std::path::Path>,
    json: bool,
) -> Result<(), CliError> {
    let s = &run.summary;
    let mut line = format!(
        "{} succeeded, {} partial, {} failed, {} in conflict (exist but differ), {} unchanged (exist and match), {} skipped (already done), {} sent more than once",
        s.succeeded, s.partial, s.failed, s.conflicts, s.unchanged, s.skipped, s.retried
    );
    if s.updated > 0 {
        line.push_str(&format!(
            ", {} updated (existed, changed to the row)",
            s.updated
        ));
    }
    if s.kept > 0 {
        line.push_str(&format!(
            ", {} kept (exist but differ, left as they are)",
            s.kept
        ));
    }
    if s.interrupted + s.not_sent > 0 {
        line.push_str(&format!(
            ", {} interrupted in flight, {} not sent",
            s.interrupted, s.not_sent
        ));
    }
    let sent = s.succeeded + s.partial + s.failed + s.conflicts + s.unchanged + s.updated + s.kept;
    let timing = format!(
        "{} row(s) in {} ({})",
        sent,
        run_report::duration(run.elapsed),
        run_report::rate(sent, run.elapsed)
    );
    let stopped = run.stop_error(results);
    let verdict = match stopped {
        Some(e) => Err(e),
        None => s.verdict(line.clone()).map(|_| ()),
    };
    if json {
        let (failed, by_code) = run.report.json_parts();
        let result = match &verdict {
            Ok(()) => ResultKind::Success.as_str(),
            Err(CliError::Stopped(_)) => output::EnvelopeResult::Stopped.as_str(),
            Err(CliError::Interrupted(_)) => output::EnvelopeResult::Interrupted.as_str(),
            Err(_) => ResultKind::PartialFail.as_str(),
        };
        #[allow(clippy::cast_precision_loss)]
        let seconds = (run.elapsed.as_millis() as f64 / 100.0).round() / 10.0;
        let doc = serde_json::json!({
            "operation": operation,
            "result": result,
            "counts": s.json(),
            "seconds": seconds,
            "rate": run_report::rate(sent, run.elapsed),
            "summary": by_code,
            "failed": failed,
            "results": results.map(|p| p.display().to_string()),
        });
        output::print_json(&doc)?;
    } else {
        run.report.print_summary();
        eprintln!("akixi: {timing}");
    }
    match verdict {
        Ok(()) => {
            if !json {
                println!("{line}");
            }
            Ok(())
        }
        Err(e) => Err(e),
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
    let concurrency = spec_cli::matches::concurrency(cm, 8);
    let walk = walk(cm);
    let filters = spec_cli::matches::fields(list, cm).map_err(CliError::Usage)?;
    let conn = connect::connect(&target(m)?).await?;
    let output = listing::ExportOutput::from_args(format(m), cm);
    let result = listing::export(&conn, list, info, &filters, output, concurrency, walk).await;
    conn.finish().await;
    result
}

/// The list operation among `ops`, if any.
fn list_op(ops: &[&'static OperationInfo]) -> Option<&'static OperationInfo> {
    ops.iter().copied().find(|o| o.kind == OpKind::List)
}

/// `--page-size` and `--max-items`.
fn walk(cm: &ArgMatches) -> listing::Walk {
    listing::Walk {
        page_size: spec_cli::matches::page_size(cm),
        max_items: cm.get_one::<u64>("max-items").copied(),
    }
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
                spec_cli::names::GLOBAL_FLAGS.contains(&long.as_str()),
                "--{long} is global but not in GLOBAL_FLAGS"
            );
        }
    }
}
