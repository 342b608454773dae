//! The wire details of the `cisco-em` protocol, as the spec's `binding` table states them.

/// The spec's `binding` rows that the codec, the endpoint rules and the result data read. The
/// generated `BINDING` constant of a `cisco-em` service fills it; nothing here is hard-coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    /// `http-method`: how requests are sent (`POST`).
    pub http_method: &'static str,
    /// `content-type`: the body's type (`application/x-www-form-urlencoded`).
    pub content_type: &'static str,
    /// `form-field`: the one form field holding the document (`xml`).
    pub form_field: &'static str,
    /// `request-root`: the root of state-changing actions (`request`).
    pub request_root: &'static str,
    /// `query-root`: the root of queries (`query`).
    pub query_root: &'static str,
    /// `app-info-element`: the element holding the application's credentials (`appInfo`).
    pub app_info_element: &'static str,
    /// `response-root`: the root of every response (`response`).
    pub response_root: &'static str,
    /// `service-path`: the service's path, for every version without paths of its own.
    pub service_path: &'static str,
    /// `default-scheme`: the scheme of URLs built from a host (`http`, as the original did).
    pub default_scheme: &'static str,
    /// `secure-scheme`: the scheme of modern clusters (`https`).
    pub secure_scheme: &'static str,
    /// `secure-port`: the port of the secure service (8443).
    pub secure_port: u16,
    /// The `versions` table: the Unified CM releases, what selects each and where its service
    /// is.
    pub versions: &'static [CcmVersion],
    /// `url-parameter`: the parameter holding the service's URL (`Url`).
    pub url_parameter: &'static str,
    /// `host-parameter`: the parameter holding the publisher's `[IP]:[Port]` (`CallManagerHost`).
    pub host_parameter: &'static str,
    /// `version-parameter`: the parameter holding the Unified CM version (`Version`).
    pub version_parameter: &'static str,
    /// `no-response-error-code`: the `ErrorCode` of an outcome without response XML.
    pub no_response_error_code: u32,
    /// `success-branch`: the branch of a success.
    pub success_branch: &'static str,
    /// `failure-branch`: the branch of every other outcome.
    pub failure_branch: &'static str,
    /// `app-id-parameter`: the parameter naming the application user.
    pub app_id_parameter: &'static str,
    /// `app-certificate-parameter`: the parameter holding the application user's password.
    pub app_certificate_parameter: &'static str,
    /// `device-parameter`: the parameter naming the device a request is about.
    pub device_parameter: &'static str,
    /// `user-parameter`: the parameter naming the user a request is about.
    pub user_parameter: &'static str,
    /// `device-profile-parameter`: the parameter naming the device profile to log in with.
    pub device_profile_parameter: &'static str,
    /// `timeout-parameter`: the parameter giving the minutes until an automatic logout.
    pub timeout_parameter: &'static str,
    /// `no-timeout-parameter`: the parameter asking for no automatic logout.
    pub no_timeout_parameter: &'static str,
}

/// A row of the spec's `versions` table: Unified CM releases, the `version-parameter` value
/// that selects them, and what is particular to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CcmVersion {
    /// The releases, as the documentation names them.
    pub release: &'static str,
    /// The value of the `version-parameter` that selects them.
    pub version: &'static str,
    /// The service's port on these releases (documentation).
    pub port: u16,
    /// The path of requests, where not the `service-path`.
    pub request_path: Option<&'static str>,
    /// The path of queries, where not the `service-path`.
    pub query_path: Option<&'static str>,
    /// The actions the service answers, where not every one.
    pub actions: Option<&'static [&'static str]>,
}

impl Binding {
    /// The release the `version-parameter` value `version` selects (rows sharing a value agree
    /// on paths and actions: the spec's loader checks it).
    pub fn version(&self, version: &str) -> Option<&'static CcmVersion> {
        self.versions.iter().find(|v| v.version == version)
    }
}
