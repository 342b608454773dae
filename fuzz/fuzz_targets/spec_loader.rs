//! The spec loader, as a maintainer's edit reaches it: the input is split into files at each
//! `\x1e` byte (a service of several files), each must be UTF-8 to be read as text; whatever
//! they hold gives a model or diagnostics, never a panic.
#![no_main]

use akixi_schema::Spec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let texts: Vec<String> = data
        .split(|b| *b == 0x1e)
        .map(|part| String::from_utf8_lossy(part).into_owned())
        .collect();
    let names: Vec<String> = (0..texts.len()).map(|i| format!("f{i:02}.md")).collect();
    let files: Vec<(&str, &str)> = names
        .iter()
        .zip(&texts)
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let _ = Spec::load_texts("svc", &files);
});
