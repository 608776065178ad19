//! Uploads (`POST /api/v1/me/avatar`, `POST /api/v1/products/{product_id}/images`)
//! and serving (`GET /files/{*key}`). Only these upload routes accept a body
//! larger than the JSON limit; what the bytes are is decided by `app::files`.

use app::{
    accounts::UserView,
    files::{FileDownload, MAX_IMAGE_BYTES, ProductImagesView},
};
use axum::{
    Json,
    body::Body,
    extract::{
        DefaultBodyLimit, Multipart, State,
        multipart::{MultipartError, MultipartRejection},
    },
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use bytes::{Bytes, BytesMut};
use domain::{FieldError, ProductId};
use serde::Deserialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    HttpState,
    extract::{ApiPath, Auth},
    problem::{ApiError, ApiResult, Problem},
};

/// Room for the multipart framing around a file of the largest size.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// Served files never change under a key (keys name their content).
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[derive(OpenApi)]
#[openapi(paths(serve_file), tags((name = "files", description = "Uploaded images and how they are served")))]
struct FilesDoc;

pub fn routes() -> OpenApiRouter<HttpState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(upload_avatar))
        .routes(routes!(add_product_image))
        .layer(DefaultBodyLimit::max(MAX_IMAGE_BYTES + MULTIPART_OVERHEAD));
    // `{*key}` is axum's catch-all; the document names it `{key}`, so the
    // route is added by hand and described by `FilesDoc`.
    OpenApiRouter::with_openapi(FilesDoc::openapi()).route("/files/{*key}", get(serve_file)).merge(uploads)
}

/// A multipart form with one image in the field `file`, and no other field.
#[derive(ToSchema, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(dead_code, reason = "describes the multipart body for the OpenAPI document only")]
struct ImageUpload {
    /// A JPEG, PNG, WebP or GIF image of at most 5 MiB; its type is read
    /// from its bytes, the declared type is ignored.
    #[schema(value_type = String, format = Binary, min_length = 1)]
    file: Vec<u8>,
}

#[derive(Deserialize)]
struct ProductPath {
    product_id: ProductId,
}

fn too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the file must be at most 5 MiB")
}

fn multipart_error(error: MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        ApiError::bad_request(format!("the multipart body cannot be read: {}", error.body_text()))
    }
}

fn field_error(field: &str, message: &str) -> ApiError {
    ApiError::validation(vec![FieldError { field: field.into(), message: message.into() }])
}

/// The bytes of the one `file` field, read chunk by chunk so that an
/// oversized file is refused as soon as it passes the limit.
async fn read_image(multipart: Result<Multipart, MultipartRejection>) -> ApiResult<Bytes> {
    let mut multipart = multipart.map_err(|_| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the body must be multipart/form-data with the image in the field `file`",
        )
    })?;
    let mut file: Option<Bytes> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name != "file" {
            return Err(field_error(&name, "unknown field"));
        }
        if file.is_some() {
            return Err(field_error("file", "must be sent once"));
        }
        let mut buffer = BytesMut::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            if buffer.len() + chunk.len() > MAX_IMAGE_BYTES {
                return Err(too_large());
            }
            buffer.extend_from_slice(&chunk);
        }
        file = Some(buffer.freeze());
    }
    file.ok_or_else(|| field_error("file", "is required"))
}

/// Upload an avatar: the caller's `avatar` becomes the served URL of the image.
#[utoipa::path(post, path = "/api/v1/me/avatar", tag = "accounts", security(("bearer" = [])),
    request_body(content = ImageUpload, content_type = "multipart/form-data",
        encoding(("file" = (content_type = app::files::accepted_image_types())))),
    responses(
        (status = 200, body = UserView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the file is larger than 5 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not multipart/form-data", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "no `file` field, or it is not a JPEG, PNG, WebP or GIF image", body = Problem, content_type = "application/problem+json"),
    ))]
async fn upload_avatar(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<UserView>> {
    let bytes = read_image(multipart).await?;
    Ok(Json(state.app.upload_avatar(caller, bytes).await?))
}

/// Add an image to a product (catalog admins only); it is appended to the product's `images`.
#[utoipa::path(post, path = "/api/v1/products/{product_id}/images", tag = "files", security(("bearer" = [])),
    params(("product_id" = ProductId, Path, description = "The product")),
    request_body(content = ImageUpload, content_type = "multipart/form-data",
        encoding(("file" = (content_type = app::files::accepted_image_types())))),
    responses(
        (status = 201, body = ProductImagesView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "the caller is not a catalog admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the file is larger than 5 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not multipart/form-data", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "no `file` field, or it is not a JPEG, PNG, WebP or GIF image", body = Problem, content_type = "application/problem+json"),
    ))]
async fn add_product_image(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<ProductPath>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<ProductImagesView>)> {
    let bytes = read_image(multipart).await?;
    Ok((StatusCode::CREATED, Json(state.app.add_product_image(caller, path.product_id, bytes).await?)))
}

/// An uploaded file. Keys are made by the server and never reused, so the
/// answer is cacheable for a year; `If-None-Match` with its ETag answers 304.
#[utoipa::path(get, path = "/files/{key}", tag = "files",
    params(
        ("key" = inline(app::files::StoredFileKey), Path, description = "The object key, e.g. `avatars/<sha256>.png`, as found in a served URL"),
        ("If-None-Match" = Option<String>, Header, description = "An ETag from an earlier answer"),
    ),
    responses(
        (status = 200, description = "the file, with its content type, a strong ETag and Cache-Control: immutable", content_type = "image/*"),
        (status = 304, description = "the client's copy is current"),
        (status = 400, description = "the key tries to leave the file store", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn serve_file(
    State(state): State<HttpState>,
    ApiPath(key): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let if_none_match = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    let download = state.app.download_file(&key, if_none_match).await?;
    let (status, key, length, body) = match download {
        FileDownload::NotModified { key } => (StatusCode::NOT_MODIFIED, key, None, Body::empty()),
        FileDownload::Content { key, length, body } => (StatusCode::OK, key, Some(length), Body::from_stream(body)),
    };
    let mut response = (status, body).into_response();
    let out = response.headers_mut();
    let etag = HeaderValue::from_str(&key.etag()).map_err(app::AppError::internal)?;
    out.insert(header::ETAG, etag);
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    if let Some(length) = length {
        out.insert(header::CONTENT_TYPE, HeaderValue::from_static(key.content_type()));
        out.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    Ok(response)
}
