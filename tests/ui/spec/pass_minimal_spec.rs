// Code generated from a small spec compiles in a crate of its own and behaves.
// (Paths are relative to the crate trybuild builds, in target/tests/trybuild/akixi-ui-tests;
// see ui.rs.)
mod widgets {
    akixi_derive::service!(
        spec = "../../../../akixi-schema/tests/fixtures/minimal",
        service = "widgets"
    );
}

use widgets::widget::{Look, WidgetAddRequest, WidgetAddRequestFor};
use widgets::{Colour, Colours, Count, Platform, platforms};

fn main() {
    let req = WidgetAddRequest::new("w")
        .size(Count::new(3).expect("in range"))
        .look(Look::new().colours(Colours::new().with(Colour::DarkBlue)).shiny(true));
    let err = req.validate_for(Platform::Beta).expect_err("Size and Shiny are Alpha-only");
    assert_eq!(err.properties.len(), 2);
    assert!(req.validate_for(Platform::Alpha).is_ok());
    assert!(Count::new(100).is_err());

    // On Alpha every setter exists; the built request needs no validation.
    let typed = WidgetAddRequestFor::<platforms::Alpha>::new("w")
        .size(Count::new(1).expect("in range"))
        .look(|l| l.shiny(true))
        .build();
    assert!(typed.validate_for(Platform::Alpha).is_ok());
}
