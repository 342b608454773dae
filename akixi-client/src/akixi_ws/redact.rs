//! Logs of exchanged XML with every secret replaced.

use super::grammar;

/// `xml` with the text of every secret replaced by `[redacted]`: the `SessionID` element and
/// every `Property` whose name is in `secret_properties` (the generated `SECRET_PROPERTIES`).
/// For logs; what cannot be read as XML is not logged at all.
pub fn redact_xml(xml: &[u8], secret_properties: &[&str]) -> String {
    use quick_xml::events::Event;
    let Ok(text) = std::str::from_utf8(xml) else {
        return "[not UTF-8: not logged]".to_string();
    };
    let mut reader = quick_xml::Reader::from_str(text);
    // Byte ranges of secret text, and how deep inside a secret element the reader is.
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut secret_depth = 0usize;
    let mut last = 0usize;
    loop {
        let event = reader.read_event();
        let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Ok(Event::Start(e)) => {
                if secret_depth > 0 {
                    secret_depth += 1;
                } else {
                    let name = e.name();
                    let is_secret = name.as_ref() == grammar::SESSION_ID
                        || (name.as_ref() == grammar::PROPERTY
                            && e.attributes().flatten().any(|a| {
                                a.key.as_ref() == grammar::NAME
                                    && secret_properties.contains(&a.value.as_ref())
                            }));
                    if is_secret {
                        secret_depth = 1;
                    }
                }
            }
            Ok(Event::End(_)) => secret_depth = secret_depth.saturating_sub(1),
            Ok(Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)) if secret_depth > 0 => {
                ranges.push((last, pos));
            }
            Ok(Event::Eof) => break,
            Err(_) => return "[not well-formed XML: not logged]".to_string(),
            Ok(_) => {}
        }
        last = pos;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in ranges {
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(&text[at..start]);
        if !out.ends_with("[redacted]") {
            out.push_str("[redacted]");
        }
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::redact_xml;

    #[test]
    fn secrets_are_redacted_and_the_rest_kept() {
        let xml = br#"<Request Operation="UserAdd"><InvokeID>00002</InvokeID><SessionID>EFA4902A7F61D03E42BF3222B0A246BF</SessionID><OperationPayload><Property Name="Username">a</Property><Property Name="Password">p&amp;w<![CDATA[x]]></Property></OperationPayload></Request>"#;
        let out = redact_xml(xml, &["Password"]);
        assert_eq!(
            out,
            r#"<Request Operation="UserAdd"><InvokeID>00002</InvokeID><SessionID>[redacted]</SessionID><OperationPayload><Property Name="Username">a</Property><Property Name="Password">[redacted]</Property></OperationPayload></Request>"#
        );
        let resp = br#"<Response Result="Success"><Success><Property Name='Nonce'>20d5e39b</Property></Success></Response>"#;
        assert!(!redact_xml(resp, &["Nonce"]).contains("20d5e39b"));
        assert!(redact_xml(b"<a></b>", &[]).contains("not logged"));
        assert!(
            !redact_xml(b"<SessionID>ABCDEF", &[]).contains("ABCDEF"),
            "truncated inside a secret"
        );
        assert!(redact_xml(&[0xff, 0xfe], &[]).contains("not logged"));
    }
}
