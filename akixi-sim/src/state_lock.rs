//! One process per state file. Two simulators writing one SQLite file would each keep their own
//! picture of the state and overwrite the other's changes, so the first to open it takes an
//! exclusive lock on `<state>.lock` (held until it exits, released by the OS even on a crash)
//! and writes there who holds it and, once serving, where; a second gets
//! [`LockError::InUse`] saying so. Files are created readable by their owner only: the state
//! holds session ids and nonces.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

/// The lock could not be taken.
#[derive(Debug)]
pub(crate) enum LockError {
    /// Another process holds it: who, as it wrote in the lock file.
    InUse { path: PathBuf, holder: String },
    /// The lock file could not be opened or written.
    Io(String),
}

/// The lock on a state file, held while the value lives.
#[derive(Debug)]
pub(crate) struct StateLock {
    file: File,
}

/// `<state>.lock`.
fn lock_path(state: &Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Opens (creating it readable by its owner only) `path` for reading and writing.
pub(crate) fn open_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

impl StateLock {
    /// Takes the lock on `state`, or says who holds it.
    pub(crate) fn acquire(state: &Path) -> Result<StateLock, LockError> {
        let path = lock_path(state);
        let io = |e: std::io::Error| LockError::Io(format!("{}: {e}", path.display()));
        let file = open_private(&path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                return Err(LockError::InUse {
                    path: state.to_path_buf(),
                    holder: holder.trim().to_owned(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        let lock = StateLock {
            file: file.try_clone().map_err(io)?,
        };
        write_holder(&file, None).map_err(io)?;
        Ok(lock)
    }

    /// Records where the holder serves, for whoever finds the file locked.
    pub(crate) fn announce(&self, url: &str) {
        if let Err(error) = write_holder(&self.file, Some(url)) {
            tracing::debug!(%error, "cannot record the serving address in the lock file");
        }
    }
}

fn write_holder(file: &File, url: Option<&str>) -> std::io::Result<()> {
    let mut text = format!("akixi-sim, process {}", std::process::id());
    if let Some(url) = url {
        text.push_str(&format!(", serving at {url}"));
    }
    let mut file = file;
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    file.write_all(text.as_bytes())
}
