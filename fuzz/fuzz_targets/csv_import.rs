//! The import's row validation: a CSV (header of wire names) whose rows become the requests of
//! every add and bulk-add operation of the spec, by name, checked as `akixi user import --dry-run` checks them (every value against
//! its type, required properties, platform support); any file gives problems, never a panic.
#![no_main]

use akixi_client::akixi::{OPERATIONS, Platform, dynamic};
use akixi_client::runtime::akixi_ws::OpKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let Ok(header) = reader.headers().cloned() else {
        return;
    };
    for (i, record) in reader.records().take(64).enumerate() {
        let Ok(record) = record else { continue };
        let fields: Vec<(String, String)> = header
            .iter()
            .zip(record.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let platform = Platform::ALL.get(i % (Platform::ALL.len() + 1)).copied();
        for op in OPERATIONS
            .iter()
            .filter(|o| matches!(o.kind, OpKind::Add | OpKind::BulkAdd))
        {
            let _ = dynamic::validate(op.name, &fields, platform);
        }
    }
});
