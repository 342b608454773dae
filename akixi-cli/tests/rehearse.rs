//! `--rehearse`: a plan's requests tried on a copy of the service, as the same caller, before
//! anything is sent. The "real" service is a simulator over TCP behind a proxy that counts the
//! requests it passes on by operation: a rehearsal sends it reads only. Each way a plan fails
//! for real (a permission the caller lacks, a deleted partition, a property the server's
//! platform refuses, a partial failure) is reported by the rehearsal; a clean rehearsal and
//! the real apply end in the same state; `--sim-from-snapshot` snapshots back identical.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use akixi_client::akixi::SERVICE;
use akixi_client::runtime::akixi_ws::OpKind;
use akixi_sim::{Config, HashCost, Simulator, SimulatorHandle};
use common::Sandbox;

const ADMIN: &str = "admin@akixi-sim.invalid";
const BROADWORKS: &str = "supervisor.broadworks@akixi-sim.invalid";
const HIPATH: &str = "supervisor.hipath@akixi-sim.invalid";
const PW: &str = "Rehearsal-pa55word";

/// The requests the proxy passed on, by operation.
#[derive(Default)]
struct Counts(Mutex<HashMap<String, usize>>);

impl Counts {
    fn writes(&self) -> Vec<(String, usize)> {
        let counts = self.0.lock().expect("counts");
        counts
            .iter()
            .filter(|(op, _)| {
                SERVICE.operations.iter().any(|o| {
                    o.name == op.as_str()
                        && matches!(
                            o.kind,
                            OpKind::Add | OpKind::Change | OpKind::Delete | OpKind::BulkAdd
                        )
                })
            })
            .map(|(k, v)| (k.clone(), *v))
            .collect()
    }
    fn total(&self) -> usize {
        self.0.lock().expect("counts").values().sum()
    }
    fn clear(&self) {
        self.0.lock().expect("counts").clear();
    }
}

struct Service {
    sim: SimulatorHandle,
    url: String,
    counts: Arc<Counts>,
}

async fn forward(
    axum::extract::State((target, counts)): axum::extract::State<(String, Arc<Counts>)>,
    body: String,
) -> (
    axum::http::StatusCode,
    [(&'static str, &'static str); 1],
    String,
) {
    let op = body
        .split_once("Operation=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("?", |(op, _)| op)
        .to_owned();
    *counts.0.lock().expect("counts").entry(op).or_default() += 1;
    let reply = reqwest::Client::new()
        .post(&target)
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(body)
        .send()
        .await
        .expect("the simulator answers");
    let status = axum::http::StatusCode::from_u16(reply.status().as_u16()).expect("status");
    let text = reply.text().await.expect("body");
    (status, [("Content-Type", "text/xml; charset=utf-8")], text)
}

async fn service() -> Service {
    let sim = Simulator::start(
        Config::default()
            .admin(ADMIN, PW)
            .demo_password(BROADWORKS, PW)
            .demo_password(HIPATH, PW)
            .hash_cost(HashCost::Minimal),
    )
    .await
    .expect("starts");
    let counts = Arc::new(Counts::default());
    let app = axum::Router::new()
        .fallback(axum::routing::post(forward))
        .with_state((sim.url().to_owned(), Arc::clone(&counts)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let url = format!("http://{}/XML", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Service { sim, url, counts }
}

/// Runs `akixi` against the service as `login`, expecting `code`; (stdout, stderr).
async fn akixi(
    s: &Sandbox,
    svc: &Service,
    login: &str,
    args: &[&str],
    code: i32,
) -> (String, String) {
    let pw = s.path("pw");
    std::fs::write(&pw, PW).expect("pw");
    let mut cmd = s.akixi();
    cmd.env("AKIXI_URL", &svc.url)
        .env("AKIXI_USERNAME", login)
        .env("AKIXI_PASSWORD", PW);
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        common::expect_exit(cmd.args(&a), &a, code)
    })
    .await
    .expect("runs")
}

fn write(s: &Sandbox, name: &str, lines: &[&str]) -> String {
    let path = s.path(name);
    std::fs::write(&path, lines.join("\n") + "\n").expect("written");
    path.display().to_string()
}

/// Sends an operation to the real simulator directly (set-up, not through the proxy).
async fn admin_call(svc: &Service, op: &str, fields: &[(&str, &str)]) {
    let client = akixi_client::Client::builder(svc.sim.url())
        .credentials(ADMIN, PW)
        .allow_http(true)
        .build()
        .expect("client");
    let fields: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    akixi_client::akixi::dynamic::call(&client, op, &fields, None)
        .await
        .unwrap_or_else(|e| panic!("{op}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rehearsal_reports_what_the_service_would_refuse_and_sends_no_write() {
    let svc = service().await;
    let s = Sandbox::new();
    // Someone deletes partition 3 of server 1; a user sits on the HiPath server's partition 2.
    admin_call(
        &svc,
        "PartitionDelete",
        &[("TelSysID", "1"), ("PartIDInTelSys", "3")],
    )
    .await;
    admin_call(
        &svc,
        "UserAdd",
        &[
            ("Username", "carol@example.com"),
            ("FullName", "Carol"),
            ("Scope.TelSysID", "3"),
            ("Scope.PartIDInTelSys", "2"),
            ("Scope.ReportingAccess", "Akixi 2000"),
        ],
    )
    .await;

    // (what, caller, the desired entry, its outcome and the code the spec gives the condition)
    let cases: [(&str, &str, &str, &str); 4] = [
        (
            "a permission the caller lacks",
            BROADWORKS,
            r#"{"Username":"granted@example.com","FullName":"G","Scope":{"TelSysID":1,"ReportingAccess":"Akixi 2000"},"Permissions":{"Admin":["TelSys|Read"]}}"#,
            "failure [10511]",
        ),
        (
            "a deleted partition",
            ADMIN,
            r#"{"Username":"lost@example.com","FullName":"L","Scope":{"TelSysID":1,"PartIDInTelSys":3,"ReportingAccess":"Akixi 2000"}}"#,
            "failure [11131]",
        ),
        (
            "a property the server's platform refuses",
            HIPATH,
            r#"{"Username":"carol@example.com","SynchroniseSupervisorPermissions":true}"#,
            "failure [10150]",
        ),
        (
            "a partial failure",
            ADMIN,
            r#"{"Username":"nomail@example.com","FullName":"N","Scope":{"TelSysID":1,"ReportingAccess":"Akixi 2000"},"SendWelcomeEmail":true}"#,
            "partial [11230]",
        ),
    ];
    // A supervisor's own snapshot holds what it sees (no telephony server): the rehearsals
    // reuse one an administrator took, which holds every account, signed in as the caller's.
    let own = s.path("own.jsonl").display().to_string();
    let (_, err) = akixi(&s, &svc, HIPATH, &["snapshot", "--out", &own], 0).await;
    assert!(err.contains("TelSys left out"), "{err}");
    let full = s.path("full.jsonl").display().to_string();
    akixi(&s, &svc, ADMIN, &["snapshot", "--out", &full], 0).await;
    for (i, (what, login, line, outcome)) in cases.iter().enumerate() {
        svc.counts.clear();
        let file = write(&s, &format!("case{i}.jsonl"), &[line]);
        let (_, err) = akixi(
            &s,
            &svc,
            login,
            &["user", "plan", &file, "--rehearse", "--snapshot", &full],
            1,
        )
        .await;
        assert!(
            err.contains("akixi: rehearsal: line 1 (") && err.contains(outcome),
            "{what}: {err}"
        );
        assert!(
            err.contains("estimated time against the service"),
            "{what}: {err}"
        );
        assert!(svc.counts.total() > 0, "{what}: the plan read the service");
        assert_eq!(svc.counts.writes(), Vec::new(), "{what}: nothing written");
        // apply refuses after a failed rehearsal, and sends nothing.
        let (_, err) = akixi(
            &s,
            &svc,
            login,
            &["user", "apply", &file, "--rehearse", "--snapshot", &full],
            1,
        )
        .await;
        assert!(err.contains(outcome), "{what}: {err}");
        assert!(err.contains("rehearsal: line 1 ("), "{what}: {err}");
        assert!(err.contains("--ignore-rehearsal"), "{what}: {err}");
        assert_eq!(
            svc.counts.writes(),
            Vec::new(),
            "{what}: apply sent nothing"
        );
        eprintln!("{what}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_rehearsal_and_the_apply_end_in_the_same_state() {
    let svc = service().await;
    let s = Sandbox::new();
    let file = write(
        &s,
        "users.jsonl",
        &[
            r#"{"Username":"dora@example.com","FullName":"Dora","Scope":{"TelSysID":1,"ReportingAccess":"Akixi 2000"}}"#,
            r#"{"Username":"supervisor.broadworks@akixi-sim.invalid","FullName":"Renamed Supervisor"}"#,
        ],
    );
    let after = s.path("after.jsonl").display().to_string();
    let snap = s.path("before.jsonl").display().to_string();
    let (_, err) = akixi(
        &s,
        &svc,
        ADMIN,
        &[
            "user",
            "apply",
            &file,
            "--rehearse",
            "--snapshot",
            &snap,
            "--rehearsal-state",
            &after,
        ],
        0,
    )
    .await;
    assert!(
        err.contains("2 succeeded, 0 partly failed, 0 failed"),
        "{err}"
    );
    let real = s.path("real.jsonl").display().to_string();
    akixi(&s, &svc, ADMIN, &["snapshot", "--out", &real], 0).await;
    let body = |p: &str| -> Vec<String> {
        std::fs::read_to_string(p)
            .expect("read")
            .lines()
            .skip(1)
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        body(&after),
        body(&real),
        "the rehearsal's end state is the apply's"
    );
    assert!(body(&real).iter().any(|l| l.contains("dora@example.com")));
    // The snapshot reused: restored with --sim-from-snapshot, it snapshots back identical.
    let again = s.path("again.jsonl").display().to_string();
    let mut cmd = s.akixi();
    let args = [
        "--sim-from-snapshot".to_owned(),
        snap.clone(),
        "snapshot".to_owned(),
        "--out".to_owned(),
        again.clone(),
    ];
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        common::expect_exit(cmd.args(&a), &a, 0)
    })
    .await
    .expect("runs");
    assert_eq!(body(&snap), body(&again));
    let text = std::fs::read_to_string(&snap).expect("read");
    assert!(!text.contains(PW), "no password in a snapshot");
}
