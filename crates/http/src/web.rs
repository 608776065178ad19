//! The web app's built files (`web/dist`), embedded in release builds and
//! read from disk in debug builds. Hashed assets are cached for a year;
//! any other path without a file extension gets `index.html` (the SPA's
//! router takes it from there). Where the build wrote a gzip sibling
//! (`file.gz`, by `web/scripts/precompress.mjs`) and the browser accepts
//! gzip, that is sent instead, so nothing is compressed per request.

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, StatusCode, Uri, header},
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

pub async fn serve_web_app(uri: Uri, request_headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return ApiError::not_found().into_response();
    }
    let gzip = accepts_gzip(&request_headers);
    if let Some(file) = (!path.is_empty()).then(|| WebAssets::get(path)).flatten() {
        let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
        return file_response(path, file, cache, gzip);
    }
    let last_segment = path.rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') {
        return ApiError::not_found().into_response();
    }
    match WebAssets::get("index.html") {
        Some(index) => file_response("index.html", index, "no-cache", gzip),
        None => (StatusCode::OK, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], NOT_BUILT).into_response(),
    }
}

/// Whether `Accept-Encoding` admits gzip (a `gzip` or `*` coding without `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|value| value.to_str().ok()).any(|value| {
        value.split(',').any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|param| {
                param.strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
    })
}

/// `file` (found at `path`), or its gzip sibling when `gzip` is accepted and
/// the build wrote one. Both answers vary by `Accept-Encoding` and carry
/// their own ETag.
fn file_response(path: &str, file: rust_embed::EmbeddedFile, cache_control: &'static str, gzip: bool) -> Response {
    let mime = file.metadata.mimetype().to_owned();
    let compressed = if gzip { WebAssets::get(&format!("{path}.gz")) } else { None };
    let encoded = compressed.is_some();
    let sent = compressed.unwrap_or(file);
    let etag = format!("\"{}\"", hex_of(&sent.metadata.sha256_hash()[..16]));
    let mut response = Response::new(Body::from(sent.data.into_owned()));
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if encoded {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    response
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn gzip_is_sent_only_where_the_browser_accepts_it() {
        assert!(accepts_gzip(&accept("gzip, deflate, br, zstd")));
        assert!(accepts_gzip(&accept("br;q=1.0, GZIP;q=0.5")));
        assert!(accepts_gzip(&accept("*")));
        assert!(!accepts_gzip(&accept("gzip;q=0, br")));
        assert!(!accepts_gzip(&accept("identity")));
        assert!(!accepts_gzip(&accept("gzipped")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
