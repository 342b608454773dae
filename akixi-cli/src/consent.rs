//! Nothing destructive without consent: the question asked before a run deletes anything, and
//! the blast-radius guard that refuses to delete a large share of a scope.
//!
//! A run that would delete (an `apply` with deletes or replacements, a `delete` that cascades)
//! shows what it will delete and asks on a terminal, in Terraform's words ("Only 'yes' will be
//! accepted to approve."). Without a terminal to ask on (standard input is not one), it needs
//! `--yes` (or `--auto-approve`); otherwise it sends nothing and exits 64.
//!
//! The guard ([`DeleteLimit`]) counts the entries a plan deletes against the entries in its
//! scope: by default at most 10 % of them or 50 entries, whichever is larger;
//! `--max-delete N|P%` sets another limit and `--allow-mass-delete` lifts it.

use std::io::{BufRead, IsTerminal, Write};

use clap::{Arg, ArgAction};
use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// `--yes`.
pub const YES: &str = "yes";
/// `--allow-mass-delete`.
pub const ALLOW_MASS_DELETE: &str = "allow-mass-delete";
/// `--max-delete`.
pub const MAX_DELETE: &str = "max-delete";

/// The default share of a scope a run may delete, in per cent.
pub const DEFAULT_PERCENT: u32 = 10;
/// The default number of entries a run may delete, whatever the scope's size.
pub const DEFAULT_FLOOR: usize = 50;

/// `--yes` (alias `--auto-approve`): approve deletions without a question.
pub fn yes_arg() -> Arg {
    Arg::new(YES)
        .long(YES)
        .visible_alias("auto-approve")
        .action(ArgAction::SetTrue)
        .help("Approve deleting without being asked (needed to delete without a terminal)")
}

/// `--allow-mass-delete` and `--max-delete`: the blast-radius guard's switches.
pub fn mass_delete_args() -> [Arg; 2] {
    [
        Arg::new(ALLOW_MASS_DELETE)
            .long(ALLOW_MASS_DELETE)
            .action(ArgAction::SetTrue)
            .help("Delete more entries than the blast-radius limit (--max-delete) allows"),
        Arg::new(MAX_DELETE)
            .long(MAX_DELETE)
            .value_name("N|P%")
            .value_parser(|s: &str| DeleteLimit::parse(s))
            .help(format!(
                "The most entries a run may delete without --allow-mass-delete: a number, or a share of the entries in the scope (default: {DEFAULT_PERCENT}% or {DEFAULT_FLOOR}, whichever is larger)"
            )),
    ]
}

/// How many entries of a scope a run may delete without `--allow-mass-delete`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum DeleteLimit {
    /// At most this many entries.
    Count(usize),
    /// At most this share of the scope, in per cent.
    Percent(u32),
}

impl DeleteLimit {
    /// Reads `N` or `P%`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let bad = || format!("`{text}`: expected a number of entries (50) or a share (10%)");
        match t.strip_suffix('%') {
            Some(p) => match p.trim().parse::<u32>() {
                Ok(p) if p <= 100 => Ok(DeleteLimit::Percent(p)),
                _ => Err(bad()),
            },
            None => t
                .parse::<usize>()
                .map(DeleteLimit::Count)
                .map_err(|_| bad()),
        }
    }

    /// The most entries of a scope of `scope` entries that may be deleted.
    pub fn allowed(limit: Option<DeleteLimit>, scope: usize) -> usize {
        let share = |p: u32| (scope * p as usize).div_ceil(100);
        match limit {
            None => share(DEFAULT_PERCENT).max(DEFAULT_FLOOR),
            Some(DeleteLimit::Count(n)) => n,
            Some(DeleteLimit::Percent(p)) => share(p),
        }
    }

    /// How the limit is described in a refusal.
    fn describe(limit: Option<DeleteLimit>) -> String {
        match limit {
            None => format!(
                "{DEFAULT_PERCENT}% of the scope or {DEFAULT_FLOOR} entries, whichever is larger"
            ),
            Some(DeleteLimit::Count(n)) => format!("--max-delete {n}"),
            Some(DeleteLimit::Percent(p)) => format!("--max-delete {p}%"),
        }
    }
}

impl TryFrom<String> for DeleteLimit {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        DeleteLimit::parse(&text)
    }
}

impl From<DeleteLimit> for String {
    fn from(limit: DeleteLimit) -> String {
        match limit {
            DeleteLimit::Count(n) => n.to_string(),
            DeleteLimit::Percent(p) => format!("{p}%"),
        }
    }
}

/// The blast-radius guard: why deleting `deletes` of the `scope` entries of `family` is refused,
/// or `None` when it is within `limit` (or `allow` lifts the limit).
pub fn blast_radius(
    family: &str,
    deletes: usize,
    scope: usize,
    limit: Option<DeleteLimit>,
    allow: bool,
) -> Option<String> {
    let allowed = DeleteLimit::allowed(limit, scope);
    if allow || deletes <= allowed {
        return None;
    }
    let share = (deletes * 100).checked_div(scope).unwrap_or(100);
    Some(format!(
        "the plan deletes {deletes} of the {scope} {family} entries in the scope ({share}%), more than the blast-radius limit of {allowed} ({}); check the file and the scope, then give --allow-mass-delete (or a higher --max-delete) to go ahead",
        DeleteLimit::describe(limit)
    ))
}

/// Asks for consent to delete: `listing` says what will be deleted, `what` is the deed
/// ("delete 3 users"). `yes` (`--yes`) approves without asking. On a terminal the question is
/// asked on standard error and only `yes` approves (anything else cancels, exit 1); without
/// one, nothing is approved (exit 64). `nothing` says what was left undone ("nothing was
/// sent").
pub async fn approve(
    listing: String,
    what: String,
    yes: bool,
    nothing: &'static str,
) -> Result<(), CliError> {
    if yes {
        tracing::info!("approved by --yes: {what}");
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        eprint!("{listing}");
        return Err(CliError::Usage(format!(
            "this would {what}, which needs consent, and there is no terminal to ask on: give --yes (or --auto-approve) to approve; {nothing}"
        )));
    }
    let question = format!("Do you want to {what}?");
    let answer = tokio::task::spawn_blocking(move || ask(&listing, &question))
        .await
        .map_err(|e| CliError::Failure(format!("the question stopped: {e}")))?;
    match answer {
        Ok(a) if a == "yes" => Ok(()),
        Ok(_) => Err(CliError::Failure(format!(
            "cancelled (only 'yes' approves); {nothing}"
        ))),
        Err(e) => Err(CliError::Failure(format!(
            "cannot read the answer ({e}); {nothing}"
        ))),
    }
}

/// Shows `listing` and `question` on standard error and reads one line of standard input.
fn ask(listing: &str, question: &str) -> std::io::Result<String> {
    let mut err = std::io::stderr().lock();
    write!(
        err,
        "{listing}\n{question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: "
    )?;
    err.flush()?;
    drop(err);
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    eprintln!();
    Ok(line.trim().to_string())
}

/// `n` things: `1 device`, `3 devices` (the plural from [`crate::output::plural`]).
pub fn counted(n: usize, family: &str) -> String {
    use heck::ToTitleCase;
    if n == 1 {
        format!("1 {}", family.to_title_case().to_lowercase())
    } else {
        format!("{n} {}", crate::output::plural(family))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_limit_is_ten_per_cent_or_fifty_whichever_is_larger() {
        assert_eq!(DeleteLimit::allowed(None, 10), 50);
        assert_eq!(DeleteLimit::allowed(None, 2001), 201);
        assert_eq!(DeleteLimit::allowed(Some(DeleteLimit::Count(5)), 2001), 5);
        assert_eq!(DeleteLimit::allowed(Some(DeleteLimit::Percent(50)), 3), 2);
        assert!(blast_radius("User", 50, 60, None, false).is_none());
        let refused = blast_radius("User", 2001, 2001, None, false).expect("refused");
        assert!(
            refused.contains("2001 of the 2001") && refused.contains("--allow-mass-delete"),
            "{refused}"
        );
        assert!(blast_radius("User", 2001, 2001, None, true).is_none());
        assert!(blast_radius("User", 1, 0, Some(DeleteLimit::Count(0)), false).is_some());
    }

    #[test]
    fn limits_read_and_write_as_given() {
        assert_eq!(DeleteLimit::parse("25%"), Ok(DeleteLimit::Percent(25)));
        assert_eq!(DeleteLimit::parse(" 7 "), Ok(DeleteLimit::Count(7)));
        assert!(DeleteLimit::parse("150%").is_err());
        assert!(DeleteLimit::parse("many").is_err());
        assert_eq!(String::from(DeleteLimit::Percent(25)), "25%");
        assert_eq!(counted(1, "DirectoryEntry"), "1 directory entry");
        assert_eq!(counted(3, "DirectoryEntry"), "3 directory entries");
    }
}
