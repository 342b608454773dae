//! The real spec in `spec/` loads cleanly, and its model is what the tables say.

use std::path::{Path, PathBuf};

use akixi_schema::Spec;

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn load() -> Spec {
    match Spec::load_as(spec_dir(), "spec") {
        Ok(s) => s,
        Err(diags) => {
            let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
            panic!("the real spec has problems:\n{}", text.join("\n"));
        }
    }
}

#[test]
fn real_spec_outline() {
    let spec = load();
    insta::assert_snapshot!("real_spec_summary", spec.summary_line());
    insta::assert_snapshot!("real_spec_outline", spec.outline());
}

#[test]
fn the_readme_s_family_table_is_what_akixi_spec_families_prints() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README");
    let begin = "<!-- families:begin (akixi-spec families spec) -->\n";
    let block = readme
        .split_once(begin)
        .and_then(|(_, rest)| rest.split_once("<!-- families:end -->"))
        .map(|(block, _)| block)
        .expect("the README has the families block");
    let table = load().families_table("akixi").expect("the akixi service");
    assert_eq!(
        block, table,
        "README.md's family table is stale: paste `cargo run -p akixi-schema --bin akixi-spec -- families spec`"
    );
}

#[test]
fn loading_from_memory_gives_the_model_the_directory_gives() {
    let dir = spec_dir().join("akixi");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the akixi spec")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let texts: Vec<(String, String)> = names
        .iter()
        .map(|n| {
            (
                n.clone(),
                std::fs::read_to_string(dir.join(n)).expect("reads"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let from_memory = Spec::load_texts("akixi", &files).expect("loads");
    let from_disk = load();
    let akixi_outline = |spec: &Spec| {
        let outline = spec.outline();
        outline
            .split("service ")
            .find(|s| s.starts_with("akixi "))
            .map(str::to_owned)
            .expect("the akixi service")
    };
    assert_eq!(akixi_outline(&from_memory), akixi_outline(&from_disk));
    let broken = Spec::load_texts("svc", &[("a.md", "## service\n\n| Key |\n|---|\n| x |\n")]);
    let diags = broken.expect_err("a broken service");
    assert!(
        diags[0].to_string().starts_with("svc/a.md:"),
        "{}",
        diags[0]
    );
}

/// Copy the real spec into a fresh temporary directory.
fn copy_spec(tag: &str) -> PathBuf {
    let dst = std::env::temp_dir().join(format!("akixi-spec-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dst);
    copy_dir(&spec_dir(), &dst);
    dst
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read_dir") {
        let p = e.expect("entry").path();
        let to = dst.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_dir(&p, &to);
        } else {
            std::fs::copy(&p, &to).expect("copy");
        }
    }
}

#[test]
fn flipping_one_support_mark_changes_exactly_that_fact() {
    let before = load();
    let dir = copy_spec("flip");
    let users = dir.join("akixi/users.md");
    let text = std::fs::read_to_string(&users).expect("read");
    let row = "DefaultLang | ✅ | ✅ | ✅ | ✅ | ✅ |";
    assert_eq!(text.matches(row).count(), 1);
    std::fs::write(
        &users,
        text.replace(row, "DefaultLang | ✅ | ✅ | ❌ | ✅ | ✅ |"),
    )
    .expect("write");
    let after = Spec::load(&dir).expect("edited spec loads");
    let _ = std::fs::remove_dir_all(&dir);

    let prop = |s: &Spec| {
        let svc = s.service("akixi").expect("akixi");
        let fam = svc
            .families
            .iter()
            .find(|f| f.name == "User")
            .expect("User");
        let p = fam
            .properties
            .iter()
            .find(|p| p.name == "DefaultLang")
            .expect("DefaultLang");
        p.support.clone().expect("has a matrix row")
    };
    assert_eq!(prop(&before), vec![true; 5]);
    assert_eq!(prop(&after), vec![true, true, false, true, true]);
    // Nothing else moved: the outlines differ in that one line.
    let a = before.outline();
    let b = after.outline();
    let changed: Vec<(&str, &str)> = a.lines().zip(b.lines()).filter(|(x, y)| x != y).collect();
    assert_eq!(a.lines().count(), b.lines().count());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].1.contains("property DefaultLang") && !changed[0].1.contains("hipath3000"));
}

#[test]
fn documented_facts_hold() {
    let spec = load();
    let svc = spec.service("akixi").expect("akixi");
    let ids: Vec<&str> = svc.platforms.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "cisco-broadworks",
            "broadsoft-m6",
            "hipath3000",
            "panasonic-tda-ncp",
            "demo-simulator"
        ]
    );
    let users = svc
        .families
        .iter()
        .find(|f| f.name == "User")
        .expect("User");
    let sync = users
        .properties
        .iter()
        .find(|p| p.name == "SynchroniseSupervisorPermissions")
        .expect("prop");
    assert_eq!(
        sync.support.as_deref(),
        Some(&[true, false, false, false, false][..])
    );
    let partial: Vec<u32> = svc
        .errors
        .iter()
        .filter(|e| e.partial_fail)
        .map(|e| e.code)
        .collect();
    assert_eq!(partial, [10210, 11230, 11231, 11233, 11234, 11235]);
    let (_, add) = svc.operation("UserAdd").expect("UserAdd");
    assert_eq!(add.errors.iter().filter(|e| e.code == 11113).count(), 1);
    let (_, change) = svc.operation("UserChange").expect("UserChange");
    let codes: Vec<u32> = change.errors.iter().map(|e| e.code).collect();
    assert!(codes.contains(&11201) && codes.contains(&11213) && !codes.contains(&11231));
    // Write-only properties are not returned by UserInfo.
    let returned: Vec<String> = users.outputs("UserInfo").map(|(p, _)| p.path()).collect();
    assert!(
        !returned
            .iter()
            .any(|p| p == "Password" || p == "SendWelcomeEmail")
    );
    assert!(returned.iter().any(|p| p == "Scope.CallRecIntID"));
}
