//! `Cursor::plain_property` against quick-xml: every document, well-formed or not, decodes to
//! the same nodes, values, errors and error offsets with the plain reads on and off.

use proptest::prelude::*;

use super::cursor::{PLAIN_HITS, PLAIN_READS};
use super::envelope::decode_response;
use super::payload::{DecodePayload, Node, PayloadReader};
use crate::akixi_ws::client::AkixiWsService;
use crate::akixi_ws::error::{DecodeError, DecodeErrorKind};
use crate::akixi_ws::test_service::TestService;

/// Every node in order with its depth; a property named `N` is parsed as a number and a level
/// without a property named `Req` reports it missing, so that value and level errors (and
/// their offsets) are compared too.
#[derive(Debug, PartialEq)]
struct Trace(Vec<String>);

impl DecodePayload for Trace {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut seen = Vec::new();
        let mut has_req = false;
        while let Some(node) = reader.next()? {
            seen.push(format!("{} {node:?}", reader.depth()));
            match node {
                Node::Property { name, value } => {
                    if name == "N" {
                        reader.parse::<u32>(&name, &value)?;
                    }
                    // An error right after a property is placed where its last event started.
                    if name == "E" {
                        return Err(reader.error(DecodeErrorKind::Duplicate {
                            element: value.into_owned(),
                        }));
                    }
                    // Stop early: the caller skips the rest of the level.
                    if name == "Stop" {
                        return Ok(Trace(seen));
                    }
                    has_req |= name == "Req";
                }
                Node::Container { .. } => seen.extend(reader.decode_container::<Trace>()?.0),
            }
        }
        if !has_req && seen.iter().any(|s| s.contains("\"Want\"")) {
            return Err(reader.missing_property("Req"));
        }
        Ok(Trace(seen))
    }
}

fn decode_both(xml: &str) -> (String, String) {
    let binding = &<TestService as AkixiWsService>::BINDING;
    let plain = format!("{:?}", decode_response::<Trace>(xml.as_bytes(), binding));
    PLAIN_READS.with(|on| on.set(false));
    let quick = format!("{:?}", decode_response::<Trace>(xml.as_bytes(), binding));
    PLAIN_READS.with(|on| on.set(true));
    (plain, quick)
}

const PIECES: &[&str] = &[
    "<Property Name=\"A\">text</Property>",
    "<Property Name=\"N\">42</Property>",
    "<Property Name=\"N\">4x2</Property>",
    "<Property Name=\"N\"> 7 </Property>",
    "<Property Name=\"Req\"/>",
    "<Property Name=\"Want\">1</Property>",
    "<Property Name=\"A\"></Property>",
    "<Property Name=\"A\"/>",
    "<Property Name=\"A\" />",
    "<Property Name='A'>q</Property>",
    "<Property Name = \"A\">s</Property>",
    "<Property  Name=\"A\">s</Property>",
    "<Property Name=\"A\" Other=\"x\">s</Property>",
    "<Property Name=\"A&amp;B\">s</Property>",
    "<Property Name=\"A\tB\">s</Property>",
    "<Property Name=\"A\nB\">s</Property>",
    "<Property Name=\"A<B\">s</Property>",
    "<Property Name=\"A>B\">s</Property>",
    "<Property Name=\"\">s</Property>",
    "<Property Name=\"A\">a &lt; b</Property>",
    "<Property Name=\"A\">line\r\nend</Property>",
    "<Property Name=\"A\">x]]>y</Property>",
    "<Property Name=\"A\"><![CDATA[c<d]]></Property>",
    "<Property Name=\"A\">a<!-- c -->b</Property>",
    "<Property Name=\"A\">é ü 日本</Property>",
    "<Property Name=\"A\">s</Property >",
    "<Property Name=\"A\">s</Propertyx>",
    "<Property Name=\"A\">s</Container>",
    "<Property Name=\"A\">s",
    "<Property Name=\"A\"",
    "<Property Name=\"A",
    "<Property Name=\"A\">s<Property Name=\"B\">t</Property></Property>",
    "<PropertyX Name=\"A\">s</PropertyX>",
    "<Property>s</Property>",
    "<Container>",
    "<Container Name=\"C\">",
    "<Container/>",
    "</Container>",
    "<Other/>",
    "<!-- note -->",
    "<?pi x?>",
    "text",
    "&amp;",
    " ",
    "\n  ",
    "\r\n",
    "\t",
    "<![CDATA[ ]]>",
    "<![CDATA[x]]>",
    "<Property Name=\"E\">e</Property>",
    "<Property Name=\"E\"/>",
    "<Property Name=\"Stop\">s</Property>",
    "<Property Name=\"it's/a=b\">v</Property>",
    "<Property Name=\"Größe\">v</Property>",
    "<Property Name=\"A\">\u{0}\u{1}\u{7f}</Property>",
    "<Property Name=\"A\">>x</Property>",
    "<Property Name=\"A/\">x</Property>",
];

fn document(pieces: &[usize], cut: Option<usize>) -> String {
    let mut payload: String = pieces.iter().map(|&i| PIECES[i]).collect();
    if let Some(cut) = cut {
        let mut at = cut % (payload.len() + 1);
        while !payload.is_char_boundary(at) {
            at -= 1;
        }
        payload.truncate(at);
    }
    format!(
        "<Response Result=\"Success\"><InvokeID>1</InvokeID><Success>{payload}</Success></Response>"
    )
}

/// Byte order marks are dropped by quick-xml without being counted; the plain reads and the
/// offsets of errors must still be right after one.
fn with_bom(xml: &str) -> String {
    format!("\u{FEFF}{xml}")
}

#[test]
fn every_piece_alone_reads_the_same() {
    for (i, piece) in PIECES.iter().enumerate() {
        for wrapped in [vec![i], vec![34, i, 43, i, 37], vec![43, 40, i, 0]] {
            for xml in [
                document(&wrapped, None),
                with_bom(&document(&wrapped, None)),
            ] {
                let (plain, quick) = decode_both(&xml);
                assert_eq!(plain, quick, "piece {piece:?} in {xml}");
            }
        }
    }
}

#[test]
fn offsets_count_a_byte_order_mark() {
    // The value error is placed at the value "4x2"; a byte order mark in front moves it by the
    // mark's three bytes.
    let plain = document(&[2], None);
    let binding = &<TestService as AkixiWsService>::BINDING;
    let at = |xml: &str| {
        decode_response::<Trace>(xml.as_bytes(), binding)
            .expect_err("4x2 is not a number")
            .offset()
    };
    let expected = plain.find("4x2").expect("in the document") as u64;
    assert_eq!(at(&plain), expected);
    assert_eq!(at(&with_bom(&plain)), expected + 3);
}

#[test]
fn plain_reads_serve_the_common_case() {
    // Not a vacuous comparison: the plain path takes the ordinary properties.
    let xml = document(&[0, 1, 4, 7, 34, 0, 37], None);
    let before = PLAIN_HITS.with(|hits| hits.get());
    let (plain, quick) = decode_both(&xml);
    assert_eq!(plain, quick);
    assert_eq!(PLAIN_HITS.with(|hits| hits.get()) - before, 5);
    assert!(plain.contains(r#"value: \"text\""#), "{plain}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn any_document_reads_the_same(
        pieces in proptest::collection::vec(0..PIECES.len(), 0..24),
        cut in proptest::option::of(any::<usize>()),
        bom in any::<bool>(),
    ) {
        let xml = document(&pieces, cut);
        let xml = if bom { with_bom(&xml) } else { xml };
        let (plain, quick) = decode_both(&xml);
        prop_assert_eq!(plain, quick, "{}", xml);
    }
}
