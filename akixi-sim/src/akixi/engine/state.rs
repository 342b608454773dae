//! The simulated service's state: the catalog read from the spec, the world behind a lock, the
//! store that persists it, and the commit of a request's writes.

use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use akixi_client::akixi_ws::cipher::NonceCipher;
use akixi_client::runtime::akixi_ws::Condition;

use super::respond::Failure;
use crate::akixi::catalog::Catalog;
use crate::akixi::secrets::Hasher;
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
}

impl Engine {
    pub(crate) fn new(
        catalog: Catalog,
        world: World,
        store: Store,
        hasher: Hasher,
    ) -> Result<Self, String> {
        let cipher = NonceCipher::new(catalog.svc.password_scheme).map_err(|e| e.to_string())?;
        Ok(Self {
            catalog,
            world: RwLock::new(world),
            store: Mutex::new(store),
            cipher,
            hasher,
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

    /// Whether state is kept in a file.
    pub(crate) fn is_durable(&self) -> bool {
        matches!(*self.store(), Store::Sqlite(_))
    }

    /// Folds the write-ahead log into the database (clean shutdown).
    pub(crate) fn checkpoint(&self) {
        let _world = self.write();
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
