//! The `akixi-ws` binding rows and the protocol's rules. The documented envelope (`Request`,
//! `InvokeID`, `SessionID`, `OperationPayload`, `Property`, `Container`, `Response`, `Result`)
//! is the protocol's fixed grammar, written once in the runtime's `akixi_ws::grammar`; the rows
//! here are what the documentation leaves open (the failure shape) or states as a number.

use super::refs::{expect_kind, property};
use crate::diag::{DiagKind, Diagnostics, did_you_mean};
use crate::load::key_values::KeyValues;
use crate::load::loader::Loaded;
use crate::model::{
    AkixiWsBinding, Condition, ConditionScope, Family, Input, OpKind, Operation, PasswordScheme,
    SecretWire, SessionRoles, TypeKind,
};
use crate::table::Cell;

/// The conditions the akixi-ws simulator answers, and where (the protocol's own vocabulary).
pub(super) const CONDITIONS: &[(&str, Condition, ConditionScope)] = Condition::ALL;

const SESSION_KINDS: [OpKind; 3] = [
    OpKind::CreateSession,
    OpKind::Authenticate,
    OpKind::CloseSession,
];

/// The session's operations and properties, where the families have session operations:
/// exactly one of each session kind; `create-session` and `close-session` take nothing required;
/// `create-session` returns a value of the `session-id-type` and one of the `nonce-type`;
/// `authenticate` requires a user name (text) and a password (an encrypted secret).
fn session_roles(
    kv: &mut KeyValues<'_>,
    refs: &mut Diagnostics,
    spec: &Loaded<'_>,
) -> Option<SessionRoles> {
    let ops: Vec<(&Family, &Operation)> = spec
        .families
        .iter()
        .flat_map(|f| f.operations.iter().map(move |o| (f, o)))
        .filter(|(_, o)| SESSION_KINDS.contains(&o.kind))
        .collect();
    let Some((_, first)) = ops.first() else {
        // Without a session these rows mean nothing, but a given one is still a known key.
        kv.optional("session-id-type");
        kv.optional("nonce-type");
        return None;
    };
    let session_id_type = kv.cell(
        "session-id-type",
        "the value type of the session id the create-session operation returns",
    );
    let nonce_type = kv.cell(
        "nonce-type",
        "the value type of the nonce the create-session operation returns",
    );
    let d = refs;
    let mut one = |kind: OpKind| {
        let of_kind: Vec<&(&Family, &Operation)> =
            ops.iter().filter(|(_, o)| o.kind == kind).collect();
        match of_kind.as_slice() {
            [one] => Some(**one),
            _ => {
                let at = of_kind.get(1).map_or(&first.loc, |(_, o)| &o.loc);
                d.error_hint(
                    at,
                    DiagKind::Inconsistent,
                    format!(
                        "the API session needs one `{}` operation; the spec has {}",
                        kind.name(),
                        of_kind.len()
                    ),
                    "a service with a session has one operation of each kind create-session, authenticate and close-session",
                );
                None
            }
        }
    };
    let (create, auth, close) = (
        one(OpKind::CreateSession),
        one(OpKind::Authenticate),
        one(OpKind::CloseSession),
    );
    for (fam, op) in [create, close].into_iter().flatten() {
        if fam
            .inputs(&op.name)
            .any(|(_, i)| matches!(i, Input::Required | Input::Key))
        {
            d.error(
                &op.loc,
                DiagKind::Inconsistent,
                format!(
                    "`{}` must take no required property: the client sends it bare",
                    op.name
                ),
            );
        }
    }
    let returned = |d: &mut Diagnostics, ty: &Option<Cell>, what: &str| -> Option<String> {
        let (cfam, cop) = create?;
        let ty = ty.as_ref()?;
        if !spec.types.iter().any(|t| t.name == ty.text) {
            let hint = did_you_mean(&ty.text, spec.types.iter().map(|t| t.name.as_str()))
                .unwrap_or_else(|| "define it in the `types` table".to_string());
            d.error_hint(
                &ty.loc,
                DiagKind::UnknownType,
                format!("unknown type `{}`", ty.text),
                hint,
            );
            return None;
        }
        let found = cfam
            .outputs(&cop.name)
            .find(|(p, _)| p.ty == ty.text)
            .map(|(p, _)| p.name.clone());
        if found.is_none() {
            d.error(
                &cop.loc,
                DiagKind::Inconsistent,
                format!(
                    "`{}` returns no property of type `{}` (the session's {what})",
                    cop.name, ty.text
                ),
            );
        }
        found
    };
    let session_id = returned(d, &session_id_type, "id");
    let nonce = returned(d, &nonce_type, "nonce");
    let credentials = auth.and_then(|(fam, op)| credentials(d, spec, fam, op));
    let (create, auth, close) = (create?, auth?, close?);
    let (username, password) = credentials?;
    Some(SessionRoles {
        create: create.1.name.clone(),
        authenticate: auth.1.name.clone(),
        close: close.1.name.clone(),
        session_id: session_id?,
        nonce: nonce?,
        username,
        password,
    })
}

/// The user name and password `authenticate` requires: one required text property and one
/// required encrypted secret, nothing else required.
fn credentials(
    d: &mut Diagnostics,
    spec: &Loaded<'_>,
    fam: &Family,
    op: &Operation,
) -> Option<(String, String)> {
    let (mut user, mut password) = (None, None);
    for (p, input) in fam.inputs(&op.name) {
        if !matches!(input, Input::Required | Input::Key) {
            continue;
        }
        let kind = spec.types.iter().find(|t| t.name == p.ty).map(|t| &t.kind);
        match kind {
            Some(TypeKind::Secret {
                wire: SecretWire::Encrypted,
            }) if password.is_none() => password = Some(p.path()),
            Some(TypeKind::String) if user.is_none() => user = Some(p.path()),
            _ => {
                d.error(
                    &p.loc,
                    DiagKind::Inconsistent,
                    format!(
                        "`{}` must require exactly a user name (text) and a password (an encrypted secret); `{}` is neither or a second one",
                        op.name,
                        p.path()
                    ),
                );
                return None;
            }
        }
    }
    if user.is_none() || password.is_none() {
        d.error(
            &op.loc,
            DiagKind::Inconsistent,
            format!(
                "`{}` must require a user name (text) and a password (an encrypted secret)",
                op.name
            ),
        );
    }
    Some((user?, password?))
}

/// The rows of the `akixi-ws` binding.
pub(super) fn read(
    kv: &mut KeyValues<'_>,
    refs: &mut Diagnostics,
    spec: &Loaded<'_>,
) -> AkixiWsBinding {
    let telephony_server_property = match kv.cell(
        "telephony-server-property",
        "the property naming the telephony server a request is about (`TelSysID`)",
    ) {
        Some(cell) => {
            if let Some(p) = property(refs, spec, &cell) {
                expect_kind(refs, spec, &cell, p, &["integer", "string"]);
            }
            cell.text
        }
        None => String::new(),
    };
    let session = session_roles(kv, refs, spec);
    AkixiWsBinding {
        session,
        success_element: kv.xml_name(
            "success-element",
            "the element holding a successful response's payload (`Success`)",
        ),
        fail_element: kv.xml_name(
            "fail-element",
            "the element holding a failed response's errors (`Fail`)",
        ),
        error_code_name: kv.xml_name(
            "error-code-name",
            "the element or property holding an error's code (`ErrorCode`)",
        ),
        error_message_name: kv.xml_name(
            "error-message-name",
            "the element or property holding an error's message (`ErrorMessage`)",
        ),
        invoke_id_digits: kv.number(
            "invoke-id-digits",
            "the digits of an `InvokeID`, zero-padded",
            1,
            9,
        ),
        default_offset: kv.number(
            "default-offset",
            "the entries a list skips when the request gives no `Offset`",
            0,
            u64::from(u32::MAX),
        ),
        default_limit: kv.number(
            "default-limit",
            "the entries a list returns when the request gives no `Limit`",
            1,
            u64::from(u32::MAX),
        ),
        session_idle_timeout: kv.number(
            "session-idle-timeout",
            "the seconds an API session may go unused before it expires",
            1,
            u64::from(u32::MAX),
        ),
        session_limit: kv.number(
            "session-limit",
            "the live API sessions a server keeps at most",
            1,
            u64::from(u32::MAX),
        ),
        telephony_server_property,
        // The values the runtime's `NonceCipher` implements.
        password: PasswordScheme {
            cipher: kv.one_of("password-cipher", "the password cipher", &["aes-128-cbc"]),
            key: kv.one_of(
                "password-key",
                "where the cipher's key comes from",
                &["nonce-hex"],
            ),
            iv: kv.one_of(
                "password-iv",
                "the cipher's initialisation vector",
                &["zero"],
            ),
            padding: kv.one_of("password-padding", "the cipher's padding", &["pkcs7"]),
            encoding: kv.one_of(
                "password-encoding",
                "how the ciphertext is written as text",
                &["base64"],
            ),
        },
    }
}

/// The protocol's rules: `akixi-ws` sends operations of the entity and session kinds, names
/// every property by its `Name`, and places nothing by element.
pub(super) fn check(d: &mut Diagnostics, spec: &Loaded<'_>, clean: bool) {
    // A family table that failed to load holds no accounts; the session is then not the
    // problem.
    if clean {
        check_session_accounts(d, spec);
    }
    check_permission_tokens(d, spec);
    check_conditions(d, spec);
    for fam in spec.families {
        for op in &fam.operations {
            if matches!(op.kind, OpKind::Request | OpKind::Query) {
                d.error_hint(
                    &op.loc,
                    DiagKind::Inconsistent,
                    format!(
                        "`{}` is a `{}` operation, which the akixi-ws protocol does not have",
                        op.name,
                        op.kind.name()
                    ),
                    "akixi-ws kinds: add, change, delete, info, list, create-session, authenticate, close-session",
                );
            }
            if op.element.is_some() {
                d.error(
                    &op.loc,
                    DiagKind::Inconsistent,
                    format!(
                        "`{}` has an `Element`, which the akixi-ws protocol does not use",
                        op.name
                    ),
                );
            }
        }
        for p in fam.properties.iter().filter(|p| p.element.is_some()) {
            d.error(
                &p.loc,
                DiagKind::Inconsistent,
                format!(
                    "`{}` has an `Element`, which the akixi-ws protocol does not use",
                    p.path()
                ),
            );
        }
    }
}

/// A service with a session signs in an account: it needs a family whose entities are accounts.
fn check_session_accounts(d: &mut Diagnostics, spec: &Loaded<'_>) {
    let accounts = spec.families.iter().any(|f| f.traits.accounts.is_some());
    let create = spec
        .families
        .iter()
        .flat_map(|f| &f.operations)
        .find(|o| o.kind == OpKind::CreateSession);
    if let (Some(op), false) = (create, accounts) {
        d.error_hint(
            &op.loc,
            DiagKind::Missing,
            format!(
                "`{}` starts a session, and no family holds the accounts that sign in to it",
                op.name
            ),
            "give the family whose entities sign in `accounts` = `yes` in its `family` table",
        );
    }
}

/// The permission tokens guarding operations (`User|Create`) fit the simulator's rights: at
/// most [`AkixiWsBinding::MAX_PERMISSION_TOKENS`] distinct ones. Reported at the `permission`
/// of the family whose token goes over.
fn check_permission_tokens(d: &mut Diagnostics, spec: &Loaded<'_>) {
    let mut tokens: Vec<String> = Vec::new();
    for fam in spec.families {
        let (Some(prefix), Some(at)) = (&fam.traits.permission, &fam.traits.permission_loc) else {
            continue;
        };
        for op in &fam.operations {
            let Some(verb) = spec.verbs.iter().find(|v| v.kind == op.kind) else {
                continue;
            };
            let token = format!("{prefix}|{}", verb.verb);
            if tokens.contains(&token) {
                continue;
            }
            tokens.push(token);
            if tokens.len() == AkixiWsBinding::MAX_PERMISSION_TOKENS + 1 {
                d.error_hint(
                    at,
                    DiagKind::Inconsistent,
                    format!(
                        "family `{}` needs the permission `{}`, more than the {} tokens an akixi-ws server guards operations with",
                        fam.name,
                        tokens[AkixiWsBinding::MAX_PERMISSION_TOKENS],
                        AkixiWsBinding::MAX_PERMISSION_TOKENS
                    ),
                    "let families share a `permission`, or leave some unguarded",
                );
            }
        }
    }
}

/// Where the service has an `error-conditions` table (its simulator is described), a code for
/// every condition the simulator answers: the row without a `Family` of each condition answered
/// outside a family, and for each family the simulator serves (one with entity operations), a
/// row of its own or the row without a `Family` of each per-family condition (`unknown-entity`
/// also for a family others reference). Reported at the table.
fn check_conditions(d: &mut Diagnostics, spec: &Loaded<'_>) {
    let (rows, Some(at)) = spec.conditions else {
        return;
    };
    let has = |c: Condition, family: Option<&str>| {
        rows.iter()
            .any(|r| r.condition == Some(c) && r.family.as_deref() == family)
    };
    let mut missing = Vec::new();
    for &(name, c, scope) in CONDITIONS {
        if scope.needs_general_row() {
            if !has(c, None) {
                missing.push(format!("`{name}`"));
            }
            continue;
        }
        if has(c, None) {
            continue;
        }
        for fam in spec.families {
            let serves = fam
                .operations
                .iter()
                .any(|o| OpKind::ENTITY_KINDS.contains(&o.kind));
            let referenced = c == Condition::UnknownEntity
                && spec.families.iter().any(|f| {
                    f.properties
                        .iter()
                        .any(|p| p.references.as_ref().is_some_and(|r| r.family == fam.name))
                });
            if (serves || referenced) && !has(c, Some(&fam.name)) {
                missing.push(format!("`{name}` of {}", fam.name));
            }
        }
    }
    if !missing.is_empty() {
        d.error_hint(
            at,
            DiagKind::Missing,
            format!(
                "`error-conditions` has no code for {}, which the akixi-ws simulator answers",
                missing.join(", ")
            ),
            "add a row for each (a per-family condition may have one row without a `Family` for every family)",
        );
    }
}
