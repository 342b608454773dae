//! Who calls and what they may do (the session, permissions, scope), and reading a request's
//! payload into the model's fields.

use akixi_client::akixi::{self, Platform, error_conditions as cond, user};
use akixi_client::akixi_ws::cipher::PasswordCipher;
use akixi_client::akixi_ws::{DecodeError, DecodeErrorKind, DecodedRequest};
use akixi_client::runtime::akixi_ws::{EncodePayload, Password, Secret};

use super::respond::{Ctx, Failure};
use super::state::Engine;
use crate::akixi::model::{Capture, Field, Placement, Right};
use crate::akixi::world::{BadReference, Session, UserRecord, World};

/// The authenticated user behind a session.
pub(super) struct Caller {
    pub(super) placement: Placement,
    pub(super) nonce: Secret,
}
impl Engine {
    // -----------------------------------------------------------------------------------
    // Checks

    /// The session a request names: 10301 without one, 10302 for an unknown one.
    pub(super) fn session<'w>(
        world: &'w World,
        ctx: &Ctx<'_>,
    ) -> Result<(&'w str, &'w Session), Failure> {
        let id = ctx
            .session_id
            .ok_or_else(|| Failure::new(cond::MISSING_SESSION, "the request has no SessionID"))?;
        world
            .sessions
            .get_key_value(id)
            .map(|(k, s)| (k.as_str(), s))
            .ok_or_else(|| {
                Failure::new(cond::UNKNOWN_SESSION, "the SessionID names no live session")
            })
    }

    /// The signed-in caller, allowed `right` (10307, 10511).
    pub(super) fn authorize(world: &World, ctx: &Ctx<'_>, right: Right) -> Result<Caller, Failure> {
        let (_, session) = Self::session(world, ctx)?;
        let not_authenticated = || {
            Failure::new(
                cond::NOT_AUTHENTICATED,
                "the session is not authenticated (or its user was deleted or locked out)",
            )
        };
        let name = session.user.as_deref().ok_or_else(not_authenticated)?;
        let me = world
            .users
            .get(name)
            .filter(|u| !u.meta.locked)
            .ok_or_else(not_authenticated)?;
        if !me.meta.rights.allows(right) {
            return Err(Failure::new(
                cond::PERMISSION_DENIED,
                format!(
                    "`{name}` does not hold the {} permission needed for {}",
                    right.permission(),
                    ctx.operation
                ),
            ));
        }
        Ok(Caller {
            placement: me.meta.placement.clone(),
            nonce: session.nonce.clone(),
        })
    }

    pub(super) fn caller(&self, ctx: &Ctx<'_>, right: Right) -> Result<Caller, Failure> {
        Self::authorize(&self.read(), ctx, right)
    }

    /// The user `username`, if the caller may see it (an invisible user is an unknown one).
    pub(super) fn visible<'w>(
        world: &'w World,
        caller: &Caller,
        username: &str,
    ) -> Result<&'w UserRecord, Failure> {
        world
            .users
            .get(username)
            .filter(|u| caller.placement.covers(&u.meta.placement))
            .ok_or_else(|| {
                Failure::new(
                    cond::UNKNOWN_USER,
                    format!("no user `{username}` is visible to this session"),
                )
            })
    }

    /// A user as added or changed: the components it names exist, it lies within the
    /// caller's scope, and its server's platform supports every property it has. Returns
    /// where it is placed (its CM environment filled in from its server).
    pub(super) fn check_user(
        &self,
        world: &World,
        caller: &Caller,
        user: &user::UserAddRequest,
    ) -> Result<Placement, Failure> {
        let mut placement = Placement::of_scope(user.get_scope());
        let server = world.resolve(&placement).map_err(bad_reference)?;
        world.complete(&mut placement);
        if let Some(endpoint) = user.get_endpoint() {
            world
                .resolve(&Placement {
                    cm_environment: None,
                    tel_sys: endpoint.tel_sys_id.map(|i| i.get()),
                    partition: endpoint.part_id_in_tel_sys.map(|i| i.get()),
                })
                .map_err(bad_reference)?;
        }
        if !caller.placement.covers(&placement) {
            return Err(Failure::new(
                cond::OUT_OF_SCOPE,
                "the user's scope is outside this session's scope",
            ));
        }
        if server.is_some() {
            supported(world, &placement, |p| user.validate_for(p))?;
        }
        Ok(placement)
    }

    pub(super) fn payload<T>(
        &self,
        decoded: Result<DecodedRequest<T>, DecodeError>,
    ) -> Result<T, Failure> {
        match decoded {
            Ok(d) => d.payload.ok_or_else(|| {
                Failure::new(
                    cond::MISSING_USERNAME,
                    "the request has no OperationPayload",
                )
            }),
            Err(e) => Err(self.decode_failure(&e)),
        }
    }

    pub(super) fn decode_failure(&self, e: &DecodeError) -> Failure {
        let key = self.model.prop(self.model.username).name;
        let code = match e.kind() {
            DecodeErrorKind::MissingProperty { name } if name == key => cond::MISSING_USERNAME,
            DecodeErrorKind::InvalidValue { .. } | DecodeErrorKind::MissingProperty { .. } => {
                cond::BAD_PROPERTY_VALUE
            }
            _ => cond::MALFORMED_REQUEST,
        };
        Failure::new(code, format!("{} (at {})", e.kind(), e.path()))
    }

    /// The user key, trimmed ("leading and trailing spaces are not significant").
    pub(super) fn key(&self, username: &str) -> Result<String, Failure> {
        let key = username.trim();
        if key.is_empty() {
            let name = self.model.prop(self.model.username).name;
            return Err(Failure::new(
                cond::MISSING_USERNAME,
                format!("the request's {name} is empty"),
            ));
        }
        Ok(key.to_owned())
    }

    pub(super) fn normalise_key(&self, fields: &mut [Field], username: &str) {
        for (id, value) in fields.iter_mut() {
            if *id == self.model.username {
                *value = Box::from(username);
            }
        }
    }

    /// The salted hash of a password protected with the session's `nonce`.
    pub(super) fn protect(
        &self,
        nonce: &Secret,
        password: Option<&Password>,
    ) -> Result<Option<String>, Failure> {
        let Some(protected) = password else {
            return Ok(None);
        };
        let plain = self
            .cipher
            .decrypt(nonce, protected.expose())
            .map_err(|e| Failure::new(cond::BAD_PROPERTY_VALUE, format!("Password: {e}")))?;
        self.hasher
            .hash(&plain)
            .map(Some)
            .map_err(|e| Failure::new(cond::INTERNAL_ERROR, e.to_string()))
    }

    pub(super) fn capture<T: EncodePayload>(&self, req: &T) -> Result<Capture, Failure> {
        Capture::of(req).map_err(|e| Failure::new(cond::INTERNAL_ERROR, e.to_string()))
    }

    pub(super) fn note_ignored(&self, ctx: &Ctx<'_>, ignored: &[String]) {
        if !ignored.is_empty() {
            tracing::warn!(
                operation = ctx.operation,
                invoke_id = ctx.invoke_id,
                properties = ?ignored,
                "ignoring properties the operation does not take"
            );
        }
    }
}

/// Runs a request's generated `validate_for` against the platform of the telephony server
/// `placement` names, if it names one.
pub(super) fn supported(
    world: &World,
    placement: &Placement,
    validate: impl FnOnce(Platform) -> Result<(), akixi::Unsupported>,
) -> Result<(), Failure> {
    let Some(server) = placement.tel_sys.and_then(|id| world.servers.get(&id)) else {
        return Ok(());
    };
    validate(server.platform).map_err(|unsupported| {
        Failure::new(
            cond::UNSUPPORTED_PROPERTY,
            format!(
                "{unsupported} (telephony server {} is {})",
                server.id, server.platform
            ),
        )
    })
}

pub(super) fn bad_reference(r: BadReference) -> Failure {
    match r {
        BadReference::CmEnvironment(id) => Failure::new(
            cond::UNKNOWN_CM_ENVIRONMENT,
            format!("no CM environment `{id}`"),
        ),
        BadReference::TelephonyServer(id) => Failure::new(
            cond::UNKNOWN_TELEPHONY_SERVER,
            format!("no telephony server {id} (in the given CM environment)"),
        ),
        BadReference::Partition(Some(ts), id) => Failure::new(
            cond::UNKNOWN_PARTITION,
            format!("telephony server {ts} has no partition {id}"),
        ),
        BadReference::Partition(None, id) => Failure::new(
            cond::UNKNOWN_PARTITION,
            format!("partition {id} is given without a telephony server"),
        ),
    }
}
