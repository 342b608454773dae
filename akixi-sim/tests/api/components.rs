//! The component families (CM environments, telephony servers, partitions) served by the same
//! engine as users: keys the service assigns, references, cascades and refusals on delete,
//! and what a scoped supervisor sees of them.

use super::*;
use akixi_client::akixi::TelSysPlatform;
use akixi_client::akixi::cm_environment::{CMEnvironmentAddRequest, CMEnvironmentInfoRequest};
use akixi_client::akixi::partition::{
    PartitionAddRequest, PartitionInfoRequest, PartitionListRequest,
};
use akixi_client::akixi::tel_sys::{TelSysAddRequest, TelSysDeleteRequest, TelSysListRequest};

#[tokio::test]
async fn servers_and_partitions_get_assigned_keys_and_go_together() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let cme = admin
        .cm_environment_add(CMEnvironmentAddRequest::new().description("Second"))
        .await
        .expect("added")
        .cm_environment_id
        .expect("the service assigns the id");
    let info = admin
        .cm_environment_info(CMEnvironmentInfoRequest::new(cme.as_str()))
        .await
        .expect("info");
    assert_eq!(info.description.as_deref(), Some("Second"));

    let server = admin
        .tel_sys_add(TelSysAddRequest::new(
            cme.as_str(),
            TelSysPlatform::Hipath3000,
        ))
        .await
        .expect("added")
        .tel_sys_id
        .expect("the service assigns the number");
    assert!(
        server.get() > DOCS_TEL_SYS_ID,
        "after the largest: {server:?}"
    );
    let first = admin
        .partition_add(PartitionAddRequest::new(server))
        .await
        .expect("added")
        .part_id_in_tel_sys
        .expect("assigned");
    let second = admin
        .partition_add(PartitionAddRequest::new(server))
        .await
        .expect("added")
        .part_id_in_tel_sys
        .expect("assigned");
    assert_eq!(
        (first.get(), second.get()),
        (1, 2),
        "numbered within the server"
    );
    assert_eq!(
        code_of(admin.partition_add(PartitionAddRequest::new(424_242)).await),
        cond::UNKNOWN_ENTITY_TEL_SYS.code()
    );
    let listed = admin
        .partition_list(PartitionListRequest::new(server))
        .await
        .expect("list");
    assert_eq!(listed.entries.len(), 2);

    // Deleting the server takes its partitions with it (the spec's `cascade`)...
    admin
        .tel_sys_delete(TelSysDeleteRequest::new(server))
        .await
        .expect("deleted");
    assert_eq!(
        code_of(
            admin
                .partition_info(PartitionInfoRequest::new(server, first))
                .await
        ),
        cond::UNKNOWN_ENTITY_PARTITION.code()
    );
    // ...but a server users are scoped to stays (`refuse`).
    assert_eq!(
        code_of(
            admin
                .tel_sys_delete(TelSysDeleteRequest::new(ts(Platform::CiscoBroadworks)))
                .await
        ),
        cond::ENTITY_IN_USE.code()
    );
}

#[tokio::test]
async fn a_scoped_caller_sees_only_the_components_it_sits_in() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let broadworks = supervisor(Platform::CiscoBroadworks);
    // Give the BroadWorks supervisor the right to read servers.
    let mut admin_rights = AdminPermissions::new();
    for p in broadworks.user_permissions {
        admin_rights = admin_rights.with(p.clone());
    }
    admin_rights = admin_rights
        .with(AdminPermission::from("TelSys|Read"))
        .with(AdminPermission::from("Partition|Read"));
    admin
        .user_change(
            UserChangeRequest::new(broadworks.username)
                .permissions(Permissions::new().admin(admin_rights)),
        )
        .await
        .expect("granted");
    let sup = client(&sim, broadworks.username);
    let servers = sup
        .tel_sys_list(TelSysListRequest::new())
        .await
        .expect("list");
    let ids: Vec<i64> = servers
        .entries
        .iter()
        .filter_map(|e| e.tel_sys_id.map(|i| i.get()))
        .collect();
    assert_eq!(ids, [ts(Platform::CiscoBroadworks) as i64]);
    // Another server is answered as a missing one, whether it exists or not.
    let partitions = sup
        .partition_list(PartitionListRequest::new(ts(Platform::Hipath3000)))
        .await;
    assert_eq!(code_of(partitions), cond::UNKNOWN_ENTITY_TEL_SYS.code());
    let missing = sup.partition_list(PartitionListRequest::new(99_999)).await;
    assert_eq!(code_of(missing), cond::UNKNOWN_ENTITY_TEL_SYS.code());
    // Without the token, refused.
    let reader = client(&sim, supervisor(Platform::BroadsoftM6).username);
    assert_eq!(
        code_of(reader.tel_sys_list(TelSysListRequest::new()).await),
        cond::PERMISSION_DENIED.code()
    );
}
