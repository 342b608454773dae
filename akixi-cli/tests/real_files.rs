//! Files as administrators have them: the repository's `examples/` (a spreadsheet's CSV with a
//! byte order mark and CRLF line ends, a `;`-separated one, directory entries with a quoted line
//! break), CRLF and LF files reported at the same lines, two rows for one entry, loose and
//! unknown headers, delimiters, standard input, JSON Lines in a `.json` file, and rows checked
//! for their own telephony server's platform, read from the service (the embedded simulator, and
//! a simulator served over HTTP).

mod common;

use std::path::{Path, PathBuf};

use akixi_sim::{Config, HashCost, Simulator};
use common::{Sandbox, expect_exit};
use serde_json::Value;

/// A file of the repository's `examples/` folder.
fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("examples")
        .join(name)
}

fn text(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Every `line N` a message names, in order.
fn lines_named(stderr: &str) -> Vec<u64> {
    stderr
        .lines()
        .filter_map(|l| l.split("line ").nth(1))
        .filter_map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
        })
        .collect()
}

/// Writes `lines` joined by `eol` (every line ended by it).
/// The record `directory-entry info` prints (as JSON) for `number` in `partition` of telephony
/// server 1.
fn entry_record(s: &Sandbox, partition: &str, number: &str) -> Value {
    let args = [
        "directory-entry",
        "info",
        "--tel-sys-id",
        "1",
        "--part-id-in-tel-sys",
        partition,
        "--telephone-number",
        number,
    ];
    s.json(&args, 0)["records"][0].clone()
}

fn write_lines(path: &Path, lines: &[&str], eol: &str) {
    let body: String = lines.iter().map(|l| format!("{l}{eol}")).collect();
    std::fs::write(path, body).expect("write");
}

#[test]
fn the_examples_import_dry_run_and_for_real() {
    let s = Sandbox::new();
    let users = example("users.csv");
    let raw = std::fs::read(&users).expect("examples/users.csv");
    assert!(
        raw.starts_with(b"\xEF\xBB\xBF"),
        "a spreadsheet's UTF-8 CSV"
    );
    assert!(raw.windows(2).any(|w| w == b"\r\n"), "CRLF line ends");

    // The extra column is fatal, with the way out named; the loose header is read.
    let (_, err) = s.run(&["user", "import", text(&users), "--dry-run"], 64);
    assert!(
        err.contains("`Department`") && err.contains("--ignore-unknown-columns"),
        "{err}"
    );
    let (out, err) = s.run(
        &[
            "user",
            "import",
            text(&users),
            "--dry-run",
            "--ignore-unknown-columns",
        ],
        0,
    );
    assert!(out.contains("5 row(s) checked"), "{out}");
    assert!(err.contains("`Full Name` as FullName"), "{err}");
    assert!(err.contains("`Department` (column 10)"), "{err}");
    assert!(
        !s.usernames()
            .contains(&"ann.example@example.com".to_string())
    );

    let (out, _) = s.run(
        &["user", "import", text(&users), "--ignore-unknown-columns"],
        0,
    );
    assert!(out.contains("5 succeeded"), "{out}");
    let ann = s.user("ann.example@example.com");
    assert_eq!(ann["FullName"], "Ann Example");
    assert_eq!(ann["EmailAddr"], "ann.example@example.com");
    let siobhan = s.user("siobhan.obrien@example.com");
    assert_eq!(siobhan["FullName"], "O'Brien, Siobhán");
    let zoe = s.user("zoe.lefevre@example.com");
    assert_eq!(zoe["Scope"]["TelSysID"], 3);

    // The `;`-separated variant: sniffed.
    let semi = example("users-semicolon.csv");
    let (out, _) = s.run(
        &[
            "user",
            "import",
            text(&semi),
            "--ignore-unknown-columns",
            "--dry-run",
        ],
        0,
    );
    assert!(out.contains("2 row(s) checked"), "{out}");
    let (out, _) = s.run(
        &["user", "import", text(&semi), "--ignore-unknown-columns"],
        0,
    );
    assert!(out.contains("2 succeeded"), "{out}");
    let lars = s.user("lars.noergaard@example.com");
    assert_eq!(lars["FullName"], "Nørgaard; Lars");

    // Directory entries, one with a line break in its description.
    let entries = example("directory-entries.csv");
    let (out, _) = s.run(
        &["directory-entry", "import", text(&entries), "--dry-run"],
        0,
    );
    assert!(out.contains("4 row(s) checked"), "{out}");
    let (out, _) = s.run(&["directory-entry", "import", text(&entries)], 0);
    assert!(out.contains("4 succeeded"), "{out}");
    let entry = entry_record(&s, "2", "02079460003");
    assert_eq!(entry["Description"], "Out of hours\nAnswering service");
    let freephone = entry_record(&s, "2", "08009460004");
    assert_eq!(freephone["Description"], "Freephone: \"Support\"");
}

/// A users file with a quoted line break, a bad Boolean (line 5), a row the service refuses
/// (server 999, line 6) and a row on a HiPath server with a BroadWorks-only property (line 7).
const MIXED: &[&str] = &[
    "Username,FullName,LockOut,Scope.TelSysID,SynchroniseSupervisorPermissions",
    "one@example.com,\"Two",
    "lines\",False,1,",
    "two@example.com,Plain,False,1,True",
    "bad@example.com,Bad,perhaps,1,",
    "nowhere@example.com,Nowhere,False,999,",
    "hipath@example.com,HiPath,False,3,True",
];

#[test]
fn crlf_and_lf_files_are_reported_at_the_same_lines() {
    let s = Sandbox::new();
    let lf = s.path("lf.csv");
    let crlf = s.path("crlf.csv");
    write_lines(&lf, MIXED, "\n");
    write_lines(&crlf, MIXED, "\r\n");
    // Dry run.
    let mut seen = Vec::new();
    for file in [&lf, &crlf] {
        let (_, err) = s.run(&["user", "import", text(file), "--dry-run"], 64);
        seen.push(lines_named(&err));
    }
    assert_eq!(seen[0], vec![5, 7], "LF: {seen:?}");
    assert_eq!(seen[0], seen[1], "CRLF counts as LF does");

    // The real run's results file: the rows the client passes, one refused by the service.
    let passing: Vec<&str> = MIXED
        .iter()
        .copied()
        .filter(|l| !l.starts_with("bad@") && !l.starts_with("hipath@"))
        .collect();
    let mut results_lines = Vec::new();
    for (name, eol) in [("lf", "\n"), ("crlf", "\r\n")] {
        let s = Sandbox::new();
        let file = s.path(&format!("{name}.csv"));
        write_lines(&file, &passing, eol);
        let results = s.path(&format!("{name}-results.csv"));
        expect_exit(
            s.akixi()
                .args(["user", "import", text(&file), "--results", text(&results)]),
            &[name],
            2,
        );
        let mut r = csv::Reader::from_path(&results).expect("results");
        let mut lines: Vec<(String, String, String)> = r
            .records()
            .map(|x| x.expect("row"))
            .map(|x| (x[0].to_string(), x[1].to_string(), x[2].to_string()))
            .collect();
        lines.sort();
        results_lines.push(lines);
    }
    assert_eq!(results_lines[0], results_lines[1], "CRLF results as LF");
    let lines: Vec<&str> = results_lines[0].iter().map(|l| l.0.as_str()).collect();
    // one@ starts at line 2 (its cell spans 3), two@ is line 4, nowhere@ line 5.
    assert_eq!(lines, ["2", "4", "5"], "{:?}", results_lines[0]);
    assert!(
        results_lines[0]
            .iter()
            .any(|(line, key, outcome)| line == "5"
                && key == "nowhere@example.com"
                && outcome != "succeeded"),
        "{:?}",
        results_lines[0]
    );

    // Plan: the same line numbers for both files.
    let mut plans = Vec::new();
    for (name, eol) in [("plan-lf", "\n"), ("plan-crlf", "\r\n")] {
        let file = s.path(&format!("{name}.csv"));
        write_lines(
            &file,
            &[
                "Username,FullName,Scope.TelSysID",
                "p1@example.com,\"Multi",
                "line\",1",
                "p2@example.com,Two,1",
                "p1@example.com,Again,1",
            ],
            eol,
        );
        let (_, err) = s.run(
            &["user", "plan", text(&file), "--where", "Scope.TelSysID=1"],
            64,
        );
        assert!(
            err.contains("line 5: the same entry (p1@example.com) as line 2"),
            "{err}"
        );
        plans.push(err.replace(text(&file), "FILE"));
    }
    assert_eq!(plans[0], plans[1]);
}

#[test]
fn two_rows_for_one_entry_are_refused_in_dry_run_and_real_run() {
    let s = Sandbox::new();
    let users = s.path("dup.csv");
    write_lines(
        &users,
        &[
            "Username,FullName,Scope.TelSysID",
            "dup@example.com,First,1",
            "other@example.com,Other,1",
            " dup@example.com ,Second,1",
        ],
        "\r\n",
    );
    for dry in [true, false] {
        let mut args = vec!["user", "import", text(&users)];
        if dry {
            args.push("--dry-run");
        }
        let (_, err) = s.run(&args, 64);
        assert!(
            err.contains("line 4: the same entry") && err.contains("as line 2"),
            "{err}"
        );
        assert!(err.contains("nothing was sent"), "{err}");
    }
    let names = s.usernames();
    assert!(
        !names.contains(&"dup@example.com".to_string())
            && !names.contains(&"other@example.com".to_string()),
        "nothing was sent: {names:?}"
    );
    // A composite key, spelt two ways (03 is 3).
    let entries = s.path("entries.csv");
    write_lines(
        &entries,
        &[
            "TelSysID,PartIDInTelSys,TelephoneNumber,Description",
            "1,2,02079469999,Once",
            "01,02,02079469999,Twice",
        ],
        "\n",
    );
    let (_, err) = s.run(
        &["directory-entry", "import", text(&entries), "--dry-run"],
        64,
    );
    assert!(err.contains("line 3: the same entry"), "{err}");
    assert!(err.contains("as line 2"), "{err}");
}

#[test]
fn headers_match_loosely_and_unknown_ones_get_suggestions() {
    let s = Sandbox::new();
    let file = s.path("loose.csv");
    write_lines(
        &file,
        &[
            "USERNAME,full name,Email,scope tel sys id",
            "loose@example.com,Loose Goose,loose@example.com,1",
        ],
        "\n",
    );
    let (_, err) = s.run(&["user", "import", text(&file), "--dry-run"], 64);
    assert!(err.contains("did you mean `EmailAddr`?"), "{err}");
    assert!(err.contains("--ignore-unknown-columns"), "{err}");
    assert!(
        err.contains("`full name` as FullName") && err.contains("`USERNAME` as Username"),
        "{err}"
    );
    let (_, err) = s.run(
        &["user", "import", text(&file), "--ignore-unknown-columns"],
        0,
    );
    assert!(
        err.contains("`Email` (column 3; did you mean `EmailAddr`?)"),
        "ignored columns are listed: {err}"
    );
    let doc = s.user("loose@example.com");
    assert_eq!(doc["FullName"], "Loose Goose");
    assert_eq!(doc["Scope"]["TelSysID"], 1);

    // FULLNAME and E-mail Addr are read; TelSysID alone could be two properties; a property
    // given twice is refused.
    write_lines(
        &file,
        &[
            "Username,FULLNAME,E-mail Addr,TelSysID,Full_Name",
            "loose2@example.com,A,a@example.com,1,B",
        ],
        "\n",
    );
    let (_, err) = s.run(&["user", "import", text(&file), "--dry-run"], 64);
    assert!(
        err.contains("`FULLNAME` as FullName") && err.contains("`E-mail Addr` as EmailAddr"),
        "{err}"
    );
    assert!(
        err.contains("`TelSysID` could be any of") && err.contains("Scope.TelSysID"),
        "{err}"
    );
    assert!(
        err.contains("`Full_Name` is FullName again (column 2)"),
        "{err}"
    );
}

#[test]
fn delimiters_are_sniffed_or_given() {
    let s = Sandbox::new();
    let semi = s.path("semi.csv");
    write_lines(
        &semi,
        &[
            "Username;FullName;Scope.TelSysID",
            "semi@example.com;\"Semi; Colon\";1",
        ],
        "\r\n",
    );
    let tab = s.path("tab.tsv");
    write_lines(
        &tab,
        &[
            "Username\tFullName\tScope.TelSysID",
            "tab@example.com\tTab, Bed\t1",
        ],
        "\n",
    );
    let pipe = s.path("pipe.csv");
    write_lines(
        &pipe,
        &[
            "Username|FullName|Scope.TelSysID",
            "pipe@example.com|Pipe|1",
        ],
        "\n",
    );
    s.run(&["user", "import", text(&semi)], 0);
    s.run(&["user", "import", text(&tab)], 0);
    s.run(&["user", "import", text(&pipe), "--dry-run"], 64);
    s.run(&["user", "import", text(&pipe), "--delimiter", "|"], 0);
    let (_, err) = s.run(&["user", "import", text(&pipe), "--delimiter", "pipes"], 64);
    assert!(err.contains("--delimiter"), "{err}");
    let doc = s.user("semi@example.com");
    assert_eq!(doc["FullName"], "Semi; Colon");
    let doc = s.user("tab@example.com");
    assert_eq!(doc["FullName"], "Tab, Bed");
    assert!(s.usernames().contains(&"pipe@example.com".to_string()));
}

#[test]
fn standard_input_is_read_wherever_a_file_is() {
    let s = Sandbox::new();
    let csv = "\u{feff}Username,FullName,Scope.TelSysID\r\nstdin@example.com,From Stdin,1\r\n";
    let (out, _) = expect_exit(
        s.akixi()
            .args(["user", "import", "-", "--dry-run"])
            .write_stdin(csv),
        &["import - --dry-run"],
        0,
    );
    assert!(out.contains("1 row(s) checked"), "{out}");
    expect_exit(
        s.akixi().args(["user", "import", "-"]).write_stdin(csv),
        &["import -"],
        0,
    );
    // JSON Lines on standard input (told by content).
    let jsonl = "{\"Username\":\"jsonl@example.com\",\"Scope\":{\"TelSysID\":1}}\n";
    expect_exit(
        s.akixi().args(["user", "import", "-"]).write_stdin(jsonl),
        &["import - (JSON Lines)"],
        0,
    );
    assert!(s.usernames().contains(&"jsonl@example.com".to_string()));

    // plan, drift and apply of the partition's directory entries, from standard input.
    let (export, _) = s.run(
        &[
            "directory-entry",
            "export",
            "--tel-sys-id",
            "1",
            "--part-id-in-tel-sys",
            "2",
        ],
        0,
    );
    let scope = ["--tel-sys-id", "1", "--part-id-in-tel-sys", "2"];
    let with = |cmd: &'static str| {
        let mut a = vec!["directory-entry", cmd, "-"];
        a.extend(scope);
        a
    };
    let (out, _) = expect_exit(
        s.akixi().args(with("plan")).write_stdin(export.clone()),
        &["plan -"],
        0,
    );
    assert!(out.contains("0 to add, 0 to change"), "{out}");
    expect_exit(
        s.akixi().args(with("drift")).write_stdin(export.clone()),
        &["drift -"],
        0,
    );
    let more = format!("{export}1,2,02079461234,Added from stdin\n");
    expect_exit(
        s.akixi().args(with("apply")).write_stdin(more),
        &["apply -"],
        0,
    );
    let doc = entry_record(&s, "2", "02079461234");
    assert_eq!(doc["Description"], "Added from stdin");

    // A saved plan, and a list of protected keys, from standard input too.
    let desired = s.path("entries.csv");
    std::fs::write(&desired, format!("{export}1,2,02079469999,Planned\n")).expect("write");
    let saved = s.path("plan.json");
    let mut plan = vec!["directory-entry", "plan", desired.to_str().expect("utf-8")];
    plan.extend(scope);
    plan.extend(["--out", saved.to_str().expect("utf-8")]);
    s.run(&plan, 0);
    let plan_text = std::fs::read_to_string(&saved).expect("saved plan");
    expect_exit(
        s.akixi()
            .args(["directory-entry", "apply", "--plan", "-"])
            .write_stdin(plan_text),
        &["apply --plan -"],
        0,
    );
    let mut protect = vec!["directory-entry", "plan", desired.to_str().expect("utf-8")];
    protect.extend(scope);
    protect.extend(["--protect", "-"]);
    expect_exit(
        s.akixi()
            .args(&protect)
            .write_stdin("# nothing protected\n"),
        &["plan --protect -"],
        0,
    );

    // bulk-upload's CSV flag.
    expect_exit(
        s.akixi()
            .args([
                "directory-entry",
                "bulk-upload",
                "--tel-sys-id",
                "1",
                "--part-id-in-tel-sys",
                "3",
                "--csv-data",
                "-",
            ])
            .write_stdin("TelephoneNumber,Description\n02079465555,Bulk from stdin\n"),
        &["bulk-upload --csv-data -"],
        0,
    );
    let doc = entry_record(&s, "3", "02079465555");
    assert_eq!(doc["Description"], "Bulk from stdin");
}

#[test]
fn json_lines_in_a_json_file_are_read_by_content() {
    let s = Sandbox::new();
    let file = s.path("users.json");
    write_lines(
        &file,
        &[
            "{\"Username\":\"jl1@example.com\",\"FullName\":\"One\",\"Scope\":{\"TelSysID\":1}}",
            "",
            "{\"Username\":\"jl2@example.com\",\"FullName\":\"Two\",\"Scope\":{\"TelSysID\":1},\"Department\":\"IT\"}",
        ],
        "\r\n",
    );
    let (_, err) = s.run(&["user", "import", text(&file), "--dry-run"], 64);
    assert!(
        err.contains("line 3") && err.contains("Department is not a property"),
        "{err}"
    );
    let (out, err) = s.run(
        &["user", "import", text(&file), "--ignore-unknown-columns"],
        0,
    );
    assert!(out.contains("2 succeeded"), "{out}");
    assert!(
        err.contains("Department"),
        "the ignored name is listed: {err}"
    );
    // A JSON document in a file named otherwise.
    let doc = s.path("users.txt");
    std::fs::write(
        &doc,
        "[{\"Username\":\"jl3@example.com\",\"Scope\":{\"TelSysID\":1}}]",
    )
    .expect("write");
    let (out, _) = s.run(&["user", "import", text(&doc), "--dry-run"], 0);
    assert!(out.contains("1 row(s) checked"), "{out}");
    // A misspelt name gets a suggestion.
    std::fs::write(
        &file,
        "{\"Username\":\"jl4@example.com\",\"Email\":\"x@example.com\"}\n",
    )
    .expect("write");
    let (_, err) = s.run(&["user", "import", text(&file), "--dry-run"], 64);
    assert!(err.contains("did you mean `EmailAddr`"), "{err}");
}

/// A users file with a row on each of a BroadWorks server (1) and a HiPath one (3), both
/// setting the BroadWorks-only SynchroniseSupervisorPermissions.
fn per_server_rows(s: &Sandbox) -> (PathBuf, PathBuf) {
    let hipath = s.path("hipath.csv");
    write_lines(
        &hipath,
        &[
            "Username,Scope.TelSysID,SynchroniseSupervisorPermissions",
            "ok.broadworks@example.com,1,True",
            "refused.hipath@example.com,3,True",
        ],
        "\r\n",
    );
    let broadworks = s.path("broadworks.csv");
    write_lines(
        &broadworks,
        &[
            "Username,Scope.TelSysID,SynchroniseSupervisorPermissions",
            "ok.broadworks@example.com,1,True",
        ],
        "\r\n",
    );
    (hipath, broadworks)
}

#[test]
fn rows_are_checked_for_their_servers_platform_and_platform_overrides() {
    let s = Sandbox::new();
    let (hipath, broadworks) = per_server_rows(&s);
    let (_, err) = s.run(&["user", "import", text(&hipath), "--dry-run"], 64);
    assert!(
        err.contains("line 3") && err.contains("SynchroniseSupervisorPermissions"),
        "{err}"
    );
    assert!(!err.contains("line 2"), "{err}");
    // A plan checks its desired rows the same way.
    let (_, err) = s.run(&["user", "plan", text(&hipath)], 64);
    assert!(
        err.contains("line 3") && err.contains("HiPath3000 does not support"),
        "{err}"
    );
    // --platform overrides the servers' platforms: every row is checked for it.
    s.run(
        &[
            "user",
            "import",
            text(&hipath),
            "--dry-run",
            "--platform",
            "cisco-broadworks",
        ],
        0,
    );
    let (_, err) = s.run(
        &[
            "user",
            "import",
            text(&broadworks),
            "--dry-run",
            "--platform",
            "hipath3000",
        ],
        64,
    );
    assert!(err.contains("line 2"), "{err}");
    s.run(&["user", "import", text(&broadworks)], 0);
    assert!(
        s.usernames()
            .contains(&"ok.broadworks@example.com".to_string())
    );
}

const ADMIN: &str = "root@real-files.invalid";
const PASSWORD: &str = "real-files-secret";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_served_simulators_servers_decide_each_rows_platform() {
    let s = Sandbox::new();
    let sim = Simulator::start(
        Config::default()
            .state(s.path("served.sqlite"))
            .admin(ADMIN, PASSWORD)
            .hash_cost(HashCost::Minimal),
    )
    .await
    .expect("the simulator starts");
    let url = sim.url().to_owned();
    let password = s.path("password");
    std::fs::write(&password, format!("{PASSWORD}\n")).expect("write");
    tokio::task::spawn_blocking(move || {
        let (hipath, broadworks) = per_server_rows(&s);
        let remote = |args: &[&str], code: i32| {
            let mut a: Vec<&str> = args.to_vec();
            a.extend([
                "--url",
                &url,
                "--login",
                ADMIN,
                "--password-file",
                text(&password),
            ]);
            s.run(&a, code)
        };
        let listed = || remote(&["user", "list", "--format", "json"], 0).0;
        // No --platform: the HiPath row is refused before anything is sent …
        for dry in [true, false] {
            let mut args = vec!["user", "import", text(&hipath)];
            if dry {
                args.push("--dry-run");
            }
            let (_, err) = remote(&args, 64);
            assert!(
                err.contains("line 3") && err.contains("SynchroniseSupervisorPermissions"),
                "{err}"
            );
            assert!(!err.contains("line 2"), "{err}");
        }
        let users = listed();
        assert!(!users.contains("ok.broadworks@example.com"), "{users}");
        // … and the BroadWorks one passes.
        remote(&["user", "import", text(&broadworks), "--dry-run"], 0);
        let (out, _) = remote(&["user", "import", text(&broadworks)], 0);
        assert!(out.contains("1 succeeded"), "{out}");
        assert!(listed().contains("ok.broadworks@example.com"));
        // One request: the same check.
        let (_, err) = remote(
            &[
                "user",
                "add",
                "--username",
                "single.hipath@example.com",
                "--scope-tel-sys-id",
                "3",
                "--synchronise-supervisor-permissions",
                "True",
            ],
            64,
        );
        assert!(err.contains("SynchroniseSupervisorPermissions"), "{err}");
        remote(
            &[
                "user",
                "add",
                "--username",
                "single.broadworks@example.com",
                "--scope-tel-sys-id",
                "1",
                "--synchronise-supervisor-permissions",
                "True",
            ],
            0,
        );
        // A profile's platform is a default, not an override: server 1's rows still pass
        // under a HiPath profile.
        std::fs::write(
            s.path("config.toml"),
            format!(
                "[profiles.hipath]\nurl = \"{url}\"\nlogin = \"{ADMIN}\"\npassword-file = \"{}\"\nplatform = \"hipath3000\"\n",
                text(&password)
            ),
        )
        .expect("write");
        let (out, _) = s.run(
            &[
                "user",
                "import",
                text(&broadworks),
                "--dry-run",
                "--profile",
                "hipath",
            ],
            0,
        );
        assert!(out.contains("1 row(s) checked"), "{out}");
        s.run(
            &[
                "user",
                "import",
                text(&hipath),
                "--dry-run",
                "--profile",
                "hipath",
            ],
            64,
        );
    })
    .await
    .expect("joins");
    let _ = sim.shutdown().await;
}
