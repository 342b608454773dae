//! The simulated service's state: the entities of every family, by key, and the API sessions.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use akixi_client::runtime::akixi_ws::{Secret, ValueKind};

use crate::akixi::catalog::{Catalog, FamilyId, FamilyModel, Field, PropId};

/// One part of a key: integers order as numbers, text as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum KeyPart {
    Int(i64),
    Text(Box<str>),
}

impl KeyPart {
    /// The part a key property's canonical text makes.
    pub(crate) fn of(kind: ValueKind, text: &str) -> KeyPart {
        match (kind, text.parse::<i64>()) {
            (ValueKind::Integer { .. }, Ok(n)) => KeyPart::Int(n),
            _ => KeyPart::Text(Box::from(text)),
        }
    }
}

impl fmt::Display for KeyPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyPart::Int(n) => write!(f, "{n}"),
            KeyPart::Text(t) => f.write_str(t),
        }
    }
}

/// What names an entity within its family: one part inline (most families), or several (a
/// partition within its telephony server).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Key {
    One(KeyPart),
    Many(Box<[KeyPart]>),
}

impl Key {
    pub(crate) fn from_parts(mut parts: Vec<KeyPart>) -> Key {
        match parts.len() {
            1 => match parts.pop() {
                Some(p) => Key::One(p),
                None => Key::Many(Box::new([])),
            },
            _ => Key::Many(parts.into_boxed_slice()),
        }
    }

    pub(crate) fn parts(&self) -> &[KeyPart] {
        match self {
            Key::One(p) => std::slice::from_ref(p),
            Key::Many(ps) => ps,
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.parts().iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// A stored entity (no `Debug`: an account holds a password hash).
#[derive(Clone)]
pub(crate) struct Entity {
    /// What add and change stored, in capture order, one entry per property.
    pub(crate) fields: Box<[Field]>,
    /// What makes it an account, for a family of accounts.
    pub(crate) account: Option<Box<Account>>,
}

impl Entity {
    /// The stored value of `id`.
    pub(crate) fn value(&self, id: PropId) -> Option<&str> {
        value_of(&self.fields, id)
    }
}

/// The value of `id` among `fields`.
pub(crate) fn value_of(fields: &[Field], id: PropId) -> Option<&str> {
    fields.iter().find(|(f, _)| *f == id).map(|(_, v)| &**v)
}

/// What an account holds beyond its properties.
#[derive(Clone, Default)]
pub(crate) struct Account {
    /// Argon2 PHC string; `None` for an account added without a password (which cannot sign in).
    pub(crate) password_hash: Option<Box<str>>,
    pub(crate) locked: bool,
    /// The operations its permission tokens allow, one bit per [`Catalog::tokens`] entry.
    pub(crate) rights: u64,
}

impl Account {
    /// The account an entity's fields describe (its password hash given apart).
    pub(crate) fn of(
        catalog: &Catalog,
        fam: &FamilyModel,
        fields: &[Field],
        password_hash: Option<Box<str>>,
    ) -> Option<Account> {
        let model = fam.account?;
        let (truth, _) = catalog.svc.boolean_words;
        let locked = value_of(fields, model.locked).is_some_and(|v| v == truth);
        let mut rights = 0u64;
        if let Some(tokens) = value_of(fields, model.permissions) {
            for token in tokens.split(',').map(str::trim) {
                if let Some(bit) = catalog.tokens.iter().position(|t| t == token) {
                    rights |= 1 << bit;
                }
            }
        }
        Some(Account {
            password_hash,
            locked,
            rights,
        })
    }

    pub(crate) fn allows(&self, bit: u8) -> bool {
        self.rights & (1 << bit) != 0
    }
}

/// An API session.
#[derive(Clone)]
pub(crate) struct Session {
    pub(crate) nonce: Secret,
    /// The account signed in, once `Authenticate` succeeded.
    pub(crate) account: Option<Key>,
    /// When it was last used (it expires after the binding's idle timeout).
    pub(crate) touched: Touched,
}

impl Session {
    /// A session used just now.
    pub(crate) fn new(nonce: Secret, account: Option<Key>) -> Self {
        Session {
            nonce,
            account,
            touched: Touched::now(),
        }
    }

    /// A session last used `idle` ago (one read back from the state file).
    pub(crate) fn used_ago(nonce: Secret, account: Option<Key>, idle: Duration) -> Self {
        Session {
            nonce,
            account,
            touched: Touched::ago(idle),
        }
    }
}

/// When something was last used, in milliseconds of the simulator's clock; updated through a
/// shared reference, so that a request holding only the read lock can mark its session used.
#[derive(Debug)]
pub(crate) struct Touched(AtomicU64);

impl Touched {
    pub(crate) fn now() -> Self {
        Touched(AtomicU64::new(clock_ms()))
    }

    /// Last used `idle` ago.
    pub(crate) fn ago(idle: Duration) -> Self {
        let idle = u64::try_from(idle.as_millis()).unwrap_or(u64::MAX);
        Touched(AtomicU64::new(clock_ms().saturating_sub(idle)))
    }

    pub(crate) fn touch(&self) {
        self.0.fetch_max(clock_ms(), Ordering::Relaxed);
    }

    /// How long since it was last used.
    pub(crate) fn idle(&self) -> Duration {
        Duration::from_millis(clock_ms().saturating_sub(self.0.load(Ordering::Relaxed)))
    }

    /// When it was last used, in milliseconds since the Unix epoch (what the state file keeps,
    /// so that a restart does not make an idle session young again).
    pub(crate) fn unix_ms(&self) -> i64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        now.saturating_sub(i64::try_from(self.idle().as_millis()).unwrap_or(i64::MAX))
    }

    /// Whether it was used after `mark` (a [`Touched::mark`]).
    pub(crate) fn used_since(&self, mark: u64) -> bool {
        self.0.load(Ordering::Relaxed) > mark
    }

    /// The simulator's clock now, for [`Touched::used_since`].
    pub(crate) fn mark() -> u64 {
        clock_ms()
    }
}

impl Clone for Touched {
    fn clone(&self) -> Self {
        Touched(AtomicU64::new(self.0.load(Ordering::Relaxed)))
    }
}

/// Milliseconds of the simulator's monotonic clock: since it started, plus a century, so that
/// a session read back from the state file can have been used before the process started.
fn clock_ms() -> u64 {
    const BEFORE_START_MS: u64 = 100 * 366 * 24 * 60 * 60 * 1000;
    static START: OnceLock<Instant> = OnceLock::new();
    u64::try_from(START.get_or_init(Instant::now).elapsed().as_millis())
        .unwrap_or(u64::MAX)
        .saturating_add(BEFORE_START_MS)
}

/// Everything the simulator holds.
#[derive(Default)]
pub(crate) struct World {
    /// One table per family ([`FamilyId`] order), ordered by key so that lists page stably.
    pub(crate) tables: Vec<BTreeMap<Key, Entity>>,
    /// Keyed by SessionID.
    pub(crate) sessions: HashMap<String, Session>,
}

impl World {
    /// An empty world for the catalog's families.
    pub(crate) fn new(catalog: &Catalog) -> World {
        World {
            tables: catalog.families.iter().map(|_| BTreeMap::new()).collect(),
            sessions: HashMap::new(),
        }
    }

    pub(crate) fn table(&self, family: FamilyId) -> &BTreeMap<Key, Entity> {
        &self.tables[usize::from(family)]
    }

    pub(crate) fn table_mut(&mut self, family: FamilyId) -> &mut BTreeMap<Key, Entity> {
        &mut self.tables[usize::from(family)]
    }

    pub(crate) fn get(&self, family: FamilyId, key: &Key) -> Option<&Entity> {
        self.table(family).get(key)
    }
}

/// The key of an entity of `fam` among `fields`, if every key property is there.
pub(crate) fn key_of(fam: &FamilyModel, fields: &[Field]) -> Option<Key> {
    let parts = fam
        .keys
        .iter()
        .map(|k| value_of(fields, *k).map(|v| KeyPart::of(fam.prop(*k).kind, v)))
        .collect::<Option<Vec<_>>>()?;
    Some(Key::from_parts(parts))
}
