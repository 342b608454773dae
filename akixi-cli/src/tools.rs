//! The commands about the command line itself rather than a service: `completions` and
//! `man` (from the same command tree as everything else) and `spec check|expand` (the same
//! commands as `akixi-spec`, `akixi_schema::tool`), and `spec probe` (a live service against the
//! spec: `akixi_client::akixi_ws::probe`).

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
    let probe = Command::new("probe")
        .about("Probe a live akixi-ws service (--url, --login; password from --password-file or AKIXI_PASSWORD) against the spec: confirmed, refuted and untestable rows, and a spec patch")
        .arg(Arg::new("spec").long("spec").value_name("DIR").default_value("spec").help("The spec directory"))
        .arg(Arg::new("service").long("service").value_name("NAME").default_value("akixi").help("The spec's service to probe (akixi-ws only)"))
        .arg(Arg::new("allow-writes").long("allow-writes").action(clap::ArgAction::SetTrue).requires("scope").help("Also add, change and delete throw-away entities (akixi-probe-<random>), deleted afterwards"))
        .arg(Arg::new("scope").long("scope").value_name("ID").requires("allow-writes").help("Where throw-away entities go: the value of the binding's telephony-server property (a telephony server id)"))
        .arg(Arg::new("out").long("out").value_name("DIR").value_parser(clap::value_parser!(PathBuf)).help("Write report.md, report.json and the edited spec files (spec/…) here"))
        .arg(Arg::new("allow-http").long("allow-http").action(clap::ArgAction::SetTrue).help("Allow plain HTTP to a host that is not loopback"));
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
                Entry::run(probe, |i| {
                    Box::pin(async move { probe::run(i.matches).await })
                }),
            ],
        ),
    ]
}

mod probe {
    //! `akixi spec probe`.

    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use akixi_client::akixi_ws::probe::{self, ProbeReport, ProbeTarget, Status};
    use akixi_client::secret::Password;
    use clap::ArgMatches;

    use crate::error::CliError;

    fn flag<'a>(m: &'a ArgMatches, name: &str) -> Option<&'a str> {
        m.try_get_one::<String>(name)
            .ok()
            .flatten()
            .map(String::as_str)
    }

    /// The password: `--password-file`, else `AKIXI_PASSWORD`; never from the command line.
    fn password(m: &ArgMatches) -> Result<Password, CliError> {
        if let Some(file) = flag(m, "password-file") {
            return crate::spec_cli::matches::read_secret(file)
                .map(Password::new)
                .map_err(CliError::Usage);
        }
        std::env::var("AKIXI_PASSWORD")
            .map(Password::new)
            .map_err(|_| {
                CliError::Usage("no password: set AKIXI_PASSWORD or give --password-file".into())
            })
    }

    pub(super) async fn run(m: &ArgMatches) -> Result<(), CliError> {
        let url = flag(m, "url")
            .ok_or_else(|| CliError::Usage("spec probe needs --url (a live service)".into()))?;
        let login =
            flag(m, "login").ok_or_else(|| CliError::Usage("spec probe needs --login".into()))?;
        let dir = flag(m, "spec").unwrap_or("spec").to_owned();
        let service = flag(m, "service").unwrap_or("akixi").to_owned();
        let spec = akixi_schema::Spec::load(&dir).map_err(|diags| {
            CliError::Failure(format!(
                "the spec does not load (run `akixi spec check {dir}`): {} problems",
                diags.len()
            ))
        })?;
        let mut target = ProbeTarget::new(url, login, password(m)?);
        if m.get_flag("allow-writes")
            && let Some(scope) = flag(m, "scope")
        {
            target = target.allow_writes(scope);
        }
        target.allow_http = m.get_flag("allow-http");
        if let Some(t) = m.try_get_one::<u64>("timeout").ok().flatten() {
            target.timeout = Duration::from_secs(*t);
        }
        let report = match probe::run(&spec, &service, &target).await {
            Ok(report) => report,
            Err(probe::ProbeError::SignIn { message, report }) => {
                if let Some(out) = m.get_one::<PathBuf>("out") {
                    write_report(out, &report, &[])?;
                }
                return Err(CliError::Failure(message));
            }
            Err(e) => return Err(CliError::Failure(e.to_string())),
        };
        let patch = probe::patch::build(
            spec.service(&service)
                .ok_or_else(|| CliError::Failure("no service".into()))?,
            Path::new(&dir),
            &report,
        )
        .map_err(|e| CliError::Failure(format!("spec patch: {e}")))?;
        if let Some(out) = m.get_one::<PathBuf>("out") {
            write_report(out, &report, &patch)?;
        }
        if flag(m, "format") == Some("json") {
            println!("{}", json(&report)?);
        } else {
            print!("{}", summary(&report));
            if let Some(out) = m.get_one::<PathBuf>("out") {
                println!(
                    "report: {0}/report.md, {0}/report.json; edited spec files ({1}): {0}/spec/",
                    out.display(),
                    patch.len()
                );
            }
        }
        let leftover = report.entities.iter().any(|e| !e.cleaned_up);
        if leftover {
            return Err(CliError::Partial(
                "a throw-away entity was not deleted: see the report".into(),
            ));
        }
        Ok(())
    }

    fn json(report: &ProbeReport) -> Result<String, CliError> {
        serde_json::to_string_pretty(report).map_err(|e| CliError::Failure(e.to_string()))
    }

    fn summary(report: &ProbeReport) -> String {
        let mut out = format!(
            "probe of {} at {} ({}): {} confirmed, {} refuted, {} untestable\n",
            report.service,
            report.host,
            report.date,
            report.with_status(Status::Confirmed).count(),
            report.with_status(Status::Refuted).count(),
            report.with_status(Status::Untestable).count(),
        );
        let provisional = |s| report.with_status(s).filter(|f| f.provisional).count();
        out.push_str(&format!(
            "of them provisional rows: {} confirmed, {} refuted, {} untestable\n",
            provisional(Status::Confirmed),
            provisional(Status::Refuted),
            provisional(Status::Untestable),
        ));
        for f in report.with_status(Status::Refuted) {
            out.push_str(&format!("refuted: {}: {}", f.subject, f.detail));
            if let Some(fix) = &f.fix {
                out.push_str(&format!(" (fix: {})", probe::fix_text(fix)));
            }
            out.push('\n');
        }
        crate::terminal_text::escaped_lines(&out).into_owned()
    }

    fn write_report(
        out: &Path,
        report: &ProbeReport,
        patch: &[probe::patch::PatchedFile],
    ) -> Result<(), CliError> {
        let write = |path: PathBuf, text: &str| -> Result<(), CliError> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    CliError::Failure(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
            std::fs::write(&path, text)
                .map_err(|e| CliError::Failure(format!("cannot write {}: {e}", path.display())))
        };
        write(out.join("report.md"), &report.to_markdown())?;
        write(out.join("report.json"), &json(report)?)?;
        for file in patch {
            write(out.join("spec").join(&file.relative), &file.text)?;
        }
        Ok(())
    }
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
