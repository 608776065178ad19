//! Files: avatar and product-image uploads, serving with caching headers,
//! the bad uploads and keys the edge must refuse, and the same flow against
//! a real S3-compatible server (moto) instead of local disk.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::Duration,
};

use secrecy::ExposeSecret;
use serde_json::{Value, json};
use sqlx::{Connection, types::Json};
use testkit::{PASSWORD, TestApp, TestUser, expect_problem, ws::WsClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0xe9, 0xfa, 0xdc, 0xd8, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// The start of a GIF: enough for sniffing.
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";

const BOUNDARY: &str = "familyroom-test-boundary";

/// A multipart/form-data body with the given parts `(field, filename, declared type, bytes)`.
fn multipart(parts: &[(&str, &str, &str, &[u8])]) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (field, filename, content_type, bytes) in parts {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n\
                 Content-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

async fn upload(app: &TestApp, path: &str, user: &TestUser, parts: &[(&str, &str, &str, &[u8])]) -> reqwest::Response {
    let (content_type, body) = multipart(parts);
    app.post_raw(path, &content_type, body, Some(&user.access_token)).await
}

async fn upload_avatar(app: &TestApp, user: &TestUser, bytes: &[u8]) -> reqwest::Response {
    upload(app, "/api/v1/me/avatar", user, &[("file", "me.png", "image/png", bytes)]).await
}

/// Sends a request line exactly as written (clients normalise `..` away);
/// the status and body of the answer.
async fn raw_get(app: &TestApp, target: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let request = format!("GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", app.addr);
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await.unwrap().unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text)
}

/// Registers a user with a chosen email, for configurations that name it.
async fn register_as(app: &TestApp, email: &str) -> TestUser {
    let response = app
        .post_json("/api/v1/auth/register", &json!({"name": "Shop", "email": email, "password": PASSWORD}), None)
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    TestUser {
        id: body["user"]["id"].as_str().unwrap().to_owned(),
        name: "Shop".into(),
        email: email.to_owned(),
        password: PASSWORD.into(),
        access_token: body["access_token"].as_str().unwrap().to_owned(),
        refresh_token: body["refresh_token"].as_str().unwrap().to_owned(),
    }
}

/// Puts a product straight into the database (the catalog API lives
/// elsewhere); its id.
async fn insert_product(app: &TestApp) -> String {
    let id = uuid::Uuid::now_v7();
    let at = time::OffsetDateTime::now_utc();
    let images = Json(vec!["https://cdn.example.com/kurta-1.jpg".to_owned()]);
    let sql = "INSERT INTO products (id, sku, title, brand, category, price_minor, original_price_minor, currency, \
               images, created_at, updated_at) VALUES ($1, $2, 'Kurta', 'Loom', 'ethnic', 129900, 149900, 'INR', $3, $4, $4)";
    let sku = format!("SKU-{}", id.simple());
    match &app.config.database_url {
        Some(url) => {
            let mut connection = sqlx::PgConnection::connect(url.expose_secret()).await.unwrap();
            sqlx::query(sql).bind(id).bind(sku).bind(images).bind(at).execute(&mut connection).await.unwrap();
        }
        None => {
            let path = app.config.data_dir.join("familyroom.db");
            let mut connection =
                sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
            sqlx::query(sql).bind(id).bind(sku).bind(images).bind(at).execute(&mut connection).await.unwrap();
        }
    }
    id.to_string()
}

/// Uploads an avatar, finds it on /me, fetches it, and revalidates it.
async fn avatar_round_trip(app: &TestApp) -> String {
    let user = app.register("Asha").await;
    let response = upload_avatar(app, &user, PNG).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let url = body["avatar"].as_str().unwrap().to_owned();
    assert!(url.starts_with("/files/avatars/") && url.ends_with(".png"), "{url}");

    let me: Value = app.get("/api/v1/me", Some(&user.access_token)).await.json().await.unwrap();
    assert_eq!(me["avatar"], url.as_str());

    let file = app.get(&url, None).await;
    assert_eq!(file.status(), 200);
    let headers = file.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(headers["content-length"], PNG.len().to_string().as_str());
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"), "a strong ETag: {etag}");
    assert_eq!(file.bytes().await.unwrap().as_ref(), PNG);

    let again = app.client.get(app.url(&url)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());
    let other = app.client.get(app.url(&url)).header("if-none-match", "\"something-else\"").send().await.unwrap();
    assert_eq!(other.status(), 200);
    url
}

#[tokio::test]
async fn an_uploaded_avatar_is_on_the_profile_and_served_with_cache_headers() {
    let app = TestApp::spawn().await;
    let url = avatar_round_trip(&app).await;
    let key = url.trim_start_matches("/files/");
    assert!(app.config.data_dir.join("files").join(key).is_file(), "local disk holds the object by default");
}

#[tokio::test]
async fn the_declared_type_is_ignored_and_the_bytes_decide() {
    let app = TestApp::spawn().await;
    let user = app.register("Ravi").await;
    // A GIF declared as a JPEG is stored as the GIF it is.
    let response = upload(&app, "/api/v1/me/avatar", &user, &[("file", "me.jpg", "image/jpeg", GIF)]).await;
    assert_eq!(response.status(), 200);
    let url = response.json::<Value>().await.unwrap()["avatar"].as_str().unwrap().to_owned();
    assert!(url.ends_with(".gif"), "{url}");
    assert_eq!(app.get(&url, None).await.headers()["content-type"], "image/gif");

    // Text renamed .png and declared as a PNG is refused.
    let text = upload(&app, "/api/v1/me/avatar", &user, &[("file", "me.png", "image/png", b"just some text\n")]).await;
    let problem = expect_problem(text, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "file");
}

#[tokio::test]
async fn an_oversized_upload_is_refused_with_413() {
    let app = TestApp::spawn().await;
    let user = app.register("Meera").await;
    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    expect_problem(upload_avatar(&app, &user, &big).await, 413, "payload_too_large").await;

    // Exactly 5 MiB is accepted: the limit is raised for this route only.
    big.truncate(5 * 1024 * 1024);
    assert_eq!(upload_avatar(&app, &user, &big).await.status(), 200);
    let json_limit = vec![b' '; 128 * 1024];
    let patch = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&user.access_token)
        .header("content-type", "application/json")
        .body(json_limit)
        .send()
        .await
        .unwrap();
    expect_problem(patch, 413, "payload_too_large").await;
}

#[tokio::test]
async fn malformed_uploads_answer_problems_not_errors() {
    let app = TestApp::spawn().await;
    let user = app.register("Kabir").await;

    let missing = upload(&app, "/api/v1/me/avatar", &user, &[]).await;
    let problem = expect_problem(missing, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "file");
    let other_field = upload(&app, "/api/v1/me/avatar", &user, &[("photo", "me.png", "image/png", PNG)]).await;
    expect_problem(other_field, 422, "validation_failed").await;
    let empty = upload(&app, "/api/v1/me/avatar", &user, &[("file", "me.png", "image/png", b"")]).await;
    expect_problem(empty, 422, "validation_failed").await;

    let json = app.post_json("/api/v1/me/avatar", &json!({"file": "iVBORw0KGgo="}), Some(&user.access_token)).await;
    expect_problem(json, 415, "unsupported_media_type").await;
    let broken = app
        .post_raw(
            "/api/v1/me/avatar",
            &format!("multipart/form-data; boundary={BOUNDARY}"),
            b"--not-the-boundary\r\ngarbage".to_vec(),
            Some(&user.access_token),
        )
        .await;
    assert!([400, 422].contains(&broken.status().as_u16()), "{}", broken.status());

    let (content_type, body) = multipart(&[("file", "me.png", "image/png", PNG)]);
    let anonymous = app.post_raw("/api/v1/me/avatar", &content_type, body, None).await;
    expect_problem(anonymous, 401, "unauthorized").await;
    let me: Value = app.get("/api/v1/me", Some(&user.access_token)).await.json().await.unwrap();
    assert!(me["avatar"].is_null(), "nothing was half-written");
}

#[tokio::test]
async fn keys_outside_the_file_store_are_refused() {
    let app = TestApp::spawn().await;
    let user = app.register("Isha").await;
    assert_eq!(upload_avatar(&app, &user, PNG).await.status(), 200);
    std::fs::write(app.config.data_dir.join("files").join("outside.png"), PNG).unwrap();

    for target in [
        "/files/../secret.key",
        "/files/avatars/../../secret.key",
        "/files/%2e%2e/secret.key",
        "/files/avatars/..%2F..%2Fsecret.key",
        "/files/%2Fetc%2Fpasswd",
        "/files/avatars%5C..%5C..%5Csecret.key",
    ] {
        let (status, text) = raw_get(&app, target).await;
        assert_eq!(status, 400, "{target}: {text}");
        assert!(text.contains("application/problem+json"), "{target}: {text}");
    }
    for target in [
        "/files/secret.key",
        "/files/familyroom.db",
        "/files/outside.png",
        "/files/avatars/x.png",
        &format!("/files/avatars/{}.png", "0".repeat(64)),
        &format!("/files/products/{}.svg", "0".repeat(64)),
    ] {
        let (status, text) = raw_get(&app, target).await;
        assert_eq!(status, 404, "{target}: {text}");
        assert!(text.contains("\"code\":\"not_found\""), "{target}: {text}");
    }
}

#[tokio::test]
async fn catalog_admins_add_product_images_and_others_are_refused() {
    let admin_email = format!("shop-{}@example.com", uuid::Uuid::new_v4().simple());
    let configured = admin_email.to_uppercase();
    let app = TestApp::spawn_with(|config| config.catalog_admins = vec![configured]).await;
    let admin = register_as(&app, &admin_email).await;
    let shopper = app.register("Neha").await;
    let product = insert_product(&app).await;
    let path = format!("/api/v1/products/{product}/images");
    // A room wishing for the product hears of the change; the product page is cached before it.
    let (room, _) = app.create_room(&shopper, "Wishes").await;
    let wishlist = format!("/api/v1/rooms/{room}/wishlist");
    let wished = app.post_json(&wishlist, &json!({"product_id": product}), Some(&shopper.access_token)).await;
    assert_eq!(wished.status(), 201);
    let mut shopper_ws = WsClient::connect(&app, &shopper).await;
    shopper_ws.subscribe(&room, None).await;
    let page: Value = app.get(&format!("/api/v1/products/{product}"), None).await.json().await.unwrap();
    assert_eq!(page["images"].as_array().unwrap().len(), 1);

    let response = upload(&app, &path, &admin, &[("file", "front.webp", "application/octet-stream", PNG)]).await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let url = body["url"].as_str().unwrap();
    assert!(url.starts_with("/files/products/") && url.ends_with(".png"), "{url}");
    assert_eq!(body["images"], json!(["https://cdn.example.com/kurta-1.jpg", url]));
    let page: Value = app.get(&format!("/api/v1/products/{product}"), None).await.json().await.unwrap();
    assert_eq!(page["images"], body["images"], "the product cache was invalidated");
    let frame = shopper_ws.next_non_presence_frame().await;
    assert_eq!(frame, json!({"type": "cart_changed", "room_id": room, "product_ids": [product], "reason": "catalog"}));
    assert_eq!(app.get(url, None).await.bytes().await.unwrap().as_ref(), PNG);

    let second = upload(&app, &path, &admin, &[("file", "back.gif", "image/gif", GIF)]).await;
    assert_eq!(second.json::<Value>().await.unwrap()["images"].as_array().unwrap().len(), 3);

    let refused = upload(&app, &path, &shopper, &[("file", "x.png", "image/png", PNG)]).await;
    expect_problem(refused, 403, "forbidden").await;
    let unknown = format!("/api/v1/products/{}/images", uuid::Uuid::now_v7());
    expect_problem(upload(&app, &unknown, &admin, &[("file", "x.png", "image/png", PNG)]).await, 404, "not_found")
        .await;
    let bad_id = upload(&app, "/api/v1/products/not-a-uuid/images", &admin, &[("file", "x.png", "image/png", PNG)]);
    expect_problem(bad_id.await, 400, "bad_request").await;
    let text = upload(&app, &path, &admin, &[("file", "x.png", "image/png", b"not an image")]).await;
    expect_problem(text, 422, "validation_failed").await;
}

/// A moto S3 server on a free port, killed when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        drop(self.child.kill());
        drop(self.child.wait());
    }
}

impl Moto {
    async fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} must be installed (scripts/services installs it): {e}"));
        let moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
        // Bounded wait for the port to accept, not a fixed sleep.
        for _ in 0..300 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return moto;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("moto_server did not listen on port {port} within 30 s");
    }
}

#[tokio::test]
async fn files_go_to_an_s3_compatible_store_when_configured() {
    let moto = Moto::start().await;
    let bucket = "familyroom-files";
    let created = reqwest::Client::new().put(format!("{}/{bucket}", moto.endpoint)).send().await.unwrap();
    assert!(created.status().is_success(), "create bucket: {}", created.status());

    let endpoint = moto.endpoint.clone();
    let app = TestApp::spawn_with(|config| {
        config.s3 = Some(familyroom::config::S3Config {
            endpoint,
            bucket: bucket.into(),
            region: "us-east-1".into(),
            access_key_id: "testing".to_owned().into(),
            secret_access_key: "testing".to_owned().into(),
        });
    })
    .await;
    let url = avatar_round_trip(&app).await;
    assert!(url.starts_with("/files/avatars/"));
    assert!(!app.config.data_dir.join("files").exists(), "nothing was written to local disk");
    let (status, _) = raw_get(&app, &format!("/files/avatars/{}.png", "0".repeat(64))).await;
    assert_eq!(status, 404, "a key missing from the bucket is not found");
    app.stop().await;
}
