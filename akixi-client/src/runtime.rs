//! What generated code calls: the wire codec, the traits every generated shape implements,
//! and the small value types they share. Users rarely need this module directly.

use std::fmt;

pub use crate::akixi_ws::{
    Binding, DecodeError, DecodePayload, Decoded, Extra, ExtraItem, List, Node, PayloadReader,
    RequestWriter, ValueError, WireValue,
};
pub use crate::secret::{Password, Secret};

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

/// What an operation does (from the spec's `Kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// Creates an entity.
    Add,
    /// Changes an entity identified by its key.
    Change,
    /// Deletes an entity.
    Delete,
    /// Reads one entity.
    Info,
    /// Lists entities, page by page.
    List,
    /// Starts an API session.
    CreateSession,
    /// Authenticates an API session.
    Authenticate,
    /// Ends an API session.
    CloseSession,
    /// A state-changing request of an element-based protocol.
    Request,
    /// A query of an element-based protocol.
    Query,
}

impl OpKind {
    /// Whether sending the operation twice has the effect of sending it once, so that it is
    /// safe to retry after the server may have acted.
    pub const fn is_idempotent(self) -> bool {
        matches!(self, OpKind::Info | OpKind::List | OpKind::Query)
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

/// How a client should react to an error code (from the spec's `Handling` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorHandling {
    /// The documented resolution is to try again later.
    RetryLater,
    /// The API session is gone: start a new one.
    RenewSession,
}

/// An enumeration value the spec does not know, kept exactly as received.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(pub(crate) String);

impl UnknownValue {
    /// Keep `raw` as an unknown value. Generated code calls this; prefer the enum's `From<&str>`.
    #[doc(hidden)]
    pub fn new(raw: &str) -> Self {
        UnknownValue(raw.to_string())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A strict parse met a value the spec does not list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a known {type_name}; known values: {}", known.join(", "))]
pub struct UnknownValueError {
    /// The type (`ReportingAccess`).
    pub type_name: &'static str,
    /// The value given.
    pub value: String,
    /// The values the spec lists.
    pub known: &'static [&'static str],
}

/// A property could not be set by name (see the generated `set_wire` methods).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    /// The operation takes no property of that name.
    #[error("{operation} takes no property `{property}`")]
    UnknownProperty {
        /// The operation.
        operation: &'static str,
        /// `Container.Name` or `Name`.
        property: String,
    },
    /// The text is not a value of the property's type.
    #[error("bad value for `{property}`: {error}")]
    BadValue {
        /// `Container.Name` or `Name`.
        property: String,
        /// Why.
        error: ValueError,
    },
    /// A required property is missing.
    #[error("`{property}` is required")]
    Missing {
        /// The property.
        property: String,
    },
    /// The property identifies the entity and is set when the request is made.
    #[error("`{property}` is set when the request is created")]
    Key {
        /// The property.
        property: String,
    },
}

/// Parses a Boolean in the spellings the spec lists (`spellings`: text and meaning).
pub fn parse_boolean(raw: &str, spellings: &[(&str, bool)]) -> Result<bool, ValueError> {
    let t = raw.trim();
    spellings
        .iter()
        .find(|(s, _)| *s == t)
        .map(|(_, v)| *v)
        .ok_or_else(|| ValueError::new(boolean_expected(spellings), raw))
}

fn boolean_expected(spellings: &[(&str, bool)]) -> String {
    let words: Vec<&str> = spellings.iter().map(|(s, _)| *s).collect();
    format!("a Boolean ({})", words.join(", "))
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

/// How a property's values are typed (runtime view of the spec's type kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Text.
    String,
    /// A whole number in `min..=max`.
    Integer {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// A Boolean.
    Boolean,
    /// One of a set of values (unknown values are kept).
    Enum,
    /// A comma-separated list.
    List,
    /// Keywords, or else a value.
    Selector,
    /// A secret.
    Secret,
}

/// How an operation takes a property (runtime view of the spec's `usage` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputUse {
    /// Must be given.
    Required,
    /// May be given.
    Optional,
    /// Identifies the entity; given when the request is created.
    Key,
}

/// A property, as the spec describes it; generated as static data for tools (the CLI, the
/// simulator) that work from the spec at run time.
#[derive(Debug, Clone, Copy)]
pub struct PropertyInfo {
    /// Wire name.
    pub name: &'static str,
    /// Container, if any.
    pub container: Option<&'static str>,
    /// Value type name in the spec.
    pub type_name: &'static str,
    /// Value kind.
    pub kind: ValueKind,
    /// Known values (enumerations, selector keywords, list elements).
    pub values: &'static [&'static str],
    /// Other accepted spellings of the name.
    pub aliases: &'static [&'static str],
    /// Description.
    pub description: &'static str,
    /// Support per platform, in the service's platform order.
    pub support: &'static [bool],
}

/// How one operation uses one property.
#[derive(Debug, Clone, Copy)]
pub struct FieldInfo {
    /// The property.
    pub property: &'static PropertyInfo,
    /// How the request takes it, if it does.
    pub input: Option<InputUse>,
    /// Whether the response returns it (`Some(true)`: without being asked).
    pub returned: Option<bool>,
}

/// An operation, as the spec describes it.
#[derive(Debug, Clone, Copy)]
pub struct OperationInfo {
    /// Wire name.
    pub name: &'static str,
    /// Family.
    pub family: &'static str,
    /// What it does.
    pub kind: OpKind,
    /// Description.
    pub description: &'static str,
    /// Whether it pages.
    pub paged: bool,
    /// Documented error codes.
    pub error_codes: &'static [u32],
    /// The properties it takes or returns.
    pub fields: &'static [FieldInfo],
}

/// Reads a whole `<Request>` for operation `O`, with the envelope's `Offset`/`Limit` applied to
/// the request (a simulator's or a test's view of what a client sent).
pub fn decode_operation<O: Operation>(
    xml: &[u8],
) -> Result<crate::akixi_ws::DecodedRequest<O>, DecodeError> {
    let mut decoded = crate::akixi_ws::decode_request::<O>(xml)?;
    if let Some(p) = decoded.payload.as_mut() {
        p.set_paging(decoded.offset, decoded.limit);
    }
    Ok(decoded)
}

/// Something that sends typed operations: the client, or anything standing in for it. Tools
/// that work by operation name (the command line, bulk import) call through this.
pub trait Caller: Sync {
    /// What a failed call says.
    type Error: Send;
    /// Sends `op` and returns its response data.
    fn call<O>(
        &self,
        op: O,
    ) -> impl std::future::Future<Output = Result<O::Response, Self::Error>> + Send
    where
        O: Operation + crate::client::Validate + Send + Sync + 'static,
        O::Response: Send + Sync + 'static;
}

impl Caller for crate::Client {
    type Error = crate::Error;
    fn call<O>(
        &self,
        op: O,
    ) -> impl std::future::Future<Output = Result<O::Response, Self::Error>> + Send
    where
        O: Operation + crate::client::Validate + Send + Sync + 'static,
        O::Response: Send + Sync + 'static,
    {
        crate::Client::call(self, op)
    }
}

/// One record of a response, as `(path, wire text)` pairs in document order (`Scope.TelSysID`
/// for a property of a container; `Container[2].Name` when a container repeats).
pub type Record = Vec<(String, String)>;

/// Why a call by name did not happen, or failed.
#[derive(Debug, thiserror::Error)]
pub enum DynError<E> {
    /// No operation has that name.
    #[error("no operation `{0}`")]
    UnknownOperation(String),
    /// The fields do not make a valid request (every problem).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Fields(Vec<SetError>),
    /// The request sets properties the platform does not support.
    #[error("{0}")]
    Unsupported(String),
    /// The call failed.
    #[error(transparent)]
    Call(E),
}

/// The records of a response: one per list entry for lists, else one.
pub fn records<T: EncodePayload>(data: &T) -> Vec<Record> {
    let mut sink = RecordSink::default();
    // Writing to a RecordSink cannot fail on passwords: responses carry none, and a request's
    // protected form is shown as it is.
    let _ = data.encode_payload(&mut sink, &PasswordsAsIs);
    sink.finish()
}

#[derive(Default)]
struct RecordSink {
    records: Vec<Record>,
    current: Record,
    /// Open containers: `None` for a list entry, else the container's name.
    stack: Vec<Option<String>>,
}

impl RecordSink {
    fn path(&self, name: &str) -> String {
        let mut p: Vec<&str> = self.stack.iter().filter_map(|c| c.as_deref()).collect();
        p.push(name);
        p.join(".")
    }

    fn finish(mut self) -> Vec<Record> {
        if !self.current.is_empty() || self.records.is_empty() {
            self.records.push(std::mem::take(&mut self.current));
        }
        self.records
    }
}

impl PayloadSink for RecordSink {
    fn property(&mut self, name: &str, value: &str) {
        let path = self.path(name);
        self.current.push((path, value.to_string()));
    }
    fn property_value<T: WireValue>(&mut self, name: &str, value: &T) {
        let text = value.to_wire().into_owned();
        self.property(name, &text);
    }
    fn begin_container(&mut self, name: Option<&str>) {
        if name.is_none() && self.stack.is_empty() && !self.current.is_empty() {
            self.records.push(std::mem::take(&mut self.current));
        }
        self.stack.push(name.map(str::to_string));
    }
    fn end_container(&mut self) {
        if let Some(None) = self.stack.pop()
            && self.stack.is_empty()
        {
            self.records.push(std::mem::take(&mut self.current));
        }
    }
}

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
                    let is_secret = name.as_ref() == "SessionID"
                        || (name.as_ref() == "Property"
                            && e.attributes().flatten().any(|a| {
                                a.key.as_ref() == "Name"
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
