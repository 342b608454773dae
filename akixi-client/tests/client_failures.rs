//! The client against servers that misbehave: HTTP errors, proxies' HTML pages, slow and
//! oversized responses, malformed XML, resets and refused connections; and how often each
//! kind of failure is retried.

mod client_fake;

use std::time::{Duration, Instant};

use akixi_client::akixi::ErrorCode;
use akixi_client::akixi::user::{
    UserAddRequest, UserChangeRequest, UserDeleteRequest, UserInfoRequest, UserListRequest,
};
use akixi_client::akixi_ws::DecodeErrorKind;
use akixi_client::client::{HttpError, Phase, ProtocolErrorKind};
use akixi_client::{Error, RetryPolicy};
use client_fake::{Fake, RawServer, Reply, builder, capture_logs, fail, fast_retries};

const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

fn http(status: u16, content_type: &'static str, body: &str) -> Reply {
    Reply::Http {
        status,
        content_type,
        body: body.to_string(),
        headers: vec![],
    }
}

/// A fake whose answer to `operation` is `reply()`, every time.
async fn fake_answering(
    operation: &'static str,
    reply: fn(&client_fake::Incoming) -> Reply,
) -> Fake {
    let fake = Fake::start().await;
    fake.seed_users(1);
    fake.state.set_hook(move |req| {
        if req.operation == operation {
            reply(req)
        } else {
            Reply::Normal
        }
    });
    fake
}

#[tokio::test]
async fn a_proxys_html_502_page_is_reported_as_such() {
    let fake = fake_answering("UserAdd", |_| http(502, "text/html", HTML_502)).await;
    let client = builder(&fake.url).build().unwrap();
    let err = client.user_add(UserAddRequest::new("x")).await.unwrap_err();
    let Error::Http(HttpError::Status(h)) = &err else {
        panic!("expected an HTTP status error, got {err:?}")
    };
    assert_eq!(h.status, 502);
    assert_eq!(h.call.operation, "UserAdd");
    assert_eq!(h.content_type.as_deref(), Some("text/html"));
    assert!(
        h.snippet.contains("<title>502 Bad Gateway</title>"),
        "{}",
        h.snippet
    );
    assert!(!h.snippet.contains('\n'));
    let text = err.to_string();
    assert!(
        text.contains("HTTP 502 Bad Gateway") && text.contains("text/html"),
        "{text}"
    );
    assert!(
        !err.is_retryable(),
        "the gateway may have passed the Add on"
    );
    assert_eq!(fake.state.counters.of("UserAdd"), 1);
}

#[tokio::test]
async fn an_html_page_with_status_200_is_a_decode_error_naming_the_root() {
    let fake = fake_answering("UserInfo", |_| Reply::Http {
        status: 200,
        content_type: "text/html",
        body: HTML_502.into(),
        headers: vec![],
    })
    .await;
    let client = builder(&fake.url).build().unwrap();
    let err = client
        .user_info(UserInfoRequest::new("user00000"))
        .await
        .unwrap_err();
    let Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(
        d.error.kind(),
        DecodeErrorKind::WrongRoot {
            expected: "Response",
            ..
        }
    ));
    assert_eq!(d.content_type.as_deref(), Some("text/html"));
    assert!(err.to_string().contains("<Response>"), "{err}");
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let fake = Fake::start().await;
    fake.seed_users(1);
    fake.state.set_hook(|req| match req.operation.as_str() {
        "UserInfo" | "UserChange" => Reply::Sleep(Duration::from_secs(3)),
        _ => Reply::Normal,
    });
    let client = builder(&fake.url)
        .request_timeout(Duration::from_millis(150))
        .build()
        .unwrap();

    let started = Instant::now();
    let err = client
        .user_change(UserChangeRequest::new("user00000").full_name("x"))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    let Error::Http(HttpError::Timeout(t)) = &err else {
        panic!("expected a timeout, got {err:?}")
    };
    assert_eq!(t.phase, Phase::Exchange);
    assert_eq!(t.after, Duration::from_millis(150));
    assert!(
        err.to_string().contains("no complete response within"),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_eq!(
        fake.state.counters.of("UserChange"),
        1,
        "a Change is not sent twice"
    );

    let err = client
        .user_info(UserInfoRequest::new("user00000"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http(HttpError::Timeout(_))), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(fake.state.counters.of("UserInfo"), 3, "an Info is retried");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_response_over_the_size_limit_is_refused() {
    let fake = Fake::start().await;
    fake.state.set_hook(|req| match req.operation.as_str() {
        // Declared with Content-Length.
        "UserInfo" => Reply::Xml(format!(
            "<Response Result=\"Success\"><InvokeID>{}</InvokeID><!-- {} --></Response>",
            req.invoke_id.clone().unwrap_or_default(),
            "x".repeat(100_000)
        )),
        // Streamed, no Content-Length.
        "UserList" => Reply::Streamed(200_000),
        _ => Reply::Normal,
    });
    let client = builder(&fake.url)
        .max_response_size(64 * 1024)
        .build()
        .unwrap();
    let err = client
        .user_info(UserInfoRequest::new("x"))
        .await
        .unwrap_err();
    let Error::Http(HttpError::TooLarge(t)) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.limit, 64 * 1024);
    assert!(t.declared.is_some_and(|n| n > 100_000));
    assert!(!err.is_retryable());

    let err = client.user_list(UserListRequest::new()).await.unwrap_err();
    let Error::Http(HttpError::TooLarge(t)) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.declared, None);
    assert_eq!(fake.state.counters.of("UserList"), 1);

    // Under the limit, the same shapes are fine.
    let client = builder(&fake.url).build().unwrap();
    client.user_list(UserListRequest::new()).await.unwrap();
}

#[tokio::test]
async fn malformed_and_truncated_xml_are_decode_errors_saying_what_was_expected() {
    let fake = Fake::start().await;
    fake.state.set_hook(|req| {
        let id = req.invoke_id.clone().unwrap_or_default();
        let xml = match (req.operation.as_str(), req.nth) {
            ("UserInfo", 1) => format!(
                "<Response Result=\"Success\"><InvokeID>{id}</InvokeID><Success>\
                 <Property Name=\"FullName\">Jane</Property>"
            ),
            ("UserInfo", 2) => format!(
                "<Response Result=\"Success\"><InvokeID>{id}</InvokeID><Success>\
                 <Property Name=\"LockOut\">perhaps</Property></Success></Response>"
            ),
            ("UserInfo", 3) => format!(
                "<Response Result=\"Success\"><InvokeID>{id}</InvokeID><Success>\
                 <Property Name=\"FullName\">a</Container></Success></Response>"
            ),
            ("UserInfo", 4) => format!("<Response><InvokeID>{id}</InvokeID></Response>"),
            ("UserInfo", 5) => {
                format!("<Response Result=\"Maybe\"><InvokeID>{id}</InvokeID></Response>")
            }
            ("UserInfo", 6) => "not xml at all".to_string(),
            ("UserInfo", 7) => String::new(),
            _ => return Reply::Normal,
        };
        Reply::Xml(xml)
    });
    let client = builder(&fake.url).build().unwrap();
    let mut errors = Vec::new();
    for _ in 0..7 {
        errors.push(
            client
                .user_info(UserInfoRequest::new("x"))
                .await
                .unwrap_err(),
        );
    }
    let decode_kind = |e: &Error| match e {
        Error::Decode(d) => Some(d.error.kind().clone()),
        _ => None,
    };
    assert!(
        matches!(
            decode_kind(&errors[0]),
            Some(DecodeErrorKind::Truncated { .. })
        ),
        "{:?}",
        errors[0]
    );
    assert!(
        matches!(decode_kind(&errors[1]), Some(DecodeErrorKind::InvalidValue { ref name, .. }) if name.contains("LockOut")),
        "{:?}",
        errors[1]
    );
    let text = errors[1].to_string();
    assert!(
        text.contains("expected a Boolean") && text.contains("perhaps"),
        "{text}"
    );
    assert!(
        text.contains("UserInfo") && text.contains("InvokeID"),
        "{text}"
    );
    assert!(decode_kind(&errors[2]).is_some(), "{:?}", errors[2]);
    assert!(
        matches!(&errors[3], Error::Protocol(p) if p.kind == ProtocolErrorKind::MissingResult),
        "{:?}",
        errors[3]
    );
    assert!(
        matches!(&errors[4], Error::Protocol(p) if p.kind == ProtocolErrorKind::UnknownResult { found: "Maybe".into() }),
        "{:?}",
        errors[4]
    );
    assert!(decode_kind(&errors[5]).is_some(), "{:?}", errors[5]);
    assert!(decode_kind(&errors[6]).is_some(), "{:?}", errors[6]);
    for e in &errors {
        assert!(!e.is_retryable(), "{e}");
        assert_eq!(e.operation(), Some("UserInfo"));
    }
    assert_eq!(fake.state.counters.of("UserInfo"), 7, "none retried");
}

#[tokio::test]
async fn a_reset_after_sending_is_never_retried_for_changes() {
    let server = RawServer::start(&["UserAdd", "UserInfo", "UserDelete"]).await;
    let client = builder(&server.url).build().unwrap();

    let err = client.user_add(UserAddRequest::new("x")).await.unwrap_err();
    let Error::Http(HttpError::Transport(t)) = &err else {
        panic!("expected a transport error, got {err:?}")
    };
    assert_eq!(t.phase, Phase::Exchange);
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("may have been sent"), "{err}");
    assert_eq!(
        server.count("UserAdd"),
        1,
        "zero retries for an Add the server may have run"
    );

    let err = client
        .user_delete(UserDeleteRequest::new("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Http(HttpError::Transport(_))),
        "{err:?}"
    );
    assert_eq!(server.count("UserDelete"), 1);

    let err = client
        .user_info(UserInfoRequest::new("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Http(HttpError::Transport(_))),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(server.count("UserInfo"), 3, "an Info is retried");
    assert_eq!(server.count("CreateSession"), 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_an_add() {
    let (logs, _guard) = capture_logs();
    let server = RawServer::start(&[]).await;
    let client = builder(&server.url)
        .retry_policy(fast_retries(4))
        .build()
        .unwrap();
    client.user_info(UserInfoRequest::new("x")).await.unwrap();
    server.stop().await;

    let err = client.user_add(UserAddRequest::new("x")).await.unwrap_err();
    let Error::Http(HttpError::Transport(t)) = &err else {
        panic!("expected a transport error, got {err:?}")
    };
    assert_eq!(t.phase, Phase::Connect);
    assert!(err.is_retryable(), "nothing was sent");
    assert!(err.to_string().contains("nothing was sent"), "{err}");
    let retries = logs
        .text()
        .lines()
        .filter(|l| l.contains("retrying") && l.contains("UserAdd"))
        .count();
    assert_eq!(retries, 3, "4 attempts in all");
    assert_eq!(server.count("UserAdd"), 0);
}

#[tokio::test]
async fn a_refused_connection_fails_the_session_set_up_after_the_retries() {
    let (logs, _guard) = capture_logs();
    let url = client_fake::refused_url().await;
    let client = builder(&url).retry_policy(fast_retries(3)).build().unwrap();
    let err = client
        .user_info(UserInfoRequest::new("x"))
        .await
        .unwrap_err();
    let Error::Session(inner) = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(**inner, Error::Http(HttpError::Transport(_))),
        "{inner:?}"
    );
    assert_eq!(err.operation(), Some("CreateSession"));
    assert!(
        err.to_string()
            .starts_with("cannot establish the API session"),
        "{err}"
    );
    let retries = logs
        .text()
        .lines()
        .filter(|l| l.contains("retrying the API session set-up"))
        .count();
    assert_eq!(retries, 2);
}

/// How many times one operation is sent when every answer is the same failure.
async fn sent(
    operation: &'static str,
    reply: fn(&client_fake::Incoming) -> Reply,
) -> (usize, Error) {
    let fake = fake_answering(operation, reply).await;
    let client = builder(&fake.url)
        .retry_policy(fast_retries(3))
        .build()
        .unwrap();
    let err = match operation {
        "UserAdd" => client.user_add(UserAddRequest::new("n")).await.map(drop),
        "UserChange" => client
            .user_change(UserChangeRequest::new("user00000"))
            .await
            .map(drop),
        "UserDelete" => client
            .user_delete(UserDeleteRequest::new("user00000"))
            .await
            .map(drop),
        "UserInfo" => client
            .user_info(UserInfoRequest::new("user00000"))
            .await
            .map(drop),
        "UserList" => client.user_list(UserListRequest::new()).await.map(drop),
        other => panic!("{other}"),
    }
    .unwrap_err();
    (fake.state.counters.of(operation), err)
}

fn code(req: &client_fake::Incoming, code: u32) -> Reply {
    Reply::Xml(fail(
        req.invoke_id.as_deref(),
        &[(ErrorCode::from_code(code), "as told")],
    ))
}

#[tokio::test]
async fn retry_counts_for_each_class_of_failure() {
    type Case = (&'static str, fn(&client_fake::Incoming) -> Reply, usize);
    let cases: &[(&str, Case)] = &[
        (
            "503 refused: retried for anything",
            ("UserAdd", |_| http(503, "text/plain", "busy"), 3),
        ),
        (
            "429 refused: retried",
            ("UserDelete", |_| http(429, "text/plain", "slow down"), 3),
        ),
        (
            "502 for an Add: not retried",
            ("UserAdd", |_| http(502, "text/html", HTML_502), 1),
        ),
        (
            "502 for an Info: retried",
            ("UserInfo", |_| http(502, "text/html", HTML_502), 3),
        ),
        (
            "504 for a Change: not retried",
            ("UserChange", |_| http(504, "text/html", "timeout"), 1),
        ),
        (
            "504 for a List: retried",
            ("UserList", |_| http(504, "text/html", "timeout"), 3),
        ),
        (
            "500: not retried",
            ("UserInfo", |_| http(500, "text/plain", "oops"), 1),
        ),
        (
            "10104 for an Info: retried",
            ("UserInfo", |r| code(r, 10104), 3),
        ),
        (
            "10105 for a List: retried",
            ("UserList", |r| code(r, 10105), 3),
        ),
        (
            "10105 for an Add: not retried",
            ("UserAdd", |r| code(r, 10105), 1),
        ),
        (
            "10104 for a Delete: not retried",
            ("UserDelete", |r| code(r, 10104), 1),
        ),
        (
            "11201 for an Info: not retried",
            ("UserInfo", |r| code(r, 11201), 1),
        ),
        (
            "10302 for an Add: one renewal",
            ("UserAdd", |r| code(r, 10302), 2),
        ),
        (
            "10301 for an Info: one renewal",
            ("UserInfo", |r| code(r, 10301), 2),
        ),
        (
            "bad XML for an Info: not retried",
            ("UserInfo", |_| Reply::Xml("<oops".into()), 1),
        ),
    ];
    for (name, (operation, reply, want)) in cases {
        let (count, err) = sent(operation, *reply).await;
        assert_eq!(count, *want, "{name}: {err}");
    }
}

#[tokio::test]
async fn retries_stop_at_the_first_success_and_follow_retry_after() {
    let fake = Fake::start().await;
    fake.seed_users(1);
    fake.state
        .set_hook(|req| match (req.operation.as_str(), req.nth) {
            ("UserAdd", 1) => Reply::Http {
                status: 503,
                content_type: "text/plain",
                body: "maintenance".into(),
                headers: vec![("retry-after", "1".into())],
            },
            ("UserInfo", 1 | 2) => code(req, 10104),
            _ => Reply::Normal,
        });
    let client = builder(&fake.url).build().unwrap();
    let started = Instant::now();
    client.user_add(UserAddRequest::new("n")).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited as told"
    );
    assert_eq!(fake.state.counters.of("UserAdd"), 2);
    client
        .user_info(UserInfoRequest::new("user00000"))
        .await
        .unwrap();
    assert_eq!(fake.state.counters.of("UserInfo"), 3);

    // A Retry-After beyond the policy's total time is not waited for.
    fake.state.set_hook(|req| match req.operation.as_str() {
        "UserDelete" => Reply::Http {
            status: 503,
            content_type: "text/plain",
            body: "later".into(),
            headers: vec![("retry-after", "3600".into())],
        },
        _ => Reply::Normal,
    });
    let started = Instant::now();
    let err = client
        .user_delete(UserDeleteRequest::new("n"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Http(HttpError::Status(ref h)) if h.status == 503),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(fake.state.counters.of("UserDelete"), 1);

    // No retries at all.
    let client = builder(&fake.url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    fake.state.set_hook(|req| match req.operation.as_str() {
        "UserInfo" => code(req, 10104),
        _ => Reply::Normal,
    });
    let before = fake.state.counters.of("UserInfo");
    client
        .user_info(UserInfoRequest::new("user00000"))
        .await
        .unwrap_err();
    assert_eq!(fake.state.counters.of("UserInfo") - before, 1);
}
