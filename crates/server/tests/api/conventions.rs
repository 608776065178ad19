//! HTTP conventions: health, readiness, metrics, request ids, security
//! headers, CORS, unknown routes and methods.

use testkit::{TestApp, expect_problem};

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz", None).await.status(), 200);
    assert_eq!(app.get("/readyz", None).await.status(), 200);
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_status() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/me", None).await;
    let text = app.get("/metrics", None).await.text().await.unwrap();
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("route=\"/api/v1/me\""));
    assert!(text.contains("http_request_duration_seconds_bucket"));
    assert!(text.contains("db_pool_connections"));
}

#[tokio::test]
async fn metrics_time_each_group_commit_of_appends_on_sqlite() {
    let app = TestApp::spawn().await;
    let (room, family) = app.family(&["Asha"]).await;
    app.say(&family[0], &room, "hello").await;
    let text = app.get("/metrics", None).await.text().await.unwrap();
    let commits = text
        .lines()
        .find_map(|line| line.strip_prefix("store_append_commit_duration_seconds_count "))
        .map(|count| count.trim().parse::<u64>().unwrap());
    match testkit::test_backend() {
        // At least the message's batch.
        "sqlite" => assert!(commits.is_some_and(|n| n >= 1), "{text}"),
        // PostgreSQL commits each append in its own transaction: no group committer.
        _ => assert_eq!(commits, None, "{text}"),
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/healthz", "/api/v1/me", "/", "/api/nothing-here"] {
        let response = app.get(path, None).await;
        let headers = response.headers();
        assert!(headers.get("x-request-id").is_some(), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
        assert!(headers.get("referrer-policy").is_some());
        assert!(headers.get("strict-transport-security").is_none(), "HSTS only when configured");
    }
    let sent = app.client.get(app.url("/healthz")).header("x-request-id", "trace-me-123").send().await.unwrap();
    assert_eq!(sent.headers()["x-request-id"], "trace-me-123");
}

#[tokio::test]
async fn hsts_is_sent_when_configured() {
    let app = TestApp::spawn_with(|c| c.hsts = true).await;
    let response = app.get("/healthz", None).await;
    assert!(response.headers().get("strict-transport-security").is_some());
}

#[tokio::test]
async fn cors_allows_only_the_configured_origins() {
    let app = TestApp::spawn_with(|c| c.cors_origins = vec!["https://app.example.com".into()]).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/me"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
    };
    let allowed = preflight("https://app.example.com").await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://app.example.com");
    let refused = preflight("https://evil.example.com").await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn unknown_api_routes_and_methods_are_problems() {
    let app = TestApp::spawn().await;
    expect_problem(app.get("/api/v1/nothing", None).await, 404, "not_found").await;
    let wrong_method = app.client.delete(app.url("/api/v1/auth/login")).send().await.unwrap();
    expect_problem(wrong_method, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn the_web_app_is_served_at_the_root_with_an_spa_fallback() {
    let app = TestApp::spawn().await;
    for path in ["/", "/rooms/123", "/join/ABC"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    }
    expect_problem(app.get("/missing-file.js", None).await, 404, "not_found").await;
}

#[tokio::test]
async fn shutdown_is_graceful() {
    let app = TestApp::spawn().await;
    let addr = app.addr;
    app.stop().await;
    assert!(reqwest::get(format!("http://{addr}/healthz")).await.is_err(), "no longer listening");
}
