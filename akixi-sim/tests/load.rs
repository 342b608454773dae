//! Load, on loopback and bounded: 32 concurrent clients, each running 100 cycles of
//! add / info / change / delete on its own users, in memory and with a state file; then one
//! list must show exactly the expected users, field for field.

mod support;

use std::time::{Duration, Instant};

use akixi_client::akixi::user::{
    Scope, UserAddRequest, UserChangeRequest, UserDeleteRequest, UserInfoRequest, UserListRequest,
};
use akixi_client::akixi::{
    Platform, ReportingAccess, UserField, UserFields, error_conditions as cond,
};
use akixi_sim::seed::tel_sys_id;
use support::{ADMIN, client, code_of};

const CLIENTS: usize = 32;
const CYCLES: usize = 100;
/// The whole run must finish well within this (it takes a few seconds).
const BOUND: Duration = Duration::from_secs(120);

/// What the list must show for a surviving user: name, full name, lock-out, reporting access.
type Row = (
    String,
    Option<String>,
    Option<bool>,
    Option<ReportingAccess>,
);

fn name(client: usize, cycle: usize) -> String {
    format!("load-{client:02}-{cycle:03}@example.invalid")
}

/// Cycle `i` of client `c`: add, info (checked), change (checked), and delete every odd
/// cycle's user (checked gone). Even cycles' users survive, changed.
async fn run(sim: &akixi_sim::SimulatorHandle) -> Vec<Row> {
    let started = Instant::now();
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let api = client(sim, ADMIN);
            tokio::spawn(async move {
                let ts =
                    i32::try_from(tel_sys_id(Platform::ALL[c % Platform::ALL.len()])).unwrap_or(1);
                let mut survivors = Vec::new();
                for i in 0..CYCLES {
                    let user = name(c, i);
                    api.user_add(
                        UserAddRequest::new(user.as_str())
                            .full_name(format!("Load {c} {i}"))
                            .password(format!("pw-{c}-{i}"))
                            .lock_out(false)
                            .scope(
                                Scope::new()
                                    .tel_sys_id(ts)
                                    .reporting_access(ReportingAccess::Akixi1000),
                            ),
                    )
                    .await
                    .expect("UserAdd");
                    let info = api
                        .user_info(UserInfoRequest::new(user.as_str()))
                        .await
                        .expect("UserInfo");
                    assert_eq!(info.full_name, Some(format!("Load {c} {i}")));
                    let changed = format!("Changed {c} {i}");
                    api.user_change(
                        UserChangeRequest::new(user.as_str())
                            .full_name(changed.as_str())
                            .lock_out(i % 4 == 0)
                            .scope(
                                Scope::new()
                                    .tel_sys_id(ts)
                                    .reporting_access(ReportingAccess::Akixi3000),
                            ),
                    )
                    .await
                    .expect("UserChange");
                    let info = api
                        .user_info(UserInfoRequest::new(user.as_str()))
                        .await
                        .expect("UserInfo");
                    assert_eq!(info.full_name.as_deref(), Some(changed.as_str()));
                    if i % 2 == 1 {
                        api.user_delete(UserDeleteRequest::new(user.as_str()))
                            .await
                            .expect("UserDelete");
                        assert_eq!(
                            code_of(api.user_info(UserInfoRequest::new(user.as_str())).await),
                            cond::UNKNOWN_ENTITY_USER.code()
                        );
                    } else {
                        survivors.push((
                            user,
                            Some(changed),
                            Some(i % 4 == 0),
                            Some(ReportingAccess::Akixi3000),
                        ));
                    }
                }
                survivors
            })
        })
        .collect();
    let mut expected = Vec::new();
    for task in tasks {
        expected.extend(task.await.expect("a client task"));
    }
    assert!(
        started.elapsed() < BOUND,
        "the load ran for {:?}",
        started.elapsed()
    );
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    expected
}

async fn listed(sim: &akixi_sim::SimulatorHandle) -> Vec<Row> {
    let api = client(sim, ADMIN);
    let fields = UserFields::new()
        .with(UserField::LockOut)
        .with(UserField::ReportingAccess);
    let list = api
        .user_list(
            UserListRequest::new()
                .search_query("load-")
                .user_fields(fields)
                .limit(10_000),
        )
        .await
        .expect("UserList");
    let mut rows: Vec<Row> = list
        .entries
        .into_iter()
        .map(|e| {
            (
                e.username.unwrap_or_default(),
                e.full_name,
                e.lock_out,
                e.reporting_access,
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_in_memory_leave_exactly_the_expected_users() {
    let sim = support::start().await;
    let expected = run(&sim).await;
    assert_eq!(expected.len(), CLIENTS * CYCLES / 2);
    assert_eq!(listed(&sim).await, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_with_a_state_file_lose_nothing() {
    let dir = support::TempDir::new("load");
    let state = dir.path("state.db");
    let sim = support::start_with(support::config().state(&state)).await;
    let expected = run(&sim).await;
    assert_eq!(listed(&sim).await, expected);
    sim.shutdown().await.expect("stops");
    // Reopened, the file holds the same users.
    let sim = support::start_with(support::config().state(&state)).await;
    assert_eq!(listed(&sim).await, expected);
}
