//! Why an action cannot be sent as it is; found before anything is sent.

/// An action that cannot be sent as it is; nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{action} was not sent: {reason}")]
pub struct InvalidAction {
    /// The action.
    pub action: &'static str,
    /// Why.
    pub reason: InvalidReason,
}

/// Why an action cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidReason {
    /// Neither the host nor the URL is given.
    #[error("no endpoint: give {host_parameter} (`[IP]:[Port]`) or {url_parameter}")]
    NoEndpoint {
        /// `CallManagerHost`.
        host_parameter: &'static str,
        /// `Url`.
        url_parameter: &'static str,
    },
    /// The host or URL does not make a usable URL.
    #[error("{parameter} `{value}` does not make a usable URL: {detail}")]
    BadEndpoint {
        /// `CallManagerHost` or `Url`.
        parameter: &'static str,
        /// What it holds.
        value: String,
        /// Why.
        detail: String,
    },
    /// The service's version does not have this action.
    #[error(
        "{parameter} `{version}` (CCM 3.3) has no such action; its service answers only {supported}"
    )]
    UnsupportedVersion {
        /// `Version`.
        parameter: &'static str,
        /// The version (`v333`).
        version: String,
        /// The actions it has, comma-separated.
        supported: String,
    },
    /// Two parameters exclude each other (the DTD's choice `time | indefinite`).
    #[error("`{flag}` excludes `{other}`: give one of them")]
    Conflict {
        /// The flag that is set (`NoTimeout`).
        flag: &'static str,
        /// The other parameter (`Timeout`).
        other: &'static str,
    },
    /// A list that needs at least one value has none.
    #[error("`{property}` needs at least one value")]
    Empty {
        /// The parameter.
        property: &'static str,
    },
}
