//! `/api/v1/rooms/*`: rooms, members, invites, activities and secret mode.

use app::{
    activities::{ActivityPage, ActivityView, PostActivityInput, SecretModeInput, SecretModeView},
    rooms::{
        CreateRoomInput, JoinRoomInput, JoinedRoom, MemberView, RenameRoomInput, RoomDetail, RoomView,
        RotateInviteInput, SetRoleInput, TransferInput,
    },
};
use axum::{Json, extract::State, http::StatusCode};
use domain::{ActivityId, RoomId, UserId};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    HttpState,
    extract::{ApiPath, ApiQuery, Auth, JsonBody, OptionalJsonBody},
    problem::{ApiResult, Problem},
};

pub fn routes() -> OpenApiRouter<HttpState> {
    OpenApiRouter::new()
        .routes(routes!(create_room, list_rooms))
        .routes(routes!(join_room))
        .routes(routes!(get_room, rename_room, delete_room))
        .routes(routes!(rotate_invite))
        .routes(routes!(transfer_ownership))
        .routes(routes!(set_member_role, remove_member))
        .routes(routes!(post_activity, list_activities))
        .routes(routes!(reveal_activity))
        .routes(routes!(get_secret_mode, set_secret_mode))
}

#[derive(Deserialize)]
struct RoomPath {
    room_id: RoomId,
}

#[derive(Deserialize)]
struct MemberPath {
    room_id: RoomId,
    user_id: UserId,
}

#[derive(Deserialize)]
struct ActivityPath {
    room_id: RoomId,
    activity_id: ActivityId,
}

/// The largest page of activities.
const MAX_PAGE_LIMIT: i64 = 100;
/// The page size when none is asked for.
const DEFAULT_PAGE_LIMIT: u32 = 20;

domain::schema_type!(
    /// Activities per page.
    ActivityPageSize = domain::schema::integer(
        1,
        Some(MAX_PAGE_LIMIT),
        format!("1 to {MAX_PAGE_LIMIT}, default {DEFAULT_PAGE_LIMIT}.")
    )
);

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PageQuery {
    /// Opaque position from an earlier page or activity.
    cursor: Option<String>,
    /// 1 to 100, default 20.
    #[param(value_type = Option<ActivityPageSize>, inline)]
    limit: Option<i64>,
}

fn page_limit(limit: Option<i64>) -> ApiResult<u32> {
    match limit {
        None => Ok(DEFAULT_PAGE_LIMIT),
        Some(n @ 1..=MAX_PAGE_LIMIT) => Ok(n as u32),
        Some(_) => Err(crate::problem::ApiError::validation(vec![domain::FieldError {
            field: "limit".into(),
            message: format!("must be from 1 to {MAX_PAGE_LIMIT}"),
        }])),
    }
}

/// Create a room; the caller becomes its owner.
#[utoipa::path(post, path = "/api/v1/rooms", tag = "rooms", security(("bearer" = [])), request_body = CreateRoomInput,
    responses(
        (status = 201, body = RoomView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_room(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    JsonBody(input): JsonBody<CreateRoomInput>,
) -> ApiResult<(StatusCode, Json<RoomView>)> {
    Ok((StatusCode::CREATED, Json(state.app.create_room(caller, input).await?)))
}

/// The caller's rooms, newest first.
#[utoipa::path(get, path = "/api/v1/rooms", tag = "rooms", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<RoomView>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_rooms(State(state): State<HttpState>, Auth(caller): Auth) -> ApiResult<Json<Vec<RoomView>>> {
    Ok(Json(state.app.list_rooms(caller).await?))
}

/// Join a room by its invite code. Joining a room one is already in changes nothing.
#[utoipa::path(post, path = "/api/v1/rooms/join", tag = "rooms", security(("bearer" = [])), request_body = JoinRoomInput,
    responses(
        (status = 200, body = JoinedRoom),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown or rotated code", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "expired or used up", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn join_room(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    JsonBody(input): JsonBody<JoinRoomInput>,
) -> ApiResult<Json<JoinedRoom>> {
    Ok(Json(state.app.join_room(caller, input).await?))
}

/// The room with its members and their presence.
#[utoipa::path(get, path = "/api/v1/rooms/{room_id}", tag = "rooms", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = RoomDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_room(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
) -> ApiResult<Json<RoomDetail>> {
    Ok(Json(state.app.get_room(caller, path.room_id).await?))
}

/// Rename the room (admins and the owner).
#[utoipa::path(patch, path = "/api/v1/rooms/{room_id}", tag = "rooms", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)), request_body = RenameRoomInput,
    responses(
        (status = 200, body = RoomDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn rename_room(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
    JsonBody(input): JsonBody<RenameRoomInput>,
) -> ApiResult<Json<RoomDetail>> {
    Ok(Json(state.app.rename_room(caller, path.room_id, input).await?))
}

/// Delete the room and everything of it (the owner only).
#[utoipa::path(delete, path = "/api/v1/rooms/{room_id}", tag = "rooms", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "deleted"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_room(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
) -> ApiResult<StatusCode> {
    state.app.delete_room(caller, path.room_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new invite code, optionally expiring or limited in uses; the old one stops working.
#[utoipa::path(post, path = "/api/v1/rooms/{room_id}/invite-code", tag = "rooms", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)), request_body(content = Option<RotateInviteInput>),
    responses(
        (status = 200, body = RoomView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn rotate_invite(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
    OptionalJsonBody(input): OptionalJsonBody<RotateInviteInput>,
) -> ApiResult<Json<RoomView>> {
    Ok(Json(state.app.rotate_invite(caller, path.room_id, input).await?))
}

/// Hand ownership to another member; the owner becomes an admin.
#[utoipa::path(post, path = "/api/v1/rooms/{room_id}/transfer", tag = "rooms", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)), request_body = TransferInput,
    responses(
        (status = 200, body = RoomDetail),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn transfer_ownership(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
    JsonBody(input): JsonBody<TransferInput>,
) -> ApiResult<Json<RoomDetail>> {
    Ok(Json(state.app.transfer_ownership(caller, path.room_id, input).await?))
}

/// Change a member's role (admins: members and viewers; the owner: anyone but the owner).
#[utoipa::path(patch, path = "/api/v1/rooms/{room_id}/members/{user_id}", tag = "rooms", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path), ("user_id" = uuid::Uuid, Path)), request_body = SetRoleInput,
    responses(
        (status = 200, body = MemberView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn set_member_role(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<MemberPath>,
    JsonBody(input): JsonBody<SetRoleInput>,
) -> ApiResult<Json<MemberView>> {
    Ok(Json(state.app.set_member_role(caller, path.room_id, path.user_id, input).await?))
}

/// An admin removes a member, or a member leaves (their own user id).
#[utoipa::path(delete, path = "/api/v1/rooms/{room_id}/members/{user_id}", tag = "rooms", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path), ("user_id" = uuid::Uuid, Path)),
    responses(
        (status = 204, description = "removed"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the owner cannot leave", body = Problem, content_type = "application/problem+json"),
    ))]
async fn remove_member(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<MemberPath>,
) -> ApiResult<StatusCode> {
    state.app.remove_member(caller, path.room_id, path.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Post an activity; while the author's secret mode is on it is hidden from the members it names.
#[utoipa::path(post, path = "/api/v1/rooms/{room_id}/activities", tag = "activities", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)), request_body = PostActivityInput,
    responses(
        (status = 201, body = ActivityView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn post_activity(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
    JsonBody(input): JsonBody<PostActivityInput>,
) -> ApiResult<(StatusCode, Json<ActivityView>)> {
    Ok((StatusCode::CREATED, Json(state.app.post_activity(caller, path.room_id, input).await?)))
}

/// The activities after the cursor that the caller may see, oldest first.
#[utoipa::path(get, path = "/api/v1/rooms/{room_id}/activities", tag = "activities", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path), PageQuery),
    responses(
        (status = 200, body = ActivityPage),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_activities(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<ActivityPage>> {
    let limit = page_limit(query.limit)?;
    Ok(Json(state.app.list_activities(caller, path.room_id, query.cursor.as_deref(), limit).await?))
}

/// Make one's own secret activity visible to the whole room.
#[utoipa::path(post, path = "/api/v1/rooms/{room_id}/activities/{activity_id}/reveal", tag = "activities",
    security(("bearer" = [])), params(("room_id" = uuid::Uuid, Path), ("activity_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = ActivityView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn reveal_activity(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<ActivityPath>,
) -> ApiResult<Json<ActivityView>> {
    Ok(Json(state.app.reveal_activity(caller, path.room_id, path.activity_id).await?))
}

/// The caller's secret-mode state in the room.
#[utoipa::path(get, path = "/api/v1/rooms/{room_id}/secret-mode", tag = "activities", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)),
    responses(
        (status = 200, body = SecretModeView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_secret_mode(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
) -> ApiResult<Json<SecretModeView>> {
    Ok(Json(state.app.get_secret_mode(caller, path.room_id).await?))
}

/// Turn secret mode on (naming whom to hide from) or off.
#[utoipa::path(put, path = "/api/v1/rooms/{room_id}/secret-mode", tag = "activities", security(("bearer" = [])),
    params(("room_id" = uuid::Uuid, Path)), request_body = SecretModeInput,
    responses(
        (status = 200, body = SecretModeView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn set_secret_mode(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    ApiPath(path): ApiPath<RoomPath>,
    JsonBody(input): JsonBody<SecretModeInput>,
) -> ApiResult<Json<SecretModeView>> {
    Ok(Json(state.app.set_secret_mode(caller, path.room_id, input).await?))
}
