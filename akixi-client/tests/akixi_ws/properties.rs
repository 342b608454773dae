//! Property names and values that survive a write and a read, any string and any bytes.

use super::*;

#[test]
fn awkward_values_round_trip() {
    for value in [
        "",
        " ",
        "\t\n",
        "\r",
        "\r\n",
        "a]]>b",
        "<&>\"'",
        "\0\u{1}\u{1b}\u{7f}",
        "é✓😀",
        "\u{fffe}\u{ffff}",
        "&amp;",
    ] {
        assert_eq!(
            round_trip_property(value, value),
            (value.to_owned(), value.to_owned())
        );
    }
}

proptest! {
    #[test]
    fn any_string_round_trips_as_a_property_value(value in any::<String>()) {
        let mut w = RequestWriter::new("Op");
        w.property("Value", &value);
        let xml = w.finish();
        let request = decode_request::<Extra>(xml.as_bytes()).unwrap();
        let payload = request.payload.unwrap();
        prop_assert_eq!(payload.property("Value"), Some(value.as_str()));
    }

    #[test]
    fn any_string_round_trips_as_names(name in any::<String>(), value in "[<&>\"\\]\\r\\n\\t a-z\u{0}-\u{1f}]*") {
        prop_assert_eq!(round_trip_property(&name, &value), (name.clone(), value.clone()));
    }

    #[test]
    fn numbers_round_trip(n in any::<i64>()) {
        let mut w = RequestWriter::new("Op");
        w.property_value("N", &n);
        let xml = w.finish();
        let request = decode_request::<Extra>(xml.as_bytes()).unwrap();
        let raw = request.payload.unwrap().property("N").unwrap().to_owned();
        prop_assert_eq!(i64::from_wire(&raw), Ok(n));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_response::<Trace>(&bytes, &akixi_client::akixi::BINDING);
        let _ = decode_response::<Extra>(&bytes, &akixi_client::akixi::BINDING);
        let _ = decode_request::<Extra>(&bytes);
    }

    #[test]
    fn mutated_seeds_never_panic(
        which in 0usize..6,
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..4, any::<u8>(), "[<>/&;#=\"' a-zA-Z!?\\[\\]-]{0,8}"), 1..6),
    ) {
        let seeds = [
            &*seed::USER_INFO_RESPONSE,
            &*seed::USER_LIST_RESPONSE,
            &*seed::USER_ADD_RESPONSE,
            r#"<Response Result="PartialFail"><InvokeID>1</InvokeID><Success><Property Name="A">x</Property></Success><Fail><Error><ErrorCode>1</ErrorCode><ErrorMessage>m</ErrorMessage></Error><Property Name="ErrorCode">2</Property></Fail></Response>"#,
            &*seed::USER_ADD_REQUEST,
            &*seed::USER_LIST_REQUEST,
        ];
        let mut bytes = seeds[which].as_bytes().to_vec();
        for (index, op, byte, text) in edits {
            if bytes.is_empty() {
                break;
            }
            let at = index.index(bytes.len());
            match op {
                0 => bytes[at] = byte,
                1 => { bytes.truncate(at); }
                2 => { bytes.splice(at..at, text.bytes()); }
                _ => { let end = (at + usize::from(byte % 16)).min(bytes.len()); bytes.drain(at..end); }
            }
        }
        if let Err(err) = decode_response::<Trace>(&bytes, &akixi_client::akixi::BINDING) {
            let message = err.to_string();
            prop_assert!(message.contains(" at /"), "{}", message);
            // 60 source bytes at most, each control character escaped to at most 6 chars.
            prop_assert!(err.snippet().chars().count() <= 6 * 60 + 2, "{}", err.snippet());
        }
        let _ = decode_response::<List<Entry>>(&bytes, &akixi_client::akixi::BINDING);
        let _ = decode_response::<Typed>(&bytes, &akixi_client::akixi::BINDING);
        let _ = decode_request::<Extra>(&bytes);
    }
}
