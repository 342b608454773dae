//! Which REST route a request takes: its method, its path against each route's template (the
//! `{Property}` segments captured, percent-decoded), and its query's pairs.

use akixi_client::akixi_rest::binding::{HttpMethod, Route, Segment};
use axum::http::Method;

pub(super) fn method_of(m: &Method) -> Option<HttpMethod> {
    HttpMethod::ALL
        .iter()
        .find(|(name, _)| *name == m.as_str())
        .map(|(_, m)| *m)
}

/// The property values a route's `{Property}` segments capture, if `segments` match it.
pub(super) fn route_matches(
    route: &Route,
    method: HttpMethod,
    segments: &[&str],
) -> Option<Vec<(&'static str, String)>> {
    if route.method != method || route.path.len() != segments.len() {
        return None;
    }
    let mut captures = Vec::new();
    for (s, given) in route.path.iter().zip(segments) {
        match s {
            Segment::Literal(l) if l == given => {}
            Segment::Literal(_) => return None,
            Segment::Property(p) => captures.push((*p, percent_decode(given)?)),
        }
    }
    Some(captures)
}

/// `%XX` escapes decoded (a `+` stays a `+`); `None` when the result is not UTF-8.
pub(super) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b'%', Some(hex)) => match std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => {
                    out.push(b'%');
                    i += 1;
                }
            },
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

pub(super) fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let plus = |s: &str| s.replace('+', " ");
            Some((percent_decode(&plus(k))?, percent_decode(&plus(v))?))
        })
        .collect()
}
