//! Making a plan of desired state: what `akixi <family> plan FILE` compares.
//!
//! The desired entries are read as an import reads them (CSV, JSON or JSON Lines, every entry
//! checked as an add); the current ones are listed and each read with Info, within the scope the
//! flags give. Entries match by the family's key. Values compare by meaning (see `compare`);
//! what the file leaves out is not touched; write-only properties (passwords) are sent on create
//! only, unless asked; a changed property that cannot change after creation means replacing the
//! entry (delete, then add), refused unless allowed.

use std::collections::BTreeMap;
use std::path::Path;

use akixi_client::akixi::{SERVICE, dynamic};
use akixi_client::runtime::akixi_ws::{
    Access, FamilyInfo, InputUse, OpKind, OperationInfo, PropertyInfo, Record, ValueKind,
};

use crate::bulk::plan::{Action, Change, Options, Plan, PropertyChange, Side, Summary};
use crate::bulk::rows::{self, Fnv, PlatformOf, Row};
use crate::bulk::send_row::Step;
use crate::connect::Connection;
use crate::error::CliError;
use crate::listing::{self, Walk};
use crate::{bulk::compare, spec_cli};

/// The operations of a family that desired state needs.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    /// Its name.
    pub name: &'static str,
    /// Lists the current entries.
    pub list: &'static OperationInfo,
    /// Reads each.
    pub info: &'static OperationInfo,
    /// Creates one (and checks each desired entry).
    pub add: &'static OperationInfo,
    /// Changes one, if the family can.
    pub change: Option<&'static OperationInfo>,
    /// Deletes one, if the family can.
    pub delete: Option<&'static OperationInfo>,
    /// What the spec says of the family (its properties, its billable rule).
    spec: &'static FamilyInfo,
}

impl Family {
    /// The family named `name`, if it lists, reads and adds, and its add takes every part of
    /// its key (an entry whose key the service assigns cannot be matched with a file's row).
    pub fn of(name: &str) -> Option<Family> {
        let spec = SERVICE.family(name)?;
        let kind = |k: OpKind| spec.operation(k);
        let add = kind(OpKind::Add)?;
        let keys = rows::key_props(add);
        let takes = |path: &String| {
            spec_cli::names::inputs(add).any(|f| spec_cli::names::wire_path(f.property) == *path)
        };
        if keys.is_empty() || !keys.iter().all(takes) {
            return None;
        }
        Some(Family {
            spec,
            name: spec.name,
            list: kind(OpKind::List)?,
            info: kind(OpKind::Info)?,
            add,
            change: kind(OpKind::Change),
            delete: kind(OpKind::Delete),
        })
    }

    /// The family's property at wire `path`.
    fn property(&self, path: &str) -> Option<&'static PropertyInfo> {
        self.spec.property(path)
    }
}

/// A plan, and the requests that carry it out, in phases: the deletes of replaced entries,
/// then adds and changes, then the deletes of pruned entries.
pub struct Made {
    /// The plan.
    pub plan: Plan,
    /// The requests, phase by phase.
    pub phases: [Vec<Step>; 3],
}

fn patterns(list: &[String], what: &str) -> Result<Vec<glob::Pattern>, CliError> {
    list.iter()
        .map(|p| glob::Pattern::new(p).map_err(|e| CliError::Usage(format!("{what} `{p}`: {e}"))))
        .collect()
}

/// Whether any of `patterns` matches `key`.
fn matches(patterns: &[glob::Pattern], key: &str) -> bool {
    patterns.iter().any(|p| p.matches(key))
}

/// The hash of the desired entries: each row's key and fingerprint (which leaves secret values
/// out), in the file's order.
fn desired_fingerprint(rows: &[Row]) -> String {
    let mut h = Fnv::default();
    h.write(b"desired");
    for row in rows {
        h.write_pair(&row.key, &row.fingerprint);
    }
    h.hex()
}

/// The hash of the current entries: keys and every value, in key order.
fn state_fingerprint(current: &BTreeMap<String, Record>) -> String {
    let mut h = Fnv::default();
    h.write(b"state");
    for (key, record) in current {
        h.write(key.as_bytes());
        h.write(&[0x1d]);
        h.write_sorted_pairs(record.iter());
    }
    h.hex()
}

/// A value as the plan shows it: a secret is never shown.
fn shown(p: Option<&PropertyInfo>, value: &str) -> String {
    match p {
        Some(p) if p.kind == ValueKind::Secret => "(secret)".to_string(),
        _ => value.to_string(),
    }
}

impl Family {
    /// The key of a record: its values at `key_paths`, `/`-joined, each as the service means
    /// it (trimmed; an integer as its number, so `03` is `3`), so a file's row and the
    /// service's entry match however the file spells them.
    fn key_of(&self, record: &[(String, String)], key_paths: &[String]) -> String {
        key_paths
            .iter()
            .map(|k| {
                let value = record
                    .iter()
                    .find(|(p, _)| p == k)
                    .map_or("", |(_, v)| v.trim());
                match self.property(k).map(|p| p.kind) {
                    Some(ValueKind::Integer { .. }) => value
                        .parse::<i64>()
                        .map_or_else(|_| value.to_string(), |n| n.to_string()),
                    _ => value.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// The `(wire path, text)` pairs `op` needs to name the entity: its key inputs (and any other
/// required input), from `record`.
fn naming_fields(op: &OperationInfo, record: &[(String, String)]) -> Vec<(String, String)> {
    op.fields
        .iter()
        .filter(|f| matches!(f.input, Some(InputUse::Key | InputUse::Required)))
        .filter_map(|f| {
            let path = spec_cli::names::wire_path(f.property);
            record.iter().find(|(p, _)| *p == path).cloned()
        })
        .collect()
}

/// Reads both sides and makes the plan.
pub async fn make(
    conn: &Connection,
    fam: &Family,
    file: &Path,
    options: &Options,
    platform_of: PlatformOf<'_>,
    concurrency: usize,
    walk: Walk,
) -> Result<Made, CliError> {
    let targets = patterns(&options.targets, "--target")?;
    let excludes = patterns(&options.excludes, "--exclude")?;
    let protect = patterns(&options.protect, "--protect")?;
    let scope: Vec<&(String, String)> = options.filters.iter().chain(&options.wheres).collect();
    if options.prune && scope.is_empty() {
        return Err(CliError::Usage(format!(
            "--prune deletes what the file lacks, so it needs a scope: the list's filters or --where PROPERTY=VALUE (for example --where {})",
            fam.property_example()
        )));
    }
    for (path, _) in &options.wheres {
        if fam.property(path).is_none() {
            return Err(CliError::Usage(format!(
                "--where {path}: not a property of {}",
                fam.name
            )));
        }
    }

    // The desired side, every entry checked as an add, and inside the scope.
    let rows = rows::read_rows_or_report(file, fam.add, platform_of, "nothing was compared")?;
    let key_paths = rows::key_props(fam.add);
    let mut problems = Vec::new();
    let mut desired: Vec<Row> = Vec::new();
    let mut lines: BTreeMap<String, u64> = BTreeMap::new();
    for mut row in rows {
        row.key = fam.key_of(&row.fields, &key_paths);
        for (path, value) in &scope {
            let p = fam.property(path);
            match row.fields.iter().find(|(k, _)| k == path) {
                Some((_, v)) if p.is_none_or(|p| compare::same(p, v, value)) => {}
                Some((_, v)) => problems.push(format!(
                    "line {}: outside the scope: {path} is {v}, the scope says {value}",
                    row.line
                )),
                None => problems.push(format!(
                    "line {}: does not set {path}, which the scope fixes to {value}",
                    row.line
                )),
            }
        }
        if let Some(first) = lines.insert(row.key.clone(), row.line) {
            problems.push(format!(
                "line {}: the same entry ({}) as line {first}",
                row.line, row.key
            ));
        }
        desired.push(row);
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!(
                "{}",
                crate::terminal_text::escaped_lines(&format!("{}: {p}", file.display()))
            );
        }
        return Err(CliError::Usage(format!(
            "{} problem(s) in {}; nothing was compared",
            problems.len(),
            file.display()
        )));
    }

    // The current side, within the scope.
    let mut current: BTreeMap<String, Record> = BTreeMap::new();
    listing::each_entry(
        conn,
        fam.list,
        fam.info,
        &options.filters,
        concurrency,
        walk,
        |entry| {
            let mut record = entry.records.into_iter().next().unwrap_or_default();
            // A key part the Info does not return (a filter such as the partition) is the
            // filter's value.
            for (path, value) in &options.filters {
                if key_paths.contains(path) && !record.iter().any(|(p, _)| p == path) {
                    record.push((path.clone(), value.clone()));
                }
            }
            let inside = options.wheres.iter().all(|(path, value)| {
                let p = fam.property(path);
                record
                    .iter()
                    .find(|(k, _)| k == path)
                    .is_some_and(|(_, v)| p.is_none_or(|p| compare::same(p, v, value)))
            });
            if inside {
                current.insert(fam.key_of(&record, &key_paths), record);
            }
            Ok(())
        },
    )
    .await?;

    let plan_input = Compared {
        fam,
        options,
        key_paths: &key_paths,
        targets: &targets,
        excludes: &excludes,
    };
    let (changes, phases, unchanged) = plan_input.diff(&desired, &current, platform_of)?;

    let protected: Vec<&str> = changes
        .iter()
        .filter(|c| matches!(c.action, Action::Delete | Action::Replace))
        .filter(|c| matches(&protect, &c.key))
        .map(|c| c.key.as_str())
        .collect();
    if !protected.is_empty() {
        return Err(CliError::Failure(format!(
            "the plan would delete or replace protected entries: {}",
            protected.join(", ")
        )));
    }

    let billable = billable_change(fam, &changes, &desired, &current);
    let count = |a: Action| changes.iter().filter(|c| c.action == a).count();
    let summary = Summary {
        add: count(Action::Add),
        change: count(Action::Change),
        replace: count(Action::Replace),
        delete: count(Action::Delete),
        unchanged,
        billable,
    };
    let plan = Plan {
        family: fam.name.to_string(),
        desired: Side {
            file: Some(file.display().to_string()),
            entries: desired.len(),
            fingerprint: desired_fingerprint(&desired),
        },
        current: Side {
            file: None,
            entries: current.len(),
            fingerprint: state_fingerprint(&current),
        },
        options: options.clone(),
        changes,
        summary,
    };
    Ok(Made { plan, phases })
}

impl Family {
    /// A `--where` for the help text: the family's first container property, else its first.
    pub fn property_example(&self) -> String {
        let props = self.spec.properties;
        props
            .iter()
            .find(|p| p.container.is_some() && matches!(p.kind, ValueKind::Integer { .. }))
            .or(props.first())
            .map_or_else(
                || "PROPERTY=VALUE".into(),
                |p| format!("{}=…", spec_cli::names::wire_path(p)),
            )
    }
}

/// What a diff needs besides the two sides.
struct Compared<'a> {
    fam: &'a Family,
    options: &'a Options,
    key_paths: &'a [String],
    targets: &'a [glob::Pattern],
    excludes: &'a [glob::Pattern],
}

type Diffed = (Vec<Change>, [Vec<Step>; 3], usize);

impl Compared<'_> {
    fn wanted(&self, key: &str) -> bool {
        (self.targets.is_empty() || matches(self.targets, key)) && !matches(self.excludes, key)
    }

    fn diff(
        &self,
        desired: &[Row],
        current: &BTreeMap<String, Record>,
        platform_of: PlatformOf<'_>,
    ) -> Result<Diffed, CliError> {
        let fam = self.fam;
        let mut changes = Vec::new();
        let mut phases: [Vec<Step>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        let mut unchanged = 0;
        let mut refused = Vec::new();
        for row in desired {
            if !self.wanted(&row.key) {
                continue;
            }
            let Some(now) = current.get(&row.key) else {
                changes.push(Change {
                    action: Action::Add,
                    key: row.key.clone(),
                    line: Some(row.line),
                    properties: row
                        .fields
                        .iter()
                        .map(|(path, value)| PropertyChange {
                            property: path.clone(),
                            old: None,
                            new: Some(shown(fam.property(path), value)),
                        })
                        .collect(),
                    because: None,
                });
                phases[1].push(Step {
                    op: fam.add,
                    row: row.clone(),
                });
                continue;
            };
            let mut diffs = Vec::new();
            let mut sent: Vec<(String, String)> = Vec::new();
            let mut because = None;
            for (path, value) in &row.fields {
                if self.key_paths.contains(path) {
                    continue;
                }
                let p = fam.property(path);
                let write_only = p.is_some_and(|p| p.access == Access::WriteOnly);
                if write_only {
                    // Never returned, so never compared: sent on create, or when asked.
                    if self.options.write_only {
                        diffs.push(PropertyChange {
                            property: path.clone(),
                            old: None,
                            new: Some(shown(p, value)),
                        });
                        sent.push((path.clone(), value.clone()));
                    }
                    continue;
                }
                let old = now.iter().find(|(k, _)| k == path).map(|(_, v)| v.as_str());
                if old.is_some_and(|o| p.is_none_or(|p| compare::same(p, o, value))) {
                    continue;
                }
                diffs.push(PropertyChange {
                    property: path.clone(),
                    old: old.map(|o| shown(p, o)),
                    new: Some(shown(p, value)),
                });
                sent.push((path.clone(), value.clone()));
                let changeable = p.is_some_and(|p| p.access != Access::ReadOnlyAfterCreation)
                    && fam.change.is_some_and(|c| {
                        spec_cli::names::inputs(c)
                            .any(|f| spec_cli::names::wire_path(f.property) == *path)
                    });
                if !changeable && because.is_none() {
                    because = Some(path.clone());
                }
            }
            if diffs.is_empty() {
                unchanged += 1;
                continue;
            }
            match (&because, fam.change) {
                (None, Some(change)) => {
                    let mut fields = naming_fields(change, &row.fields);
                    fields.extend(sent);
                    phases[1].push(Step {
                        op: change,
                        row: Row {
                            line: row.line,
                            key: row.key.clone(),
                            fingerprint: row.fingerprint.clone(),
                            fields,
                        },
                    });
                    changes.push(Change {
                        action: Action::Change,
                        key: row.key.clone(),
                        line: Some(row.line),
                        properties: diffs,
                        because: None,
                    });
                }
                (because, _) => {
                    let because = because
                        .clone()
                        .unwrap_or_else(|| "(no change operation)".into());
                    let Some(delete) = fam.delete.filter(|_| self.options.allow_replace) else {
                        refused.push(format!(
                            "{}: {because} differs and cannot change after creation",
                            row.key
                        ));
                        continue;
                    };
                    phases[0].push(Step {
                        op: delete,
                        row: Row {
                            line: row.line,
                            key: row.key.clone(),
                            fingerprint: row.fingerprint.clone(),
                            fields: naming_fields(delete, now),
                        },
                    });
                    phases[1].push(Step {
                        op: fam.add,
                        row: row.clone(),
                    });
                    changes.push(Change {
                        action: Action::Replace,
                        key: row.key.clone(),
                        line: Some(row.line),
                        properties: diffs,
                        because: Some(because),
                    });
                }
            }
        }
        if !refused.is_empty() {
            return Err(CliError::Failure(format!(
                "{} entr{} would have to be replaced (deleted and added again); give --allow-replace to do that:\n  {}",
                refused.len(),
                if refused.len() == 1 { "y" } else { "ies" },
                refused.join("\n  ")
            )));
        }
        if self.options.prune {
            let Some(delete) = fam.delete else {
                return Err(CliError::Usage(format!(
                    "{} has no delete operation to prune with",
                    fam.name
                )));
            };
            let wanted: std::collections::HashSet<&str> =
                desired.iter().map(|r| r.key.as_str()).collect();
            for (key, now) in current {
                if wanted.contains(key.as_str()) || !self.wanted(key) {
                    continue;
                }
                phases[2].push(Step {
                    op: delete,
                    row: Row {
                        line: 0,
                        key: key.clone(),
                        fingerprint: String::new(),
                        fields: naming_fields(delete, now),
                    },
                });
                changes.push(Change {
                    action: Action::Delete,
                    key: key.clone(),
                    line: None,
                    properties: Vec::new(),
                    because: None,
                });
            }
        }
        // Every request checked before anything is sent.
        let mut invalid = Vec::new();
        for step in phases.iter().flatten() {
            if let Err(e) = dynamic::validate(
                step.op.name,
                &step.row.fields,
                platform_of(&step.row.fields),
            ) {
                invalid.push(format!("{} {}: {e}", step.op.name, step.row.key));
            }
        }
        if !invalid.is_empty() {
            return Err(CliError::Usage(format!(
                "{} request(s) of the plan would be refused:\n  {}",
                invalid.len(),
                invalid.join("\n  ")
            )));
        }
        Ok((changes, phases, unchanged))
    }
}

/// The change in billable entries: added or deleted ones, and changes that make an entry
/// billable or not (the spec's `billable` flag of the family).
fn billable_change(
    fam: &Family,
    changes: &[Change],
    desired: &[Row],
    current: &BTreeMap<String, Record>,
) -> i64 {
    let Some(rule) = fam.spec.billable else {
        return 0;
    };
    let is = |record: &[(String, String)]| -> i64 {
        i64::from(rule.applies(|name| {
            record
                .iter()
                .find(|(p, _)| p == name)
                .map(|(_, v)| v.as_str())
        }))
    };
    let by_key: BTreeMap<&str, &Row> = desired.iter().map(|r| (r.key.as_str(), r)).collect();
    changes
        .iter()
        .map(|c| {
            let now = current.get(&c.key).map_or(0, |r| is(r));
            let then = match (c.action, by_key.get(c.key.as_str()), current.get(&c.key)) {
                (Action::Delete, ..) => 0,
                (Action::Add, Some(row), _) => is(&row.fields),
                (_, Some(row), Some(now)) => {
                    // What the entry holds afterwards: now, overlaid with the file.
                    let mut merged = now.clone();
                    for (p, v) in &row.fields {
                        match merged.iter_mut().find(|(k, _)| k == p) {
                            Some(slot) => slot.1 = v.clone(),
                            None => merged.push((p.clone(), v.clone())),
                        }
                    }
                    is(&merged)
                }
                _ => now,
            };
            then - now
        })
        .sum()
}
