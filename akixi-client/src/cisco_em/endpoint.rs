//! Where an action is sent: the Metreos actions' URL rules, with the scheme made a choice.

use std::fmt;

use super::action::{ActionKind, EndpointParams};
use super::binding::Binding;
use super::invalid::{InvalidAction, InvalidReason};

/// The scheme of a URL built from `CallManagerHost`. The original always used `http`; modern
/// clusters serve `https` on port 8443 (give it in the host: `10.0.0.1:8443`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `http`.
    Http,
    /// `https`.
    Https,
}

impl Scheme {
    /// `http` or `https`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// The scheme named `name` (`http`, `https`, any case).
    pub fn parse(name: &str) -> Option<Self> {
        if name.eq_ignore_ascii_case("http") {
            Some(Scheme::Http)
        } else if name.eq_ignore_ascii_case("https") {
            Some(Scheme::Https)
        } else {
            None
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `v` without surrounding whitespace, unless that leaves nothing.
fn nonempty(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// The URL of `action`, by the seed's rules:
///
/// - with a `CallManagerHost` (`[IP]:[Port]`; missing, empty or blank counts as none):
///   `scheme://host` + the request or query path of the release `Version` selects (the spec's
///   `versions` table), else the `service-path` (`other` and `Undefined` alike);
/// - otherwise the `Url`, verbatim;
/// - neither: refused.
///
/// A `Version` whose release answers only some actions refuses the others (the `versions`
/// table's `Actions`: CCM 3.3 lacks `LogoutAll`), whichever of the two gives the endpoint. URLs that carry
/// user info, or schemes other than `http` and `https`, are refused too (URLs are logged).
pub fn resolve_endpoint(
    binding: &Binding,
    action: &'static str,
    kind: ActionKind,
    params: &EndpointParams<'_>,
    scheme: Scheme,
) -> Result<reqwest::Url, InvalidAction> {
    let invalid = |reason| InvalidAction { action, reason };
    let release = binding.version(params.version);
    if let Some(supported) = release.and_then(|r| r.actions)
        && !supported.contains(&action)
    {
        return Err(invalid(InvalidReason::UnsupportedVersion {
            parameter: binding.version_parameter,
            version: params.version.to_owned(),
            supported: supported.join(", "),
        }));
    }
    if let Some(host) = nonempty(params.call_manager_host) {
        let own = release.and_then(|r| match kind {
            ActionKind::Request => r.request_path,
            ActionKind::Query => r.query_path,
        });
        let path = own.unwrap_or(binding.service_path);
        let bad = |detail: &str| {
            invalid(InvalidReason::BadEndpoint {
                parameter: binding.host_parameter,
                value: host.to_owned(),
                detail: detail.to_owned(),
            })
        };
        let url = reqwest::Url::parse(&format!("{scheme}://{host}{path}"))
            .map_err(|e| bad(&format!("{e}; expected `[IP]:[Port]`")))?;
        // A host such as `a/b` or `a?b` parses, but not to the path we built.
        if url.path() != path || url.query().is_some() || url.fragment().is_some() {
            return Err(bad("expected `[IP]:[Port]`, without a path"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(
                "user info is not allowed; the credentials go in the document",
            ));
        }
        return Ok(url);
    }
    let Some(raw) = nonempty(params.url) else {
        return Err(invalid(InvalidReason::NoEndpoint {
            host_parameter: binding.host_parameter,
            url_parameter: binding.url_parameter,
        }));
    };
    let bad = |detail: String| {
        invalid(InvalidReason::BadEndpoint {
            parameter: binding.url_parameter,
            value: raw.to_owned(),
            detail,
        })
    };
    let url = reqwest::Url::parse(raw).map_err(|e| bad(e.to_string()))?;
    if Scheme::parse(url.scheme()).is_none() {
        return Err(bad(format!(
            "the scheme `{}` is neither http nor https",
            url.scheme()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "user info is not allowed; the credentials go in the document".to_owned(),
        ));
    }
    Ok(url)
}
