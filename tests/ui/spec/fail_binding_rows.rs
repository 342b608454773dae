// A spec whose binding rows are broken (a missing row, a bad value, an unknown key, a reference to
// no property): each is a compile error naming file:line:col, and nothing else is reported.
mod widgets {
    akixi_derive::service!(
        spec = "../../../../akixi-schema/tests/fixtures/broken/binding-rows",
        service = "widgets"
    );
}

fn main() {
    let _ = widgets::widget::WidgetAddRequest::new("w");
    let _ = widgets::Platform::Alpha;
}
