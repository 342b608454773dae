//! The Akixi service's start-up: the engine built on a state file (or in memory), seeded with
//! the demo data when new or restored from a snapshot, the administrator's credentials and the
//! demo logins applied, and the preset sessions signed in.

use super::*;

/// Builds the engine: loads or seeds the state, applies the administrator's credentials
/// and the preset sessions.
pub(crate) fn open(config: &Config) -> Result<(Engine, AdminCredentials, Vec<DemoLogin>), Error> {
    let catalog = Catalog::new(config.api)?;
    let hasher = Hasher::new(config.hash_cost)?;
    let (store, loaded) = match &config.state {
        None => (Store::Memory, None),
        Some(path) => Store::open(path, &catalog)?,
    };
    let world = World::new(&catalog);
    let limits = SessionLimits {
        idle: config
            .session_idle_timeout
            .unwrap_or(Duration::from_secs(config.api.session_idle_timeout_secs)),
        most: config
            .session_limit
            .unwrap_or_else(|| usize::try_from(config.api.session_limit).unwrap_or(usize::MAX)),
        backoff: config.sign_in_backoff,
    };
    let engine = Engine::new(catalog, world, store, hasher, limits).map_err(Error::Config)?;
    if let Some(snapshot) = &config.restore {
        return snapshot::open_restored(
            engine,
            snapshot,
            config.admin_password.clone(),
            loaded.is_some(),
        );
    }
    let admin_name = config.admin_username.trim().to_owned();
    if admin_name.is_empty() {
        return Err(Error::Config(
            "the administrator's user name is empty".into(),
        ));
    }
    let admin_seed = admin_seed(&engine, &admin_name, config.demo_data)?;
    let demo = demo_accounts(&admin_name, config)?;
    let mut demo_logins = Vec::new();
    let password = match loaded {
        None => {
            let password = match &config.admin_password {
                Some(p) => p.clone(),
                None => secrets::password()?,
            };
            for (username, _, _) in &demo {
                let given = config
                    .demo_passwords
                    .iter()
                    .find(|(name, _)| name == username);
                demo_logins.push(DemoLogin {
                    username: (*username).to_owned(),
                    password: Some(match given {
                        Some((_, p)) => p.clone(),
                        None => secrets::password()?,
                    }),
                    given: given.is_some(),
                });
            }
            let world = seed_world(
                &engine,
                &admin_name,
                &password,
                &demo_logins,
                config.demo_data,
            )?;
            engine.with_state(|w, store| {
                store.create(&world, &engine.catalog)?;
                *w = world;
                Ok::<_, Error>(())
            })?;
            Some(password)
        }
        Some(world) => {
            engine.with_state(|w, _| *w = world);
            if let (Some(password), Some((family, properties))) =
                (&config.admin_password, &admin_seed)
            {
                let hash = engine.hasher.hash(password)?;
                engine
                    .with_state(|w, store| {
                        engine.set_account_password(
                            w,
                            store,
                            &admin_name,
                            &hash,
                            (family, properties),
                        )
                    })
                    .map_err(Error::Config)?;
            }
            for (username, family, properties) in &demo {
                let given = config
                    .demo_passwords
                    .iter()
                    .find(|(name, _)| name == username);
                if let Some((_, password)) = given {
                    let hash = engine.hasher.hash(password)?;
                    engine
                        .with_state(|w, store| {
                            engine.set_account_password(
                                w,
                                store,
                                username,
                                &hash,
                                (family, properties),
                            )
                        })
                        .map_err(Error::Config)?;
                }
                demo_logins.push(DemoLogin {
                    username: (*username).to_owned(),
                    password: given.map(|(_, p)| p.clone()),
                    given: given.is_some(),
                });
            }
            config.admin_password.clone()
        }
    };
    if let Some(state) = &config.state
        && demo_logins.iter().any(|l| l.password.is_some())
    {
        record_demo_logins(&beside(state, DEMO_LOGINS_SUFFIX), &demo_logins)?;
    }
    for preset in &config.preset_sessions {
        engine
            .with_state(|world, store| {
                engine.preset_session(
                    world,
                    store,
                    &preset.session_id,
                    &preset.nonce,
                    &preset.username,
                )
            })
            .map_err(Error::Config)?;
    }
    Ok((
        engine,
        AdminCredentials {
            username: admin_name,
            password,
        },
        demo_logins,
    ))
}

/// The administrator's family and properties, as a new state seeds it.
fn admin_seed(
    engine: &Engine,
    admin: &str,
    demo_data: bool,
) -> Result<Option<(&'static str, Vec<akixi::engine::Property>)>, Error> {
    if demo_data {
        let entities = seed::demo(admin).map_err(|e| Error::Internal(e.to_string()))?;
        return Ok(entities
            .into_iter()
            .find(|e| e.signs_in && e.demo_login.is_none())
            .map(|e| (e.family, e.properties)));
    }
    Ok(engine.minimal_admin(admin))
}

fn seed_world(
    engine: &Engine,
    admin: &str,
    password: &Password,
    demo_logins: &[DemoLogin],
    demo_data: bool,
) -> Result<World, Error> {
    let admin_hash = engine.hasher.hash(password)?;
    let mut world = World::new(&engine.catalog);
    let entities: Vec<(
        &'static str,
        Vec<akixi::engine::Property>,
        bool,
        Option<&str>,
    )> = if demo_data {
        seed::demo(admin)
            .map_err(|e| Error::Internal(e.to_string()))?
            .into_iter()
            .map(|e| (e.family, e.properties, e.signs_in, e.demo_login))
            .collect()
    } else {
        engine
            .minimal_admin(admin)
            .map(|(family, properties)| (family, properties, true, None))
            .into_iter()
            .collect()
    };
    for (family, properties, signs_in, demo_login) in entities {
        // Each demo login has a password of its own; the administrator's is hashed once.
        let hash = match demo_login {
            Some(name) => {
                let login = demo_logins.iter().find(|l| l.username == name);
                match login.and_then(|l| l.password.as_ref()) {
                    Some(p) => Some(engine.hasher.hash(p)?),
                    None => None,
                }
            }
            None => signs_in.then(|| admin_hash.clone()),
        };
        engine
            .seed_entity(&mut world, family, &properties, hash.as_deref())
            .map_err(Error::Internal)?;
    }
    Ok(world)
}

/// The demo logins of the demo data (none without it): user name, family and seeded
/// properties; a password given for a user name that is not one is refused.
#[allow(clippy::type_complexity)]
fn demo_accounts(
    admin: &str,
    config: &Config,
) -> Result<Vec<(&'static str, &'static str, Vec<akixi::engine::Property>)>, Error> {
    let accounts: Vec<_> = if config.demo_data {
        seed::demo(admin)
            .map_err(|e| Error::Internal(e.to_string()))?
            .into_iter()
            .filter_map(|e| e.demo_login.map(|name| (name, e.family, e.properties)))
            .collect()
    } else {
        Vec::new()
    };
    if let Some((unknown, _)) = config
        .demo_passwords
        .iter()
        .find(|(name, _)| !accounts.iter().any(|(known, _, _)| known == name))
    {
        return Err(Error::Config(format!(
            "a demo password for `{unknown}`, which is not a demo login"
        )));
    }
    Ok(accounts)
}

/// Writes the demo logins this run knows to `path` (mode 0600), keeping the lines of an
/// existing file for the logins whose password this run kept.
fn record_demo_logins(path: &std::path::Path, logins: &[DemoLogin]) -> Result<(), Error> {
    let kept = std::fs::read_to_string(path).unwrap_or_default();
    let mut text = String::from(
        "# akixi-sim demo logins: USERNAME PASSWORD, one a line. Keep this file private.\n",
    );
    for login in logins {
        let line = match &login.password {
            Some(p) => Some(format!("{} {}", login.username, p.expose())),
            None => kept
                .lines()
                .find(|l| l.split_whitespace().next() == Some(login.username.as_str()))
                .map(str::to_owned),
        };
        if let Some(line) = line {
            text.push_str(&line);
            text.push('\n');
        }
    }
    write_private(path, &text).map(|_| ())
}
