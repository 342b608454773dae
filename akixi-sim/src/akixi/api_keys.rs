//! API keys of the REST API, issued by the simulator to an account and revocable: each key acts
//! as its account, through an engine session the REST front opens for it on first use (and again
//! when that session expires). Kept in memory: a restarted simulator has none.

use std::collections::HashMap;
use std::sync::Mutex;

use akixi_client::secret::Secret;

use crate::akixi::secrets::{self, SecretError};

/// The keys of one simulator.
#[derive(Default)]
pub(crate) struct ApiKeys {
    keys: Mutex<HashMap<String, KeyEntry>>,
}

#[derive(Clone)]
struct KeyEntry {
    username: String,
    /// The engine session the key uses, once opened.
    session: Option<String>,
}

impl ApiKeys {
    /// A new key for the account named `username` (checked by the caller).
    pub(crate) fn issue(&self, username: &str) -> Result<Secret, SecretError> {
        let key = format!("{}{}", secrets::identifier()?, secrets::identifier()?);
        let mut keys = self
            .keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        keys.insert(
            key.clone(),
            KeyEntry {
                username: username.to_string(),
                session: None,
            },
        );
        Ok(Secret::new(key))
    }

    /// Revokes `key`; the session it used, if any, to be closed by the caller. `None` for a key
    /// that was not issued (or was revoked already).
    pub(crate) fn revoke(&self, key: &str) -> Option<Option<String>> {
        let mut keys = self
            .keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        keys.remove(key).map(|e| e.session)
    }

    /// The account `key` acts as and the session it uses, if it was issued.
    pub(crate) fn lookup(&self, key: &str) -> Option<(String, Option<String>)> {
        let keys = self
            .keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        keys.get(key)
            .map(|e| (e.username.clone(), e.session.clone()))
    }

    /// Records the session `key` uses from now on.
    pub(crate) fn set_session(&self, key: &str, session: String) {
        let mut keys = self
            .keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(e) = keys.get_mut(key) {
            e.session = Some(session);
        }
    }
}
