//! `/api/v1/products*`: search, suggestions and product pages;
//! `/api/v1/rooms/{room_id}/products/{product_id}/view`; and the demo
//! catalog's pictures under `/images/demo/`.

use app::{
    activities::ActivityView,
    catalog::{ProductPage, ProductSearchInput},
};
use axum::{
    Json,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::{ProductId, RoomId, product::Product};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    HttpState,
    extract::{ApiPath, ApiQuery, Auth},
    problem::{ApiError, ApiResult, Problem},
};

pub fn routes() -> OpenApiRouter<HttpState> {
    OpenApiRouter::new()
        .routes(routes!(search_products))
        .routes(routes!(suggest_products))
        .routes(routes!(get_product))
        .routes(routes!(view_product_in_room))
        .routes(routes!(demo_image))
}

#[derive(Deserialize)]
struct ProductPath {
    product_id: ProductId,
}

#[derive(Deserialize)]
struct RoomProductPath {
    room_id: RoomId,
    product_id: ProductId,
}

#[derive(Deserialize)]
struct ImagePath {
    r#type: String,
    file: String,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct SuggestQuery {
    /// What the user has typed so far.
    #[param(value_type = Option<app::schema::SearchText>, inline)]
    q: Option<String>,
}

/// Search the catalog: text, filters, facets, sort and cursor paging.
#[utoipa::path(get, path = "/api/v1/products", tag = "catalog", params(ProductSearchInput),
    responses(
        (status = 200, body = ProductPage),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn search_products(
    State(state): State<HttpState>,
    ApiQuery(input): ApiQuery<ProductSearchInput>,
) -> ApiResult<Json<ProductPage>> {
    Ok(Json(state.app.search_products(input).await?))
}

/// Completions for a search box, at most ten.
#[utoipa::path(get, path = "/api/v1/products/suggest", tag = "catalog", params(SuggestQuery),
    responses(
        (status = 200, body = Vec<String>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn suggest_products(
    State(state): State<HttpState>,
    ApiQuery(query): ApiQuery<SuggestQuery>,
) -> ApiResult<Json<Vec<String>>> {
    Ok(Json(state.app.suggest_products(query.q.as_deref().unwrap_or_default()).await?))
}

/// One product.
#[utoipa::path(get, path = "/api/v1/products/{product_id}", tag = "catalog",
    params(("product_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = Product),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_product(State(state): State<HttpState>, ApiPath(path): ApiPath<ProductPath>) -> ApiResult<Response> {
    let product = state.app.get_product(path.product_id).await?;
    // The cache holds the product's JSON already encoded.
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], product.json.clone()).into_response())
}

/// Open a product in the room: logs a `viewed` activity under the caller's
/// secret mode and broadcasts it.
#[utoipa::path(post, path = "/api/v1/rooms/{room_id}/products/{product_id}/view", tag = "catalog",
    security(("bearer" = [])), params(("room_id" = uuid::Uuid, Path), ("product_id" = uuid::Uuid, Path)),
    responses(
        (status = 201, body = ActivityView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn view_product_in_room(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomProductPath>,
) -> ApiResult<(StatusCode, Json<ActivityView>)> {
    let activity = state.app.open_product_in_room(caller, path.room_id, path.product_id).await?;
    Ok((StatusCode::CREATED, Json(activity)))
}

/// A demo catalog picture (SVG), cacheable forever.
#[utoipa::path(get, path = "/images/demo/{type}/{file}", tag = "catalog",
    params(("type" = String, Path), ("file" = String, Path)),
    responses(
        (status = 200, description = "the picture", content_type = "image/svg+xml"),
        (status = 304, description = "the client's copy is current"),
        (status = 400, description = "a path segment is not UTF-8 once percent-decoded", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn demo_image(ApiPath(path): ApiPath<ImagePath>, headers: HeaderMap) -> Response {
    let Some((svg, etag)) = app::catalog::demo_image(&path.r#type, &path.file) else {
        return ApiError::new(StatusCode::NOT_FOUND, "not_found", "image not found").into_response();
    };
    let cache = (header::CACHE_CONTROL, "public, max-age=31536000, immutable");
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)], [cache]).into_response();
    }
    (StatusCode::OK, [(header::CONTENT_TYPE, "image/svg+xml".to_owned()), (header::ETAG, etag)], [cache], svg)
        .into_response()
}
