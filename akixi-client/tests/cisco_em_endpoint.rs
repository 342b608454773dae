//! The seed's endpoint rules, one row per combination of `Url`, `CallManagerHost` and
//! `Version`, for a request (`Login`), a query (`QueryDevices`) and `LogoutAll`.

use akixi_client::cisco_em::{InvalidReason, Scheme};

use akixi_client::em::{CcmVersion, Login, LogoutAll, QueryDevices};
use akixi_client::em::{Client, Error};

/// `-` is "not given"; `""` is given but empty.
const NONE: &str = "-";
/// The outcome "refused before sending".
const REFUSED: &str = "refused: v333";
/// The outcome "no endpoint".
const NO_ENDPOINT: &str = "refused: no endpoint";

const URL: &str = "http://em.example:8080/custom/EMService";
const HOST: &str = "10.0.0.1:8080";

/// (Url, CallManagerHost, Version, Login's URL, QueryDevices' URL, LogoutAll's URL)
const TABLE: &[(&str, &str, &str, &str, &str, &str)] = &[
    // Neither a host nor a URL.
    (NONE, NONE, NONE, NO_ENDPOINT, NO_ENDPOINT, NO_ENDPOINT),
    (
        NONE,
        NONE,
        "Undefined",
        NO_ENDPOINT,
        NO_ENDPOINT,
        NO_ENDPOINT,
    ),
    (NONE, NONE, "v333", NO_ENDPOINT, NO_ENDPOINT, REFUSED),
    (NONE, NONE, "other", NO_ENDPOINT, NO_ENDPOINT, NO_ENDPOINT),
    (NONE, "", NONE, NO_ENDPOINT, NO_ENDPOINT, NO_ENDPOINT),
    (NONE, "", "v333", NO_ENDPOINT, NO_ENDPOINT, REFUSED),
    (NONE, "", "other", NO_ENDPOINT, NO_ENDPOINT, NO_ENDPOINT),
    ("", NONE, NONE, NO_ENDPOINT, NO_ENDPOINT, NO_ENDPOINT),
    ("", "", NONE, NO_ENDPOINT, NO_ENDPOINT, NO_ENDPOINT),
    ("", "", "v333", NO_ENDPOINT, NO_ENDPOINT, REFUSED),
    // A host only: the version picks the path.
    (
        NONE,
        HOST,
        NONE,
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
    ),
    (
        NONE,
        HOST,
        "Undefined",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
    ),
    (
        NONE,
        HOST,
        "v333",
        "http://10.0.0.1:8080/LoginService/login.asp",
        "http://10.0.0.1:8080/LoginService/query.asp",
        REFUSED,
    ),
    (
        NONE,
        HOST,
        "other",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
    ),
    (
        "",
        HOST,
        "v333",
        "http://10.0.0.1:8080/LoginService/login.asp",
        "http://10.0.0.1:8080/LoginService/query.asp",
        REFUSED,
    ),
    // A URL only: used verbatim, whatever the version (v333 still refuses LogoutAll).
    (URL, NONE, NONE, URL, URL, URL),
    (URL, NONE, "Undefined", URL, URL, URL),
    (URL, NONE, "v333", URL, URL, REFUSED),
    (URL, NONE, "other", URL, URL, URL),
    (URL, "", NONE, URL, URL, URL),
    (URL, "", "v333", URL, URL, REFUSED),
    (URL, "   ", "other", URL, URL, URL),
    // Both: the host wins and the URL is ignored.
    (
        URL,
        HOST,
        NONE,
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
    ),
    (
        URL,
        HOST,
        "Undefined",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
    ),
    (
        URL,
        HOST,
        "v333",
        "http://10.0.0.1:8080/LoginService/login.asp",
        "http://10.0.0.1:8080/LoginService/query.asp",
        REFUSED,
    ),
    (
        URL,
        HOST,
        "other",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
        "http://10.0.0.1:8080/emservice/EMServiceServlet",
    ),
];

fn params<B>(mut b: B, url: &str, host: &str, version: &str, set: Setters<B>) -> B {
    if url != NONE {
        b = (set.url)(b, url);
    }
    if host != NONE {
        b = (set.host)(b, host);
    }
    if version != NONE {
        b = (set.version)(b, CcmVersion::from(version));
    }
    b
}

struct Setters<B> {
    url: fn(B, &str) -> B,
    host: fn(B, &str) -> B,
    version: fn(B, CcmVersion) -> B,
}

#[test]
fn every_combination_of_url_host_and_version() {
    let client = Client::new().expect("client");
    let mut failures = Vec::new();
    for &(url, host, version, login, query, logout_all) in TABLE {
        let l = params(
            Login::new("app", "pw", "SEP1", "jdoe"),
            url,
            host,
            version,
            Setters {
                url: |b, v| b.url(v),
                host: |b, v| b.call_manager_host(v),
                version: |b, v| b.version(v),
            },
        );
        let q = params(
            QueryDevices::new("app", "pw", ["SEP1"]),
            url,
            host,
            version,
            Setters {
                url: |b, v| b.url(v),
                host: |b, v| b.call_manager_host(v),
                version: |b, v| b.version(v),
            },
        );
        let a = params(
            LogoutAll::new("app", "pw"),
            url,
            host,
            version,
            Setters {
                url: |b, v| b.url(v),
                host: |b, v| b.call_manager_host(v),
                version: |b, v| b.version(v),
            },
        );
        let got = (
            show(client.endpoint(&l)),
            show(client.endpoint(&q)),
            show(client.endpoint(&a)),
        );
        let want = (login.to_owned(), query.to_owned(), logout_all.to_owned());
        if got != want {
            failures.push(format!(
                "Url={url:?} CallManagerHost={host:?} Version={version:?}:\n  got  {got:?}\n  want {want:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn show<U: std::fmt::Display>(r: Result<U, Error>) -> String {
    match r {
        Ok(url) => url.to_string(),
        Err(Error::Invalid(e)) => match e.reason {
            InvalidReason::UnsupportedVersion { .. } => REFUSED.to_owned(),
            InvalidReason::NoEndpoint { .. } => NO_ENDPOINT.to_owned(),
            other => format!("refused: {other}"),
        },
        Err(other) => format!("error: {other}"),
    }
}

#[test]
fn https_is_a_choice_of_the_client_and_urls_keep_their_own_scheme() {
    let https = Client::builder()
        .scheme(Scheme::Https)
        .build()
        .expect("client");
    let action = LogoutAll::new("app", "pw").call_manager_host("cucm.example:8443");
    assert_eq!(
        show(https.endpoint(&action)),
        "https://cucm.example:8443/emservice/EMServiceServlet"
    );
    let plain = Client::new().expect("client");
    assert_eq!(plain.scheme(), Scheme::Http);
    assert_eq!(
        show(plain.endpoint(&action)),
        "http://cucm.example:8443/emservice/EMServiceServlet"
    );
    let by_url = LogoutAll::new("app", "pw").url("http://em.example/x");
    assert_eq!(show(https.endpoint(&by_url)), "http://em.example/x");
    // IPv6 publishers are written as the seed writes hosts: [IP]:[Port].
    let v6 = LogoutAll::new("app", "pw").call_manager_host("[::1]:8080");
    assert_eq!(
        show(plain.endpoint(&v6)),
        "http://[::1]:8080/emservice/EMServiceServlet"
    );
}

#[test]
fn unusable_hosts_and_urls_are_refused_with_the_parameter_named() {
    let client = Client::new().expect("client");
    for (action, parameter) in [
        (
            LogoutAll::new("a", "p").call_manager_host("10.0.0.1/x"),
            "CallManagerHost",
        ),
        (
            LogoutAll::new("a", "p").call_manager_host("10.0.0.1:99999"),
            "CallManagerHost",
        ),
        (
            LogoutAll::new("a", "p").call_manager_host("me:pw@10.0.0.1"),
            "CallManagerHost",
        ),
        (LogoutAll::new("a", "p").url("not a url"), "Url"),
        (LogoutAll::new("a", "p").url("ftp://em.example/"), "Url"),
        (
            LogoutAll::new("a", "p").url("http://me:pw@em.example/"),
            "Url",
        ),
    ] {
        match client.endpoint(&action) {
            Err(Error::Invalid(e)) => match &e.reason {
                InvalidReason::BadEndpoint { parameter: p, .. } => {
                    assert_eq!(*p, parameter, "{e}");
                }
                other => panic!("{action:?}: {other}"),
            },
            other => panic!("{action:?}: {other:?}"),
        }
    }
}

#[test]
fn logout_all_on_v333_says_why() {
    let client = Client::new().expect("client");
    let action = LogoutAll::new("a", "p")
        .call_manager_host("10.0.0.1")
        .version(CcmVersion::V333);
    let e = client.endpoint(&action).expect_err("refused");
    let text = e.to_string();
    assert!(
        text.starts_with("LogoutAll was not sent: Version `v333` (CCM 3.3)"),
        "{text}"
    );
    assert!(
        text.contains("Login, Logout, QueryUsers, QueryDevices"),
        "{text}"
    );
    assert!(!e.was_sent());
    assert_eq!(e.error_code().code(), 0);
    assert_eq!(e.error_message(), None, "not sent: the seed's null");
}
