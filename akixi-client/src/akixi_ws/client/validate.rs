//! Which telephony servers a request names, which decides the platforms it is validated for.

use crate::akixi_ws::payload::{EncodeError, EncodePayload, PasswordEncoder, PayloadSink};
use crate::secret::Password;
use crate::value::WireValue;

/// The property that names the telephony server a request is about, wherever it appears
/// (from the spec's `binding` table).
pub(crate) use crate::akixi::TELEPHONY_SERVER_PROPERTY;

/// The telephony servers `request` names, read by encoding it into a sink that keeps nothing
/// else (passwords are not even exposed).
pub(crate) fn telephony_servers<O: EncodePayload>(request: &O) -> Vec<i64> {
    let mut sink = TelSysSink(Vec::new());
    // `Unexposed` never fails, and the sink cannot: an error here is impossible.
    let _ = request.encode_payload(&mut sink, &Unexposed);
    sink.0
}

struct TelSysSink(Vec<i64>);

impl TelSysSink {
    fn keep(&mut self, name: &str, value: &str) {
        if name == TELEPHONY_SERVER_PROPERTY
            && let Ok(id) = value.trim().parse()
            && !self.0.contains(&id)
        {
            self.0.push(id);
        }
    }
}

impl PayloadSink for TelSysSink {
    fn property(&mut self, name: &str, value: &str) {
        self.keep(name, value);
    }
    fn property_value<T: WireValue>(&mut self, name: &str, value: &T) {
        if name == TELEPHONY_SERVER_PROPERTY {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::akixi::user::{Endpoint, Scope, UserAddRequest, UserListRequest};

    #[test]
    fn finds_telephony_servers_at_any_depth() {
        let req = UserAddRequest::new("a")
            .password("secret")
            .scope(Scope::new().tel_sys_id(100100))
            .endpoint(Endpoint::new().tel_sys_id(200200));
        assert_eq!(telephony_servers(&req), vec![100100, 200200]);
        assert_eq!(
            telephony_servers(&UserListRequest::new().tel_sys_id(7)),
            vec![7]
        );
        assert!(telephony_servers(&UserListRequest::new()).is_empty());
    }
}
