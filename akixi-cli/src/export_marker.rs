//! The export's completeness marker, and the check `plan`/`apply --prune` make with it.
//!
//! An export that stops half way leaves a valid-looking CSV of part of the entries, which is
//! exactly the file a later `apply --prune` would read, deleting the rest. So an export written
//! to a file (`akixi user export > users.csv`) writes a sidecar, `users.csv.complete`, only
//! when it finished cleanly: the family, the entries, the file's length and a fingerprint of
//! its bytes (FNV-1a). A trailer inside the file would break CSV readers; a sidecar does not.
//! An export that starts removes a marker left beside its file by an earlier one, so a failed
//! export never sits beside a stale marker. (The file is found from standard output: on Linux,
//! `/proc/self/fd/1`, checked to be the same file; elsewhere, and for pipes, no marker is
//! written.)
//!
//! `plan` and `apply` with `--prune` refuse, unless `--trust-file` is given:
//! - a file whose marker does not match it (cut short, or edited since the export);
//! - a CSV file without a marker whose header is exactly what `export` writes (an export that
//!   may have stopped half way);
//! - standard input (`-`), which cannot be checked (an export failing into a pipe looks
//!   complete to the reader).
//!
//! A JSON export says itself whether it finished (its `result`, written last, which `rows`
//! checks), so only its marker, if any, is compared. Files without `--prune` are never checked.

use std::path::{Path, PathBuf};

use akixi_client::runtime::akixi_ws::OperationInfo;
use serde::{Deserialize, Serialize};

use crate::CliError;
use crate::output::Format;
use crate::rows::Fnv;

/// The marker's version.
const VERSION: u32 = 1;

/// What the sidecar says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Marker {
    /// The marker's version.
    akixi_export: u32,
    /// The family exported.
    family: String,
    /// `csv` or `json`.
    format: String,
    /// The entries written.
    entries: usize,
    /// The file's length.
    bytes: u64,
    /// FNV-1a of the file's bytes.
    fingerprint: String,
}

/// The marker's path: `FILE.complete`.
pub fn marker_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".complete");
    PathBuf::from(name)
}

/// The length and fingerprint of `bytes`.
fn fingerprint(bytes: &[u8]) -> (u64, String) {
    let mut h = Fnv::default();
    h.write(bytes);
    (bytes.len() as u64, h.hex())
}

/// The entries of an export's `bytes`: CSV records after the header, or the JSON document's
/// records.
fn entries(bytes: &[u8], format: Format) -> usize {
    if format == Format::Json {
        serde_json::from_slice::<serde_json::Value>(bytes)
            .ok()
            .and_then(|doc| doc.get("records")?.as_array().map(Vec::len))
            .unwrap_or(0)
    } else {
        csv::Reader::from_reader(bytes).records().count()
    }
}

/// The regular file standard output writes to, if it is one and was empty (so the export is
/// the whole file).
#[cfg(target_os = "linux")]
fn stdout_file() -> Option<PathBuf> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let fd = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
    let meta = std::fs::File::from(fd).metadata().ok()?;
    if !meta.is_file() || meta.len() != 0 {
        return None;
    }
    let path = std::fs::read_link("/proc/self/fd/1").ok()?;
    let named = std::fs::metadata(&path).ok()?;
    (named.dev() == meta.dev() && named.ino() == meta.ino()).then_some(path)
}

/// No way to name standard output's file here: no marker.
#[cfg(not(target_os = "linux"))]
fn stdout_file() -> Option<PathBuf> {
    None
}

/// An export under way: where its marker goes, once it finishes cleanly.
pub struct Pending {
    file: Option<PathBuf>,
    family: &'static str,
    format: Format,
}

impl Pending {
    /// Starts an export of `list`'s family in `format` to standard output: removes the marker
    /// an earlier export left beside the same file.
    pub fn begin(list: &OperationInfo, format: Format) -> Pending {
        let file = stdout_file();
        if let Some(file) = &file {
            let marker = marker_path(file);
            match std::fs::remove_file(&marker) {
                Ok(()) => tracing::info!("removed the stale marker {}", marker.display()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => tracing::warn!("cannot remove {}: {e}", marker.display()),
            }
        }
        Pending {
            file,
            family: list.family,
            format,
        }
    }

    /// The export finished cleanly and its output is flushed: writes the marker.
    pub fn finish(self) -> Result<(), CliError> {
        let Some(file) = self.file else {
            return Ok(());
        };
        let bytes = std::fs::read(&file)
            .map_err(|e| CliError::Failure(format!("cannot read {}: {e}", file.display())))?;
        let (len, fingerprint) = fingerprint(&bytes);
        let marker = Marker {
            akixi_export: VERSION,
            family: self.family.to_string(),
            format: format_name(self.format).to_string(),
            entries: entries(&bytes, self.format),
            bytes: len,
            fingerprint,
        };
        let path = marker_path(&file);
        let text =
            serde_json::to_string_pretty(&marker).map_err(|e| CliError::Failure(e.to_string()))?;
        std::fs::write(&path, text + "\n")
            .map_err(|e| CliError::Failure(format!("cannot write {}: {e}", path.display())))?;
        eprintln!(
            "akixi: export complete; {} marks {} as a whole export",
            path.display(),
            file.display()
        );
        Ok(())
    }
}

fn format_name(format: Format) -> &'static str {
    if format == Format::Json {
        "json"
    } else {
        "csv"
    }
}

/// Whether `file` looks like a CSV export of the family: its header is exactly the columns
/// `export` writes (`columns`).
fn csv_export_shaped(bytes: &[u8], columns: &[String]) -> bool {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{' | b'[')) {
        return false;
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let Some(Ok(header)) = reader.records().next() else {
        return false;
    };
    header.len() == columns.len() && header.iter().zip(columns).all(|(h, c)| h.trim() == c)
}

/// The check `plan`/`apply --prune` make of their desired `file` of `family`, whose export
/// writes `columns` (see the module's documentation). `trust` (`--trust-file`) accepts it
/// anyway, with a note.
pub fn check_for_prune(
    file: &Path,
    family: &str,
    columns: &[String],
    trust: bool,
) -> Result<(), CliError> {
    let refuse = |why: String| -> Result<(), CliError> {
        if trust {
            eprintln!("akixi: pruning by {} (--trust-file): {why}", file.display());
            return Ok(());
        }
        Err(CliError::Usage(format!(
            "{why}; nothing was compared. --prune deletes every entry of the scope the file lacks, so it must be whole: export again, or give --trust-file if you wrote or edited it on purpose and it lists every entry to keep"
        )))
    };
    if file.as_os_str() == "-" {
        return refuse(
            "--prune with standard input: a file read from a pipe cannot be checked for completeness (an export that fails half way into a pipe looks whole)"
                .into(),
        );
    }
    let bytes = std::fs::read(file)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", file.display())))?;
    let path = marker_path(file);
    let marker = match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str::<Marker>(&text).map_err(|e| {
            CliError::Usage(format!(
                "{}: not an export's completeness marker: {e}",
                path.display()
            ))
        })?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(CliError::Usage(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    let Some(marker) = marker else {
        if csv_export_shaped(&bytes, columns) {
            return refuse(format!(
                "{} is headed as `{family} export` writes it but has no completeness marker ({}): it may be an export that stopped half way",
                file.display(),
                path.display()
            ));
        }
        tracing::debug!("{}: not an export, no marker to check", file.display());
        return Ok(());
    };
    if marker.family != family {
        return refuse(format!(
            "{} is marked as an export of {}, not {family}",
            file.display(),
            marker.family
        ));
    }
    let (len, fp) = fingerprint(&bytes);
    if (len, fp.as_str()) == (marker.bytes, marker.fingerprint.as_str()) {
        tracing::info!("{}: a whole export, as its marker says", file.display());
        return Ok(());
    }
    let format = if marker.format == "json" {
        Format::Json
    } else {
        Format::Table
    };
    refuse(format!(
        "{} does not match its completeness marker {} (the export wrote {} entries in {} bytes; the file now holds {} entries in {len} bytes): it was cut short or edited since",
        file.display(),
        path.display(),
        marker.entries,
        marker.bytes,
        entries(&bytes, format),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_header_is_recognised_exactly() {
        let cols = vec!["Username".to_string(), "Scope.TelSysID".to_string()];
        assert!(csv_export_shaped(b"Username,Scope.TelSysID\n", &cols));
        assert!(csv_export_shaped(b"Username,Scope.TelSysID\na,1\n", &cols));
        assert!(!csv_export_shaped(b"Username\na\n", &cols));
        assert!(!csv_export_shaped(b"Scope.TelSysID,Username\n", &cols));
        assert!(!csv_export_shaped(b"{\"records\":[]}", &cols));
        assert_eq!(entries(b"A,B\n1,2\n3,4\n", Format::Table), 2);
        assert_eq!(entries(b"{\"records\":[{},{}]}", Format::Json), 2);
        assert_eq!(
            marker_path(Path::new("/x/users.csv")),
            PathBuf::from("/x/users.csv.complete")
        );
    }
}
