//! `#[derive(akixi_derive::Operation)]` and `#[derive(akixi_derive::Response)]`: operations the
//! spec is pretended to lack (`UserAdd`, `UserInfo` and `UserList`, written by hand as
//! `MyUserAdd`, `MyUserInfo` and `MyUserList`) go through the real `akixi_client::Client` to the
//! simulator: the API session is established once for every call, the decoded fields are the
//! simulator's, a missing user is a typed `Fail` code, the password is sent protected (the new
//! user signs in with it) and list entries decode into a `Vec`.

use akixi_client::Client;
use akixi_client::akixi::ErrorCode;
use akixi_client::akixi_ws::decode_response;
use akixi_client::runtime::akixi_ws::{OpKind, Operation, Password, Validate};
use akixi_client::runtime::akixi_ws::{PasswordsAsIs, decode_operation, encode_request};
use akixi_sim::{Config, HashCost, Simulator};

const ADMIN: &str = "admin@akixi-sim.invalid";
const PASSWORD: &str = "Adm1n-pa55word";

/// `UserAdd`, written by hand: a required key, optional text, a password and a container.
#[derive(Debug, Clone, PartialEq, akixi_derive::Operation)]
#[akixi(
    operation = "UserAdd",
    family = "User",
    kind = "add",
    service = akixi_client::akixi::Service,
    response = ()
)]
struct MyUserAdd {
    username: String,
    full_name: Option<String>,
    password: Option<Password>,
    #[akixi(name = "PasswordChgRequired")]
    must_change_password: Option<bool>,
}

/// `UserInfo`, written by hand.
#[derive(Debug, Clone, PartialEq, akixi_derive::Operation)]
#[akixi(
    operation = "UserInfo",
    family = "User",
    kind = "info",
    service = akixi_client::akixi::Service,
    response = MyUserInfoResponse
)]
struct MyUserInfo {
    username: String,
}

#[derive(Debug, Default, PartialEq, akixi_derive::Response)]
#[akixi(service = akixi_client::akixi::Service)]
struct MyUserInfoResponse {
    /// Required: a response without it is a decode error.
    username: String,
    full_name: Option<String>,
    lock_out: Option<bool>,
    #[akixi(name = "PasswordChgRequired")]
    must_change_password: Option<bool>,
    #[akixi(name = "EnableMFA")]
    enable_mfa: Option<bool>,
    #[akixi(container = "Scope", name = "TelSysID")]
    tel_sys_id: Option<u32>,
}

/// `UserList`, written by hand: its entries in a `Vec`.
#[derive(Debug, Clone, PartialEq, akixi_derive::Operation)]
#[akixi(
    operation = "UserList",
    family = "User",
    kind = "list",
    service = akixi_client::akixi::Service,
    response = MyUserListResponse
)]
struct MyUserList {}

#[derive(Debug, Default, akixi_derive::Response)]
struct MyUserListResponse {
    users: Vec<MyUserEntry>,
}

#[derive(Debug, Default, akixi_derive::Response)]
struct MyUserEntry {
    username: String,
    full_name: Option<String>,
}

fn client(url: &str, user: &str, password: &str) -> Client {
    Client::builder(url)
        .credentials(user, password)
        .allow_http(true)
        .build()
        .expect("a client")
}

#[test]
fn the_derived_traits_are_the_generated_ones() {
    assert_eq!(<MyUserInfo as Operation>::NAME, "UserInfo");
    assert_eq!(<MyUserInfo as Operation>::FAMILY, "User");
    assert_eq!(<MyUserInfo as Operation>::KIND, OpKind::Info);
    assert_eq!(<MyUserAdd as Operation>::KIND, OpKind::Add);
    const { assert!(!<MyUserList as Operation>::PAGED) };
    assert_eq!(<MyUserInfo as Operation>::ERROR_CODES, &[] as &[u32]);
    let add = MyUserAdd {
        username: "a@b.invalid".into(),
        full_name: None,
        password: Some(Password::new("x")),
        must_change_password: Some(true),
    };
    // No platform rules: valid everywhere.
    for platform in akixi_client::akixi::Platform::ALL {
        assert_eq!(add.validate_for(*platform), Ok(()));
    }
    // What the generated request writes, the derived one reads back (an unset option is absent).
    let xml = encode_request(&add, "1", Some("S"), &PasswordsAsIs).expect("encodes");
    assert!(
        xml.contains(r#"<Property Name="PasswordChgRequired">True</Property>"#),
        "{xml}"
    );
    assert!(!xml.contains("FullName"), "{xml}");
    let back = decode_operation::<MyUserAdd>(xml.as_bytes()).expect("decodes");
    assert_eq!(back.payload, Some(add.clone()));
    let generated = decode_operation::<akixi_client::akixi::user::UserAddRequest>(xml.as_bytes())
        .expect("the generated request reads it");
    assert_eq!(
        generated.payload.map(|r| r.get_username().clone()),
        Some(add.username)
    );
}

#[test]
fn a_response_decodes_by_wire_name_and_requires_its_required_fields() {
    let xml = br#"<Response Result="Success"><InvokeID>7</InvokeID><Success>
        <Property Name="Username">ann@example.com</Property>
        <Property Name="LockOut">true</Property>
        <Property Name="EnableMFA">0</Property>
        <Property Name="Unknown">ignored</Property>
        <Container Name="Scope"><Property Name="TelSysID">100100</Property>
            <Container Name="Deeper"><Property Name="TelSysID">1</Property></Container></Container>
        <Container Name="Other"><Property Name="TelSysID">2</Property></Container>
    </Success></Response>"#;
    let decoded =
        decode_response::<MyUserInfoResponse>(xml, &akixi_client::akixi::BINDING).expect("decodes");
    assert_eq!(
        decoded.data,
        Some(MyUserInfoResponse {
            username: "ann@example.com".into(),
            full_name: None,
            // Any of the service's Boolean spellings.
            lock_out: Some(true),
            must_change_password: None,
            enable_mfa: Some(false),
            tel_sys_id: Some(100100),
        })
    );
    let without = br#"<Response Result="Success"><InvokeID>7</InvokeID><Success>
        <Property Name="FullName">Ann</Property></Success></Response>"#;
    let error = decode_response::<MyUserInfoResponse>(without, &akixi_client::akixi::BINDING)
        .expect_err("Username is required");
    assert!(error.to_string().contains("Username"), "{error}");
    let bad = br#"<Response Result="Success"><InvokeID>7</InvokeID><Success>
        <Property Name="Username">a</Property><Container Name="Scope">
        <Property Name="TelSysID">many</Property></Container></Success></Response>"#;
    let error = decode_response::<MyUserInfoResponse>(bad, &akixi_client::akixi::BINDING)
        .expect_err("not a number");
    assert!(error.to_string().contains("TelSysID"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_derived_operation_goes_through_the_client() {
    let sim = Simulator::start(
        Config::default()
            .admin(ADMIN, PASSWORD)
            .hash_cost(HashCost::Minimal),
    )
    .await
    .expect("the simulator starts");
    let admin = client(sim.url(), ADMIN, PASSWORD);

    // The administrator reads itself: the fields are the simulator's.
    let me = admin
        .call(MyUserInfo {
            username: ADMIN.into(),
        })
        .await
        .expect("UserInfo by hand");
    assert_eq!(me.username, ADMIN);
    assert_eq!(me.lock_out, Some(false));
    assert!(admin.has_session());

    // A user added with a password that must change, then read back.
    let user = "derived.user@akixi-sim.invalid";
    let user_password = "Deriv3d-pa55word";
    admin
        .call(MyUserAdd {
            username: user.into(),
            full_name: Some("Derived User".into()),
            password: Some(Password::new(user_password)),
            must_change_password: Some(false),
        })
        .await
        .expect("UserAdd by hand");
    let added = admin
        .call(MyUserInfo {
            username: user.into(),
        })
        .await
        .expect("the new user");
    assert_eq!(added.username, user);
    assert_eq!(added.full_name.as_deref(), Some("Derived User"));
    assert_eq!(added.must_change_password, Some(false));

    // A missing user is the service's typed code.
    let missing = admin
        .call(MyUserInfo {
            username: "nobody@akixi-sim.invalid".into(),
        })
        .await
        .expect_err("no such user");
    let code = missing.code().expect("an API error code");
    assert_eq!(code.code(), 11201, "{missing}");
    assert_eq!(code, ErrorCode::from_code(11201));
    // Each request has its own InvokeID from the client's one sequence (the sign-in first,
    // then UserInfo, UserAdd, UserInfo and this one).
    assert_eq!(missing.invoke_id(), Some("00005"), "{missing:?}");

    // List entries, decoded into the `Vec`.
    let list = admin.call(MyUserList {}).await.expect("UserList by hand");
    assert!(
        list.users.iter().any(|u| u.username == ADMIN),
        "{:?}",
        list.users
    );

    // Every call shared one API session, signed in once.
    let stats = sim.stats();
    assert_eq!(stats.live_sessions, 1, "one session for every call");
    assert_eq!(stats.password_verifications, 1, "one sign-in");

    // The password went protected as the service's scheme says: the new user signs in with it.
    let newcomer = client(sim.url(), user, user_password);
    let refused = newcomer
        .call(MyUserInfo {
            username: user.into(),
        })
        .await
        .expect_err("a user without rights");
    // Signed in, then refused the read for want of `User|Read`: not a sign-in failure.
    assert!(
        matches!(refused, akixi_client::Error::Api(_)),
        "{refused:?}"
    );
    assert_eq!(refused.code().map(|c| c.code()), Some(10511), "{refused}");
    assert_eq!(refused.invoke_id(), Some("00002"), "its own sequence");
    assert_eq!(sim.stats().live_sessions, 2);
    sim.shutdown().await.expect("stops");
}
