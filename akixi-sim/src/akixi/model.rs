//! What the simulator knows about the API, all of it taken from the generated code.
//!
//! No property name is written here. Users are stored generically, as `(property, wire text)`
//! pairs captured by encoding the typed, validated request through [`Capture`]; responses
//! are laid out by walking [`akixi::OPERATIONS`]. Where the simulator needs to know which
//! property *means* something (the user's key, the full name searched by `UserList`), it
//! learns the wire name by encoding a typed request whose generated setter it calls, so a
//! spec change that renames or removes the property fails to compile or to start, rather
//! than silently diverging.

use std::collections::HashMap;

use akixi_client::akixi::{self, Integer, Platform, user};
use akixi_client::runtime::akixi_ws::{
    EncodeError, EncodePayload, OpKind, Operation, OperationInfo, Password, PasswordEncoder,
    PayloadSink, PropertyInfo, SetError, ValueKind, WireValue,
};

/// Index of a property in [`Model`]'s table (only user-family properties that a request can
/// set or a response return).
pub(crate) type PropId = u16;

/// One stored property: which, and its wire text.
pub(crate) type Field = (PropId, Box<str>);

/// Collects what a shape encodes: `(container, name, wire text)` in document order.
///
/// Properties nested deeper than one container can only come from unknown extras, which the
/// simulator does not store, so they are dropped here.
#[derive(Debug, Default)]
pub(crate) struct Capture {
    container: Option<String>,
    depth: u32,
    pub(crate) fields: Vec<(Option<String>, String, String)>,
}

impl Capture {
    /// Encodes `shape`; passwords are left out (the simulator keeps only their hash).
    pub(crate) fn of<T: EncodePayload>(shape: &T) -> Result<Self, EncodeError> {
        let mut capture = Capture::default();
        shape.encode_payload(&mut capture, &NoPasswords)?;
        Ok(capture)
    }
}

impl PayloadSink for Capture {
    fn property(&mut self, name: &str, value: &str) {
        if self.depth <= 1 {
            self.fields
                .push((self.container.clone(), name.to_owned(), value.to_owned()));
        }
    }
    fn property_value<T: WireValue>(&mut self, name: &str, value: &T) {
        self.property(name, &value.to_wire());
    }
    fn begin_container(&mut self, name: Option<&str>) {
        self.depth += 1;
        if self.depth == 1 {
            self.container = name.map(str::to_owned);
        }
    }
    fn end_container(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.container = None;
        }
    }
}

/// Writes every password as empty text, so a captured request never holds one.
struct NoPasswords;

impl PasswordEncoder for NoPasswords {
    fn encode_password(&self, _: &Password) -> Result<String, EncodeError> {
        Ok(String::new())
    }
}

/// Something the spec must provide for the simulator to work is missing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the spec does not give the simulator what it needs: {0}")]
pub struct SpecMismatch(pub(crate) String);

/// The operations the simulator implements, found in [`akixi::OPERATIONS`] by the names of
/// the generated request types.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ops {
    pub(crate) add: &'static OperationInfo,
    pub(crate) change: &'static OperationInfo,
    pub(crate) delete: &'static OperationInfo,
    pub(crate) info: &'static OperationInfo,
    pub(crate) list: &'static OperationInfo,
}

/// The permission each user operation needs, from its `Kind`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OpRights {
    pub(crate) add: Right,
    pub(crate) change: Right,
    pub(crate) delete: Right,
    pub(crate) info: Right,
    pub(crate) list: Right,
}

/// A property `UserList` can return, and where a user's value for it comes from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListField {
    pub(crate) property: &'static PropertyInfo,
    /// Returned without being asked for.
    pub(crate) default: bool,
    pub(crate) source: Option<PropId>,
}

/// The spec, as the simulator uses it.
#[derive(Debug)]
pub(crate) struct Model {
    props: Vec<&'static PropertyInfo>,
    by_name: HashMap<&'static str, Vec<(Option<&'static str>, PropId)>>,
    /// Per property: may `UserAdd` set it / may `UserChange` set it / is it the change key.
    add_input: Vec<bool>,
    change_input: Vec<bool>,
    change_key: Vec<bool>,
    /// Secret inputs (passwords): never stored as properties, never reported as ignored.
    secrets: Vec<&'static PropertyInfo>,
    pub(crate) rights: OpRights,
    /// The property naming a user (`UserAddRequest::new`'s argument).
    pub(crate) username: PropId,
    /// The property `SearchQuery` matches besides the key.
    pub(crate) full_name: PropId,
    /// `UserInfo`'s response: top-level properties, then each container's, in spec order.
    info_layout: Vec<(Option<&'static str>, Vec<PropId>)>,
    pub(crate) list_fields: Vec<ListField>,
}

const PROBE: &str = "\u{1}akixi-sim-probe\u{1}";

fn operation(name: &str) -> Result<&'static OperationInfo, SpecMismatch> {
    akixi::OPERATIONS
        .iter()
        .find(|op| op.name == name)
        .ok_or_else(|| SpecMismatch(format!("no operation {name} in OPERATIONS")))
}

impl Model {
    pub(crate) fn new() -> Result<Self, SpecMismatch> {
        let ops = Ops {
            add: operation(user::UserAddRequest::NAME)?,
            change: operation(user::UserChangeRequest::NAME)?,
            delete: operation(user::UserDeleteRequest::NAME)?,
            info: operation(user::UserInfoRequest::NAME)?,
            list: operation(user::UserListRequest::NAME)?,
        };
        let right = |op: &OperationInfo| {
            Right::for_kind(op.kind).ok_or_else(|| {
                SpecMismatch(format!(
                    "{} has kind {:?}, which needs no permission",
                    op.name, op.kind
                ))
            })
        };
        let rights = OpRights {
            add: right(ops.add)?,
            change: right(ops.change)?,
            delete: right(ops.delete)?,
            info: right(ops.info)?,
            list: right(ops.list)?,
        };
        let mut model = Model {
            props: Vec::new(),
            by_name: HashMap::new(),
            add_input: Vec::new(),
            change_input: Vec::new(),
            change_key: Vec::new(),
            secrets: Vec::new(),
            rights,
            username: 0,
            full_name: 0,
            info_layout: Vec::new(),
            list_fields: Vec::new(),
        };
        // Everything a user can hold: what add/change take and what info returns. Secrets
        // are never stored as properties.
        for op in [ops.add, ops.change, ops.info] {
            for field in op.fields {
                if field.property.kind != ValueKind::Secret {
                    model.intern(field.property)?;
                } else {
                    model.secrets.push(field.property);
                }
            }
        }
        let n = model.props.len();
        model.add_input = vec![false; n];
        model.change_input = vec![false; n];
        model.change_key = vec![false; n];
        for (op, inputs) in [
            (ops.add, &mut model.add_input),
            (ops.change, &mut model.change_input),
        ] {
            for field in op.fields.iter().filter(|f| f.input.is_some()) {
                let p = field.property;
                if let Some(id) = lookup(&model.by_name, p.container, p.name) {
                    inputs[usize::from(id)] = true;
                }
            }
        }
        for field in ops.change.fields {
            if field.input == Some(akixi_client::runtime::akixi_ws::InputUse::Key) {
                let p = field.property;
                if let Some(id) = lookup(&model.by_name, p.container, p.name) {
                    model.change_key[usize::from(id)] = true;
                }
            }
        }

        model.username = model.probe(&user::UserAddRequest::new(PROBE), "the user key")?;
        model.full_name =
            model.probe(&user::UserAddRequest::new("").full_name(PROBE), "FullName")?;

        for field in ops.info.fields.iter().filter(|f| f.returned.is_some()) {
            let p = field.property;
            let Some(id) = lookup(&model.by_name, p.container, p.name) else {
                continue;
            };
            match model
                .info_layout
                .iter_mut()
                .find(|(c, _)| *c == p.container)
            {
                Some((_, ids)) => ids.push(id),
                None => model.info_layout.push((p.container, vec![id])),
            }
        }
        // Top-level properties first, as the documented responses show.
        model.info_layout.sort_by_key(|(c, _)| c.is_some());

        for field in ops.list.fields {
            let Some(returned) = field.returned else {
                continue;
            };
            let p = field.property;
            let source = model.list_source(p);
            model.list_fields.push(ListField {
                property: p,
                default: returned,
                source,
            });
        }
        Ok(model)
    }

    fn intern(&mut self, p: &'static PropertyInfo) -> Result<PropId, SpecMismatch> {
        if let Some(id) = lookup(&self.by_name, p.container, p.name) {
            return Ok(id);
        }
        let id = PropId::try_from(self.props.len())
            .map_err(|_| SpecMismatch("more properties than the simulator can index".into()))?;
        self.props.push(p);
        self.by_name
            .entry(p.name)
            .or_default()
            .push((p.container, id));
        Ok(id)
    }

    /// The property whose value is [`PROBE`] when `shape` is encoded.
    fn probe<T: EncodePayload>(&self, shape: &T, what: &str) -> Result<PropId, SpecMismatch> {
        let capture =
            Capture::of(shape).map_err(|e| SpecMismatch(format!("probing {what}: {e}")))?;
        capture
            .fields
            .iter()
            .find(|(_, _, v)| v == PROBE)
            .and_then(|(c, n, _)| self.id(c.as_deref(), n))
            .ok_or_else(|| SpecMismatch(format!("cannot find the property holding {what}")))
    }

    /// Where a user's value for a `UserList` field comes from: the stored property of the
    /// same name at top level, else the one container property with that name and type (the
    /// list's `ReportingAccess` is the user's `Scope.ReportingAccess`, for instance).
    fn list_source(&self, p: &'static PropertyInfo) -> Option<PropId> {
        let candidates = self.by_name.get(p.name)?;
        if let Some((_, id)) = candidates.iter().find(|(c, _)| c.is_none()) {
            return Some(*id);
        }
        let mut same_type = candidates
            .iter()
            .filter(|(_, id)| self.prop(*id).type_name == p.type_name);
        match (same_type.next(), same_type.next()) {
            (Some((_, id)), None) => Some(*id),
            _ => None,
        }
    }

    /// The property `container`.`name`, if a user can hold it.
    pub(crate) fn id(&self, container: Option<&str>, name: &str) -> Option<PropId> {
        lookup(&self.by_name, container, name)
    }

    pub(crate) fn prop(&self, id: PropId) -> &'static PropertyInfo {
        self.props[usize::from(id)]
    }

    /// `Container.Name` or `Name`: the key `set_wire`/`from_wire_fields` take.
    pub(crate) fn wire_key(&self, id: PropId) -> String {
        let p = self.prop(id);
        match p.container {
            Some(c) => format!("{c}.{}", p.name),
            None => p.name.to_owned(),
        }
    }

    /// The stored fields of a captured `UserAdd` (`change == false`) or `UserChange`
    /// (`change == true`, key left out); properties the operation does not take are dropped
    /// and returned by name.
    pub(crate) fn resolve(&self, capture: Capture, change: bool) -> (Vec<Field>, Vec<String>) {
        let mut fields = Vec::with_capacity(capture.fields.len());
        let mut ignored = Vec::new();
        for (container, name, value) in capture.fields {
            let allowed = self.id(container.as_deref(), &name).filter(|&id| {
                let i = usize::from(id);
                if change {
                    self.change_input[i] && !self.change_key[i]
                } else {
                    self.add_input[i]
                }
            });
            match allowed {
                Some(id) if self.prop(id).kind != ValueKind::Secret => {
                    fields.push((id, value.into_boxed_str()));
                }
                Some(_) => {}
                None if change && self.id(container.as_deref(), &name).is_some() => {}
                None if self
                    .secrets
                    .iter()
                    .any(|p| p.container == container.as_deref() && p.name == name) => {}
                None => ignored.push(match container {
                    Some(c) => format!("{c}.{name}"),
                    None => name,
                }),
            }
        }
        (fields, ignored)
    }

    /// The typed request behind stored fields, so that what a property means is read with
    /// the generated accessors.
    pub(crate) fn rebuild(&self, fields: &[Field]) -> Result<user::UserAddRequest, Vec<SetError>> {
        let pairs: Vec<(String, &str)> = fields
            .iter()
            .map(|(id, v)| (self.wire_key(*id), &**v))
            .collect();
        user::UserAddRequest::from_wire_fields(&pairs)
    }

    /// Writes a user as `UserInfo` returns it.
    pub(crate) fn write_info<S: PayloadSink>(&self, fields: &[Field], out: &mut S) {
        for (container, ids) in &self.info_layout {
            let mut opened = false;
            for id in ids {
                let Some((_, value)) = fields.iter().find(|(f, _)| f == id) else {
                    continue;
                };
                if !opened && container.is_some() {
                    out.begin_container(*container);
                    opened = true;
                }
                out.property(self.prop(*id).name, value);
            }
            if opened {
                out.end_container();
            }
        }
    }
}

fn lookup(
    by_name: &HashMap<&'static str, Vec<(Option<&'static str>, PropId)>>,
    container: Option<&str>,
    name: &str,
) -> Option<PropId> {
    by_name
        .get(name)?
        .iter()
        .find(|(c, _)| *c == container)
        .map(|(_, id)| *id)
}

/// Where a user (or a list filter) sits: CM environment, telephony server, partition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Placement {
    pub(crate) cm_environment: Option<Box<str>>,
    pub(crate) tel_sys: Option<i64>,
    pub(crate) partition: Option<i64>,
}

impl Placement {
    /// Whether a caller placed at `self` can see something placed at `target`: every part
    /// the caller is restricted to must match.
    pub(crate) fn covers(&self, target: &Placement) -> bool {
        fn part<T: PartialEq>(mine: &Option<T>, theirs: &Option<T>) -> bool {
            mine.as_ref().is_none_or(|m| theirs.as_ref() == Some(m))
        }
        part(&self.cm_environment, &target.cm_environment)
            && part(&self.tel_sys, &target.tel_sys)
            && part(&self.partition, &target.partition)
    }

    pub(crate) fn of_scope(scope: Option<&user::Scope>) -> Placement {
        Placement {
            cm_environment: scope
                .and_then(|s| s.cm_environment_id.as_deref())
                .map(Box::from),
            tel_sys: scope.and_then(|s| s.tel_sys_id).map(Integer::get),
            partition: scope.and_then(|s| s.part_id_in_tel_sys).map(Integer::get),
        }
    }

    pub(crate) fn of_list(req: &user::UserListRequest) -> Placement {
        Placement {
            cm_environment: req.get_cm_environment_id().map(|s| Box::from(s.as_str())),
            tel_sys: req.get_tel_sys_id().map(|i| i.get()),
            partition: req.get_part_id_in_tel_sys().map(|i| i.get()),
        }
    }
}

/// What the simulator must know about a user beyond its stored properties, read with the
/// generated accessors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct UserMeta {
    pub(crate) placement: Placement,
    pub(crate) rights: Rights,
    pub(crate) locked: bool,
}

impl UserMeta {
    pub(crate) fn of(req: &user::UserAddRequest) -> UserMeta {
        UserMeta {
            placement: Placement::of_scope(req.get_scope()),
            rights: Rights::of(req.get_permissions().and_then(|p| p.admin.as_ref())),
            locked: req.get_lock_out().copied().unwrap_or(false),
        }
    }
}

/// What an operation needs the caller to be allowed, from its `Kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Right {
    Create,
    Read,
    Update,
    Delete,
}

impl Right {
    pub(crate) fn for_kind(kind: OpKind) -> Option<Right> {
        match kind {
            OpKind::Add => Some(Right::Create),
            OpKind::Info | OpKind::List => Some(Right::Read),
            OpKind::Change => Some(Right::Update),
            OpKind::Delete => Some(Right::Delete),
            _ => None,
        }
    }

    /// The `Permissions.Admin` token that grants it on users.
    pub(crate) fn permission(self) -> akixi::AdminPermission {
        match self {
            Right::Create => akixi::AdminPermission::UserCreate,
            Right::Read => akixi::AdminPermission::UserRead,
            Right::Update => akixi::AdminPermission::UserUpdate,
            Right::Delete => akixi::AdminPermission::UserDelete,
        }
    }

    fn bit(self) -> u8 {
        match self {
            Right::Create => 1,
            Right::Read => 2,
            Right::Update => 4,
            Right::Delete => 8,
        }
    }
}

/// The user-administration rights a `Permissions.Admin` list grants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Rights(u8);

impl Rights {
    pub(crate) fn of(admin: Option<&akixi::AdminPermissions>) -> Rights {
        let mut bits = 0;
        if let Some(admin) = admin {
            for right in [Right::Create, Right::Read, Right::Update, Right::Delete] {
                if admin.contains(&right.permission()) {
                    bits |= right.bit();
                }
            }
        }
        Rights(bits)
    }

    pub(crate) fn allows(self, right: Right) -> bool {
        self.0 & right.bit() != 0
    }
}

/// The platform of a telephony server, as stored (`Platform::id`).
pub(crate) fn parse_platform(id: &str) -> Option<Platform> {
    Platform::ALL.iter().copied().find(|p| p.id() == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use akixi_client::akixi::ReportingAccess;

    #[test]
    fn the_model_builds_from_the_spec() {
        let m = Model::new().expect("model");
        assert_eq!(m.prop(m.username).container, None);
        assert_eq!(m.prop(m.full_name).container, None);
        assert_ne!(m.username, m.full_name);
        // Every default list field has a source.
        assert!(
            m.list_fields
                .iter()
                .filter(|f| f.default)
                .all(|f| f.source.is_some())
        );
        // No secret is ever a stored property.
        assert!(m.props.iter().all(|p| p.kind != ValueKind::Secret));
    }

    #[test]
    fn capture_resolve_rebuild_round_trips() {
        let m = Model::new().expect("model");
        let req = user::UserAddRequest::new("a@b")
            .full_name("A B")
            .password("secret")
            .scope(
                user::Scope::new()
                    .tel_sys_id(3)
                    .reporting_access(ReportingAccess::Akixi2000),
            )
            .extra_property("NotInSpec", "x");
        let (fields, ignored) = m.resolve(Capture::of(&req).expect("encodes"), false);
        assert_eq!(ignored, ["NotInSpec"]);
        assert!(fields.iter().all(|(_, v)| !v.contains("secret")));
        let back = m.rebuild(&fields).expect("rebuilds");
        assert_eq!(back.get_username(), "a@b");
        assert_eq!(back.get_full_name().map(String::as_str), Some("A B"));
        assert_eq!(back.get_password(), None);
        assert_eq!(UserMeta::of(&back).placement.tel_sys, Some(3));
    }

    #[test]
    fn placement_covers_what_matches_every_restriction() {
        let all = Placement::default();
        let ts1 = Placement {
            tel_sys: Some(1),
            ..Placement::default()
        };
        let ts1p2 = Placement {
            tel_sys: Some(1),
            partition: Some(2),
            ..Placement::default()
        };
        assert!(all.covers(&ts1p2));
        assert!(ts1.covers(&ts1p2));
        assert!(!ts1p2.covers(&ts1));
        assert!(!ts1.covers(&all));
    }
}
