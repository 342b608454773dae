//! The simulated service's state: the catalog read from the spec, the world behind a lock, the
//! store that persists it, and the commit of a request's writes.

use std::sync::atomic::AtomicU64;
use std::sync::{
    Mutex, MutexGuard, OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard,
};
use std::time::Duration;

use akixi_client::akixi_ws::cipher::NonceCipher;
use akixi_client::runtime::akixi_ws::Condition;

use super::respond::Failure;

use crate::akixi::catalog::Catalog;
use crate::akixi::secrets::Hasher;
use crate::akixi::throttle::{SignInBackoff, Throttle};
use crate::akixi::world::World;
use crate::em::{LoginStore, Occupant};
use crate::store::{Store, StoreError, Write};

/// The simulated service.
pub(crate) struct Engine {
    pub(crate) catalog: Catalog,
    pub(super) world: RwLock<World>,
    /// Taken only while holding `world` for writing, so the two change together.
    pub(super) store: Mutex<Store>,
    pub(super) cipher: NonceCipher,
    pub(crate) hasher: Hasher,
    pub(super) limits: SessionLimits,
    /// Counts sign-in attempts and slows guessing.
    pub(super) sign_in: Throttle,
    /// A hash of no one's password, verified when a sign-in names no usable account, so that
    /// such a failure costs what a wrong password costs (made on first use).
    pub(super) decoy_hash: OnceLock<Option<String>>,
    /// When expired sessions were last swept ([`crate::akixi::world::Touched::mark`]).
    pub(super) last_sweep: AtomicU64,
}

/// How long API sessions live and how many are kept, and how failed sign-ins are slowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SessionLimits {
    /// An unused session expires after this long.
    pub(crate) idle: Duration,
    /// Live sessions kept at most; beyond, expired ones go, then the least recently used of
    /// those that never signed in; a table full of live signed-in sessions refuses
    /// `CreateSession` (try again later) rather than end one.
    pub(crate) most: usize,
    /// How sign-ins are limited, and how many signed-in sessions one account keeps
    /// ([`SignInBackoff::sessions_per_account`]).
    pub(crate) backoff: SignInBackoff,
}

impl Engine {
    pub(crate) fn new(
        catalog: Catalog,
        world: World,
        store: Store,
        mut hasher: Hasher,
        limits: SessionLimits,
    ) -> Result<Self, String> {
        let cipher = NonceCipher::new(catalog.svc.password_scheme).map_err(|e| e.to_string())?;
        hasher.bound(
            limits.backoff.verifications_in_flight,
            limits.backoff.verification_queue,
        );
        Ok(Self {
            catalog,
            world: RwLock::new(world),
            store: Mutex::new(store),
            cipher,
            hasher,
            limits,
            sign_in: Throttle::new(limits.backoff),
            decoy_hash: OnceLock::new(),
            last_sweep: AtomicU64::new(0),
        })
    }

    pub(super) fn read(&self) -> RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn write(&self) -> RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes `writes` durable; call with the world's write lock held, then apply them.
    pub(super) fn commit(&self, writes: &[Write<'_>]) -> Result<(), Failure> {
        self.store().apply(writes).map_err(|e| {
            tracing::error!(error = %e, "cannot record a change in the state file");
            Failure::new(
                Condition::StorageUnavailable,
                "the change could not be recorded; nothing was changed",
            )
        })
    }

    /// Runs `f` on the world and store together (start-up and admin maintenance).
    pub(crate) fn with_state<R>(&self, f: impl FnOnce(&mut World, &mut Store) -> R) -> R {
        let mut world = self.write();
        let mut store = self.store();
        f(&mut world, &mut store)
    }

    /// How many API sessions are held.
    pub(crate) fn session_count(&self) -> usize {
        self.read().sessions.len()
    }

    /// How many accounts are stored.
    pub(crate) fn account_count(&self) -> usize {
        self.catalog
            .accounts
            .map_or(0, |f| self.read().table(f).len())
    }

    /// The Extension Mobility logins the state file holds.
    pub(crate) fn em_logins(&self) -> Result<Vec<(String, Occupant)>, StoreError> {
        self.store().em_logins()
    }

    /// Records in the state file's lock where the simulator serves.
    pub(crate) fn announce(&self, url: &str) {
        self.store().announce(url);
    }

    /// Whether state is kept in a file.
    pub(crate) fn is_durable(&self) -> bool {
        matches!(*self.store(), Store::Sqlite(..))
    }

    /// Folds the write-ahead log into the database (clean shutdown).
    pub(crate) fn checkpoint(&self) {
        let world = self.write();
        self.record_session_use(&world);
        if let Err(e) = self.store().checkpoint() {
            tracing::warn!(error = %e, "cannot checkpoint the state file");
        }
    }
}

/// The Extension Mobility simulator's logins, kept in the engine's state file.
#[derive(Clone)]
pub(crate) struct EngineLogins(pub(crate) std::sync::Arc<Engine>);

impl std::fmt::Debug for EngineLogins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EngineLogins")
    }
}

impl LoginStore for EngineLogins {
    fn save(&self, changes: &[(String, Option<Occupant>)]) -> Result<(), String> {
        let writes: Vec<Write<'_>> = changes
            .iter()
            .map(|(device, occupant)| Write::EmLogin {
                device,
                occupant: occupant.as_ref(),
            })
            .collect();
        self.0.store().apply(&writes).map_err(|e| e.to_string())
    }
}
