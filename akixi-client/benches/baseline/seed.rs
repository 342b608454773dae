//! The documented XML examples of the "Application Users" seed, read at run time from
//! `../shared/seeds/akixi-application-users.txt` (beside the workspace), so the vendor's text is
//! not copied into this repository. Each example derefs to its text, exactly as documented
//! (comments, line breaks and the docs' own quirks such as `Defaultlang` included).
#![allow(dead_code)]

use std::ops::Deref;
use std::sync::LazyLock;

/// Every `<Request …>…</Request>` and `<Response …>…</Response>` of the seed, in order.
static EXAMPLES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/seeds/akixi-application-users.txt"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("cannot read the seed {path}: {e} (is ../shared beside the project?)")
    });
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(start) = [rest.find("<Request "), rest.find("<Response ")]
        .into_iter()
        .flatten()
        .min()
    {
        let close = if rest[start..].starts_with("<Request ") {
            "</Request>"
        } else {
            "</Response>"
        };
        let Some(len) = rest[start..].find(close) else {
            break;
        };
        out.push(rest[start..start + len + close.len()].to_string());
        rest = &rest[start + len + close.len()..];
    }
    out
});

/// One documented example: a request by its operation, or a response by the InvokeID it echoes.
pub enum Example {
    /// `<Request Operation="…">`.
    Request(&'static str),
    /// The `<Response>` whose `<InvokeID>` is this.
    Response(&'static str),
}

impl Deref for Example {
    type Target = str;
    fn deref(&self) -> &str {
        let found = match self {
            Example::Request(op) => {
                let head = format!("<Request Operation=\"{op}\">");
                EXAMPLES.iter().find(|e| e.starts_with(&head))
            }
            Example::Response(id) => {
                let echo = format!("<InvokeID>{id}</InvokeID>");
                EXAMPLES
                    .iter()
                    .find(|e| e.starts_with("<Response") && e.contains(&echo))
            }
        };
        found
            .map(String::as_str)
            .unwrap_or_else(|| panic!("the seed has no such example"))
    }
}

/// The `UserAdd` request example.
pub static USER_ADD_REQUEST: Example = Example::Request("UserAdd");
/// The `UserAdd` response example.
pub static USER_ADD_RESPONSE: Example = Example::Response("00024");
/// The `UserChange` request example.
pub static USER_CHANGE_REQUEST: Example = Example::Request("UserChange");
/// The `UserChange` response example.
pub static USER_CHANGE_RESPONSE: Example = Example::Response("00025");
/// The `UserDelete` request example.
pub static USER_DELETE_REQUEST: Example = Example::Request("UserDelete");
/// The `UserDelete` response example.
pub static USER_DELETE_RESPONSE: Example = Example::Response("00026");
/// The `UserList` request example.
pub static USER_LIST_REQUEST: Example = Example::Request("UserList");
/// The `UserList` response example.
pub static USER_LIST_RESPONSE: Example = Example::Response("00027");
/// The `UserInfo` request example.
pub static USER_INFO_REQUEST: Example = Example::Request("UserInfo");
/// The `UserInfo` response example.
pub static USER_INFO_RESPONSE: Example = Example::Response("00028");
