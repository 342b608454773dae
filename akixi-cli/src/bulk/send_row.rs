//! One row sent: lost answers looked for before a row is sent again, an add whose entity
//! exists compared with it ([`OnExisting`]) and, as `--on-existing` says, kept, updated or a
//! conflict naming each difference.

use std::time::Duration;

use akixi_client::akixi::{SERVICE, dynamic};
use akixi_client::runtime::akixi_ws::{Access, DynError, InputUse, OpKind, OperationInfo};
use akixi_client::runtime::akixi_ws::{Condition, condition_code};
use akixi_client::{Client, Error};

use crate::bulk::breaker::{self, Breaker};
use crate::bulk::row_outcome::RowOutcome;
use crate::bulk::rows::Row;
use crate::bulk::summary::OnExisting;
use crate::spec_cli::names::wire_path;
use crate::{bulk::compare, spec_cli};
/// What an add whose entity exists came to, when it was not a plain failure.
#[derive(Debug)]
pub(super) enum Existing {
    /// It holds the row's values: nothing to do (the note says how it was found).
    Unchanged(String),
    /// It holds other values, and it stays so (`--on-existing skip`): how it differs.
    Kept(String),
    /// It held other values and was changed to the row's (`--on-existing update`).
    Updated(String),
    /// It holds other values (`--on-existing fail`), or could not be compared: why.
    Conflict(String),
}

impl Existing {
    /// The row's outcome, and why.
    pub(super) fn outcome(self) -> (RowOutcome, String) {
        match self {
            Existing::Unchanged(why) => (RowOutcome::Unchanged, why),
            Existing::Kept(why) => (RowOutcome::Kept, why),
            Existing::Updated(why) => (RowOutcome::Updated, why),
            Existing::Conflict(why) => (RowOutcome::Conflict, why),
        }
    }
}

/// What sending a row came to: its last result, how many times it was sent, and why it was sent
/// again or found done without an answer.
pub(super) struct Sent {
    pub(super) result: Result<Records, DynError<Error>>,
    pub(super) attempts: u32,
    pub(super) note: Option<String>,
    /// The entity exists (an add answered "already exists", or found by a read after a lost
    /// answer): what that came to.
    pub(super) existing: Option<Existing>,
    /// Not sent again because the run stopped.
    pub(super) stopped: bool,
}

pub(super) type Outcome = (Row, Sent);

/// How many results records are written between syncs of the results file.
pub(super) const SYNC_EVERY: usize = 64;

/// How many times a row is sent at most (the client's own retries of one send not counted).
pub(super) const ROW_ATTEMPTS: u32 = 5;

/// Calls `op` with `fields`, telling the breaker what the answer says of the service.
pub(super) async fn call(
    client: &Client,
    breaker: &Breaker,
    op: &'static OperationInfo,
    fields: &[(String, String)],
) -> Result<Records, DynError<Error>> {
    let result = dynamic::call(client, op.name, fields, None).await;
    breaker.record(breaker::health(&result), || match &result {
        Err(e) => e.to_string(),
        Ok(_) => String::new(),
    });
    result
}

/// Sends a row; sends it again when the client gave up on a failure that did not carry it out
/// (unless the breaker has tripped), and, when an answer was lost, first looks for its effect
/// so that it is never made twice.
///
/// An add answered "already exists", or whose lost answer is followed by finding its entity,
/// is compared with the stored entity, read back with the family's `info` (as
/// [`compare::same`] compares values): the same values, the row is done (`unchanged`, or a
/// success when this run's own send made it); other values, [`OnExisting`] decides.
pub(super) async fn send_row(
    client: &Client,
    op: &'static OperationInfo,
    row: &Row,
    breaker: &Breaker,
    on_existing: OnExisting,
) -> Sent {
    let duplicate = condition_code(
        SERVICE.conditions,
        Condition::DuplicateEntity,
        Some(op.family),
    );
    let mut notes: Vec<String> = Vec::new();
    let mut attempts = 0;
    // Whether a send of this row in this run may already have been carried out.
    let mut maybe_carried_out = false;
    loop {
        attempts += 1;
        let result = call(client, breaker, op, &row.fields).await;
        let again = match &result {
            Err(DynError::Call(e)) if e.outcome_unknown() => {
                maybe_carried_out = true;
                match settled(client, breaker, op, row).await {
                    Settled::Done => {
                        notes.push(format!("{e}; it was carried out{}", unverified(op, row)));
                        return Sent {
                            result: Ok(Vec::new()),
                            attempts,
                            note: Some(notes.join("; ")),
                            existing: None,
                            stopped: false,
                        };
                    }
                    Settled::Differs(diff) => {
                        notes.push(format!("{e}; the entity exists"));
                        let existing =
                            differing(client, breaker, op, row, &diff, on_existing, &notes).await;
                        return Sent {
                            result,
                            attempts,
                            note: None,
                            existing: Some(existing),
                            stopped: false,
                        };
                    }
                    Settled::NotDone(why) => {
                        notes.push(format!("{e}; {why}"));
                        true
                    }
                }
            }
            Err(DynError::Call(e)) if e.is_retryable() => {
                notes.push(e.to_string());
                true
            }
            _ => false,
        };
        // An entity of the row's key exists: from an earlier send of this row whose answer was
        // lost, an earlier run, or someone else. Done if it holds what the row says.
        if let Err(DynError::Call(e)) = &result
            && op.kind == OpKind::Add
            && duplicate.is_some()
            && e.code().map(|c| c.code()) == duplicate
        {
            let existing = match read_back(client, breaker, op, row).await {
                ReadBack::Exists(diff) if diff.is_empty() => {
                    let how = if maybe_carried_out {
                        "already exists after a lost answer (it matches the row)"
                    } else {
                        "already exists and matches the row: nothing to do"
                    };
                    notes.push(format!("{how}{}", unverified(op, row)));
                    Existing::Unchanged(notes.join("; "))
                }
                ReadBack::Exists(diff) => {
                    notes.push("already exists".to_owned());
                    differing(client, breaker, op, row, &diff, on_existing, &notes).await
                }
                ReadBack::Missing => {
                    notes.push(format!("{e}; but then it could not be found"));
                    Existing::Conflict(notes.join("; "))
                }
                ReadBack::Unread(why) => {
                    notes.push(format!("{e}; and it could not be read to compare: {why}"));
                    Existing::Conflict(notes.join("; "))
                }
            };
            // This run's own send made it: a success, as when the answer had come.
            if maybe_carried_out && let Existing::Unchanged(note) = existing {
                return Sent {
                    result: Ok(Vec::new()),
                    attempts,
                    note: Some(note),
                    existing: None,
                    stopped: false,
                };
            }
            return Sent {
                result,
                attempts,
                note: None,
                existing: Some(existing),
                stopped: false,
            };
        }
        let stopped = again && breaker.tripped().is_some();
        if !again || attempts >= ROW_ATTEMPTS || stopped {
            if stopped {
                notes.push("not sent again: the run stopped".to_owned());
            }
            return Sent {
                result,
                attempts,
                note: (!notes.is_empty()).then(|| notes.join("; ")),
                existing: None,
                stopped,
            };
        }
        // The backoff ends early when the breaker trips (Ctrl-C cancels the whole task).
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(50 << attempts.min(6))) => {}
            () = breaker.wait() => {}
        }
    }
}

/// An add whose entity exists with other values (`diff`, one `path: stored ≠ row` each), as
/// `on_existing` says: a conflict, left as it is, or changed to the row's values.
pub(super) async fn differing(
    client: &Client,
    breaker: &Breaker,
    op: &'static OperationInfo,
    row: &Row,
    diff: &[String],
    on_existing: OnExisting,
    notes: &[String],
) -> Existing {
    let mut notes = notes.to_vec();
    notes.push(format!("it differs from the row: {}", diff.join("; ")));
    match on_existing {
        OnExisting::Fail => Existing::Conflict(notes.join("; ")),
        OnExisting::Skip => {
            notes.push("left as it is (--on-existing skip)".to_owned());
            Existing::Kept(notes.join("; "))
        }
        OnExisting::Update => match update(client, breaker, op, row, diff).await {
            Ok(()) => {
                notes.push("changed to the row's values (--on-existing update)".to_owned());
                Existing::Updated(notes.join("; "))
            }
            Err(why) => {
                notes.push(format!(
                    "could not be changed (--on-existing update): {why}"
                ));
                Existing::Conflict(notes.join("; "))
            }
        },
    }
}

/// Sends the family's change operation with the row's values (those it takes).
pub(super) async fn update(
    client: &Client,
    breaker: &Breaker,
    op: &'static OperationInfo,
    row: &Row,
    diff: &[String],
) -> Result<(), String> {
    let Some(change) = spec_cli::names::operation_of(op.family, OpKind::Change) else {
        return Err(format!("{} has no change operation", op.family));
    };
    let takes: Vec<String> = spec_cli::names::inputs(change)
        .map(|f| wire_path(f.property))
        .collect();
    type Fields = Vec<(String, String)>;
    let (fields, left): (Fields, Fields) = row
        .fields
        .iter()
        .cloned()
        .partition(|(path, _)| takes.contains(path));
    // What the change cannot send matters only where it differs.
    let fixed: Vec<&str> = left
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| diff.iter().any(|d| d.starts_with(&format!("{p}: "))))
        .collect();
    if !fixed.is_empty() {
        let names = fixed;
        return Err(format!(
            "{} does not take {} (they cannot change after creation)",
            change.name,
            names.join(", ")
        ));
    }
    call(client, breaker, change, &fields)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The `info` operation of `op`'s family and the key fields that name `row`'s entity to it;
/// `None` when the family has no info or the row gives none of its keys.
pub(super) fn info_of_row(
    op: &'static OperationInfo,
    row: &Row,
) -> Option<(&'static OperationInfo, Vec<(String, String)>)> {
    let info = spec_cli::names::operation_of(op.family, OpKind::Info)?;
    let keys: Vec<(String, String)> = info
        .fields
        .iter()
        .filter(|f| f.input == Some(InputUse::Key))
        .filter_map(|f| {
            let path = wire_path(f.property);
            row.fields.iter().find(|(p, _)| *p == path).cloned()
        })
        .collect();
    (!keys.is_empty()).then_some((info, keys))
}

/// Whether a row whose answer was lost was carried out.
pub(super) enum Settled {
    /// It was: an add whose entity now holds the row's values, a delete whose entity is gone.
    Done,
    /// An add whose entity exists but holds other values (`path: stored ≠ row` each): another
    /// writer's, or changed since.
    Differs(Vec<String>),
    /// Not carried out, or it cannot be told: the row is sent again (an add then answers
    /// "already exists" if it was, which is checked the same way). Why, for the results.
    NotDone(String),
}

/// Whether a row whose answer was lost was carried out, read with its family's `info`: an add
/// whose entity exists holding the row's values, or a delete whose entity is gone, is done;
/// an add whose entity holds other values is a conflict; anything else is sent again (a change
/// gives the same values again).
pub(super) async fn settled(
    client: &Client,
    breaker: &Breaker,
    op: &'static OperationInfo,
    row: &Row,
) -> Settled {
    match (op.kind, read_back(client, breaker, op, row).await) {
        (OpKind::Add, ReadBack::Exists(diff)) if diff.is_empty() => Settled::Done,
        (OpKind::Add, ReadBack::Exists(diff)) => Settled::Differs(diff),
        (OpKind::Delete, ReadBack::Missing) => Settled::Done,
        (OpKind::Add, ReadBack::Missing) => Settled::NotDone("not carried out".to_owned()),
        (_, ReadBack::Unread(why)) => Settled::NotDone(format!("could not be checked ({why})")),
        _ => Settled::NotDone("not carried out".to_owned()),
    }
}

/// The entity a row names, as its family's `info` reads it.
pub(super) enum ReadBack {
    /// It exists; how it differs from the row (empty: it holds every value the row gives that
    /// `info` returns).
    Exists(Vec<String>),
    /// The service says there is no such entity.
    Missing,
    /// It could not be read: why.
    Unread(String),
}

/// Reads the entity `row` names with its family's `info` and compares it with the row: one
/// `path: stored ≠ row` per property both give. Values compare as the service would
/// ([`compare::same`]: Booleans by meaning, comma lists as sets); what `info` never returns (a
/// password) cannot be compared.
pub(super) async fn read_back(
    client: &Client,
    breaker: &Breaker,
    op: &'static OperationInfo,
    row: &Row,
) -> ReadBack {
    let Some((info, keys)) = info_of_row(op, row) else {
        return ReadBack::Unread(format!(
            "{} has no info operation keyed by the row",
            op.family
        ));
    };
    let unknown = condition_code(
        SERVICE.conditions,
        Condition::UnknownEntity,
        Some(op.family),
    );
    let stored = match call(client, breaker, info, &keys).await {
        Ok(records) => records.into_iter().find(|r| !r.is_empty()),
        Err(DynError::Call(e)) if e.code().map(|c| c.code()) == unknown => {
            return ReadBack::Missing;
        }
        Err(e) => return ReadBack::Unread(format!("{}: {e}", info.name)),
    };
    let Some(stored) = stored else {
        return ReadBack::Unread(format!("{} answered without the entity", info.name));
    };
    ReadBack::Exists(differences(op, info, row, &stored))
}

/// What a read-back cannot verify of `row`: `" (not compared, never read back: …)"` naming the
/// write-only properties it gives (a password), or nothing. Two writers giving one entity
/// different passwords cannot be told apart.
pub(super) fn unverified(op: &'static OperationInfo, row: &Row) -> String {
    let never_read: Vec<&str> = row
        .fields
        .iter()
        .filter(|(path, _)| {
            spec_cli::names::inputs(op)
                .any(|f| f.property.access == Access::WriteOnly && wire_path(f.property) == *path)
        })
        .map(|(path, _)| path.as_str())
        .collect();
    if never_read.is_empty() {
        String::new()
    } else {
        format!(
            " (not compared, never read back: {})",
            never_read.join(", ")
        )
    }
}

/// How `stored` (as `info` answered) differs from `row`: one `path: stored ≠ row` per property
/// the row gives that `info` returns, keys aside. A property missing from the answer is unset
/// there, so it differs from the row's value (as the plan sees it); one `info` never returns (a
/// write-only property such as a password, see [`unverified`]) cannot be compared.
pub(super) fn differences(
    op: &'static OperationInfo,
    info: &'static OperationInfo,
    row: &Row,
    stored: &akixi_client::runtime::akixi_ws::Record,
) -> Vec<String> {
    row.fields
        .iter()
        .filter_map(|(path, value)| {
            let p = spec_cli::names::inputs(op)
                .map(|f| f.property)
                .find(|p| wire_path(p) == *path)?;
            // The entity was found by its key, matched as the service matches it.
            let key = info
                .fields
                .iter()
                .any(|f| f.input == Some(InputUse::Key) && wire_path(f.property) == *path);
            let returned = !key
                && p.access != Access::WriteOnly
                && info
                    .fields
                    .iter()
                    .any(|f| f.returned.is_some() && wire_path(f.property) == *path);
            if !returned {
                return None;
            }
            match stored.iter().find(|(p, _)| p == path).map(|(_, v)| v) {
                Some(held) if compare::same(p, held, value) => None,
                Some(held) => Some(format!("{path}: {held} ≠ {value}")),
                None => Some(format!("{path}: (not set) ≠ {value}")),
            }
        })
        .collect()
}

/// One request of a bulk run: an operation and the row it sends.
#[derive(Debug, Clone)]
pub struct Step {
    /// The operation.
    pub op: &'static OperationInfo,
    /// What it sends (and the line, key and fingerprint the results file records).
    pub row: Row,
}

pub(super) type Records = Vec<akixi_client::runtime::akixi_ws::Record>;
