// The proc macro tracks the spec files it reads (include_str!); this also catches files added to
// the spec directory, which include_str! cannot know about.
fn main() {
    println!("cargo:rerun-if-changed=spec");
}
