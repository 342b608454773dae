//! The platform of each telephony server, read from the service: platforms are per server, so a
//! request or a row that names a server is validated for that server's platform. The servers
//! are those of the family whose `family` table names a `platform` property (found in the
//! metadata, not named here), read with its list (and its info for a server the list gives
//! without a platform), once per run, from the embedded simulator and a real service alike.
//! `--platform` overrides it: every request is then validated for that platform, and nothing is
//! read.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use akixi_client::akixi::{Platform, SERVICE, TELEPHONY_SERVER_PROPERTY, dynamic};
use akixi_client::client::PageProgress;
use akixi_client::runtime::akixi_ws::DynError;
use akixi_client::runtime::akixi_ws::{FamilyInfo, OpKind, OperationInfo, Record};
use akixi_client::{Client, Error};

/// Telephony servers' platforms, read at most once per run; clones share them.
#[derive(Debug, Clone, Default)]
pub struct Servers(Arc<Mutex<State>>);

/// This run's servers (one command per process).
static RUN: OnceLock<Servers> = OnceLock::new();

/// This run's servers: read by the connection when a command asked for them
/// ([`Servers::want`]), or when a request about to be sent names one.
pub fn run() -> &'static Servers {
    RUN.get_or_init(Servers::default)
}

/// Why the servers could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The service answered with an error (the caller may not read servers): rows are then
    /// checked for the default platform, and the service checks the rest.
    Refused(String),
    /// The service could not be asked (signing in, the connection, the answer).
    Failed(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Refused(why) | ReadError::Failed(why) => f.write_str(why),
        }
    }
}

/// A failed call, sorted by whether the service answered it.
fn read_error(operation: &str, e: DynError<Error>) -> ReadError {
    let why = format!("{operation}: {e}");
    match e {
        DynError::Call(Error::Api(_) | Error::PartialFail(_)) => ReadError::Refused(why),
        _ => ReadError::Failed(why),
    }
}

#[derive(Debug, Default)]
struct State {
    /// `--platform`: every request is validated for it, and no server is read.
    forced: Option<Platform>,
    /// A command will validate rows by their servers: the connection reads them when it opens.
    wanted: bool,
    /// The platforms read (`None`: not read yet), by server id; `None` for a server whose
    /// platform the service does not give (or gives as a value the spec does not know).
    read: Option<BTreeMap<i64, Option<Platform>>>,
}

/// The family that decides its entities' platform, its platform property and its key.
fn platform_family() -> Option<(&'static FamilyInfo, &'static str, String)> {
    SERVICE.families.iter().find_map(|f| {
        let platform = f.platform?;
        let key = f.keys.first().map(|&i| f.properties[i].name)?;
        Some((f, platform, key.to_string()))
    })
}

/// The operation of `family` of `kind`.
fn operation(family: &str, kind: OpKind) -> Option<&'static OperationInfo> {
    SERVICE.family(family)?.operation(kind)
}

/// The value of top-level `name` in `record`.
fn value<'r>(record: &'r Record, name: &str) -> Option<&'r str> {
    record
        .iter()
        .find(|(p, _)| p == name)
        .map(|(_, v)| v.trim())
}

/// The telephony servers `fields` name (any property called the binding's telephony-server
/// property, at the top level or in a container), as ids.
pub fn named(fields: &[(String, String)]) -> Vec<i64> {
    let mut ids: Vec<i64> = fields
        .iter()
        .filter(|(p, _)| p.rsplit('.').next() == Some(TELEPHONY_SERVER_PROPERTY))
        .filter_map(|(_, v)| v.trim().parse::<i64>().ok())
        .collect();
    ids.dedup();
    ids
}

impl Servers {
    fn state(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// With `--platform` (`forced`): every request is validated for it and no server is read.
    pub fn force(&self, forced: Option<Platform>) {
        self.state().forced = forced;
    }

    /// The `--platform` override, if given.
    pub fn forced(&self) -> Option<Platform> {
        self.state().forced
    }

    /// Asks the connection to read the servers when it opens (unless `--platform` is given):
    /// for commands that check rows synchronously, after connecting.
    pub fn want(&self) {
        let mut s = self.state();
        s.wanted = s.forced.is_none();
    }

    /// Whether the connection should read the servers when it opens.
    pub fn wanted(&self) -> bool {
        let s = self.state();
        s.wanted && s.read.is_none()
    }

    /// The platform `fields` are validated for: `--platform` if given; else that of the
    /// first server they name whose platform is known; else `default` (a profile's platform).
    pub fn platform_of(
        &self,
        fields: &[(String, String)],
        default: Option<Platform>,
    ) -> Option<Platform> {
        let s = self.state();
        if let Some(p) = s.forced {
            return Some(p);
        }
        let read = s.read.as_ref();
        named(fields)
            .into_iter()
            .find_map(|id| read.and_then(|r| r.get(&id).copied().flatten()))
            .or(default)
    }

    /// Reads every server's platform (the list, every page; the info of a server listed
    /// without one), unless already read in this run or `--platform` is given.
    pub async fn read_all(&self, client: &Client) -> Result<(), ReadError> {
        if self.state().read.is_some() || self.forced().is_some() {
            return Ok(());
        }
        let mut read = BTreeMap::new();
        if let Some((family, platform, key)) = platform_family() {
            let list = operation(family.name, OpKind::List);
            let info = operation(family.name, OpKind::Info);
            if let Some(list) = list {
                for record in list_every_page(client, list).await? {
                    let Some(id) = value(&record, &key).and_then(|v| v.parse::<i64>().ok()) else {
                        continue;
                    };
                    let p = value(&record, platform).and_then(|v| Platform::parse(v).ok());
                    read.insert(id, p);
                }
            }
            if let Some(info) = info {
                let missing: Vec<i64> = read
                    .iter()
                    .filter(|(_, p)| p.is_none())
                    .map(|(id, _)| *id)
                    .collect();
                for id in missing {
                    read.insert(id, info_platform(client, info, &key, platform, id).await?);
                }
            }
        }
        self.state().read = Some(read);
        Ok(())
    }

    /// [`platform_of`](Self::platform_of) for a request about to be sent: reads the servers
    /// first when `fields` name one (and `--platform` is not given), and a server the list
    /// did not give by its info. A failure to read them leaves the request to `default` (the
    /// service still checks it), with a note.
    pub async fn platform_for(
        &self,
        client: &Client,
        fields: &[(String, String)],
        default: Option<Platform>,
    ) -> Option<Platform> {
        let ids = named(fields);
        if self.forced().is_none() && !ids.is_empty() {
            if let Err(why) = self.read_all(client).await {
                note_unread(&why.to_string());
            } else if let Some((family, platform, key)) = platform_family()
                && let Some(info) = operation(family.name, OpKind::Info)
            {
                let unknown: Vec<i64> = {
                    let s = self.state();
                    ids.iter()
                        .copied()
                        .filter(|id| s.read.as_ref().is_some_and(|r| !r.contains_key(id)))
                        .collect()
                };
                for id in unknown {
                    // A server the list did not show (out of the caller's view, or missing):
                    // its info says, or the service refuses the request itself.
                    let p = info_platform(client, info, &key, platform, id)
                        .await
                        .ok()
                        .flatten();
                    if let Some(read) = self.state().read.as_mut() {
                        read.insert(id, p);
                    }
                }
            }
        }
        self.platform_of(fields, default)
    }
}

/// Says once why rows are checked without their servers' platforms.
pub fn note_unread(why: &str) {
    eprintln!(
        "akixi: cannot read the telephony servers' platforms ({why}); requests are checked for --platform or the profile's platform only, and the service checks the rest"
    );
}

/// Every record of `list`, page by page (a server repeating a page is refused, not looped on).
async fn list_every_page(
    client: &Client,
    list: &'static OperationInfo,
) -> Result<Vec<Record>, ReadError> {
    let limit = akixi_client::akixi::DEFAULT_LIMIT.max(1);
    let mut offset = 0u64;
    let mut progress = PageProgress::default();
    let mut all = Vec::new();
    loop {
        let mut page = dynamic::call_paged(
            client,
            list.name,
            &[],
            None,
            list.paged.then_some(offset),
            list.paged.then_some(limit),
        )
        .await
        .map_err(|e| read_error(list.name, e))?;
        page.retain(|r| !r.is_empty());
        let n = page.len() as u64;
        progress
            .page(list.name, n, limit, || {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (page.first(), page.last()).hash(&mut h);
                h.finish()
            })
            .map_err(|e| ReadError::Failed(e.to_string()))?;
        all.extend(page);
        if !list.paged || n < limit {
            return Ok(all);
        }
        offset = offset.saturating_add(n);
    }
}

/// The platform of server `id`, by its info.
async fn info_platform(
    client: &Client,
    info: &'static OperationInfo,
    key: &str,
    platform: &str,
    id: i64,
) -> Result<Option<Platform>, ReadError> {
    let records = dynamic::call(
        client,
        info.name,
        &[(key.to_string(), id.to_string())],
        None,
    )
    .await
    .map_err(|e| read_error(info.name, e))?;
    Ok(records
        .iter()
        .find_map(|r| value(r, platform))
        .and_then(|v| Platform::parse(v).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn servers(read: &[(i64, Option<Platform>)]) -> Servers {
        let s = Servers::default();
        s.state().read = Some(read.iter().copied().collect());
        s
    }

    #[test]
    fn the_platform_family_comes_from_the_metadata() {
        let (family, platform, key) = platform_family().expect("a family decides platforms");
        assert_eq!(family.platform, Some(platform));
        assert!(operation(family.name, OpKind::List).is_some());
        assert!(family.properties.iter().any(|p| p.name == key));
    }

    #[test]
    fn a_row_is_checked_for_its_servers_platform_and_platform_overrides() {
        let s = servers(&[
            (1, Some(Platform::CiscoBroadworks)),
            (3, Some(Platform::Hipath3000)),
            (7, None),
        ]);
        let f = |v: &str| vec![("Scope.TelSysID".to_string(), v.to_string())];
        assert_eq!(s.platform_of(&f("3"), None), Some(Platform::Hipath3000));
        assert_eq!(
            s.platform_of(&f(" 1 "), Some(Platform::Hipath3000)),
            Some(Platform::CiscoBroadworks)
        );
        // Unknown servers, unknown platforms and rows naming none: the default.
        assert_eq!(
            s.platform_of(&f("9"), Some(Platform::DemoSimulator)),
            Some(Platform::DemoSimulator)
        );
        assert_eq!(s.platform_of(&f("7"), None), None);
        assert_eq!(s.platform_of(&[], None), None);
        s.force(Some(Platform::BroadsoftM6));
        assert_eq!(s.platform_of(&f("3"), None), Some(Platform::BroadsoftM6));
        s.want();
        assert!(!s.wanted(), "--platform: nothing to read");
    }
}
