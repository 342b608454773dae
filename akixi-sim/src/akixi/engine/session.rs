//! The API session's operations: create, authenticate, close. Their properties are the ones
//! the spec's session roles name (`SessionInfo`).

use akixi_client::akixi_ws::Extra;
use akixi_client::akixi_ws::cipher::PasswordCipher;
use akixi_client::runtime::akixi_ws::{Condition, Secret};

use super::respond::{Ctx, Failure, Outcome, success};
use super::state::Engine;
use crate::akixi::secrets;
use crate::akixi::world::{Key, KeyPart, Session};
use crate::store::Write;

impl Engine {
    pub(super) fn create_session(&self, ctx: &Ctx<'_>) -> Outcome {
        let internal =
            |e: secrets::SecretError| Failure::new(Condition::InternalError, e.to_string());
        let roles = self.catalog.session.ok_or_else(|| {
            Failure::new(
                Condition::UnknownOperation,
                "the service has no API session",
            )
        })?;
        let id = secrets::session_id().map_err(internal)?;
        let session = Session {
            nonce: secrets::nonce().map_err(internal)?,
            account: None,
        };
        {
            let mut world = self.write();
            self.commit(&[Write::Session {
                id: id.expose(),
                session: &session,
            }])?;
            world
                .sessions
                .insert(id.expose().to_owned(), session.clone());
        }
        let mut w = success(&self.catalog, ctx);
        w.begin_success();
        w.property(roles.session_id, id.expose());
        w.property(roles.nonce, session.nonce.expose());
        Ok(w.finish())
    }

    pub(super) fn authenticate(&self, ctx: &Ctx<'_>) -> Outcome {
        let (session_id, nonce) = {
            let world = self.read();
            let (id, session) = Self::session(&world, ctx)?;
            (id.to_owned(), session.nonce.clone())
        };
        let verdict = self.check_credentials(ctx.payload, &nonce);
        let mut world = self.write();
        match verdict {
            Some(account) => {
                let Some(session) = world.sessions.get(&session_id) else {
                    return Err(Failure::new(
                        Condition::UnknownSession,
                        "the session ended while authenticating",
                    ));
                };
                let updated = Session {
                    nonce: session.nonce.clone(),
                    account: Some(account),
                };
                self.commit(&[Write::Session {
                    id: &session_id,
                    session: &updated,
                }])?;
                world.sessions.insert(session_id, updated);
                Ok(success(&self.catalog, ctx).finish())
            }
            None => {
                // As documented: a failed Authenticate clears the session and its Nonce.
                if world.sessions.contains_key(&session_id) {
                    self.commit(&[Write::DeleteSession(&session_id)])?;
                    world.sessions.remove(&session_id);
                }
                Err(Failure::new(
                    Condition::AuthenticationFailed,
                    "wrong user name or password (or the account is locked out); the session is closed",
                ))
            }
        }
    }

    /// The account's key, if the request's password (protected with `nonce`) is its own.
    fn check_credentials(&self, payload: Option<&Extra>, nonce: &Secret) -> Option<Key> {
        let roles = self.catalog.session?;
        let payload = payload?;
        let username = property_at(payload, roles.username)?;
        let protected = property_at(payload, roles.password)?;
        let password = self.cipher.decrypt(nonce, protected).ok()?;
        let family = self.catalog.family(self.catalog.accounts?);
        let key_kind = family.prop(*family.keys.first()?).kind;
        let key = Key::One(KeyPart::of(key_kind, username.trim()));
        let hash = {
            let world = self.read();
            let account = world.get(family.id, &key)?.account.as_ref()?;
            if account.locked {
                return None;
            }
            account.password_hash.clone()?
        };
        // Hashing is slow on purpose: done outside the lock.
        self.hasher.verify(&hash, &password).then_some(key)
    }

    pub(super) fn logout(&self, ctx: &Ctx<'_>) -> Outcome {
        let mut world = self.write();
        let id = Self::session(&world, ctx)?.0.to_owned();
        self.commit(&[Write::DeleteSession(&id)])?;
        world.sessions.remove(&id);
        Ok(success(&self.catalog, ctx).finish())
    }
}

/// The property at `path` (`Name`, or `Container.Name`) of a payload.
fn property_at<'p>(payload: &'p Extra, path: &str) -> Option<&'p str> {
    match path.split_once('.') {
        Some((container, name)) => payload.container(container)?.property(name),
        None => payload.property(path),
    }
}
