//! The loader never panics, whatever the files contain.

use std::path::Path;

use akixi_schema::Spec;
use proptest::prelude::*;

fn real_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/akixi");
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("spec dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("read"))
        })
        .collect();
    v.sort();
    v
}

/// Load a spec made of `files` (one service) from a scratch directory.
fn load_files(files: &[(String, Vec<u8>)], tag: u64) {
    let dir = std::env::temp_dir().join(format!("akixi-robust-{}-{tag}", std::process::id()));
    let svc = dir.join("svc");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&svc).expect("mkdir");
    for (name, bytes) in files {
        std::fs::write(svc.join(name), bytes).expect("write");
    }
    let _ = Spec::load(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn mutated_real_spec_never_panics(
        file in 0usize..4,
        cut in 0.0f64..1.0,
        junk in proptest::collection::vec(any::<u8>(), 0..40),
        tag in any::<u64>(),
    ) {
        let files = real_files();
        let file = file % files.len();
        let mut out: Vec<(String, Vec<u8>)> = files.iter().map(|(n, t)| (n.clone(), t.clone().into_bytes())).collect();
        let bytes = &mut out[file].1;
        let at = ((bytes.len() as f64) * cut) as usize;
        bytes.truncate(at.min(bytes.len()));
        bytes.extend_from_slice(&junk);
        load_files(&out, tag);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*", tag in any::<u64>()) {
        load_files(&[("a.md".to_string(), text.into_bytes())], tag);
    }

    #[test]
    fn table_shaped_text_never_panics(
        lines in proptest::collection::vec("(## [a-z:-]{0,20}|> [a-z]{0,8}: [A-Za-z]{0,8}|[|a-zA-Z0-9 ✅❌*,.\\\\-]{0,40})", 0..30),
        tag in any::<u64>(),
    ) {
        load_files(&[("a.md".to_string(), lines.join("\n").into_bytes())], tag);
    }
}
