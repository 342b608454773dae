//! The Akixi request decoder, as the simulator reads a stranger's request before any sign-in.
#![no_main]

use akixi_client::akixi::user::UserAddRequest;
use akixi_client::akixi_ws::{Extra, decode_request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode_request::<Extra>(data);
    let _ = decode_request::<UserAddRequest>(data);
});
