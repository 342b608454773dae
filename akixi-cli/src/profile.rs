//! Named profiles: where each Akixi service is and how to sign in to it, in a TOML file in the
//! platform's config directory (`AKIXI_CONFIG` overrides the path). A profile never holds a
//! password, only how to get one: a file, or a command (as git credential helpers do).
//!
//! Precedence, highest first: flags, environment variables, the profile, the defaults.
//!
//! ```toml
//! default-profile = "acme"
//!
//! [profiles.acme]
//! url = "https://akixi.example.com/XML"
//! login = "admin@acme.example"
//! platform = "cisco-broadworks"
//! timeout = 60
//! password-command = "pass show akixi/acme"
//! em-host = "cucm.acme.example:8443"     # akixi em: the EM service's host (or URL)
//! em-app-user = "emapp"                  # and application user
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// The environment variable naming the config file.
pub const CONFIG_ENV: &str = "AKIXI_CONFIG";

/// One service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Profile {
    /// The service's XML endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The administrative user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    /// The platform to validate requests for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Request timeout, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<u64>,
    /// A file whose first line is the password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_file: Option<String>,
    /// A command (run by the shell) that prints the password.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_command: Option<String>,
    /// The Extension Mobility service for `akixi em`: the publisher as `host[:port]`, or the
    /// service's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub em_host: Option<String>,
    /// The EM application user (`akixi em`'s `--app-id`) for `em-host`; its certificate
    /// comes from `AKIXI_EM_APP_CERTIFICATE` or a prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub em_app_user: Option<String>,
}

/// The config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The profile used when none is named.
    pub default_profile: Option<String>,
    /// The profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// Where the config file is: `AKIXI_CONFIG`, else `akixi/config.toml` in the config directory.
pub fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(CONFIG_ENV) {
        return Some(PathBuf::from(p));
    }
    dirs::config_dir().map(|d| d.join("akixi").join("config.toml"))
}

/// The config file, if there is one.
pub fn load() -> Result<Option<(PathBuf, Config)>, CliError> {
    let Some(path) = config_path() else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CliError::Usage(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    let config: Config = toml::from_str(&text).map_err(|e| {
        let hint = if e.message().contains("`password`") {
            " (a profile never holds a password: use password-file or password-command)"
        } else {
            ""
        };
        CliError::Usage(format!("{}: {e}{hint}", path.display()))
    })?;
    Ok(Some((path, config)))
}

/// The profile `name` (or, when `None`, the config's default profile, if any).
pub fn select(name: Option<&str>) -> Result<Option<(String, Profile)>, CliError> {
    let loaded = load()?;
    let Some((path, config)) = loaded else {
        return match name {
            Some(n) => Err(CliError::Usage(format!(
                "no profile `{n}`: no config file{}",
                config_path()
                    .map(|p| format!(" at {}", p.display()))
                    .unwrap_or_default()
            ))),
            None => Ok(None),
        };
    };
    let Some(name) = name.map(str::to_owned).or(config.default_profile.clone()) else {
        return Ok(None);
    };
    match config.profiles.get(&name) {
        Some(p) => Ok(Some((name, p.clone()))),
        None => Err(CliError::Usage(format!(
            "no profile `{name}` in {} (profiles: {})",
            path.display(),
            config
                .profiles
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Runs a profile's password command; the first line it prints is the password.
pub fn password_from_command(command: &str) -> Result<String, CliError> {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(std::process::Stdio::inherit())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| CliError::Usage(format!("password-command: cannot run: {e}")))?;
    if !output.status.success() {
        return Err(CliError::Usage(format!(
            "password-command failed ({})",
            output.status
        )));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| CliError::Usage("password-command printed no UTF-8 text".into()))?;
    match text.lines().next() {
        Some(line) if !line.is_empty() => Ok(line.to_owned()),
        _ => Err(CliError::Usage("password-command printed nothing".into())),
    }
}

/// The config file's path as shown, and its profiles (none without a file).
fn loaded_config() -> Result<(String, Config), CliError> {
    let loaded = load()?;
    let path = config_path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(no config directory)".into());
    Ok((path, loaded.map(|(_, c)| c).unwrap_or_default()))
}

/// `akixi config list`: every profile, `*` marking the default.
pub fn list(json: bool) -> Result<(), CliError> {
    let (path, config) = loaded_config()?;
    if json {
        let profiles: Vec<serde_json::Value> = config
            .profiles
            .iter()
            .map(|(name, p)| {
                serde_json::json!({
                    "name": name,
                    "default": config.default_profile.as_deref() == Some(name),
                    "url": p.url,
                })
            })
            .collect();
        return crate::output::print_json(
            &serde_json::json!({ "config": path, "profiles": profiles }),
        );
    }
    println!("# {path}");
    for (name, p) in &config.profiles {
        let mark = if config.default_profile.as_deref() == Some(name) {
            "*"
        } else {
            " "
        };
        println!(
            "{mark} {name}\t{}",
            p.url.as_deref().unwrap_or("(embedded simulator)")
        );
    }
    Ok(())
}

/// `akixi config show [NAME]`: one profile's settings (the default profile without a name).
pub fn show(name: Option<&str>, json: bool) -> Result<(), CliError> {
    let (path, _) = loaded_config()?;
    let Some((name, profile)) = select(name)? else {
        return Err(CliError::Usage(format!(
            "no profile named and no default-profile in {path}"
        )));
    };
    if json {
        let mut doc =
            serde_json::to_value(&profile).map_err(|e| CliError::Failure(e.to_string()))?;
        doc["name"] = serde_json::Value::String(name);
        return crate::output::print_json(&doc);
    }
    let mut table = toml::map::Map::new();
    table.insert(
        name,
        toml::Value::try_from(&profile).map_err(|e| CliError::Failure(e.to_string()))?,
    );
    print!(
        "{}",
        toml::to_string(&table).map_err(|e| CliError::Failure(e.to_string()))?
    );
    Ok(())
}
