//! The spec's `binding` rows the `akixi-ws` codec reads: the names of the response's outcome
//! elements. The generated `BINDING` constant fills it; nothing here is written in Rust.

/// The response's outcome elements, which the Akixi documentation states only for success.
///
/// The spec records these names as provisional; the generated code fills this struct from
/// the spec so that a maintainer who learns the real names changes a table, not the reader.
/// Inside the failure element, errors may be given as elements named [`error_code`] /
/// [`error_message`], or as `<Property Name="…">` elements with those names, optionally
/// wrapped one level deep in any element (for example `<Error>`). Without a wrapper each code
/// starts a new error and a message completes the error before it; a message with no code
/// (or bare text inside the failure element) is an error of its own with `code: None`.
///
/// [`error_code`]: Binding::error_code
/// [`error_message`]: Binding::error_message
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Binding {
    /// Name of the element holding the payload of a successful response (`Success`).
    pub success: &'static str,
    /// Name of the element holding the errors of a failed response (`Fail`).
    pub fail: &'static str,
    /// Name of the element or property holding a numeric error code (`ErrorCode`).
    pub error_code: &'static str,
    /// Name of the element or property holding an error's description (`ErrorMessage`).
    pub error_message: &'static str,
}
