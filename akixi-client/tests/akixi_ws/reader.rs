//! Reader: the seed responses.

use super::*;

#[test]
fn plain_success_responses_have_no_data() {
    for (xml, id) in [
        (&*seed::USER_ADD_RESPONSE, "00024"),
        (&*seed::USER_CHANGE_RESPONSE, "00025"),
        (&*seed::USER_DELETE_RESPONSE, "00026"),
    ] {
        let decoded = decode::<Trace>(xml).unwrap();
        assert_eq!(decoded.result, ResultKind::Success);
        assert_eq!(decoded.invoke_id.as_deref(), Some(id));
        assert_eq!(decoded.data, None);
        assert!(decoded.errors.is_empty());
    }
}

#[test]
fn user_info_response_node_sequence() {
    let permissions_admin = "Device|Create,ACDAgent|Create,Code|Create,DirectoryEntry|Create,Partition|Create,TelSys|Create,Omnichannel|Create,User|Create,Recording|Create,CME|Create,Device|Read,ACDAgent|Read,Code|Read,DirectoryEntry|Read,Partition|Read,TelSys|Read,Omnichannel|Read,User|Read,Recording|Read,CME|Read,Message|Read,Database|Read,LogMngmt|Read,CallControl|Read,License|Read,Logging|Read,Device|Update,ACDAgent|Update,Code|Update,DirectoryEntry|Update,Partition|Update,TelSys|Update,Omnichannel|Update,User|Update,Recording|Update,CME|Update,Message|Update,Database|Update,LogMngmt|Update,License|Update,Device|Delete,ACDAgent|Delete,Code|Delete,DirectoryEntry|Delete,Partition|Delete,TelSys|Delete,Omnichannel|Delete,User|Delete,Recording|Delete,CME|Delete,Message|Delete,SignInAs,ReportCopy,ChangeTelSysPartitionLicenseLevel,BillingSummary,BillingCDRs,SyncPartition,AuditTrail|Read,TelSysStatus|Read,OmnichannelStatus|Read,ServerStatus|Read";
    let decoded = decode::<Trace>(&seed::USER_INFO_RESPONSE).unwrap();
    assert_eq!(decoded.invoke_id.as_deref(), Some("00028"));
    let expected = [
        "Username=supervisor@example.com",
        "EmailAddr=reporting@acme-commsnet.com",
        "FullName=Sample Supervisor Account 2",
        "LockOut=False",
        "PasswordChgRequired=True",
        "EnableMFA=False",
        "SynchroniseSupervisorPermissions=False",
        "Defaultlang=en_GB",
        "[Scope",
        "CMEnvironmentID=d6d6c5a5f0f90d60:-15617a00:169f533f6d5:5613",
        "TelSysID=100100",
        "PartIDInTelSys=2",
        "DeviceNumber=All",
        "AgentNumber=All",
        "ReportingAccess=Akixi 1000",
        "Admin=False",
        "CallRecIntID=4f124376cc1db4d4:-5629173c:17d7be86775:-7fb6",
        "ReportReadOnly=False",
        "]",
        "[Permissions",
        &format!("Admin={permissions_admin}"),
        "NonAdmin=Report|Create,Report|Read,Report|Update,Report|Delete,ReportDataAPI,AdvancedMobileAppFeatures",
        "Other=ConcurrentSignIn,ServiceNotifications",
        "]",
        "[Endpoint",
        "TelSysID=100100",
        "PartIDInTelSys=2",
        "DeviceNumber=01234567890",
        "AgentNumber=None",
        "]",
        "[Advanced",
        "PromptForTerms=False",
        "NotifyPasswordChgs=False",
        "ReportUpdInterval=Auto",
        "DisableMediaPlugIns=False",
        "DisableDragDropFeatures=False",
        "JavaScriptAuditOutput=False",
        "]",
    ];
    assert_eq!(decoded.data.unwrap().0, expected);
}

#[test]
fn user_list_response_node_sequence() {
    assert_eq!(
        trace(&seed::USER_LIST_RESPONSE),
        [
            "[",
            "Username=supervisor1@example.com",
            "FullName=Sample Supervisor Account",
            "LockOut=False",
            "ReportingAccess=Akixi 2000",
            "EnhancedMobileReporting=True",
            "Admin=False",
            "]",
            "[",
            "Username=administrator@example.com",
            "FullName=Sample Admin Account",
            "LockOut=False",
            "ReportingAccess=Akixi 2000",
            "EnhancedMobileReporting=False",
            "Admin=True",
            "OmniChannelACDAgent=True",
            "]",
        ]
    );
}

#[test]
fn vec_and_list_decode_one_entry_per_unnamed_container() {
    let users = decode::<Vec<Entry>>(&seed::USER_LIST_RESPONSE)
        .unwrap()
        .data
        .unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(
        users[1].username.as_deref(),
        Some("administrator@example.com")
    );
    assert_eq!(users[1].extra.property("OmniChannelACDAgent"), Some("True"));
    assert_eq!(users[0].extra.property("OmniChannelACDAgent"), None);

    let xml = r#"<Response Result="Success"><InvokeID>1</InvokeID><Success>
        <Property Name="Total">2</Property>
        <Container><Property Name="Username">a</Property></Container>
        <Container Name="Paging"><Property Name="Next">5</Property></Container>
        <Container/>
    </Success></Response>"#;
    let list = decode::<List<Entry>>(xml).unwrap().data.unwrap();
    assert_eq!(list.entries.len(), 2);
    assert_eq!(list.entries[0].username.as_deref(), Some("a"));
    assert_eq!(list.entries[1], Entry::default());
    assert_eq!(list.extra.property("Total"), Some("2"));
    assert_eq!(
        list.extra
            .container("Paging")
            .and_then(|p| p.property("Next")),
        Some("5")
    );
    assert_eq!(decode::<Vec<Entry>>(xml).unwrap().data.unwrap().len(), 2);
}

#[test]
fn extra_keeps_the_whole_payload_in_order() {
    let extra = decode::<Extra>(&seed::USER_INFO_RESPONSE)
        .unwrap()
        .data
        .unwrap();
    assert_eq!(extra.len(), 12);
    assert_eq!(extra.property("Defaultlang"), Some("en_GB"));
    let scope = extra.container("Scope").unwrap();
    assert_eq!(scope.property("TelSysID"), Some("100100"));
    assert_eq!(scope.len(), 9);
}

/// Reads only the first property of each level, leaving the rest to the runtime.
#[derive(Debug, PartialEq)]
struct FirstOnly(Option<String>);

impl DecodePayload for FirstOnly {
    fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
        match reader.next()? {
            Some(Node::Property { value, .. }) => Ok(FirstOnly(Some(value.into_owned()))),
            Some(Node::Container { .. }) => {
                // Leaves this container open on purpose.
                Ok(FirstOnly(None))
            }
            None => Ok(FirstOnly(None)),
        }
    }
}

#[test]
fn decoders_may_stop_early() {
    let users = decode::<Vec<FirstOnly>>(&seed::USER_LIST_RESPONSE)
        .unwrap()
        .data
        .unwrap();
    assert_eq!(
        users,
        [
            FirstOnly(Some("supervisor1@example.com".into())),
            FirstOnly(Some("administrator@example.com".into()))
        ]
    );
    let info = decode::<FirstOnly>(&seed::USER_INFO_RESPONSE).unwrap();
    assert_eq!(
        info.data,
        Some(FirstOnly(Some("supervisor@example.com".into())))
    );
    let nested = r#"<Response Result="Success"><Success><Container Name="A"><Container Name="B">
        <Property Name="x">1</Property></Container></Container></Success></Response>"#;
    assert_eq!(
        decode::<FirstOnly>(nested).unwrap().data,
        Some(FirstOnly(None))
    );
}

#[test]
fn skip_leaves_a_container() {
    #[derive(Debug)]
    struct SkipScope(Vec<String>);
    impl DecodePayload for SkipScope {
        fn decode(reader: &mut PayloadReader<'_>) -> Result<Self, DecodeError> {
            let mut seen = Vec::new();
            while let Some(node) = reader.next()? {
                match node {
                    Node::Property { name, .. } => seen.push(name.into_owned()),
                    Node::Container { name } => {
                        seen.push(format!("skipped {}", name.unwrap_or_default()));
                        reader.skip()?;
                    }
                }
            }
            Ok(SkipScope(seen))
        }
    }
    let seen = decode::<SkipScope>(&seed::USER_INFO_RESPONSE)
        .unwrap()
        .data
        .unwrap()
        .0;
    assert_eq!(seen.len(), 12);
    assert_eq!(
        seen[8..],
        [
            "skipped Scope",
            "skipped Permissions",
            "skipped Endpoint",
            "skipped Advanced"
        ]
    );
}
