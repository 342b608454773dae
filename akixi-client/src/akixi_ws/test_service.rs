//! A small service for the unit tests of the codec and the client, written by hand so that they need no generated
//! code: three session operations with empty payloads, two platforms, and a few error codes
//! with the handling the tests rely on (10302 renews the session, 10104 and 10105 are "try
//! again later").

use std::fmt;

use crate::akixi_ws::binding::Binding;
use crate::akixi_ws::client::{AkixiWsService, Client};
use crate::akixi_ws::error::DecodeError;
use crate::akixi_ws::payload::{
    EncodeError, EncodePayload, Operation, PasswordEncoder, PasswordScheme, PayloadSink,
};
use crate::akixi_ws::read::{DecodePayload, PayloadReader};
use crate::akixi_ws::session::SessionOperations;
use crate::error_code::ServiceErrorCode;
use crate::meta::{ErrorHandling, OpKind, OperationInfo};
use crate::secret::{Password, Secret};
use crate::value::SetError;

/// The test service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TestService;

/// Its one platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TestPlatform;

/// What its validation says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TestUnsupported;

impl fmt::Display for TestUnsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unsupported")
    }
}

/// Its error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct TestCode(pub(crate) u32);

impl fmt::Display for TestCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl ServiceErrorCode for TestCode {
    fn from_code(code: u32) -> Self {
        TestCode(code)
    }
    fn code(self) -> u32 {
        self.0
    }
    fn handling(self) -> Option<ErrorHandling> {
        match self.0 {
            10302 => Some(ErrorHandling::RenewSession),
            10104 | 10105 => Some(ErrorHandling::RetryLater),
            _ => None,
        }
    }
    fn message(self) -> Option<&'static str> {
        None
    }
}

/// An operation with an empty payload, of kind `K` (0 create, 1 authenticate, 2 close; names no spec uses).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Empty<const K: u8>;

impl<const K: u8> EncodePayload for Empty<K> {
    fn encode_payload<S: PayloadSink>(
        &self,
        _: &mut S,
        _: &dyn PasswordEncoder,
    ) -> Result<(), EncodeError> {
        Ok(())
    }
}

impl<const K: u8> DecodePayload for Empty<K> {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        <() as DecodePayload>::decode(reader).map(|()| Empty)
    }
}

impl<const K: u8> Operation for Empty<K> {
    const NAME: &'static str = match K {
        0 => "Open",
        1 => "SignIn",
        _ => "Close",
    };
    const FAMILY: &'static str = "Session";
    const KIND: OpKind = match K {
        0 => OpKind::CreateSession,
        1 => OpKind::Authenticate,
        _ => OpKind::CloseSession,
    };
    const PAGED: bool = false;
    const ERROR_CODES: &'static [u32] = &[];
    type Response = ();
}

impl SessionOperations for TestService {
    type Create = Empty<0>;
    type Authenticate = Empty<1>;
    type Close = Empty<2>;
    fn create() -> Self::Create {
        Empty
    }
    fn session_of(_: ()) -> (Option<Secret>, Option<Secret>) {
        (None, None)
    }
    fn authenticate(_: &str, _: &Password) -> Result<Self::Authenticate, Vec<SetError>> {
        Ok(Empty)
    }
    fn close() -> Self::Close {
        Empty
    }
}

impl AkixiWsService for TestService {
    type Platform = TestPlatform;
    type ErrorCode = TestCode;
    type Unsupported = TestUnsupported;
    type Session = TestService;
    type Client = Client<TestService>;
    const BINDING: Binding = Binding {
        success: "Success",
        fail: "Fail",
        error_code: "ErrorCode",
        error_message: "ErrorMessage",
    };
    const OPERATIONS: &'static [OperationInfo] = &[];
    const SECRET_PROPERTIES: &'static [&'static str] = &["Password"];
    const TELEPHONY_SERVER_PROPERTY: &'static str = "TelSysID";
    const PASSWORD_SCHEME: PasswordScheme = PasswordScheme {
        cipher: "aes-128-cbc",
        key: "nonce-hex",
        iv: "zero",
        padding: "pkcs7",
        encoding: "base64",
    };
    const DEFAULT_LIMIT: u64 = 1000;
    const INVOKE_ID_DIGITS: usize = 5;
}
