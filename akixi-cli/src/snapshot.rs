//! `akixi snapshot --out FILE`: every entity of every family the caller can see, read through
//! the API (every page of each list, each entry's Info, several in flight, in list order), in
//! reference order, written in the simulator's snapshot format (`akixi_sim::snapshot`: a
//! header, then one typed record per entity, no secrets). The embedded simulator and a real
//! service give the same format; `--family` and `--where` take part of a service.
//!
//! A family whose list needs inputs (a partition list needs its telephony server) is listed
//! once for each entity of the family those inputs name, taken before it: which one is read
//! from the spec's keys and `References`, no family named here.

use std::collections::HashMap;
use std::path::PathBuf;

use akixi_client::akixi::{SERVICE, dynamic};
use akixi_client::runtime::akixi_ws::{DynError, FamilyInfo, InputUse, OpKind, OperationInfo};
use akixi_sim::Snapshot;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::connect::{self, Connection, Target};
use crate::error::CliError;
use crate::listing::{self, Walk};
use crate::{bulk::compare, spec_cli};

/// What part of the service a snapshot takes.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Families (names or command groups, any case); empty: every family.
    pub families: Vec<String>,
    /// `(wire path, value)`: an entity of a family with that property is taken only when it
    /// has that value.
    pub wheres: Vec<(String, String)>,
}

/// `akixi snapshot`.
pub fn command() -> Command {
    Command::new("snapshot")
        .about("Write every entity of every family the caller can see to FILE (JSON Lines, no secrets): for akixi-sim serve --from-snapshot, akixi --sim-from-snapshot and apply --rehearse")
        .arg(Arg::new("out").long("out").value_name("FILE").required(true).value_parser(clap::value_parser!(PathBuf)).help("Where to write the snapshot"))
        .arg(Arg::new("family").long("family").value_name("FAMILY").action(ArgAction::Append).help("Only this family (a name or command group; repeat for more)"))
        .arg(Arg::new("where").long("where").value_name("PROPERTY=VALUE").action(ArgAction::Append).help("Only entities whose property (a wire path) has this value, in the families that have the property"))
        .arg(Arg::new("concurrency").long("concurrency").value_name("N").default_value("16").value_parser(clap::value_parser!(u16).range(1..=256)).help("Info requests in flight at once"))
        .arg(Arg::new("page-size").long("page-size").value_name("N").value_parser(clap::value_parser!(u64).range(1..)).help("Entries asked for per list request"))
}

/// `--where PROPERTY=VALUE` pairs.
pub fn wheres(cm: &ArgMatches) -> Result<Vec<(String, String)>, CliError> {
    cm.get_many::<String>("where")
        .into_iter()
        .flatten()
        .map(|w| match w.split_once('=') {
            Some((p, v)) if !p.trim().is_empty() => Ok((p.trim().to_owned(), v.to_owned())),
            _ => Err(CliError::Usage(format!(
                "--where {w}: expected PROPERTY=VALUE"
            ))),
        })
        .collect()
}

/// Runs `akixi snapshot`.
pub async fn run(target: &Target, cm: &ArgMatches) -> Result<(), CliError> {
    let Some(out) = cm.get_one::<PathBuf>("out") else {
        return Err(CliError::Usage("snapshot needs --out FILE".into()));
    };
    let scope = Scope {
        families: cm
            .get_many::<String>("family")
            .map(|v| v.cloned().collect())
            .unwrap_or_default(),
        wheres: wheres(cm)?,
    };
    for f in &scope.families {
        if family_named(f).is_none() {
            return Err(CliError::Usage(format!("--family {f}: no such family")));
        }
    }
    let concurrency = spec_cli::matches::concurrency(cm, 16);
    let walk = Walk {
        page_size: spec_cli::matches::page_size(cm),
        max_items: None,
    };
    let conn = connect::connect(target).await?;
    let started = std::time::Instant::now();
    let taken = take(&conn, &scope, concurrency, walk, true).await;
    conn.finish().await;
    let snap = taken?;
    snap.save(out)
        .map_err(|e| CliError::Failure(format!("cannot write the snapshot: {e}")))?;
    eprintln!(
        "akixi: {} entities of {} families written to {} in {:.1} s (no passwords: a restore gives every account one password)",
        snap.len(),
        snap.header.families.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The family `name` names (its name or command group, any case).
fn family_named(name: &str) -> Option<&'static FamilyInfo> {
    SERVICE.families.iter().find(|f| {
        f.name.eq_ignore_ascii_case(name)
            || spec_cli::names::group_name(f.name).eq_ignore_ascii_case(name)
    })
}

/// The family's operation of `kind`.
fn op(fam: &FamilyInfo, kind: OpKind) -> Option<&'static OperationInfo> {
    fam.operation(kind)
}

/// The wire paths of `fam`'s key.
fn key_paths(fam: &FamilyInfo) -> Vec<String> {
    fam.key_paths.iter().map(ToString::to_string).collect()
}

/// The inputs a `list` that requires some is given, and the family (taken before) whose
/// entities give them: of the families its inputs reference, the one with the largest key made
/// of list inputs only that covers every required input (a code list requires its telephony
/// server and is given the partition too).
fn list_needs(list: &OperationInfo) -> Result<Option<(Vec<String>, &'static FamilyInfo)>, String> {
    let required: Vec<String> = list
        .fields
        .iter()
        .filter(|f| f.input == Some(InputUse::Required))
        .map(|f| spec_cli::names::wire_path(f.property))
        .collect();
    if required.is_empty() {
        return Ok(None);
    }
    let inputs: Vec<String> = list
        .fields
        .iter()
        .filter(|f| f.input.is_some())
        .map(|f| spec_cli::names::wire_path(f.property))
        .collect();
    let best = list
        .fields
        .iter()
        .filter(|f| f.input.is_some())
        .filter_map(|f| {
            let target = SERVICE
                .families
                .iter()
                .find(|g| Some(g.name) == f.property.references)?;
            let keys = key_paths(target);
            let fits = keys.iter().all(|k| inputs.contains(k))
                && required.iter().all(|r| keys.contains(r));
            fits.then_some((keys, target))
        })
        .max_by_key(|(keys, _)| keys.len());
    match best {
        Some(found) => Ok(Some(found)),
        None => Err(format!(
            "{} needs {}, which name no family's key",
            list.name,
            required.join(", ")
        )),
    }
}

/// Whether `record` of `fam` is inside `wheres` (a property the family lacks does not apply).
fn inside(fam: &FamilyInfo, record: &[(String, String)], wheres: &[(String, String)]) -> bool {
    wheres.iter().all(|(path, value)| {
        let Some(p) = fam
            .properties
            .iter()
            .find(|p| spec_cli::names::wire_path(p) == *path)
        else {
            return true;
        };
        record
            .iter()
            .find(|(k, _)| k == path)
            .is_some_and(|(_, v)| compare::same(p, v, value))
    })
}

/// Takes a snapshot of `scope` through `conn`: each family in reference order, every page of
/// its list, each entry read with Info (`concurrency` in flight). `progress`: a line per family
/// (and per 10,000 entries) on stderr.
pub async fn take(
    conn: &Connection,
    scope: &Scope,
    concurrency: usize,
    walk: Walk,
    progress: bool,
) -> Result<Snapshot, CliError> {
    let order = SERVICE.families_in_reference_order();
    let wanted = |f: &FamilyInfo| {
        scope.families.is_empty()
            || scope
                .families
                .iter()
                .any(|n| family_named(n).is_some_and(|g| g.name == f.name))
    };
    // The families whose entities another family's list needs, and what those lists need.
    let mut needs: HashMap<&str, (Vec<String>, &'static FamilyInfo)> = HashMap::new();
    for fam in &order {
        if let Some(list) = op(fam, OpKind::List) {
            match list_needs(list) {
                Ok(Some(n)) => {
                    needs.insert(fam.name, n);
                }
                Ok(None) => {}
                Err(e) if wanted(fam) => return Err(CliError::Failure(e)),
                Err(_) => {}
            }
        }
    }
    let kept: Vec<&str> = needs.values().map(|(_, t)| t.name).collect();
    // A family is read when it is wanted or a wanted family's list needs it (and so on).
    let mut read: Vec<&str> = order.iter().filter(|f| wanted(f)).map(|f| f.name).collect();
    let mut i = 0;
    while i < read.len() {
        if let Some((_, t)) = needs.get(read[i])
            && !read.contains(&t.name)
        {
            read.push(t.name);
        }
        i += 1;
    }
    let mut snap = Snapshot::new(&SERVICE, &conn.service, &conn.caller);
    snap.header.scope_families = scope.families.clone();
    snap.header.scope_where = scope
        .wheres
        .iter()
        .map(|(p, v)| format!("{p}={v}"))
        .collect();
    // Records of the families other lists need (every one, whatever --where says).
    let mut records: HashMap<&str, Vec<Vec<(String, String)>>> = HashMap::new();
    for fam in order {
        if !read.contains(&fam.name) {
            continue;
        }
        let (Some(list), Some(info)) = (op(fam, OpKind::List), op(fam, OpKind::Info)) else {
            continue;
        };
        let combos: Vec<Vec<(String, String)>> = match needs.get(fam.name) {
            None => vec![Vec::new()],
            Some((paths, target)) => records
                .get(target.name)
                .map(|rs| {
                    rs.iter()
                        .filter_map(|r| {
                            paths
                                .iter()
                                .map(|p| r.iter().find(|(k, _)| k == p).cloned())
                                .collect::<Option<Vec<_>>>()
                        })
                        .collect()
                })
                .unwrap_or_default(),
        };
        // A family the caller may not list is one it cannot see: left out, with a note.
        if let Some(first) = combos.first() {
            let probe = dynamic::call_paged(
                &conn.client,
                list.name,
                first,
                conn.platform,
                Some(0),
                Some(1),
            )
            .await;
            if let Err(DynError::Call(akixi_client::Error::Api(e))) = probe {
                if progress {
                    eprintln!(
                        "akixi: snapshot: {} left out: {}",
                        fam.name,
                        crate::terminal_text::escaped(&e.to_string())
                    );
                }
                continue;
            }
        }
        let keep = kept.contains(&fam.name);
        let push = wanted(fam);
        if push {
            snap.family_taken(fam.name);
        }
        let keys = key_paths(fam);
        let mut count = 0usize;
        for combo in &combos {
            listing::each_entry(conn, list, info, combo, concurrency, walk, |entry| {
                let mut record = entry.records.into_iter().next().unwrap_or_default();
                // A key part the Info does not return is the list input's value.
                for (path, value) in combo {
                    if keys.contains(path) && !record.iter().any(|(p, _)| p == path) {
                        record.push((path.clone(), value.clone()));
                    }
                }
                if push && inside(fam, &record, &scope.wheres) {
                    snap.push(fam, &record);
                    count += 1;
                    if progress && count.is_multiple_of(10_000) {
                        eprintln!("akixi: snapshot: {} {count}…", fam.name);
                    }
                }
                if keep {
                    records.entry(fam.name).or_default().push(record);
                }
                Ok(())
            })
            .await?;
        }
        if progress && push {
            eprintln!("akixi: snapshot: {} {count}", fam.name);
        }
    }
    Ok(snap)
}
