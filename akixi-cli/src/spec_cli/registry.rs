//! The registry of commands: each command registered once, as its clap command and what runs
//! it ([`Entry`]), so that the command tree and the dispatch are made from the same list and
//! cannot drift. A group is an entry whose children are entries; [`tree`] makes the clap
//! command of the whole list and [`dispatch`] runs the entry the parsed command line names.

use std::future::Future;
use std::pin::Pin;

use clap::{ArgMatches, Command};

use crate::error::CliError;

/// What running a command comes to.
pub type RunFuture<'a> = Pin<Box<dyn Future<Output = Result<(), CliError>> + 'a>>;

/// What runs a command, given its invocation.
pub type Handler = Box<dyn for<'a> Fn(&'a Invocation<'a>) -> RunFuture<'a>>;

/// One command as the command line runs it.
pub struct Invocation<'a> {
    /// The whole command line (the root's own options, such as `--sim-from-snapshot`).
    pub root: &'a ArgMatches,
    /// The command's own matches; the global options are read here too (clap gives each
    /// command the global options' values).
    pub matches: &'a ArgMatches,
    /// The names from the root to the command (`["user", "add"]`).
    pub path: Vec<&'a str>,
    /// The whole command tree (for completions and man pages).
    pub tree: &'a Command,
}

impl Invocation<'_> {
    /// The command as typed, from the root (`user add`).
    pub fn name(&self) -> String {
        self.path.join(" ")
    }

    /// The command's own name (`add` of `user add`).
    pub fn command(&self) -> &str {
        self.path.last().copied().unwrap_or_default()
    }
}

/// What a registered command is: a group of commands, or a command that runs.
pub enum Action {
    /// A group: one of its commands runs.
    Group(Vec<Entry>),
    /// A command that runs.
    Run(Handler),
}

/// A registered command: its clap command (without its subcommands) and what it does.
pub struct Entry {
    /// Its clap command.
    pub command: Command,
    /// What it does.
    pub action: Action,
}

impl Entry {
    /// A command that `handler` runs.
    pub fn run<F>(command: Command, handler: F) -> Entry
    where
        F: for<'a> Fn(&'a Invocation<'a>) -> RunFuture<'a> + 'static,
    {
        Entry {
            command,
            action: Action::Run(Box::new(handler)),
        }
    }

    /// A group of `entries`.
    pub fn group(command: Command, entries: Vec<Entry>) -> Entry {
        Entry {
            command,
            action: Action::Group(entries),
        }
    }

    /// Its name on the command line.
    pub fn name(&self) -> &str {
        self.command.get_name()
    }
}

/// `root` with every entry as a subcommand, groups with theirs.
pub fn tree(root: Command, entries: &[Entry]) -> Command {
    entries.iter().fold(root, |root, entry| {
        let command = match &entry.action {
            Action::Group(children) => tree(entry.command.clone(), children),
            Action::Run(_) => entry.command.clone(),
        };
        root.subcommand(command)
    })
}

/// The matches of the command that runs: the innermost subcommand.
pub fn innermost(matches: &ArgMatches) -> &ArgMatches {
    let mut m = matches;
    while let Some((_, sub)) = m.subcommand() {
        m = sub;
    }
    m
}

/// Runs the entry of `entries` that `root` (the parsed command line of [`tree`]) names.
pub async fn dispatch(
    entries: &[Entry],
    root: &ArgMatches,
    tree: &Command,
) -> Result<(), CliError> {
    let mut entries = entries;
    let mut matches = root;
    let mut path = Vec::new();
    loop {
        let Some((name, sub)) = matches.subcommand() else {
            return Err(CliError::Usage("no command".into()));
        };
        path.push(name);
        let Some(entry) = entries.iter().find(|e| e.name() == name) else {
            return Err(CliError::Usage(format!("no command `{}`", path.join(" "))));
        };
        match &entry.action {
            Action::Group(children) => {
                entries = children;
                matches = sub;
            }
            Action::Run(handler) => {
                let invocation = Invocation {
                    root,
                    matches: sub,
                    path,
                    tree,
                };
                return handler(&invocation).await;
            }
        }
    }
}
