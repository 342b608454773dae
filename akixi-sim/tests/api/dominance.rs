//! Who may change whom: an account is changed, given a new password, locked, demoted or
//! deleted only by a caller holding at least everything it holds (every token of the three
//! permission lists, `Scope.Admin`, a `ReportingAccess` tier at least as high, a scope at least
//! as wide), and a caller grants only what it holds, itself included. Tried for every ordered
//! pair of seven profiles, from nothing to everything; the expectation is computed here from
//! the profiles, apart from the engine.

use super::*;

/// One kind of account.
struct Profile {
    name: &'static str,
    admin: &'static [AdminPermission],
    non_admin: &'static [NonAdminPermission],
    other: &'static [OtherPermission],
    scope_admin: bool,
    tier: ReportingAccess,
    /// `None`: no scope at all (sees everything); `Some(None)`: the BroadWorks server;
    /// `Some(Some(p))`: its partition `p`.
    scope: Option<Option<i32>>,
}

use AdminPermission as A;

const MANAGE: &[AdminPermission] = &[A::UserCreate, A::UserRead, A::UserUpdate, A::UserDelete];

const PROFILES: &[Profile] = &[
    Profile {
        name: "nothing",
        admin: &[],
        non_admin: &[],
        other: &[],
        scope_admin: false,
        tier: ReportingAccess::None,
        scope: Some(Some(2)),
    },
    Profile {
        name: "reader",
        admin: &[A::UserRead],
        non_admin: &[NonAdminPermission::ReportRead],
        other: &[],
        scope_admin: false,
        tier: ReportingAccess::Akixi1000,
        scope: Some(Some(2)),
    },
    Profile {
        name: "editor",
        admin: &[A::UserRead, A::UserUpdate],
        non_admin: &[NonAdminPermission::ReportRead],
        other: &[],
        scope_admin: false,
        tier: ReportingAccess::Akixi2000,
        scope: Some(None),
    },
    Profile {
        name: "manager",
        admin: MANAGE,
        non_admin: &[NonAdminPermission::ReportRead],
        other: &[],
        scope_admin: false,
        tier: ReportingAccess::Akixi2000,
        scope: Some(None),
    },
    Profile {
        name: "manager-3000",
        admin: MANAGE,
        non_admin: &[NonAdminPermission::ReportRead],
        other: &[],
        scope_admin: false,
        tier: ReportingAccess::Akixi3000,
        scope: Some(None),
    },
    Profile {
        name: "scope-admin",
        admin: MANAGE,
        non_admin: &[
            NonAdminPermission::ReportRead,
            NonAdminPermission::ReportDataApi,
        ],
        other: &[OtherPermission::ServiceNotifications],
        scope_admin: true,
        tier: ReportingAccess::Akixi3000,
        scope: Some(None),
    },
    Profile {
        name: "everything",
        admin: &[],
        non_admin: &[],
        other: &[],
        scope_admin: true,
        tier: ReportingAccess::Akixi3000,
        scope: None,
    },
];

/// The tokens of each list a profile holds (`everything` holds every token).
fn lists(p: &Profile) -> (Vec<String>, Vec<String>, Vec<String>) {
    if p.name == "everything" {
        return (
            AdminPermission::VALUES
                .iter()
                .map(|v| v.to_string())
                .collect(),
            NonAdminPermission::VALUES
                .iter()
                .map(|v| v.to_string())
                .collect(),
            OtherPermission::VALUES
                .iter()
                .map(|v| v.to_string())
                .collect(),
        );
    }
    (
        p.admin.iter().map(ToString::to_string).collect(),
        p.non_admin.iter().map(ToString::to_string).collect(),
        p.other.iter().map(ToString::to_string).collect(),
    )
}

fn tier_rank(t: &ReportingAccess) -> usize {
    match t {
        ReportingAccess::None => 0,
        ReportingAccess::Akixi1000 => 1,
        ReportingAccess::Akixi2000 => 2,
        _ => 3,
    }
}

/// The oracle: whether `c` holds at least everything `t` holds.
fn dominates(c: &Profile, t: &Profile) -> bool {
    let (ca, cn, co) = lists(c);
    let (ta, tn, to) = lists(t);
    let superset = |mine: &[String], theirs: &[String]| theirs.iter().all(|x| mine.contains(x));
    let wider = match (c.scope, t.scope) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(None), Some(_)) => true,
        (Some(Some(a)), Some(b)) => Some(a) == b,
    };
    superset(&ca, &ta)
        && superset(&cn, &tn)
        && superset(&co, &to)
        && (c.scope_admin || !t.scope_admin)
        && tier_rank(&c.tier) >= tier_rank(&t.tier)
        && wider
}

fn holds(c: &Profile, token: &str) -> bool {
    lists(c).0.iter().any(|t| t == token)
}

fn request(name: &str, p: &Profile) -> UserAddRequest {
    let (a, n, o) = lists(p);
    let permissions = Permissions::new()
        .admin(a.iter().fold(AdminPermissions::new(), |s, t| {
            s.with(AdminPermission::from(t.as_str()))
        }))
        .non_admin(n.iter().fold(NonAdminPermissions::new(), |s, t| {
            s.with(NonAdminPermission::from(t.as_str()))
        }))
        .other(o.iter().fold(OtherPermissions::new(), |s, t| {
            s.with(OtherPermission::from(t.as_str()))
        }));
    let mut scope = Scope::new()
        .reporting_access(p.tier.clone())
        .admin(p.scope_admin);
    if let Some(partition) = p.scope {
        scope = scope
            .cm_environment_id(CM_ENVIRONMENT_ID)
            .tel_sys_id(ts(Platform::CiscoBroadworks));
        if let Some(part) = partition {
            scope = scope.part_id_in_tel_sys(part);
        }
    }
    UserAddRequest::new(name)
        .password(PASSWORD)
        .scope(scope)
        .permissions(permissions)
}

/// The five things one account may try on another, with the token each needs.
const ACTS: [(&str, &str); 5] = [
    ("change", "User|Update"),
    ("password", "User|Update"),
    ("lock", "User|Update"),
    ("demote", "User|Update"),
    ("delete", "User|Delete"),
];

async fn act(caller: &akixi_client::Client, act: &str, target: &str) -> Result<(), u32> {
    let outcome =
        match act {
            "change" => caller
                .user_change(UserChangeRequest::new(target).full_name("Changed"))
                .await
                .map(drop),
            "password" => caller
                .user_change(UserChangeRequest::new(target).password("n3w-Passw0rd"))
                .await
                .map(drop),
            "lock" => caller
                .user_change(UserChangeRequest::new(target).lock_out(true))
                .await
                .map(drop),
            "demote" => caller
                .user_change(UserChangeRequest::new(target).permissions(
                    Permissions::new().admin(AdminPermissions::new().with(A::UserRead)),
                ))
                .await
                .map(drop),
            _ => caller
                .user_delete(UserDeleteRequest::new(target))
                .await
                .map(drop),
        };
    outcome.map_err(|e| e.code().map_or(0, |c| c.code()))
}

#[tokio::test]
async fn an_account_is_changed_only_by_a_caller_that_dominates_it_for_every_pair() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let mut callers = Vec::new();
    for p in PROFILES {
        let name = format!("caller-{}@example.invalid", p.name);
        admin
            .user_add(request(&name, p))
            .await
            .unwrap_or_else(|e| panic!("the administrator adds {name}: {e}"));
        callers.push(client_with(&sim, &name, PASSWORD));
    }
    let denied = [
        cond::PERMISSION_DENIED.code(),
        cond::UNKNOWN_ENTITY_USER.code(),
    ];
    let mut tried = 0;
    let mut wrong = Vec::new();
    for (ci, c) in PROFILES.iter().enumerate() {
        for t in PROFILES {
            for (what, token) in ACTS {
                let target = format!("{what}-{}-by-{}@example.invalid", t.name, c.name);
                admin
                    .user_add(request(&target, t))
                    .await
                    .unwrap_or_else(|e| panic!("the administrator adds {target}: {e}"));
                let expected = dominates(c, t) && holds(c, token);
                let got = act(&callers[ci], what, &target).await;
                tried += 1;
                match (expected, got) {
                    (true, Ok(())) => {}
                    (false, Err(code)) if denied.contains(&code) => {}
                    (e, g) => wrong.push(format!(
                        "{} {what} {}: expected {}, got {g:?}",
                        c.name,
                        t.name,
                        if e { "allowed" } else { "refused" }
                    )),
                }
            }
        }
    }
    assert_eq!(tried, PROFILES.len() * PROFILES.len() * ACTS.len());
    assert!(
        wrong.is_empty(),
        "{} wrong of {tried}:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn an_account_may_change_its_own_password_but_grant_itself_nothing_it_lacks() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let editor = &PROFILES[2];
    let name = "self@example.invalid";
    admin.user_add(request(name, editor)).await.expect("added");
    let me = client_with(&sim, name, PASSWORD);
    me.user_change(UserChangeRequest::new(name).password("An0ther-passw0rd"))
        .await
        .expect("its own password");
    let me = client_with(&sim, name, "An0ther-passw0rd");
    me.user_change(UserChangeRequest::new(name).full_name("Me"))
        .await
        .expect("its own name");
    let denied = cond::PERMISSION_DENIED.code();
    let (held, held_non_admin, _) = lists(editor);
    let mut tried = 0;
    // Every token of every list it lacks, one at a time.
    for token in AdminPermission::VALUES
        .iter()
        .filter(|t| !held.iter().any(|h| h == *t))
    {
        let mut admin_list = held.clone();
        admin_list.push((*token).to_owned());
        let set = admin_list.iter().fold(AdminPermissions::new(), |s, t| {
            s.with(AdminPermission::from(t.as_str()))
        });
        let change = UserChangeRequest::new(name).permissions(Permissions::new().admin(set));
        assert_eq!(code_of(me.user_change(change).await), denied, "{token}");
        tried += 1;
    }
    for token in NonAdminPermission::VALUES
        .iter()
        .filter(|t| !held_non_admin.iter().any(|h| h == *t))
    {
        let set = NonAdminPermissions::new().with(NonAdminPermission::from(*token));
        let change = UserChangeRequest::new(name).permissions(Permissions::new().non_admin(set));
        assert_eq!(code_of(me.user_change(change).await), denied, "{token}");
        tried += 1;
    }
    for token in OtherPermission::VALUES {
        let set = OtherPermissions::new().with(OtherPermission::from(*token));
        let change = UserChangeRequest::new(name).permissions(Permissions::new().other(set));
        assert_eq!(code_of(me.user_change(change).await), denied, "{token}");
        tried += 1;
    }
    // Scope.Admin, and a higher licence tier.
    let change = UserChangeRequest::new(name).scope(Scope::new().admin(true));
    assert_eq!(code_of(me.user_change(change).await), denied, "Scope.Admin");
    let change = UserChangeRequest::new(name)
        .scope(Scope::new().reporting_access(ReportingAccess::Akixi3000));
    assert_eq!(code_of(me.user_change(change).await), denied, "Akixi 3000");
    // A wider scope: another server is answered as a missing one.
    let change =
        UserChangeRequest::new(name).scope(Scope::new().tel_sys_id(ts(Platform::Hipath3000)));
    assert_eq!(
        code_of(me.user_change(change).await),
        cond::UNKNOWN_ENTITY_TEL_SYS.code(),
        "another server"
    );
    // Lowering its own tier is no grant.
    me.user_change(
        UserChangeRequest::new(name)
            .scope(Scope::new().reporting_access(ReportingAccess::Akixi1000)),
    )
    .await
    .expect("a lower tier");
    assert!(tried > 10, "{tried}");
    // What it holds after all that: exactly what it was given, the tier lowered.
    let info = admin
        .user_info(UserInfoRequest::new(name))
        .await
        .expect("info");
    let scope = info.scope.expect("a scope");
    assert_eq!(scope.admin, Some(false));
    assert_eq!(scope.reporting_access, Some(ReportingAccess::Akixi1000));
}

#[tokio::test]
async fn an_added_account_holds_nothing_its_creator_lacks() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let manager = &PROFILES[3];
    admin
        .user_add(request("creator@example.invalid", manager))
        .await
        .expect("added");
    let creator = client_with(&sim, "creator@example.invalid", PASSWORD);
    let denied = cond::PERMISSION_DENIED.code();
    for (i, stronger) in [&PROFILES[4], &PROFILES[5]].into_iter().enumerate() {
        let added = creator
            .user_add(request(&format!("new-{i}@example.invalid"), stronger))
            .await;
        assert_eq!(code_of(added), denied, "{}", stronger.name);
    }
    creator
        .user_add(request("peer@example.invalid", manager))
        .await
        .expect("an equal may be added");
}
