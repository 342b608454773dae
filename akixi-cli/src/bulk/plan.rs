//! The plan of desired state: what `plan` prints and saves and `apply --plan` reads back — the
//! options it was made with, each entry's change, both sides' fingerprints, the counts — and
//! how it is shown to people. How it is made is in `diff`.
//!
//! The plan never holds a secret: it shows that one is set, not its value; applying a saved
//! plan reads the values again from the desired file, which must not have changed (nor the
//! current state) since the plan was made.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// What the command line asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Options {
    /// The list's own inputs (its filters), as `(wire path, text)`: sent with the list and a
    /// scope every desired entry must be in.
    pub filters: Vec<(String, String)>,
    /// `--where PATH=VALUE`: entries outside are neither compared nor pruned.
    pub wheres: Vec<(String, String)>,
    /// Delete current entries the file does not have (inside the scope only).
    pub prune: bool,
    /// Replace (delete, then add) an entry whose unchangeable property differs.
    pub allow_replace: bool,
    /// Send write-only properties (passwords) on change too, not only on create.
    pub write_only: bool,
    /// Act only on these keys (glob patterns).
    pub targets: Vec<String>,
    /// Never act on these keys (glob patterns).
    pub excludes: Vec<String>,
    /// Keys (glob patterns) that may never be deleted or replaced.
    pub protect: Vec<String>,
    /// `--allow-mass-delete`: delete more than the blast-radius limit allows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_mass_delete: bool,
    /// `--max-delete`: the blast-radius limit (`None`: the default, see
    /// [`crate::consent::DeleteLimit`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delete: Option<crate::consent::DeleteLimit>,
    /// `--trust-file`: prune by a file the completeness check would refuse (see
    /// [`crate::export_marker`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub trust_file: bool,
}

/// What is done to one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Created.
    Add,
    /// Changed in place.
    Change,
    /// Deleted and created again (a property that cannot change differs).
    Replace,
    /// Deleted.
    Delete,
}

/// One property of a change: what it is and what it becomes. Secrets show as `(secret)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyChange {
    /// Its wire path.
    pub property: String,
    /// Now (`None`: not set, or not returned).
    pub old: Option<String>,
    /// Then (`None` for a delete).
    pub new: Option<String>,
}

/// One entry's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// What is done.
    pub action: Action,
    /// The entry's key (its key properties' values, `/`-joined).
    pub key: String,
    /// The desired file's line (or record) of the entry, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// For an add, what it sets; for a change or a replace, what differs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<PropertyChange>,
    /// For a replace: the property that cannot change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub because: Option<String>,
}

/// Where a side of the comparison came from, and its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Side {
    /// The desired file (for the desired side).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Entries.
    pub entries: usize,
    /// A hash of what was read (FNV-1a).
    pub fingerprint: String,
}

/// The counts of a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Entries to add.
    pub add: usize,
    /// Entries to change.
    pub change: usize,
    /// Entries to replace.
    pub replace: usize,
    /// Entries to delete.
    pub delete: usize,
    /// Desired entries that already match.
    pub unchanged: usize,
    /// The change in billable entries (the spec's `billable` flag).
    pub billable: i64,
}

/// A plan: both sides' fingerprints, the options it was made with, every change, the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The family.
    pub family: String,
    /// The desired side.
    pub desired: Side,
    /// The current side (within the scope).
    pub current: Side,
    /// The options.
    pub options: Options,
    /// The changes: adds, changes and replaces in the file's order, then deletes by key.
    pub changes: Vec<Change>,
    /// The counts.
    pub summary: Summary,
}

/// The plan for people: `+`, `~`, `-/+` and `-` lines, then the counts.
pub fn render(plan: &Plan) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let scope: Vec<String> = plan
        .options
        .filters
        .iter()
        .chain(&plan.options.wheres)
        .map(|(p, v)| format!("{p}={v}"))
        .collect();
    let _ = writeln!(
        out,
        "{}: {} desired, {} current{}",
        plan.family,
        plan.desired.entries,
        plan.current.entries,
        if scope.is_empty() {
            String::new()
        } else {
            format!(" (scope: {})", scope.join(", "))
        }
    );
    for c in &plan.changes {
        let (mark, word) = match c.action {
            Action::Add => ("+", "add"),
            Action::Change => ("~", "change"),
            Action::Replace => ("-/+", "replace"),
            Action::Delete => ("-", "delete"),
        };
        let because = c
            .because
            .as_ref()
            .map(|b| format!("  ({b} cannot change after creation)"))
            .unwrap_or_default();
        let _ = writeln!(out, "{mark} {word} {}{because}", c.key);
        for p in &c.properties {
            let text = |v: &Option<String>| {
                v.as_deref()
                    .map_or("(none)".to_string(), |v| format!("{v:?}"))
            };
            let _ = match c.action {
                Action::Add => writeln!(out, "    {} = {}", p.property, text(&p.new)),
                _ => writeln!(
                    out,
                    "    {}: {} → {}",
                    p.property,
                    text(&p.old),
                    text(&p.new)
                ),
            };
        }
    }
    let s = &plan.summary;
    let _ = writeln!(
        out,
        "Plan: {} to add, {} to change, {} to replace, {} to delete, {} unchanged; {:+} billable {}.",
        s.add,
        s.change,
        s.replace,
        s.delete,
        s.unchanged,
        s.billable,
        crate::output::plural(&plan.family)
    );
    out
}

/// Reads a plan saved with `--out`.
pub fn load(path: &Path) -> Result<Plan, CliError> {
    // `-`: standard input, as everywhere a file is read.
    let text = crate::bulk::input::read_text(path).map_err(CliError::Usage)?;
    serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!(
            "{}:{}:{}: not a plan: {e}",
            crate::bulk::input::name(path),
            e.line(),
            e.column()
        ))
    })
}

/// Saves `plan` for `apply --plan`.
pub fn save(plan: &Plan, path: &PathBuf) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(plan).map_err(|e| CliError::Failure(e.to_string()))?;
    std::fs::write(path, text + "\n")
        .map_err(|e| CliError::Failure(format!("cannot write {}: {e}", path.display())))
}

/// The changes of `plan` that delete an entry: deletes, and replaces (deleted, then added).
pub fn deletions(plan: &Plan) -> impl Iterator<Item = &Change> {
    plan.changes
        .iter()
        .filter(|c| matches!(c.action, Action::Delete | Action::Replace))
}

/// Whether `fresh` (made now) carries out the same plan as `saved`: both sides unchanged.
pub fn still_holds(saved: &Plan, fresh: &Plan) -> Result<(), CliError> {
    if saved.desired.fingerprint != fresh.desired.fingerprint {
        return Err(CliError::Failure(format!(
            "the desired file {} changed since the plan was made; make a new plan",
            fresh.desired.file.as_deref().unwrap_or("?")
        )));
    }
    if saved.current.fingerprint != fresh.current.fingerprint {
        return Err(CliError::Failure(format!(
            "the current {} entries changed since the plan was made ({} then, {} now); make a new plan",
            saved.family, saved.current.entries, fresh.current.entries
        )));
    }
    Ok(())
}
