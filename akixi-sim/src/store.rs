//! Durable state: an SQLite database in WAL mode, one transaction per request.
//!
//! The in-memory [`World`] is the working copy; every change is first committed here, under
//! the same lock that then applies it to the world, so what a client was told succeeded is
//! on disk (`synchronous = FULL`: it survives a killed process and a power cut) and the two
//! never disagree. Entities of every family share two tables: one row an entity, one row a
//! stored property; the key is recomputed from the properties when the file is read.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, params};

use crate::akixi::catalog::{Catalog, FamilyModel, Field};
use crate::akixi::world::{Account, Entity, Key, KeyPart, Session, World, key_of};
use crate::em::Occupant;
use crate::state_lock::{LockError, StateLock, open_private};
use akixi_client::runtime::akixi_ws::Secret;

/// The schema version this code writes (`PRAGMA user_version`). Version 3 added the sessions'
/// `used_at`; a version-2 file is migrated when opened ([`MIGRATE_2_TO_3`]).
const SCHEMA_VERSION: i64 = 3;

const SCHEMA: &str = "
CREATE TABLE entities (
    family TEXT NOT NULL, key TEXT NOT NULL, password_hash TEXT,
    PRIMARY KEY (family, key)) WITHOUT ROWID;
-- One row per stored property; container '' is the top level.
CREATE TABLE entity_fields (
    family TEXT NOT NULL, key TEXT NOT NULL, ordinal INTEGER NOT NULL,
    container TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (family, key, ordinal),
    FOREIGN KEY (family, key) REFERENCES entities (family, key) ON DELETE CASCADE) WITHOUT ROWID;
-- used_at: when the session was last used (ms since the Unix epoch, as of its last write), so
-- that a restart cannot revive a session that had expired.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY, nonce TEXT NOT NULL, account TEXT, used_at INTEGER) WITHOUT ROWID;
";

/// From version 2, whose sessions carry no time of last use: the column is added and the
/// sessions are dropped (how long they had been idle is unknown, and reviving an expired one
/// is what the column prevents; their clients sign in again). Entities are kept as they are.
const MIGRATE_2_TO_3: &str = "
ALTER TABLE sessions ADD COLUMN used_at INTEGER;
DELETE FROM sessions;
PRAGMA user_version = 3;
";

/// The Extension Mobility simulator's logins (added to a file of this version without them).
const EM_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS em_logins (
    device TEXT PRIMARY KEY, user TEXT NOT NULL, profile TEXT NOT NULL, minutes INTEGER)
    WITHOUT ROWID;
";

/// The state file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("state database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file was written by another version of the simulator.
    #[error(
        "the state file has schema version {found}; this simulator reads version {SCHEMA_VERSION} \
         (move the file away to start afresh)"
    )]
    Version {
        /// The version found.
        found: i64,
    },
    /// The file holds something this simulator cannot interpret.
    #[error("the state file is inconsistent: {0}")]
    Corrupt(String),
    /// Another process has the state file open.
    #[error(
        "the state file {} is in use by another process ({holder}); stop it, point at it with \
         --url, or use another state file",
        path.display()
    )]
    InUse {
        /// The state file.
        path: std::path::PathBuf,
        /// Who holds it, as it wrote in the lock file (its process, and where it serves).
        holder: String,
    },
    /// The state file or its lock could not be opened.
    #[error("{0}")]
    Io(String),
}

impl From<LockError> for StoreError {
    fn from(e: LockError) -> Self {
        match e {
            LockError::InUse { path, holder } => StoreError::InUse { path, holder },
            LockError::Io(message) => StoreError::Io(message),
        }
    }
}

/// One change to persist.
pub(crate) enum Write<'a> {
    /// Insert or replace an entity with all its properties.
    Put {
        family: &'a FamilyModel,
        key: &'a Key,
        entity: &'a Entity,
    },
    Delete {
        family: &'a FamilyModel,
        key: &'a Key,
    },
    Session {
        id: &'a str,
        session: &'a Session,
    },
    DeleteSession(&'a str),
    /// Every session signed in as this account.
    DeleteSessionsOf(&'a Key),
    /// When a stored session was last used (nothing if it is not stored).
    SessionUsed {
        id: &'a str,
        session: &'a Session,
    },
    /// Who is logged in to an Extension Mobility device now (nobody: `None`).
    EmLogin {
        device: &'a str,
        occupant: Option<&'a Occupant>,
    },
}

/// Where state is kept.
pub(crate) enum Store {
    Memory,
    /// The connection, and the lock that keeps other processes off the file.
    Sqlite(Box<Connection>, StateLock),
}

impl Store {
    /// Records, for a process that finds the state file locked, where this one serves.
    pub(crate) fn announce(&self, url: &str) {
        if let Store::Sqlite(_, lock) = self {
            lock.announce(url);
        }
    }
}

/// A key as the database holds it: its parts, each escaped, joined by U+001F.
fn key_text(key: &Key) -> String {
    let mut out = String::new();
    for (i, part) in key.parts().iter().enumerate() {
        if i > 0 {
            out.push('\u{1f}');
        }
        for c in part.to_string().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\u{1f}' => out.push_str("\\u"),
                c => out.push(c),
            }
        }
    }
    out
}

/// The one part of a single-part key written by [`key_text`].
fn key_part_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => out.push('\u{1f}'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

impl Store {
    /// Opens (or creates) the database at `path`; returns the state it holds, or `None` if
    /// it is new and must be seeded.
    pub(crate) fn open(
        path: &Path,
        catalog: &Catalog,
    ) -> Result<(Store, Option<World>), StoreError> {
        let lock = StateLock::acquire(path)?;
        // Created (or left) readable by its owner only; SQLite gives its log the same mode.
        open_private(path).map_err(|e| StoreError::Io(format!("{}: {e}", path.display())))?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // WAL lets a crash lose nothing committed; FULL syncs the log at every commit.
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Corrupt(format!(
                "cannot use WAL mode (journal_mode = {mode})"
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let store = Store::Sqlite(Box::new(conn), lock);
        match version {
            0 => Ok((store, None)),
            2 | SCHEMA_VERSION => {
                if let Store::Sqlite(conn, _) = &store {
                    if version == 2 {
                        tracing::info!(
                            "migrating the state file to schema version 3 (its API sessions end)"
                        );
                        conn.execute_batch(&format!("BEGIN;{MIGRATE_2_TO_3}COMMIT;"))?;
                    }
                    conn.execute_batch(EM_SCHEMA)?;
                }
                let world = store.load(catalog)?;
                Ok((store, Some(world)))
            }
            found => Err(StoreError::Version { found }),
        }
    }

    /// Writes a freshly seeded world in one transaction.
    pub(crate) fn create(&mut self, world: &World, catalog: &Catalog) -> Result<(), StoreError> {
        let Store::Sqlite(conn, _) = self else {
            return Ok(());
        };
        let tx = conn.transaction()?;
        tx.execute_batch(SCHEMA)?;
        tx.execute_batch(EM_SCHEMA)?;
        for fam in &catalog.families {
            for (key, entity) in world.table(fam.id) {
                put_entity(&tx, fam, key, entity)?;
            }
        }
        for (id, session) in &world.sessions {
            put_session(&tx, id, session)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// Commits `writes` as one transaction (all or nothing).
    pub(crate) fn apply(&mut self, writes: &[Write<'_>]) -> Result<(), StoreError> {
        let Store::Sqlite(conn, _) = self else {
            return Ok(());
        };
        let tx = conn.transaction()?;
        for write in writes {
            match write {
                Write::Put {
                    family,
                    key,
                    entity,
                } => put_entity(&tx, family, key, entity)?,
                Write::Delete { family, key } => {
                    tx.prepare_cached("DELETE FROM entities WHERE family = ?1 AND key = ?2")?
                        .execute(params![family.name(), key_text(key)])?;
                }
                Write::Session { id, session } => put_session(&tx, id, session)?,
                Write::DeleteSession(id) => {
                    tx.prepare_cached("DELETE FROM sessions WHERE id = ?1")?
                        .execute([id])?;
                }
                Write::SessionUsed { id, session } => {
                    tx.prepare_cached("UPDATE sessions SET used_at = ?2 WHERE id = ?1")?
                        .execute(params![id, session.touched.unix_ms()])?;
                }
                Write::DeleteSessionsOf(key) => {
                    tx.prepare_cached("DELETE FROM sessions WHERE account = ?1")?
                        .execute([key_text(key)])?;
                }
                Write::EmLogin { device, occupant } => match occupant {
                    Some(o) => {
                        tx.prepare_cached(
                            "INSERT INTO em_logins (device, user, profile, minutes)
                             VALUES (?1, ?2, ?3, ?4)
                             ON CONFLICT (device) DO UPDATE SET user = excluded.user,
                             profile = excluded.profile, minutes = excluded.minutes",
                        )?
                        .execute(params![device, o.user, o.profile, o.minutes])?;
                    }
                    None => {
                        tx.prepare_cached("DELETE FROM em_logins WHERE device = ?1")?
                            .execute([device])?;
                    }
                },
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The Extension Mobility logins the file holds.
    pub(crate) fn em_logins(&self) -> Result<Vec<(String, Occupant)>, StoreError> {
        let Store::Sqlite(conn, _) = self else {
            return Ok(Vec::new());
        };
        let mut stmt = conn.prepare("SELECT device, user, profile, minutes FROM em_logins")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Occupant {
                    user: r.get(1)?,
                    profile: r.get(2)?,
                    minutes: r.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Folds the write-ahead log into the database file (on a clean shutdown).
    pub(crate) fn checkpoint(&self) -> Result<(), StoreError> {
        if let Store::Sqlite(conn, _) = self {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    fn load(&self, catalog: &Catalog) -> Result<World, StoreError> {
        let mut world = World::new(catalog);
        let Store::Sqlite(conn, _) = self else {
            return Ok(world);
        };
        let mut hashes = std::collections::HashMap::new();
        let mut stmt = conn.prepare("SELECT family, key, password_hash FROM entities")?;
        for row in stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })? {
            let (family, key, hash) = row?;
            hashes.insert((family, key), hash);
        }
        let mut stmt = conn.prepare(
            "SELECT family, key, container, name, value FROM entity_fields
             ORDER BY family, key, ordinal",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        // `(family, key)` and the entity's fields, in the file's order.
        let mut entities: Vec<((String, String), Vec<Field>)> = Vec::new();
        for row in rows {
            let (family, key, container, name, value) = row?;
            let Some(fam) = catalog.family_named(&family) else {
                tracing::warn!(%family, "dropping an entity of a family the spec no longer has");
                continue;
            };
            let container = (!container.is_empty()).then_some(container.as_str());
            let Some(id) = fam.id(container, &name) else {
                // A property the spec no longer has: keep serving what it still knows.
                tracing::warn!(%family, %key, property = %name, "dropping a stored property the spec no longer defines");
                continue;
            };
            match entities.last_mut() {
                Some((k, fields)) if k.0 == family && k.1 == key => {
                    fields.push((id, value.into_boxed_str()));
                }
                _ => entities.push(((family, key), vec![(id, value.into_boxed_str())])),
            }
        }
        for ((family, stored_key), fields) in entities {
            let Some(fam) = catalog.family_named(&family) else {
                continue;
            };
            let key = key_of(fam, &fields).ok_or_else(|| {
                StoreError::Corrupt(format!("{family} `{stored_key}` lacks its key properties"))
            })?;
            let hash = hashes
                .remove(&(family, stored_key))
                .flatten()
                .map(String::into_boxed_str);
            let entity = Entity {
                account: Account::of(catalog, fam, &fields, hash).map(Box::new),
                fields: fields.into_boxed_slice(),
            };
            world.table_mut(fam.id).insert(key, entity);
        }

        let account_kind = catalog
            .accounts
            .map(|a| catalog.family(a))
            .and_then(|f| f.keys.first().map(|k| f.prop(*k).kind));
        let now = unix_ms();
        let mut stmt = conn.prepare("SELECT id, nonce, account, used_at FROM sessions")?;
        for row in stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })? {
            let (id, nonce, account, used_at) = row?;
            let account = match (account, account_kind) {
                (Some(a), Some(kind)) => Some(Key::One(KeyPart::of(kind, &key_part_text(&a)))),
                _ => None,
            };
            // Idle since its last recorded use (a session without one counts as idle for
            // ever): the engine refuses it as expired, and drops it, as it would have.
            let idle = used_at.map_or(Duration::MAX, |t| {
                Duration::from_millis(u64::try_from(now.saturating_sub(t)).unwrap_or(0))
            });
            world
                .sessions
                .insert(id, Session::used_ago(Secret::new(nonce), account, idle));
        }
        Ok(world)
    }
}

fn put_entity(
    tx: &rusqlite::Transaction<'_>,
    fam: &FamilyModel,
    key: &Key,
    entity: &Entity,
) -> Result<(), StoreError> {
    let key = key_text(key);
    let hash = entity
        .account
        .as_ref()
        .and_then(|a| a.password_hash.as_deref());
    tx.prepare_cached(
        "INSERT INTO entities (family, key, password_hash) VALUES (?1, ?2, ?3)
         ON CONFLICT (family, key) DO UPDATE SET password_hash = excluded.password_hash",
    )?
    .execute(params![fam.name(), key, hash])?;
    tx.prepare_cached("DELETE FROM entity_fields WHERE family = ?1 AND key = ?2")?
        .execute(params![fam.name(), key])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO entity_fields (family, key, ordinal, container, name, value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (ordinal, (id, value)) in entity.fields.iter().enumerate() {
        let p = fam.prop(*id);
        insert.execute(params![
            fam.name(),
            key,
            ordinal as i64,
            p.container.unwrap_or(""),
            p.name,
            &**value
        ])?;
    }
    Ok(())
}

fn put_session(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    session: &Session,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO sessions (id, nonce, account, used_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET nonce = excluded.nonce, account = excluded.account,
         used_at = excluded.used_at",
    )?
    .execute(params![
        id,
        session.nonce.expose(),
        session.account.as_ref().map(key_text),
        session.touched.unix_ms()
    ])?;
    Ok(())
}

/// Milliseconds since the Unix epoch.
fn unix_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
