//! `application/x-www-form-urlencoded` bodies and the percent-escaping of user ids.

use std::fmt::Write as _;

/// Bytes a form value keeps as they are (the WHATWG `application/x-www-form-urlencoded`
/// serializer's set); every other byte is `%XX`, and a space is `+`.
fn form_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_')
}

/// `name=value`, both form-encoded: the body of an EM request (`xml=%3Crequest%3E…`).
pub fn encode_form_field(name: &str, value: &str) -> String {
    let mut out = String::with_capacity(name.len() + 1 + value.len() * 2);
    push_form_encoded(&mut out, name);
    out.push('=');
    push_form_encoded(&mut out, value);
    out
}

fn push_form_encoded(out: &mut String, text: &str) {
    for &b in text.as_bytes() {
        if form_safe(b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// The value of field `name` in a form-encoded `body` (the first, if it is repeated); `None`
/// when the field is missing or its value is not UTF-8 once decoded.
pub fn decode_form_field(body: &[u8], name: &str) -> Option<String> {
    body.split(|&b| b == b'&').find_map(|pair| {
        let (key, value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        (percent_decode(key, true)? == name.as_bytes())
            .then(|| percent_decode(value, true))
            .flatten()
            .and_then(|v| String::from_utf8(v).ok())
    })
}

/// Percent-decodes `raw`; `+` is a space when `plus_is_space`. `None` on a `%` not followed by
/// two hexadecimal digits.
fn percent_decode(raw: &[u8], plus_is_space: bool) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        match b {
            b'%' => {
                let hex = raw.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(out)
}

/// A user id as the service writes it in responses: UTF-8, percent-escaped (`em%40cisco.com`).
/// Letters, digits and `-._~` stay as they are.
pub fn escape_user_id(user_id: &str) -> String {
    let mut out = String::with_capacity(user_id.len());
    for &b in user_id.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A user id read from a response: percent-escapes decoded as UTF-8 (`em%40cisco.com` →
/// `em@cisco.com`). A `+` stays a `+`; text that is not a valid escape, or does not decode to
/// UTF-8, is kept as received, so an older service that does not escape loses nothing.
pub fn unescape_user_id(raw: &str) -> String {
    if !raw.contains('%') {
        return raw.to_owned();
    }
    percent_decode(raw.as_bytes(), false)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_else(|| raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_round_trip() {
        let xml = "<request><appInfo><appID>a b+c&d=é</appID></appInfo></request>";
        let body = encode_form_field("xml", xml);
        assert!(body.starts_with("xml=%3Crequest%3E"), "{body}");
        assert!(body.contains("a+b%2Bc%26d%3D%C3%A9"), "{body}");
        assert!(body.is_ascii());
        assert_eq!(
            decode_form_field(body.as_bytes(), "xml").as_deref(),
            Some(xml)
        );
        assert_eq!(
            decode_form_field(b"a=1&xml=%3Cq%2F%3E", "xml").as_deref(),
            Some("<q/>")
        );
        assert_eq!(decode_form_field(b"a=1", "xml"), None);
        assert_eq!(decode_form_field(b"xml=%zz", "xml"), None);
        assert_eq!(decode_form_field(b"xml", "xml").as_deref(), Some(""));
    }

    #[test]
    fn user_ids_are_percent_escaped() {
        assert_eq!(escape_user_id("em@cisco.com"), "em%40cisco.com");
        assert_eq!(unescape_user_id("em%40cisco.com"), "em@cisco.com");
        assert_eq!(unescape_user_id("J%C3%BCrgen"), "Jürgen");
        assert_eq!(unescape_user_id("a+b"), "a+b");
        assert_eq!(unescape_user_id("100%"), "100%");
        assert_eq!(unescape_user_id("%FF"), "%FF");
        assert_eq!(unescape_user_id(&escape_user_id("ü ser@x")), "ü ser@x");
    }
}
