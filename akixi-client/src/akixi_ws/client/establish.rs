//! The API session's life: established lazily (`CreateSession`, then `Authenticate`), retried
//! as a whole, and closed on request.

use std::sync::Arc;

use super::error::{Error, ProtocolError, ProtocolErrorKind};
use super::handle::Client;
use super::retry::Retries;
use super::service::AkixiWsService;
use super::session::Session;
use crate::akixi_ws::cipher::SessionPasswords;
use crate::akixi_ws::payload::{EncodeError, Operation, PasswordEncoder};
use crate::akixi_ws::session::SessionOperations;
use crate::secret::{Password, Secret};

/// Writes no password: for the requests that carry none (`CreateSession`), so that a password
/// in one is an error instead of leaving unprotected.
struct NoPasswords;

impl PasswordEncoder for NoPasswords {
    fn encode_password(&self, _: &Password) -> Result<String, EncodeError> {
        Err(EncodeError::Password(
            "a password outside an API session cannot be protected".into(),
        ))
    }
}

impl<S: AkixiWsService> Client<S> {
    /// Ends the API session (the spec's closing operation), if one is established. A later
    /// call starts a new session. A session the server had already dropped counts as closed.
    /// Dropping the last clone of a client does not end its session (that needs a request);
    /// the server times it out.
    pub async fn close(&self) -> Result<(), Error<S>> {
        let (_closing, session) = self.inner.sessions.take().await;
        let Some(session) = session else {
            return Ok(());
        };
        let request = <S::Session as SessionOperations>::close();
        let passwords = SessionPasswords {
            cipher: &*self.inner.cipher,
            nonce: &session.nonce,
        };
        match self.exchange(&request, Some(&session.id), &passwords).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_session_expired() => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub(super) async fn session(&self) -> Result<Arc<Session>, Error<S>> {
        self.inner.sessions.get(|| self.establish()).await
    }

    /// `CreateSession` then `Authenticate`, retried as a whole under the retry policy: a
    /// failed `Authenticate` clears the session and its Nonce on the server, so every attempt
    /// starts again from `CreateSession`. A rejected password is not retried.
    pub(super) async fn establish(&self) -> Result<(Secret, Secret), Error<S>> {
        let mut retries = Retries::new(&self.inner.retry);
        loop {
            retries.start();
            let err = match self.establish_once().await {
                Ok(session) => return Ok(session),
                Err(e) => e,
            };
            if !retries.again_after(&err, "the API session set-up").await {
                return Err(err);
            }
        }
    }

    async fn establish_once(&self) -> Result<(Secret, Secret), Error<S>> {
        let create = <S::Session as SessionOperations>::create();
        let (created, invoke_id) = self.exchange(&create, None, &NoPasswords).await?;
        let missing = |what| {
            Error::Protocol(Box::new(ProtocolError {
                operation: <<S::Session as SessionOperations>::Create as Operation>::NAME,
                invoke_id: invoke_id.clone(),
                kind: ProtocolErrorKind::MissingSessionValue { what },
            }))
        };
        let (id, nonce) = <S::Session as SessionOperations>::session_of(created);
        let id = id
            .filter(|s| !s.expose().trim().is_empty())
            .ok_or_else(|| missing("session id"))?;
        let nonce = nonce
            .filter(|s| !s.expose().trim().is_empty())
            .ok_or_else(|| missing("nonce"))?;

        let creds = &self.inner.credentials;
        let auth =
            <S::Session as SessionOperations>::authenticate(&creds.username, &creds.password)
                .map_err(|errors| {
                    let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                    Error::Config(format!(
                        "cannot build the Authenticate request: {}",
                        list.join("; ")
                    ))
                })?;
        let passwords = SessionPasswords {
            cipher: &*self.inner.cipher,
            nonce: &nonce,
        };
        self.exchange(&auth, Some(&id), &passwords).await?;
        tracing::debug!("API session established");
        Ok((id, nonce))
    }
}
