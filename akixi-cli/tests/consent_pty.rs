//! `apply --prune` on a pseudo-terminal: it shows what it will delete and asks, and only `yes`
//! approves; anything else deletes nothing. Without a terminal and without `--yes` it deletes
//! nothing and exits 64.

#![cfg(unix)]

mod common;

use std::process::Command;

use common::{Sandbox, write_csv};
use rexpect::process::WaitStatus;

const HEADER: &str = "Username,FullName,Scope.TelSysID";

fn users(s: &Sandbox) -> Vec<String> {
    common::usernames_in(&s.json(&["user", "list"], 0))
        .into_iter()
        .filter(|u| u.ends_with("@pty.invalid"))
        .collect()
}

/// Runs `args` on a pseudo-terminal, answers the question with `answer`; what it printed
/// (stdout and stderr together) and its exit code.
fn answered(s: &Sandbox, args: &[&str], answer: &str) -> (String, i32) {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("akixi"));
    cmd.args(args)
        .env("AKIXI_SIM_STATE", s.state())
        .env("AKIXI_CONFIG", s.path("config.toml"))
        .env_remove("AKIXI_PROFILE")
        .env_remove("AKIXI_URL");
    let mut p = rexpect::session::spawn_command(cmd, Some(60_000)).expect("spawns on a pty");
    let mut seen = p
        .exp_string("Only 'yes' will be accepted to approve.")
        .expect("the question");
    seen.push_str(&p.exp_string("Enter a value:").expect("the prompt"));
    p.send_line(answer).expect("answers");
    seen.push_str(&p.exp_eof().expect("ends"));
    let code = match p.process().wait().expect("waits") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("{other:?}: {seen}"),
    };
    (seen, code)
}

#[test]
fn apply_prune_on_a_terminal_deletes_only_when_answered_yes() {
    let s = Sandbox::new();
    let rows = |ids: std::ops::Range<usize>| -> Vec<String> {
        ids.map(|i| format!("p{i}@pty.invalid,Pty {i},4")).collect()
    };
    write_csv(&s.path("start.csv"), HEADER, &rows(0..4));
    let start = s.path("start.csv").to_str().expect("utf-8").to_string();
    s.run(&["user", "import", &start], 0);
    write_csv(&s.path("keep.csv"), HEADER, &rows(0..2));
    let keep = s.path("keep.csv").to_str().expect("utf-8").to_string();
    let apply = [
        "user",
        "apply",
        &keep,
        "--prune",
        "--where",
        "Scope.TelSysID=4",
    ];

    for answer in ["no", "", "y", "YES", "yes please"] {
        let (seen, code) = answered(&s, &apply, answer);
        assert!(
            seen.contains("- delete p2@pty.invalid")
                && seen.contains("This apply deletes 2 of the 4 User entries")
                && seen.contains("Do you want to delete 2 users?"),
            "{seen}"
        );
        assert!(
            seen.contains("cancelled (only 'yes' approves); nothing was sent"),
            "{seen}"
        );
        assert_eq!(code, 1, "{answer:?}: {seen}");
        assert_eq!(users(&s).len(), 4, "{answer:?} deleted something");
    }

    // Without a terminal and without --yes: nothing deleted, exit 64.
    let (_, err) = s.run(&apply, 64);
    assert!(err.contains("no terminal to ask on"), "{err}");
    assert_eq!(users(&s).len(), 4);

    let (seen, code) = answered(&s, &apply, "yes");
    assert_eq!(code, 0, "{seen}");
    let mut left = users(&s);
    left.sort();
    assert_eq!(left, ["p0@pty.invalid", "p1@pty.invalid"], "{seen}");
}
