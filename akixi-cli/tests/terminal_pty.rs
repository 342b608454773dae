//! Issue 21, item 8, on a pseudo-terminal: the password prompt names the login and the URL it
//! is for, and a table is cut to the terminal's width with a marker (piped, it is not:
//! `formats_values.rs`).

mod common;

use std::process::Command;

use common::Sandbox;
use unicode_width::UnicodeWidthStr;

/// `akixi ARGS` of the sandbox on a pseudo-terminal, with `env` set.
fn on_terminal(s: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> rexpect::session::PtySession {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("akixi"));
    cmd.args(args)
        .env("AKIXI_SIM_STATE", s.state())
        .env("AKIXI_CONFIG", s.path("config.toml"))
        .env_remove("AKIXI_PROFILE")
        .env_remove("AKIXI_URL")
        .env_remove("AKIXI_USERNAME")
        .env_remove("AKIXI_PASSWORD");
    for (k, v) in env {
        cmd.env(k, v);
    }
    rexpect::session::spawn_command(cmd, Some(60_000)).expect("spawns on a pty")
}

#[test]
fn the_password_prompt_names_the_login_and_the_url() {
    let s = Sandbox::new();
    let mut p = on_terminal(
        &s,
        &[
            "user",
            "list",
            "--url",
            "http://ann:s3cret@127.0.0.1:9/XML",
            "--login",
            "ann@example.com",
            "--timeout",
            "2",
        ],
        &[],
    );
    let before = p
        .exp_string("Password for ann@example.com at http://ann@127.0.0.1:9/XML: ")
        .expect("the prompt");
    assert!(!before.contains("s3cret"), "{before}");
    p.send_line("not-the-password").expect("answers");
    let rest = p.exp_eof().expect("ends");
    assert!(
        !rest.contains("s3cret") && !rest.contains("not-the-password"),
        "{rest}"
    );
}

#[test]
fn a_table_is_cut_to_the_terminal_width_with_a_marker() {
    let s = Sandbox::new();
    let long = "L".repeat(300);
    s.add_user("long@example.com", &["--full-name", &long], 0);
    // A pseudo-terminal that reports no size: COLUMNS gives it.
    let mut p = on_terminal(
        &s,
        &["user", "list", "--search-query", "long@"],
        &[("COLUMNS", "60")],
    );
    // rexpect gives each byte as a char: read them back as UTF-8.
    let bytes: Vec<u8> = p
        .exp_eof()
        .expect("ends")
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| l.contains("Username") || l.contains("long@example.com"))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    for l in &lines {
        assert!(l.width() <= 60, "{l:?} is {} wide", l.width());
    }
    assert!(lines[1].contains("long@example.com"), "{text}");
    assert!(lines[1].ends_with('…'), "{text}");
}
