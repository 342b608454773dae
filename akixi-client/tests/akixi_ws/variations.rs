//! XML syntax variations the reader accepts: quoting, whitespace, CDATA, self-closing elements.

use super::*;

#[test]
fn xml_syntax_variations() {
    let xml = "\u{feff}<?xml version='1.0' encoding='UTF-8'?>\n\
        <!DOCTYPE Response>\n\
        <!-- leading comment -->\n\
        <Response xmlns:x='urn:x' x:extra=\"1\" Result='Success'>\
        <?trace on?>\
        <InvokeID> 00028 </InvokeID>\
        <Unknown><Nested a='b'>ignored</Nested></Unknown>\
        <Success>\
          <Property Other=\"o\" Name='A'>a<!-- c -->b<![CDATA[<c>&amp;]]>&amp;&#xA9;&#169;&lt;&gt;&quot;&apos;</Property>\
          <Property Name=\"Empty\"/>\
          <Property Name=\"Spaces\">  keep  me  </Property>\
          <Property Name=\"Lines\">a\r\nb\rc&#13;</Property>\
          <Property Name=\"Escaped &amp; &quot;name&quot;\">x</Property>\
          <Container Name='Empty'/>\
          <Container Name=\"C\"><!-- inside --><Property Name=\"B\">b</Property></Container>\
        </Success>\
        <?after success?>\
        </Response>\n<!-- trailing -->\n";
    let decoded = decode::<Trace>(xml).unwrap();
    assert_eq!(decoded.invoke_id.as_deref(), Some("00028"));
    assert_eq!(
        decoded.data.unwrap().0,
        [
            "A=ab<c>&amp;&©©<>\"'",
            "Empty=",
            "Spaces=  keep  me  ",
            "Lines=a\nb\nc\r",
            "Escaped & \"name\"=x",
            "[Empty",
            "]",
            "[C",
            "B=b",
            "]",
        ]
    );
}

#[test]
fn borrowed_where_there_is_nothing_to_unescape() {
    struct Borrowed(Vec<bool>);
    impl DecodePayload for Borrowed {
        fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
            let mut flags = Vec::new();
            while let Some(node) = reader.next()? {
                if let Node::Property { name, value } = node {
                    flags.push(matches!(name, Cow::Borrowed(_)));
                    flags.push(matches!(value, Cow::Borrowed(_)));
                }
            }
            Ok(Borrowed(flags))
        }
    }
    let xml = r#"<Response Result="Success"><Success><Property Name="A">plain</Property><Property Name="B&amp;">a&amp;b</Property></Success></Response>"#;
    let flags = decode::<Borrowed>(xml).unwrap().data.unwrap().0;
    assert_eq!(flags, [true, true, false, false]);
}

#[test]
fn self_closing_envelope_elements() {
    let decoded = decode::<Trace>(r#"<Response Result="Success"/>"#).unwrap();
    assert_eq!((decoded.invoke_id, decoded.data), (None, None));
    let decoded =
        decode::<Trace>(r#"<Response Result="Fail"><InvokeID/><Success/><Fail/></Response>"#)
            .unwrap();
    assert_eq!(decoded.invoke_id.as_deref(), Some(""));
    assert_eq!(decoded.data, Some(Trace(vec![])));
    assert!(decoded.errors.is_empty());
}
