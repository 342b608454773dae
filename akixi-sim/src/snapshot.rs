//! Snapshots of a service's state, and restoring one into a simulator: for any service the
//! simulator can serve ([`ServiceInfo`]), no family named.
//!
//! A snapshot is JSON Lines: a header line (`"format": "akixi-snapshot"`: where it was taken,
//! when, by whom, the spec it follows, its scope, how many entries of each family, and that it
//! holds no secrets), then one line per entity, `{"family": NAME, "record": {…}}`, whose record
//! is the entity's properties in their typed JSON shape (wire names as keys, containers nested,
//! integers and Booleans typed, lists as arrays), in the family's property order. Families come
//! in reference order (a family after the families its properties reference, computed from the
//! spec's `References`), entities in key order, references kept as the keys they name.
//!
//! Passwords are never in a snapshot. A restore gives every account one password: the one given
//! ([`Config::admin`](crate::Config::admin)'s, or `--admin-password-file`), or a random one, which
//! [`SimulatorHandle::admin`](crate::SimulatorHandle::admin) reports with the snapshot's caller as
//! the user name: signing in as that caller is signing in as a copy of it, its rights coming
//! from its own entity.
//!
//! Take one from a running simulator with [`SimulatorHandle::snapshot`](crate::SimulatorHandle::snapshot)
//! (or from a state file with [`save_state`]); the `akixi snapshot` command takes one through the
//! API (list and info), from the embedded simulator or a real service, in the same format.
//! Restore one with [`Config::from_snapshot`](crate::Config::from_snapshot) (in memory, or into
//! a new state file: [`load_state`]).

use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Arc;

use akixi_client::runtime::akixi_ws::{FamilyInfo, OpKind, Password, ServiceInfo, ValueKind};
use serde_json::{Map, Value};

use crate::akixi::catalog::{Catalog, FamilyModel};
use crate::akixi::engine::{Engine, Property};
use crate::akixi::secrets;
use crate::akixi::world::{Entity, World};
use crate::store::Store;
use crate::{AdminCredentials, Config, DemoLogin, Error, HashCost};

/// The header's `format`.
pub const FORMAT: &str = "akixi-snapshot";

/// The header's `version`: the layout of this module.
pub const FORMAT_VERSION: u64 = 1;

/// What the header says of secrets.
pub const SECRETS_NOTE: &str = "left out: a snapshot holds no password; restoring it gives every account one password, the one given or a random one";

/// A snapshot could not be read, written or restored.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// Reading or writing the file failed.
    #[error("{0}")]
    Io(String),
    /// A line is not what a snapshot holds (`at`: the file and line).
    #[error("{at}: {why}")]
    Format {
        /// Where: `FILE:LINE`.
        at: String,
        /// What is wrong.
        why: String,
    },
}

impl From<SnapshotError> for Error {
    fn from(e: SnapshotError) -> Self {
        Error::Config(format!("snapshot: {e}"))
    }
}

/// One entity of a snapshot: its family and its `(wire path, text)` pairs.
pub type SnapshotEntry = (&'static FamilyInfo, Vec<(String, String)>);

/// A snapshot's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Where it was taken: the service's URL (without a password), `embedded simulator`, or
    /// a state file.
    pub service: String,
    /// When (RFC 3339, UTC).
    pub taken: String,
    /// Who took it: the account whose view it is (and whom a restore signs in as).
    pub caller: String,
    /// The spec's service name (`akixi`).
    pub spec: String,
    /// A fingerprint of the spec's families, properties and operations.
    pub spec_fingerprint: String,
    /// The client library's version that took it.
    pub client_version: String,
    /// The families asked for (empty: every family).
    pub scope_families: Vec<String>,
    /// The `--where PROPERTY=VALUE` filters asked for.
    pub scope_where: Vec<String>,
    /// Entries of each family, in the snapshot's order.
    pub families: Vec<(String, usize)>,
}

/// A snapshot: its header and its entity lines (kept as written, so that two snapshots of the
/// same state compare equal line by line).
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The header.
    pub header: Header,
    svc: &'static ServiceInfo,
    lines: Vec<String>,
}

/// The families of `svc` in reference order: each after the families its properties reference
/// (self-references aside), otherwise in the spec's order (the generated
/// [`ServiceInfo::families_in_reference_order`]).
pub fn family_order(svc: &'static ServiceInfo) -> Vec<&'static FamilyInfo> {
    svc.families_in_reference_order()
}

/// `Container.Name`, or `Name`.
fn wire_path(p: &akixi_client::runtime::akixi_ws::PropertyInfo) -> String {
    match p.container {
        Some(c) => format!("{c}.{}", p.name),
        None => p.name.to_owned(),
    }
}

/// A fingerprint of what the spec says of `svc`'s families, properties and operations (FNV-1a).
pub fn spec_fingerprint(svc: &ServiceInfo) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain([0x1f]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(svc.name);
    for f in svc.families {
        eat(f.name);
        for p in f.properties {
            eat(p.container.unwrap_or(""));
            eat(p.name);
            eat(p.type_name);
            eat(p.references.unwrap_or(""));
        }
    }
    for op in svc.operations {
        eat(op.name);
        eat(op.kind.name());
    }
    format!("{h:016x}")
}

fn parse_boolean(svc: &ServiceInfo, text: &str) -> Option<bool> {
    let t = text.trim();
    svc.boolean_spellings
        .iter()
        .find(|(s, _)| *s == t)
        .or_else(|| {
            svc.boolean_spellings
                .iter()
                .find(|(s, _)| s.eq_ignore_ascii_case(t))
        })
        .map(|(_, b)| *b)
}

/// A value in its typed JSON shape.
fn typed(svc: &ServiceInfo, kind: ValueKind, text: &str) -> Value {
    match kind {
        ValueKind::Integer { .. } | ValueKind::Selector => text
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Value::String(text.to_owned()), Value::from),
        ValueKind::Boolean => {
            parse_boolean(svc, text).map_or_else(|| Value::String(text.to_owned()), Value::Bool)
        }
        ValueKind::List => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| Value::String(t.to_owned()))
                .collect(),
        ),
        _ => Value::String(text.to_owned()),
    }
}

/// `record` (`(wire path, text)` pairs) of an entity of `fam` in its typed JSON shape: the
/// family's properties in the spec's order, each container nested where its first property
/// is; secrets and paths the family lacks are left out.
pub fn record_to_json(svc: &ServiceInfo, fam: &FamilyInfo, record: &[(String, String)]) -> Value {
    let mut top = Map::new();
    for p in fam.properties {
        if p.kind == ValueKind::Secret {
            continue;
        }
        let path = wire_path(p);
        let Some((_, text)) = record.iter().find(|(k, _)| *k == path) else {
            continue;
        };
        let value = typed(svc, p.kind, text);
        match p.container {
            None => {
                top.insert(p.name.to_owned(), value);
            }
            Some(c) => {
                let slot = top
                    .entry(c.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(inner) = slot {
                    inner.insert(p.name.to_owned(), value);
                }
            }
        }
    }
    Value::Object(top)
}

/// A JSON value as wire text.
fn text_of(svc: &ServiceInfo, v: &Value) -> Result<Option<String>, String> {
    let (truth, falsity) = svc.boolean_words;
    Ok(match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { truth } else { falsity }.to_owned()),
        Value::Array(items) => Some(
            items
                .iter()
                .map(|i| match i {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err("a list holds strings".to_owned()),
                })
                .collect::<Result<Vec<_>, _>>()?
                .join(","),
        ),
        Value::Object(_) => return Err("an object where a value belongs".to_owned()),
    })
}

/// An entity of `fam` from its typed JSON shape (what [`record_to_json`] writes), as
/// `(wire path, text)` pairs. A name the family lacks, or a secret, is refused.
pub fn json_to_record(
    svc: &ServiceInfo,
    fam: &FamilyInfo,
    json: &Value,
) -> Result<Vec<(String, String)>, String> {
    let Value::Object(map) = json else {
        return Err("a record is a JSON object".to_owned());
    };
    let find = |container: Option<&str>, name: &str| {
        fam.properties
            .iter()
            .find(|p| p.container == container && p.name == name)
            .ok_or_else(|| {
                let path = container.map_or_else(|| name.to_owned(), |c| format!("{c}.{name}"));
                format!("{} has no property {path}", fam.name)
            })
            .and_then(|p| {
                if p.kind == ValueKind::Secret {
                    Err(format!("{}: a snapshot holds no secret", wire_path(p)))
                } else {
                    Ok(p)
                }
            })
    };
    let mut out = Vec::with_capacity(map.len());
    for (k, v) in map {
        match v {
            Value::Object(inner) => {
                for (n, x) in inner {
                    let p = find(Some(k), n)?;
                    if let Some(t) = text_of(svc, x).map_err(|e| format!("{k}.{n}: {e}"))? {
                        out.push((wire_path(p), t));
                    }
                }
            }
            other => {
                let p = find(None, k)?;
                if let Some(t) = text_of(svc, other).map_err(|e| format!("{k}: {e}"))? {
                    out.push((wire_path(p), t));
                }
            }
        }
    }
    Ok(out)
}

/// Now, as RFC 3339 in UTC (`2025-01-31T12:00:00Z`).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

impl Snapshot {
    /// An empty snapshot of `svc`, taken now at `service` by `caller`.
    pub fn new(svc: &'static ServiceInfo, service: &str, caller: &str) -> Snapshot {
        Snapshot {
            header: Header {
                service: service.to_owned(),
                taken: now_rfc3339(),
                caller: caller.to_owned(),
                spec: svc.name.to_owned(),
                spec_fingerprint: spec_fingerprint(svc),
                client_version: env!("CARGO_PKG_VERSION").to_owned(),
                scope_families: Vec::new(),
                scope_where: Vec::new(),
                families: Vec::new(),
            },
            svc,
            lines: Vec::new(),
        }
    }

    /// The service it follows.
    pub fn service(&self) -> &'static ServiceInfo {
        self.svc
    }

    /// Records that `family` was taken (with no entries yet).
    pub fn family_taken(&mut self, family: &str) {
        if !self.header.families.iter().any(|(f, _)| f == family) {
            self.header.families.push((family.to_owned(), 0));
        }
    }

    /// Adds an entity of `fam`, its `(wire path, text)` pairs.
    pub fn push(&mut self, fam: &FamilyInfo, record: &[(String, String)]) {
        self.family_taken(fam.name);
        if let Some((_, n)) = self.header.families.iter_mut().find(|(f, _)| f == fam.name) {
            *n += 1;
        }
        let mut line = Map::new();
        line.insert("family".to_owned(), Value::String(fam.name.to_owned()));
        line.insert("record".to_owned(), record_to_json(self.svc, fam, record));
        self.lines.push(Value::Object(line).to_string());
    }

    /// How many entities it holds.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether it holds no entity.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Whether it holds the account `username` (an entity of the family of accounts so named).
    pub fn has_account(&self, username: &str) -> bool {
        let Some(fam) = self.svc.families.iter().find(|f| f.accounts.is_some()) else {
            return false;
        };
        let Some(key) = fam.keys.first().and_then(|k| fam.properties.get(*k)) else {
            return false;
        };
        let prefix = format!("{{\"family\":{}", Value::String(fam.name.to_owned()));
        self.lines
            .iter()
            .filter(|l| l.starts_with(&prefix))
            .any(|l| {
                serde_json::from_str::<Value>(l)
                    .ok()
                    .and_then(|v| {
                        v.get("record")
                            .and_then(|r| r.get(key.name))
                            .and_then(Value::as_str)
                            .map(|n| n.trim() == username.trim())
                    })
                    .unwrap_or(false)
            })
    }

    /// The entity lines, as written: what two snapshots of the same state share.
    pub fn entity_lines(&self) -> &[String] {
        &self.lines
    }

    /// Each entity: its family and its `(wire path, text)` pairs (line numbers count the
    /// header as line 1).
    pub fn entries(&self) -> impl Iterator<Item = Result<SnapshotEntry, SnapshotError>> + '_ {
        self.lines.iter().enumerate().map(|(i, line)| {
            let at = || format!("line {}", i + 2);
            let bad = |why: String| SnapshotError::Format { at: at(), why };
            let v: Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
            let name = v
                .get("family")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("no \"family\"".to_owned()))?;
            let fam = self
                .svc
                .families
                .iter()
                .find(|f| f.name == name)
                .ok_or_else(|| bad(format!("the spec has no family {name}")))?;
            let record = v
                .get("record")
                .ok_or_else(|| bad("no \"record\"".to_owned()))?;
            let fields = json_to_record(self.svc, fam, record).map_err(bad)?;
            Ok((fam, fields))
        })
    }

    fn header_json(&self) -> Value {
        let h = &self.header;
        let mut spec = Map::new();
        spec.insert("service".into(), Value::String(h.spec.clone()));
        spec.insert(
            "fingerprint".into(),
            Value::String(h.spec_fingerprint.clone()),
        );
        spec.insert("client".into(), Value::String(h.client_version.clone()));
        let mut scope = Map::new();
        scope.insert(
            "families".into(),
            Value::Array(
                h.scope_families
                    .iter()
                    .cloned()
                    .map(Value::String)
                    .collect(),
            ),
        );
        scope.insert(
            "where".into(),
            Value::Array(h.scope_where.iter().cloned().map(Value::String).collect()),
        );
        let mut families = Map::new();
        for (f, n) in &h.families {
            families.insert(f.clone(), Value::from(*n));
        }
        let mut top = Map::new();
        top.insert("format".into(), Value::String(FORMAT.into()));
        top.insert("version".into(), Value::from(FORMAT_VERSION));
        top.insert("service".into(), Value::String(h.service.clone()));
        top.insert("taken".into(), Value::String(h.taken.clone()));
        top.insert("caller".into(), Value::String(h.caller.clone()));
        top.insert("spec".into(), Value::Object(spec));
        top.insert("scope".into(), Value::Object(scope));
        top.insert("families".into(), Value::Object(families));
        top.insert("entities".into(), Value::from(self.lines.len()));
        top.insert("secrets".into(), Value::String(SECRETS_NOTE.into()));
        Value::Object(top)
    }

    /// Writes it: the header line, then each entity's.
    pub fn write_to(&self, mut w: impl Write) -> std::io::Result<()> {
        writeln!(w, "{}", self.header_json())?;
        for line in &self.lines {
            w.write_all(line.as_bytes())?;
            w.write_all(b"\n")?;
        }
        w.flush()
    }

    /// Saves it to `path` (written beside it, then renamed into place; readable by its owner
    /// only, as it holds the service's data).
    pub fn save(&self, path: &Path) -> Result<(), SnapshotError> {
        let io = |e: std::io::Error| SnapshotError::Io(format!("{}: {e}", path.display()));
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".partial");
        let tmp = std::path::PathBuf::from(tmp);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&tmp).map_err(io)?;
        let mut w = std::io::BufWriter::new(file);
        self.write_to(&mut w).map_err(io)?;
        w.into_inner()
            .map_err(|e| io(e.into_error()))?
            .sync_all()
            .map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Reads a snapshot of `svc` (its header checked: format, version, service; a spec whose
    /// fingerprint differs is a warning, each entity still checked on restore).
    pub fn read_from(
        r: impl BufRead,
        svc: &'static ServiceInfo,
        name: &str,
    ) -> Result<Snapshot, SnapshotError> {
        let mut lines = r.lines();
        let bad = |n: usize, why: String| SnapshotError::Format {
            at: format!("{name}:{n}"),
            why,
        };
        let first = lines
            .next()
            .ok_or_else(|| bad(1, "empty: not a snapshot".into()))?
            .map_err(|e| SnapshotError::Io(format!("{name}: {e}")))?;
        let h: Value = serde_json::from_str(&first).map_err(|e| bad(1, e.to_string()))?;
        if h.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(bad(
                1,
                format!("not a snapshot (no \"format\": \"{FORMAT}\")"),
            ));
        }
        let version = h.get("version").and_then(Value::as_u64).unwrap_or(0);
        if version != FORMAT_VERSION {
            return Err(bad(
                1,
                format!("snapshot version {version}; this reads version {FORMAT_VERSION}"),
            ));
        }
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
        let spec = h.get("spec");
        let spec_name = text(spec.and_then(|s| s.get("service")));
        if spec_name != svc.name {
            return Err(bad(
                1,
                format!(
                    "a snapshot of the {spec_name:?} service, not {:?}",
                    svc.name
                ),
            ));
        }
        let fingerprint = text(spec.and_then(|s| s.get("fingerprint")));
        if fingerprint != spec_fingerprint(svc) {
            tracing::warn!(
                file = name,
                "the snapshot was taken with another version of the spec; each entity is checked on restore"
            );
        }
        let strings = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let scope = h.get("scope");
        let header = Header {
            service: text(h.get("service")),
            taken: text(h.get("taken")),
            caller: text(h.get("caller")),
            spec: spec_name,
            spec_fingerprint: fingerprint,
            client_version: text(spec.and_then(|s| s.get("client"))),
            scope_families: strings(scope.and_then(|s| s.get("families"))),
            scope_where: strings(scope.and_then(|s| s.get("where"))),
            families: h
                .get("families")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            (
                                k.clone(),
                                usize::try_from(v.as_u64().unwrap_or(0)).unwrap_or(0),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        };
        let mut body = Vec::new();
        for line in lines {
            let line = line.map_err(|e| SnapshotError::Io(format!("{name}: {e}")))?;
            if !line.trim().is_empty() {
                body.push(line);
            }
        }
        Ok(Snapshot {
            header,
            svc,
            lines: body,
        })
    }

    /// Reads the snapshot at `path` (see [`read_from`](Self::read_from)).
    pub fn load(path: &Path, svc: &'static ServiceInfo) -> Result<Snapshot, SnapshotError> {
        let file = std::fs::File::open(path)
            .map_err(|e| SnapshotError::Io(format!("{}: {e}", path.display())))?;
        Snapshot::read_from(
            std::io::BufReader::new(file),
            svc,
            &path.display().to_string(),
        )
    }
}

/// What an entity of `fam` shows: its keys and what its Info returns (what a caller reads
/// through the API); for a family without Info, every stored property. Secrets never.
fn world_record(fam: &FamilyModel, entity: &Entity) -> Vec<(String, String)> {
    let shown = |id| {
        fam.keys.contains(&id)
            || fam.op(OpKind::Info).is_none()
            || fam.info_layout.iter().any(|(_, ids)| ids.contains(&id))
    };
    entity
        .fields
        .iter()
        .filter(|(id, _)| fam.prop(*id).kind != ValueKind::Secret && shown(*id))
        .map(|(id, v)| (fam.path(*id), v.to_string()))
        .collect()
}

/// A snapshot of everything `world` holds, taken at `service` as `caller`.
fn of_world(catalog: &Catalog, world: &World, service: &str, caller: &str) -> Snapshot {
    let mut snap = Snapshot::new(catalog.svc, service, caller);
    for info in family_order(catalog.svc) {
        let Some(fam) = catalog.family_named(info.name) else {
            continue;
        };
        let table = world.table(fam.id);
        if table.is_empty() && fam.ops.iter().all(Option::is_none) {
            continue;
        }
        snap.family_taken(info.name);
        for entity in table.values() {
            snap.push(info, &world_record(fam, entity));
        }
    }
    snap
}

impl crate::SimulatorHandle {
    /// A snapshot of everything it holds (every family, the administrator's view), labelled as
    /// taken at `service` by its administrator: the same format as `akixi snapshot`.
    pub fn snapshot(&self, service: &str) -> Snapshot {
        let engine = &self.engine;
        engine
            .with_state(|world, _| of_world(&engine.catalog, world, service, &self.admin.username))
    }
}

/// Builds the world `snapshot` holds: each entity stored as seeded (no request checks), every
/// account given the password hash `hash`.
fn restore_world(engine: &Engine, snapshot: &Snapshot, hash: &str) -> Result<World, Error> {
    let mut world = World::new(&engine.catalog);
    for (i, entry) in snapshot.entries().enumerate() {
        let (fam, record) = entry?;
        let props: Vec<Property> = record
            .into_iter()
            .map(|(path, value)| match path.split_once('.') {
                Some((c, n)) => (Some(c.to_owned()), n.to_owned(), value),
                None => (None, path, value),
            })
            .collect();
        let account = engine
            .catalog
            .family_named(fam.name)
            .is_some_and(|f| f.account.is_some());
        engine
            .seed_entity(&mut world, fam.name, &props, account.then_some(hash))
            .map_err(|e| Error::Config(format!("snapshot line {}: {e}", i + 2)))?;
    }
    Ok(world)
}

/// [`crate::open`] for a [`Config::from_snapshot`]: the state the snapshot holds, every account
/// with the given password (or a random one), signed in as the snapshot's caller.
pub(crate) fn open_restored(
    engine: Engine,
    snapshot: &Snapshot,
    password: Option<Password>,
    existing: bool,
) -> Result<(Engine, AdminCredentials, Vec<DemoLogin>), Error> {
    if existing {
        return Err(Error::Config(
            "the state file exists: a snapshot is restored into memory or a new state file only"
                .into(),
        ));
    }
    if snapshot.svc.name != engine.catalog.svc.name {
        return Err(Error::Config(format!(
            "a snapshot of the {} service cannot be restored into a simulator of {}",
            snapshot.svc.name, engine.catalog.svc.name
        )));
    }
    let password = match password {
        Some(p) => p,
        None => secrets::password()?,
    };
    let hash = engine.hasher.hash(&password)?;
    let world = restore_world(&engine, snapshot, &hash)?;
    engine.with_state(|w, store| {
        store.create(&world, &engine.catalog)?;
        *w = world;
        Ok::<_, Error>(())
    })?;
    Ok((
        engine,
        AdminCredentials {
            username: snapshot.header.caller.clone(),
            password: Some(password),
        },
        Vec::new(),
    ))
}

/// A snapshot of the state file at `state` (of a simulator of `svc`; no simulator may be
/// using it), labelled as taken by `caller`.
pub fn save_state(
    state: &Path,
    svc: &'static ServiceInfo,
    caller: &str,
) -> Result<Snapshot, Error> {
    if !state.is_file() {
        return Err(Error::Config(format!("no state file {}", state.display())));
    }
    let catalog = Catalog::new(svc)?;
    let (store, loaded) = Store::open(state, &catalog)?;
    let world = loaded
        .ok_or_else(|| Error::Config(format!("{} holds no simulator state", state.display())))?;
    drop(store);
    Ok(of_world(
        &catalog,
        &world,
        &format!("state file {}", state.display()),
        caller,
    ))
}

/// Creates the state file `state` holding exactly what `snapshot` holds, every account with
/// `password` (random if `None`); returns the caller's credentials. The file must not exist.
pub fn load_state(
    state: &Path,
    snapshot: Snapshot,
    password: Option<Password>,
    cost: HashCost,
) -> Result<AdminCredentials, Error> {
    if state.exists() {
        return Err(Error::Config(format!(
            "{} exists: a snapshot is loaded into a new state file only",
            state.display()
        )));
    }
    let svc = snapshot.svc;
    let mut config = Config::default()
        .api(svc)
        .state(state)
        .hash_cost(cost)
        .from_snapshot(Arc::new(snapshot));
    config.admin_password = password;
    let (engine, admin, _) = crate::boot::open(&config)?;
    engine.checkpoint();
    Ok(admin)
}
