// The bundled dataset is embedded in the library: rebuild when it changes.
fn main() {
    println!("cargo:rerun-if-changed=../../data/quebec");
}
