//! The command against a service at a URL (a simulator started here): named profiles and their
//! precedence (flags, then environment variables, then the profile), and a server whose pages
//! never advance, which a list or an export must refuse rather than loop on.

mod common;

use std::net::SocketAddr;

use akixi_sim::{Config, HashCost, Simulator, SimulatorHandle};
use common::Sandbox;
use serde_json::Value;

const ADMIN: &str = "root@remote.invalid";
const PASSWORD: &str = "remote-secret";

async fn simulator(s: &Sandbox) -> SimulatorHandle {
    Simulator::start(
        Config::default()
            .state(s.path("remote.sqlite"))
            .admin(ADMIN, PASSWORD)
            .hash_cost(HashCost::Minimal),
    )
    .await
    .expect("the simulator starts")
}

/// Runs the blocking command-line checks off the runtime that serves the simulator.
async fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("joins")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_apply_under_environment_variables_and_flags() {
    let s = Sandbox::new();
    let sim = simulator(&s).await;
    let url = sim.url().to_owned();
    let password = s.path("password");
    std::fs::write(&password, format!("{PASSWORD}\n")).expect("write");
    let config = format!(
        "default-profile = \"remote\"\n\n[profiles.remote]\nurl = \"{url}\"\nlogin = \"{ADMIN}\"\npassword-file = \"{}\"\n\n[profiles.by-command]\nurl = \"{url}\"\nlogin = \"{ADMIN}\"\npassword-command = \"cat '{}'\"\n\n[profiles.dead]\nurl = \"http://127.0.0.1:1/XML\"\nlogin = \"{ADMIN}\"\npassword-file = \"{}\"\n",
        password.display(),
        password.display(),
        password.display()
    );
    std::fs::write(s.path("config.toml"), config).expect("write");
    off_runtime(move || {
        // The default profile: the remote simulator, whose administrator is its own.
        let doc = s.json(&["user", "list"], 0);
        assert!(
            common::usernames_in(&doc).iter().any(|u| u == ADMIN),
            "{doc}"
        );
        // Named by flag, by environment variable; a password from a command.
        s.json(&["user", "list", "--profile", "by-command"], 0);
        let out = s
            .akixi()
            .args(["user", "list", "--format", "json"])
            .env("AKIXI_PROFILE", "by-command")
            .output()
            .expect("runs");
        assert!(out.status.success(), "{out:?}");
        // The environment overrides the profile's URL, and then the profile's sign-in is not
        // sent there: another service needs its own login.
        let out = s
            .akixi()
            .args(["user", "list"])
            .env("AKIXI_URL", "http://127.0.0.1:1/XML")
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(64), "{err}");
        assert!(err.contains("--login"), "{err}");
        let password_file = password.to_str().expect("utf-8").to_string();
        let out = s
            .akixi()
            .args([
                "user",
                "list",
                "--login",
                ADMIN,
                "--password-file",
                &password_file,
            ])
            .env("AKIXI_URL", "http://127.0.0.1:1/XML")
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("127.0.0.1:1"), "{err}");
        // … and a flag overrides the environment.
        let out = s
            .akixi()
            .args(["user", "list", "--url", &url, "--format", "json"])
            .env("AKIXI_URL", "http://127.0.0.1:1/XML")
            .output()
            .expect("runs");
        assert!(out.status.success(), "{out:?}");
        // A flag overrides a profile that would fail (with a sign-in of its own).
        s.json(
            &[
                "user",
                "list",
                "--profile",
                "dead",
                "--url",
                &url,
                "--login",
                ADMIN,
                "--password-file",
                &password_file,
            ],
            0,
        );
        let (_, err) = s.run(&["user", "list", "--profile", "dead"], 1);
        assert!(err.contains("127.0.0.1:1"), "{err}");
        let (_, err) = s.run(&["user", "list", "--profile", "nope"], 64);
        assert!(
            err.contains("no profile `nope`") && err.contains("by-command"),
            "{err}"
        );

        let (list, _) = s.run(&["config", "list"], 0);
        assert!(
            list.contains("* remote") && list.contains("by-command"),
            "{list}"
        );
        let (show, _) = s.run(&["config", "show", "by-command"], 0);
        assert!(
            show.contains("password-command") && show.contains(&url),
            "{show}"
        );

        // A profile never holds a password.
        let mut config = std::fs::read_to_string(s.path("config.toml")).expect("read");
        config.push_str("password = \"no\"\n");
        std::fs::write(s.path("config.toml"), config).expect("write");
        let (_, err) = s.run(&["user", "list"], 64);
        assert!(err.contains("never holds a password"), "{err}");
    })
    .await;
    sim.shutdown().await.expect("stops");
}

/// A proxy to `upstream` that rewrites every list request's `Offset` to 0: a server that
/// ignores `Offset`, whose full pages never advance.
async fn offset_ignoring_proxy(upstream: String) -> SocketAddr {
    let client = reqwest::Client::new();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri, body: String| {
        let client = client.clone();
        let upstream = upstream.clone();
        async move {
            let body = match (body.find("<Offset>"), body.find("</Offset>")) {
                (Some(a), Some(b)) if a < b => {
                    format!("{}<Offset>0{}", &body[..a], &body[b..])
                }
                _ => body,
            };
            let base = upstream.trim_end_matches(upstream_path(&upstream));
            let answer = client
                .post(format!("{base}{}", uri.path()))
                .header("content-type", "text/xml")
                .body(body)
                .send()
                .await
                .expect("the simulator answers");
            answer.text().await.expect("text")
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

fn upstream_path(url: &str) -> &str {
    url.find("://")
        .and_then(|i| url[i + 3..].find('/').map(|j| &url[i + 3 + j..]))
        .unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_whose_pages_never_advance_is_refused_by_list_and_export() {
    let s = Sandbox::new();
    let sim = simulator(&s).await;
    let url = sim.url().to_owned();
    let proxy = offset_ignoring_proxy(url.clone()).await;
    let proxied = format!("http://{proxy}{}", upstream_path(&url));
    off_runtime(move || {
        // Pages of one: the first page is full and comes back forever.
        let run = |args: &[&str], code: i32| {
            let mut cmd = s.akixi();
            cmd.args(args)
                .args(["--url", &proxied, "--login", ADMIN])
                .env("AKIXI_PASSWORD", PASSWORD);
            common::expect_exit(&mut cmd, args, code)
        };
        run(&["user", "add", "--username", "second@remote.invalid"], 0);
        for args in [
            &["user", "list", "--page-size", "1"][..],
            &["user", "export", "--page-size", "1"][..],
        ] {
            let (_, err) = run(args, 1);
            assert!(err.contains("same full page"), "{args:?}: {err}");
        }
        // Pages larger than the list end at once, through the same proxy.
        let (so, _) = run(&["user", "list", "--format", "json"], 0);
        let mut direct = s.akixi();
        direct
            .args([
                "user", "list", "--format", "json", "--url", &url, "--login", ADMIN,
            ])
            .env("AKIXI_PASSWORD", PASSWORD);
        let (direct, _) = common::expect_exit(&mut direct, &["direct"], 0);
        let direct: Value = serde_json::from_str(direct.trim()).expect("json");
        let proxied: Value = serde_json::from_str(so.trim()).expect("json");
        assert_eq!(
            common::usernames_in(&proxied),
            common::usernames_in(&direct)
        );
    })
    .await;
    sim.shutdown().await.expect("stops");
}
