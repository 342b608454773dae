//! The Extension Mobility response parser, as the client reads a server's answer.
#![no_main]

use akixi_client::cisco_em::decode_response;
use akixi_client::em::BINDING;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode_response(data, &BINDING);
});
