//! The REST codec and client against their baselines, in one run:
//!
//! - `decode_rest_user_list/1000`: a 1,000-user REST list answer (a bare JSON array, as the
//!   simulator's REST front writes it) read by `decode_success` into the generated
//!   `List<UserListEntry>`, beside `serde_json` into plain structs of the same fields (the
//!   floor: serde_derive on `Option` fields, nothing checked).
//! - `rest_user_info/concurrency=N`: `RestClient::call("User", "Info", …)` (encode through the
//!   binding, session cookie, size-bounded read, typed decode) beside a bare reqwest GET of the
//!   same URL with the same cookie (body read, nothing decoded), against a minimal local server
//!   answering a fixed JSON user.
//!
//! `cargo bench -p akixi-client --features serde --bench rest`.

use std::sync::Arc;
use std::time::Duration;

use akixi_client::akixi::SERVICE;
use akixi_client::akixi::user::{UserInfoRequest, UserInfoResponse, UserListEntry};
use akixi_client::akixi_rest::{RestClient, decode_success};
use akixi_client::akixi_ws::List;
use axum::http::header;
use axum::response::IntoResponse;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde::Deserialize;
use std::hint::black_box;

const SESSION_ID: &str = "D199F7ED33E35249933A20CA07387C43";

/// The plain struct the baseline reads into: the same fields, as `serde_json` users write them.
#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainUser {
    #[serde(rename = "Username")]
    username: Option<String>,
    #[serde(rename = "FullName")]
    full_name: Option<String>,
    #[serde(rename = "LockOut")]
    lock_out: Option<bool>,
    #[serde(rename = "ReportingAccess")]
    reporting_access: Option<String>,
    #[serde(rename = "EnhancedMobileReporting")]
    enhanced_mobile_reporting: Option<bool>,
    #[serde(rename = "Admin")]
    admin: Option<bool>,
    #[serde(rename = "OmniChannelACDAgent")]
    omni_channel_acd_agent: Option<bool>,
}

/// A REST list answer of `users` users, with the same values as the XML codec bench's fixture.
fn user_list_json(users: usize) -> String {
    let mut entries = Vec::with_capacity(users);
    for i in 0..users {
        let full_name = if i % 16 == 0 {
            format!("Smith & Sons Agent {i}")
        } else {
            format!("Sample Supervisor Account {i}")
        };
        let mut e = serde_json::json!({
            "Username": format!("user{i}@example.com"),
            "FullName": full_name,
            "LockOut": i % 7 == 0,
            "ReportingAccess": if i % 2 == 0 { "Akixi 2000" } else { "Akixi 3000" },
            "EnhancedMobileReporting": i % 2 == 1,
            "Admin": i % 5 == 0,
        });
        if i % 3 != 0 {
            e["OmniChannelACDAgent"] = serde_json::Value::Bool(i % 4 == 1);
        }
        entries.push(e);
    }
    serde_json::Value::Array(entries).to_string()
}

fn decode_rest_user_list(c: &mut Criterion) {
    let users = 1_000usize;
    let json = user_list_json(users);
    let mut group = c.benchmark_group(format!("decode_rest_user_list/{users}"));
    group.throughput(Throughput::Elements(users as u64));
    group.bench_function(BenchmarkId::from_parameter("serde_json_plain"), |b| {
        b.iter(|| serde_json::from_slice::<Vec<PlainUser>>(black_box(json.as_bytes())).unwrap())
    });
    group.bench_function(BenchmarkId::from_parameter("generated"), |b| {
        b.iter(|| {
            decode_success::<List<UserListEntry>>(black_box(json.as_bytes()), "UserList").unwrap()
        })
    });
    group.finish();
}

const USER_JSON: &str = r#"{"Username":"supervisor@example.com","EmailAddr":"test@example.com","FullName":"Sample Supervisor Account","LockOut":false,"PasswordChgRequired":false,"EnableMFA":true,"SynchroniseSupervisorPermissions":false,"DefaultLang":"en_GB","Scope":{"CMEnvironmentID":"d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613","TelSysID":[1],"PartIDInTelSys":[1],"DeviceNumber":"All","AgentNumber":"All","ReportingAccess":"Akixi 3000"}}"#;

/// A local server answering the session routes and a fixed user.
async fn serve() -> String {
    let app = axum::Router::new()
        .route(
            "/CCS/API/v1/session",
            axum::routing::post(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    format!(r#"{{"Nonce":"20d5e39b41c7016d3ec9e647ccdbac1f","SessionID":"{SESSION_ID}"}}"#),
                )
            }),
        )
        .route(
            "/CCS/API/v1/login",
            axum::routing::get(|| async { ([(header::CONTENT_TYPE, "application/json")], "{}") }),
        )
        .route(
            "/CCS/API/v1/admin/user/{name}",
            axum::routing::get(|| async {
                ([(header::CONTENT_TYPE, "application/json")], USER_JSON).into_response()
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// The typed decoding of the client bench's answer alone: what the client adds on top of the
/// exchange that a bare GET does not do at all.
fn decode_rest_user_info(c: &mut Criterion) {
    c.bench_function("decode_rest_user_info", |b| {
        b.iter(|| {
            decode_success::<UserInfoResponse>(black_box(USER_JSON.as_bytes()), "UserInfo").unwrap()
        })
    });
}

fn rest_user_info(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let url = rt.block_on(serve());
    let client = RestClient::builder(url.clone(), &SERVICE)
        .credentials("supervisor@example.com", "pw")
        .build()
        .unwrap();
    let bare = reqwest::Client::builder().no_proxy().build().unwrap();
    let target = format!("{url}/CCS/API/v1/admin/user/supervisor%40example.com");
    // Signed in once, outside the measurement.
    rt.block_on(async {
        let _: UserInfoResponse = client
            .call(
                "User",
                "Info",
                &UserInfoRequest::new("supervisor@example.com"),
            )
            .await
            .unwrap();
    });
    for concurrency in [1usize, 16] {
        let mut group = c.benchmark_group(format!("rest_user_info/concurrency={concurrency}"));
        group.throughput(Throughput::Elements(concurrency as u64));
        group.sample_size(20);
        let bare = bare.clone();
        let target = Arc::new(target.clone());
        group.bench_function("bare_get", |b| {
            b.iter(|| {
                let bare = bare.clone();
                let target = Arc::clone(&target);
                rt.block_on(async move {
                    let calls = (0..concurrency).map(|_| {
                        let bare = bare.clone();
                        let target = Arc::clone(&target);
                        async move {
                            bare.get(target.as_str())
                                .header("Cookie", format!("JSESSIONID={SESSION_ID}"))
                                .header("Accept", "application/json")
                                .send()
                                .await
                                .unwrap()
                                .bytes()
                                .await
                                .unwrap()
                        }
                    });
                    futures_util::future::join_all(calls).await
                })
            })
        });
        group.bench_function("client", |b| {
            b.iter(|| {
                let client = client.clone();
                rt.block_on(async move {
                    let calls = (0..concurrency).map(|_| {
                        let client = client.clone();
                        async move {
                            client
                                .call::<_, UserInfoResponse>(
                                    "User",
                                    "Info",
                                    &UserInfoRequest::new("supervisor@example.com"),
                                )
                                .await
                                .unwrap()
                        }
                    });
                    futures_util::future::join_all(calls).await
                })
            })
        });
        group.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = rest;
    config = config();
    targets = decode_rest_user_list, decode_rest_user_info, rest_user_info
}
criterion_main!(rest);
