//! What every service's generated `ErrorCode` implements, so that a client generic over the
//! service can read and classify the codes of its answers.

use std::fmt;
use std::hash::Hash;

use crate::meta::ErrorHandling;

/// A service's error codes (the generated `ErrorCode`): every documented code, and any other
/// number the service may send.
pub trait ServiceErrorCode:
    Copy + Eq + Hash + fmt::Debug + fmt::Display + Send + Sync + 'static
{
    /// The code numbered `code` (an undocumented one when the spec lists no such code).
    fn from_code(code: u32) -> Self;
    /// Its number.
    fn code(self) -> u32;
    /// What a client should do about it, where the documentation says.
    fn handling(self) -> Option<ErrorHandling>;
    /// The documented message, if the spec lists the code.
    fn message(self) -> Option<&'static str>;
}
