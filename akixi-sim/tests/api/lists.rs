//! Paging, search and the fields a list returns.

use super::*;

#[tokio::test]
async fn lists_page_search_and_return_the_fields_asked_for() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    for i in 0..30 {
        admin
            .user_add(
                UserAddRequest::new(format!("page-{i:02}@example.invalid"))
                    .full_name(format!("Paged User {i:02}"))
                    .lock_out(i % 3 == 0)
                    .scope(Scope::new().reporting_access(ReportingAccess::Akixi2000)),
            )
            .await
            .expect("added");
    }
    let names = |l: &akixi::user::UserListResponse| -> Vec<String> {
        l.entries
            .iter()
            .filter_map(|e| e.username.clone())
            .collect()
    };
    let page = |offset: u64, limit: u64| {
        UserListRequest::new()
            .search_query("page-")
            .offset(offset)
            .limit(limit)
    };
    let first = admin.user_list(page(0, 10)).await.expect("list");
    assert_eq!(
        names(&first),
        (0..10)
            .map(|i| format!("page-{i:02}@example.invalid"))
            .collect::<Vec<_>>()
    );
    let last = admin.user_list(page(25, 10)).await.expect("list");
    assert_eq!(names(&last).len(), 5);
    assert_eq!(
        admin
            .user_list(page(30, 10))
            .await
            .expect("list")
            .entries
            .len(),
        0
    );
    assert_eq!(
        admin
            .user_list(page(0, 0))
            .await
            .expect("list")
            .entries
            .len(),
        0
    );

    // The defaults: Username and FullName only.
    let entry = &first.entries[0];
    assert_eq!(entry.full_name.as_deref(), Some("Paged User 00"));
    assert_eq!(
        (entry.lock_out, entry.reporting_access.clone()),
        (None, None)
    );
    // UserFields adds what it names (ReportingAccess comes from the user's Scope).
    let fields = UserFields::new()
        .with(UserField::LockOut)
        .with(UserField::ReportingAccess);
    let listed = admin
        .user_list(page(0, 1).user_fields(fields))
        .await
        .expect("list");
    assert_eq!(listed.entries[0].lock_out, Some(true));
    assert_eq!(
        listed.entries[0].reporting_access,
        Some(ReportingAccess::Akixi2000)
    );

    // SearchQuery matches the user name or the full name, case-insensitively.
    let hits = admin
        .user_list(UserListRequest::new().search_query("PAGED user 07"))
        .await
        .expect("list");
    assert_eq!(names(&hits), ["page-07@example.invalid"]);
    let hits = admin
        .user_list(UserListRequest::new().search_query("page-1"))
        .await
        .expect("list");
    assert_eq!(names(&hits).len(), 10);

    // The client's stream pages through everything with a small Limit.
    let streamed: Vec<_> = admin
        .user_list_stream(UserListRequest::new().search_query("page-").limit(7))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(|e| e.expect("entry").username.expect("name"))
        .collect();
    assert_eq!(streamed.len(), 30);
}

#[tokio::test]
async fn without_a_limit_a_list_returns_the_default_page() {
    let sim = support::start().await;
    let admin = client(&sim, ADMIN);
    let total = akixi::DEFAULT_LIMIT as usize + 5;
    let existing = sim.user_count();
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let admin = admin.clone();
            tokio::spawn(async move {
                for i in (t..total).step_by(8) {
                    admin
                        .user_add(UserAddRequest::new(format!("bulk-{i:05}")))
                        .await
                        .expect("added");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    assert_eq!(sim.user_count(), existing + total);
    let all = admin.user_list(UserListRequest::new()).await.expect("list");
    assert_eq!(all.entries.len() as u64, akixi::DEFAULT_LIMIT);
    let rest = admin
        .user_list(UserListRequest::new().offset(akixi::DEFAULT_LIMIT))
        .await
        .expect("list");
    assert_eq!(
        rest.entries.len(),
        existing + total - akixi::DEFAULT_LIMIT as usize
    );
}
