//! Each protocol's binding is checked by the loader: on a copy of the real spec, a missing row,
//! a bad value, an unknown key, a broken cross-reference and a broken protocol rule each come out
//! of `Spec::load` and of `akixi-spec check` located at the row (`file:line:col`).

use std::path::{Path, PathBuf};
use std::process::Command;

use akixi_schema::Spec;

/// A copy of the workspace's `spec/` in a fresh directory.
struct SpecCopy {
    dir: tempfile::TempDir,
}

impl SpecCopy {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        for service in std::fs::read_dir(&from).expect("spec dir") {
            let service = service.expect("entry").path();
            if !service.is_dir() {
                continue;
            }
            let to = dir.path().join(service.file_name().expect("name"));
            std::fs::create_dir_all(&to).expect("mkdir");
            for f in std::fs::read_dir(&service).expect("service dir") {
                let f = f.expect("entry").path();
                // The spec files only (not the conformance cases' folder).
                if !f.is_file() {
                    continue;
                }
                std::fs::copy(&f, to.join(f.file_name().expect("name"))).expect("copy");
            }
        }
        SpecCopy { dir }
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    /// Replaces `from` (which must occur once) by `to` in `file`.
    fn edit(&self, file: &str, from: &str, to: &str) -> &Self {
        let path = self.path(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.matches(from).count(), 1, "`{from}` in {file}");
        std::fs::write(&path, text.replace(from, to)).expect("write");
        self
    }

    /// `file:line:col` of the first occurrence of `needle` in `file`, as the loader shows it.
    fn loc(&self, file: &str, needle: &str) -> String {
        let text = std::fs::read_to_string(self.path(file)).expect("read");
        let at = text
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` in {file}"));
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("spec/{file}:{line}:{col}")
    }

    /// Every diagnostic, rendered, with the copy's directory shown as `spec`.
    fn problems(&self) -> Vec<String> {
        match Spec::load_as(self.dir.path(), "spec") {
            Ok(_) => Vec::new(),
            Err(diags) => diags.iter().map(ToString::to_string).collect(),
        }
    }

    /// What `akixi-spec check` prints on stderr, and whether it succeeded.
    fn check_tool(&self) -> (bool, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_akixi-spec"))
            .arg("check")
            .arg(self.dir.path())
            .output()
            .expect("run akixi-spec");
        let dir = self.dir.path().to_string_lossy().into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).replace(&dir, "spec");
        (out.status.success(), stderr)
    }
}

fn assert_has(problems: &[String], loc: &str, message: &str) {
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with(&format!("{loc}: error: ")) && p.contains(message)),
        "expected `{loc}: error: …{message}…` among:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_real_spec_has_no_binding_problem() {
    assert_eq!(SpecCopy::new().problems(), Vec::<String>::new());
}

#[test]
fn a_missing_row_is_located_at_the_binding_table() {
    let spec = SpecCopy::new();
    let table = spec.loc(
        "cisco-em/service.md",
        "| Key | Value | Source | Provisional |",
    );
    spec.edit(
        "cisco-em/service.md",
        "| service-path | /emservice/EMServiceServlet | doc:em-devnet | |\n",
        "",
    );
    let problems = spec.problems();
    assert_has(
        &problems,
        &table,
        "the `binding` table has no `service-path` row",
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    let (ok, stderr) = spec.check_tool();
    assert!(!ok);
    assert!(
        stderr.contains(&format!(
            "{table}: error: the `binding` table has no `service-path` row"
        )),
        "{stderr}"
    );
}

#[test]
fn a_bad_value_is_located_at_its_cell() {
    let spec = SpecCopy::new();
    spec.edit(
        "akixi/service.md",
        "| default-limit | 1000 |",
        "| default-limit | lots |",
    );
    let at = spec.loc("akixi/service.md", "lots");
    let problems = spec.problems();
    assert_has(
        &problems,
        &at,
        "`default-limit` = `lots` is not a whole number",
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    let (ok, stderr) = spec.check_tool();
    assert!(
        !ok && stderr.contains(&format!("{at}: error: ")),
        "{stderr}"
    );
}

#[test]
fn an_unknown_key_is_located_with_the_key_it_resembles() {
    let spec = SpecCopy::new();
    spec.edit(
        "akixi/service.md",
        "| invoke-id-digits | 5 |",
        "| invoke-id-digit | 5 |",
    );
    let at = spec.loc("akixi/service.md", "invoke-id-digit |");
    let table = spec.loc("akixi/service.md", "| Key | Value | Source | Provisional |");
    let problems = spec.problems();
    assert_has(&problems, &at, "unknown binding key `invoke-id-digit`");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("did you mean `invoke-id-digits`?")),
        "{problems:?}"
    );
    assert_has(&problems, &table, "no `invoke-id-digits` row");
    assert_eq!(problems.len(), 2, "{problems:?}");
    let (ok, stderr) = spec.check_tool();
    assert!(
        !ok && stderr.contains(&format!("{at}: error: unknown binding key")),
        "{stderr}"
    );
}

#[test]
fn cross_references_are_checked() {
    let spec = SpecCopy::new();
    spec.edit(
        "cisco-em/service.md",
        "| Login, Logout, QueryUsers, QueryDevices |",
        "| Login, Logout, QueryUser, QueryDevices |",
    )
    .edit(
        "cisco-em/service.md",
        "| success-branch | success |",
        "| success-branch | succeeded |",
    )
    .edit(
        "cisco-em/service.md",
        "| host-parameter | CallManagerHost |",
        "| host-parameter | CallManagerHosts |",
    )
    .edit(
        "akixi/service.md",
        "| telephony-server-property | TelSysID |",
        "| telephony-server-property | Password |",
    )
    .edit(
        "cisco-em/service.md",
        "| results:deviceProfileQuery | deviceProfileResults |",
        "| results:deviceProfileQueries | deviceProfileResults |",
    );
    let problems = spec.problems();
    let em = "cisco-em/service.md";
    assert_has(
        &problems,
        &spec.loc(em, "QueryUser,"),
        "no operation `QueryUser`",
    );
    assert_has(
        &problems,
        &spec.loc(em, "succeeded"),
        "not a value of `Branch`",
    );
    assert_has(
        &problems,
        &spec.loc(em, "CallManagerHosts"),
        "no family has a property `CallManagerHosts`",
    );
    assert_has(
        &problems,
        &spec.loc("akixi/service.md", "Password |"),
        "`Password` is of type `Password`, a `secret` type",
    );
    assert_has(
        &problems,
        &spec.loc(em, "results:deviceProfileQueries"),
        "no query has the element `deviceProfileQueries`",
    );
    // The query whose results row is gone is reported at the query.
    assert_has(
        &problems,
        &spec.loc("cisco-em/em.md", "QueryDeviceProfiles | query"),
        "no `results:deviceProfileQuery` row",
    );
}

#[test]
fn references_wait_for_a_cleanly_loaded_spec() {
    // A type the families need is gone: its own problems are reported, and the binding's
    // references into the families (which no longer load whole) are not added on top.
    let spec = SpecCopy::new();
    spec.edit(
        "cisco-em/service.md",
        "| host-parameter | CallManagerHost |",
        "| host-parameter | Nobody |",
    )
    .edit(
        "cisco-em/types.md",
        "| Minutes | integer | | 0 | 2147483647 |",
        "| Minutes | integr | | 0 | 2147483647 |",
    );
    let problems = spec.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("unknown type kind `integr`")),
        "{problems:?}"
    );
    assert!(
        !problems.iter().any(|p| p.contains("`Nobody`")),
        "{problems:?}"
    );
}

#[test]
fn the_cisco_em_protocol_rules_are_the_loaders() {
    let spec = SpecCopy::new();
    let em = "cisco-em/em.md";
    spec.edit(
        em,
        "| System.String | | deviceName |",
        "| System.String | | |",
    )
    .edit(
        em,
        "| System.String | | userID | | The user to log in.",
        "| System.String | | a//b | | The user to log in.",
    )
    .edit(em, "| /appInfo/appID |", "| /elsewhere/appID |")
    .edit(
        em,
        "| System.Int32 | 0 | exclusiveDuration/time |",
        "| System.Int32 | -1 | exclusiveDuration/time |",
    )
    .edit(
        em,
        "| LogoutAll | request | logoutAll |",
        "| LogoutAll | info | logoutAll |",
    );
    let problems = spec.problems();
    assert_has(
        &problems,
        &spec.loc(em, "DeviceName |"),
        "`DeviceName` has no `Element`",
    );
    assert_has(
        &problems,
        &spec.loc(em, "UserId |"),
        "`a//b` is not an element path",
    );
    assert_has(
        &problems,
        &spec.loc(em, "AppId |"),
        "starts at the root but not in `appInfo`",
    );
    assert_has(
        &problems,
        &spec.loc(em, "Timeout |"),
        "default `-1` is not a whole number from 0",
    );
    assert_has(
        &problems,
        &spec.loc(em, "LogoutAll | info"),
        "cisco-em operations are `request` or `query`",
    );
}

#[test]
fn the_akixi_ws_session_is_resolved_from_kinds_and_types() {
    let spec = SpecCopy::new();
    spec.edit(
        "akixi/service.md",
        "| nonce-type | Nonce |",
        "| nonce-type | Nonse |",
    );
    let problems = spec.problems();
    assert_has(
        &problems,
        &spec.loc("akixi/service.md", "Nonse"),
        "unknown type `Nonse`",
    );
    let clean = SpecCopy::new();
    let loaded = Spec::load(clean.dir.path()).expect("loads");
    let akixi = loaded.service("akixi").expect("akixi");
    let akixi_schema::Binding::AkixiWs(b) = &akixi.binding else {
        panic!("akixi-ws")
    };
    let session = b.session.as_ref().expect("a session");
    assert_eq!(
        (session.session_id.as_str(), session.nonce.as_str()),
        ("SessionID", "Nonce")
    );
}

#[test]
fn a_query_answered_with_no_results_document_of_the_protocol_is_located() {
    let spec = SpecCopy::new();
    let em = "cisco-em/service.md";
    // The provisional row renamed: a diagnostic at its cell, not a compile error in the client.
    spec.edit(
        em,
        "| results:deviceProfileQuery | deviceProfileResults |",
        "| results:deviceProfileQuery | deviceProfilesResults |",
    )
    .edit(
        em,
        "| result-document:user-devices | userDevicesResults |",
        "| result-document:user-device | userDevicesResults |",
    );
    let problems = spec.problems();
    let renamed = spec.loc(em, "deviceProfilesResults");
    assert_has(
        &problems,
        &renamed,
        "`deviceProfilesResults` is not a results document of the protocol",
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("did you mean `deviceProfileResults`?")),
        "{problems:?}"
    );
    assert_has(
        &problems,
        &spec.loc(em, "result-document:user-device |"),
        "`user-device` is not a shape of results document the protocol reads",
    );
    assert_has(
        &problems,
        &spec.loc(em, "| Key | Value | Source | Provisional |"),
        "the `binding` table has no `result-document:user-devices` row",
    );
    let (ok, stderr) = spec.check_tool();
    assert!(!ok);
    assert!(
        stderr.contains(&format!(
            "{renamed}: error: `deviceProfilesResults` is not a results document of the protocol"
        )),
        "{stderr}"
    );
}

#[test]
fn the_cisco_em_versions_table_is_checked_at_its_cells() {
    let spec = SpecCopy::new();
    let em = "cisco-em/service.md";
    spec.edit(
        em,
        "| CCM 3.3 | v333 | 80 | /LoginService/login.asp | /LoginService/query.asp |",
        "| CCM 3.3 | v33 | 80 | /LoginService/login.asp | |",
    )
    .edit(
        em,
        "| CCM 4.x | other | 80 |",
        "| CCM 4.x | other | 70000 |",
    )
    .edit(
        em,
        "| CCM 5.x and 6.x | other | 8080 | | |",
        "| CCM 5.x and 6.x | other | 8080 | /a | /b |",
    );
    let problems = spec.problems();
    assert_has(
        &problems,
        &spec.loc(em, "v33 |"),
        "`v33` is not a value of `CcmVersion`",
    );
    assert_has(
        &problems,
        &spec.loc(em, "CCM 3.3 |"),
        "release `CCM 3.3` gives one path of two",
    );
    assert_has(&problems, &spec.loc(em, "70000"), "`70000` is not a port");
    assert_has(
        &problems,
        &spec.loc(em, "CCM 5.x and 6.x"),
        "releases `CCM 4.x` and `CCM 5.x and 6.x` are both `other` but differ",
    );
    // Without the table, the service is told.
    let spec = SpecCopy::new();
    let text = std::fs::read_to_string(spec.path(em)).expect("read");
    let cut = text.find("## versions").expect("the versions table");
    std::fs::write(spec.path(em), &text[..cut]).expect("write");
    let problems = spec.problems();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("the `cisco-em` service has no `versions` table")),
        "{problems:?}"
    );
}

// The REST binding of the akixi service (`rest-binding`, `rest-statuses`, `rest-operations`,
// `rest-properties`): every rule located at its cell.

#[test]
fn the_rest_binding_is_read_from_the_spec() {
    let spec = Spec::load_as(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec"),
        "spec",
    )
    .expect("the real spec loads");
    let svc = spec.service("akixi").expect("akixi");
    let rest = svc.rest.as_ref().expect("a REST binding");
    assert_eq!(rest.base_path, "/CCS/API/v1");
    assert_eq!(rest.session_cookie, "JSESSIONID");
    assert_eq!(rest.api_key_header, "x-api-key");
    assert_eq!(rest.locales, ["en_GB", "en_US"]);
    let ops: Vec<String> = rest
        .family_operations("User")
        .map(|o| {
            format!(
                "{} {} {}",
                o.name,
                o.route.method.name(),
                o.route.template()
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            "Add POST /admin/user",
            "Change PUT /admin/user/{Username}/password",
            "Update PUT /admin/user/{Username}",
            "SendEmail POST /admin/user/{Username}/sendEmail",
            "Delete DELETE /admin/user/{Username}",
            "Info GET /admin/user/{Username}",
            "List GET /admin/user",
        ]
    );
    let send = rest
        .family_operations("User")
        .find(|o| o.name == "SendEmail")
        .expect("SendEmail");
    assert_eq!(send.shape, "UserChange");
    assert_eq!(
        send.implies,
        [("SendWelcomeEmail".to_string(), "True".to_string())]
    );
    assert!(send.carries("Username") && !send.carries("FullName"));
    let update = rest
        .family_operations("User")
        .find(|o| o.name == "Update")
        .expect("Update");
    assert!(update.carries("FullName") && !update.carries("Password"));
    assert_eq!(
        rest.form("User", "Scope.TelSysID"),
        akixi_schema::model::JsonForm::Array
    );
    assert_eq!(
        rest.status(akixi_schema::model::Condition::UnknownEntity),
        Some(404)
    );
    assert!(svc.rest.is_some() && spec.service("cisco-em").expect("em").rest.is_none());
}

#[test]
fn a_missing_rest_row_and_a_bad_route_are_located() {
    let spec = SpecCopy::new();
    let table = spec.loc("akixi/rest.md", "| Key | Value | Source | Provisional |");
    spec.edit(
        "akixi/rest.md",
        "| api-key-header | x-api-key | doc:rest-users | |\n",
        "",
    )
    .edit(
        "akixi/rest.md",
        "| logout | GET /logout |",
        "| logout | FETCH /logout |",
    )
    .edit(
        "akixi/cm-environments.md",
        "| Info | CMEnvironmentInfo | GET | /admin/cme/{CMEnvironmentID} |",
        "| Info | CMEnvironmentInfo | GET | admin-cme/{CMEnvironmentID} |",
    );
    let problems = spec.problems();
    assert_has(
        &problems,
        &table,
        "the `rest-binding` table has no `api-key-header` row",
    );
    assert_has(
        &problems,
        &spec.loc("akixi/rest.md", "FETCH /logout"),
        "`FETCH` is not an HTTP method",
    );
    assert_has(
        &problems,
        &spec.loc("akixi/cm-environments.md", "admin-cme/{CMEnvironmentID}"),
        "is not a path template: it does not start with `/`",
    );
    assert_eq!(problems.len(), 3, "{problems:?}");
    let (ok, stderr) = spec.check_tool();
    assert!(!ok);
    assert!(stderr.contains("FETCH"), "{stderr}");
}

#[test]
fn a_rest_operation_carries_what_its_shape_needs() {
    let spec = SpecCopy::new();
    spec.edit(
        "akixi/users.md",
        "| Delete | UserDelete | DELETE | /admin/user/{Username} |",
        "| Delete | UserDelete | DELETE | /admin/user/{UserName} |",
    )
    .edit(
        "akixi/users.md",
        "| Info | UserInfo | GET | /admin/user/{Username} |",
        "| Info | UserInform | GET | /admin/user/{Username} |",
    )
    .edit(
        "akixi/users.md",
        "| Change | UserChange | PUT | /admin/user/{Username}/password | Username, Password, PasswordChgRequired |",
        "| Change | UserChange | PUT | /admin/user/password | Password, PasswordChgRequired |",
    )
    .edit(
        "akixi/users.md",
        "| SendWelcomeEmail = True |",
        "| SendWelcomeEmail = Maybe |",
    )
    .edit(
        "akixi/partitions.md",
        "| List | PartitionList | GET | /admin/telsys/{TelSysID}/partition |",
        "| List | PartitionList | GET | /admin/telsys/{TelSysID}/partitions/{PartIDInTelSys} |",
    );
    let problems = spec.problems();
    assert_has(
        &problems,
        &spec.loc("akixi/users.md", "/admin/user/{UserName}"),
        "`{UserName}` is not a top-level input `Delete` carries of `UserDelete`",
    );
    assert_has(
        &problems,
        &spec.loc("akixi/users.md", "UserInform"),
        "family `User` has no operation `UserInform`",
    );
    assert_has(
        &problems,
        &spec.loc(
            "akixi/users.md",
            "Change | UserChange | PUT | /admin/user/password",
        ),
        "`Change` leaves out `Username`, which `UserChange` requires",
    );
    assert_has(
        &problems,
        &spec.loc("akixi/users.md", "SendWelcomeEmail = Maybe"),
        "`Maybe` is not a value of `Boolean` for `SendWelcomeEmail`",
    );
    // PartitionList takes no PartIDInTelSys: the path names what the list does not carry.
    assert_has(
        &problems,
        &spec.loc(
            "akixi/partitions.md",
            "/admin/telsys/{TelSysID}/partitions/{PartIDInTelSys}",
        ),
        "`{PartIDInTelSys}` is not a top-level input `List` carries of `PartitionList`",
    );
}

#[test]
fn two_rest_operations_may_not_share_a_route() {
    let spec = SpecCopy::new();
    spec.edit(
        "akixi/telephony-servers.md",
        "| Info | TelSysInfo | GET | /admin/telsys/{TelSysID} |",
        "| Info | TelSysInfo | GET | /admin/partition/{TelSysID} |",
    )
    .edit(
        "akixi/partitions.md",
        "| List | PartitionList | GET | /admin/telsys/{TelSysID}/partition |",
        "| List | PartitionList | GET | /admin/partition/{TelSysID} |",
    );
    let problems = spec.problems();
    let second = spec.loc("akixi/telephony-servers.md", "/admin/partition/{TelSysID}");
    let first = spec.loc("akixi/partitions.md", "/admin/partition/{TelSysID}");
    // Files load in name order: partitions.md before telephony-servers.md.
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with(&format!("{second}: error: "))
                && p.contains("is the route of another REST operation")
                && p.contains(&first)),
        "{problems:?}"
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[test]
fn rest_statuses_cover_every_condition_a_rest_server_answers() {
    let spec = SpecCopy::new();
    let table = spec.loc(
        "akixi/rest.md",
        "| Condition | Status | Source | Provisional |",
    );
    spec.edit(
        "akixi/rest.md",
        "| busy | 503 | inferred | yes |\n",
        "| busy | 5O3 | inferred | yes |\n| missing-invoke-id | 400 | inferred | yes |\n",
    )
    .edit(
        "akixi/rest.md",
        "| entity-in-use | 409 | inferred | yes |\n",
        "| entity-is-used | 409 | inferred | yes |\n",
    );
    let problems = spec.problems();
    assert_has(
        &problems,
        &spec.loc("akixi/rest.md", "5O3"),
        "`5O3` is not an HTTP status",
    );
    assert_has(
        &problems,
        &spec.loc("akixi/rest.md", "missing-invoke-id"),
        "a REST server never answers `missing-invoke-id`",
    );
    assert_has(
        &problems,
        &spec.loc("akixi/rest.md", "entity-is-used"),
        "unknown condition `entity-is-used`",
    );
    assert_has(
        &problems,
        &table,
        "no REST status for the condition `entity-in-use`",
    );
    assert_has(&problems, &table, "no REST status for the condition `busy`");
}

#[test]
fn a_json_form_fits_its_property() {
    let spec = SpecCopy::new();
    spec.edit(
        "akixi/users.md",
        "| Scope.PartIDInTelSys | array | doc:rest-users | |",
        "| LockOut | array | doc:rest-users | |\n| Scope.Nothing | array | doc:rest-users | |\n| FullName | list | doc:rest-users | |",
    );
    let problems = spec.problems();
    assert_has(
        &problems,
        &spec.loc(
            "akixi/users.md",
            "array | doc:rest-users | |\n| Scope.Nothing",
        ),
        "`LockOut` is of type `Boolean`, a `boolean` type, which the form `array` cannot hold",
    );
    assert_has(
        &problems,
        &spec.loc("akixi/users.md", "Scope.Nothing"),
        "no property `Scope.Nothing` in family `User`",
    );
    assert_has(
        &problems,
        &spec.loc("akixi/users.md", "list | doc:rest-users"),
        "unknown JSON form `list`",
    );
}

#[test]
fn only_an_akixi_ws_service_has_a_rest_binding() {
    let spec = SpecCopy::new();
    std::fs::write(
        spec.path("cisco-em/rest.md"),
        "# REST\n\n## rest-statuses\n\n| Condition | Status |\n|---|---|\n| busy | 503 |\n",
    )
    .expect("write");
    let problems = spec.problems();
    assert_has(
        &problems,
        &spec.loc("cisco-em/rest.md", "| Condition | Status |"),
        "a `cisco-em` service has no REST binding",
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
}
