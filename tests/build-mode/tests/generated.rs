//! The types `build.rs` generated behave as the macro's do.

use akixi_build_mode::gadgets::gadget::{GadgetAddRequest, GadgetAddRequestFor, Look};
use akixi_build_mode::gadgets::{Colour, Colours, Count, ErrorCode, Platform, platforms};

#[test]
fn generated_requests_validate_per_platform() {
    let req = GadgetAddRequest::new("g")
        .size(Count::new(3).expect("in range"))
        .look(
            Look::new()
                .colours(Colours::new().with(Colour::DarkBlue))
                .shiny(true),
        );
    let err = req
        .validate_for(Platform::Beta)
        .expect_err("Size and Shiny are Alpha-only");
    assert_eq!(err.properties.len(), 2);
    assert!(req.validate_for(Platform::Alpha).is_ok());

    let typed = GadgetAddRequestFor::<platforms::Alpha>::new("g")
        .size(Count::new(1).expect("in range"))
        .look(|l| l.shiny(true))
        .build();
    assert!(typed.validate_for(Platform::Alpha).is_ok());
}

#[test]
fn generated_values_keep_the_spec_facts() {
    assert!(Count::new(100).is_err());
    assert_eq!(Count::MAX, 99);
    assert_eq!(Colour::VALUES, &["Red", "Dark Blue"]);
    assert_eq!(Colour::from("Dark Blue"), Colour::DarkBlue);
    assert_eq!(ErrorCode::from_code(100), ErrorCode::Broken);
    assert_eq!(ErrorCode::Broken.code(), 100);
}
