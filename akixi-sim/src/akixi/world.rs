//! The simulated service's state: components, users and API sessions.

use std::collections::{BTreeMap, HashMap};

use akixi_client::akixi::Platform;
use akixi_client::runtime::akixi_ws::Secret;

use crate::akixi::model::{Field, Placement, UserMeta};

/// A Central Management environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CmEnvironment {
    /// `CMEnvironmentID`.
    pub(crate) id: String,
    /// A display name.
    pub(crate) name: String,
}

/// A telephony server and its partitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TelephonyServer {
    /// `TelSysID`.
    pub(crate) id: i64,
    /// A display name.
    pub(crate) name: String,
    /// Its platform, which decides the properties its users may have.
    pub(crate) platform: Platform,
    /// The CM environment it belongs to.
    pub(crate) cm_environment: String,
    /// `PartIDInTelSys` → display name.
    pub(crate) partitions: BTreeMap<i64, String>,
}

/// A stored application user (no `Debug`: it holds a password hash).
#[derive(Clone)]
pub(crate) struct UserRecord {
    /// What add and change stored, in capture order, one entry per property.
    pub(crate) fields: Box<[Field]>,
    pub(crate) meta: UserMeta,
    /// Argon2 PHC string; `None` for a user added without a password (who cannot sign in).
    pub(crate) password_hash: Option<Box<str>>,
}

/// An API session.
#[derive(Clone)]
pub(crate) struct Session {
    pub(crate) nonce: Secret,
    /// The authenticated user, once `Authenticate` succeeded.
    pub(crate) user: Option<String>,
}

/// Everything the simulator holds.
#[derive(Default)]
pub(crate) struct World {
    pub(crate) cm_environments: Vec<CmEnvironment>,
    pub(crate) servers: BTreeMap<i64, TelephonyServer>,
    /// Ordered by username, so that lists page stably.
    pub(crate) users: BTreeMap<String, UserRecord>,
    /// Keyed by SessionID.
    pub(crate) sessions: HashMap<String, Session>,
}

/// A reference a request makes that names no component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BadReference {
    CmEnvironment(String),
    TelephonyServer(i64),
    Partition(Option<i64>, i64),
}

impl World {
    /// A user scoped to a telephony server is in that server's CM environment, named or not.
    pub(crate) fn complete(&self, p: &mut Placement) {
        if p.cm_environment.is_none()
            && let Some(server) = p.tel_sys.and_then(|id| self.servers.get(&id))
        {
            p.cm_environment = Some(Box::from(server.cm_environment.as_str()));
        }
    }

    /// Checks that a placement names existing components (a server within the named CM
    /// environment, a partition within the named server); returns the server.
    pub(crate) fn resolve(&self, p: &Placement) -> Result<Option<&TelephonyServer>, BadReference> {
        if let Some(cme) = &p.cm_environment
            && !self.cm_environments.iter().any(|c| *c.id == **cme)
        {
            return Err(BadReference::CmEnvironment(cme.to_string()));
        }
        let server = match p.tel_sys {
            Some(id) => match self.servers.get(&id) {
                Some(s)
                    if p.cm_environment
                        .as_deref()
                        .is_none_or(|c| c == s.cm_environment) =>
                {
                    Some(s)
                }
                _ => return Err(BadReference::TelephonyServer(id)),
            },
            None => None,
        };
        if let Some(part) = p.partition
            && !server.is_some_and(|s| s.partitions.contains_key(&part))
        {
            return Err(BadReference::Partition(p.tel_sys, part));
        }
        Ok(server)
    }
}
