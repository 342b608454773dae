//! Which service a command goes to, resolved once from the flags, the environment and the
//! profile (in that order), and said: every command that writes names its target on standard
//! error before anything else (`→ embedded simulator (…/simulator.sqlite)`, `→ profile acme:
//! https://… as admin@acme.example`, `→ https://… as ann@example.com`), as kubectl and gh name
//! their context; `akixi config current` shows it whole. No password is ever shown: a URL's
//! user information loses its password.

use std::path::PathBuf;

use akixi_client::akixi::{Platform, SERVICE};
use akixi_client::runtime::akixi_ws::{OpKind, OperationInfo};
use clap::ArgMatches;
use clap::parser::ValueSource;
use serde_json::json;

use crate::connect::{self, ProfilePassword, Target, shown_url};
use crate::error::CliError;
use crate::{profile, terminal_text};

/// Where a setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag.
    Flag,
    /// An environment variable.
    Environment,
    /// The profile.
    Profile,
    /// Neither: the default.
    Default,
}

impl Origin {
    /// How `config current` names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Flag => "flag",
            Origin::Environment => "environment",
            Origin::Profile => "profile",
            Origin::Default => "default",
        }
    }
}

/// The target and what it was resolved from.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Where commands go.
    pub target: Target,
    /// The profile in use (named by `--profile`, `AKIXI_PROFILE` or `default-profile`), if any.
    pub profile: Option<String>,
    /// Whether the service is the profile's own (its URL is the one used, so its sign-in
    /// applies).
    pub profile_service: bool,
    /// Where the URL came from.
    pub url_origin: Origin,
    /// Where the login came from.
    pub login_origin: Origin,
    /// Where the platform came from.
    pub platform_origin: Origin,
}

/// Resolves where commands go: the flags and environment variables, over the profile, over
/// the defaults. A URL without a scheme is refused with the one it probably meant.
pub fn resolve(m: &ArgMatches) -> Result<Resolved, CliError> {
    let origin = |id: &str| match m.value_source(id) {
        Some(ValueSource::CommandLine) => Some(Origin::Flag),
        Some(ValueSource::EnvVariable) => Some(Origin::Environment),
        _ => None,
    };
    let flag = |id: &str| {
        m.get_one::<String>(id)
            .cloned()
            .filter(|_| origin(id).is_some())
    };
    let (profile_name, profile) =
        match profile::select(m.get_one::<String>("profile").map(String::as_str))? {
            Some((name, p)) => (Some(name), p),
            None => (None, profile::Profile::default()),
        };
    let (platform, platform_origin) = match (m.get_one::<Platform>("platform"), &profile.platform) {
        (Some(p), _) => (Some(*p), Origin::Flag),
        (None, Some(name)) => (
            Some(Platform::parse(name).map_err(|e| CliError::Usage(format!("profile: {e}")))?),
            Origin::Profile,
        ),
        (None, None) => (None, Origin::Default),
    };
    let timeout = if origin("timeout").is_some() {
        m.get_one::<u64>("timeout").copied()
    } else {
        profile.timeout
    };
    // The profile's sign-in goes only to the profile's own service: a URL from a flag or the
    // environment that names another never receives it.
    let (url, url_origin) = match flag("url") {
        Some(u) => (Some(u), origin("url").unwrap_or(Origin::Flag)),
        None => (profile.url.clone(), Origin::Profile),
    };
    let url = url.filter(|u| !u.is_empty());
    let url_origin = if url.is_some() {
        url_origin
    } else {
        Origin::Default
    };
    if let Some(u) = &url {
        check_scheme(u, url_origin)?;
    }
    let profile_service = url.is_some() && url == profile.url;
    let profile_password = match (profile.password_file, profile.password_command) {
        _ if !profile_service => None,
        (Some(file), _) => Some(ProfilePassword::File(file)),
        (None, Some(command)) => Some(ProfilePassword::Command(command)),
        (None, None) => None,
    };
    let (login, login_origin) = match flag("login") {
        Some(l) => (Some(l), origin("login").unwrap_or(Origin::Flag)),
        None => match profile.login.filter(|_| profile_service) {
            Some(l) => (Some(l), Origin::Profile),
            None => (None, Origin::Default),
        },
    };
    Ok(Resolved {
        target: Target {
            url,
            login,
            password_file: flag("password-file"),
            profile_password,
            platform,
            timeout: timeout.unwrap_or(30),
        },
        profile: profile_name,
        profile_service,
        url_origin,
        login_origin,
        platform_origin,
    })
}

/// Refuses a URL without a scheme (`127.0.0.1:8080`, which the URL parser would call
/// "relative URL without a base", or `localhost:8080`, which it would read as the scheme
/// `localhost`), suggesting `http://` for this machine and `https://` for anything else.
pub fn check_scheme(url: &str, origin: Origin) -> Result<(), CliError> {
    if url.contains("://") {
        return Ok(());
    }
    let host = url
        .trim_start_matches('[')
        .split(['/', ':', ']'])
        .next()
        .unwrap_or_default();
    let local = host == "localhost" || host.starts_with("127.") || url.starts_with("[::1]");
    let scheme = if local { "http" } else { "https" };
    let from = match origin {
        Origin::Profile => "the profile's url",
        Origin::Environment => "AKIXI_URL",
        Origin::Flag | Origin::Default => "--url",
    };
    Err(CliError::Usage(format!(
        "{from} `{url}` has no scheme: did you mean {scheme}://{url}?"
    )))
}

/// The embedded simulator's state file as shown (or why there is none).
fn state_shown() -> String {
    match connect::sim_state_path() {
        Ok(p) => p.display().to_string(),
        Err(e) => e.to_string(),
    }
}

/// The one line that names the target: `→ embedded simulator (STATE)`, `→ profile NAME: URL
/// as LOGIN`, `→ URL as LOGIN`; control characters (from a config file) shown escaped.
pub fn line(r: &Resolved) -> String {
    let text = match &r.target.url {
        None => format!("→ embedded simulator ({})", state_shown()),
        Some(url) => {
            let mut l = String::from("→ ");
            if let (true, Some(name)) = (r.profile_service, &r.profile) {
                l.push_str(&format!("profile {name}: "));
            }
            l.push_str(&shown_url(url));
            if let Some(login) = &r.target.login {
                l.push_str(&format!(" as {login}"));
            }
            l
        }
    };
    terminal_text::escaped(&text).into_owned()
}

/// Whether an operation writes: an add, a change, a delete or a bulk add (import and apply
/// write too, and say so themselves).
pub fn writes(op: &OperationInfo) -> bool {
    matches!(
        op.kind,
        OpKind::Add | OpKind::Change | OpKind::Delete | OpKind::BulkAdd
    )
}

/// Prints the target line on standard error.
pub fn announce(m: &ArgMatches) -> Result<(), CliError> {
    let r = resolve(m)?;
    eprintln!("{}", line(&r));
    Ok(())
}

/// `akixi config current`: the target the options, environment and profile resolve to.
pub fn current(m: &ArgMatches, json: bool) -> Result<(), CliError> {
    let r = resolve(m)?;
    let t = &r.target;
    let state: Option<PathBuf> = match &t.url {
        None => connect::sim_state_path().ok(),
        Some(_) => None,
    };
    let login = match &t.url {
        None => Some(connect::SIM_ADMIN.to_string()),
        Some(_) => t.login.clone(),
    };
    let login_origin = match &t.url {
        None => Origin::Default,
        Some(_) => r.login_origin,
    };
    if json {
        let doc = json!({
            "target": line(&r),
            "profile": r.profile,
            "service": if t.url.is_some() { "remote" } else { "embedded-simulator" },
            "url": t.url.as_deref().map(shown_url),
            "url_from": t.url.as_ref().map(|_| r.url_origin.as_str()),
            "simulator_state": state.as_ref().map(|p| p.display().to_string()),
            "login": login,
            "login_from": login.as_ref().map(|_| login_origin.as_str()),
            "platform": t.platform.map(|p| p.id()),
            "platform_from": t.platform.map(|_| r.platform_origin.as_str()),
            "timeout": t.timeout,
            "api": SERVICE.name,
        });
        return crate::output::print_json(&doc);
    }
    let from = |o: Origin| format!(" ({})", o.as_str());
    let mut rows: Vec<(&str, String)> = vec![(
        "Profile",
        r.profile.clone().unwrap_or_else(|| "(none)".into()),
    )];
    match &t.url {
        Some(url) => rows.push(("URL", format!("{}{}", shown_url(url), from(r.url_origin)))),
        None => {
            rows.push(("Service", "embedded simulator".into()));
            rows.push(("State", state_shown()));
        }
    }
    rows.push((
        "Account",
        login.map_or_else(
            || "(none: give --login)".into(),
            |l| format!("{l}{}", from(login_origin)),
        ),
    ));
    rows.push((
        "Platform",
        t.platform.map_or_else(
            || match t.url {
                Some(_) => "(not set: requests are not checked for a platform)".to_string(),
                None => "(each telephony server's own)".to_string(),
            },
            |p| format!("{}{}", p.id(), from(r.platform_origin)),
        ),
    ));
    rows.push(("Timeout", format!("{} s", t.timeout)));
    rows.push(("API", SERVICE.name.to_string()));
    let records: Vec<akixi_client::runtime::akixi_ws::Record> =
        vec![rows.into_iter().map(|(k, v)| (k.to_string(), v)).collect()];
    print!("{}", crate::output::table(&records, false));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_without_a_scheme_gets_a_suggestion() {
        let e = check_scheme("127.0.0.1:8080", Origin::Flag).expect_err("refused");
        assert!(
            e.to_string()
                .contains("did you mean http://127.0.0.1:8080?"),
            "{e}"
        );
        let e = check_scheme("localhost:8080/XML", Origin::Flag).expect_err("refused");
        assert!(e.to_string().contains("http://localhost:8080/XML"), "{e}");
        let e = check_scheme("akixi.example.com/XML", Origin::Profile).expect_err("refused");
        assert!(
            e.to_string().contains("https://akixi.example.com/XML"),
            "{e}"
        );
        assert!(e.to_string().contains("profile"), "{e}");
        assert!(check_scheme("https://akixi.example.com/XML", Origin::Flag).is_ok());
    }

    #[test]
    fn a_password_in_a_url_is_never_shown() {
        assert_eq!(
            shown_url("https://ann:s3cret@akixi.example.com/XML?a=b@c"),
            "https://ann@akixi.example.com/XML?a=b@c"
        );
        assert_eq!(shown_url("https://host/x@y"), "https://host/x@y");
        assert_eq!(shown_url("http://127.0.0.1:1/"), "http://127.0.0.1:1/");
    }
}
