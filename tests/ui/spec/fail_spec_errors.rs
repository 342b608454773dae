// A spec with several problems: each is a compile error naming file:line:col, and the
// generated items still exist, so the code below reports nothing else.
mod widgets {
    akixi_derive::service!(
        spec = "../../../../akixi-schema/tests/fixtures/broken/several-problems",
        service = "widgets"
    );
}

fn main() {
    let _ = widgets::widget::WidgetAddRequest::new("w");
    let _ = widgets::Platform::Alpha;
}
