//! The catalog over HTTP: the demo catalog after start, search with text,
//! filters, facets, sorts and paging, suggestions, product pages through the
//! cache, `viewed` activities in a room (live and under secret mode), the
//! demo pictures, every bad input, and file imports through the functions
//! the command line calls.

use std::{collections::HashSet, io::Write, path::PathBuf};

use serde_json::{Value, json};
use testkit::{TestApp, expect_problem, ws::WsClient};

async fn demo_app() -> TestApp {
    TestApp::spawn_with(|config| config.demo_catalog = 200).await
}

async fn search(app: &TestApp, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/products?{query}"), None).await;
    assert_eq!(response.status(), 200, "search {query}");
    response.json().await.unwrap()
}

fn scratch_file(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fr-catalog-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::File::create(&path).unwrap().write_all(contents).unwrap();
    path
}

fn metric(text: &str, line_start: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(line_start))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn the_demo_catalog_is_there_after_start_with_facets() {
    let app = demo_app().await;
    let page = search(&app, "").await;
    assert_eq!(page["total"], 200);
    assert_eq!(page["items"].as_array().unwrap().len(), 20);
    let item = &page["items"][0];
    for key in ["id", "sku", "title", "brand", "category", "price", "original_price", "images", "metadata"] {
        assert!(!item[key].is_null(), "product lacks {key}: {item}");
    }
    let facets = &page["facets"];
    for key in ["brand", "category", "gender", "colour", "size", "price"] {
        assert!(!facets[key].as_array().unwrap().is_empty(), "facet {key} is empty: {facets}");
    }
    let sum: u64 = facets["price"].as_array().unwrap().iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(sum, 200);
}

#[tokio::test]
async fn search_filters_sorts_and_pages_without_gaps() {
    let app = demo_app().await;
    let all = search(&app, "limit=100").await;
    let brand = all["facets"]["brand"][0]["value"].as_str().unwrap().to_owned();
    let brand_count = all["facets"]["brand"][0]["count"].as_u64().unwrap();

    // A filter narrows the total to the facet's count.
    let by_brand = search(&app, &format!("brand={}&limit=100", urlencode(&brand))).await;
    assert_eq!(by_brand["total"].as_u64().unwrap(), brand_count);
    assert!(by_brand["items"].as_array().unwrap().iter().all(|p| p["brand"] == brand.as_str()));

    // Text: a word of a title finds that product.
    let title = all["items"][3]["title"].as_str().unwrap().to_owned();
    let word = title.split_whitespace().max_by_key(|w| w.len()).unwrap().to_owned();
    let by_text = search(&app, &format!("q={}&limit=100", urlencode(&word))).await;
    assert!(by_text["items"].as_array().unwrap().iter().any(|p| p["title"] == title.as_str()), "{word}");

    // Price bounds in major units, sorted by price ascending.
    let cheap = search(&app, "min_price=500&max_price=2000.50&sort=price_asc&limit=100").await;
    let prices: Vec<i64> = cheap["items"].as_array().unwrap().iter().map(minor_price).collect();
    assert!(!prices.is_empty());
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    assert!(prices.iter().all(|p| (50_000..=200_050).contains(p)), "{prices:?}");

    // Gender filter and rating sort.
    let women = search(&app, "gender=women&sort=rating&limit=100").await;
    assert!(women["items"].as_array().unwrap().iter().all(|p| p["metadata"]["gender"] == "women"));

    // Paging with a cursor visits every product once.
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = match &cursor {
            Some(c) => format!("sort=price_desc&limit=7&cursor={}", urlencode(c)),
            None => "sort=price_desc&limit=7".to_owned(),
        };
        let page = search(&app, &query).await;
        for item in page["items"].as_array().unwrap() {
            assert!(seen.insert(item["id"].as_str().unwrap().to_owned()), "duplicate across pages");
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 200);
}

fn minor_price(product: &Value) -> i64 {
    let price = &product["price"];
    match price.get("amount") {
        Some(amount) => {
            let text = amount.as_str().map(str::to_owned).unwrap_or_else(|| amount.to_string());
            domain_parse_major(&text)
        }
        None => price["minor"].as_i64().unwrap(),
    }
}

fn domain_parse_major(text: &str) -> i64 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let frac = format!("{frac:0<2}");
    whole.parse::<i64>().unwrap() * 100 + frac[..2].parse::<i64>().unwrap()
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn suggestions_complete_a_prefix() {
    let app = demo_app().await;
    let page = search(&app, "").await;
    let brand = page["items"][0]["brand"].as_str().unwrap().to_lowercase();
    let prefix: String = brand.chars().take(3).collect();
    let response = app.get(&format!("/api/v1/products/suggest?q={}", urlencode(&prefix)), None).await;
    assert_eq!(response.status(), 200);
    let suggestions: Vec<String> = response.json().await.unwrap();
    assert!(!suggestions.is_empty(), "no suggestion for {prefix}");
    assert!(suggestions.len() <= 10);
    let empty: Vec<String> = app.get("/api/v1/products/suggest?q=", None).await.json().await.unwrap();
    assert!(empty.is_empty());
    let long = "a".repeat(10_000);
    expect_problem(app.get(&format!("/api/v1/products/suggest?q={long}"), None).await, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_product_page_is_served_through_the_cache() {
    let app = demo_app().await;
    let id = search(&app, "").await["items"][0]["id"].as_str().unwrap().to_owned();
    let first: Value = app.get(&format!("/api/v1/products/{id}"), None).await.json().await.unwrap();
    assert_eq!(first["id"], id.as_str());
    let before = app.get("/metrics", None).await.text().await.unwrap();
    let hits_before = metric(&before, "product_cache_requests_total{result=\"hit\"}");
    let second: Value = app.get(&format!("/api/v1/products/{id}"), None).await.json().await.unwrap();
    assert_eq!(first, second);
    let after = app.get("/metrics", None).await.text().await.unwrap();
    assert!(metric(&after, "product_cache_requests_total{result=\"hit\"}") > hits_before, "{after}");
    assert!(metric(&after, "product_cache_requests_total{result=\"miss\"}") >= 1.0);

    expect_problem(app.get("/api/v1/products/not-a-uuid", None).await, 400, "bad_request").await;
    let unknown = uuid::Uuid::now_v7();
    expect_problem(app.get(&format!("/api/v1/products/{unknown}"), None).await, 404, "not_found").await;
}

#[tokio::test]
async fn opening_a_product_in_a_room_logs_a_viewed_activity_live_and_in_history() {
    let app = demo_app().await;
    let (room, users) = app.family(&["Asha", "Ravi", "Meera"]).await;
    let product = search(&app, "").await["items"][0]["id"].as_str().unwrap().to_owned();
    let mut ravi = WsClient::connect(&app, &users[1]).await;
    ravi.subscribe(&room, None).await;

    let path = format!("/api/v1/rooms/{room}/products/{product}/view");
    let response = app.post_json(&path, &json!({}), Some(&users[0].access_token)).await;
    assert_eq!(response.status(), 201);
    let viewed: Value = response.json().await.unwrap();
    assert_eq!(viewed["action_type"], "viewed");
    assert_eq!(viewed["product_id"], product.as_str());
    assert_eq!(viewed["is_secret"], false);
    assert_eq!(ravi.next_activity().await["id"], viewed["id"]);
    assert!(app.history(&users[2], &room, None).await.iter().any(|a| a["id"] == viewed["id"]));

    // Under secret mode the hidden member never sees the view.
    let secret = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/rooms/{room}/secret-mode"),
            &json!({"enabled": true, "hidden_from": [users[1].id]}),
            Some(&users[0].access_token),
        )
        .await;
    assert!(secret.status().is_success());
    let hidden: Value = app.post_json(&path, &json!({}), Some(&users[0].access_token)).await.json().await.unwrap();
    assert_eq!(hidden["is_secret"], true);
    assert!(!app.history(&users[1], &room, None).await.iter().any(|a| a["id"] == hidden["id"]));
    assert!(app.history(&users[2], &room, None).await.iter().any(|a| a["id"] == hidden["id"]));

    // Outsiders, unknown products and bad ids.
    let stranger = app.register("Stranger").await;
    expect_problem(app.post_json(&path, &json!({}), Some(&stranger.access_token)).await, 403, "forbidden").await;
    expect_problem(app.post_json(&path, &json!({}), None).await, 401, "unauthorized").await;
    let unknown = format!("/api/v1/rooms/{room}/products/{}/view", uuid::Uuid::now_v7());
    expect_problem(app.post_json(&unknown, &json!({}), Some(&users[0].access_token)).await, 404, "not_found").await;
    let bad = format!("/api/v1/rooms/{room}/products/nope/view");
    expect_problem(app.post_json(&bad, &json!({}), Some(&users[0].access_token)).await, 400, "bad_request").await;
}

#[tokio::test]
async fn bad_search_input_is_a_problem_never_a_server_error() {
    let app = demo_app().await;
    for (query, status, code) in [
        ("min_price=abc", 422, "validation_failed"),
        ("max_price=-5", 422, "validation_failed"),
        ("min_price=900&max_price=100", 422, "validation_failed"),
        ("min_rating=seven", 422, "validation_failed"),
        ("min_rating=9", 422, "validation_failed"),
        // Just outside 0 to 5: refused, not rounded into the range.
        ("min_rating=-1e-300", 422, "validation_failed"),
        ("min_rating=5.0000001", 422, "validation_failed"),
        ("sort=cheapest", 422, "validation_failed"),
        ("gender=aliens", 422, "validation_failed"),
        ("limit=-1", 422, "validation_failed"),
        ("limit=0", 422, "validation_failed"),
        ("limit=100000000000000000000000", 422, "validation_failed"),
        ("cursor=forged-cursor", 400, "bad_request"),
        ("colour_of_sky=blue", 400, "bad_request"),
    ] {
        let problem = expect_problem(app.get(&format!("/api/v1/products?{query}"), None).await, status, code).await;
        if status == 422 {
            assert!(!problem["errors"].as_array().unwrap().is_empty(), "{query}: {problem}");
        }
    }
    let long = "shirt ".repeat(1700);
    let problem = expect_problem(
        app.get(&format!("/api/v1/products?q={}", urlencode(&long)), None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "q");

    // A cursor of one sort is refused by another.
    let page = search(&app, "sort=price_asc&limit=5").await;
    let cursor = urlencode(page["next_cursor"].as_str().unwrap());
    expect_problem(
        app.get(&format!("/api/v1/products?sort=rating&limit=5&cursor={cursor}"), None).await,
        400,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn demo_pictures_are_cacheable_svg() {
    let app = demo_app().await;
    let product = &search(&app, "").await["items"][0];
    let image = product["images"][0].as_str().unwrap().to_owned();
    assert!(image.starts_with("/images/demo/"), "{image}");
    let response = app.get(&image, None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert!(response.text().await.unwrap().contains("<svg"));
    let again = app.client.get(app.url(&image)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    expect_problem(app.get("/images/demo/spaceship/black.svg", None).await, 404, "not_found").await;
}

#[tokio::test]
async fn importing_the_myntra_catalog_twice_changes_nothing_the_second_time() {
    let app = TestApp::spawn().await;
    let source = std::fs::read_to_string("/work/shared/data/myntra-catalog/products_catalog.csv").unwrap();
    let head: String = source.lines().take(2000).map(|l| format!("{l}\n")).collect();
    let file = scratch_file("products_catalog.csv", head.as_bytes());

    let mut bad_rows = 0;
    let first = familyroom::import::import_file(app.app(), &file, None, None, |_| bad_rows += 1).await.unwrap();
    assert!(first.fatal.is_none());
    assert!(first.inserted > 1500, "{first}");
    assert_eq!(first.updated, 0);
    assert_eq!(first.read, first.inserted + first.unchanged + first.updated + first.skipped);
    assert_eq!(first.skipped, bad_rows);
    let second = familyroom::import::import_file(app.app(), &file, None, None, |_| {}).await.unwrap();
    assert_eq!(second.inserted, 0, "{second}");
    assert_eq!(second.updated, 0, "{second}");
    assert!(second.unchanged >= first.inserted, "{second}");

    // Imported products are searchable at once.
    let page = search(&app, "q=trolley&limit=100").await;
    assert!(page["total"].as_u64().unwrap() > 0);
    assert_eq!(app.app().indexed_products(), first.inserted);
}

#[tokio::test]
async fn a_merchant_csv_imports_through_a_mapping_file_and_edits_update() {
    let app = TestApp::spawn().await;
    let mapping = scratch_file(
        "acme.toml",
        br#"
name = "acme"
[fields.sku]
column = "Item Code"
prefix = "ACME-"
[fields.title]
column = "Name"
[fields.brand]
column = "Maker"
[fields.price]
column = "Price"
[fields.colour]
column = "Colour"
optional = true
"#,
    );
    let csv = "Item Code,Name,Maker,Price,Colour\nA1,Blue Linen Shirt,Acme,1299,Blue\nA2,Red Wool Scarf,Acme,499.50,Red\nA3,,Acme,100,Green\nA4,Priceless Hat,Acme,abc,Black\n";
    let file = scratch_file("acme.csv", csv.as_bytes());
    let mut errors = Vec::new();
    let summary = familyroom::import::import_file(app.app(), &file, Some(mapping.to_str().unwrap()), None, |e| {
        errors.push((e.line, e.field.clone()))
    })
    .await
    .unwrap();
    assert_eq!((summary.read, summary.inserted, summary.skipped), (4, 2, 2), "{summary}");
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().any(|(line, field)| *line == 4 && field.as_deref() == Some("title")), "{errors:?}");
    let page = search(&app, "q=linen").await;
    assert_eq!(page["items"][0]["sku"], "ACME-A1");

    // A changed price is an update, visible in search and on the product page.
    let id = page["items"][0]["id"].as_str().unwrap().to_owned();
    let _warm: Value = app.get(&format!("/api/v1/products/{id}"), None).await.json().await.unwrap();
    let edited = scratch_file("acme.csv", csv.replace("1299", "999").as_bytes());
    let summary = familyroom::import::import_file(app.app(), &edited, Some(mapping.to_str().unwrap()), None, |_| {})
        .await
        .unwrap();
    assert_eq!((summary.updated, summary.unchanged, summary.inserted), (1, 1, 0), "{summary}");
    let product: Value = app.get(&format!("/api/v1/products/{id}"), None).await.json().await.unwrap();
    assert_eq!(minor_price(&product), 99_900, "the cache was invalidated: {product}");
    let found = search(&app, "max_price=1000&q=linen").await;
    assert_eq!(found["items"][0]["id"], id.as_str());
}

#[tokio::test]
async fn a_truncated_or_binary_file_is_reported_and_stops_cleanly() {
    let app = TestApp::spawn().await;
    let source = std::fs::read_to_string("/work/shared/data/myntra-catalog/products_catalog.csv").unwrap();
    let head: String = source.lines().take(50).map(|l| format!("{l}\n")).collect();
    // Cut inside a quoted description.
    let cut = head.len() - head.lines().last().unwrap().len() / 2;
    let file = scratch_file("cut.csv", &head.as_bytes()[..cut]);
    let mut errors = 0;
    let summary = familyroom::import::import_file(app.app(), &file, None, None, |_| errors += 1).await.unwrap();
    assert!(summary.inserted >= 40, "{summary}");
    assert!(errors >= 1 && summary.skipped >= 1, "{summary}");

    let binary: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let file = scratch_file("noise.csv", &binary);
    assert!(familyroom::import::import_file(app.app(), &file, None, None, |_| {}).await.is_err());
    assert_eq!(search(&app, "").await["total"], summary.inserted);
}

#[tokio::test]
async fn reindex_rebuilds_the_index_from_the_database() {
    let app = demo_app().await;
    assert_eq!(app.app().reindex().await.unwrap(), 200);
    assert_eq!(search(&app, "").await["total"], 200);
}

/// A partner feed on 127.0.0.1:0: three pages of two products; the third
/// page fails once when `fail_once` is set; with `repeat` every page points
/// at the same next cursor.
#[derive(Default)]
struct Feed {
    requests: std::sync::Mutex<Vec<Option<String>>>,
    fail_once: std::sync::atomic::AtomicBool,
    repeat: bool,
}

async fn serve_feed(feed: std::sync::Arc<Feed>) -> String {
    use axum::{extract::Query, response::IntoResponse};
    let handler = move |Query(query): Query<std::collections::HashMap<String, String>>| {
        let feed = feed.clone();
        async move {
            let cursor = query.get("cursor").cloned();
            feed.requests.lock().unwrap().push(cursor.clone());
            let product = |n: u32| {
                json!({"sku": format!("PARTNER-{n}"), "title": format!("Partner Kurta {n}"), "brand": "Weave",
                       "price_minor": 100_000 + i64::from(n), "updated_at": "2026-11-01T00:00:00Z"})
            };
            if feed.repeat {
                let n = u32::try_from(feed.requests.lock().unwrap().len()).unwrap();
                return axum::Json(json!({"products": [product(100 + n)], "next_cursor": "same"})).into_response();
            }
            let (products, next) = match cursor.as_deref() {
                None => (vec![product(1), product(2)], Some("p2")),
                Some("p2") => (vec![product(3), product(4)], Some("p3")),
                _ => {
                    if feed.fail_once.swap(false, std::sync::atomic::Ordering::SeqCst) {
                        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "down").into_response();
                    }
                    (vec![product(5), product(6)], None)
                }
            };
            axum::Json(json!({"products": products, "next_cursor": next})).into_response()
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().route("/feed", axum::routing::get(handler))).await
    });
    format!("http://{addr}/feed")
}

fn partner_feed(url: &str) -> catalog::partner::PartnerFeed {
    let mut config = catalog::partner::PartnerConfig::new(url);
    config.max_attempts = 1;
    config.base_delay = std::time::Duration::from_millis(10);
    catalog::partner::PartnerFeed::new(config).unwrap()
}

#[tokio::test]
async fn partner_sync_saves_its_cursor_per_page_and_resumes_after_a_restart() {
    let feed = std::sync::Arc::new(Feed { fail_once: true.into(), ..Feed::default() });
    let url = serve_feed(feed.clone()).await;
    let app = TestApp::spawn().await;
    assert!(app.app().sync_partner_sweep(&partner_feed(&url)).await.is_err(), "the third page fails");
    assert_eq!(search(&app, "").await["total"], 4, "the two stored pages stay stored");

    let app = app.restart().await;
    feed.requests.lock().unwrap().clear();
    let summary = app.app().sync_partner_sweep(&partner_feed(&url)).await.unwrap();
    assert_eq!(feed.requests.lock().unwrap().first().cloned().flatten().as_deref(), Some("p3"), "resumed");
    assert_eq!(summary.inserted, 2, "{summary}");
    assert_eq!(search(&app, "q=kurta&limit=100").await["total"], 6);

    // The next sweep starts over from the high-water mark; nothing changed.
    let again = app.app().sync_partner_sweep(&partner_feed(&url)).await.unwrap();
    assert_eq!((again.inserted, again.updated), (0, 0), "{again}");
}

#[tokio::test]
async fn a_feed_repeating_its_cursor_cannot_loop_the_sync() {
    let feed = std::sync::Arc::new(Feed { repeat: true, ..Feed::default() });
    let url = serve_feed(feed.clone()).await;
    let app = TestApp::spawn().await;
    let error = app.app().sync_partner_sweep(&partner_feed(&url)).await.unwrap_err();
    assert!(error.to_string().contains("repeated"), "{error}");
    assert!(feed.requests.lock().unwrap().len() <= 3);
}

#[tokio::test]
async fn the_background_sync_runs_from_configuration() {
    let feed = std::sync::Arc::new(Feed { fail_once: true.into(), ..Feed::default() });
    let url = serve_feed(feed.clone()).await;
    let app = TestApp::spawn_with(|config| {
        config.partner_feed_url = Some(url.clone());
        config.partner_sync_interval_secs = 1;
    })
    .await;
    let synced = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        loop {
            if search(&app, "").await["total"] == 6 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    })
    .await;
    assert!(synced.is_ok(), "the feed's six products arrive");
}
