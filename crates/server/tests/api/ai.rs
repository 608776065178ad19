//! Trip plans and recommendations through the real server: planning with
//! products in the traveller's size and budget, editing, roles, bad input,
//! the optional language model (a stand-in chat-completions server on
//! localhost), precomputed recommendations pushed after activity, and
//! secret mode holding for them.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU8, Ordering},
    },
    time::Duration,
};

use axum::{Json, Router, extract::State, routing::post};
use serde_json::{Value, json};
use testkit::{TestApp, TestUser, expect_problem, ws::WsClient};

const DEMO: u32 = 400;

async fn spawn() -> TestApp {
    TestApp::spawn_with(|c| {
        c.demo_catalog = DEMO;
        c.recs_debounce_ms = 50;
    })
    .await
}

fn trips(room: &str) -> String {
    format!("/api/v1/rooms/{room}/trips")
}

async fn set_profile(app: &TestApp, user: &TestUser, body: Value) {
    let response = app.send_json(reqwest::Method::PATCH, "/api/v1/me", &body, Some(&user.access_token)).await;
    assert_eq!(response.status(), 200, "profile update");
}

async fn plan(app: &TestApp, user: &TestUser, room: &str, body: &Value) -> Value {
    let response = app.post_json(&trips(room), body, Some(&user.access_token)).await;
    assert_eq!(response.status(), 201, "plan a trip");
    response.json().await.unwrap()
}

async fn product(app: &TestApp, id: &str) -> Value {
    let response = app.get(&format!("/api/v1/products/{id}"), None).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn lines(trip: &Value, traveler: Option<u64>) -> Vec<&Value> {
    trip["packing_list"].as_array().unwrap().iter().filter(|l| l["traveler_index"].as_u64() == traveler).collect()
}

fn beach_trip(ravi: &TestUser) -> Value {
    json!({
        "destination": "Phuket",
        "trip_type": "beach",
        "duration": 5,
        "start_date": "2026-12-20",
        "travelers": [
            {"user_id": ravi.id, "age": 40, "gender": "men"},
            {"name": "Tara", "age": 8, "gender": "girls"}
        ],
        "occasion": "beach",
        "budget": {"amount": "2500.00", "currency": "INR"}
    })
}

#[tokio::test]
async fn a_member_plans_a_trip_with_products_in_size_and_budget() {
    let app = spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi"]).await;
    let (asha, ravi) = (&users[0], &users[1]);
    set_profile(&app, ravi, json!({"sizes": {"tops": "M", "bottoms": "32", "shoes": "UK8"}})).await;
    let mut socket = WsClient::connect(&app, ravi).await;
    socket.subscribe(&room, None).await;

    let trip = plan(&app, asha, &room, &beach_trip(ravi)).await;

    assert_eq!(trip["destination"], "Phuket");
    assert_eq!(trip["duration"], 5);
    assert_eq!(trip["planner"], "built_in");
    // Phuket is in the built-in climate table: inferred, and the plan says so.
    assert_eq!(trip["climate"]["inferred"], true);
    assert!(trip["climate"]["source"].as_str().unwrap().contains("inferred"), "{}", trip["climate"]);
    assert!(trip["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("inferred")));
    // The member traveller carries their room name; the child is named.
    assert_eq!(trip["travelers"][0]["name"], "Ravi");
    assert_eq!(trip["travelers"][0]["user_id"], ravi.id);
    assert_eq!(trip["travelers"][1]["name"], "Tara");

    let ravis = lines(&trip, Some(0));
    let taras = lines(&trip, Some(1));
    let shared = lines(&trip, None);
    assert!(ravis.iter().any(|l| l["item"] == "Swimwear"), "a beach trip packs swimwear");
    assert!(taras.iter().any(|l| l["category"] == "kids"), "a child's list has kids' needs");
    assert!(shared.iter().any(|l| l["item"] == "Travel documents pouch"));
    let underwear = ravis.iter().find(|l| l["id"] == "t0:underwear").unwrap();
    assert_eq!(underwear["quantity"], 6, "one a day for five days plus a spare");
    for line in trip["packing_list"].as_array().unwrap() {
        assert!(!line["reason"].as_str().unwrap().is_empty(), "every line has a reason: {line}");
    }

    // Ravi's tops are in his size, in stock, for men, within the budget.
    let tops = ravis.iter().find(|l| l["id"] == "t0:tops").unwrap();
    let offered = tops["products"].as_array().unwrap();
    assert!(!offered.is_empty(), "the demo catalog has tops for Ravi: {tops}");
    assert_eq!(tops["product_id"], offered[0]["id"]);
    for card in offered {
        let p = product(&app, card["id"].as_str().unwrap()).await;
        let sizes = p["metadata"]["sizes"].as_array().unwrap();
        assert!(sizes.iter().any(|s| s["size"] == "M" && s["stock"].as_u64().unwrap() > 0), "M in stock: {p}");
        assert!(matches!(p["metadata"]["gender"].as_str(), Some("men" | "unisex")), "{p}");
        let price: f64 = p["price"]["amount"].as_str().unwrap().parse().unwrap();
        assert!(price <= 2500.0, "within budget: {price}");
    }
    // Tara's clothes are kids' clothes.
    let tara_tops = taras.iter().find(|l| l["id"] == "t1:tops").unwrap();
    for card in tara_tops["products"].as_array().unwrap() {
        let p = product(&app, card["id"].as_str().unwrap()).await;
        assert!(matches!(p["metadata"]["gender"].as_str(), Some("girls" | "unisex")), "{p}");
    }
    assert!(trip["shopping"]["lines"].as_u64().unwrap() > 0);

    // The plan is an activity, broadcast like every other.
    let activity = socket.next_activity().await;
    assert_eq!(activity["action_type"], "trip_planned");
    assert_eq!(activity["metadata"]["trip_id"], trip["id"]);

    // Listed and readable by any member.
    let list: Value = app.get(&trips(&room), Some(&ravi.access_token)).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["id"], trip["id"]);
}

#[tokio::test]
async fn a_plan_is_edited_line_by_line_and_roles_and_rooms_are_enforced() {
    let app = spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi", "Mom"]).await;
    let (asha, ravi, mom) = (&users[0], &users[1], &users[2]);
    let outsider = app.register("Outsider").await;
    let (other_room, _) = app.create_room(&outsider, "Elsewhere").await;
    let response = app.set_role(asha, &room, mom, "viewer").await;
    assert_eq!(response.status(), 200);

    let trip = plan(&app, ravi, &room, &beach_trip(ravi)).await;
    let id = trip["id"].as_str().unwrap();
    let path = format!("{}/{id}", trips(&room));
    let tops = lines(&trip, Some(0)).into_iter().find(|l| l["id"] == "t0:tops").unwrap().clone();
    let swap_to = tops["products"].as_array().unwrap().last().unwrap()["id"].clone();
    let before_lines = trip["shopping"]["lines"].as_u64().unwrap();

    let edit = json!({"lines": [
        {"id": "t0:socks", "checked": true, "quantity": 7},
        {"id": "t0:tops", "product_id": swap_to},
        {"id": "shared:documents_pouch", "owned": true}
    ]});
    let response = app.send_json(reqwest::Method::PATCH, &path, &edit, Some(&asha.access_token)).await;
    assert_eq!(response.status(), 200);
    let edited: Value = response.json().await.unwrap();
    let line = |trip: &Value, id: &str| {
        trip["packing_list"].as_array().unwrap().iter().find(|l| l["id"] == id).unwrap().clone()
    };
    assert_eq!(line(&edited, "t0:socks")["checked"], true);
    assert_eq!(line(&edited, "t0:socks")["quantity"], 7);
    assert_eq!(line(&edited, "t0:tops")["product_id"], swap_to);
    assert_eq!(line(&edited, "shared:documents_pouch")["owned"], true);
    let pouch_had_product = !line(&trip, "shared:documents_pouch")["product_id"].is_null();
    let after_lines = edited["shopping"]["lines"].as_u64().unwrap();
    assert_eq!(after_lines, before_lines - u64::from(pouch_had_product), "owned lines leave the shopping list");
    let reread: Value = app.get(&path, Some(&mom.access_token)).await.json().await.unwrap();
    assert_eq!(line(&reread, "t0:socks")["quantity"], 7, "the viewer reads the saved edit");
    let history = app.history(mom, &room, None).await;
    assert!(history.iter().any(|a| a["action_type"] == "trip_updated" && a["metadata"]["trip_id"] == id));

    // A viewer reads but does not edit or delete; nothing changes.
    let viewer_edit = json!({"lines": [{"id": "t0:socks", "quantity": 1}]});
    let response = app.send_json(reqwest::Method::PATCH, &path, &viewer_edit, Some(&mom.access_token)).await;
    expect_problem(response, 403, "forbidden").await;
    let response = app.post_json(&trips(&room), &beach_trip(ravi), Some(&mom.access_token)).await;
    expect_problem(response, 403, "forbidden").await;
    let response = app.send_json(reqwest::Method::DELETE, &path, &json!({}), Some(&mom.access_token)).await;
    expect_problem(response, 403, "forbidden").await;
    // A non-member reads nothing.
    expect_problem(app.get(&path, Some(&outsider.access_token)).await, 403, "forbidden").await;
    expect_problem(app.get(&trips(&room), Some(&outsider.access_token)).await, 403, "forbidden").await;
    // A trip of another room, or no trip at all, is not found.
    let elsewhere = format!("{}/{id}", trips(&other_room));
    expect_problem(app.get(&elsewhere, Some(&outsider.access_token)).await, 404, "not_found").await;
    let unknown = format!("{}/{}", trips(&room), uuid::Uuid::now_v7());
    expect_problem(app.get(&unknown, Some(&ravi.access_token)).await, 404, "not_found").await;
    let response = app.send_json(reqwest::Method::PATCH, &unknown, &viewer_edit, Some(&ravi.access_token)).await;
    expect_problem(response, 404, "not_found").await;
    // Bad edits: field errors, and none of the edits is applied.
    let bad = json!({"lines": [
        {"id": "t0:socks", "quantity": 3},
        {"id": "t0:jetpack", "checked": true},
        {"id": "t0:tops", "quantity": 0},
        {"id": "t0:tops", "product_id": uuid::Uuid::now_v7()}
    ]});
    let response = app.send_json(reqwest::Method::PATCH, &path, &bad, Some(&ravi.access_token)).await;
    let problem = expect_problem(response, 422, "validation_failed").await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["lines[1].id", "lines[2].quantity", "lines[3].product_id"]);
    let reread: Value = app.get(&path, Some(&ravi.access_token)).await.json().await.unwrap();
    assert_eq!(line(&reread, "t0:socks")["quantity"], 7);
    let response = app.send_json(reqwest::Method::PATCH, &path, &json!({"lines": []}), Some(&ravi.access_token)).await;
    expect_problem(response, 422, "validation_failed").await;

    // Deleted: gone for everyone.
    let response = app.send_json(reqwest::Method::DELETE, &path, &json!({}), Some(&asha.access_token)).await;
    assert_eq!(response.status(), 204);
    expect_problem(app.get(&path, Some(&ravi.access_token)).await, 404, "not_found").await;
}

#[tokio::test]
async fn bad_trip_input_is_refused_with_field_errors_and_nothing_is_written() {
    let app = spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi"]).await;
    let asha = &users[0];
    let stranger = app.register("Stranger").await;
    let ok = json!({"destination": "Goa", "duration": 3, "travelers": 2});
    let with = |key: &str, value: Value| {
        let mut body = ok.clone();
        body[key] = value;
        body
    };
    let cases: Vec<(Value, &str)> = vec![
        (with("duration", json!(-3)), "duration"),
        (with("duration", json!(0)), "duration"),
        (with("duration", json!(100_000)), "duration"),
        (with("destination", json!("   ")), "destination"),
        (with("climate", json!("lukewarm")), "climate"),
        (with("trip_type", json!("space")), "trip_type"),
        (with("occasion", json!("coronation")), "occasion"),
        (with("travelers", json!(0)), "travelers"),
        (with("travelers", json!(1000)), "travelers"),
        (with("travelers", json!([])), "travelers"),
        (with("travelers", json!([{"age": 300}])), "travelers[0].age"),
        (with("travelers", json!([{"gender": "robot"}])), "travelers[0].gender"),
        (with("travelers", json!([{"user_id": stranger.id}])), "travelers[0].user_id"),
        (with("start_date", json!("20/12/2026")), "start_date"),
        (with("budget", json!({"amount": "1.00"})), "budget"),
        (with("budget", json!({"amount": "-5"})), "budget.amount"),
        (with("budget", json!({"amount": "10.00", "currency": "USD"})), "budget.currency"),
        (with("travelers", json!("many")), "travelers"),
        (with("nights", json!(3)), "nights"),
        // An object is read from a JSON object only, never from an array of
        // its field values (serde's default for structs).
        (with("travelers", json!([["Ravi", 30]])), "travelers[0]"),
        (with("budget", json!(["1500.00", "INR"])), "budget"),
    ];
    for (body, field) in cases {
        let response = app.post_json(&trips(&room), &body, Some(&asha.access_token)).await;
        let problem = expect_problem(response, 422, "validation_failed").await;
        let fields: Vec<&str> =
            problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "{body} should fail on {field}, got {problem}");
    }
    let missing = app.post_json(&trips(&room), &json!({}), Some(&asha.access_token)).await;
    let problem = expect_problem(missing, 422, "validation_failed").await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    for field in ["destination", "duration", "travelers"] {
        assert!(fields.contains(&field), "{field} is required: {problem}");
    }
    let response =
        app.post_raw(&trips(&room), "application/json", b"{not json".to_vec(), Some(&asha.access_token)).await;
    expect_problem(response, 400, "malformed_json").await;
    // Nothing was written: no plan, no activity.
    let list: Value = app.get(&trips(&room), Some(&asha.access_token)).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    assert!(!app.history(asha, &room, None).await.iter().any(|a| a["action_type"] == "trip_planned"));
    // The same body, made valid, works: the failures were the bad fields.
    assert_eq!(app.post_json(&trips(&room), &ok, Some(&asha.access_token)).await.status(), 201);
}

/// A chat-completions stand-in: 0 answers well, 1 with garbage, 2 too late.
#[derive(Clone)]
struct Stand {
    mode: Arc<AtomicU8>,
    seen: Arc<Mutex<Vec<String>>>,
}

async fn completions(State(stand): State<Stand>, Json(body): Json<Value>) -> Json<Value> {
    stand.seen.lock().unwrap().push(body.to_string());
    let content = match stand.mode.load(Ordering::SeqCst) {
        0 => json!({"summary": "December in Phuket is dry: one swimsuit dries by morning.", "adjustments": [
            {"traveller": 0, "key": "swimwear", "quantity": 1, "reason": "dries overnight"}
        ]})
        .to_string(),
        1 => "this is not json".to_owned(),
        _ => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            "{}".to_owned()
        }
    };
    Json(json!({"id": "x", "object": "chat.completion", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
    ]}))
}

#[tokio::test]
async fn a_configured_language_model_refines_the_plan_and_a_bad_or_late_answer_falls_back() {
    let stand = Stand { mode: Arc::new(AtomicU8::new(0)), seen: Arc::new(Mutex::new(Vec::new())) };
    let router = Router::new().route("/v1/chat/completions", post(completions)).with_state(stand.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let app = TestApp::spawn_with(|c| {
        c.demo_catalog = DEMO;
        c.llm_url = Some(format!("http://{addr}/v1/chat/completions"));
        c.llm_model = Some("stand-in".into());
        c.llm_timeout_ms = 500;
    })
    .await;
    let (room, users) = app.family(&["Asha", "Ravi"]).await;
    let (asha, ravi) = (&users[0], &users[1]);
    set_profile(&app, ravi, json!({"sizes": {"tops": "M"}})).await;

    let refined = plan(&app, asha, &room, &beach_trip(ravi)).await;
    assert_eq!(refined["planner"], "llm:stand-in", "{}", refined["notes"]);
    let swim = lines(&refined, Some(0)).into_iter().find(|l| l["id"] == "t0:swimwear").unwrap().clone();
    assert_eq!(swim["quantity"], 1);
    assert!(swim["reason"].as_str().unwrap().contains("dries overnight"));
    assert!(refined["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("one swimsuit")));
    // Only ages, genders and sizes travel: no names, no ids.
    let sent = stand.seen.lock().unwrap()[0].clone();
    let request: Value = serde_json::from_str(&sent).unwrap();
    assert_eq!(request["response_format"]["type"], "json_schema");
    let prompt = request["messages"][1]["content"].as_str().unwrap();
    assert!(prompt.contains(r#""tops":"M""#), "the member's sizes travel: {prompt}");
    for private in ["Ravi", "Tara", "Asha", ravi.id.as_str(), asha.id.as_str(), room.as_str()] {
        assert!(!sent.contains(private), "{private} was sent to the model");
    }

    stand.mode.store(1, Ordering::SeqCst);
    let fallback = plan(&app, asha, &room, &beach_trip(ravi)).await;
    assert_eq!(fallback["planner"], "built_in");
    assert!(
        fallback["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().starts_with("Built-in planner used")),
        "{}",
        fallback["notes"]
    );
    assert_eq!(lines(&fallback, Some(0)).into_iter().find(|l| l["id"] == "t0:swimwear").unwrap()["quantity"], 2);

    stand.mode.store(2, Ordering::SeqCst);
    let late = plan(&app, asha, &room, &beach_trip(ravi)).await;
    assert_eq!(late["planner"], "built_in");
    assert!(
        late["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("in time")),
        "{}",
        late["notes"]
    );
}

/// In-stock products from the demo catalog far down the ratings, so that no
/// cold-start list ("top rated") holds them by chance.
async fn rated_products(app: &TestApp) -> Vec<Value> {
    let page: Value = app.get("/api/v1/products?sort=rating&limit=100", None).await.json().await.unwrap();
    let mut out = Vec::new();
    for item in page["items"].as_array().unwrap().iter().skip(60) {
        let p = product(app, item["id"].as_str().unwrap()).await;
        if p["metadata"]["sizes"].as_array().unwrap().iter().any(|s| s["stock"].as_u64().unwrap() > 0) {
            out.push(p);
        }
    }
    assert!(out.len() >= 3, "the demo catalog has products in stock");
    out
}

fn product_ids(frame_lists: &Value) -> Vec<String> {
    frame_lists
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["products"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()))
        .collect()
}

fn reasons(frame_lists: &Value) -> Vec<String> {
    frame_lists.as_array().unwrap().iter().map(|l| l["reason"].as_str().unwrap().to_owned()).collect()
}

async fn like(app: &TestApp, user: &TestUser, room: &str, product: &str) {
    app.post_activity(user, room, json!({"action_type": "liked", "product_id": product})).await;
}

async fn recommendations(app: &TestApp, user: &TestUser, room: &str, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/rooms/{room}/recommendations{query}"), Some(&user.access_token)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn recommendations_are_precomputed_per_member_and_pushed_after_activity() {
    let app = spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi"]).await;
    let (asha, ravi) = (&users[0], &users[1]);
    let products = rated_products(&app).await;
    let liked = products[0]["id"].as_str().unwrap().to_owned();

    // Before anything happens: a member still gets lists (cold start).
    let cold = recommendations(&app, ravi, &room, "").await;
    assert!(!cold.as_array().unwrap().is_empty());
    assert!(!product_ids(&cold).contains(&liked));

    let mut socket = WsClient::connect(&app, ravi).await;
    socket.subscribe(&room, None).await;
    like(&app, asha, &room, &liked).await;
    let frame = socket.next_of_type("recommendations").await;
    assert_eq!(frame["room_id"], room);
    assert_eq!(frame["for_user"], ravi.id);
    let lists = &frame["recommendations"];
    assert!(product_ids(lists).contains(&liked), "Asha's like shapes Ravi's lists: {lists}");
    let trending = lists.as_array().unwrap().iter().find(|l| l["type"] == "trending_in_room").unwrap();
    assert_eq!(trending["triggered_by"], asha.id);
    assert!(trending["reason"].as_str().unwrap().contains("Asha"), "{trending}");
    for key in ["id", "created_at", "expires_at", "for_user"] {
        assert!(!trending[key].is_null(), "{key} in {trending}");
    }

    // The same lists are served over REST, from what was precomputed.
    let served = recommendations(&app, ravi, &room, "").await;
    assert!(product_ids(&served).contains(&liked));
    let only = recommendations(&app, ravi, &room, "?type=trending_in_room").await;
    assert!(only.as_array().unwrap().iter().all(|l| l["type"] == "trending_in_room"));
    assert!(!only.as_array().unwrap().is_empty());
    let response =
        app.get(&format!("/api/v1/rooms/{room}/recommendations?type=bestsellers"), Some(&ravi.access_token)).await;
    expect_problem(response, 422, "validation_failed").await;
    let stranger = app.register("Stranger").await;
    let response = app.get(&format!("/api/v1/rooms/{room}/recommendations"), Some(&stranger.access_token)).await;
    expect_problem(response, 403, "forbidden").await;
    let response = app
        .get(&format!("/api/v1/rooms/{room}/recommendations?for_user={}", stranger.id), Some(&ravi.access_token))
        .await;
    expect_problem(response, 422, "validation_failed").await;

    // Deleting the room deletes its plans and lists with it.
    plan(&app, asha, &room, &json!({"destination": "Mumbai", "duration": 2, "travelers": 1})).await;
    let room_id = domain::RoomId(uuid::Uuid::parse_str(&room).unwrap());
    let store = app.app().store();
    assert!(!store.list_recommendations(room_id).await.unwrap().is_empty());
    let response = app
        .send_json(reqwest::Method::DELETE, &format!("/api/v1/rooms/{room}"), &json!({}), Some(&asha.access_token))
        .await;
    assert_eq!(response.status(), 204);
    assert!(store.list_recommendations(room_id).await.unwrap().is_empty());
    assert!(store.list_trips(room_id, 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn secret_activity_never_shapes_or_times_the_hidden_members_recommendations() {
    let app = spawn().await;
    let (room, users) = app.family(&["Asha", "Mom", "Ravi"]).await;
    let (author, hidden, third) = (&users[0], &users[1], &users[2]);
    let products = rated_products(&app).await;
    let secret = products[1]["id"].as_str().unwrap().to_owned();
    let secret_title = products[1]["title"].as_str().unwrap().to_owned();
    let public = products[0]["id"].as_str().unwrap().to_owned();

    let mut hidden_socket = WsClient::connect(&app, hidden).await;
    hidden_socket.subscribe(&room, None).await;
    let mut third_socket = WsClient::connect(&app, third).await;
    third_socket.subscribe(&room, None).await;
    let response = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/rooms/{room}/secret-mode"),
            &json!({"enabled": true, "hidden_from": [hidden.id]}),
            Some(&author.access_token),
        )
        .await;
    assert_eq!(response.status(), 200);

    // The author likes a gift in secret: the third member's lists show it.
    like(&app, author, &room, &secret).await;
    let frame = third_socket.next_of_type("recommendations").await;
    assert_eq!(frame["for_user"], third.id);
    assert!(product_ids(&frame["recommendations"]).contains(&secret), "{frame}");
    assert!(frame["recommendations"].as_array().unwrap().iter().any(|l| l["triggered_by"] == author.id));

    // Then the third member likes something in public. The hidden member's
    // first recommendations frame is the one that like caused: none came
    // from the secret like, and none shows or names the secret product.
    like(&app, third, &room, &public).await;
    let frame = hidden_socket.next_of_type("recommendations").await;
    assert_eq!(frame["for_user"], hidden.id);
    let lists = &frame["recommendations"];
    assert!(lists.as_array().unwrap().iter().all(|l| l["triggered_by"] == third.id), "{frame}");
    assert!(product_ids(lists).contains(&public), "the public like counts: {frame}");
    assert!(!product_ids(lists).contains(&secret), "{frame}");
    assert!(reasons(lists).iter().all(|r| !r.contains(&secret_title) && !r.contains("Asha")), "{frame}");

    // Over REST: the hidden member's own lists, and the third member's lists
    // as the hidden member may see them, leave the secret out too.
    for query in [String::new(), format!("?for_user={}", third.id)] {
        let served = recommendations(&app, hidden, &room, &query).await;
        assert!(!product_ids(&served).contains(&secret), "{query}: {served}");
        assert!(reasons(&served).iter().all(|r| !r.contains(&secret_title)), "{query}: {served}");
    }
    // The third member still has it.
    assert!(product_ids(&recommendations(&app, third, &room, "").await).contains(&secret));
    // The stored rows (all members' lists) are consistent with what was pushed.
    let stored = app
        .app()
        .store()
        .list_recommendations(uuid::Uuid::parse_str(&room).map(domain::RoomId).unwrap())
        .await
        .unwrap();
    let hidden_id = domain::UserId(uuid::Uuid::parse_str(&hidden.id).unwrap());
    let secret_id = domain::ProductId(uuid::Uuid::parse_str(&secret).unwrap());
    assert!(stored.iter().filter(|r| r.for_user == Some(hidden_id)).all(|r| !r.product_ids.contains(&secret_id)));
    assert!(stored.iter().any(|r| r.for_user == Some(hidden_id)));
}
