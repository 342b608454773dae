//! Bodies: read one within a size limit, keep the start of an error page for the message, and
//! tell loopback traffic from the rest.

use std::net::IpAddr;

use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};

/// Bytes of a non-200 body kept for the error message.
pub(crate) const SNIPPET_BYTES: usize = 512;
/// Characters of that body shown.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// Why a body was not read whole.
pub(crate) enum BodyError {
    /// It is (or declares itself) larger than the limit; nothing more was read.
    TooLarge {
        /// The size the server declared (`Content-Length`), if it did.
        declared: Option<u64>,
    },
    /// The connection failed while reading.
    Read(reqwest::Error),
}

/// The response's `Content-Type`, if readable.
pub(crate) fn content_type(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Reads the whole body, refusing one over `limit` bytes before reading it when the server
/// declares its length, and as soon as it passes the limit otherwise.
pub(crate) async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, BodyError> {
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(BodyError::TooLarge { declared });
    }
    let mut bytes = Vec::with_capacity(declared.map_or(8 * 1024, |n| n as usize));
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        if bytes.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge { declared });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The start of an error body as one line, for the message: a short look tells a proxy's HTML
/// page from the server's own error, and a failure to read it is not the error worth reporting.
pub(crate) async fn error_snippet(mut response: reqwest::Response) -> String {
    let mut head = Vec::new();
    while head.len() < SNIPPET_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let take = chunk.len().min(SNIPPET_BYTES - head.len());
                head.extend_from_slice(&chunk[..take]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    crate::xml_text::one_line(&String::from_utf8_lossy(&head), SNIPPET_CHARS)
}

/// `localhost`, 127.0.0.0/8 or ::1: traffic that never leaves the machine.
pub(crate) fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        let url = |s: &str| reqwest::Url::parse(s).expect("url");
        assert!(is_loopback(&url("http://localhost:8080/")));
        assert!(is_loopback(&url("http://127.0.0.2/")));
        assert!(is_loopback(&url("http://[::1]:80/")));
        assert!(!is_loopback(&url("http://10.0.0.1/")));
    }
}
