//! Calls by name: what tools that work from the spec at run time (the command line, bulk
//! import) use instead of naming types: the records of a response, and why a call by name
//! failed. The calls themselves are generated (`dynamic`), through the generated `Caller`.

use super::payload::{EncodePayload, PasswordsAsIs, PayloadSink};
use crate::meta::Record;
use crate::value::{SetError, WireValue};

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
    /// The JSON given does not have the operation's typed shape.
    #[error("{0}")]
    Json(String),
    /// The call failed.
    #[error(transparent)]
    Call(E),
}

/// What a response can be collected as: its records always; with the `serde` feature, JSON too.
#[cfg(feature = "serde")]
pub trait Collectable: EncodePayload + serde::Serialize {}
#[cfg(feature = "serde")]
impl<T: EncodePayload + serde::Serialize> Collectable for T {}
/// What a response can be collected as: its records always; with the `serde` feature, JSON too.
#[cfg(not(feature = "serde"))]
pub trait Collectable: EncodePayload {}
#[cfg(not(feature = "serde"))]
impl<T: EncodePayload> Collectable for T {}

/// What a call by name makes of the typed response it received (the generated
/// `dynamic::call_paged_with`): [`CollectRecords`], or `json::CollectJson`.
pub trait Collect {
    /// What it makes.
    type Out;
    /// Collects `data`, the response of an operation that lists entries when `list`.
    fn collect<T: Collectable>(&self, data: &T, list: bool) -> Self::Out;
}

/// Collects a response as its [`records`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CollectRecords;

impl Collect for CollectRecords {
    type Out = Vec<Record>;
    fn collect<T: Collectable>(&self, data: &T, _list: bool) -> Vec<Record> {
        records(data)
    }
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
