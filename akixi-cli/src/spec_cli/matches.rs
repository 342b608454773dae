//! What a parsed command gives: the properties' `(wire path, text)` pairs (secrets and whole
//! files read), paging, `--page-size` and `--concurrency`.

use akixi_client::akixi_ws::grammar;
use akixi_client::runtime::akixi_ws::{OperationInfo, ValueKind};
use clap::ArgMatches;

use crate::spec_cli::names::{inputs, read_from_file, wire_path};
use heck::ToKebabCase;

/// `--page-size`, else the service's default `Limit`.
pub fn page_size(m: &ArgMatches) -> u64 {
    m.get_one::<u64>("page-size")
        .copied()
        .unwrap_or(akixi_client::akixi::DEFAULT_LIMIT)
}

/// `--concurrency`, else `default`.
pub fn concurrency(m: &ArgMatches, default: usize) -> usize {
    m.get_one::<u16>("concurrency")
        .map_or(default, |n| usize::from(*n))
}

/// A paged operation's offset and limit, as given (the envelope's `Offset` and `Limit`);
/// `None` for an operation that does not page.
pub fn paging(op: &OperationInfo, m: &ArgMatches) -> Option<(Option<u64>, Option<u64>)> {
    let flag = |element: &str| m.get_one::<u64>(&element.to_kebab_case()).copied();
    op.paged
        .then(|| (flag(grammar::OFFSET), flag(grammar::LIMIT)))
        .filter(|(o, l)| o.is_some() || l.is_some())
}

/// The `(wire path, text)` pairs of the flags given, secrets read from their files.
pub fn fields(op: &'static OperationInfo, m: &ArgMatches) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for f in inputs(op) {
        let path = wire_path(f.property);
        if let Some(v) = m.get_one::<String>(&path) {
            let value = if f.property.kind == ValueKind::Secret {
                read_secret(v)?
            } else if read_from_file(op, f) {
                read_whole(v)?
            } else {
                v.clone()
            };
            out.push((path, value));
        }
    }
    Ok(out)
}

/// The first line of `path` (`-`: standard input).
pub fn read_secret(path: &str) -> Result<String, String> {
    Ok(read_whole(path)?
        .lines()
        .next()
        .unwrap_or_default()
        .to_string())
}

/// All of `path` (`-`: standard input).
pub fn read_whole(path: &str) -> Result<String, String> {
    if path == "-" {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| format!("cannot read standard input: {e}"))
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}
