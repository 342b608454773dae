//! The Akixi response decoder, as the client reads a server's answer: any bytes give a
//! response or a decode error, never a panic, and in bounded memory and depth.
#![no_main]

use akixi_client::akixi::user::{UserInfoResponse, UserListEntry};
use akixi_client::akixi::BINDING;
use akixi_client::akixi_ws::{Extra, decode_response};
use akixi_client::runtime::akixi_ws::List;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode_response::<Extra>(data, &BINDING);
    let _ = decode_response::<UserInfoResponse>(data, &BINDING);
    let _ = decode_response::<List<UserListEntry>>(data, &BINDING);
});
