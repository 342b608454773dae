//! The akixi-ws codec against the documented examples, the tolerated failure shapes,
//! XML syntax variations and malformed input.

#[path = "../../benches/baseline/seed.rs"]
mod seed;

use std::borrow::Cow;

use akixi_client::akixi_ws::{
    Binding, DecodeError, DecodeErrorKind, DecodePayload, Decoded, Extra, List, Node,
    PayloadReader, RequestWriter, ResultKind, ValueError, WireError, WireValue, decode_request,
    decode_response,
};
use proptest::prelude::*;

const SESSION: &str = "EFA4902A7F61D03E42BF3222B0A246BF";

/// Removes comments and whitespace-only text between elements, as the golden tests compare.
fn canonical(xml: &str) -> String {
    let mut without_comments = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find("<!--") {
        without_comments.push_str(&rest[..start]);
        let end = rest[start..].find("-->").expect("closed comment") + start + 3;
        rest = &rest[end..];
    }
    without_comments.push_str(rest);

    let mut out = String::with_capacity(without_comments.len());
    let mut pending = String::new();
    let mut after_tag = false;
    for c in without_comments.chars() {
        if after_tag && c.is_whitespace() {
            pending.push(c);
            continue;
        }
        if c != '<' {
            out.push_str(&pending);
        }
        pending.clear();
        out.push(c);
        after_tag = c == '>';
    }
    out.trim().to_owned()
}

/// Records every node and level end, to assert exact node sequences.
#[derive(Debug, Default, PartialEq)]
struct Trace(Vec<String>);

impl DecodePayload for Trace {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut steps = Vec::new();
        let mut depth = 0;
        loop {
            match reader.next()? {
                Some(Node::Property { name, value }) => steps.push(format!("{name}={value}")),
                Some(Node::Container { name }) => {
                    steps.push(format!("[{}", name.as_deref().unwrap_or("")));
                    depth += 1;
                }
                None if depth == 0 => return Ok(Trace(steps)),
                None => {
                    steps.push("]".to_owned());
                    depth -= 1;
                }
            }
        }
    }
}

fn decode<T: DecodePayload>(xml: &str) -> Result<Decoded<T>, DecodeError> {
    decode_response(xml.as_bytes(), &akixi_client::akixi::BINDING)
}

fn trace(xml: &str) -> Vec<String> {
    decode::<Trace>(xml)
        .expect("decodes")
        .data
        .expect("has data")
        .0
}

fn decode_err(xml: &str) -> DecodeError {
    decode::<Trace>(xml).expect_err("must fail")
}

fn assert_message(err: &DecodeError, parts: &[&str]) {
    let message = err.to_string();
    for part in parts {
        assert!(message.contains(part), "message {message:?} lacks {part:?}");
    }
}

fn error(code: u32, message: &str) -> WireError {
    WireError {
        code: Some(code),
        message: Some(message.to_owned()),
    }
}

/// A list entry as generated code would decode it.
#[derive(Debug, Default, PartialEq)]
struct Entry {
    username: Option<String>,
    extra: Extra,
}

impl DecodePayload for Entry {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut entry = Entry::default();
        while let Some(node) = reader.next()? {
            match node {
                Node::Property { name, value } if name == "Username" => {
                    entry.username = Some(reader.parse(&name, &value)?);
                }
                Node::Property { name, value } => entry.extra.push_property(name, value),
                Node::Container { name } => {
                    let items = reader.read_extra()?;
                    entry.extra.push_container(name.map(Cow::into_owned), items);
                }
            }
        }
        Ok(entry)
    }
}

/// A generated-style decoder with typed fields.
#[derive(Debug, Default)]
struct Typed {
    tel_sys_id: Option<u32>,
}

impl DecodePayload for Typed {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut typed = Typed::default();
        while let Some(node) = reader.next()? {
            match node {
                Node::Property { name, value } if name == "TelSysID" => {
                    typed.tel_sys_id = Some(reader.parse(&name, &value)?);
                }
                Node::Property { .. } => {}
                Node::Container { .. } => {
                    let inner: Typed = reader.decode_container()?;
                    typed.tel_sys_id = typed.tel_sys_id.or(inner.tel_sys_id);
                }
            }
        }
        if typed.tel_sys_id.is_none() {
            return Err(reader.missing_property("TelSysID"));
        }
        Ok(typed)
    }
}

fn round_trip_property(name: &str, value: &str) -> (String, String) {
    let mut w = RequestWriter::new("Op");
    w.begin_container(name).property(name, value);
    let xml = w.finish();
    let request = decode_request::<Extra>(xml.as_bytes()).expect("own output decodes");
    let payload = request.payload.expect("payload");
    let container = payload.container(name).expect("container by name");
    match container.items() {
        [akixi_client::akixi_ws::ExtraItem::Property { name, value }] => {
            (name.clone(), value.clone())
        }
        other => panic!("unexpected items {other:?}"),
    }
}

mod failures;
mod malformed;
mod properties;
mod reader;
mod variations;
mod writer;
