//! Which telephony servers a request names, which decides the platforms it is validated for.

use crate::akixi_ws::payload::{EncodeError, EncodePayload, PasswordEncoder, PayloadSink};
use crate::secret::Password;
use crate::value::WireValue;

/// The telephony servers `request` names in `property` (the service's telephony-server
/// property, wherever it appears), read by encoding it into a sink that keeps nothing else
/// (passwords are not even exposed).
pub fn telephony_servers<O: EncodePayload>(request: &O, property: &str) -> Vec<i64> {
    let mut sink = TelSysSink {
        property,
        found: Vec::new(),
    };
    // `Unexposed` never fails, and the sink cannot: an error here is impossible.
    let _ = request.encode_payload(&mut sink, &Unexposed);
    sink.found
}

struct TelSysSink<'a> {
    property: &'a str,
    found: Vec<i64>,
}

impl TelSysSink<'_> {
    fn keep(&mut self, name: &str, value: &str) {
        if name == self.property
            && let Ok(id) = value.trim().parse()
            && !self.found.contains(&id)
        {
            self.found.push(id);
        }
    }
}

impl PayloadSink for TelSysSink<'_> {
    fn property(&mut self, name: &str, value: &str) {
        self.keep(name, value);
    }
    fn property_value<T: WireValue>(&mut self, name: &str, value: &T) {
        if name == self.property {
            self.keep(name, &value.to_wire());
        }
    }
    fn begin_container(&mut self, _: Option<&str>) {}
    fn end_container(&mut self) {}
}

/// Writes nothing for passwords: validation needs no secret.
struct Unexposed;

impl PasswordEncoder for Unexposed {
    fn encode_password(&self, _: &Password) -> Result<String, EncodeError> {
        Ok(String::new())
    }
}
