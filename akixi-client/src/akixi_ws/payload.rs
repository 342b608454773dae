//! What the `akixi-ws` shapes implement and the codec calls: writing a shape's properties and
//! containers to a sink ([`EncodePayload`], [`PayloadSink`]), the [`Operation`] trait of every
//! request, the password encoder, and whole requests (encode, and decode for servers).

use std::fmt;

use super::error::DecodeError;
use super::extra::{Extra, ExtraItem};
use super::read::{DecodePayload, DecodedRequest, List, decode_request};
use super::write::RequestWriter;
use crate::meta::OpKind;
use crate::secret::Password;
use crate::value::WireValue;

/// Something payload properties and containers can be written to: a request being built, or
/// a response a simulator is answering with.
pub trait PayloadSink {
    /// Writes `<Property Name="name">value</Property>`; `value` is escaped by the sink.
    fn property(&mut self, name: &str, value: &str);
    /// Writes a property from a [`WireValue`].
    fn property_value<T: WireValue>(&mut self, name: &str, value: &T);
    /// Opens a container; `None` for an unnamed list entry.
    fn begin_container(&mut self, name: Option<&str>);
    /// Closes the innermost container.
    fn end_container(&mut self);
}

impl PayloadSink for RequestWriter {
    fn property(&mut self, name: &str, value: &str) {
        RequestWriter::property(self, name, value);
    }
    fn property_value<T: WireValue>(&mut self, name: &str, value: &T) {
        RequestWriter::property_value(self, name, value);
    }
    fn begin_container(&mut self, name: Option<&str>) {
        match name {
            Some(n) => RequestWriter::begin_container(self, n),
            None => RequestWriter::begin_unnamed_container(self),
        };
    }
    fn end_container(&mut self) {
        RequestWriter::end_container(self);
    }
}

/// Protects a password for the wire (the documentation: "AES-128 encrypted and Base-64
/// encoded", keyed from the session's Nonce).
pub trait PasswordEncoder {
    /// The wire form of `password`.
    fn encode_password(&self, password: &Password) -> Result<String, EncodeError>;
}

/// How a service protects passwords on the wire, as its spec states it (`binding` rows
/// `password-cipher`, `password-key`, `password-iv`, `password-padding`, `password-encoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordScheme {
    /// The cipher (`aes-128-cbc`).
    pub cipher: &'static str,
    /// Where the key comes from (`nonce-hex`: the session's Nonce, hex-decoded).
    pub key: &'static str,
    /// The initialisation vector (`zero`).
    pub iv: &'static str,
    /// The padding (`pkcs7`).
    pub padding: &'static str,
    /// The text encoding of the result (`base64`).
    pub encoding: &'static str,
}

/// Sends passwords as they are. Only for tests and for documents that already hold the
/// protected form (a `Password` decoded from the wire).
#[derive(Debug, Clone, Copy, Default)]
pub struct PasswordsAsIs;

impl PasswordEncoder for PasswordsAsIs {
    fn encode_password(&self, password: &Password) -> Result<String, EncodeError> {
        Ok(password.expose().to_string())
    }
}

/// A request or response could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The password could not be protected.
    #[error("cannot protect the password: {0}")]
    Password(String),
}

/// A shape that writes itself as payload properties and containers.
pub trait EncodePayload {
    /// Writes the shape's properties and containers to `out`.
    fn encode_payload<S: PayloadSink>(
        &self,
        out: &mut S,
        passwords: &dyn PasswordEncoder,
    ) -> Result<(), EncodeError>;
}

impl<T: EncodePayload> EncodePayload for List<T> {
    fn encode_payload<S: PayloadSink>(
        &self,
        out: &mut S,
        passwords: &dyn PasswordEncoder,
    ) -> Result<(), EncodeError> {
        for entry in &self.entries {
            out.begin_container(None);
            entry.encode_payload(out, passwords)?;
            out.end_container();
        }
        write_extra(&self.extra, out);
        Ok(())
    }
}

impl EncodePayload for () {
    fn encode_payload<S: PayloadSink>(
        &self,
        _: &mut S,
        _: &dyn PasswordEncoder,
    ) -> Result<(), EncodeError> {
        Ok(())
    }
}

/// Writes what a shape kept in its `extra` back out, unchanged.
pub fn write_extra<S: PayloadSink>(extra: &Extra, out: &mut S) {
    for item in extra {
        match item {
            ExtraItem::Property { name, value } => out.property(name, value),
            ExtraItem::Container { name, items } => {
                out.begin_container(name.as_deref());
                write_extra(items, out);
                out.end_container();
            }
        }
    }
}

/// An operation of the `akixi-ws` protocol: its request type implements this.
pub trait Operation: EncodePayload + DecodePayload {
    /// Wire name (`UserAdd`).
    const NAME: &'static str;
    /// Family (`User`).
    const FAMILY: &'static str;
    /// What it does.
    const KIND: OpKind;
    /// Whether it pages with `Offset`/`Limit`.
    const PAGED: bool;
    /// Its documented error codes.
    const ERROR_CODES: &'static [u32];
    /// What a successful response carries.
    type Response: DecodePayload + EncodePayload + fmt::Debug + Default;
    /// `Offset` and `Limit` to send, for paged operations.
    fn paging(&self) -> (Option<u64>, Option<u64>) {
        (None, None)
    }
    /// Sets `Offset` and `Limit` (ignored by operations that do not page).
    fn set_paging(&mut self, _offset: Option<u64>, _limit: Option<u64>) {}
}

/// Writes a whole `<Request>` for `op`.
pub fn encode_request<O: Operation>(
    op: &O,
    invoke_id: &str,
    session_id: Option<&str>,
    passwords: &dyn PasswordEncoder,
) -> Result<String, EncodeError> {
    let mut w = RequestWriter::with_capacity(O::NAME, 1024);
    w.invoke_id(invoke_id);
    if let Some(s) = session_id {
        w.session_id(s);
    }
    let (offset, limit) = op.paging();
    if let Some(o) = offset {
        w.offset(o);
    }
    if let Some(l) = limit {
        w.limit(l);
    }
    w.begin_payload();
    op.encode_payload(&mut w, passwords)?;
    w.end_payload();
    Ok(w.finish())
}

/// Reads a whole `<Request>` for operation `O`, with the envelope's `Offset`/`Limit` applied to
/// the request (a simulator's or a test's view of what a client sent).
pub fn decode_operation<O: Operation>(xml: &[u8]) -> Result<DecodedRequest<O>, DecodeError> {
    let mut decoded = decode_request::<O>(xml)?;
    if let Some(p) = decoded.payload.as_mut() {
        p.set_paging(decoded.offset, decoded.limit);
    }
    Ok(decoded)
}
