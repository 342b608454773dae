//! Single-pass readers for `<Response>` (and `<Request>`) documents: the envelope
//! ([`envelope`]), the payload level by level ([`payload`]), the failure's errors ([`fail`]),
//! over one event stream ([`cursor`], which reads plainly written properties itself); [`shapes`] are what they hand out.

mod cursor;
mod envelope;
mod fail;
mod payload;
#[cfg(test)]
mod plain_tests;
mod shapes;

pub use envelope::{decode_request, decode_response};
pub use payload::{DecodePayload, MAX_DEPTH, Node, PayloadReader};
pub use shapes::{Decoded, DecodedRequest, List, WireError};
