//! The API session's operations: create, authenticate, close.

use akixi_client::akixi::{error_conditions as cond, session};
use akixi_client::akixi_ws::cipher::PasswordCipher;
use akixi_client::akixi_ws::decode_request;
use akixi_client::runtime::akixi_ws::{EncodePayload, PasswordsAsIs, Secret};

use super::respond::{Ctx, Failure, Outcome, success};
use super::state::Engine;
use crate::akixi::secrets;
use crate::akixi::world::Session;
use crate::store::Write;

impl Engine {
    // -----------------------------------------------------------------------------------
    // Sessions

    pub(super) fn create_session(&self, ctx: &Ctx<'_>) -> Outcome {
        let internal = |e: secrets::SecretError| Failure::new(cond::INTERNAL_ERROR, e.to_string());
        let id = secrets::session_id().map_err(internal)?;
        let session = Session {
            nonce: secrets::nonce().map_err(internal)?,
            user: None,
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
        let mut response = session::CreateSessionResponse::default();
        response.session_id = Some(id);
        response.nonce = Some(session.nonce);
        let mut w = success(ctx);
        response
            .encode_payload(&mut w, &PasswordsAsIs)
            .map_err(|e| Failure::new(cond::INTERNAL_ERROR, e.to_string()))?;
        Ok(w.finish())
    }

    pub(super) fn authenticate(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
        let decoded = decode_request::<session::AuthenticateRequest>(body);
        let (session_id, nonce) = {
            let world = self.read();
            let (id, session) = Self::session(&world, ctx)?;
            (id.to_owned(), session.nonce.clone())
        };
        let verdict = decoded
            .ok()
            .and_then(|d| d.payload)
            .and_then(|req| self.check_credentials(&req, &nonce));
        let mut world = self.write();
        match verdict {
            Some(username) => {
                let Some(session) = world.sessions.get(&session_id) else {
                    return Err(Failure::new(
                        cond::UNKNOWN_SESSION,
                        "the session ended while authenticating",
                    ));
                };
                let updated = Session {
                    nonce: session.nonce.clone(),
                    user: Some(username),
                };
                self.commit(&[Write::Session {
                    id: &session_id,
                    session: &updated,
                }])?;
                world.sessions.insert(session_id, updated);
                Ok(success(ctx).finish())
            }
            None => {
                // As documented: a failed Authenticate clears the session and its Nonce.
                if world.sessions.contains_key(&session_id) {
                    self.commit(&[Write::DeleteSession(&session_id)])?;
                    world.sessions.remove(&session_id);
                }
                Err(Failure::new(
                    cond::AUTHENTICATION_FAILED,
                    "wrong user name or password (or the user is locked out); the session is closed",
                ))
            }
        }
    }

    /// The user name, if the request's password (protected with `nonce`) is that user's.
    pub(super) fn check_credentials(
        &self,
        req: &session::AuthenticateRequest,
        nonce: &Secret,
    ) -> Option<String> {
        let password = self
            .cipher
            .decrypt(nonce, req.get_password().expose())
            .ok()?;
        let username = req.get_username().trim();
        let hash = {
            let world = self.read();
            let user = world.users.get(username).filter(|u| !u.meta.locked)?;
            user.password_hash.clone()?
        };
        // Hashing is slow on purpose: done outside the lock.
        self.hasher
            .verify(&hash, &password)
            .then(|| username.to_owned())
    }

    pub(super) fn logout(&self, ctx: &Ctx<'_>) -> Outcome {
        let mut world = self.write();
        let id = Self::session(&world, ctx)?.0.to_owned();
        self.commit(&[Write::DeleteSession(&id)])?;
        world.sessions.remove(&id);
        Ok(success(ctx).finish())
    }
}
