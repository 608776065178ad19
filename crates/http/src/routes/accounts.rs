//! `/api/v1/auth/*` and `/api/v1/me`.

use app::accounts::{AuthSession, LoginInput, RefreshInput, RegisterInput, UpdateMeInput, UserView};
use axum::{Json, extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    HttpState,
    extract::{Auth, ClientIp, JsonBody},
    problem::{ApiResult, Problem},
};

pub fn routes() -> OpenApiRouter<HttpState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(get_me, update_me))
}

/// Create an account and sign in.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "accounts", request_body = RegisterInput,
    responses(
        (status = 201, body = AuthSession),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the email is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    ))]
async fn register(
    State(state): State<HttpState>,
    ClientIp(ip): ClientIp,
    JsonBody(input): JsonBody<RegisterInput>,
) -> ApiResult<(StatusCode, Json<AuthSession>)> {
    Ok((StatusCode::CREATED, Json(state.app.register(input, &ip).await?)))
}

/// Sign in with email and password. An unknown email and a wrong password get the same answer.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = LoginInput,
    responses(
        (status = 200, body = AuthSession),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    ))]
async fn login(
    State(state): State<HttpState>,
    ClientIp(ip): ClientIp,
    JsonBody(input): JsonBody<LoginInput>,
) -> ApiResult<Json<AuthSession>> {
    Ok(Json(state.app.login(input, &ip).await?))
}

/// Trade a refresh token for a new pair. The old refresh token dies; presenting a dead one revokes every token of that login.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "accounts", request_body = RefreshInput,
    responses(
        (status = 200, body = AuthSession),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn refresh(
    State(state): State<HttpState>,
    ClientIp(ip): ClientIp,
    JsonBody(input): JsonBody<RefreshInput>,
) -> ApiResult<Json<AuthSession>> {
    Ok(Json(state.app.refresh(input, &ip).await?))
}

/// End this login: its access and refresh tokens stop working.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 204, description = "signed out"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
async fn logout(State(state): State<HttpState>, Auth(caller): Auth) -> ApiResult<StatusCode> {
    state.app.logout(caller).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user with their profile.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 200, body = UserView),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ))]
async fn get_me(State(state): State<HttpState>, Auth(caller): Auth) -> ApiResult<Json<UserView>> {
    Ok(Json(state.app.get_me(caller).await?))
}

/// Update name, avatar, sizes or preferences.
#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])), request_body = UpdateMeInput,
    responses(
        (status = 200, body = UserView),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
async fn update_me(
    State(state): State<HttpState>,
    Auth(caller): Auth,
    JsonBody(input): JsonBody<UpdateMeInput>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(state.app.update_me(caller, input).await?))
}
