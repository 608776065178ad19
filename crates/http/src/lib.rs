//! The HTTP edge: axum routes, extractors, problem+json, middleware (request
//! ids, metrics, security headers, CORS, limits), the OpenAPI document, and
//! the web app's static files. Handlers parse, call one use case on
//! [`app::App`] and shape the answer; they decide nothing else.

pub mod extract;
mod middleware;
mod openapi;
pub mod problem;
mod routes;
mod strict_json;
mod web;

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::PrometheusHandle;
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    cors::{AllowOrigin, CorsLayer},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    sensitive_headers::SetSensitiveRequestHeadersLayer,
};

pub use openapi::openapi_document;
use problem::ApiError;

/// Settings of the HTTP edge.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest accepted JSON body.
    pub body_limit_bytes: usize,
    /// Origins allowed to call the API from a browser; empty means same-origin only.
    pub cors_origins: Vec<String>,
    /// Send `Strict-Transport-Security` (set when served over TLS).
    pub hsts: bool,
    /// Take the client address from `X-Forwarded-For` (behind a trusted proxy).
    pub trust_forwarded_for: bool,
    pub request_timeout: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            body_limit_bytes: 64 * 1024,
            cors_origins: Vec::new(),
            hsts: false,
            trust_forwarded_for: false,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct HttpState {
    pub app: app::App,
    pub config: Arc<HttpConfig>,
    pub metrics: PrometheusHandle,
    /// Cancelled when the server shuts down: ends WebSocket sessions.
    pub shutdown: tokio_util::sync::CancellationToken,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application as a router, ready to serve.
pub fn router(state: HttpState) -> Router {
    let (api, _) = routes::api().split_for_parts();
    let config = state.config.clone();
    // Without configured origins the API is same-origin only and needs no
    // CORS answers at all; leaving the layer out saves cloning its lists on
    // every request.
    let cors = (!config.cors_origins.is_empty()).then(|| cors_layer(&config.cors_origins));

    Router::new()
        .merge(api)
        .merge(openapi::docs_router())
        .fallback(web::serve_web_app)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(tower::util::option_layer(cors))
        .layer(
            ServiceBuilder::new()
                .layer(SetSensitiveRequestHeadersLayer::new([header::AUTHORIZATION, header::COOKIE]))
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(axum::middleware::from_fn(middleware::trace_request))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(CatchPanicLayer::custom(middleware::panic_to_problem))
                .layer(axum::middleware::from_fn_with_state(config.clone(), middleware::security_headers))
                .layer(axum::middleware::from_fn(middleware::record_metrics))
                .layer(axum::middleware::from_fn_with_state(config.request_timeout, middleware::time_limit))
                .layer(DefaultBodyLimit::max(config.body_limit_bytes)),
        )
        .with_state(state)
}

fn cors_layer(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([REQUEST_ID, header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

async fn method_not_allowed() -> Response {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this method is not allowed here")
        .into_response()
}
