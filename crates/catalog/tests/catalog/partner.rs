use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use catalog::import::RowErrorKind;
use catalog::partner::{FeedError, PartnerAuth, PartnerConfig, PartnerFeed, SyncCursor};
use domain::money::Money;
use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;

#[derive(Default)]
struct Partner {
    page2_calls: AtomicU32,
    down_calls: AtomicU32,
    missing_calls: AtomicU32,
    limited_calls: AtomicU32,
    refused_calls: AtomicU32,
    queries: Mutex<Vec<HashMap<String, String>>>,
}

type Shared = Arc<Partner>;

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer s3cret")
}

async fn feed(State(p): State<Shared>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if !authorised(&headers) {
        p.refused_calls.fetch_add(1, Ordering::SeqCst);
        return StatusCode::UNAUTHORIZED.into_response();
    }
    p.queries.lock().unwrap().push(q.clone());
    match q.get("cursor").map(String::as_str) {
        None => Json(json!({
            "products": [
                {"sku": "P1", "title": "Acme Men Navy Chinos", "brand": "Acme",
                 "category_path": ["Apparel", "Bottomwear", "Trousers"],
                 "price": {"amount": "1299.00", "currency": "INR"},
                 "original_price": {"amount": 1999, "currency": "INR"},
                 "sizes": [{"size": "32", "stock": 4}], "gender": "men", "colour": "Navy Blue",
                 "updated_at": "2026-11-20T10:00:00Z", "extra_field": true},
                {"sku": "P2", "title": "Broken Rating", "price_minor": 50000, "rating": 9.5,
                 "updated_at": "2026-11-21T08:30:00Z"}
            ],
            "next_cursor": "page-2"
        }))
        .into_response(),
        Some("page-2") => {
            // Fails twice, then answers.
            if p.page2_calls.fetch_add(1, Ordering::SeqCst) < 2 {
                return (StatusCode::SERVICE_UNAVAILABLE, "try later").into_response();
            }
            Json(json!({
                "products": [
                    {"sku": "P3", "title": "Acme Women Red Kurta", "price_minor": 89900,
                     "updated_at": "2026-11-20T12:00:00Z"}
                ],
                "next_cursor": null
            }))
            .into_response()
        }
        Some(_) => (StatusCode::BAD_REQUEST, "unknown cursor").into_response(),
    }
}

async fn down(State(p): State<Shared>) -> Response {
    p.down_calls.fetch_add(1, Ordering::SeqCst);
    (StatusCode::INTERNAL_SERVER_ERROR, "database on fire").into_response()
}

async fn missing(State(p): State<Shared>) -> Response {
    p.missing_calls.fetch_add(1, Ordering::SeqCst);
    (StatusCode::NOT_FOUND, "no such feed").into_response()
}

async fn limited(State(p): State<Shared>) -> Response {
    if p.limited_calls.fetch_add(1, Ordering::SeqCst) == 0 {
        return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "0")], "slow down").into_response();
    }
    Json(json!({"products": [], "next_cursor": null})).into_response()
}

async fn garbage() -> Response {
    ([("content-type", "application/json")], "{\"products\": [ {\"sku\": ").into_response()
}

async fn basic(headers: HeaderMap) -> Response {
    // base64("feeder:pa55")
    if headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Basic ZmVlZGVyOnBhNTU=") {
        Json(json!({"products": [], "next_cursor": null})).into_response()
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

async fn slow() -> Response {
    tokio::time::sleep(Duration::from_secs(5)).await;
    Json(json!({"products": [], "next_cursor": null})).into_response()
}

/// A partner server on a free local port; the listener is bound before this
/// returns, so requests can be sent at once.
async fn spawn_partner() -> (String, Shared) {
    let state = Shared::default();
    let app = Router::new()
        .route("/feed", get(feed))
        .route("/down", get(down))
        .route("/missing", get(missing))
        .route("/limited", get(limited))
        .route("/garbage", get(garbage))
        .route("/basic", get(basic))
        .route("/slow", get(slow))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

fn config(url: String) -> PartnerConfig {
    PartnerConfig {
        auth: PartnerAuth::Bearer("s3cret".into()),
        page_limit: 2,
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        request_timeout: Duration::from_millis(500),
        ..PartnerConfig::new(url)
    }
}

#[tokio::test]
async fn a_sync_walks_the_pages_retrying_a_flaky_page_and_resumes_from_the_newest_change() {
    let (base, partner) = spawn_partner().await;
    let feed = PartnerFeed::new(config(format!("{base}/feed"))).unwrap();

    let first = feed.fetch_page(&SyncCursor::full()).await.unwrap();
    assert!(!first.sweep_done);
    assert_eq!(first.products.len(), 2);
    let chinos = first.products[0].as_ref().unwrap();
    assert_eq!(chinos.sku, "P1");
    assert_eq!(chinos.price, Money::inr(129_900));
    assert_eq!(chinos.original_price, Money::inr(199_900));
    assert_eq!(chinos.category, "Trousers");
    assert_eq!(chinos.metadata.sizes[0].stock, 4);
    let broken = first.products[1].as_ref().unwrap_err();
    assert_eq!((broken.line, broken.field.as_deref(), broken.kind), (2, Some("rating"), RowErrorKind::Invalid));
    assert_eq!(first.next.page_cursor.as_deref(), Some("page-2"));

    // The cursor survives a crash: saved as JSON, read back, used to resume.
    let saved = serde_json::to_string(&first.next).unwrap();
    let resumed: SyncCursor = serde_json::from_str(&saved).unwrap();
    assert_eq!(resumed, first.next);

    let second = feed.fetch_page(&resumed).await.unwrap();
    assert_eq!(partner.page2_calls.load(Ordering::SeqCst), 3, "two failures, then the page");
    assert!(second.sweep_done);
    assert_eq!(second.products[0].as_ref().unwrap().sku, "P3");
    // The newest change of the sweep, even one whose product was bad.
    assert_eq!(second.next, SyncCursor::since(datetime!(2026-11-21 08:30:00 UTC)));

    feed.fetch_page(&second.next).await.unwrap();
    let queries = partner.queries.lock().unwrap();
    assert_eq!(queries[0].get("limit").map(String::as_str), Some("2"));
    assert_eq!(queries[0].get("updated_since"), None);
    assert_eq!(queries.last().unwrap().get("updated_since").map(String::as_str), Some("2026-11-21T08:30:00Z"));
    assert_eq!(queries.last().unwrap().get("cursor"), None);
}

#[tokio::test]
async fn a_page_that_always_fails_is_given_up_after_the_last_attempt() {
    let (base, partner) = spawn_partner().await;
    let feed = PartnerFeed::new(config(format!("{base}/down"))).unwrap();
    let err = feed.fetch_page(&SyncCursor::full()).await.unwrap_err();
    assert!(matches!(err, FeedError::Unavailable { attempts: 3, ref last } if last.contains("500")), "{err}");
    assert_eq!(partner.down_calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    let (base, partner) = spawn_partner().await;
    let feed = PartnerFeed::new(config(format!("{base}/missing"))).unwrap();
    let err = feed.fetch_page(&SyncCursor::full()).await.unwrap_err();
    assert!(matches!(err, FeedError::Rejected { status: 404, ref detail } if detail == "no such feed"), "{err}");
    assert_eq!(partner.missing_calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn too_many_requests_is_retried() {
    let (base, partner) = spawn_partner().await;
    let feed = PartnerFeed::new(config(format!("{base}/limited"))).unwrap();
    let page = feed.fetch_page(&SyncCursor::full()).await.unwrap();
    assert!(page.sweep_done && page.products.is_empty());
    assert_eq!(partner.limited_calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_bearer_token_is_sent_and_a_wrong_one_is_refused_without_retrying() {
    let (base, partner) = spawn_partner().await;
    let wrong = PartnerConfig { auth: PartnerAuth::Bearer("guess".into()), ..config(format!("{base}/feed")) };
    let err = PartnerFeed::new(wrong).unwrap().fetch_page(&SyncCursor::full()).await.unwrap_err();
    assert!(matches!(err, FeedError::Unauthorized { status: 401 }), "{err}");
    let none = PartnerConfig { auth: PartnerAuth::None, ..config(format!("{base}/feed")) };
    assert!(PartnerFeed::new(none).unwrap().fetch_page(&SyncCursor::full()).await.is_err());
    assert!(partner.queries.lock().unwrap().is_empty(), "nothing was served");
    assert_eq!(partner.refused_calls.load(Ordering::SeqCst), 2, "one call each, no retries");
}

#[tokio::test]
async fn basic_auth_is_sent_when_configured() {
    let (base, _) = spawn_partner().await;
    let cfg = PartnerConfig {
        auth: PartnerAuth::Basic { username: "feeder".into(), password: "pa55".into() },
        ..config(format!("{base}/basic"))
    };
    assert!(PartnerFeed::new(cfg).unwrap().fetch_page(&SyncCursor::full()).await.is_ok());
}

#[tokio::test]
async fn a_malformed_page_is_an_error_and_not_retried() {
    let (base, _) = spawn_partner().await;
    let err = PartnerFeed::new(config(format!("{base}/garbage"))).unwrap().fetch_page(&SyncCursor::full()).await;
    assert!(matches!(err, Err(FeedError::Malformed(_))), "{err:?}");
}

#[tokio::test]
async fn a_timeout_is_retried_then_reported() {
    let (base, _) = spawn_partner().await;
    let cfg = PartnerConfig {
        request_timeout: Duration::from_millis(100),
        max_attempts: 2,
        ..config(format!("{base}/slow"))
    };
    let started = std::time::Instant::now();
    let err = PartnerFeed::new(cfg).unwrap().fetch_page(&SyncCursor::full()).await.unwrap_err();
    assert!(matches!(err, FeedError::Unavailable { attempts: 2, ref last } if last == "timed out"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_closed_port_is_a_connection_error_after_the_attempts() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = PartnerFeed::new(config(format!("http://{addr}/feed"))).unwrap().fetch_page(&SyncCursor::full()).await;
    assert!(matches!(err, Err(FeedError::Unavailable { attempts: 3, .. })), "{err:?}");
}

#[test]
fn a_bad_base_url_is_a_configuration_error() {
    assert!(matches!(PartnerFeed::new(PartnerConfig::new("not a url")), Err(FeedError::Config(_))));
    assert!(matches!(PartnerFeed::new(PartnerConfig::new("ftp://x/feed")), Err(FeedError::Config(_))));
}

#[test]
fn the_sync_cursor_is_plain_json() {
    let c = SyncCursor {
        updated_since: Some(OffsetDateTime::UNIX_EPOCH),
        page_cursor: Some("abc".into()),
        high_water: None,
    };
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v, json!({"updated_since": "1970-01-01T00:00:00Z", "page_cursor": "abc", "high_water": null}));
}
