// `sqlx::migrate!` embeds the migration directories at compile time, but a
// new file there changes no Rust source: tell Cargo to rebuild on it.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
