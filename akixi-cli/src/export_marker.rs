//! The export's completeness marker, and the check `plan`/`apply --prune` make with it.
//!
//! An export that stops half way leaves a valid-looking CSV of part of the entries, which is
//! exactly the file a later `apply --prune` would read, deleting the rest. So an export written
//! to a file (`akixi user export > users.csv`) marks it with sidecars (a trailer inside the
//! file would break CSV readers; a sidecar does not):
//! - when it starts, `users.csv.incomplete` (the family, when), and it removes any
//!   `users.csv.complete` an earlier export left, so that a failed export never sits beside a
//!   stale marker;
//! - only when it finished cleanly, `users.csv.complete` (the family, the entries, the file's
//!   length and a fingerprint of its bytes, FNV-1a), and then it removes the `.incomplete` one.
//!
//! An export that fails, is interrupted or killed thus leaves `.incomplete` beside its file.
//! (The file is found from standard output: on Linux, `/proc/self/fd/1`, checked to be the
//! same file and empty at the start; elsewhere, and for pipes, no marker is written.)
//!
//! `plan` and `apply` with `--prune` refuse, unless `--trust-file` is given:
//! - a file beside an `.incomplete` marker (an export that did not finish);
//! - a file whose `.complete` marker does not match it (cut short, or edited since);
//! - standard input (`-`), which cannot be checked (an export failing into a pipe looks whole
//!   to the reader).
//!
//! A file with neither marker is the operator's own and is not refused: a header alone cannot
//! tell an export from a hand-written file (a directory entry's four columns are both). A JSON
//! export also says itself whether it finished (its `result`, written last, which `rows`
//! checks). Files without `--prune` are never checked.

use std::path::{Path, PathBuf};

use akixi_client::runtime::akixi_ws::OperationInfo;
use serde::{Deserialize, Serialize};

use crate::bulk::rows::Fnv;
use crate::error::CliError;
use crate::output::Format;

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
    beside(file, ".complete")
}

/// The in-progress marker's path: `FILE.incomplete`.
pub fn in_progress_path(file: &Path) -> PathBuf {
    beside(file, ".incomplete")
}

fn beside(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// What the in-progress sidecar says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct InProgress {
    /// The marker's version.
    akixi_export: u32,
    /// The family being exported.
    family: String,
    /// When the export started (seconds since 1970).
    started: u64,
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
    /// an earlier export left beside the same file, and marks it in progress.
    pub fn begin(list: &OperationInfo, format: Format) -> Pending {
        let file = stdout_file();
        if let Some(file) = &file {
            let marker = marker_path(file);
            match std::fs::remove_file(&marker) {
                Ok(()) => tracing::info!("removed the stale marker {}", marker.display()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => eprintln!("akixi: cannot remove {}: {e}", marker.display()),
            }
            let started = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let mark = InProgress {
                akixi_export: VERSION,
                family: list.family.to_string(),
                started,
            };
            let path = in_progress_path(file);
            let written = serde_json::to_string_pretty(&mark)
                .map_err(std::io::Error::other)
                .and_then(|text| std::fs::write(&path, text + "\n"));
            if let Err(e) = written {
                eprintln!("akixi: cannot write {}: {e}", path.display());
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
        let in_progress = in_progress_path(&file);
        if let Err(e) = std::fs::remove_file(&in_progress)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            return Err(CliError::Failure(format!(
                "cannot remove {}: {e}",
                in_progress.display()
            )));
        }
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

/// The check `plan`/`apply --prune` make of their desired `file` of `family` (see the
/// module's documentation). `trust` (`--trust-file`) accepts it anyway, with a note.
pub fn check_for_prune(file: &Path, family: &str, trust: bool) -> Result<(), CliError> {
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
    let in_progress = in_progress_path(file);
    if in_progress.exists() {
        let since = std::fs::read_to_string(&in_progress)
            .ok()
            .and_then(|t| serde_json::from_str::<InProgress>(&t).ok())
            .map(|m| {
                format!(
                    " (an export of {} started at {} s since 1970)",
                    m.family, m.started
                )
            })
            .unwrap_or_default();
        return refuse(format!(
            "{} is an export that did not finish: {} marks it in progress{since}",
            file.display(),
            in_progress.display()
        ));
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
        tracing::debug!(
            "{}: no export's marker, the operator's own file",
            file.display()
        );
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
    fn markers_sit_beside_their_file_and_count_its_entries() {
        assert_eq!(entries(b"A,B\n1,2\n3,4\n", Format::Table), 2);
        assert_eq!(entries(b"{\"records\":[{},{}]}", Format::Json), 2);
        assert_eq!(
            marker_path(Path::new("/x/users.csv")),
            PathBuf::from("/x/users.csv.complete")
        );
        assert_eq!(
            in_progress_path(Path::new("users.csv")),
            PathBuf::from("users.csv.incomplete")
        );
    }
}
