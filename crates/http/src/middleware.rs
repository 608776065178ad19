//! Cross-cutting request handling: a tracing span with the request id,
//! per-route metrics, security headers, a time limit per request, and
//! turning a panic into a 500 problem (the panic is logged; the process
//! keeps serving).

use std::{
    any::Any,
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    body::Body,
    extract::{MatchedPath, Request, State},
    http::{HeaderValue, Response, header},
    middleware::Next,
    response::IntoResponse,
};
use tracing::Instrument;

use crate::{HttpConfig, REQUEST_ID, problem::ApiError};

pub async fn trace_request(request: Request, next: Next) -> Response<Body> {
    let request_id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    let span = tracing::info_span!("request", request_id = %request_id, method = %request.method(), path = %request.uri().path());
    async move {
        let started = Instant::now();
        let response = next.run(request).await;
        let status = response.status().as_u16();
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::warn!(status, elapsed_ms, "request failed");
        } else {
            tracing::debug!(status, elapsed_ms, "request served");
        }
        response
    }
    .instrument(span)
    .await
}

pub async fn record_metrics(request: Request, next: Next) -> Response<Body> {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self' ws: wss:; \
worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

pub async fn security_headers(State(config): State<Arc<HttpConfig>>, request: Request, next: Next) -> Response<Body> {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(self), microphone=(self), geolocation=(), payment=(self)"),
    );
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if config.hsts {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    response
}

/// Answers 503 when the handler has not finished within `limit`.
///
/// Most requests (cache hits) finish in their first poll and never arm a
/// timer ([`realtime::deadline::within`]); a request that has to wait gets one.
pub async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response<Body> {
    match realtime::deadline::within(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis() as u64, "request timed out");
            ApiError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "the request took too long; try again",
            )
            .into_response()
        }
    }
}

pub fn panic_to_problem(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = message, "handler panicked");
    ApiError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "internal", "an unexpected error occurred")
        .into_response()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::{Router, body::Body, http::Request, routing::get};
    use tower::ServiceExt;

    use super::time_limit;

    fn app(limit: Duration) -> Router {
        Router::new()
            .route("/ready", get(|| async { "done" }))
            .route(
                "/waits",
                get(|| async {
                    tokio::task::yield_now().await;
                    "done after a wait"
                }),
            )
            .route("/never", get(std::future::pending::<&'static str>))
            .layer(axum::middleware::from_fn_with_state(limit, time_limit))
    }

    async fn status_and_body(app: Router, path: &str) -> (u16, String) {
        let response = app.oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    #[tokio::test]
    async fn a_handler_that_finishes_in_time_answers_normally() {
        assert_eq!(status_and_body(app(Duration::from_secs(5)), "/ready").await, (200, "done".to_owned()));
        assert_eq!(status_and_body(app(Duration::from_secs(5)), "/waits").await, (200, "done after a wait".to_owned()));
    }

    #[tokio::test]
    async fn a_handler_past_its_limit_answers_a_503_problem() {
        let (status, body) = status_and_body(app(Duration::from_millis(20)), "/never").await;
        assert_eq!(status, 503);
        let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(problem["code"], "timeout");
        assert_eq!(problem["status"], 503);
    }
}
