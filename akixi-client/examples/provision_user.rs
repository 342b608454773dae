//! Provisions a user from start to end: create, read, change, list and delete.
//!
//! ```sh
//! AKIXI_URL=https://akixi.example.com/CCS/WebServices \
//! AKIXI_USERNAME=admin AKIXI_PASSWORD=… \
//! cargo run -p akixi-client --example provision_user
//! ```
//!
//! Optional: `AKIXI_PLATFORM` (a platform id such as `cisco-broadworks`, to validate requests
//! before sending them) and `AKIXI_TEST_USER` (the user name to create; a random one by
//! default). Exits with status 1 on any failure, after trying to delete the user it created.

use std::error::Error;
use std::process::ExitCode;

use akixi_client::Client;
use akixi_client::akixi::Platform;
use akixi_client::akixi::error_conditions;
use akixi_client::akixi::user::{
    UserAddRequest, UserChangeRequest, UserDeleteRequest, UserInfoRequest, UserListRequest,
};
use futures_util::TryStreamExt as _;

type BoxError = Box<dyn Error + Send + Sync>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match from_env().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("provision_user: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn from_env() -> Result<(), BoxError> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let mut builder = Client::builder(var("AKIXI_URL")?)
        .credentials(var("AKIXI_USERNAME")?, var("AKIXI_PASSWORD")?);
    if let Ok(id) = std::env::var("AKIXI_PLATFORM") {
        builder = builder.platform(Platform::parse(&id).map_err(|e| e.to_string())?);
    }
    let client = builder.build()?;
    let username = std::env::var("AKIXI_TEST_USER")
        .unwrap_or_else(|_| format!("akixi-example-{:06}", rand::random_range(0..1_000_000)));
    let outcome = provision(&client, &username).await;
    let closed = client.close().await;
    outcome?;
    closed?;
    Ok(())
}

/// The whole life of `username`; on a failure after it was created, deletes it again.
pub async fn provision(client: &Client, username: &str) -> Result<(), BoxError> {
    let password: String = (0..20)
        .map(|_| {
            const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
            char::from(CHARS[rand::random_range(0..CHARS.len())])
        })
        .collect();
    client
        .user_add(
            UserAddRequest::new(username)
                .full_name("Provisioned by akixi")
                .password(password)
                .password_chg_required(true),
        )
        .await?;
    println!("created {username}");

    let steps = read_change_list(client, username).await;
    let deleted = client.user_delete(UserDeleteRequest::new(username)).await;
    steps?;
    deleted?;
    println!("deleted {username}");

    match client.user_info(UserInfoRequest::new(username)).await {
        Err(e) if e.code() == Some(error_conditions::UNKNOWN_ENTITY_USER) => Ok(()),
        Err(e) => Err(e.into()),
        Ok(_) => Err(format!("{username} is still there after UserDelete").into()),
    }
}

async fn read_change_list(client: &Client, username: &str) -> Result<(), BoxError> {
    let info = client.user_info(UserInfoRequest::new(username)).await?;
    if info.full_name.as_deref() != Some("Provisioned by akixi") {
        return Err(format!("UserInfo returned FullName {:?}", info.full_name).into());
    }
    println!("read {username}: {:?}", info.full_name);

    client
        .user_change(
            UserChangeRequest::new(username)
                .full_name("Changed by akixi")
                .lock_out(true),
        )
        .await?;
    let info = client.user_info(UserInfoRequest::new(username)).await?;
    if info.full_name.as_deref() != Some("Changed by akixi") || info.lock_out != Some(true) {
        return Err(format!("the change did not stick: {info:?}").into());
    }
    println!("changed {username}");

    let mut users = client.user_list_stream(UserListRequest::new().search_query(username));
    let mut found = false;
    let mut listed = 0usize;
    while let Some(entry) = users.try_next().await? {
        listed += 1;
        found |= entry.username.as_deref() == Some(username);
    }
    if !found {
        return Err(format!("{username} is not among the {listed} users listed").into());
    }
    println!("listed {listed} user(s), {username} among them");
    Ok(())
}
