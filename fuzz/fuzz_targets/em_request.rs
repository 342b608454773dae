//! The Extension Mobility request parser, as the simulator reads a form before any sign-in:
//! the form field, then the XML document inside it.
#![no_main]

use akixi_client::cisco_em::RequestDocument;
use akixi_client::em::BINDING;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = RequestDocument::from_form_body(data, &BINDING);
    let _ = RequestDocument::parse(data, &BINDING);
});
