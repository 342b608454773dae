//! The failure element's errors, in every shape the reader tolerates (see
//! [`Binding`](crate::akixi_ws::Binding)).

use std::borrow::Cow;

use quick_xml::events::Event;

use super::cursor::*;
use super::shapes::WireError;
use crate::akixi_ws::binding::Binding;
use crate::akixi_ws::error::{DecodeError, DecodeErrorKind};
use crate::akixi_ws::grammar;
use crate::value::{ValueError, WireValue};
use crate::xml_text::trim_xml;

/// Reads the failure element's errors; see [`Binding`] for the shapes tolerated.
pub(super) fn read_fail(
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
        } else if name == grammar::PROPERTY {
            let property = tag
                .attribute(grammar::NAME, offset)
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
            if wrapper.is_none() && name != grammar::PROPERTY && !self_closing {
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
