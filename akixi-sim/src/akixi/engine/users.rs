//! The `User` family: add, change, delete, info, list.

use akixi_client::akixi::{self, error_conditions as cond, user};
use akixi_client::akixi_ws::decode_request;

use super::access::{bad_reference, supported};
use super::respond::{Ctx, Failure, Outcome, success};
use super::state::Engine;
use crate::akixi::model::{Field, Placement, UserMeta};
use crate::akixi::world::UserRecord;
use crate::store::Write;

impl Engine {
    // -----------------------------------------------------------------------------------
    // Users

    pub(super) fn user_add(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
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

    pub(super) fn user_change(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
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

    pub(super) fn user_delete(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
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

    pub(super) fn user_info(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
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

    pub(super) fn user_list(&self, ctx: &Ctx<'_>, body: &[u8]) -> Outcome {
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
        let columns: Vec<(&str, crate::akixi::model::PropId)> = self
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
}

fn value_of(fields: &[Field], id: crate::akixi::model::PropId) -> Option<&str> {
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
