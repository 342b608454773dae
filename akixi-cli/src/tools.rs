//! The commands about the command line itself rather than a service: `completions` and
//! `man` (from the same command tree as everything else) and `spec check|expand` (the same
//! commands as `akixi-spec`, `akixi_schema::tool`).

use std::path::PathBuf;

use clap::{Arg, ArgMatches, Command};

use crate::error::CliError;
use crate::spec_cli::registry::Entry;

/// `completions`, `man` and `spec`.
pub fn entries() -> Vec<Entry> {
    let completions_command = Command::new("completions")
        .about("Print a shell completion script (from the same command tree as everything else)")
        .arg(
            Arg::new("shell")
                .required(true)
                .value_parser(clap::value_parser!(clap_complete::Shell)),
        );
    let man_command = Command::new("man")
        .about("Print the man page, or with --out write one per command")
        .arg(
            Arg::new("out")
                .long("out")
                .value_name("DIR")
                .value_parser(clap::value_parser!(PathBuf))
                .help("Write akixi.1 and one page per command (akixi-user-add.1, …) here"),
        );
    let spec = Command::new("spec")
        .about("Maintainers' tools for the spec tables")
        .subcommand_required(true);
    let check = Command::new("check")
        .about("Load and check the spec")
        .arg(Arg::new("dir").default_value("spec"));
    let expand = Command::new("expand")
        .about("Print the Rust generated from the spec")
        .arg(Arg::new("dir").default_value("spec"))
        .arg(Arg::new("service").default_value("akixi"));
    vec![
        Entry::run(completions_command, |i| {
            Box::pin(async move { completions(i.matches, i.tree) })
        }),
        Entry::run(man_command, |i| {
            Box::pin(async move { man_pages(i.matches, i.tree) })
        }),
        Entry::group(
            spec,
            vec![
                Entry::run(check, |i| {
                    Box::pin(
                        async move { spec_report(akixi_schema::tool::check(&spec_dir(i.matches))) },
                    )
                }),
                Entry::run(expand, |i| {
                    Box::pin(async move {
                        let service = i
                            .matches
                            .get_one::<String>("service")
                            .map_or("akixi", String::as_str);
                        spec_report(akixi_schema::tool::expand(&spec_dir(i.matches), service))
                    })
                }),
            ],
        ),
    ]
}

/// `akixi completions SHELL`.
fn completions(m: &ArgMatches, tree: &Command) -> Result<(), CliError> {
    let Some(shell) = m.get_one::<clap_complete::Shell>("shell") else {
        return Err(CliError::Usage(
            "completions bash|zsh|fish|powershell|elvish".into(),
        ));
    };
    clap_complete::generate(*shell, &mut tree.clone(), "akixi", &mut std::io::stdout());
    Ok(())
}

/// `akixi man [--out DIR]`: the root page on standard output, or every command's page in DIR.
fn man_pages(m: &ArgMatches, tree: &Command) -> Result<(), CliError> {
    let mut root = tree.clone();
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

/// Prints what an `akixi-spec` tool reported; a failure is the command's.
fn spec_report(report: akixi_schema::tool::Report) -> Result<(), CliError> {
    print!("{}", report.stdout);
    if report.ok {
        Ok(())
    } else {
        Err(CliError::Failure(report.stderr.trim_end().to_owned()))
    }
}

/// The spec directory argument.
fn spec_dir(m: &ArgMatches) -> String {
    m.get_one::<String>("dir")
        .map_or("spec", String::as_str)
        .to_owned()
}
