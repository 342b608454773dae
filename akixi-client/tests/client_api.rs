//! The client against a real HTTP server on loopback (`client_fake`): user lifecycle, the API
//! session, InvokeIDs, typed outcomes, validation, paging, passwords and redaction.

mod client_fake;

#[allow(dead_code, unreachable_pub)]
#[path = "../examples/provision_user.rs"]
mod example;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use akixi_client::akixi::user::{
    Endpoint, Scope, UserAddRequest, UserAddResponse, UserChangeRequest, UserDeleteRequest,
    UserInfoRequest, UserListRequest,
};
use akixi_client::akixi::{ErrorCode, Platform, error_conditions};
use akixi_client::akixi_ws::cipher::{CipherError, NonceCipher, PasswordCipher};
use akixi_client::akixi_ws::{Extra, decode_request};
use akixi_client::client::{ProtocolErrorKind, ValidationError};
use akixi_client::runtime::akixi_ws::{ErrorHandling, Password, Secret};
use akixi_client::{Client, Error, RetryPolicy};
use client_fake::{ADMIN_PASSWORD, Fake, Reply, ResponseWriter, builder, capture_logs, fail};
use futures_util::{StreamExt as _, TryStreamExt as _};

fn counts(fake: &Fake) -> (usize, usize) {
    let c = &fake.state.counters;
    (c.of("CreateSession"), c.of("Authenticate"))
}

#[tokio::test]
async fn user_lifecycle() {
    let fake = Fake::start().await;
    let client = builder(&fake.url)
        .platform(Platform::CiscoBroadworks)
        .build()
        .unwrap();
    assert!(!client.has_session(), "the session is established lazily");
    assert_eq!(counts(&fake), (0, 0));

    client
        .user_add(
            UserAddRequest::new("jdoe")
                .full_name("Jane Doe")
                .email_addr("jane@example.com")
                .password("n3w-User!"),
        )
        .await
        .unwrap();
    assert_eq!(
        fake.state.users.lock().unwrap()["jdoe"].password.as_deref(),
        Some("n3w-User!"),
        "the server decrypts the password with the session's Nonce"
    );

    let info = client
        .user_info(UserInfoRequest::new("jdoe"))
        .await
        .unwrap();
    assert_eq!(info.username.as_deref(), Some("jdoe"));
    assert_eq!(info.full_name.as_deref(), Some("Jane Doe"));
    assert_eq!(info.email_addr.as_deref(), Some("jane@example.com"));

    client
        .user_change(
            UserChangeRequest::new("jdoe")
                .full_name("Jane Q. Doe")
                .lock_out(true),
        )
        .await
        .unwrap();
    let info = client
        .user_info(UserInfoRequest::new("jdoe"))
        .await
        .unwrap();
    assert_eq!(info.full_name.as_deref(), Some("Jane Q. Doe"));
    assert_eq!(info.lock_out, Some(true));

    client
        .user_add(UserAddRequest::new("asmith"))
        .await
        .unwrap();
    let page = client.user_list(UserListRequest::new()).await.unwrap();
    let names: Vec<_> = page
        .entries
        .iter()
        .filter_map(|e| e.username.clone())
        .collect();
    assert_eq!(names, ["asmith", "jdoe"]);

    // The generic entry point is the same call.
    client.call(UserDeleteRequest::new("jdoe")).await.unwrap();
    let gone = client
        .user_info(UserInfoRequest::new("jdoe"))
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Some(error_conditions::UNKNOWN_ENTITY_USER));
    let again = client
        .user_add(UserAddRequest::new("asmith"))
        .await
        .unwrap_err();
    assert_eq!(again.code(), Some(error_conditions::DUPLICATE_ENTITY_USER));

    assert_eq!(counts(&fake), (1, 1), "one session for every request");
    client.close().await.unwrap();
    assert_eq!(fake.state.counters.logout.load(Ordering::SeqCst), 1);
    assert_eq!(fake.state.session_count(), 0);
    assert!(!client.has_session());
    client.close().await.unwrap();
    assert_eq!(
        fake.state.counters.logout.load(Ordering::SeqCst),
        1,
        "closing without a session sends nothing"
    );

    // A later call opens a new session.
    client
        .user_info(UserInfoRequest::new("asmith"))
        .await
        .unwrap();
    assert_eq!(counts(&fake), (2, 2));
}

#[tokio::test]
async fn the_example_provisions_a_user_against_the_fake() {
    let fake = Fake::start().await;
    let client = builder(&fake.url).build().unwrap();
    example::provision(&client, "example-user").await.unwrap();
    assert!(fake.state.users.lock().unwrap().is_empty());
    for op in [
        "UserAdd",
        "UserInfo",
        "UserChange",
        "UserList",
        "UserDelete",
    ] {
        assert!(fake.state.counters.of(op) > 0, "{op} was not sent");
    }
}

#[tokio::test]
async fn clones_share_the_session_and_the_invoke_ids() {
    let fake = Fake::start().await;
    let client = builder(&fake.url).first_invoke_id(99_998).build().unwrap();
    let clone = client.clone();
    fake.seed_users(1);
    for c in [&client, &clone, &client] {
        c.user_info(UserInfoRequest::new("user00000"))
            .await
            .unwrap();
    }
    assert_eq!(counts(&fake), (1, 1));
    let ids = fake.state.invoke_ids.lock().unwrap().clone();
    // CreateSession, Authenticate, then the three requests: five digits, wrapping to 00000.
    assert_eq!(ids, ["99998", "99999", "00000", "00001", "00002"]);
}

#[tokio::test]
async fn an_expired_session_is_renewed_and_the_request_sent_again() {
    let fake = Fake::start().await;
    let client = builder(&fake.url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    client.user_add(UserAddRequest::new("a")).await.unwrap();
    fake.state.expire_sessions();

    // Even an Add, even with retries off: the server did not run it.
    client.user_add(UserAddRequest::new("b")).await.unwrap();
    assert_eq!(counts(&fake), (2, 2));
    assert_eq!(fake.state.counters.of("UserAdd"), 3);
    assert!(fake.state.users.lock().unwrap().contains_key("b"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_requests_on_an_expired_session_share_one_reauthentication() {
    let fake = Fake::start().await;
    fake.seed_users(20);
    let client = builder(&fake.url).build().unwrap();
    client
        .user_info(UserInfoRequest::new("user00000"))
        .await
        .unwrap();
    fake.state.expire_sessions();
    // Slow answers to the 20 requests, so that all of them are sent on the expired session
    // before the first "session expired" comes back.
    fake.state
        .set_hook(|req| match (req.operation.as_str(), req.nth) {
            ("UserInfo", 2..=21) => Reply::Sleep(std::time::Duration::from_millis(400)),
            _ => Reply::Normal,
        });

    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .user_info(UserInfoRequest::new(format!("user{i:05}")))
                    .await
            })
        })
        .collect();
    for t in tasks {
        let info = t.await.unwrap().unwrap();
        assert!(info.username.is_some());
    }
    assert_eq!(counts(&fake), (2, 2), "exactly one re-authentication");
    assert_eq!(
        fake.state.counters.of("UserInfo"),
        1 + 20 + 20,
        "all 20 met the expired session and were sent again"
    );
}

#[tokio::test]
async fn a_session_error_after_the_renewal_is_returned() {
    let fake = Fake::start().await;
    fake.state.set_hook(|req| match req.operation.as_str() {
        "UserInfo" => Reply::Xml(fail(
            req.invoke_id.as_deref(),
            &[(error_conditions::UNKNOWN_SESSION, "gone")],
        )),
        _ => Reply::Normal,
    });
    let client = builder(&fake.url).build().unwrap();
    let err = client
        .user_info(UserInfoRequest::new("x"))
        .await
        .unwrap_err();
    assert!(err.is_session_expired(), "{err}");
    assert_eq!(
        fake.state.counters.of("UserInfo"),
        2,
        "renewed once, sent twice"
    );
    assert_eq!(counts(&fake), (2, 2));
}

#[tokio::test]
async fn a_failed_authenticate_starts_again_from_create_session() {
    let fake = Fake::start().await;
    // The first Authenticate meets maintenance ("try again later").
    fake.state
        .set_hook(|req| match (req.operation.as_str(), req.nth) {
            ("Authenticate", 1) => Reply::Xml(fail(
                req.invoke_id.as_deref(),
                &[(ErrorCode::MaintenanceInProgress, "backing up")],
            )),
            _ => Reply::Normal,
        });
    let client = builder(&fake.url).build().unwrap();
    fake.seed_users(1);
    client
        .user_info(UserInfoRequest::new("user00000"))
        .await
        .unwrap();
    assert_eq!(
        counts(&fake),
        (2, 2),
        "a new CreateSession before the second Authenticate"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_credentials_are_not_tried_again_and_again() {
    let fake = Fake::start().await;
    let client = Client::builder(&fake.url)
        .credentials(client_fake::ADMIN, "wrong")
        .retry_policy(client_fake::fast_retries(3))
        .build()
        .unwrap();
    let calls = (0..10).map(|_| client.user_info(UserInfoRequest::new("x")));
    let results = futures_util::future::join_all(calls).await;
    let later = client.user_info(UserInfoRequest::new("x")).await;
    for r in results.into_iter().chain([later]) {
        let err = r.unwrap_err();
        assert!(matches!(err, Error::Session(_)), "{err}");
        assert_eq!(err.code(), Some(error_conditions::AUTHENTICATION_FAILED));
        assert_eq!(err.operation(), Some("Authenticate"));
        assert!(!err.is_retryable());
    }
    assert_eq!(
        counts(&fake),
        (1, 1),
        "a rejected password is tried once, not once per request"
    );

    // Once the cool-down is over, the next call tries again.
    let client = Client::builder(&fake.url)
        .credentials(client_fake::ADMIN, "wrong")
        .rejected_credentials_cooldown(std::time::Duration::ZERO)
        .build()
        .unwrap();
    for _ in 0..2 {
        client
            .user_info(UserInfoRequest::new("x"))
            .await
            .unwrap_err();
    }
    assert_eq!(counts(&fake), (3, 3));
}

#[tokio::test]
async fn a_response_with_another_invoke_id_is_an_error() {
    let fake = Fake::start().await;
    fake.state.set_hook(|req| match req.operation.as_str() {
        "UserInfo" => Reply::Xml(
            ResponseWriter::new("Success", Some("54321"))
                .data(&())
                .finish(),
        ),
        "UserDelete" => Reply::Xml(ResponseWriter::new("Success", None).finish()),
        _ => Reply::Normal,
    });
    let client = builder(&fake.url).build().unwrap();
    let err = client
        .user_info(UserInfoRequest::new("x"))
        .await
        .unwrap_err();
    let Error::Protocol(p) = &err else {
        panic!("expected a protocol error, got {err:?}")
    };
    assert_eq!(
        p.kind,
        ProtocolErrorKind::InvokeIdMismatch {
            received: "54321".into()
        }
    );
    assert!(err.to_string().contains("does not echo"), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(fake.state.counters.of("UserInfo"), 1);

    let err = client
        .user_delete(UserDeleteRequest::new("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Protocol(p) if p.kind == ProtocolErrorKind::MissingInvokeId),
        "{err:?}"
    );
}

#[tokio::test]
async fn partial_fail_keeps_the_data_and_every_error() {
    let fake = Fake::start().await;
    fake.state.set_hook(|req| match req.operation.as_str() {
        "UserAdd" => {
            let mut data = UserAddResponse::default();
            data.extra.push_property("Username", "jdoe");
            Reply::Xml(
                ResponseWriter::new("PartialFail", req.invoke_id.as_deref())
                    .data(&data)
                    .errors(&[
                        (ErrorCode::from_code(11230), "scope rejected"),
                        (ErrorCode::from_code(11233), "permissions rejected"),
                    ])
                    .finish(),
            )
        }
        _ => Reply::Normal,
    });
    let client = builder(&fake.url).build().unwrap();
    let err = client
        .user_add(UserAddRequest::new("jdoe"))
        .await
        .unwrap_err();
    assert!(!err.is_retryable());
    let invoke_id = err.invoke_id().map(str::to_owned);
    let Error::PartialFail(partial) = err else {
        panic!("expected PartialFail, got {err:?}")
    };
    assert_eq!(partial.operation, "UserAdd");
    assert_eq!(Some(&partial.invoke_id), invoke_id.as_ref());
    let got: Vec<_> = partial
        .errors
        .iter()
        .map(|e| (e.code.map(|c| c.code()), e.message.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (Some(11230), Some("scope rejected".to_string())),
            (Some(11233), Some("permissions rejected".to_string())),
        ]
    );
    assert!(
        partial
            .errors
            .iter()
            .all(|e| e.code.is_some_and(|c| c.is_partial_fail()))
    );
    let text = partial.to_string();
    assert!(
        text.contains("11230: scope rejected") && text.contains("11233"),
        "{text}"
    );
    let data: &UserAddResponse = partial.data().unwrap();
    assert_eq!(data.extra.property("Username"), Some("jdoe"));
    let data = partial.into_data::<UserAddResponse>().unwrap();
    assert_eq!(data.extra.property("Username"), Some("jdoe"));
    assert_eq!(fake.state.counters.of("UserAdd"), 1);
}

#[tokio::test]
async fn every_documented_error_code_comes_back_through_fail() {
    let fake = Fake::start().await;
    let code = Arc::new(AtomicU32::new(0));
    let current = code.clone();
    fake.state
        .set_hook(move |req| match req.operation.as_str() {
            "UserInfo" => {
                let c = ErrorCode::from_code(current.load(Ordering::SeqCst));
                Reply::Xml(fail(
                    req.invoke_id.as_deref(),
                    &[(c, &format!("server says {}", c.code()))],
                ))
            }
            _ => Reply::Normal,
        });
    let client = builder(&fake.url).build().unwrap();
    for &expected in ErrorCode::ALL {
        code.store(expected.code(), Ordering::SeqCst);
        let before = fake.state.counters.of("UserInfo");
        let err = client
            .user_info(UserInfoRequest::new("x"))
            .await
            .unwrap_err();
        let sent = fake.state.counters.of("UserInfo") - before;
        let Error::Api(failure) = &err else {
            panic!("{expected:?}: expected an API failure, got {err:?}")
        };
        assert_eq!(failure.code(), Some(expected));
        assert_eq!(failure.operation, "UserInfo");
        assert_eq!(
            failure.message(),
            Some(format!("server says {}", expected.code()).as_str())
        );
        assert_eq!(
            failure.invoke_id.len(),
            akixi_client::akixi::INVOKE_ID_DIGITS
        );
        assert!(
            fake.state
                .invoke_ids
                .lock()
                .unwrap()
                .contains(&failure.invoke_id)
        );
        assert!(err.to_string().contains(&expected.code().to_string()));
        // UserInfo only reads: "try again later" codes are retried (3 attempts), session
        // codes renew the session once; everything else is sent once.
        let (want_sent, retryable) = match expected.handling() {
            Some(ErrorHandling::RetryLater) => (3, true),
            Some(ErrorHandling::RenewSession) => (2, true),
            None => (1, false),
        };
        assert_eq!(sent, want_sent, "{expected:?}");
        assert_eq!(err.is_retryable(), retryable, "{expected:?}");
    }
    assert!(ErrorCode::ALL.len() > 50);
}

#[tokio::test]
async fn requests_are_validated_for_the_target_platform_before_sending() {
    let fake = Fake::start().await;
    let client = builder(&fake.url)
        .platform(Platform::PanasonicTdaNcp)
        .telephony_server_platform(100_100, Platform::CiscoBroadworks)
        .telephony_server_platform(200_200, Platform::BroadsoftM6)
        .telephony_server_platform(300_300, Platform::Hipath3000)
        .build()
        .unwrap();
    let add = |name: &str| UserAddRequest::new(name).synchronise_supervisor_permissions(true);

    // No telephony server named: the default platform.
    let err = client.user_add(add("a")).await.unwrap_err();
    let Error::Validation(ValidationError {
        operation,
        problems,
    }) = &err
    else {
        panic!("expected a validation error, got {err:?}")
    };
    assert_eq!(*operation, "UserAdd");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].platform, Platform::PanasonicTdaNcp);
    assert_eq!(
        problems[0].properties[0].name,
        "SynchroniseSupervisorPermissions"
    );
    assert!(!err.is_retryable());
    assert_eq!(
        fake.state.counters.requests.load(Ordering::SeqCst),
        0,
        "nothing was sent, not even CreateSession"
    );

    // A server known as BroadWorks supports it.
    client
        .user_add(add("b").scope(Scope::new().tel_sys_id(100_100)))
        .await
        .unwrap();

    // Two servers on two other platforms: every problem is reported.
    let err = client
        .user_add(
            add("c")
                .scope(Scope::new().tel_sys_id(200_200))
                .endpoint(Endpoint::new().tel_sys_id(300_300)),
        )
        .await
        .unwrap_err();
    let Error::Validation(v) = &err else {
        panic!("{err:?}")
    };
    let platforms: Vec<_> = v.problems.iter().map(|p| p.platform).collect();
    assert_eq!(platforms, [Platform::BroadsoftM6, Platform::Hipath3000]);
    assert!(
        err.to_string().contains("SynchroniseSupervisorPermissions"),
        "{err}"
    );
    assert!(!fake.state.users.lock().unwrap().contains_key("c"));
}

#[tokio::test]
async fn paging_2500_users_in_pages_of_1000() {
    let fake = Fake::start().await;
    fake.seed_users(2_500);
    let pages = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = pages.clone();
    fake.state.set_hook(move |req| {
        if req.operation == "UserList" {
            let env = decode_request::<Extra>(req.body.as_bytes()).unwrap();
            seen.lock().unwrap().push((env.offset, env.limit));
        }
        Reply::Normal
    });
    let client = builder(&fake.url).page_size(1_000).build().unwrap();

    let mut stream = client.user_list_stream(UserListRequest::new());
    assert_eq!(stream.page_size(), 1_000);
    // The next page is fetched only when the previous one is used up.
    let first: Vec<_> = stream.by_ref().take(1_000).try_collect().await.unwrap();
    assert_eq!(first.len(), 1_000);
    assert_eq!(fake.state.counters.of("UserList"), 1);
    let rest: Vec<_> = stream.try_collect().await.unwrap();
    assert_eq!(rest.len(), 1_500);
    let names: Vec<String> = first
        .iter()
        .chain(&rest)
        .map(|e| e.username.clone().unwrap())
        .collect();
    let expected: Vec<String> = (0..2_500).map(|i| format!("user{i:05}")).collect();
    assert_eq!(names, expected);
    assert_eq!(
        *pages.lock().unwrap(),
        [
            (Some(0), Some(1_000)),
            (Some(1_000), Some(1_000)),
            (Some(2_000), Some(1_000))
        ],
        "ends on the short page"
    );

    // The request's own Offset and Limit win.
    pages.lock().unwrap().clear();
    let tail: Vec<_> = client
        .user_list_stream(UserListRequest::new().offset(2_400).limit(60))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tail.len(), 100);
    assert_eq!(
        *pages.lock().unwrap(),
        [(Some(2_400), Some(60)), (Some(2_460), Some(60))]
    );

    // An error ends the stream, which says where to resume.
    let failing = fake.state.counters.of("UserList") + 2;
    fake.state.set_hook(move |req| {
        if req.operation == "UserList" && req.nth == failing {
            return Reply::Xml(fail(
                req.invoke_id.as_deref(),
                &[(error_conditions::PERMISSION_DENIED, "no")],
            ));
        }
        Reply::Normal
    });
    let mut stream = client.user_list_stream(UserListRequest::new());
    let mut ok = 0;
    let mut errors = 0;
    while let Some(item) = stream.next().await {
        match item {
            Ok(_) => ok += 1,
            Err(e) => {
                errors += 1;
                assert_eq!(e.code(), Some(error_conditions::PERMISSION_DENIED));
            }
        }
    }
    assert_eq!((ok, errors), (1_000, 1));
    assert_eq!(stream.next_offset(), 1_000);
}

/// Wraps the default cipher and counts its use.
struct CountingCipher(NonceCipher, Arc<AtomicUsize>);

impl PasswordCipher for CountingCipher {
    fn encrypt(&self, nonce: &Secret, password: &Password) -> Result<String, CipherError> {
        self.1.fetch_add(1, Ordering::SeqCst);
        self.0.encrypt(nonce, password)
    }
    fn decrypt(&self, nonce: &Secret, protected: &str) -> Result<Password, CipherError> {
        self.0.decrypt(nonce, protected)
    }
}

#[tokio::test]
async fn a_custom_password_cipher_protects_every_password() {
    let fake = Fake::start().await;
    let used = Arc::new(AtomicUsize::new(0));
    let cipher = NonceCipher::new(&akixi_client::akixi::PASSWORD_SCHEME).unwrap();
    let client = builder(&fake.url)
        .password_cipher(CountingCipher(cipher, used.clone()))
        .build()
        .unwrap();
    client
        .user_add(UserAddRequest::new("p").password("Pa55word!"))
        .await
        .unwrap();
    assert_eq!(used.load(Ordering::SeqCst), 2, "Authenticate and UserAdd");
    let bodies = fake.state.bodies.lock().unwrap().join("\n");
    assert!(!bodies.contains("Pa55word!") && !bodies.contains(ADMIN_PASSWORD));
}

#[tokio::test]
async fn secrets_never_appear_in_logs_errors_or_debug_output() {
    let (logs, _guard) = capture_logs();
    let mut shown = Vec::new();

    // A CreateSession response that breaks after the session id and the nonce: the decode
    // error says where, without the text around it.
    let leaky_id = "0123456789ABCDEF0123456789ABCDEF";
    let leaky_nonce = "fedcba9876543210fedcba9876543210";
    let broken = Fake::start().await;
    broken
        .state
        .set_hook(move |req| match req.operation.as_str() {
            "CreateSession" => Reply::Xml(format!(
                "<Response Result=\"Success\"><InvokeID>{}</InvokeID><Success>\
             <Property Name=\"SessionID\">{leaky_id}</Property>\
             <Property Name=\"Nonce\">{leaky_nonce}</Property><Oops/></Success></Response>",
                req.invoke_id.clone().unwrap_or_default()
            )),
            _ => Reply::Normal,
        });
    let client = builder(&broken.url).build().unwrap();
    let err = client
        .user_info(UserInfoRequest::new("s"))
        .await
        .unwrap_err();
    let Error::Session(inner) = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(**inner, Error::Decode(_)), "{inner:?}");
    let text = format!("{err:?} {err}");
    assert!(text.contains("Oops") || text.contains("expected"), "{text}");
    // Not even the end of the nonce, which sits right before the error.
    assert!(!text.contains(&leaky_nonce[22..]), "{text}");
    shown.push(text);

    let fake = Fake::start().await;
    let user_password = "Us3r-Secr3t-Value";
    // Some failures on the way, so that error paths log too.
    fake.state
        .set_hook(|req| match (req.operation.as_str(), req.nth) {
            ("UserInfo", 2) => Reply::Xml("<Response Result=\"Success\"><InvokeID>bad".to_string()),
            ("UserInfo", 3) => Reply::Http {
                status: 503,
                content_type: "text/plain",
                body: "busy".into(),
                headers: vec![],
            },
            _ => Reply::Normal,
        });
    let client = builder(&fake.url).build().unwrap();
    shown.push(format!("{client:?}"));
    client
        .user_add(UserAddRequest::new("s").password(user_password))
        .await
        .unwrap();
    shown.push(format!("{client:?}"));
    client.user_info(UserInfoRequest::new("s")).await.unwrap();
    let err = client
        .user_info(UserInfoRequest::new("s"))
        .await
        .unwrap_err();
    shown.push(format!("{err:?} {err}"));
    fake.state.expire_sessions();
    client.user_info(UserInfoRequest::new("s")).await.unwrap();
    let err = client
        .user_change(UserChangeRequest::new("nobody").password(user_password))
        .await
        .unwrap_err();
    shown.push(format!("{err:?} {err}"));
    client.close().await.unwrap();
    shown.push(format!("{client:?}"));
    let builder_debug = format!("{:?}", builder(&fake.url));
    shown.push(builder_debug);

    let logs = logs.text();
    // The logs say what happened…
    assert!(logs.contains("akixi.request"), "{logs}");
    assert!(
        logs.contains("operation=\"UserAdd\"") || logs.contains("operation=UserAdd"),
        "{logs}"
    );
    assert!(logs.contains("invoke_id="), "{logs}");
    assert!(logs.contains("duration_ms="), "{logs}");
    assert!(
        logs.contains("result=\"Fail\"") || logs.contains("result=Fail"),
        "{logs}"
    );
    assert!(logs.contains("code=10302"), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    // …and nothing secret.
    let mut secrets = fake.state.secrets();
    secrets.extend([ADMIN_PASSWORD, user_password, leaky_id, leaky_nonce].map(String::from));
    // The protected forms of the passwords too, as they went on the wire.
    for body in fake.state.bodies.lock().unwrap().iter() {
        if let Some(start) = body.find("<Property Name=\"Password\">") {
            let rest = &body[start + 26..];
            secrets.push(rest[..rest.find('<').unwrap()].to_string());
        }
    }
    assert!(secrets.len() > 6);
    for secret in &secrets {
        assert!(
            !logs.contains(secret.as_str()),
            "a secret is in the logs:\n{logs}"
        );
        for s in &shown {
            assert!(!s.contains(secret.as_str()), "a secret is in {s}");
        }
    }
}

#[tokio::test]
async fn a_server_that_ignores_offset_stops_the_stream_with_a_paging_error() {
    let fake = Fake::start().await;
    fake.state.set_hook(|req| {
        if req.operation != "UserList" {
            return Reply::Normal;
        }
        // The same full page, whatever Offset says: paging it would never end.
        let mut list = akixi_client::runtime::akixi_ws::List::<
            akixi_client::akixi::user::UserListEntry,
        >::default();
        for i in 0..10 {
            let mut e = akixi_client::akixi::user::UserListEntry::default();
            e.username = Some(format!("user{i}"));
            list.entries.push(e);
        }
        Reply::Xml(
            ResponseWriter::new("Success", req.invoke_id.as_deref())
                .data(&list)
                .finish(),
        )
    });
    let client = builder(&fake.url).page_size(10).build().unwrap();
    let results: Vec<Result<akixi_client::akixi::user::UserListEntry, Error>> = client
        .user_list_stream(UserListRequest::new())
        .collect()
        .await;
    let (ok, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    assert_eq!(ok.len(), 10, "the first page is delivered");
    assert_eq!(errors.len(), 1, "then one error, and the stream ends");
    let error = errors.into_iter().next().unwrap().unwrap_err();
    assert!(matches!(error, Error::Paging(_)), "{error}");
    assert!(error.to_string().contains("same full page"), "{error}");
    assert_eq!(fake.state.counters.of("UserList"), 2);
}

#[test]
fn finds_telephony_servers_at_any_depth() {
    use akixi_client::akixi::TELEPHONY_SERVER_PROPERTY;
    use akixi_client::akixi::user::{Endpoint, Scope, UserAddRequest, UserListRequest};
    use akixi_client::client::telephony_servers;

    let req = UserAddRequest::new("a")
        .password("secret")
        .scope(Scope::new().tel_sys_id(100100))
        .endpoint(Endpoint::new().tel_sys_id(200200));
    assert_eq!(
        telephony_servers(&req, TELEPHONY_SERVER_PROPERTY),
        vec![100100, 200200]
    );
    assert_eq!(
        telephony_servers(
            &UserListRequest::new().tel_sys_id(7),
            TELEPHONY_SERVER_PROPERTY
        ),
        vec![7]
    );
    assert!(telephony_servers(&UserListRequest::new(), TELEPHONY_SERVER_PROPERTY).is_empty());
}

#[test]
fn the_akixi_client_types_can_cross_tasks() {
    use akixi_client::akixi::user::{UserListEntry, UserListRequest};
    use akixi_client::client::ListStream;

    fn clone_send_sync<T: Clone + Send + Sync + 'static>() {}
    fn error_type<T: std::error::Error + Send + Sync + 'static>() {}
    fn send<T: Send + Unpin + 'static>() {}
    clone_send_sync::<Client>();
    error_type::<Error>();
    send::<ListStream<UserListRequest, UserListEntry>>();
}
