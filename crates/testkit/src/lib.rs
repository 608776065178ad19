//! Test support: [`TestApp`] starts a real server on port 0 with fresh
#![expect(clippy::expect_used, reason = "test support: a failed set-up must stop the test loudly")]
//! storage — a new SQLite file, or a new PostgreSQL database when
//! `FAMILYROOM_TEST_DATABASE=postgres` — and offers HTTP helpers. Tests talk
//! to it over the network, exactly as clients do.

pub mod ws;

use std::{net::SocketAddr, path::PathBuf};

use familyroom::{Config, RunningServer};
use serde_json::{Value, json};

/// Which database the suite runs on, from `FAMILYROOM_TEST_DATABASE`.
pub fn test_backend() -> &'static str {
    match std::env::var("FAMILYROOM_TEST_DATABASE").as_deref() {
        Ok("postgres") => "postgres",
        _ => "sqlite",
    }
}

/// The PostgreSQL server tests create their databases on.
fn postgres_admin_url() -> String {
    std::env::var("FAMILYROOM_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A fresh, empty PostgreSQL database; its URL.
pub async fn fresh_postgres_database() -> String {
    use sqlx::Connection;
    let admin = postgres_admin_url();
    let name = format!("fr_test_{}", uuid::Uuid::new_v4().simple());
    let mut connection = sqlx::PgConnection::connect(&format!("{admin}/postgres"))
        .await
        .expect("PostgreSQL must be running for FAMILYROOM_TEST_DATABASE=postgres");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection).await.expect("create test database");
    format!("{admin}/{name}")
}

/// A running server with its own storage.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub config: Config,
    server: Option<RunningServer>,
    _data_dir: tempfile::TempDir,
}

/// A registered user with a live session.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub access_token: String,
    pub refresh_token: String,
}

pub const PASSWORD: &str = "a long enough password";

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts a server after `adjust` has changed the test configuration.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let database_url = match test_backend() {
            "postgres" => Some(fresh_postgres_database().await),
            _ => None,
        };
        let mut config = test_config(data_dir.path().to_path_buf(), database_url);
        adjust(&mut config);
        Self::start(config, data_dir).await
    }

    async fn start(config: Config, data_dir: tempfile::TempDir) -> Self {
        // Two TLS backends are in the tree; tests pick one like main does.
        drop(rustls::crypto::aws_lc_rs::default_provider().install_default());
        let server = familyroom::start(&config).await.expect("server starts");
        let client =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("http client");
        Self { addr: server.addr, client, config, server: Some(server), _data_dir: data_dir }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://{}{}", self.addr, path)
    }

    /// Stops the server gracefully.
    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await.expect("clean shutdown");
        }
    }

    /// Stops the server and starts a new one on the same data dir and
    /// database, as a process restart would.
    pub async fn restart(mut self) -> Self {
        if let Some(server) = self.server.take() {
            server.shutdown().await.expect("clean shutdown");
        }
        Self::start(self.config, self._data_dir).await
    }

    pub fn app(&self) -> &app::App {
        &self.server.as_ref().expect("server running").services_app
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// Sends `body` as JSON with `method`; `token` as a bearer when given.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
        token: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    pub async fn post_json(&self, path: &str, body: &Value, token: Option<&str>) -> reqwest::Response {
        self.send_json(reqwest::Method::POST, path, body, token).await
    }

    /// Sends raw bytes with a content type, for malformed-input tests.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        token: Option<&str>,
    ) -> reqwest::Response {
        let mut request =
            self.client.post(self.url(path)).header(reqwest::header::CONTENT_TYPE, content_type).body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// Registers `name` with a unique email and the test password.
    pub async fn register(&self, name: &str) -> TestUser {
        let email = format!("{}-{}@example.com", name.to_lowercase(), uuid::Uuid::new_v4().simple());
        let response = self
            .post_json("/api/v1/auth/register", &json!({"name": name, "email": email, "password": PASSWORD}), None)
            .await;
        assert_eq!(response.status(), 201, "register {name}");
        let body: Value = response.json().await.expect("json");
        TestUser {
            id: body["user"]["id"].as_str().expect("id").to_owned(),
            name: name.to_owned(),
            email,
            password: PASSWORD.to_owned(),
            access_token: body["access_token"].as_str().expect("access token").to_owned(),
            refresh_token: body["refresh_token"].as_str().expect("refresh token").to_owned(),
        }
    }
}

/// The configuration tests start from: port 0, cheap hashing, no demo data.
pub fn test_config(data_dir: PathBuf, database_url: Option<String>) -> Config {
    Config {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir,
        database_url: database_url.map(Into::into),
        database_max_connections: 5,
        demo_catalog: 0,
        argon2_memory_kib: 64,
        argon2_iterations: 1,
        auth_attempts_per_minute: 1000,
        shutdown_grace_secs: 5,
        ..Config::default()
    }
}

/// Reads a problem+json answer, checking its content type and status.
pub async fn expect_problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("problem json");
    assert_eq!(body["code"], code, "problem code in {body}");
    assert_eq!(body["status"], status);
    for key in ["type", "title", "detail"] {
        assert!(body[key].is_string(), "problem lacks {key}: {body}");
    }
    body
}

impl TestApp {
    /// `owner` creates a room; its id and invite code.
    pub async fn create_room(&self, owner: &TestUser, name: &str) -> (String, String) {
        let response = self.post_json("/api/v1/rooms", &json!({"name": name}), Some(&owner.access_token)).await;
        assert_eq!(response.status(), 201, "create room");
        let room: Value = response.json().await.expect("room json");
        (room["id"].as_str().expect("id").to_owned(), room["invite_code"].as_str().expect("code").to_owned())
    }

    /// `user` joins by `code`; panics unless it works.
    pub async fn join(&self, user: &TestUser, code: &str) {
        let response =
            self.post_json("/api/v1/rooms/join", &json!({"invite_code": code}), Some(&user.access_token)).await;
        assert_eq!(response.status(), 200, "join");
    }

    /// `by` sets `member`'s role in the room; the answer, for the caller to check.
    pub async fn set_role(&self, by: &TestUser, room: &str, member: &TestUser, role: &str) -> reqwest::Response {
        self.send_json(
            reqwest::Method::PATCH,
            &format!("/api/v1/rooms/{room}/members/{}", member.id),
            &json!({ "role": role }),
            Some(&by.access_token),
        )
        .await
    }

    /// A room with `names[0]` as owner and the others as members.
    pub async fn family(&self, names: &[&str]) -> (String, Vec<TestUser>) {
        let mut users = Vec::new();
        for name in names {
            users.push(self.register(name).await);
        }
        let (room, code) = self.create_room(&users[0], "Family").await;
        for user in &users[1..] {
            self.join(user, &code).await;
        }
        (room, users)
    }

    /// `user` posts an activity; the created activity.
    pub async fn post_activity(&self, user: &TestUser, room: &str, body: Value) -> Value {
        let response =
            self.post_json(&format!("/api/v1/rooms/{room}/activities"), &body, Some(&user.access_token)).await;
        assert_eq!(response.status(), 201, "post activity {body}");
        response.json().await.expect("activity json")
    }

    /// `user` posts a chat message; the created activity.
    pub async fn say(&self, user: &TestUser, room: &str, text: &str) -> Value {
        self.post_activity(user, room, json!({"action_type": "message", "message": text})).await
    }

    /// Every activity `user` may see in the room, following cursors.
    pub async fn history(&self, user: &TestUser, room: &str, after: Option<&str>) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor = after.map(str::to_owned);
        loop {
            let path = match &cursor {
                Some(c) => format!("/api/v1/rooms/{room}/activities?limit=100&cursor={c}"),
                None => format!("/api/v1/rooms/{room}/activities?limit=100"),
            };
            let page: Value = self.get(&path, Some(&user.access_token)).await.json().await.expect("page");
            items.extend(page["items"].as_array().expect("items").iter().cloned());
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return items,
            }
        }
    }
}

/// A product written straight into the test database: test data, not a mock.
#[derive(Debug, Clone)]
pub struct TestProduct {
    pub sku: &'static str,
    pub price_minor: i64,
    /// `(size, stock)`.
    pub sizes: Vec<(&'static str, u32)>,
}

impl TestApp {
    /// Inserts or rewrites a product on the app's own database.
    async fn product_sql(&self, id: uuid::Uuid, product: &TestProduct, insert: bool) {
        use secrecy::ExposeSecret;
        use sqlx::Connection;
        let sizes: Vec<Value> = product.sizes.iter().map(|(s, n)| json!({"size": s, "stock": n})).collect();
        let metadata = sqlx::types::Json(json!({"sizes": sizes}));
        let images = sqlx::types::Json(json!([format!("https://img.example/{}.jpg", product.sku)]));
        let now = sqlx::types::time::OffsetDateTime::now_utc();
        let sql = if insert {
            "INSERT INTO products (id, sku, title, brand, category, price_minor, original_price_minor, currency, \
             images, metadata, created_at, updated_at) VALUES ($1, $2, $3, 'Test Brand', 'Apparel', $4, $4, 'INR', \
             $5, $6, $7, $7)"
        } else {
            "UPDATE products SET sku = $2, title = $3, price_minor = $4, images = $5, metadata = $6, updated_at = $7 \
             WHERE id = $1"
        };
        let title = format!("Test product {}", product.sku);
        match &self.config.database_url {
            Some(url) => {
                let mut db = sqlx::PgConnection::connect(url.expose_secret()).await.expect("test database");
                sqlx::query(sql)
                    .bind(id)
                    .bind(product.sku)
                    .bind(&title)
                    .bind(product.price_minor)
                    .bind(&images)
                    .bind(&metadata)
                    .bind(now)
                    .execute(&mut db)
                    .await
                    .expect("write product");
            }
            None => {
                let path = self.config.data_dir.join("familyroom.db");
                let mut db =
                    sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.expect("test db");
                sqlx::query(sql)
                    .bind(id)
                    .bind(product.sku)
                    .bind(&title)
                    .bind(product.price_minor)
                    .bind(&images)
                    .bind(&metadata)
                    .bind(now)
                    .execute(&mut db)
                    .await
                    .expect("write product");
            }
        }
    }

    /// Inserts a product; its id.
    pub async fn insert_product(&self, product: &TestProduct) -> String {
        let id = uuid::Uuid::now_v7();
        self.product_sql(id, product, true).await;
        id.to_string()
    }

    /// Rewrites a product's price and sizes, as a catalog update would.
    pub async fn update_product(&self, id: &str, product: &TestProduct) {
        self.product_sql(uuid::Uuid::parse_str(id).expect("product id"), product, false).await;
    }
}
