//! The API session's operations: create, authenticate, close. Their properties are the ones
//! the spec's session roles name (`SessionInfo`).

use akixi_client::akixi_ws::Extra;
use akixi_client::akixi_ws::cipher::PasswordCipher;
use akixi_client::runtime::akixi_ws::{Condition, Password, Secret};

use std::time::Instant;

use super::respond::{Ctx, Failure, Outcome, success};
use super::sign_in::Who;
use super::state::Engine;
use crate::akixi::secrets;
use crate::akixi::world::{Key, KeyPart, Session, World};
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
        let session = Session::new(secrets::nonce().map_err(internal)?, None);
        {
            // Kept in memory until it signs in: a session nobody authenticates costs no write.
            let mut world = self.write();
            self.make_room(&mut world)?;
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

    /// Room for one more session: expired ones go, then, at the limit, a tenth of the limit of
    /// the least recently used (those that never signed in first), so that a flood of
    /// `CreateSession` keeps memory bounded at the cost of one sort per tenth.
    fn make_room(&self, world: &mut World) -> Result<(), Failure> {
        if world.sessions.len() < self.limits.most {
            return Ok(());
        }
        let idle = self.limits.idle;
        let mut doomed: Vec<(bool, std::time::Duration, String)> = world
            .sessions
            .iter()
            .map(|(id, s)| (s.account.is_some(), s.touched.idle(), id.clone()))
            .collect();
        let expired = doomed.iter().filter(|(_, t, _)| *t > idle).count();
        let wanted = expired.max(self.limits.most / 10).max(1);
        // Never signed in before signed in; longest idle first.
        doomed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        doomed.truncate(wanted);
        let writes: Vec<Write<'_>> = doomed
            .iter()
            .filter(|(signed_in, _, _)| *signed_in)
            .map(|(_, _, id)| Write::DeleteSession(id))
            .collect();
        self.commit(&writes)?;
        for (_, _, id) in &doomed {
            world.sessions.remove(id);
        }
        tracing::debug!(dropped = doomed.len(), "session limit reached");
        Ok(())
    }

    pub(super) fn authenticate(&self, ctx: &Ctx<'_>) -> Outcome {
        let (session_id, nonce) = {
            let world = self.read();
            let (id, session) = self.session(&world, ctx)?;
            (id.to_owned(), session.nonce.clone())
        };
        let claimed = self
            .catalog
            .session
            .and_then(|roles| ctx.payload.and_then(|p| property_at(p, roles.username)))
            .map(|name| Who::Account(Box::from(name.trim())));
        let who: Vec<Who> = claimed
            .iter()
            .cloned()
            .chain(ctx.peer.map(Who::Address))
            .collect();
        let now = Instant::now();
        let verdict = match self.sign_in.wait(&who, now) {
            // Refused unchecked: a guesser learns nothing while it waits.
            Some(wait) => Err(format!(
                "too many failed sign-ins for this user or address; try again in {} s",
                wait.as_secs().max(1)
            )),
            None => self.check_credentials(ctx.payload, &nonce).ok_or_else(|| {
                "wrong user name or password (or the account is locked out)".to_owned()
            }),
        };
        let mut world = self.write();
        match verdict {
            Ok(account) => {
                let Some(session) = world.sessions.get(&session_id) else {
                    return Err(Failure::new(
                        Condition::UnknownSession,
                        "the session ended while authenticating",
                    ));
                };
                let updated = Session::new(session.nonce.clone(), Some(account));
                self.commit(&[Write::Session {
                    id: &session_id,
                    session: &updated,
                }])?;
                world.sessions.insert(session_id, updated);
                if let Some(account) = &claimed {
                    self.sign_in.succeeded(account);
                }
                Ok(success(&self.catalog, ctx).finish())
            }
            Err(why) => {
                self.sign_in.failed(&who, now);
                // As documented: a failed Authenticate clears the session and its Nonce.
                if world.sessions.remove(&session_id).is_some() {
                    self.commit(&[Write::DeleteSession(&session_id)])?;
                }
                Err(Failure::new(
                    Condition::AuthenticationFailed,
                    format!("{why}; the session is closed"),
                ))
            }
        }
    }

    /// The account's key, if the request's password (protected with `nonce`) is its own. Every
    /// refusal after the payload is read costs one password verification, whether the user is
    /// unknown, locked out, without a password, or the password wrong, so that the time taken
    /// does not tell which.
    fn check_credentials(&self, payload: Option<&Extra>, nonce: &Secret) -> Option<Key> {
        let roles = self.catalog.session?;
        let payload = payload?;
        let username = property_at(payload, roles.username)?;
        let protected = property_at(payload, roles.password)?;
        let family = self.catalog.family(self.catalog.accounts?);
        let key_kind = family.prop(*family.keys.first()?).kind;
        let key = Key::One(KeyPart::of(key_kind, username.trim()));
        let hash = {
            let world = self.read();
            world
                .get(family.id, &key)
                .and_then(|e| e.account.as_ref())
                .filter(|a| !a.locked)
                .and_then(|a| a.password_hash.clone())
        };
        let password = self.cipher.decrypt(nonce, protected).ok();
        // Hashing is slow on purpose: done outside the lock.
        match (hash, password) {
            (Some(hash), Some(password)) => self.hasher.verify(&hash, &password).then_some(key),
            (_, password) => {
                let decoy = self
                    .decoy_hash
                    .get_or_init(|| secrets::password().and_then(|p| self.hasher.hash(&p)).ok());
                if let Some(decoy) = decoy {
                    let attempt = password.unwrap_or_else(|| Password::new(""));
                    let _ = self.hasher.verify(decoy, &attempt);
                }
                None
            }
        }
    }

    pub(super) fn logout(&self, ctx: &Ctx<'_>) -> Outcome {
        let mut world = self.write();
        let id = self.session(&world, ctx)?.0.to_owned();
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
