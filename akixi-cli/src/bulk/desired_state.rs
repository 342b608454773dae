//! `akixi <family> plan|apply|drift`: the commands of desired state, for every family that
//! lists, reads and adds (see `plan` for what a plan is).

use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::bulk::diff::{self, Family, Made};
use crate::bulk::plan::{self, Action, Options, Plan};
use crate::bulk::rows;
use crate::bulk::summary::Summary;
use crate::connect::{self, Target};
use crate::consent::{self, DeleteLimit};
use crate::error::CliError;
use crate::export_marker;
use crate::listing::Walk;
use crate::output::Format;
use crate::spec_cli;

/// The list's inputs that are also properties an add sets: its filters, and a scope.
fn filter_inputs(fam: &Family) -> impl Iterator<Item = &'static akixi_client::meta::FieldInfo> {
    let add = fam.add;
    spec_cli::names::inputs(fam.list).filter(move |f| {
        spec_cli::names::inputs(add).any(|a| {
            spec_cli::names::wire_path(a.property) == spec_cli::names::wire_path(f.property)
        })
    })
}

/// The options shared by plan, apply and drift (`from_plan`: a saved plan may stand in for them).
fn shared(cmd: Command, fam: &Family, from_plan: bool) -> Command {
    let mut cmd = cmd
        .arg(Arg::new("where").long("where").value_name("PROPERTY=VALUE").action(ArgAction::Append).help(format!("Only entries whose property (a wire path, e.g. {}) has this value are compared or pruned; every desired entry must have it", fam.property_example())))
        .arg(Arg::new("prune").long("prune").action(ArgAction::SetTrue).help("Delete current entries the file lacks (needs a scope: the list's filters or --where)"))
        .arg(Arg::new("allow-replace").long("allow-replace").action(ArgAction::SetTrue).help("Replace (delete, then add) an entry whose unchangeable property differs"))
        .arg(Arg::new("send-write-only").long("send-write-only").action(ArgAction::SetTrue).help("Send write-only properties (passwords) on change too; otherwise only on create"))
        .arg(Arg::new("target").long("target").value_name("KEY").action(ArgAction::Append).help("Act only on this entry (its key, as the plan shows it; * and ? match)"))
        .arg(Arg::new("exclude").long("exclude").value_name("KEY").action(ArgAction::Append).help("Never act on this entry (* and ? match)"))
        .arg(Arg::new("protect").long("protect").value_name("FILE").value_parser(clap::value_parser!(PathBuf)).help("Keys (or patterns), one a line, that may never be deleted or replaced: a plan that would is refused"))
        .arg(Arg::new("concurrency").long("concurrency").value_name("N").default_value("16").value_parser(clap::value_parser!(u16).range(1..=crate::bulk::send::MAX_CONCURRENCY)).help(format!("Requests in flight at once (1 to {})", crate::bulk::send::MAX_CONCURRENCY)))
        .arg(Arg::new("page-size").long("page-size").value_name("N").value_parser(clap::value_parser!(u64).range(1..)).help("Entries asked for per list request"));
    // The list's own flags (their value checks included), for the filters an add also sets.
    for arg in spec_cli::builder::filter_args(&crate::family::operation::AKIXI_WS, Some(fam.list)) {
        let Some(f) = filter_inputs(fam)
            .find(|f| spec_cli::names::wire_path(f.property) == arg.get_id().as_str())
        else {
            continue;
        };
        let arg = arg.help(format!(
            "{} (a filter of {}, and a scope)",
            f.property.description, fam.list.name
        ));
        cmd = cmd.arg(if from_plan && arg.is_required_set() {
            arg.required(false).required_unless_present("plan")
        } else {
            arg
        });
    }
    cmd
}

/// The options of the commands that may delete (plan says what apply would refuse): the
/// blast-radius guard's, and `--trust-file` for the export's completeness check.
fn destructive(cmd: Command) -> Command {
    cmd.args(consent::mass_delete_args()).arg(
        Arg::new(TRUST_FILE)
            .long(TRUST_FILE)
            .action(ArgAction::SetTrue)
            .help("Prune by FILE although it is an export that did not finish (FILE.incomplete beside it) or changed since (it no longer matches FILE.complete): you vouch that it lists every entry to keep"),
    )
}

/// `--trust-file`.
const TRUST_FILE: &str = "trust-file";

/// Whether flag `id` was given (false for a command that does not have it).
fn flag(cm: &ArgMatches, id: &str) -> bool {
    cm.try_get_one::<bool>(id)
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false)
}

/// A desired-state command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesiredCommand {
    /// `plan`: what apply would do.
    Plan,
    /// `apply`: the plan, then its requests.
    Apply,
    /// `drift`: whether the service matches the file (read-only).
    Drift,
}

/// The desired-state commands of `fam`, each with its clap command.
pub fn commands(fam: &Family) -> [(DesiredCommand, Command); 3] {
    let file = || {
        Arg::new("file")
            .value_name("FILE")
            .value_parser(clap::value_parser!(PathBuf))
            .help("The desired entries: CSV headed as export writes it, JSON (an array, or info --format json's document) or JSON Lines (*.jsonl)")
    };
    let plan = destructive(shared(Command::new("plan"), fam, false))
        .about(format!(
            "Compare the {} entries of FILE with the service's and print what apply would do",
            fam.name
        ))
        .arg(file().required(true))
        .arg(
            Arg::new("out")
                .long("out")
                .value_name("PLAN")
                .value_parser(clap::value_parser!(PathBuf))
                .help("Save the plan (JSON, no secrets) for apply --plan"),
        )
        .arg(
            Arg::new("detailed-exitcode")
                .long("detailed-exitcode")
                .action(ArgAction::SetTrue)
                .help("Exit 2 when there are changes (0 none, 1 error)"),
        )
        .args(crate::bulk::rehearse::args(false));
    let apply = destructive(shared(Command::new("apply"), fam, true))
        .arg(consent::yes_arg())
        .about(format!("Make the service's {} entries what FILE says (the plan, then its requests)", fam.name))
        .arg(file().required_unless_present("plan"))
        .arg(Arg::new("plan").long("plan").value_name("PLAN").value_parser(clap::value_parser!(PathBuf)).help("Carry out a saved plan; refused if the desired file or the current entries changed since"))
        .arg(Arg::new("results").long("results").value_name("OUT.csv").value_parser(clap::value_parser!(PathBuf)).help("Record each request's outcome here"))
        .args(crate::bulk::rehearse::args(true));
    let drift = shared(Command::new("drift"), fam, false)
        .about(format!("Check, read-only, whether the service's {} entries match FILE (exit 2 when they do not)", fam.name))
        .arg(file().required(true));
    [
        (DesiredCommand::Plan, plan),
        (DesiredCommand::Apply, apply),
        (DesiredCommand::Drift, drift),
    ]
}

fn options(cm: &ArgMatches, fam: &Family) -> Result<Options, CliError> {
    let many = |id: &str| -> Vec<String> {
        cm.get_many::<String>(id)
            .map(|v| v.cloned().collect())
            .unwrap_or_default()
    };
    let wheres = many("where")
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((p, v)) if !p.trim().is_empty() => Ok((p.trim().to_string(), v.to_string())),
            _ => Err(CliError::Usage(format!(
                "--where {w}: expected PROPERTY=VALUE"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let filters = filter_inputs(fam)
        .filter_map(|f| {
            let path = spec_cli::names::wire_path(f.property);
            cm.get_one::<String>(&path).map(|v| (path, v.clone()))
        })
        .collect();
    let protect = match cm.get_one::<PathBuf>("protect") {
        // `-`: standard input, as everywhere a file is read.
        Some(path) => crate::bulk::input::read_text(path)
            .map_err(CliError::Usage)?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect(),
        None => Vec::new(),
    };
    Ok(Options {
        filters,
        wheres,
        prune: cm.get_flag("prune"),
        allow_replace: cm.get_flag("allow-replace"),
        write_only: cm.get_flag("send-write-only"),
        targets: many("target"),
        excludes: many("exclude"),
        protect,
        allow_mass_delete: flag(cm, consent::ALLOW_MASS_DELETE),
        max_delete: cm
            .try_get_one::<DeleteLimit>(consent::MAX_DELETE)
            .ok()
            .flatten()
            .copied(),
        trust_file: flag(cm, TRUST_FILE),
    })
}

fn print(plan: &Plan, format: Format) -> Result<(), CliError> {
    match format {
        Format::Json => {
            let doc = serde_json::to_value(plan).map_err(|e| CliError::Failure(e.to_string()))?;
            crate::output::print_json(&doc)
        }
        Format::Table => {
            // Keys and scope values are stored text: never passed to the terminal raw.
            print!(
                "{}",
                crate::terminal_text::escaped_lines(&plan::render(plan))
            );
            Ok(())
        }
    }
}

/// Runs `plan`, `apply` or `drift`.
pub async fn run(
    command: DesiredCommand,
    target: &Target,
    cm: &ArgMatches,
    fam: &Family,
    format: Format,
) -> Result<(), CliError> {
    let saved = match cm.try_get_one::<PathBuf>("plan").ok().flatten() {
        Some(path) => Some(plan::load(path)?),
        None => None,
    };
    let (file, mut options) = match &saved {
        Some(p) => (
            PathBuf::from(p.desired.file.clone().unwrap_or_default()),
            p.options.clone(),
        ),
        None => (
            cm.get_one::<PathBuf>("file")
                .cloned()
                .ok_or_else(|| CliError::Usage("no file".into()))?,
            options(cm, fam)?,
        ),
    };
    if let Some(saved) = &saved {
        // What is given now on top of a saved plan's options: only more leave.
        options.allow_mass_delete |= flag(cm, consent::ALLOW_MASS_DELETE);
        options.trust_file |= flag(cm, TRUST_FILE);
        tracing::debug!("applying the saved plan of {}", saved.family);
    }
    if command != DesiredCommand::Drift && options.prune {
        // Pruning by a file an export left half written would delete the rest.
        export_marker::check_for_prune(&file, fam.name, options.trust_file)?;
    }
    if command == DesiredCommand::Drift {
        // Read-only: an entry that would need replacing, or a protected one, is drift to
        // report, not a plan to refuse.
        options.allow_replace = true;
        options.protect.clear();
    }
    if let Some(p) = &saved
        && p.family != fam.name
    {
        return Err(CliError::Usage(format!(
            "the plan is for {}, not {}",
            p.family, fam.name
        )));
    }
    let concurrency = spec_cli::matches::concurrency(cm, 16);
    let walk = Walk {
        page_size: spec_cli::matches::page_size(cm),
        max_items: None,
    };
    let servers = connect::known_servers(target);
    let platform_of =
        |fields: &[(String, String)]| rows::row_platform(fields, &servers, target.platform);
    let conn = connect::connect(target).await?;
    let made = diff::make(&conn, fam, &file, &options, &platform_of, concurrency, walk).await;
    let result = match made {
        Ok(made) => {
            finish(
                command,
                cm,
                &conn,
                saved.as_ref(),
                made,
                concurrency,
                format,
            )
            .await
        }
        Err(e) => Err(e),
    };
    conn.finish().await;
    result
}

#[allow(clippy::too_many_arguments)]
async fn finish(
    command: DesiredCommand,
    cm: &ArgMatches,
    conn: &connect::Connection,
    saved: Option<&Plan>,
    made: Made,
    concurrency: usize,
    format: Format,
) -> Result<(), CliError> {
    let Made { plan, phases } = made;
    if let Some(saved) = saved {
        plan::still_holds(saved, &plan)?;
    }
    let changes = plan.changes.len();
    let deletes = plan.summary.delete;
    let refused = consent::blast_radius(
        &plan.family,
        deletes,
        plan.current.entries,
        plan.options.max_delete,
        plan.options.allow_mass_delete,
    );
    match command {
        DesiredCommand::Plan => {
            print(&plan, format)?;
            if let Some(why) = refused {
                // The guard runs here too: say what apply would refuse.
                return Err(CliError::Failure(format!(
                    "apply would refuse this plan: {why}"
                )));
            }
            if crate::bulk::rehearse::asked(cm) && changes > 0 {
                let outcome =
                    crate::bulk::rehearse::rehearse(conn, &phases, cm, concurrency).await?;
                if !outcome.clean() {
                    return Err(CliError::Failure(
                        "the rehearsal found requests the service would refuse (above); apply would refuse this plan without --ignore-rehearsal".into(),
                    ));
                }
            }
            if let Some(out) = cm.get_one::<PathBuf>("out") {
                plan::save(&plan, out)?;
                eprintln!("akixi: plan saved to {}", out.display());
            }
            if cm.get_flag("detailed-exitcode") && changes > 0 {
                return Err(CliError::Changes(format!("{changes} change(s) planned")));
            }
            Ok(())
        }
        DesiredCommand::Drift => {
            print(&plan, format)?;
            if changes > 0 {
                return Err(CliError::Changes(format!(
                    "{changes} entr{} differ from {}",
                    if changes == 1 { "y" } else { "ies" },
                    plan.desired.file.as_deref().unwrap_or("the file")
                )));
            }
            Ok(())
        }
        DesiredCommand::Apply => {
            print(&plan, format)?;
            if changes == 0 {
                eprintln!("akixi: nothing to do");
                return Ok(());
            }
            if let Some(why) = refused {
                return Err(CliError::Failure(format!("{why}; nothing was sent")));
            }
            if crate::bulk::rehearse::asked(cm) {
                let outcome =
                    crate::bulk::rehearse::rehearse(conn, &phases, cm, concurrency).await?;
                if !outcome.clean() && !flag(cm, crate::bulk::rehearse::IGNORE) {
                    return Err(CliError::Failure(
                        "the rehearsal found requests the service would refuse (above); nothing was sent to the service: fix the file, or give --ignore-rehearsal to apply anyway".into(),
                    ));
                }
            }
            approve_deletions(&plan, flag(cm, consent::YES)).await?;
            let results = cm.get_one::<PathBuf>("results").map(PathBuf::as_path);
            let mut summary = Summary::default();
            for (i, phase) in phases.into_iter().enumerate() {
                if phase.is_empty() {
                    continue;
                }
                // Pruning after a failed add or change could delete what the file still
                // wants under another spelling: the prune waits for a clean run.
                if i == 2 && summary.failed > 0 {
                    eprintln!(
                        "akixi: {} prune deletion(s) not sent: earlier requests failed",
                        phase.len()
                    );
                    break;
                }
                let done =
                    crate::bulk::send::send_steps(&conn.client, phase, concurrency, results, false)
                        .await?;
                summary.add(&done);
            }
            let line = format!(
                "applied: {} request(s) succeeded, {} partial, {} failed, {} sent more than once",
                summary.succeeded, summary.partial, summary.failed, summary.retried
            );
            // Requests that failed or partly failed: a partial failure (exit 2), as an import.
            let line = summary.verdict(line)?;
            eprintln!("akixi: {line}");
            Ok(())
        }
    }
}

/// Before an apply that deletes (deletes, or replaces): what it deletes, and consent.
async fn approve_deletions(plan: &Plan, yes: bool) -> Result<(), CliError> {
    use std::fmt::Write;
    let doomed: Vec<&plan::Change> = plan::deletions(plan).collect();
    if doomed.is_empty() {
        return Ok(());
    }
    let mut listing = format!(
        "This apply deletes {} of the {} {} entries in its scope:\n",
        doomed.len(),
        plan.current.entries,
        plan.family
    );
    for c in &doomed {
        let how = if c.action == Action::Replace {
            "  (replaced: deleted, then added again)"
        } else {
            ""
        };
        let _ = writeln!(
            listing,
            "  - {}{how}",
            crate::terminal_text::escaped(&c.key)
        );
    }
    let replaced = doomed
        .iter()
        .filter(|c| c.action == Action::Replace)
        .count();
    let what = match (doomed.len() - replaced, replaced) {
        (d, 0) => format!("delete {}", consent::counted(d, &plan.family)),
        (0, r) => format!("replace {}", consent::counted(r, &plan.family)),
        (d, r) => format!(
            "delete {} and replace {r}",
            consent::counted(d, &plan.family)
        ),
    };
    consent::approve(listing, what, yes, "nothing was sent").await
}
