//! Many nodes: two `familyroom serve` processes sharing one PostgreSQL
//! database and one Redis. A client on node A receives, in order and
//! without gaps, what is posted through node B, and resumes against node B
//! after node A is killed.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::Duration,
};

use futures::future::join_all;
use serde_json::{Value, json};
use testkit::{PASSWORD, ws::WsClient};

const SECRET: &str = "multi-node-test-secret-0123456789abcdef";

/// A `familyroom serve` child process, killed on drop.
struct Node {
    child: Child,
    base: String,
    _data_dir: tempfile::TempDir,
}

impl Node {
    fn start(database_url: &str) -> Node {
        let data_dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_familyroom"))
            .arg("serve")
            .env_clear()
            .env("FAMILYROOM_BIND", "127.0.0.1:0")
            .env("FAMILYROOM_DATA_DIR", data_dir.path())
            .env("FAMILYROOM_DATABASE_URL", database_url)
            .env("FAMILYROOM_REDIS_URL", "redis://127.0.0.1:6379")
            .env("FAMILYROOM_SECRET", SECRET)
            .env("FAMILYROOM_DEMO_CATALOG", "0")
            .env("FAMILYROOM_ARGON2_MEMORY_KIB", "64")
            .env("FAMILYROOM_ARGON2_ITERATIONS", "1")
            .env("FAMILYROOM_LOG_FORMAT", "json")
            .env("FAMILYROOM_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("familyroom starts");
        // The node logs its bound address once it listens; read it from stdout.
        let stdout = child.stdout.take().expect("stdout");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(entry) = serde_json::from_str::<Value>(&line)
                    && entry["message"] == "familyroom is serving"
                {
                    drop(sender.send(entry["addr"].as_str().unwrap_or_default().to_owned()));
                }
            }
        });
        let addr = receiver.recv_timeout(Duration::from_secs(60)).expect("the node reports its address");
        Node { child, base: format!("http://{addr}"), _data_dir: data_dir }
    }

    fn kill(&mut self) {
        drop(self.child.kill());
        drop(self.child.wait());
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn post(client: &reqwest::Client, url: String, body: Value, token: Option<&str>) -> Value {
    let mut request = client.post(url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

async fn register(client: &reqwest::Client, node: &Node, name: &str) -> (String, String) {
    let email = format!("{name}-{}@example.com", uuid::Uuid::new_v4().simple());
    let session = post(
        client,
        format!("{}/api/v1/auth/register", node.base),
        json!({"name": name, "email": email, "password": PASSWORD}),
        None,
    )
    .await;
    (session["access_token"].as_str().unwrap().to_owned(), session["user"]["id"].as_str().unwrap().to_owned())
}

/// Asha registers on node `a` and opens a room; `member` registers on node
/// `b` and joins it. Returns Asha's token, the member's token and id, and
/// the room id.
async fn room_across(client: &reqwest::Client, a: &Node, b: &Node, member: &str) -> (String, String, String, String) {
    let (asha, _) = register(client, a, "asha").await;
    let (other, other_id) = register(client, b, member).await;
    let room = post(client, format!("{}/api/v1/rooms", a.base), json!({"name": "Family"}), Some(&asha)).await;
    let room_id = room["id"].as_str().unwrap().to_owned();
    post(client, format!("{}/api/v1/rooms/join", b.base), json!({"invite_code": room["invite_code"]}), Some(&other))
        .await;
    (asha, other, other_id, room_id)
}

/// `GET path` on `node` as `token`'s user, which must answer 200.
async fn get_on(client: &reqwest::Client, node: &Node, token: &str, path: &str) -> Value {
    let response = client.get(format!("{}{path}", node.base)).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.unwrap()
}

/// The first 100 activities of `room` that `token`'s user may see, read through `node`.
async fn history_on(client: &reqwest::Client, node: &Node, token: &str, room: &str) -> Value {
    get_on(client, node, token, &format!("/api/v1/rooms/{room}/activities?limit=100")).await
}

#[tokio::test]
async fn a_client_on_one_node_follows_posts_through_another_and_resumes_after_a_crash() {
    let database_url = testkit::fresh_postgres_database().await;
    let mut a = Node::start(&database_url);
    let b = Node::start(&database_url);
    let client = reqwest::Client::new();

    let (asha, ravi, _, room_id) = room_across(&client, &a, &b, "ravi").await;

    // Asha listens on node A; Ravi posts through node B, several at once.
    let mut on_a = WsClient::connect_to(&client, &a.base, &asha).await;
    on_a.subscribe(&room_id, None).await;
    let posts = (0..20).map(|i| {
        post(
            &client,
            format!("{}/api/v1/rooms/{room_id}/activities", b.base),
            json!({"action_type": "message", "message": format!("from B {i}")}),
            Some(&ravi),
        )
    });
    join_all(posts).await;
    let history = history_on(&client, &b, &asha, &room_id).await;
    let expected: Vec<Value> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action_type"] == "message")
        .map(|a| a["id"].clone())
        .collect();
    assert_eq!(expected.len(), 20);
    let mut received = Vec::new();
    let mut last_cursor = String::new();
    while received.len() < 20 {
        let activity = on_a.next_activity().await;
        if activity["action_type"] == "message" {
            received.push(activity["id"].clone());
            last_cursor = activity["cursor"].as_str().unwrap().to_owned();
        }
    }
    assert_eq!(received, expected, "in the log's order, no gap, no duplicate");

    // Node A dies; what is posted meanwhile is replayed by node B on resume.
    a.kill();
    drop(on_a);
    let mut missed = Vec::new();
    for i in 0..5 {
        let activity = post(
            &client,
            format!("{}/api/v1/rooms/{room_id}/activities", b.base),
            json!({"action_type": "message", "message": format!("while A was down {i}")}),
            Some(&ravi),
        )
        .await;
        missed.push(activity["id"].clone());
    }
    let mut on_b = WsClient::connect_to(&client, &b.base, &asha).await;
    on_b.subscribe(&room_id, Some(&last_cursor)).await;
    let mut resumed = Vec::new();
    for _ in 0..5 {
        resumed.push(on_b.next_activity().await["id"].clone());
    }
    assert_eq!(resumed, missed);
}

/// Polls `GET /me` on `node` until `done` holds for (status, body), for at most
/// `within`: shorter than the caches' ten-second lifetime, so only the change
/// message from the other node can make it pass.
async fn me_until(
    client: &reqwest::Client,
    node: &Node,
    token: &str,
    within: Duration,
    done: impl Fn(u16, &Value) -> bool,
) -> (u16, Value) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let response = client.get(format!("{}/api/v1/me", node.base)).bearer_auth(token).send().await.unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if done(status, &body) || tokio::time::Instant::now() >= deadline {
            return (status, body);
        }
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn a_profile_change_or_a_logout_on_one_node_reaches_the_other_nodes_cache_at_once() {
    let database_url = testkit::fresh_postgres_database().await;
    let a = Node::start(&database_url);
    let b = Node::start(&database_url);
    let client = reqwest::Client::new();
    let (asha, _) = register(&client, &a, "asha").await;

    // Node B caches Asha (and her login) by answering her once.
    let (status, me) = me_until(&client, &b, &asha, Duration::ZERO, |_, _| true).await;
    assert_eq!((status, me["name"].as_str()), (200, Some("asha")));

    let response = client
        .patch(format!("{}/api/v1/me", a.base))
        .bearer_auth(&asha)
        .json(&json!({"name": "Asha Rao"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (status, me) =
        me_until(&client, &b, &asha, Duration::from_secs(5), |s, body| s == 200 && body["name"] == "Asha Rao").await;
    assert_eq!((status, me["name"].as_str()), (200, Some("Asha Rao")), "node B still serves the old profile");

    let response = client.post(format!("{}/api/v1/auth/logout", a.base)).bearer_auth(&asha).send().await.unwrap();
    assert_eq!(response.status(), 204);
    let (status, _) = me_until(&client, &b, &asha, Duration::from_secs(5), |s, _| s == 401).await;
    assert_eq!(status, 401, "node B still honours a login revoked on node A");
}

/// `familyroom catalog import FILE` as its own process on the shared
/// database and Redis, as an operator runs it.
fn import_in_another_process(database_url: &str, rows: &[Value]) {
    let data_dir = tempfile::tempdir().unwrap();
    let file = data_dir.path().join("catalog.jsonl");
    let lines: Vec<String> = rows.iter().map(Value::to_string).collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_familyroom"))
        .args(["catalog", "import"])
        .arg(&file)
        .env_clear()
        .env("FAMILYROOM_DATA_DIR", data_dir.path())
        .env("FAMILYROOM_DATABASE_URL", database_url)
        .env("FAMILYROOM_REDIS_URL", "redis://127.0.0.1:6379")
        .env("FAMILYROOM_SECRET", SECRET)
        .env("FAMILYROOM_DEMO_CATALOG", "0")
        .env("FAMILYROOM_LOG", "warn")
        .stdout(Stdio::null())
        .status()
        .expect("the import runs");
    assert!(status.success(), "the import succeeds");
}

fn shirt_row(price_minor: i64) -> Value {
    json!({"sku": "MN-SHIRT", "title": "Multi-node shirt", "price_minor": price_minor, "currency": "INR",
           "sizes": [{"size": "M", "stock": 3}]})
}

#[tokio::test]
async fn a_catalog_import_in_another_process_reaches_open_carts_through_redis() {
    use sqlx::Connection;
    let database_url = testkit::fresh_postgres_database().await;
    let a = Node::start(&database_url);
    let client = reqwest::Client::new();
    import_in_another_process(&database_url, &[shirt_row(99_900)]);
    let mut db = sqlx::PgConnection::connect(&database_url).await.unwrap();
    let (product,): (uuid::Uuid,) =
        sqlx::query_as("SELECT id FROM products WHERE sku = 'MN-SHIRT'").fetch_one(&mut db).await.unwrap();

    let (asha, _) = register(&client, &a, "asha").await;
    let room = post(&client, format!("{}/api/v1/rooms", a.base), json!({"name": "Family"}), Some(&asha)).await;
    let room_id = room["id"].as_str().unwrap().to_owned();
    let line = json!({"product_id": product, "size": "M", "quantity": 1});
    post(&client, format!("{}/api/v1/rooms/{room_id}/cart/lines", a.base), line, Some(&asha)).await;
    let mut on_a = WsClient::connect_to(&client, &a.base, &asha).await;
    on_a.subscribe(&room_id, None).await;

    // The importing process has its own hub: only Redis carries the frame to node A.
    import_in_another_process(&database_url, &[shirt_row(79_900)]);
    let frame = on_a.next_non_presence_frame().await;
    assert_eq!(
        frame,
        json!({"type": "cart_changed", "room_id": room_id, "product_ids": [product], "reason": "catalog"})
    );
    let cart: Value = client
        .get(format!("{}/api/v1/rooms/{room_id}/cart", a.base))
        .bearer_auth(&asha)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cart["lines"][0]["price_now"]["amount"], "799.00");
}

async fn recommendations_on(client: &reqwest::Client, node: &Node, token: &str, room: &str) -> Value {
    get_on(client, node, token, &format!("/api/v1/rooms/{room}/recommendations")).await
}

#[tokio::test]
async fn a_refresh_on_one_node_replaces_the_lists_another_node_had_cached() {
    use sqlx::Connection;
    let database_url = testkit::fresh_postgres_database().await;
    import_in_another_process(&database_url, &[shirt_row(99_900)]);
    let mut db = sqlx::PgConnection::connect(&database_url).await.unwrap();
    let (shirt,): (uuid::Uuid,) =
        sqlx::query_as("SELECT id FROM products WHERE sku = 'MN-SHIRT'").fetch_one(&mut db).await.unwrap();
    let a = Node::start(&database_url);
    let b = Node::start(&database_url);
    let client = reqwest::Client::new();
    let (asha, ravi, _, room_id) = room_across(&client, &a, &b, "ravi").await;

    // Node B computes and caches Ravi's lists before anything happened in the room.
    let before = recommendations_on(&client, &b, &ravi, &room_id).await;
    assert!(!before.to_string().contains("Asha"), "{before}");

    // Asha's like on node A makes node A refresh Ravi's lists and push them.
    let mut ravi_socket = WsClient::connect_to(&client, &b.base, &ravi).await;
    ravi_socket.subscribe(&room_id, None).await;
    post(
        &client,
        format!("{}/api/v1/rooms/{room_id}/activities", a.base),
        json!({"action_type": "liked", "product_id": shirt}),
        Some(&asha),
    )
    .await;
    let frame = ravi_socket.next_of_type("recommendations").await;
    assert!(frame["recommendations"].to_string().contains(&shirt.to_string()), "{frame}");

    // Node B now answers what node A computed, not its cached copy.
    let after = recommendations_on(&client, &b, &ravi, &room_id).await;
    let ids = |lists: &Value| -> Vec<Value> { lists.as_array().unwrap().iter().map(|l| l["id"].clone()).collect() };
    assert_eq!(ids(&after), ids(&frame["recommendations"]), "node B served stale lists: {after}");
}

async fn put(client: &reqwest::Client, url: String, body: Value, token: &str) -> Value {
    let response = client.put(url).json(&body).bearer_auth(token).send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

/// Node A decides a post's visibility from the author's membership it
/// remembers; the author turns secret mode on through node B in between, and
/// no change message is waited for: the commit on A must still find the new
/// secret mode and hide the post from the member it names.
#[tokio::test]
async fn secret_mode_turned_on_through_one_node_hides_the_next_post_through_another() {
    let database_url = testkit::fresh_postgres_database().await;
    let a = Node::start(&database_url);
    let b = Node::start(&database_url);
    let client = reqwest::Client::new();

    let (asha, mom, mom_id, room_id) = room_across(&client, &a, &b, "mom").await;
    let activities = format!("{}/api/v1/rooms/{room_id}/activities", a.base);

    // Node A learns Asha's membership (no secret mode) from her first post.
    let first =
        post(&client, activities.clone(), json!({"action_type": "message", "message": "hello"}), Some(&asha)).await;
    assert_eq!(first["is_secret"], false);

    for round in 0..3 {
        put(
            &client,
            format!("{}/api/v1/rooms/{room_id}/secret-mode", b.base),
            json!({"enabled": true, "hidden_from": [mom_id]}),
            &asha,
        )
        .await;
        let secret = post(
            &client,
            activities.clone(),
            json!({"action_type": "message", "message": format!("gift idea {round}")}),
            Some(&asha),
        )
        .await;
        assert_eq!(secret["is_secret"], true, "round {round}: {secret}");
        let history = history_on(&client, &b, &mom, &room_id).await;
        let seen: Vec<&Value> = history["items"].as_array().unwrap().iter().map(|a| &a["id"]).collect();
        assert!(!seen.contains(&&secret["id"]), "round {round}: the hidden member sees the secret post");

        // And off again through B: the next post through A is public.
        put(&client, format!("{}/api/v1/rooms/{room_id}/secret-mode", b.base), json!({"enabled": false}), &asha).await;
        let public = post(
            &client,
            activities.clone(),
            json!({"action_type": "message", "message": format!("dinner {round}")}),
            Some(&asha),
        )
        .await;
        assert_eq!(public["is_secret"], false, "round {round}: {public}");
    }
}
