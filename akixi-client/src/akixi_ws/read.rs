//! Single-pass reader for `<Response>` (and `<Request>`) documents.
//!
//! The envelope (`InvokeID`, `Result`, the failure element) is read here; the payload is
//! handed to a [`DecodePayload`] implementation through a [`PayloadReader`], which yields
//! one [`Node`] at a time and borrows from the input wherever the text has no escapes.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use quick_xml::Reader;
use quick_xml::events::attributes::Attributes;
use quick_xml::events::{BytesStart, Event};

use super::error::{DecodeError, DecodeErrorKind};
use super::extra::Extra;
use super::value::{ValueError, WireValue, trim_xml};
use super::{Binding, ResultKind};

/// How deeply containers may nest in a payload. Deeper input is rejected rather than risking
/// the stack in code that walks the result recursively.
pub const MAX_DEPTH: usize = 64;

/// A decoded `<Response>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<T> {
    /// The `Result` attribute.
    pub result: ResultKind,
    /// The echoed `<InvokeID>`, trimmed; `None` if the response has none.
    pub invoke_id: Option<String>,
    /// The payload of the success element, if the response has one (even when `result` is
    /// `Fail` or `PartialFail`).
    pub data: Option<T>,
    /// The errors of the failure element, in document order.
    pub errors: Vec<WireError>,
}

/// One error reported in the failure element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WireError {
    /// The numeric error code; `None` when the server sent a message without a code.
    pub code: Option<u32>,
    /// The error's description, trimmed.
    pub message: Option<String>,
}

/// A decoded `<Request>`, as a simulator or a test sees it.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodedRequest<T> {
    /// The `Operation` attribute.
    pub operation: String,
    /// `<InvokeID>`, trimmed.
    pub invoke_id: Option<String>,
    /// `<SessionID>`, trimmed. Left out of `Debug` output.
    pub session_id: Option<String>,
    /// `<Offset>`.
    pub offset: Option<u64>,
    /// `<Limit>`.
    pub limit: Option<u64>,
    /// The decoded `<OperationPayload>`, if present.
    pub payload: Option<T>,
}

impl<T: fmt::Debug> fmt::Debug for DecodedRequest<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodedRequest")
            .field("operation", &self.operation)
            .field("invoke_id", &self.invoke_id)
            .field(
                "session_id",
                &self.session_id.as_ref().map(|_| "<redacted>"),
            )
            .field("offset", &self.offset)
            .field("limit", &self.limit)
            .field("payload", &self.payload)
            .finish()
    }
}

/// A payload type: decodes itself from the level a [`PayloadReader`] is positioned in.
///
/// `decode` is called with the reader inside `<Success>` (or inside a container, through
/// [`PayloadReader::decode_container`]); it calls [`PayloadReader::next`] until `None`.
/// Stopping early is allowed: the caller skips what is left of the level.
///
/// The shape generated code follows:
///
/// ```
/// use akixi_client::akixi_ws::{
///     Binding, DecodeError, DecodePayload, Extra, Node, PayloadReader, decode_response,
/// };
///
/// #[derive(Default)]
/// struct Scope {
///     tel_sys_id: Option<u32>,
///     extra: Extra,
/// }
///
/// impl DecodePayload for Scope {
///     fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
///         let mut scope = Scope::default();
///         while let Some(node) = reader.next()? {
///             match node {
///                 Node::Property { name, value } => match &*name {
///                     "TelSysID" => scope.tel_sys_id = Some(reader.parse(&name, &value)?),
///                     _ => scope.extra.push_property(name, value),
///                 },
///                 Node::Container { name } => {
///                     let items = reader.read_extra()?;
///                     scope.extra.push_container(name.map(|n| n.into_owned()), items);
///                 }
///             }
///         }
///         Ok(scope)
///     }
/// }
///
/// let xml = br#"<Response Result="Success"><InvokeID>7</InvokeID><Success>
///     <Property Name="TelSysID">100100</Property><Property Name="New">x</Property>
/// </Success></Response>"#;
/// let decoded = decode_response::<Scope>(xml, &Binding::DOCUMENTED_GUESS)?;
/// let scope = decoded.data.unwrap();
/// assert_eq!(scope.tel_sys_id, Some(100100));
/// assert_eq!(scope.extra.property("New"), Some("x"));
/// # Ok::<(), DecodeError>(())
/// ```
pub trait DecodePayload: Sized {
    /// Reads the current level.
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError>;
}

/// One item at the current level of a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node<'a> {
    /// `<Property Name="name">value</Property>`; `value` is unescaped but not trimmed.
    Property {
        /// The `Name` attribute.
        name: Cow<'a, str>,
        /// The text content, exactly as sent (after unescaping and XML line-end handling).
        value: Cow<'a, str>,
    },
    /// `<Container>`, named or not. The reader has entered it: read its children with
    /// [`PayloadReader::next`] until `None`, or leave it with [`PayloadReader::skip`],
    /// [`PayloadReader::read_extra`] or [`PayloadReader::decode_container`].
    Container {
        /// The `Name` attribute; list entries have none.
        name: Option<Cow<'a, str>>,
    },
}

/// A list payload: one entry per unnamed `<Container>`, plus anything else the level held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List<T> {
    /// The entries, in document order.
    pub entries: Vec<T>,
    /// Properties and named containers found beside the entries.
    pub extra: Extra,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            extra: Extra::new(),
        }
    }
}

impl<T: DecodePayload> DecodePayload for List<T> {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut list = List::default();
        while let Some(node) = reader.next()? {
            match node {
                Node::Container { name: None } => list.entries.push(reader.decode_container()?),
                Node::Container { name: Some(name) } => {
                    let items = reader.read_extra()?;
                    list.extra.push_container(Some(name.into_owned()), items);
                }
                Node::Property { name, value } => list.extra.push_property(name, value),
            }
        }
        Ok(list)
    }
}

/// Decodes each unnamed `<Container>` as an entry; anything else at the level is dropped
/// (use [`List`] to keep it).
impl<T: DecodePayload> DecodePayload for Vec<T> {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        let mut entries = Vec::new();
        while let Some(node) = reader.next()? {
            match node {
                Node::Container { name: None } => entries.push(reader.decode_container()?),
                Node::Container { name: Some(_) } => reader.skip()?,
                Node::Property { .. } => {}
            }
        }
        Ok(entries)
    }
}

/// Keeps the whole payload.
impl DecodePayload for Extra {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        reader.read_extra()
    }
}

/// Ignores the payload (operations that return no data).
impl DecodePayload for () {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        reader.skip()
    }
}

/// Decodes a `<Response>` in one pass.
///
/// The payload of the success element (named by `binding`) is decoded with `T`; errors are
/// collected from the failure element in any of the tolerated shapes (see [`Binding`]).
/// Elements of the envelope that are not known are skipped; comments, processing
/// instructions and an XML declaration are ignored anywhere.
pub fn decode_response<T: DecodePayload>(
    xml: &[u8],
    binding: &Binding,
) -> Result<Decoded<T>, DecodeError> {
    const ROOT: &str = "Response";
    let mut cursor = Cursor::new(xml)?;
    let (root, self_closing) = open_root(&mut cursor, ROOT)?;
    let root_path = || format!("/{ROOT}");
    let root_offset = cursor.event_start;
    let result = match root.attribute("Result", root_offset) {
        Ok(Some(raw)) => ResultKind::from_wire(&raw).ok_or_else(|| Fault {
            kind: DecodeErrorKind::UnknownResult {
                found: raw.into_owned(),
            },
            offset: root_offset,
        }),
        Ok(None) => Err(Fault {
            kind: DecodeErrorKind::MissingAttribute {
                element: ROOT,
                attribute: "Result",
                expected: "Success, Fail or PartialFail",
            },
            offset: root_offset,
        }),
        Err(fault) => Err(fault),
    }
    .map_err(|fault| cursor.error(fault, root_path()))?;

    let mut decoded = Decoded {
        result,
        invoke_id: None,
        data: None,
        errors: Vec::new(),
    };
    if !self_closing {
        while let Some((tag, empty)) = next_envelope_child(&mut cursor, ROOT)? {
            let name = tag.name();
            let child_path = || format!("/{ROOT}/{name}");
            if name == "InvokeID" {
                let seen = decoded.invoke_id.is_some();
                let id = read_envelope_text(&mut cursor, ROOT, &tag, empty, seen)?;
                decoded.invoke_id = Some(id);
            } else if name == binding.success {
                if decoded.data.is_some() {
                    return Err(cursor.error_here(
                        DecodeErrorKind::Duplicate {
                            element: name.to_owned(),
                        },
                        child_path(),
                    ));
                }
                let mut reader = PayloadReader::start(cursor, ROOT, binding.success, empty);
                let data = T::decode(&mut reader)?;
                cursor = reader.finish()?;
                decoded.data = Some(data);
            } else if name == binding.fail {
                if !empty {
                    read_fail(&mut cursor, binding, &mut decoded.errors)?;
                }
            } else if !empty {
                skip_element(&mut cursor).map_err(|fault| cursor.error(fault, child_path()))?;
            }
        }
    }
    expect_document_end(&mut cursor, ROOT)?;
    Ok(decoded)
}

/// Decodes a `<Request>` in one pass (for simulators and round-trip tests).
pub fn decode_request<T: DecodePayload>(xml: &[u8]) -> Result<DecodedRequest<T>, DecodeError> {
    const ROOT: &str = "Request";
    const PAYLOAD: &str = "OperationPayload";
    let mut cursor = Cursor::new(xml)?;
    let (root, self_closing) = open_root(&mut cursor, ROOT)?;
    let root_offset = cursor.event_start;
    let operation = match root.attribute("Operation", root_offset) {
        Ok(Some(operation)) => Ok(operation.into_owned()),
        Ok(None) => Err(Fault {
            kind: DecodeErrorKind::MissingAttribute {
                element: ROOT,
                attribute: "Operation",
                expected: "the operation name",
            },
            offset: root_offset,
        }),
        Err(fault) => Err(fault),
    }
    .map_err(|fault| cursor.error(fault, format!("/{ROOT}")))?;

    let mut request = DecodedRequest {
        operation,
        invoke_id: None,
        session_id: None,
        offset: None,
        limit: None,
        payload: None,
    };
    if !self_closing {
        while let Some((tag, empty)) = next_envelope_child(&mut cursor, ROOT)? {
            let name = tag.name();
            match name {
                "InvokeID" => {
                    let seen = request.invoke_id.is_some();
                    let id = read_envelope_text(&mut cursor, ROOT, &tag, empty, seen)?;
                    request.invoke_id = Some(id);
                }
                "SessionID" => {
                    let seen = request.session_id.is_some();
                    let id = read_envelope_text(&mut cursor, ROOT, &tag, empty, seen)?;
                    request.session_id = Some(id);
                }
                "Offset" | "Limit" => {
                    let slot = if name == "Offset" {
                        &mut request.offset
                    } else {
                        &mut request.limit
                    };
                    let start = cursor.event_start;
                    let text = read_envelope_text(&mut cursor, ROOT, &tag, empty, slot.is_some())?;
                    let number = u64::from_wire(&text).map_err(|error| {
                        let kind = DecodeErrorKind::InvalidValue {
                            name: name.to_owned(),
                            raw: text.clone(),
                            error,
                        };
                        let fault = Fault {
                            kind,
                            offset: start,
                        };
                        cursor.error(fault, format!("/{ROOT}/{name}"))
                    })?;
                    *slot = Some(number);
                }
                PAYLOAD => {
                    if request.payload.is_some() {
                        return Err(cursor.error_here(
                            DecodeErrorKind::Duplicate {
                                element: PAYLOAD.to_owned(),
                            },
                            format!("/{ROOT}/{PAYLOAD}"),
                        ));
                    }
                    let mut reader = PayloadReader::start(cursor, ROOT, PAYLOAD, empty);
                    let payload = T::decode(&mut reader)?;
                    cursor = reader.finish()?;
                    request.payload = Some(payload);
                }
                _ if !empty => skip_element(&mut cursor)
                    .map_err(|fault| cursor.error(fault, format!("/{ROOT}/{name}")))?,
                _ => {}
            }
        }
    }
    expect_document_end(&mut cursor, ROOT)?;
    Ok(request)
}

/// Walks one payload (`<Success>` or `<OperationPayload>`) level by level.
///
/// See [`Node`] for what the caller does after each item. Errors built here carry the path
/// of the current item, e.g. `/Response/Success/Container[2]/Property[@Name='LockOut']`.
pub struct PayloadReader<'a> {
    cursor: Cursor<'a>,
    root: &'static str,
    payload: &'static str,
    /// `frames[0]` is the payload element, then one frame per entered container.
    frames: Vec<Frame<'a>>,
    /// The level closed by the last `next()` that returned `None`, for `missing_property`.
    last_closed: Option<Frame<'a>>,
    /// Where the value of the last property starts, for `value_error`.
    last_value_start: u64,
}

struct Frame<'a> {
    /// The container's `Name`; `None` for unnamed containers and the payload element.
    name: Option<Cow<'a, str>>,
    /// 1-based position among the parent's `<Container>` children (0 for the payload).
    ordinal: u32,
    containers: u32,
    properties: u32,
    /// `<Container/>`: nothing to read, the end is implied.
    self_closing: bool,
}

/// The last path segment of an error inside a payload.
enum Tail<'t> {
    /// The level itself.
    Level,
    /// A property, by name or (without a name) by position.
    Property(Option<&'t str>, u32),
    /// An element that does not belong here.
    Element(&'t str),
}

impl<'a> PayloadReader<'a> {
    fn start(
        cursor: Cursor<'a>,
        root: &'static str,
        payload: &'static str,
        self_closing: bool,
    ) -> Self {
        let mut frames = Vec::with_capacity(8);
        frames.push(Frame {
            name: None,
            ordinal: 0,
            containers: 0,
            properties: 0,
            self_closing,
        });
        Self {
            cursor,
            root,
            payload,
            frames,
            last_closed: None,
            last_value_start: 0,
        }
    }

    /// The next property or container at the current level, or `None` at its end (the end
    /// of the payload element or of the container last entered).
    #[allow(clippy::should_implement_trait)] // fallible and lending: not an Iterator
    pub fn next(&mut self) -> Result<Option<Node<'a>>, DecodeError> {
        let Some(top) = self.frames.last() else {
            return Ok(None);
        };
        if top.self_closing {
            self.close_level();
            return Ok(None);
        }
        loop {
            let event = self
                .cursor
                .next_event()
                .map_err(|fault| self.fail(fault, Tail::Level))?;
            match event {
                Event::Start(start) => return self.enter(&start, false).map(Some),
                Event::Empty(start) => return self.enter(&start, true).map(Some),
                // The parser checks that end tags match, so this closes the current level.
                Event::End(_) => {
                    self.close_level();
                    return Ok(None);
                }
                Event::Text(text) if is_xml_whitespace(&text) => {}
                Event::CData(cdata) if is_xml_whitespace(&cdata) => {}
                Event::Eof => {
                    let expected = self.closing_tag();
                    return Err(self.fail_here(DecodeErrorKind::Truncated { expected }));
                }
                other => {
                    return Err(self.fail_here(DecodeErrorKind::Unexpected {
                        expected: "a <Property> or <Container> element",
                        found: describe(&other),
                    }));
                }
            }
        }
    }

    /// Skips the rest of the current level and leaves it (after a [`Node::Container`]: the
    /// whole container).
    pub fn skip(&mut self) -> Result<(), DecodeError> {
        let Some(top) = self.frames.last() else {
            return Ok(());
        };
        if !top.self_closing {
            skip_element(&mut self.cursor).map_err(|fault| self.fail(fault, Tail::Level))?;
        }
        self.close_level();
        Ok(())
    }

    /// Collects the rest of the current level into an [`Extra`] and leaves it (after a
    /// [`Node::Container`]: the whole container).
    pub fn read_extra(&mut self) -> Result<Extra, DecodeError> {
        // Iterative, one pending parent per open container.
        let mut parents: Vec<(Option<String>, Extra)> = Vec::new();
        let mut current = Extra::new();
        loop {
            match self.next()? {
                Some(Node::Property { name, value }) => current.push_property(name, value),
                Some(Node::Container { name }) => {
                    parents.push((name.map(Cow::into_owned), std::mem::take(&mut current)));
                }
                None => match parents.pop() {
                    Some((name, parent)) => {
                        let child = std::mem::replace(&mut current, parent);
                        current.push_container(name, child);
                    }
                    None => return Ok(current),
                },
            }
        }
    }

    /// Decodes the container just entered with `T` and leaves it, skipping whatever `T`
    /// did not read.
    pub fn decode_container<T: DecodePayload>(&mut self) -> Result<T, DecodeError> {
        let level = self.frames.len();
        let value = T::decode(self)?;
        while level > 0 && self.frames.len() >= level {
            self.skip()?;
        }
        Ok(value)
    }

    /// Parses a property value with [`WireValue::from_wire`], reporting failures with
    /// [`value_error`](Self::value_error).
    pub fn parse<T: WireValue>(&self, name: &str, raw: &str) -> Result<T, DecodeError> {
        T::from_wire(raw).map_err(|error| self.value_error(name, raw, error))
    }

    /// The error for a value of the property just read (`name`, text `raw`) that failed to
    /// parse, located at that property.
    pub fn value_error(&self, name: &str, raw: &str, error: ValueError) -> DecodeError {
        let fault = Fault {
            kind: DecodeErrorKind::InvalidValue {
                name: format!("property \"{name}\""),
                raw: raw.to_owned(),
                error,
            },
            offset: self.last_value_start,
        };
        self.fail(fault, Tail::Property(Some(name), 0))
    }

    /// The error for a required property that a level did not contain. Call it right after
    /// [`next`](Self::next) returned `None` for that level.
    pub fn missing_property(&self, name: &str) -> DecodeError {
        let fault = self.fault_here(DecodeErrorKind::MissingProperty {
            name: name.to_owned(),
        });
        let mut path = self.path(Tail::Level);
        if let Some(closed) = &self.last_closed {
            push_container_segment(&mut path, closed);
        }
        self.cursor.error(fault, path)
    }

    /// An error of any kind at the current position and level.
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        self.fail_here(kind)
    }

    /// How many levels are open: 1 inside the payload element, 2 inside a container, …;
    /// 0 once the payload element has ended.
    pub fn depth(&self) -> usize {
        self.frames.len()
    }

    /// Leaves any open levels and returns the cursor to the envelope reader.
    fn finish(mut self) -> Result<Cursor<'a>, DecodeError> {
        while !self.frames.is_empty() {
            self.skip()?;
        }
        Ok(self.cursor)
    }

    fn enter(
        &mut self,
        start: &BytesStart<'_>,
        self_closing: bool,
    ) -> Result<Node<'a>, DecodeError> {
        let offset = self.cursor.event_start;
        let tag = self.cursor.tag(start);
        match tag.name() {
            "Property" => {
                let ordinal = self.frames.last_mut().map_or(0, |parent| {
                    parent.properties += 1;
                    parent.properties
                });
                let name = match tag.attribute("Name", offset) {
                    Ok(Some(name)) => name,
                    Ok(None) => {
                        let fault = Fault {
                            kind: DecodeErrorKind::MissingAttribute {
                                element: "Property",
                                attribute: "Name",
                                expected: "the property's name",
                            },
                            offset,
                        };
                        return Err(self.fail(fault, Tail::Property(None, ordinal)));
                    }
                    Err(fault) => return Err(self.fail(fault, Tail::Property(None, ordinal))),
                };
                self.last_value_start = self.cursor.xml.buffer_position();
                let value = if self_closing {
                    Cow::Borrowed("")
                } else {
                    read_text(&mut self.cursor, "Property")
                        .map_err(|fault| self.fail(fault, Tail::Property(Some(&name), ordinal)))?
                };
                Ok(Node::Property { name, value })
            }
            "Container" => {
                if self.frames.len() > MAX_DEPTH {
                    return Err(self.fail_here(DecodeErrorKind::TooDeep { limit: MAX_DEPTH }));
                }
                let name = tag
                    .attribute("Name", offset)
                    .map_err(|fault| self.fail(fault, Tail::Element("Container")))?;
                let ordinal = self.frames.last_mut().map_or(0, |parent| {
                    parent.containers += 1;
                    parent.containers
                });
                self.frames.push(Frame {
                    name: name.clone(),
                    ordinal,
                    containers: 0,
                    properties: 0,
                    self_closing,
                });
                Ok(Node::Container { name })
            }
            other => Err(self.fail(
                self.fault_here(DecodeErrorKind::Unexpected {
                    expected: "a <Property> or <Container> element",
                    found: format!("<{other}>"),
                }),
                Tail::Element(other),
            )),
        }
    }

    fn close_level(&mut self) {
        self.last_closed = self.frames.pop();
    }

    fn closing_tag(&self) -> String {
        if self.frames.len() > 1 {
            "</Container>".to_owned()
        } else {
            format!("</{}>", self.payload)
        }
    }

    fn path(&self, tail: Tail<'_>) -> String {
        let mut path = String::with_capacity(64);
        path.push('/');
        path.push_str(self.root);
        path.push('/');
        path.push_str(self.payload);
        for frame in self.frames.iter().skip(1) {
            push_container_segment(&mut path, frame);
        }
        match tail {
            Tail::Level => {}
            Tail::Property(Some(name), _) => {
                let _ = write!(path, "/Property[@Name='{name}']");
            }
            Tail::Property(None, ordinal) => {
                let _ = write!(path, "/Property[{ordinal}]");
            }
            Tail::Element(name) => {
                path.push('/');
                path.push_str(name);
            }
        }
        path
    }

    fn fault_here(&self, kind: DecodeErrorKind) -> Fault {
        Fault {
            kind,
            offset: self.cursor.event_start,
        }
    }

    fn fail_here(&self, kind: DecodeErrorKind) -> DecodeError {
        self.fail(self.fault_here(kind), Tail::Level)
    }

    fn fail(&self, fault: Fault, tail: Tail<'_>) -> DecodeError {
        self.cursor.error(fault, self.path(tail))
    }
}

fn push_container_segment(path: &mut String, frame: &Frame<'_>) {
    let _ = match &frame.name {
        Some(name) => write!(path, "/Container[@Name='{name}']"),
        None => write!(path, "/Container[{}]", frame.ordinal),
    };
}

/// Reads the failure element's errors; see [`Binding`] for the shapes tolerated.
fn read_fail(
    cursor: &mut Cursor<'_>,
    binding: &Binding,
    errors: &mut Vec<WireError>,
) -> Result<(), DecodeError> {
    /// A wrapper element around one error, such as `<Error>`.
    struct Wrapper {
        name: String,
        ordinal: u32,
    }
    enum Field {
        Code,
        Message,
    }

    let base = format!("/Response/{}", binding.fail);
    let mut wrapper: Option<Wrapper> = None;
    let mut wrappers_seen = 0;
    // The error that a following code or message may still complete.
    let mut open: Option<usize> = None;
    // Text directly inside the failure element or a wrapper is taken as a message.
    let mut loose_text = String::new();
    let level_path = |wrapper: &Option<Wrapper>| match wrapper {
        None => base.clone(),
        Some(w) => format!("{base}/{}[{}]", w.name, w.ordinal),
    };

    loop {
        let event = cursor
            .next_event()
            .map_err(|fault| cursor.error(fault, level_path(&wrapper)))?;
        let (start, self_closing) = match event {
            Event::Start(start) => (start, false),
            Event::Empty(start) => (start, true),
            Event::Text(text) => {
                loose_text.push_str(&text.xml10_content());
                continue;
            }
            Event::CData(cdata) => {
                loose_text.push_str(&cdata.xml10_content());
                continue;
            }
            Event::GeneralRef(reference) => {
                let c = resolve_reference(&reference)
                    .map_err(|kind| cursor.error_here(kind, level_path(&wrapper)))?;
                loose_text.push(c);
                continue;
            }
            Event::End(_) => {
                take_loose_text(&mut loose_text, errors, &mut open);
                if wrapper.take().is_none() {
                    return Ok(());
                }
                open = None;
                continue;
            }
            Event::Eof => {
                let expected = match &wrapper {
                    Some(w) => format!("</{}>", w.name),
                    None => format!("</{}>", binding.fail),
                };
                return Err(cursor.error_here(
                    DecodeErrorKind::Truncated { expected },
                    level_path(&wrapper),
                ));
            }
            other => {
                return Err(cursor.error_here(
                    DecodeErrorKind::Unexpected {
                        expected: "an error code or message",
                        found: describe(&other),
                    },
                    level_path(&wrapper),
                ));
            }
        };
        take_loose_text(&mut loose_text, errors, &mut open);
        let offset = cursor.event_start;
        let tag = cursor.tag(&start);
        let name = tag.name();
        let (field, segment) = if name == binding.error_code {
            (Some(Field::Code), name.to_owned())
        } else if name == binding.error_message {
            (Some(Field::Message), name.to_owned())
        } else if name == "Property" {
            let property = tag
                .attribute("Name", offset)
                .map_err(|fault| cursor.error(fault, level_path(&wrapper)))?;
            let segment = format!("Property[@Name='{}']", property.as_deref().unwrap_or(""));
            match property.as_deref() {
                Some(p) if p == binding.error_code => (Some(Field::Code), segment),
                Some(p) if p == binding.error_message => (Some(Field::Message), segment),
                _ => (None, segment),
            }
        } else {
            (None, name.to_owned())
        };
        let element_path = || format!("{}/{segment}", level_path(&wrapper));

        let Some(field) = field else {
            if wrapper.is_none() && name != "Property" && !self_closing {
                wrappers_seen += 1;
                wrapper = Some(Wrapper {
                    name: name.to_owned(),
                    ordinal: wrappers_seen,
                });
                open = None;
            } else if !self_closing {
                skip_element(cursor).map_err(|fault| cursor.error(fault, element_path()))?;
            }
            continue;
        };
        let text = if self_closing {
            Cow::Borrowed("")
        } else {
            read_text(cursor, name).map_err(|fault| cursor.error(fault, element_path()))?
        };
        let completable = open.and_then(|i| errors.get_mut(i));
        match field {
            Field::Code => {
                let code = u32::from_wire(&text).map_err(|_| {
                    let error = ValueError::new(
                        "an error code (an integer from 0 to 4294967295)",
                        text.as_ref(),
                    );
                    cursor.error(
                        Fault {
                            kind: DecodeErrorKind::InvalidValue {
                                name: binding.error_code.to_owned(),
                                raw: text.clone().into_owned(),
                                error,
                            },
                            offset,
                        },
                        element_path(),
                    )
                })?;
                // Without a wrapper every code starts a new error.
                match completable {
                    Some(error) if wrapper.is_some() && error.code.is_none() => {
                        error.code = Some(code);
                    }
                    _ => {
                        errors.push(WireError {
                            code: Some(code),
                            message: None,
                        });
                        open = Some(errors.len() - 1);
                    }
                }
            }
            Field::Message => {
                let message = trim_xml(&text).to_owned();
                match completable {
                    Some(error) if error.message.is_none() => error.message = Some(message),
                    _ => {
                        errors.push(WireError {
                            code: None,
                            message: Some(message),
                        });
                        open = Some(errors.len() - 1);
                    }
                }
            }
        }
    }
}

/// Turns pending loose text into a message-only error (or completes the open error).
fn take_loose_text(loose_text: &mut String, errors: &mut Vec<WireError>, open: &mut Option<usize>) {
    let message = trim_xml(loose_text);
    if !message.is_empty() {
        match open.and_then(|i| errors.get_mut(i)) {
            Some(error) if error.message.is_none() => error.message = Some(message.to_owned()),
            _ => {
                errors.push(WireError {
                    code: None,
                    message: Some(message.to_owned()),
                });
                *open = Some(errors.len() - 1);
            }
        }
    }
    loose_text.clear();
}

// ---------------------------------------------------------------------------------------
// Low level: events, tags, text.

/// A problem at a byte offset; the context that catches it adds the path.
struct Fault {
    kind: DecodeErrorKind,
    offset: u64,
}

type Step<T> = Result<T, Fault>;

/// The quick-xml reader over the whole input, which it borrows from.
struct Cursor<'a> {
    input: &'a str,
    xml: Reader<&'a [u8]>,
    /// Where the last event returned by `next_event` starts.
    event_start: u64,
}

impl<'a> Cursor<'a> {
    fn new(input: &'a [u8]) -> Result<Self, DecodeError> {
        // Validating once up front lets every slice borrow from the input as `&str`.
        let text = std::str::from_utf8(input).map_err(|error| {
            DecodeError::new(
                DecodeErrorKind::Syntax {
                    detail: format!("the input is not valid UTF-8 ({error})"),
                },
                "/".to_owned(),
                input,
                error.valid_up_to() as u64,
            )
        })?;
        let mut xml = Reader::from_str(text);
        let config = xml.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        Ok(Self {
            input: text,
            xml,
            event_start: 0,
        })
    }

    /// The next event that matters: comments, processing instructions and XML declarations
    /// are skipped; a DOCTYPE is skipped unless it declares entities.
    // Inlined so callers match the event once: about 5% fewer instructions on lists.
    #[inline(always)]
    fn next_event(&mut self) -> Step<Event<'a>> {
        loop {
            self.event_start = self.xml.buffer_position();
            match self.xml.read_event() {
                Ok(Event::Comment(_) | Event::PI(_) | Event::Decl(_)) => {}
                Ok(Event::DocType(doctype)) => {
                    if doctype.contains("<!ENTITY") {
                        return Err(self.fault(DecodeErrorKind::EntityDeclaration));
                    }
                }
                Ok(event) => return Ok(event),
                Err(error) => {
                    return Err(Fault {
                        kind: DecodeErrorKind::Syntax {
                            detail: error.to_string(),
                        },
                        offset: self.xml.error_position(),
                    });
                }
            }
        }
    }

    /// The tag as a slice of the input, so that attribute values borrow from the input
    /// rather than from the event.
    fn tag(&self, start: &BytesStart<'_>) -> Tag<'a> {
        let content: &str = start;
        let name_len = start.name().as_ref().len();
        let content = match self.rebase(content) {
            Some(borrowed) => Cow::Borrowed(borrowed),
            None => Cow::Owned(content.to_owned()),
        };
        Tag { content, name_len }
    }

    /// `slice` as a subslice of the input with the input's lifetime, if it is one.
    fn rebase(&self, slice: &str) -> Option<&'a str> {
        let start = (slice.as_ptr() as usize).checked_sub(self.input.as_ptr() as usize)?;
        let end = start.checked_add(slice.len())?;
        let rebased = self.input.get(start..end)?;
        (rebased.as_ptr() == slice.as_ptr()).then_some(rebased)
    }

    fn fault(&self, kind: DecodeErrorKind) -> Fault {
        Fault {
            kind,
            offset: self.event_start,
        }
    }

    fn error(&self, fault: Fault, path: String) -> DecodeError {
        DecodeError::new(fault.kind, path, self.input.as_bytes(), fault.offset)
    }

    fn error_here(&self, kind: DecodeErrorKind, path: String) -> DecodeError {
        self.error(self.fault(kind), path)
    }
}

/// A start tag's content (name and attributes).
struct Tag<'a> {
    content: Cow<'a, str>,
    name_len: usize,
}

impl<'a> Tag<'a> {
    fn name(&self) -> &str {
        self.content.get(..self.name_len).unwrap_or_default()
    }

    /// The unescaped value of attribute `key`; other attributes are ignored.
    fn attribute(&self, key: &str, offset: u64) -> Step<Option<Cow<'a, str>>> {
        let syntax = |detail: String| Fault {
            kind: DecodeErrorKind::Syntax { detail },
            offset,
        };
        let raw = match &self.content {
            Cow::Borrowed(content) => find_attribute(content, self.name_len, key),
            Cow::Owned(content) => find_attribute(content, self.name_len, key)
                .map(|value| value.map(|v| Cow::Owned(v.into_owned()))),
        }
        .map_err(|error| syntax(error.to_string()))?;
        match raw {
            None => Ok(None),
            Some(raw) => unescape_attribute(raw)
                .map(Some)
                .map_err(|kind| Fault { kind, offset }),
        }
    }
}

fn find_attribute<'c>(
    content: &'c str,
    name_len: usize,
    key: &str,
) -> Result<Option<Cow<'c, str>>, quick_xml::events::attributes::AttrError> {
    let mut attributes = Attributes::new(content, name_len);
    // Duplicate checks allocate per tag; the first `key` wins instead.
    attributes.with_checks(false);
    for attribute in attributes {
        let attribute = attribute?;
        if attribute.key.as_ref() == key {
            return Ok(Some(attribute.value));
        }
    }
    Ok(None)
}

/// Attribute-value normalisation (XML 1.0 §3.3.3) with the predefined entities and character
/// references; borrows when there is nothing to do.
fn unescape_attribute(raw: Cow<'_, str>) -> Result<Cow<'_, str>, DecodeErrorKind> {
    if !raw
        .bytes()
        .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
    {
        return Ok(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest: &str = &raw;
    while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after_amp) = tail.strip_prefix('&') {
            let Some(end) = after_amp.find(';') else {
                return Err(DecodeErrorKind::Syntax {
                    detail: "an attribute value has `&` without a closing `;`".to_owned(),
                });
            };
            out.push(resolve_reference(&after_amp[..end])?);
            rest = &after_amp[end + 1..];
        } else {
            // `\r\n`, `\r`, `\n` and `\t` each become one space.
            out.push(' ');
            rest = tail.strip_prefix("\r\n").unwrap_or(&tail[1..]);
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// `name` of `&name;`: one of the five predefined entities or a character reference.
/// Control characters are accepted so that what the writer escapes reads back.
fn resolve_reference(name: &str) -> Result<char, DecodeErrorKind> {
    match name {
        "lt" => return Ok('<'),
        "gt" => return Ok('>'),
        "amp" => return Ok('&'),
        "apos" => return Ok('\''),
        "quot" => return Ok('"'),
        _ => {}
    }
    let Some(number) = name.strip_prefix('#') else {
        return Err(DecodeErrorKind::UnknownEntity {
            name: name.to_owned(),
        });
    };
    let (digits, radix) = match number.strip_prefix('x') {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    let valid_digits = !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix));
    valid_digits
        .then(|| u32::from_str_radix(digits, radix).ok())
        .flatten()
        .and_then(char::from_u32)
        .ok_or_else(|| DecodeErrorKind::InvalidCharRef {
            reference: name.to_owned(),
        })
}

/// Reads the text of a text-only element up to its end tag: text, CDATA and references
/// concatenated; comments and processing instructions skipped.
fn read_text<'a>(cursor: &mut Cursor<'a>, element: &str) -> Step<Cow<'a, str>> {
    let mut value: Cow<'a, str> = Cow::Borrowed("");
    loop {
        match cursor.next_event()? {
            Event::Text(text) => append(&mut value, text.xml10_content()),
            Event::CData(cdata) => append(&mut value, cdata.xml10_content()),
            Event::GeneralRef(reference) => {
                let c = resolve_reference(&reference).map_err(|kind| cursor.fault(kind))?;
                value.to_mut().push(c);
            }
            Event::End(_) => return Ok(value),
            Event::Start(child) | Event::Empty(child) => {
                return Err(cursor.fault(DecodeErrorKind::ElementInText {
                    element: element.to_owned(),
                    found: child.name().as_ref().to_owned(),
                }));
            }
            Event::Eof => {
                return Err(cursor.fault(DecodeErrorKind::Truncated {
                    expected: format!("</{element}>"),
                }));
            }
            other => {
                return Err(cursor.fault(DecodeErrorKind::Unexpected {
                    expected: "text",
                    found: describe(&other),
                }));
            }
        }
    }
}

fn append<'a>(value: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if value.is_empty() {
        *value = piece;
    } else {
        value.to_mut().push_str(&piece);
    }
}

/// Skips to the end of the element whose start tag was just read.
fn skip_element(cursor: &mut Cursor<'_>) -> Step<()> {
    let mut depth = 0usize;
    loop {
        match cursor.next_event()? {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => {
                return Err(cursor.fault(DecodeErrorKind::Truncated {
                    expected: "the end of the element".to_owned(),
                }));
            }
            _ => {}
        }
    }
}

/// Finds the root element, which must be `expected`. Returns its tag and whether it is
/// self-closing.
fn open_root<'a>(
    cursor: &mut Cursor<'a>,
    expected: &'static str,
) -> Result<(Tag<'a>, bool), DecodeError> {
    loop {
        let event = cursor
            .next_event()
            .map_err(|fault| cursor.error(fault, "/".to_owned()))?;
        let (start, self_closing) = match event {
            Event::Start(start) => (start, false),
            Event::Empty(start) => (start, true),
            Event::Text(text) if is_xml_whitespace(&text) => continue,
            other => {
                let found = match other {
                    Event::Eof => "no element (the input ends)".to_owned(),
                    other => describe(&other),
                };
                return Err(cursor.error_here(
                    DecodeErrorKind::WrongRoot { expected, found },
                    "/".to_owned(),
                ));
            }
        };
        let tag = cursor.tag(&start);
        if tag.name() != expected {
            let found = format!("<{}>", tag.name());
            return Err(cursor.error_here(
                DecodeErrorKind::WrongRoot { expected, found },
                format!("/{}", tag.name()),
            ));
        }
        return Ok((tag, self_closing));
    }
}

/// The next child element of the root, or `None` at the root's end tag.
fn next_envelope_child<'a>(
    cursor: &mut Cursor<'a>,
    root: &'static str,
) -> Result<Option<(Tag<'a>, bool)>, DecodeError> {
    loop {
        let event = cursor
            .next_event()
            .map_err(|fault| cursor.error(fault, format!("/{root}")))?;
        let kind = match event {
            Event::Start(start) => return Ok(Some((cursor.tag(&start), false))),
            Event::Empty(start) => return Ok(Some((cursor.tag(&start), true))),
            Event::End(_) => return Ok(None),
            Event::Text(text) if is_xml_whitespace(&text) => continue,
            Event::CData(cdata) if is_xml_whitespace(&cdata) => continue,
            Event::Eof => DecodeErrorKind::Truncated {
                expected: format!("</{root}>"),
            },
            other => DecodeErrorKind::Unexpected {
                expected: "an element",
                found: describe(&other),
            },
        };
        return Err(cursor.error_here(kind, format!("/{root}")));
    }
}

/// Reads a text-only envelope element (`InvokeID`, …), trimmed; `seen` rejects a repeat.
fn read_envelope_text(
    cursor: &mut Cursor<'_>,
    root: &'static str,
    tag: &Tag<'_>,
    self_closing: bool,
    seen: bool,
) -> Result<String, DecodeError> {
    let name = tag.name();
    let path = || format!("/{root}/{name}");
    if seen {
        return Err(cursor.error_here(
            DecodeErrorKind::Duplicate {
                element: name.to_owned(),
            },
            path(),
        ));
    }
    if self_closing {
        return Ok(String::new());
    }
    let text = read_text(cursor, name).map_err(|fault| cursor.error(fault, path()))?;
    Ok(trim_xml(&text).to_owned())
}

/// After the root's end tag only whitespace, comments and processing instructions may follow.
fn expect_document_end(cursor: &mut Cursor<'_>, root: &'static str) -> Result<(), DecodeError> {
    loop {
        let event = cursor
            .next_event()
            .map_err(|fault| cursor.error(fault, "/".to_owned()))?;
        match event {
            Event::Eof => return Ok(()),
            Event::Text(text) if is_xml_whitespace(&text) => {}
            other => {
                let expected = if root == "Response" {
                    "nothing after </Response>"
                } else {
                    "nothing after </Request>"
                };
                return Err(cursor.error_here(
                    DecodeErrorKind::Unexpected {
                        expected,
                        found: describe(&other),
                    },
                    "/".to_owned(),
                ));
            }
        }
    }
}

fn is_xml_whitespace(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// A short description of an event for "found …" in messages.
fn describe(event: &Event<'_>) -> String {
    const MAX_CHARS: usize = 40;
    let quoted = |text: &str| {
        let text = trim_xml(text);
        match text.char_indices().nth(MAX_CHARS) {
            None => format!("{text:?}"),
            Some((cut, _)) => format!("{:?}…", &text[..cut]),
        }
    };
    match event {
        Event::Start(start) | Event::Empty(start) => {
            format!("<{}>", start.name().as_ref())
        }
        Event::End(end) => format!("</{}>", end.name().as_ref()),
        Event::Text(text) => format!("text {}", quoted(text)),
        Event::CData(cdata) => format!("CDATA {}", quoted(cdata)),
        Event::GeneralRef(reference) => format!("text \"&{};\"", &**reference),
        Event::DocType(_) => "a DOCTYPE".to_owned(),
        Event::Comment(_) | Event::PI(_) | Event::Decl(_) => "markup".to_owned(),
        Event::Eof => "the end of the input".to_owned(),
    }
}
