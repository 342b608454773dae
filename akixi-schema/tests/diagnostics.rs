//! Every broken fixture fails with located diagnostics; together they cover every diagnostic kind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use akixi_schema::{DiagKind, Spec};

fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .expect("fixtures directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .map(|p| {
            (
                p.file_name().expect("name").to_string_lossy().into_owned(),
                p,
            )
        })
        .collect();
    out.sort();
    out
}

/// The file of `unreadable-file` that cannot be read: a link to nothing. It is made here, in a
/// copy of the fixture, because a dangling link in the source tree cannot be packaged.
const UNREADABLE: &str = "unreadable-file";

/// A copy of the `unreadable-file` fixture with its dangling link, kept alive by the returned
/// directory.
fn with_dangling_link(path: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temporary directory");
    let copy = tmp.path().join(UNREADABLE);
    let svc = copy.join("svc");
    std::fs::create_dir_all(&svc).expect("copy of the fixture");
    for entry in std::fs::read_dir(path.join("svc")).expect("the fixture's service") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), svc.join(entry.file_name())).expect("copied file");
    }
    std::os::unix::fs::symlink("no-such-file.md", svc.join("dangling.md")).expect("link");
    (tmp, copy)
}

#[test]
fn each_broken_fixture_is_reported_with_locations() {
    let mut seen = BTreeSet::new();
    for (name, path) in fixtures() {
        let display = format!("broken/{name}");
        let (_keep, path) = if name == UNREADABLE {
            let (tmp, copy) = with_dangling_link(&path);
            (Some(tmp), copy)
        } else {
            (None, path)
        };
        let diags = match Spec::load_as(&path, &display) {
            Ok(_) => panic!("fixture {name} loaded without errors"),
            Err(d) => d,
        };
        assert!(!diags.is_empty(), "{name}: no diagnostics");
        for d in &diags {
            assert!(d.loc.file.starts_with(&display), "{name}: {d}");
            assert!(d.loc.line >= 1 && d.loc.col >= 1, "{name}: {d}");
            seen.insert(d.kind);
        }
        let rendered: Vec<String> = diags.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(format!("broken__{name}"), rendered.join("\n"));
    }
    let missing: Vec<&DiagKind> = DiagKind::ALL.iter().filter(|k| !seen.contains(k)).collect();
    assert!(
        missing.is_empty(),
        "diagnostic kinds with no broken fixture: {missing:?}"
    );
}

#[test]
fn the_minimal_fixture_is_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let spec = Spec::load(dir).map_err(|d| d.iter().map(ToString::to_string).collect::<Vec<_>>());
    let spec = spec.expect("minimal fixture loads");
    insta::assert_snapshot!("minimal_outline", spec.outline());
}
