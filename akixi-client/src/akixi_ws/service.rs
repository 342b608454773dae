//! A whole akixi-ws service as static data (`SERVICE`, generated from the spec): what a server
//! of the service needs to answer any operation of any family without code written for it.

use super::binding::Binding;
use super::payload::PasswordScheme;
use crate::akixi_rest::binding::RestInfo;
use crate::meta::{ConditionInfo, FamilyInfo, OpKind, OperationInfo, PartialRuleInfo};

/// A service of the akixi-ws protocol, as the spec describes it.
#[derive(Debug, Clone, Copy)]
pub struct ServiceInfo {
    /// Identifier (`akixi`).
    pub name: &'static str,
    /// The platform ids, in the support matrices' order.
    pub platforms: &'static [&'static str],
    /// Every family.
    pub families: &'static [FamilyInfo],
    /// Every operation.
    pub operations: &'static [OperationInfo],
    /// Which code answers which condition.
    pub conditions: &'static [ConditionInfo],
    /// Where an add or change succeeds only partly.
    pub partial_rules: &'static [PartialRuleInfo],
    /// Every error code with its category id.
    pub errors: &'static [(u32, &'static str)],
    /// The permission verb each entity kind needs (`Create` for `add`).
    pub permission_verbs: &'static [(OpKind, &'static str)],
    /// Every accepted spelling of a Boolean, with its meaning.
    pub boolean_spellings: &'static [(&'static str, bool)],
    /// How `true` and `false` are written.
    pub boolean_words: (&'static str, &'static str),
    /// The response envelope's names.
    pub binding: &'static Binding,
    /// How passwords are protected on the wire.
    pub password_scheme: &'static PasswordScheme,
    /// Entries a list skips without `Offset`.
    pub default_offset: u64,
    /// Entries a list returns without `Limit`.
    pub default_limit: u64,
    /// Seconds an API session may go unused before it expires.
    pub session_idle_timeout_secs: u64,
    /// Live API sessions a server keeps at most.
    pub session_limit: u64,
    /// The API session's operations and properties, where the service has a session.
    pub session: Option<SessionInfo>,
    /// The REST/JSON binding of the same shapes, where the service has one.
    pub rest: Option<&'static RestInfo>,
}

/// The operations and properties that play the API session's parts.
#[derive(Debug, Clone, Copy)]
pub struct SessionInfo {
    /// The operation that starts a session.
    pub create: &'static str,
    /// The operation that signs a session in.
    pub authenticate: &'static str,
    /// The operation that ends a session.
    pub close: &'static str,
    /// The property of `create`'s response holding the session id.
    pub session_id: &'static str,
    /// The property of `create`'s response holding the nonce.
    pub nonce: &'static str,
    /// `authenticate`'s user name.
    pub username: &'static str,
    /// `authenticate`'s password.
    pub password: &'static str,
}

impl ServiceInfo {
    /// The distinct permission tokens a server guards operations with at most (an account's
    /// rights are a 64-bit set; the loader refuses a spec needing more).
    pub const MAX_PERMISSION_TOKENS: usize =
        akixi_schema::model::AkixiWsBinding::MAX_PERMISSION_TOKENS;

    /// The operation named `name`.
    pub fn operation(&self, name: &str) -> Option<&'static OperationInfo> {
        self.operations.iter().find(|o| o.name == name)
    }

    /// The family named `name`.
    pub fn family(&self, name: &str) -> Option<&'static FamilyInfo> {
        self.families.iter().find(|f| f.name == name)
    }

    /// The families in reference order: each after every family its properties reference
    /// (self-references aside), otherwise in the spec's order ([`FamilyInfo::reference_rank`]).
    pub fn families_in_reference_order(&self) -> Vec<&'static FamilyInfo> {
        let mut out: Vec<&'static FamilyInfo> = self.families.iter().collect();
        out.sort_by_key(|f| f.reference_rank);
        out
    }

    /// The category id of error `code`.
    pub fn category_of(&self, code: u32) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, cat)| *cat)
    }
}
