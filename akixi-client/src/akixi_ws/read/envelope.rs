//! Whole documents in one pass: the envelope (`InvokeID`, `Result`, the success and failure
//! elements, `SessionID`, `Offset`, `Limit`) is read here; the payload is handed to the
//! shape's decoder.

use super::cursor::*;
use super::fail::read_fail;
use super::payload::{DecodePayload, PayloadReader};
use super::shapes::{Decoded, DecodedRequest};
use crate::akixi_ws::binding::Binding;
use crate::akixi_ws::error::{DecodeError, DecodeErrorKind};
use crate::akixi_ws::grammar::{self, ResultKind};
use crate::value::WireValue;

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
    const ROOT: &str = grammar::RESPONSE;
    let mut cursor = Cursor::new(xml)?;
    let (root, self_closing) = open_root(&mut cursor, ROOT)?;
    let root_path = || format!("/{ROOT}");
    let root_offset = cursor.event_start;
    let result = match root.attribute(grammar::RESULT, root_offset) {
        Ok(Some(raw)) => ResultKind::from_wire(&raw).ok_or_else(|| Fault {
            kind: DecodeErrorKind::UnknownResult {
                found: raw.into_owned(),
            },
            offset: root_offset,
        }),
        Ok(None) => Err(Fault {
            kind: DecodeErrorKind::MissingAttribute {
                element: ROOT,
                attribute: grammar::RESULT,
                expected: grammar::RESULT_WORDS,
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
            if name == grammar::INVOKE_ID {
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
    const ROOT: &str = grammar::REQUEST;
    const PAYLOAD: &str = grammar::PAYLOAD;
    let mut cursor = Cursor::new(xml)?;
    let (root, self_closing) = open_root(&mut cursor, ROOT)?;
    let root_offset = cursor.event_start;
    let operation = match root.attribute(grammar::OPERATION, root_offset) {
        Ok(Some(operation)) => Ok(operation.into_owned()),
        Ok(None) => Err(Fault {
            kind: DecodeErrorKind::MissingAttribute {
                element: ROOT,
                attribute: grammar::OPERATION,
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
                grammar::INVOKE_ID => {
                    let seen = request.invoke_id.is_some();
                    let id = read_envelope_text(&mut cursor, ROOT, &tag, empty, seen)?;
                    request.invoke_id = Some(id);
                }
                grammar::SESSION_ID => {
                    let seen = request.session_id.is_some();
                    let id = read_envelope_text(&mut cursor, ROOT, &tag, empty, seen)?;
                    request.session_id = Some(id);
                }
                grammar::OFFSET | grammar::LIMIT => {
                    let slot = if name == grammar::OFFSET {
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
