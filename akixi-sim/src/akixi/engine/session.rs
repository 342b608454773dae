//! The API session's operations: create, authenticate, close. Their properties are the ones
//! the spec's session roles name (`SessionInfo`). Also what bounds the session table (expired
//! sessions swept, never-signed-in ones evicted first, a cap per account, and no live
//! signed-in session ended to make room for a stranger) and the closing of an account's
//! sessions when its credentials change ([`Engine::end_sessions_of`]).

use std::sync::atomic::Ordering;
use std::time::Duration;

use akixi_client::runtime::akixi_ws::{Condition, Secret};

use super::respond::{Ctx, Failure, Outcome, success};
use super::sign_in::{BUSY, Verdict};
use super::state::Engine;
use crate::akixi::secrets;
use crate::akixi::world::{Key, Session, Touched, World};
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
            self.sweep(&mut world);
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

    /// At most once per minute (and per idle timeout): drops the expired sessions (from the
    /// state file too), and records when the stored ones still live were last used, so that
    /// after a restart each is judged by a recent use. Best effort: a store that cannot record
    /// it leaves the sessions as they are (they are refused as expired all the same).
    fn sweep(&self, world: &mut World) {
        let now = Touched::mark();
        let every = u64::try_from(self.limits.idle.min(Duration::from_secs(60)).as_millis())
            .unwrap_or(u64::MAX);
        let last = self.last_sweep.load(Ordering::Relaxed);
        if now.saturating_sub(last) < every
            || self
                .last_sweep
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        let idle = self.limits.idle;
        let expired: Vec<String> = world
            .sessions
            .iter()
            .filter(|(_, s)| s.touched.idle() > idle)
            .map(|(id, _)| id.clone())
            .collect();
        let mut writes: Vec<Write<'_>> = expired
            .iter()
            .filter(|id| world.sessions.get(*id).is_some_and(|s| s.account.is_some()))
            .map(|id| Write::DeleteSession(id))
            .collect();
        writes.extend(
            world
                .sessions
                .iter()
                .filter(|(_, s)| {
                    s.account.is_some() && s.touched.idle() <= idle && s.touched.used_since(last)
                })
                .map(|(id, session)| Write::SessionUsed { id, session }),
        );
        if writes.is_empty() || self.commit(&writes).is_ok() {
            for id in &expired {
                world.sessions.remove(id);
            }
            if !expired.is_empty() {
                tracing::debug!(dropped = expired.len(), "expired sessions swept");
            }
        }
    }

    /// Room for one more session: at the limit, the expired go, then a tenth of the limit of
    /// the least recently used that never signed in (one sort per tenth, so a flood of
    /// `CreateSession` keeps memory bounded). Live signed-in sessions are never ended to make
    /// room: when only they fill the table, `CreateSession` is refused, try again later (each
    /// account holds at most [`SignInBackoff::sessions_per_account`], so filling it takes many
    /// accounts).
    ///
    /// [`SignInBackoff::sessions_per_account`]: super::sign_in::SignInBackoff::sessions_per_account
    fn make_room(&self, world: &mut World) -> Result<(), Failure> {
        if world.sessions.len() < self.limits.most {
            return Ok(());
        }
        let idle = self.limits.idle;
        let mut expired: Vec<(bool, &str)> = Vec::new();
        let mut unsigned: Vec<(Duration, &str)> = Vec::new();
        for (id, s) in &world.sessions {
            let since = s.touched.idle();
            if since > idle {
                expired.push((s.account.is_some(), id));
            } else if s.account.is_none() {
                unsigned.push((since, id));
            }
        }
        let wanted = (self.limits.most / 10).max(1);
        // Longest idle first.
        unsigned.sort_unstable_by_key(|a| std::cmp::Reverse(a.0));
        unsigned.truncate(wanted.saturating_sub(expired.len()));
        let writes: Vec<Write<'_>> = expired
            .iter()
            .filter(|(signed_in, _)| *signed_in)
            .map(|(_, id)| Write::DeleteSession(id))
            .collect();
        self.commit(&writes)?;
        let doomed: Vec<String> = expired
            .iter()
            .map(|(_, id)| *id)
            .chain(unsigned.iter().map(|(_, id)| *id))
            .map(str::to_owned)
            .collect();
        for id in &doomed {
            world.sessions.remove(id);
        }
        tracing::debug!(dropped = doomed.len(), "session limit reached");
        if world.sessions.len() >= self.limits.most {
            tracing::warn!(
                sessions = world.sessions.len(),
                "the session table is full of live signed-in sessions; CreateSession refused"
            );
            return Err(Failure::new(
                BUSY,
                "the service holds as many signed-in sessions as it keeps; try again later \
                 (sessions end when they log out or expire)",
            ));
        }
        Ok(())
    }

    /// Before `account` signs in one more session: if it already holds its cap of signed-in
    /// sessions, its own least recently used (expired first) end, never another account's.
    /// Returns the sessions to end.
    fn over_cap(&self, world: &World, account: &Key, signing_in: &str) -> Vec<String> {
        let cap = self.limits.backoff.sessions_per_account.max(1);
        let mut own: Vec<(Duration, &String)> = world
            .sessions
            .iter()
            .filter(|(id, s)| s.account.as_ref() == Some(account) && *id != signing_in)
            .map(|(id, s)| (s.touched.idle(), id))
            .collect();
        if own.len() < cap {
            return Vec::new();
        }
        own.sort_unstable_by_key(|a| std::cmp::Reverse(a.0));
        own.truncate(own.len() + 1 - cap);
        own.into_iter().map(|(_, id)| id.clone()).collect()
    }

    pub(super) fn authenticate(&self, ctx: &Ctx<'_>) -> Outcome {
        let (session_id, nonce) = {
            let world = self.read();
            let (id, session) = self.session(&world, ctx)?;
            (id.to_owned(), session.nonce.clone())
        };
        let verdict = self.sign_in(ctx.payload, &nonce, ctx.peer);
        let mut world = self.write();
        match verdict {
            Verdict::Account(account) => {
                let Some(session) = world.sessions.get(&session_id) else {
                    return Err(Failure::new(
                        Condition::UnknownSession,
                        "the session ended while authenticating",
                    ));
                };
                let updated = Session::new(session.nonce.clone(), Some(account.clone()));
                let ended = self.over_cap(&world, &account, &session_id);
                let mut writes: Vec<Write<'_>> =
                    ended.iter().map(|id| Write::DeleteSession(id)).collect();
                writes.push(Write::Session {
                    id: &session_id,
                    session: &updated,
                });
                self.commit(&writes)?;
                if !ended.is_empty() {
                    tracing::debug!(
                        ended = ended.len(),
                        "an account's oldest sessions ended at its session cap"
                    );
                }
                for id in &ended {
                    world.sessions.remove(id);
                }
                world.sessions.insert(session_id, updated);
                Ok(success(&self.catalog, ctx).finish())
            }
            // Not checked: the session stays, for the client to try again in it.
            Verdict::Busy(why) => Err(Failure::new(BUSY, why)),
            Verdict::Refused(why) => {
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

    /// A session signed in as the account named `username` without its password, with its
    /// nonce: for a credential the simulator issued to that account itself (a REST API key).
    /// Refused, as a failed sign-in, for no such account or a locked one.
    pub(crate) fn open_session_as(&self, username: &str) -> Result<(String, Secret), Failure> {
        let internal =
            |e: secrets::SecretError| Failure::new(Condition::InternalError, e.to_string());
        let Some(account) = self.usable_account(username) else {
            return Err(Failure::new(
                Condition::AuthenticationFailed,
                "the API key's account is gone or locked out",
            ));
        };
        let id = secrets::session_id().map_err(internal)?;
        let session = Session::new(secrets::nonce().map_err(internal)?, Some(account.clone()));
        let mut world = self.write();
        self.sweep(&mut world);
        self.make_room(&mut world)?;
        let ended = self.over_cap(&world, &account, id.expose());
        let mut writes: Vec<Write<'_>> = ended.iter().map(|id| Write::DeleteSession(id)).collect();
        writes.push(Write::Session {
            id: id.expose(),
            session: &session,
        });
        self.commit(&writes)?;
        for old in &ended {
            world.sessions.remove(old);
        }
        let nonce = session.nonce.clone();
        world.sessions.insert(id.expose().to_owned(), session);
        Ok((id.expose().to_owned(), nonce))
    }

    /// The key of the account named `username`, if it exists and is not locked out.
    pub(crate) fn usable_account(&self, username: &str) -> Option<Key> {
        let family = self.catalog.accounts?;
        let key = self.account_key(username)?;
        let world = self.read();
        world
            .get(family, &key)
            .and_then(|e| e.account.as_ref())
            .is_some_and(|a| !a.locked)
            .then_some(key)
    }

    pub(super) fn logout(&self, ctx: &Ctx<'_>) -> Outcome {
        let mut world = self.write();
        let id = self.session(&world, ctx)?.0.to_owned();
        self.commit(&[Write::DeleteSession(&id)])?;
        world.sessions.remove(&id);
        Ok(success(&self.catalog, ctx).finish())
    }

    /// Ends every session signed in as `account` but `keep` (the caller's own, when it changed
    /// its own password), in the state file and in `world`, and starts the account's count of
    /// failed sign-ins afresh. For a change of its credentials: a password set, a lock-out, a
    /// demotion (rights taken away), a deletion. Call with the world's write lock held (as
    /// `world`), after the change itself is committed; nothing ends if the store cannot record
    /// it.
    pub(super) fn end_sessions_of(
        &self,
        world: &mut World,
        account: &Key,
        keep: Option<&str>,
    ) -> Result<(), Failure> {
        let ended: Vec<String> = world
            .sessions
            .iter()
            .filter(|(id, s)| s.account.as_ref() == Some(account) && Some(id.as_str()) != keep)
            .map(|(id, _)| id.clone())
            .collect();
        self.sign_in.forgive(&account.to_string());
        if ended.is_empty() {
            return Ok(());
        }
        let writes: Vec<Write<'_>> = ended.iter().map(|id| Write::DeleteSession(id)).collect();
        self.commit(&writes)?;
        for id in &ended {
            world.sessions.remove(id);
        }
        tracing::info!(
            account = %account,
            ended = ended.len(),
            "sessions ended with their account's credentials"
        );
        Ok(())
    }

    /// Records when each stored session was last used (clean shutdown), so that after a
    /// restart each is judged by its last use.
    pub(super) fn record_session_use(&self, world: &World) {
        let writes: Vec<Write<'_>> = world
            .sessions
            .iter()
            .filter(|(_, s)| s.account.is_some())
            .map(|(id, session)| Write::SessionUsed { id, session })
            .collect();
        if !writes.is_empty() && self.commit(&writes).is_err() {
            tracing::warn!("cannot record when the sessions were last used");
        }
    }
}
