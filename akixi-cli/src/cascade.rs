//! `akixi <family> delete` when the delete cascades: what else goes with the entity, learnt
//! before anything is sent, shown, and deleted only with consent.
//!
//! What a delete takes with it comes from the spec's references: a property of another family
//! that `References` the deleted one with `On Delete` `cascade` (a device's partition) means
//! the entities naming it go too, and what references those in turn (the simulator's
//! `dependents`, `akixi-sim/src/akixi/engine/refs.rs`, is the meaning). The command learns
//! them by listing each referencing family through the API (its list's own filters narrowing
//! it where they can, each entry read with Info), names no family itself, and asks for
//! consent as `apply` does ([`crate::consent`]). A delete that cascades to nothing is sent as
//! before, without a question.

use std::collections::VecDeque;

use akixi_client::akixi::FAMILIES;
use akixi_client::runtime::akixi_ws::{
    FamilyInfo, InputUse, OnDelete, OpKind, OperationInfo, PropertyInfo, ValueKind,
};
use clap::{ArgMatches, Command};

use crate::connect::Connection;
use crate::error::CliError;
use crate::listing::{self, Walk};
use crate::{consent, spec_cli, terminal_text};

/// How many keys of each family the question lists before "and N more".
const SHOWN: usize = 10;
/// Info requests in flight while reading a referencing family.
const CONCURRENCY: usize = 8;

/// The flags a command of `op` gets for consent: `--yes` for a delete.
pub fn with_flags(cmd: Command, op: &OperationInfo) -> Command {
    if op.kind == OpKind::Delete {
        cmd.arg(consent::yes_arg())
    } else {
        cmd
    }
}

/// An entity: its family and its key, as `(wire path, value)` of the family's key properties.
#[derive(Debug, Clone)]
struct Entity {
    family: &'static FamilyInfo,
    key: Vec<(String, String)>,
}

impl PartialEq for Entity {
    fn eq(&self, other: &Self) -> bool {
        self.family.name == other.family.name && self.key == other.key
    }
}

impl Entity {
    /// Its key as the plan shows keys: the values, `/`-joined (escaped for the terminal).
    fn shown(&self) -> String {
        let key: Vec<&str> = self.key.iter().map(|(_, v)| v.as_str()).collect();
        terminal_text::escaped(&key.join("/")).into_owned()
    }
}

/// The wire paths of `fam`'s key properties, in order.
fn key_paths(fam: &FamilyInfo) -> Vec<String> {
    fam.key_paths.iter().map(ToString::to_string).collect()
}

/// A value as the service means it: trimmed, an integer as its number (`03` is `3`).
fn normal(p: Option<&PropertyInfo>, value: &str) -> String {
    let v = value.trim();
    match p.map(|p| p.kind) {
        Some(ValueKind::Integer { .. }) => {
            v.parse::<i64>().map_or(v.to_string(), |n| n.to_string())
        }
        _ => v.to_string(),
    }
}

/// One way an entity of `holder` names an entity of the target family: the holder's
/// properties holding each part of the target's key, in the target's key order.
struct Reference {
    holder: &'static FamilyInfo,
    parts: Vec<String>,
}

/// The references to `target` whose deletion cascades to their holders.
fn cascading(target: &FamilyInfo) -> Vec<Reference> {
    let target_keys: Vec<&PropertyInfo> = target
        .keys
        .iter()
        .filter_map(|i| target.properties.get(*i))
        .collect();
    let mut out = Vec::new();
    for holder in FAMILIES {
        for p in holder
            .properties
            .iter()
            .filter(|p| p.references == Some(target.name) && p.on_delete == OnDelete::Cascade)
        {
            // The target's key parts sit beside the reference, by name (as the simulator's
            // catalog links them).
            let parts: Option<Vec<String>> = target_keys
                .iter()
                .map(|k| {
                    holder
                        .properties
                        .iter()
                        .find(|h| h.container == p.container && h.name == k.name)
                        .map(spec_cli::names::wire_path)
                })
                .collect();
            if let Some(parts) = parts {
                out.push(Reference { holder, parts });
            }
        }
    }
    out
}

/// The family's operation of `kind`.
fn operation(family: &str, kind: OpKind) -> Option<&'static OperationInfo> {
    spec_cli::names::operation_of(family, kind)
}

/// What deleting `root` also deletes, found by listing; and the families that could not be
/// listed (their list needs an input no reference gives, or failed), with why.
struct Found {
    doomed: Vec<Entity>,
    unlisted: Vec<(&'static str, String)>,
}

/// The families `holder` references with cascade.
fn cascade_targets(holder: &FamilyInfo) -> Vec<&'static str> {
    holder
        .properties
        .iter()
        .filter(|p| p.on_delete == OnDelete::Cascade)
        .filter_map(|p| p.references)
        .collect()
}

/// Whether the entities of `holder` naming an entity of `target` were all found although
/// one way to them could not be listed: `holder` was listed another way, or it also names
/// (with cascade) a family that itself cascades from `target` and was listed (a device names
/// its partition, whose server is being deleted: the server's partitions were listed, and
/// the devices of each).
fn covered(holder: &FamilyInfo, target: &str, listed: &[&str]) -> bool {
    listed.contains(&holder.name)
        || cascade_targets(holder).iter().any(|g| {
            *g != target
                && listed.contains(g)
                && FAMILIES
                    .iter()
                    .find(|f| f.name == *g)
                    .is_some_and(|f| cascade_targets(f).contains(&target))
        })
}

/// Lists, family by family, what references `root` (and what references those) with cascade.
async fn dependents(conn: &Connection, root: &Entity) -> Result<Found, CliError> {
    let mut doomed: Vec<Entity> = Vec::new();
    let mut listed: Vec<&'static str> = Vec::new();
    // Ways that could not be listed: (holder, target, why).
    let mut unlisted: Vec<(&'static FamilyInfo, &'static str, String)> = Vec::new();
    let mut queue: VecDeque<Entity> = VecDeque::from([root.clone()]);
    while let Some(target) = queue.pop_front() {
        for r in cascading(target.family) {
            let holder = r.holder;
            let (Some(list), Some(info)) = (
                operation(holder.name, OpKind::List),
                operation(holder.name, OpKind::Info),
            ) else {
                unlisted.push((
                    holder,
                    target.family.name,
                    "it has no list and info operations".into(),
                ));
                continue;
            };
            // The target's key, as the holder's properties that hold it.
            let wanted: Vec<(String, String)> = r
                .parts
                .iter()
                .zip(&target.key)
                .map(|(part, (_, v))| (part.clone(), v.clone()))
                .collect();
            let list_inputs: Vec<(String, bool)> = spec_cli::names::inputs(list)
                .map(|f| {
                    (
                        spec_cli::names::wire_path(f.property),
                        matches!(f.input, Some(InputUse::Key | InputUse::Required)),
                    )
                })
                .collect();
            let filters: Vec<(String, String)> = wanted
                .iter()
                .filter(|(p, _)| list_inputs.iter().any(|(i, _)| i == p))
                .cloned()
                .collect();
            if let Some((missing, _)) = list_inputs
                .iter()
                .find(|(i, required)| *required && !filters.iter().any(|(p, _)| p == i))
            {
                tracing::debug!(
                    "{} not listed through {:?}: its list needs {missing}",
                    holder.name,
                    r.parts
                );
                unlisted.push((
                    holder,
                    target.family.name,
                    format!("its list needs {missing}"),
                ));
                continue;
            }
            let keys = key_paths(holder);
            let prop = |path: &str| {
                holder
                    .properties
                    .iter()
                    .find(|p| spec_cli::names::wire_path(p) == path)
            };
            let mut found: Vec<Entity> = Vec::new();
            let walked = listing::each_entry(
                conn,
                list,
                info,
                &filters,
                CONCURRENCY,
                Walk {
                    page_size: akixi_client::akixi::DEFAULT_LIMIT,
                    max_items: None,
                },
                |entry| {
                    let record = entry.records.into_iter().next().unwrap_or_default();
                    let value = |path: &str| {
                        record
                            .iter()
                            .chain(&filters)
                            .find(|(p, _)| p == path)
                            .map(|(_, v)| normal(prop(path), v))
                    };
                    let names_target = wanted
                        .iter()
                        .all(|(p, v)| value(p).as_deref() == Some(normal(prop(p), v).as_str()));
                    let key: Option<Vec<(String, String)>> = keys
                        .iter()
                        .map(|k| value(k).map(|v| (k.clone(), v)))
                        .collect();
                    if names_target && let Some(key) = key {
                        found.push(Entity {
                            family: holder,
                            key,
                        });
                    }
                    Ok(())
                },
            )
            .await;
            if let Err(e) = walked {
                // Another way to the same entities may answer (a list the service refuses
                // without a partition, when the server's partitions are listed too).
                tracing::debug!("{} not listed through {:?}: {e}", holder.name, r.parts);
                unlisted.push((holder, target.family.name, e.to_string()));
                continue;
            }
            listed.push(holder.name);
            for e in found {
                if e != *root && !doomed.contains(&e) {
                    doomed.push(e.clone());
                    queue.push_back(e);
                }
            }
        }
    }
    let mut left: Vec<(&'static str, String)> = Vec::new();
    for (holder, target, why) in unlisted {
        if !covered(holder, target, &listed) && !left.iter().any(|(h, _)| *h == holder.name) {
            left.push((holder.name, why));
        }
    }
    Ok(Found {
        doomed,
        unlisted: left,
    })
}

/// `3 devices and 2 directory entries`.
fn summary(doomed: &[Entity]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for e in doomed {
        match counts.iter_mut().find(|(f, _)| *f == e.family.name) {
            Some((_, n)) => *n += 1,
            None => counts.push((e.family.name, 1)),
        }
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(f, n)| consent::counted(*n, f))
        .collect();
    match parts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// What the question shows: each family's entries, the first few keys of each.
fn listing_text(root: &Entity, found: &Found) -> String {
    use std::fmt::Write;
    let mut out = format!(
        "Deleting {} {} also deletes what references it:\n",
        root.family.name,
        root.shown()
    );
    let mut families: Vec<&str> = Vec::new();
    for e in &found.doomed {
        if !families.contains(&e.family.name) {
            families.push(e.family.name);
        }
    }
    for family in families {
        let keys: Vec<String> = found
            .doomed
            .iter()
            .filter(|e| e.family.name == family)
            .map(Entity::shown)
            .collect();
        let more = keys.len().saturating_sub(SHOWN);
        let _ = writeln!(
            out,
            "  - {}: {}{}",
            consent::counted(keys.len(), family),
            keys[..keys.len().min(SHOWN)].join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        );
    }
    for (family, why) in &found.unlisted {
        let _ = writeln!(
            out,
            "  (its {} could not be counted: {why})",
            crate::output::plural(family)
        );
    }
    out
}

/// Before `op` (a delete) is sent with `fields`: what it would also delete, shown and approved
/// (`--yes` in `cm`, or a terminal's `yes`). Returns the line to print once it succeeded
/// ("and its 3 devices"), if it cascades.
pub async fn before_delete(
    conn: &Connection,
    op: &'static OperationInfo,
    fields: &[(String, String)],
    cm: &ArgMatches,
) -> Result<Option<String>, CliError> {
    let yes = cm
        .try_get_one::<bool>(consent::YES)
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false);
    let Some(family) = FAMILIES.iter().find(|f| f.name == op.family) else {
        return Ok(None);
    };
    if cascading(family).is_empty() {
        return Ok(None);
    }
    let key: Vec<(String, String)> = key_paths(family)
        .into_iter()
        .filter_map(|k| {
            let p = family
                .properties
                .iter()
                .find(|p| spec_cli::names::wire_path(p) == k);
            fields
                .iter()
                .find(|(f, _)| *f == k)
                .map(|(_, v)| (k.clone(), normal(p, v)))
        })
        .collect();
    if key.len() != family.keys.len() {
        return Ok(None);
    }
    let root = Entity { family, key };
    let found = match dependents(conn, &root).await {
        Ok(found) => found,
        Err(e) if yes => {
            eprintln!(
                "akixi: could not learn what deleting {} {} also deletes ({e}); deleting as --yes approves",
                family.name,
                root.shown()
            );
            return Ok(None);
        }
        Err(e) => {
            return Err(CliError::Failure(format!(
                "cannot tell what deleting {} {} would also delete: {e}; nothing was deleted (--yes deletes without knowing)",
                family.name,
                root.shown()
            )));
        }
    };
    if !found.unlisted.is_empty() {
        let why: Vec<String> = found
            .unlisted
            .iter()
            .map(|(f, why)| {
                format!(
                    "its {} could not be listed: {why}",
                    crate::output::plural(f)
                )
            })
            .collect();
        if yes {
            eprintln!(
                "akixi: what deleting {} {} also deletes is not all known ({}); deleting as --yes approves",
                family.name,
                root.shown(),
                why.join("; ")
            );
        } else {
            return Err(CliError::Failure(format!(
                "cannot tell what deleting {} {} would also delete ({}); nothing was deleted (--yes deletes without knowing)",
                family.name,
                root.shown(),
                why.join("; ")
            )));
        }
    }
    if found.doomed.is_empty() {
        tracing::info!("{} {} cascades to nothing", family.name, root.shown());
        return Ok(None);
    }
    let what = summary(&found.doomed);
    consent::approve(
        listing_text(&root, &found),
        format!(
            "delete {} {} and its {what} ({} entries in all)",
            family.name,
            root.shown(),
            found.doomed.len() + 1
        ),
        yes,
        "nothing was deleted",
    )
    .await?;
    Ok(Some(format!(
        "deleted {} {} and its {what}",
        family.name,
        root.shown()
    )))
}
