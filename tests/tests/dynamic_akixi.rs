//! Operations by name (`akixi::dynamic`), as the command line uses them.

use akixi_client::akixi::{Platform, dynamic};
use akixi_client::runtime::akixi_ws::DynError;
use akixi_tests::{response_example, seed, xml_examples};

/// Answers every call with the seed's documented response for that operation.
fn seeded() -> akixi_tests::Canned<impl Fn(&str) -> String + Sync> {
    akixi_tests::Canned(|name: &str| {
        let id = match name {
            "UserAdd" => "00024",
            "UserChange" => "00025",
            "UserDelete" => "00026",
            "UserList" => "00027",
            _ => "00028",
        };
        response_example(&xml_examples(&seed("akixi-application-users.txt")), id)
    })
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    // The futures here are ready at once; no runtime is needed.
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[test]
fn validation_reports_every_problem_at_once() {
    let f = fields(&[
        ("LockOut", "maybe"),
        ("Scope.TelSysID", "x"),
        ("Colour", "red"),
        ("SynchroniseSupervisorPermissions", "True"),
    ]);
    match dynamic::validate("UserAdd", &f, Some(Platform::Hipath3000)) {
        Err(DynError::Fields(errors)) => {
            let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
            assert_eq!(errors.len(), 4, "{text:?}");
            assert!(
                text.iter()
                    .any(|t| t.contains("Username") && t.contains("required")),
                "{text:?}"
            );
            assert!(
                text.iter()
                    .any(|t| t.contains("LockOut") && t.contains("Boolean")),
                "{text:?}"
            );
            assert!(
                text.iter().any(|t| t.contains("Scope.TelSysID")),
                "{text:?}"
            );
            assert!(text.iter().any(|t| t.contains("Colour")), "{text:?}");
        }
        other => panic!("{other:?}"),
    }
    let ok = fields(&[
        ("Username", "a@example.com"),
        ("SynchroniseSupervisorPermissions", "on"),
    ]);
    assert!(dynamic::validate("UserAdd", &ok, Some(Platform::CiscoBroadworks)).is_ok());
    match dynamic::validate("UserAdd", &ok, Some(Platform::Hipath3000)) {
        Err(DynError::Unsupported(msg)) => {
            assert!(msg.contains("SynchroniseSupervisorPermissions"), "{msg}")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        dynamic::validate("UserFrobnicate", &ok, None),
        Err(DynError::UnknownOperation(_))
    ));
    assert!(!dynamic::NAMES.contains(&"CreateSession"));
}

#[test]
fn responses_become_records() {
    let info = block_on(dynamic::call(
        &seeded(),
        "UserInfo",
        &fields(&[("Username", "x")]),
        None,
    ))
    .expect("call");
    assert_eq!(info.len(), 1);
    let rec = &info[0];
    assert!(rec.contains(&("Username".to_string(), "supervisor@example.com".to_string())));
    assert!(rec.contains(&("Scope.TelSysID".to_string(), "100100".to_string())));
    assert!(rec.contains(&("DefaultLang".to_string(), "en_GB".to_string())));
    let list = block_on(dynamic::call(&seeded(), "UserList", &[], None)).expect("call");
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[1][0],
        (
            "Username".to_string(),
            "administrator@example.com".to_string()
        )
    );
    let add = block_on(dynamic::call(
        &seeded(),
        "UserAdd",
        &fields(&[("Username", "x")]),
        None,
    ))
    .expect("call");
    assert_eq!(add, vec![Vec::new()], "a plain Success is one empty record");
}
