//! Makes sure `web/dist` exists (so the embed reads it from disk in debug
//! builds even before the web app is built) and rebuilds this crate when
//! the web app's files change (so a release build embeds the current ones).

fn main() {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/dist");
    if let Err(error) = std::fs::create_dir_all(&dist) {
        println!("cargo:warning=cannot create {}: {error}", dist.display());
    }
    println!("cargo:rerun-if-changed={}", dist.display());
}
