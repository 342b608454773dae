//! Listening on a Unix socket in a directory only its user can open.

use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::Error;

/// A socket being served; dropping it removes the socket, and the directory if it was made
/// for it.
pub(crate) struct Bound {
    pub(crate) path: PathBuf,
    pub(crate) created_dir: Option<PathBuf>,
}

impl Drop for Bound {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        if let Some(dir) = &self.created_dir {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Binds `path`; returns the listener and the directory made for it, if one was.
pub(crate) fn bind(path: &Path) -> Result<(tokio::net::UnixListener, Option<PathBuf>), Error> {
    let bad = |why: String| Error::Config(format!("unix socket {}: {why}", path.display()));
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .ok_or_else(|| bad("give a path in a directory".to_owned()))?;
    let created = match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => Some(dir.to_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
        Err(e) => return Err(bad(format!("cannot create {}: {e}", dir.display()))),
    };
    // Not followed if it is a link: the directory itself must be the user's and closed.
    let meta = std::fs::symlink_metadata(dir)?;
    let me = rustix::process::getuid().as_raw();
    if !meta.is_dir() || meta.uid() != me || meta.mode() & 0o077 != 0 {
        return Err(bad(format!(
            "{} must be a directory of yours that nobody else can open (mode 0700)",
            dir.display()
        )));
    }
    match std::fs::symlink_metadata(path) {
        Ok(existing) if existing.file_type().is_socket() => {
            if std::os::unix::net::UnixStream::connect(path).is_ok() {
                return Err(bad("another process is serving there".to_owned()));
            }
            // Left by a process that died.
            std::fs::remove_file(path)?;
        }
        Ok(_) => return Err(bad("exists and is not a socket".to_owned())),
        Err(_) => {}
    }
    let listener =
        tokio::net::UnixListener::bind(path).map_err(|e| bad(format!("cannot listen: {e}")))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok((listener, created))
}
