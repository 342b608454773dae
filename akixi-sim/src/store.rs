//! Durable state: an SQLite database in WAL mode, one transaction per request.
//!
//! The in-memory [`World`] is the working copy; every change is first committed here, under
//! the same lock that then applies it to the world, so what a client was told succeeded is
//! on disk (`synchronous = FULL`: it survives a killed process and a power cut) and the two
//! never disagree.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, params};

use crate::akixi::model::{Field, Model, UserMeta};
use crate::akixi::world::{CmEnvironment, Session, TelephonyServer, UserRecord, World};
use akixi_client::runtime::akixi_ws::Secret;

/// The schema version this code writes (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE cm_environments (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE telephony_servers (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, platform TEXT NOT NULL,
    cm_environment TEXT NOT NULL REFERENCES cm_environments(id));
CREATE TABLE partitions (
    tel_sys INTEGER NOT NULL REFERENCES telephony_servers(id), id INTEGER NOT NULL,
    name TEXT NOT NULL, PRIMARY KEY (tel_sys, id)) WITHOUT ROWID;
CREATE TABLE users (username TEXT PRIMARY KEY, password_hash TEXT) WITHOUT ROWID;
-- One row per stored property; container '' is the top level.
CREATE TABLE user_fields (
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, container TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (username, ordinal)) WITHOUT ROWID;
CREATE TABLE sessions (id TEXT PRIMARY KEY, nonce TEXT NOT NULL, username TEXT) WITHOUT ROWID;
";

/// The state file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("state database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file was written by a newer simulator.
    #[error(
        "the state file has schema version {found}; this simulator reads version {SCHEMA_VERSION}"
    )]
    Version {
        /// The version found.
        found: i64,
    },
    /// The file holds something this simulator cannot interpret.
    #[error("the state file is inconsistent: {0}")]
    Corrupt(String),
}

/// One change to persist.
pub(crate) enum Write<'a> {
    /// Insert or replace a user with all its fields.
    User {
        username: &'a str,
        record: &'a UserRecord,
    },
    DeleteUser(&'a str),
    Session {
        id: &'a str,
        session: &'a Session,
    },
    DeleteSession(&'a str),
    /// Every session signed in as this user.
    DeleteSessionsOf(&'a str),
}

/// Where state is kept.
pub(crate) enum Store {
    Memory,
    Sqlite(Box<Connection>),
}

impl Store {
    /// Opens (or creates) the database at `path`; returns the state it holds, or `None` if
    /// it is new and must be seeded.
    pub(crate) fn open(path: &Path, model: &Model) -> Result<(Store, Option<World>), StoreError> {
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
        let store = Store::Sqlite(Box::new(conn));
        match version {
            0 => Ok((store, None)),
            SCHEMA_VERSION => {
                let world = store.load(model)?;
                Ok((store, Some(world)))
            }
            found => Err(StoreError::Version { found }),
        }
    }

    /// Writes a freshly seeded world (components and users) in one transaction.
    pub(crate) fn create(&mut self, world: &World, model: &Model) -> Result<(), StoreError> {
        let Store::Sqlite(conn) = self else {
            return Ok(());
        };
        let tx = conn.transaction()?;
        tx.execute_batch(SCHEMA)?;
        for c in &world.cm_environments {
            tx.execute(
                "INSERT INTO cm_environments (id, name) VALUES (?1, ?2)",
                params![c.id, c.name],
            )?;
        }
        for s in world.servers.values() {
            tx.execute(
                "INSERT INTO telephony_servers (id, name, platform, cm_environment)
                 VALUES (?1, ?2, ?3, ?4)",
                params![s.id, s.name, s.platform.id(), s.cm_environment],
            )?;
            for (id, name) in &s.partitions {
                tx.execute(
                    "INSERT INTO partitions (tel_sys, id, name) VALUES (?1, ?2, ?3)",
                    params![s.id, id, name],
                )?;
            }
        }
        for (username, record) in &world.users {
            put_user(&tx, model, username, record)?;
        }
        for (id, session) in &world.sessions {
            put_session(&tx, id, session)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// Commits `writes` as one transaction (all or nothing).
    pub(crate) fn apply(&mut self, model: &Model, writes: &[Write<'_>]) -> Result<(), StoreError> {
        let Store::Sqlite(conn) = self else {
            return Ok(());
        };
        let tx = conn.transaction()?;
        for write in writes {
            match write {
                Write::User { username, record } => put_user(&tx, model, username, record)?,
                Write::DeleteUser(username) => {
                    tx.prepare_cached("DELETE FROM users WHERE username = ?1")?
                        .execute([username])?;
                }
                Write::Session { id, session } => put_session(&tx, id, session)?,
                Write::DeleteSession(id) => {
                    tx.prepare_cached("DELETE FROM sessions WHERE id = ?1")?
                        .execute([id])?;
                }
                Write::DeleteSessionsOf(username) => {
                    tx.prepare_cached("DELETE FROM sessions WHERE username = ?1")?
                        .execute([username])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Folds the write-ahead log into the database file (on a clean shutdown).
    pub(crate) fn checkpoint(&self) -> Result<(), StoreError> {
        if let Store::Sqlite(conn) = self {
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    fn load(&self, model: &Model) -> Result<World, StoreError> {
        let Store::Sqlite(conn) = self else {
            return Ok(World::default());
        };
        let mut world = World::default();
        let mut stmt = conn.prepare("SELECT id, name FROM cm_environments ORDER BY rowid")?;
        world.cm_environments = stmt
            .query_map([], |r| {
                Ok(CmEnvironment {
                    id: r.get(0)?,
                    name: r.get(1)?,
                })
            })?
            .collect::<Result<_, _>>()?;

        let mut stmt =
            conn.prepare("SELECT id, name, platform, cm_environment FROM telephony_servers")?;
        let servers = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for (id, name, platform, cm_environment) in servers {
            let platform = crate::akixi::model::parse_platform(&platform).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "telephony server {id} has platform `{platform}`, which the spec does not list"
                ))
            })?;
            world.servers.insert(
                id,
                TelephonyServer {
                    id,
                    name,
                    platform,
                    cm_environment,
                    partitions: BTreeMap::new(),
                },
            );
        }
        let mut stmt = conn.prepare("SELECT tel_sys, id, name FROM partitions")?;
        let partitions = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for (tel_sys, id, name) in partitions {
            if let Some(s) = world.servers.get_mut(&tel_sys) {
                s.partitions.insert(id, name);
            }
        }

        let mut users: BTreeMap<String, (Option<String>, Vec<Field>)> = BTreeMap::new();
        let mut stmt = conn.prepare("SELECT username, password_hash FROM users")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))? {
            let (username, hash) = row?;
            users.insert(username, (hash, Vec::new()));
        }
        let mut stmt = conn.prepare(
            "SELECT username, container, name, value FROM user_fields ORDER BY username, ordinal",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (username, container, name, value) = row?;
            let container = (!container.is_empty()).then_some(container.as_str());
            let Some(id) = model.id(container, &name) else {
                // A property the spec no longer has: keep serving what it still knows.
                tracing::warn!(%username, property = %name, "dropping a stored property the spec no longer defines");
                continue;
            };
            if let Some((_, fields)) = users.get_mut(&username) {
                fields.push((id, value.into_boxed_str()));
            }
        }
        for (username, (hash, fields)) in users {
            let typed = model.rebuild(&fields).map_err(|errors| {
                StoreError::Corrupt(format!(
                    "user `{username}`: {}",
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ))
            })?;
            let mut meta = UserMeta::of(&typed);
            world.complete(&mut meta.placement);
            world.users.insert(
                username,
                UserRecord {
                    fields: fields.into_boxed_slice(),
                    meta,
                    password_hash: hash.map(String::into_boxed_str),
                },
            );
        }

        let mut stmt = conn.prepare("SELECT id, nonce, username FROM sessions")?;
        for row in stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })? {
            let (id, nonce, user) = row?;
            world.sessions.insert(
                id,
                Session {
                    nonce: Secret::new(nonce),
                    user,
                },
            );
        }
        Ok(world)
    }
}

fn put_user(
    tx: &rusqlite::Transaction<'_>,
    model: &Model,
    username: &str,
    record: &UserRecord,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO users (username, password_hash) VALUES (?1, ?2)
         ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash",
    )?
    .execute(params![username, record.password_hash.as_deref()])?;
    tx.prepare_cached("DELETE FROM user_fields WHERE username = ?1")?
        .execute([username])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO user_fields (username, ordinal, container, name, value)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (ordinal, (id, value)) in record.fields.iter().enumerate() {
        let p = model.prop(*id);
        insert.execute(params![
            username,
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
        "INSERT INTO sessions (id, nonce, username) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET nonce = excluded.nonce, username = excluded.username",
    )?
    .execute(params![id, session.nonce.expose(), session.user.as_deref()])?;
    Ok(())
}
