//! The web app's built files (`web/dist`), embedded in release builds and
//! read from disk in debug builds. Hashed assets are cached for a year;
//! any other path without a file extension gets `index.html` (the SPA's
//! router takes it from there).

use axum::{
    body::Body,
    http::{HeaderValue, StatusCode, Uri, header},
    response::{IntoResponse, Response},
};
use rust_embed::RustEmbed;

use crate::problem::ApiError;

#[derive(RustEmbed)]
#[folder = "../../web/dist"]
struct WebAssets;

const NOT_BUILT: &str = "<!doctype html><meta charset=utf-8><title>Family Room</title>\
<p>The web app has not been built. Run <code>npm --prefix web ci && npm --prefix web run build</code>, \
then restart the server. The API is at <a href=\"/api/docs\">/api/docs</a>.</p>";

pub async fn serve_web_app(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return ApiError::not_found().into_response();
    }
    if let Some(file) = (!path.is_empty()).then(|| WebAssets::get(path)).flatten() {
        let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
        return file_response(file, cache);
    }
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') {
        return ApiError::not_found().into_response();
    }
    match WebAssets::get("index.html") {
        Some(index) => file_response(index, "no-cache"),
        None => (StatusCode::OK, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], NOT_BUILT).into_response(),
    }
}

fn file_response(file: rust_embed::EmbeddedFile, cache_control: &'static str) -> Response {
    let etag = format!("\"{}\"", hex_of(&file.metadata.sha256_hash()[..16]));
    let mime = file.metadata.mimetype().to_owned();
    let mut response = Response::new(Body::from(file.data.into_owned()));
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    response
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
