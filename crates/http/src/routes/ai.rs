//! `/api/v1/rooms/{room_id}/recommendations` and `/trips`: precomputed
//! recommendation lists per member, and trip plans with packing lists.

use app::{
    recommendations::{RecommendationQuery, RecommendationView},
    trips::{CreateTripInput, TripPage, TripView, UpdateTripInput},
};
use axum::{Json, extract::State, http::StatusCode};
use domain::{RoomId, TripId};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    HttpState,
    extract::{ApiPath, ApiQuery, Auth, JsonBody},
    problem::{ApiResult, Problem},
};

pub fn routes() -> OpenApiRouter<HttpState> {
    OpenApiRouter::new().routes(routes!(list_recommendations)).routes(routes!(list_trips, create_trip)).routes(routes!(
        get_trip,
        update_trip,
        delete_trip
    ))
}

#[derive(Deserialize)]
struct RoomPath {
    room_id: RoomId,
}

#[derive(Deserialize)]
struct TripPath {
    room_id: RoomId,
    trip_id: TripId,
}

/// Recommendation lists for a member (the caller by default), served from
/// lists precomputed in the background and refreshed a short while after
/// activity the member may see; new lists are also pushed over the socket
/// as `{"type":"recommendations",…}`. Activity hidden from the member by
/// secret mode never shapes their lists; for another member's lists, only
/// activity both may see counts.
#[utoipa::path(get, path = "/api/v1/rooms/{room_id}/recommendations", tag = "recommendations",
    security(("bearer" = [])), params(("room_id" = uuid::Uuid, Path), RecommendationQuery),
    responses(
        (status = 200, body = Vec<RecommendationView>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_recommendations(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
    ApiQuery(query): ApiQuery<RecommendationQuery>,
) -> ApiResult<Json<Vec<RecommendationView>>> {
    Ok(Json(state.app.list_recommendations(caller, path.room_id, query).await?))
}

/// Plan a trip: a packing list per traveller (and shared items) with
/// quantities and reasons, each line mapped to in-stock products in the
/// traveller's size and within the budget. Members and above. The climate
/// is inferred from destination and month when not given (`climate.inferred`
/// and `notes` say so). With a language model configured, the plan is
/// refined by it, or `notes` says why the built-in plan stands. Appends a
/// `trip_planned` activity.
#[utoipa::path(post, path = "/api/v1/rooms/{room_id}/trips", tag = "recommendations", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)), request_body = CreateTripInput,
    responses(
        (status = 201, body = TripView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_trip(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
    JsonBody(input): JsonBody<CreateTripInput>,
) -> ApiResult<(StatusCode, Json<TripView>)> {
    Ok((StatusCode::CREATED, Json(state.app.create_trip(caller, path.room_id, input).await?)))
}

/// The room's trip plans, newest first.
#[utoipa::path(get, path = "/api/v1/rooms/{room_id}/trips", tag = "recommendations", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = TripPage),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_trips(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
) -> ApiResult<Json<TripPage>> {
    Ok(Json(state.app.list_trips(caller, path.room_id).await?))
}

/// One trip plan.
#[utoipa::path(get, path = "/api/v1/rooms/{room_id}/trips/{trip_id}", tag = "recommendations",
    security(("bearer" = [])), params(("room_id" = uuid::Uuid, Path), ("trip_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = TripView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_trip(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<TripPath>,
) -> ApiResult<Json<TripView>> {
    Ok(Json(state.app.get_trip(caller, path.room_id, path.trip_id).await?))
}

/// Edit packing lines: `{"lines": [{"id": "t0:socks", "checked": true,
/// "quantity": 4, "owned": false, "product_id": "…"}]}`. Each edit names a
/// line by its `id` and changes only the fields it gives: `checked`
/// (packed), `quantity` (1–200), `owned` (already owned: the line leaves the
/// shopping list) and `product_id` (swap to another catalog product, or
/// `null` for none). All edits apply or none do. Members and above. Appends
/// a `trip_updated` activity.
#[utoipa::path(patch, path = "/api/v1/rooms/{room_id}/trips/{trip_id}", tag = "recommendations",
    security(("bearer" = [])), params(("room_id" = uuid::Uuid, Path), ("trip_id" = uuid::Uuid, Path)),
    request_body = UpdateTripInput,
    responses(
        (status = 200, body = TripView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_trip(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<TripPath>,
    JsonBody(input): JsonBody<UpdateTripInput>,
) -> ApiResult<Json<TripView>> {
    Ok(Json(state.app.update_trip(caller, path.room_id, path.trip_id, input).await?))
}

/// Delete a trip plan. Members and above.
#[utoipa::path(delete, path = "/api/v1/rooms/{room_id}/trips/{trip_id}", tag = "recommendations",
    security(("bearer" = [])), params(("room_id" = uuid::Uuid, Path), ("trip_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "deleted"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_trip(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<TripPath>,
) -> ApiResult<StatusCode> {
    state.app.delete_trip(caller, path.room_id, path.trip_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
