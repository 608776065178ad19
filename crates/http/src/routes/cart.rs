//! `/api/v1/rooms/{room_id}/cart`, `/wishlist`, `/products/{product_id}/vote`
//! and `/polls`: the family cart, wishlist and votes. Every answer is
//! computed for the caller; secret lines and votes hidden from them are absent.

use app::cart::{
    AddCartLineInput, AddWishlistInput, CartLineView, CartView, MoveToCartInput, PollSummary, UpdateCartLineInput,
    VoteInput, VoteView, WishlistItemView, WishlistView,
};
use axum::{Json, extract::State, http::StatusCode};
use domain::{CartLineId, ProductId, RoomId, WishlistItemId};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    HttpState,
    extract::{ApiPath, Auth, JsonBody},
    problem::{ApiResult, Problem},
};

pub fn routes() -> OpenApiRouter<HttpState> {
    OpenApiRouter::new()
        .routes(routes!(get_cart, add_to_cart))
        .routes(routes!(add_cart_line))
        .routes(routes!(update_cart_line, remove_cart_line))
        .routes(routes!(reveal_cart_line))
        .routes(routes!(get_wishlist, add_wishlist_item))
        .routes(routes!(remove_wishlist_item))
        .routes(routes!(move_wishlist_item_to_cart))
        .routes(routes!(vote))
        .routes(routes!(get_polls))
}

#[derive(Deserialize)]
struct RoomPath {
    room_id: RoomId,
}

#[derive(Deserialize)]
struct LinePath {
    room_id: RoomId,
    line_id: CartLineId,
}

#[derive(Deserialize)]
struct ItemPath {
    room_id: RoomId,
    item_id: WishlistItemId,
}

#[derive(Deserialize)]
struct ProductPath {
    room_id: RoomId,
    product_id: ProductId,
}

/// The cart as the caller sees it: lines hidden from them are absent, and
/// the totals count only the lines shown.
#[utoipa::path(get, path = "/api/v1/rooms/{room_id}/cart", tag = "cart", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = CartView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_cart(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
) -> ApiResult<Json<CartView>> {
    Ok(Json(state.app.get_cart(caller, path.room_id).await?))
}

/// Add to the cart (the same as `POST …/cart/lines`).
#[utoipa::path(post, path = "/api/v1/rooms/{room_id}/cart", tag = "cart", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)), request_body = AddCartLineInput,
    responses(
        (status = 201, body = CartLineView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn add_to_cart(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
    JsonBody(input): JsonBody<AddCartLineInput>,
) -> ApiResult<(StatusCode, Json<CartLineView>)> {
    Ok((StatusCode::CREATED, Json(state.app.add_cart_line(caller, path.room_id, input).await?)))
}

/// Add a line. The same product, size and recipient merges into one line
/// (quantities add, capped at 99); secret lines merge only with the same
/// author's line of the same visibility. A line bought for a member is
/// hidden from that member; one added in secret mode or with a `visibility`
/// is hidden like a secret activity.
#[utoipa::path(post, path = "/api/v1/rooms/{room_id}/cart/lines", tag = "cart", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)), request_body = AddCartLineInput,
    responses(
        (status = 201, body = CartLineView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn add_cart_line(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
    JsonBody(input): JsonBody<AddCartLineInput>,
) -> ApiResult<(StatusCode, Json<CartLineView>)> {
    Ok((StatusCode::CREATED, Json(state.app.add_cart_line(caller, path.room_id, input).await?)))
}

/// Change a line's size, quantity or recipient.
///
/// Concurrency: with `version` (from the line), the change applies only if
/// the line is still at that version; otherwise it answers 409 `conflict`
/// with the line as it is now in `current`, and nothing changes. Without
/// `version` the last write wins. A change onto another line's product,
/// size and recipient answers 409 `conflict`.
#[utoipa::path(patch, path = "/api/v1/rooms/{room_id}/cart/lines/{line_id}", tag = "cart", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path), ("line_id" = uuid::Uuid, Path)), request_body = UpdateCartLineInput,
    responses(
        (status = 200, body = CartLineView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "stale `version` (the line is in `current`) or a twin line exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_cart_line(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<LinePath>,
    JsonBody(input): JsonBody<UpdateCartLineInput>,
) -> ApiResult<Json<CartLineView>> {
    Ok(Json(state.app.update_cart_line(caller, path.room_id, path.line_id, input).await?))
}

/// Remove a line.
#[utoipa::path(delete, path = "/api/v1/rooms/{room_id}/cart/lines/{line_id}", tag = "cart", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path), ("line_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "removed"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn remove_cart_line(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<LinePath>,
) -> ApiResult<StatusCode> {
    state.app.remove_cart_line(caller, path.room_id, path.line_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Show one's own secret line to the whole room (a `revealed` activity
/// carries it). A public line of the same product, size and recipient
/// absorbs it.
#[utoipa::path(post, path = "/api/v1/rooms/{room_id}/cart/lines/{line_id}/reveal", tag = "cart",
    security(("bearer" = [])), params(("room_id" = uuid::Uuid, Path), ("line_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = CartLineView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn reveal_cart_line(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<LinePath>,
) -> ApiResult<Json<CartLineView>> {
    Ok(Json(state.app.reveal_cart_line(caller, path.room_id, path.line_id).await?))
}

/// The room's wishlist as the caller sees it.
#[utoipa::path(get, path = "/api/v1/rooms/{room_id}/wishlist", tag = "cart", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = WishlistView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_wishlist(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
) -> ApiResult<Json<WishlistView>> {
    Ok(Json(state.app.get_wishlist(caller, path.room_id).await?))
}

/// Add a product to the wishlist, under the cart's visibility rules; adding
/// it again for the same recipient answers the existing item.
#[utoipa::path(post, path = "/api/v1/rooms/{room_id}/wishlist", tag = "cart", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)), request_body = AddWishlistInput,
    responses(
        (status = 201, body = WishlistItemView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn add_wishlist_item(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
    JsonBody(input): JsonBody<AddWishlistInput>,
) -> ApiResult<(StatusCode, Json<WishlistItemView>)> {
    Ok((StatusCode::CREATED, Json(state.app.add_wishlist_item(caller, path.room_id, input).await?)))
}

/// Remove a wishlist item.
#[utoipa::path(delete, path = "/api/v1/rooms/{room_id}/wishlist/{item_id}", tag = "cart", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path), ("item_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "removed"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn remove_wishlist_item(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<ItemPath>,
) -> ApiResult<StatusCode> {
    state.app.remove_wishlist_item(caller, path.room_id, path.item_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Move a wishlist item into the cart in one step; the line keeps the
/// item's author, recipient and visibility.
#[utoipa::path(post, path = "/api/v1/rooms/{room_id}/wishlist/{item_id}/move-to-cart", tag = "cart",
    security(("bearer" = [])), params(("room_id" = uuid::Uuid, Path), ("item_id" = uuid::Uuid, Path)),
    request_body = MoveToCartInput,
    responses(
        (status = 201, body = CartLineView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn move_wishlist_item_to_cart(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<ItemPath>,
    JsonBody(input): JsonBody<MoveToCartInput>,
) -> ApiResult<(StatusCode, Json<CartLineView>)> {
    let line = state.app.move_wishlist_item_to_cart(caller, path.room_id, path.item_id, input).await?;
    Ok((StatusCode::CREATED, Json(line)))
}

/// Vote 👍 (1) or 👎 (-1) on a product, or remove the vote (0). Answers the
/// caller's vote and the tally they may see.
#[utoipa::path(put, path = "/api/v1/rooms/{room_id}/products/{product_id}/vote", tag = "cart",
    security(("bearer" = [])), params(("room_id" = uuid::Uuid, Path), ("product_id" = uuid::Uuid, Path)),
    request_body = VoteInput,
    responses(
        (status = 200, body = VoteView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn vote(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<ProductPath>,
    JsonBody(input): JsonBody<VoteInput>,
) -> ApiResult<Json<VoteView>> {
    Ok(Json(state.app.vote(caller, path.room_id, path.product_id, input).await?))
}

/// The room's poll summary: most liked, most disliked, most discussed,
/// over the votes and comments the caller may see.
#[utoipa::path(get, path = "/api/v1/rooms/{room_id}/polls", tag = "cart", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = PollSummary),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_polls(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
) -> ApiResult<Json<PollSummary>> {
    Ok(Json(state.app.get_polls(caller, path.room_id).await?))
}
