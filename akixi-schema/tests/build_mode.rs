//! `akixi_schema::build`: what a build script generates, watches and reports. (The crate
//! `tests/build-mode` uses it from a real `build.rs`.)

use std::path::{Path, PathBuf};

use akixi_schema::build::{Build, BuildError};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn writes_the_formatted_code_of_each_service_and_watches_every_spec_file() {
    let out = tempfile::tempdir().expect("a temporary directory");
    let spec = fixture("minimal");
    let generation = Build::new(&spec)
        .service("widgets")
        .out_dir(out.path())
        .generate();
    let written = generation.written.expect("the minimal spec generates");
    assert_eq!(written, vec![out.path().join("widgets.rs")]);

    // The macro's code (`akixi-spec expand`), each top-level item exempt from the lints a
    // macro's expansion is exempt from.
    let code = std::fs::read_to_string(&written[0]).expect("the generated file");
    let loaded = akixi_schema::Spec::load(&spec).expect("the minimal spec loads");
    let expanded = akixi_schema::codegen::expand(&loaded, "widgets").expect("expands");
    let exemption = "#[allow(unused_parens, clippy::all, clippy::pedantic, clippy::nursery)]\n";
    assert_eq!(code.replace(exemption, ""), expanded);
    assert!(code.starts_with(exemption), "{}", &code[..200]);

    assert_eq!(generation.watched[0], spec);
    let files: Vec<&Path> = generation.watched[1..]
        .iter()
        .map(PathBuf::as_path)
        .collect();
    assert_eq!(
        files,
        vec![spec.join("svc/service.md"), spec.join("svc/widgets.md")]
    );
}

#[test]
fn spec_problems_fail_with_file_line_col_and_still_watch_the_files() {
    let out = tempfile::tempdir().expect("a temporary directory");
    let spec = fixture("broken/duplicate-error-code");
    let generation = Build::new(&spec)
        .service("widgets")
        .out_dir(out.path())
        .generate();
    let Err(err @ BuildError::Spec { .. }) = generation.written else {
        panic!("expected the spec's problems, got {:?}", generation.written);
    };
    let shown = err.to_string();
    let mut lines = shown.lines();
    assert!(
        lines.next().is_some_and(|l| l.ends_with("problem(s):")),
        "{shown}"
    );
    for line in lines.filter(|l| !l.starts_with("  = hint")) {
        let place = line.split(": ").next().unwrap_or_default();
        let mut parts = place.rsplitn(3, ':');
        let (col, row) = (parts.next(), parts.next());
        assert!(col.is_some_and(|c| c.parse::<u32>().is_ok()), "{line}");
        assert!(row.is_some_and(|r| r.parse::<u32>().is_ok()), "{line}");
        assert!(parts.next().is_some_and(|f| f.ends_with(".md")), "{line}");
    }
    assert!(generation.watched.len() > 1, "the spec files are watched");
    assert!(
        std::fs::read_dir(out.path())
            .expect("out dir")
            .next()
            .is_none()
    );
}

#[test]
fn an_unknown_service_names_the_ones_there_are() {
    let out = tempfile::tempdir().expect("a temporary directory");
    let generation = Build::new(fixture("minimal"))
        .service("gizmos")
        .out_dir(out.path())
        .generate();
    let err = generation.written.expect_err("no such service");
    assert!(matches!(err, BuildError::NoService { .. }));
    assert!(
        err.to_string()
            .ends_with("has no service `gizmos` (services: widgets)"),
        "{err}"
    );
}

#[test]
fn several_services_of_the_real_spec_and_serde_on_request() {
    let out = tempfile::tempdir().expect("a temporary directory");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let generation = Build::new(&spec)
        .service("akixi")
        .service("cisco-em")
        .serde(true)
        .out_dir(out.path())
        .generate();
    let written = generation.written.expect("the real spec generates");
    assert_eq!(
        written,
        vec![out.path().join("akixi.rs"), out.path().join("cisco-em.rs")]
    );
    for file in &written {
        let code = std::fs::read_to_string(file).expect("the generated file");
        assert!(
            code.contains("::akixi_client::runtime::serde::Serialize"),
            "{}",
            file.display()
        );
    }
    assert!(
        generation
            .watched
            .iter()
            .any(|p| p.ends_with("akixi/users.md"))
    );
    assert!(
        generation
            .watched
            .iter()
            .any(|p| p.ends_with("cisco-em/em.md"))
    );
}
