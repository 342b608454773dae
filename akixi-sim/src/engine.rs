//! The request handler: one `<Request>` document in, one `<Response>` document out.
//!
//! Checks run in a fixed order, and the first that fails answers (documented in the README):
//! the envelope (10103, 10101, 10102), the session (10301, 10302, 10307), the caller's
//! permission (10511), the payload's values (11200, 10106, including a password that does not
//! decrypt with the session's Nonce), then the state: the target user (11201, 11202), the
//! components named (12100, 11013, 11131), the caller's scope (10512) and the platform of the
//! telephony server the user is scoped to (10150). Every code comes from
//! [`akixi::error_conditions`].

use std::borrow::Cow;
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use akixi_client::akixi::{self, ErrorCode, Platform, error_conditions as cond, session, user};
use akixi_client::akixi_ws::cipher::{NonceCipher, PasswordCipher};
use akixi_client::akixi_ws::{
    DecodeError, DecodeErrorKind, DecodedRequest, ResponseWriter, ResultKind, decode_request,
};
use akixi_client::runtime::akixi_ws::{EncodePayload, Operation, Password, PasswordsAsIs, Secret};

use crate::model::{Capture, Field, Model, Placement, Right, UserMeta};
use crate::secrets::{self, Hasher};
use crate::store::{Store, Write};
use crate::world::{BadReference, Session, UserRecord, World};

/// Why a request is refused: the code (from the spec's `error-conditions`) and a message.
#[derive(Debug)]
pub(crate) struct Failure {
    code: ErrorCode,
    message: Cow<'static, str>,
}

impl Failure {
    fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

type Outcome = Result<String, Failure>;

/// The envelope fields every handler needs.
struct Ctx<'a> {
    operation: &'a str,
    invoke_id: &'a str,
    session_id: Option<&'a str>,
    offset: Option<u64>,
    limit: Option<u64>,
}

/// The authenticated user behind a session.
struct Caller {
    placement: Placement,
    nonce: Secret,
}

/// The simulated service.
pub(crate) struct Engine {
    pub(crate) model: Model,
    world: RwLock<World>,
    /// Taken only while holding `world` for writing, so the two change together.
    store: Mutex<Store>,
    cipher: NonceCipher,
    pub(crate) hasher: Hasher,
}

impl Engine {
    pub(crate) fn new(
        model: Model,
        world: World,
        store: Store,
        hasher: Hasher,
    ) -> Result<Self, String> {
        let cipher = NonceCipher::new(&akixi::PASSWORD_SCHEME).map_err(|e| e.to_string())?;
        Ok(Self {
            model,
            world: RwLock::new(world),
            store: Mutex::new(store),
            cipher,
            hasher,
        })
    }

    /// Answers one request body. Never panics on input: whatever arrives gets a `Response`.
    pub(crate) fn handle(&self, body: &[u8]) -> String {
        let envelope = match decode_request::<()>(body) {
            Ok(envelope) => envelope,
            Err(error) => return self.unreadable(body, &error),
        };
        let invoke_id = match envelope.invoke_id.as_deref() {
            Some(id) if !id.is_empty() => id,
            _ => {
                return failure(
                    None,
                    &Failure::new(cond::MISSING_INVOKE_ID, "the request has no InvokeID"),
                );
            }
        };
        let ctx = Ctx {
            operation: &envelope.operation,
            invoke_id,
            session_id: envelope.session_id.as_deref().filter(|s| !s.is_empty()),
            offset: envelope.offset,
            limit: envelope.limit,
        };
        let op = ctx.operation;
        let outcome = if op == session::CreateSessionRequest::NAME {
            self.create_session(&ctx)
        } else if op == session::AuthenticateRequest::NAME {
            self.authenticate(&ctx, body)
        } else if op == session::LogoutRequest::NAME {
            self.logout(&ctx)
        } else if op == user::UserAddRequest::NAME {
            self.user_add(&ctx, body)
        } else if op == user::UserChangeRequest::NAME {
            self.user_change(&ctx, body)
        } else if op == user::UserDeleteRequest::NAME {
            self.user_delete(&ctx, body)
        } else if op == user::UserInfoRequest::NAME {
            self.user_info(&ctx, body)
        } else if op == user::UserListRequest::NAME {
            self.user_list(&ctx, body)
        } else {
            Err(Failure::new(
                cond::UNKNOWN_OPERATION,
                format!("the operation `{op}` is not supported"),
            ))
        };
        match outcome {
            Ok(xml) => {
                tracing::debug!(operation = op, invoke_id, "success");
                xml
            }
            Err(f) => {
                tracing::debug!(operation = op, invoke_id, code = f.code.code(), message = %f.message, "refused");
                failure(Some(invoke_id), &f)
            }
        }
    }

    /// A body the codec cannot read: say why, echoing its InvokeID if one can be found.
    fn unreadable(&self, body: &[u8], error: &DecodeError) -> String {
        let salvaged = salvage(body);
        let failure_ = match (&salvaged.invoke_id, salvaged.request_without_operation) {
            (None, true) => Failure::new(cond::MISSING_INVOKE_ID, "the request has no InvokeID"),
            (Some(_), true) => Failure::new(
                cond::UNKNOWN_OPERATION,
                "the request names no operation (no Operation attribute)",
            ),
            _ => Failure::new(
                cond::MALFORMED_REQUEST,
                format!("unreadable request: {} (at {})", error.kind(), error.path()),
            ),
        };
        tracing::debug!(code = failure_.code.code(), "unreadable request");
        failure(salvaged.invoke_id.as_deref(), &failure_)
    }

    // -----------------------------------------------------------------------------------
    // Sessions

    fn create_session(&self, ctx: &Ctx<'_>) -> Outcome {
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

    fn authenticate(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
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
    fn check_credentials(
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

    fn logout(&self, ctx: &Ctx<'_>) -> Outcome {
        let mut world = self.write();
        let id = Self::session(&world, ctx)?.0.to_owned();
        self.commit(&[Write::DeleteSession(&id)])?;
        world.sessions.remove(&id);
        Ok(success(ctx).finish())
    }

    // -----------------------------------------------------------------------------------
    // Users

    fn user_add(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
        let decoded = decode_request::<user::UserAddRequest>(body);
        let nonce = self.caller(ctx, self.model.rights.add)?.nonce;
        let req = self.payload(decoded)?;
        let username = self.key(req.get_username())?;
        let password_hash = self.protect(&nonce, req.get_password())?;
        let (mut fields, ignored) = self.model.resolve(self.capture(&req)?, false);
        self.note_ignored(ctx, &ignored);
        self.normalise_key(&mut fields, &username);
        let mut record = UserRecord {
            fields: fields.into_boxed_slice(),
            meta: UserMeta::of(&req),
            password_hash: password_hash.map(String::into_boxed_str),
        };

        let mut world = self.write();
        let caller = Self::authorize(&world, ctx, self.model.rights.add)?;
        if world.users.contains_key(&username) {
            return Err(Failure::new(
                cond::DUPLICATE_USER,
                format!("a user `{username}` already exists"),
            ));
        }
        record.meta.placement = self.check_user(&world, &caller, &req)?;
        self.commit(&[Write::User {
            username: &username,
            record: &record,
        }])?;
        world.users.insert(username, record);
        Ok(success(ctx).finish())
    }

    fn user_change(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
        let decoded = decode_request::<user::UserChangeRequest>(body);
        let nonce = self.caller(ctx, self.model.rights.change)?.nonce;
        let req = self.payload(decoded)?;
        let username = self.key(req.get_username())?;
        let password_hash = self.protect(&nonce, req.get_password())?;
        let (changes, ignored) = self.model.resolve(self.capture(&req)?, true);
        self.note_ignored(ctx, &ignored);

        let mut world = self.write();
        let caller = Self::authorize(&world, ctx, self.model.rights.change)?;
        let target = Self::visible(&world, &caller, &username)?;
        let mut fields = target.fields.to_vec();
        for (id, value) in changes {
            match fields.iter_mut().find(|(f, _)| *f == id) {
                Some(slot) => slot.1 = value,
                None => fields.push((id, value)),
            }
        }
        // The user as it would be: its scope, permissions and properties are checked whole,
        // so a move to another server cannot leave a property that server does not support.
        let merged = self.model.rebuild(&fields).map_err(|errors| {
            Failure::new(
                cond::BAD_PROPERTY_VALUE,
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        let placement = self.check_user(&world, &caller, &merged)?;
        let meta = UserMeta {
            placement,
            ..UserMeta::of(&merged)
        };
        let record = UserRecord {
            fields: fields.into_boxed_slice(),
            meta,
            password_hash: password_hash
                .map(String::into_boxed_str)
                .or_else(|| target.password_hash.clone()),
        };
        self.commit(&[Write::User {
            username: &username,
            record: &record,
        }])?;
        world.users.insert(username, record);
        Ok(success(ctx).finish())
    }

    fn user_delete(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
        let decoded = decode_request::<user::UserDeleteRequest>(body);
        self.caller(ctx, self.model.rights.delete)?;
        let req = self.payload(decoded)?;
        let username = self.key(req.get_username())?;

        let mut world = self.write();
        let caller = Self::authorize(&world, ctx, self.model.rights.delete)?;
        let target = Self::visible(&world, &caller, &username)?;
        supported(&world, &target.meta.placement, |p| req.validate_for(p))?;
        // Its sessions go too, so a later user of the same name does not inherit them.
        self.commit(&[
            Write::DeleteSessionsOf(&username),
            Write::DeleteUser(&username),
        ])?;
        world
            .sessions
            .retain(|_, s| s.user.as_deref() != Some(username.as_str()));
        world.users.remove(&username);
        Ok(success(ctx).finish())
    }

    fn user_info(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
        let decoded = decode_request::<user::UserInfoRequest>(body);
        let world = self.read();
        let caller = Self::authorize(&world, ctx, self.model.rights.info)?;
        let req = self.payload(decoded)?;
        let username = self.key(req.get_username())?;
        let target = Self::visible(&world, &caller, &username)?;
        supported(&world, &target.meta.placement, |p| req.validate_for(p))?;
        let mut w = success(ctx);
        w.begin_success();
        self.model.write_info(&target.fields, &mut w);
        Ok(w.finish())
    }

    fn user_list(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
        let decoded = decode_request::<user::UserListRequest>(body);
        let world = self.read();
        let caller = Self::authorize(&world, ctx, self.model.rights.list)?;
        let req = match decoded {
            Ok(d) => d.payload.unwrap_or_else(user::UserListRequest::new),
            Err(e) => return Err(self.decode_failure(&e)),
        };
        let filter = Placement::of_list(&req);
        world.resolve(&filter).map_err(bad_reference)?;
        supported(&world, &filter, |p| req.validate_for(p))?;
        if !compatible(&caller.placement, &filter) {
            return Err(Failure::new(
                cond::OUT_OF_SCOPE,
                "the list's filter is outside this session's scope",
            ));
        }
        let search = req
            .get_search_query()
            .map(|q| q.trim().to_lowercase())
            .filter(|q| !q.is_empty());
        let requested = req.get_user_fields();
        let columns: Vec<(&str, crate::model::PropId)> = self
            .model
            .list_fields
            .iter()
            .filter(|f| {
                f.default
                    || requested.is_some_and(|r| r.iter().any(|u| u.as_str() == f.property.name))
            })
            .filter_map(|f| f.source.map(|s| (f.property.name, s)))
            .collect();
        let offset =
            usize::try_from(ctx.offset.unwrap_or(akixi::DEFAULT_OFFSET)).unwrap_or(usize::MAX);
        let limit =
            usize::try_from(ctx.limit.unwrap_or(akixi::DEFAULT_LIMIT)).unwrap_or(usize::MAX);

        let full_name = self.model.full_name;
        let matches = |username: &str, record: &UserRecord| {
            search.as_deref().is_none_or(|q| {
                username.to_lowercase().contains(q)
                    || value_of(&record.fields, full_name)
                        .is_some_and(|n| n.to_lowercase().contains(q))
            })
        };
        let mut w = success(ctx);
        w.begin_success();
        let entries = world
            .users
            .iter()
            .filter(|(_, r)| caller.placement.covers(&r.meta.placement))
            .filter(|(_, r)| filter.covers(&r.meta.placement))
            .filter(|(name, r)| matches(name, r))
            .skip(offset)
            .take(limit);
        for (_, record) in entries {
            w.begin_container(None);
            for (name, source) in &columns {
                if let Some(value) = value_of(&record.fields, *source) {
                    w.property(name, value);
                }
            }
            w.end_container();
        }
        Ok(w.finish())
    }

    // -----------------------------------------------------------------------------------
    // Checks

    /// The session a request names: 10301 without one, 10302 for an unknown one.
    fn session<'w>(world: &'w World, ctx: &Ctx<'_>) -> Result<(&'w str, &'w Session), Failure> {
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
    fn authorize(world: &World, ctx: &Ctx<'_>, right: Right) -> Result<Caller, Failure> {
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

    fn caller(&self, ctx: &Ctx<'_>, right: Right) -> Result<Caller, Failure> {
        Self::authorize(&self.read(), ctx, right)
    }

    /// The user `username`, if the caller may see it (an invisible user is an unknown one).
    fn visible<'w>(
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
    fn check_user(
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

    fn payload<T>(&self, decoded: Result<DecodedRequest<T>, DecodeError>) -> Result<T, Failure> {
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

    fn decode_failure(&self, e: &DecodeError) -> Failure {
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
    fn key(&self, username: &str) -> Result<String, Failure> {
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

    fn normalise_key(&self, fields: &mut [Field], username: &str) {
        for (id, value) in fields.iter_mut() {
            if *id == self.model.username {
                *value = Box::from(username);
            }
        }
    }

    /// The salted hash of a password protected with the session's `nonce`.
    fn protect(
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

    fn capture<T: EncodePayload>(&self, req: &T) -> Result<Capture, Failure> {
        Capture::of(req).map_err(|e| Failure::new(cond::INTERNAL_ERROR, e.to_string()))
    }

    fn note_ignored(&self, ctx: &Ctx<'_>, ignored: &[String]) {
        if !ignored.is_empty() {
            tracing::warn!(
                operation = ctx.operation,
                invoke_id = ctx.invoke_id,
                properties = ?ignored,
                "ignoring properties the operation does not take"
            );
        }
    }

    // -----------------------------------------------------------------------------------
    // State

    fn read(&self) -> RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(PoisonError::into_inner)
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes `writes` durable; call with the world's write lock held, then apply them.
    fn commit(&self, writes: &[Write<'_>]) -> Result<(), Failure> {
        self.store().apply(&self.model, writes).map_err(|e| {
            tracing::error!(error = %e, "cannot record a change in the state file");
            Failure::new(
                cond::STORAGE_UNAVAILABLE,
                "the change could not be recorded; nothing was changed",
            )
        })
    }

    /// Runs `f` on the world and store together (startup and admin maintenance).
    pub(crate) fn with_state<R>(&self, f: impl FnOnce(&mut World, &mut Store) -> R) -> R {
        let mut world = self.write();
        let mut store = self.store();
        f(&mut world, &mut store)
    }

    /// A user record for a typed request (seeding and admin maintenance).
    pub(crate) fn record(
        &self,
        req: &user::UserAddRequest,
        password_hash: Option<String>,
    ) -> Result<UserRecord, String> {
        let capture = Capture::of(req).map_err(|e| e.to_string())?;
        let (fields, _) = self.model.resolve(capture, false);
        Ok(UserRecord {
            fields: fields.into_boxed_slice(),
            meta: UserMeta::of(req),
            password_hash: password_hash.map(String::into_boxed_str),
        })
    }

    /// How many users are stored.
    pub(crate) fn user_count(&self) -> usize {
        self.read().users.len()
    }

    /// Folds the write-ahead log into the database (clean shutdown).
    pub(crate) fn checkpoint(&self) {
        let _world = self.write();
        if let Err(e) = self.store().checkpoint() {
            tracing::warn!(error = %e, "cannot checkpoint the state file");
        }
    }
}

/// Runs a request's generated `validate_for` against the platform of the telephony server
/// `placement` names, if it names one.
fn supported(
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

fn value_of(fields: &[Field], id: crate::model::PropId) -> Option<&str> {
    fields.iter().find(|(f, _)| *f == id).map(|(_, v)| &**v)
}

/// Whether some placement satisfies both `a` and `b`.
fn compatible(a: &Placement, b: &Placement) -> bool {
    fn part<T: PartialEq>(x: &Option<T>, y: &Option<T>) -> bool {
        match (x, y) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        }
    }
    part(&a.cm_environment, &b.cm_environment)
        && part(&a.tel_sys, &b.tel_sys)
        && part(&a.partition, &b.partition)
}

fn bad_reference(r: BadReference) -> Failure {
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

fn success(ctx: &Ctx<'_>) -> ResponseWriter {
    let mut w = ResponseWriter::new(ResultKind::Success, &akixi::BINDING);
    w.invoke_id(ctx.invoke_id);
    w
}

fn failure(invoke_id: Option<&str>, f: &Failure) -> String {
    let mut w = ResponseWriter::new(ResultKind::Fail, &akixi::BINDING);
    if let Some(id) = invoke_id {
        w.invoke_id(id);
    }
    w.error(f.code.code(), Some(&f.message));
    w.finish()
}

/// What can still be read from a request the codec refused.
#[derive(Debug, Default)]
struct Salvaged {
    invoke_id: Option<String>,
    /// The root is `<Request>` but has no `Operation` attribute.
    request_without_operation: bool,
}

/// Looks for the envelope's `InvokeID` in a request the codec refused, so that even a
/// failure for a malformed request can be matched to it. The element names are the
/// protocol's envelope (not spec properties), as the codec reads them.
fn salvage(body: &[u8]) -> Salvaged {
    use quick_xml::events::Event;
    let mut out = Salvaged::default();
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut depth = 0usize;
    let mut in_invoke_id = false;
    let mut text = String::new();
    let mut buf = Vec::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(start) if depth == 0 => {
                out.request_without_operation = lacks_operation(&start);
                depth = 1;
            }
            Event::Empty(start) if depth == 0 => {
                out.request_without_operation = lacks_operation(&start);
                break;
            }
            Event::Start(start) => {
                if depth == 1 && start.name().as_ref() == "InvokeID" {
                    in_invoke_id = true;
                }
                depth += 1;
            }
            Event::Text(t) if in_invoke_id => text.push_str(&t.xml10_content()),
            Event::End(_) => {
                if in_invoke_id {
                    let id = text.trim();
                    if !id.is_empty() {
                        out.invoke_id = Some(id.to_owned());
                    }
                    break;
                }
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

fn lacks_operation(root: &quick_xml::events::BytesStart<'_>) -> bool {
    root.name().as_ref() == "Request"
        && !root
            .attributes()
            .flatten()
            .any(|a| a.key.as_ref() == "Operation")
}
