//! Reading a payload (`<Success>` or `<OperationPayload>`) level by level: what a shape's
//! decoder implements ([`DecodePayload`]) and the reader it is handed ([`PayloadReader`]),
//! which yields one [`Node`] at a time and borrows from the input wherever the text has no
//! escapes.

use std::borrow::Cow;
use std::fmt::Write as _;

use quick_xml::events::{BytesStart, Event};

use super::cursor::*;
use crate::akixi_ws::error::{DecodeError, DecodeErrorKind};
use crate::akixi_ws::extra::Extra;
use crate::akixi_ws::grammar;
use crate::value::{ValueError, WireValue};

/// How deeply containers may nest in a payload. Deeper input is rejected rather than risking
/// the stack in code that walks the result recursively (the same bound as every reader here).
pub const MAX_DEPTH: usize = crate::xml_text::MAX_DEPTH;

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
/// let decoded = decode_response::<Scope>(xml, &akixi_client::akixi::BINDING)?;
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
    pub(super) fn start(
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
        if let Some(plain) = self.cursor.plain_property() {
            if let Some(parent) = self.frames.last_mut() {
                parent.properties += 1;
            }
            self.last_value_start = plain.value_offset;
            return Ok(Some(Node::Property {
                name: Cow::Borrowed(plain.name),
                value: Cow::Borrowed(plain.value),
            }));
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
    pub(super) fn finish(mut self) -> Result<Cursor<'a>, DecodeError> {
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
            grammar::PROPERTY => {
                let ordinal = self.frames.last_mut().map_or(0, |parent| {
                    parent.properties += 1;
                    parent.properties
                });
                let name = match tag.attribute(grammar::NAME, offset) {
                    Ok(Some(name)) => name,
                    Ok(None) => {
                        let fault = Fault {
                            kind: DecodeErrorKind::MissingAttribute {
                                element: grammar::PROPERTY,
                                attribute: grammar::NAME,
                                expected: "the property's name",
                            },
                            offset,
                        };
                        return Err(self.fail(fault, Tail::Property(None, ordinal)));
                    }
                    Err(fault) => return Err(self.fail(fault, Tail::Property(None, ordinal))),
                };
                self.last_value_start = self.cursor.position();
                let value = if self_closing {
                    Cow::Borrowed("")
                } else {
                    read_text(&mut self.cursor, grammar::PROPERTY)
                        .map_err(|fault| self.fail(fault, Tail::Property(Some(&name), ordinal)))?
                };
                Ok(Node::Property { name, value })
            }
            grammar::CONTAINER => {
                if self.frames.len() > MAX_DEPTH {
                    return Err(self.fail_here(DecodeErrorKind::TooDeep { limit: MAX_DEPTH }));
                }
                let name = tag
                    .attribute(grammar::NAME, offset)
                    .map_err(|fault| self.fail(fault, Tail::Element(grammar::CONTAINER)))?;
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
