//! The family cart, wishlist and votes with three members: the author, the
//! gift's recipient (Mom) and a third member. Totals, tallies and live frames
//! as each sees them; merging, reveal, racing edits and every bad input.

use reqwest::Method;
use serde_json::{Value, json};
use testkit::{TestApp, TestProduct, TestUser, expect_problem, ws::WsClient};

struct Family {
    app: TestApp,
    room: String,
    author: TestUser,
    mom: TestUser,
    third: TestUser,
    shirt: String,
    saree: String,
}

fn shirt() -> TestProduct {
    TestProduct { sku: "SHIRT-1", price_minor: 99_900, sizes: vec![("M", 10), ("L", 1)] }
}

fn saree() -> TestProduct {
    TestProduct { sku: "SAREE-1", price_minor: 450_000, sizes: vec![("Free", 3)] }
}

async fn family() -> Family {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Mom", "Ravi"]).await;
    let [author, mom, third]: [TestUser; 3] = users.try_into().unwrap();
    let shirt = app.insert_product(&shirt()).await;
    let saree = app.insert_product(&saree()).await;
    Family { app, room, author, mom, third, shirt, saree }
}

impl Family {
    async fn send(&self, method: Method, path: &str, body: Value, user: &TestUser) -> reqwest::Response {
        self.app.send_json(method, &format!("/api/v1/rooms/{}{path}", self.room), &body, Some(&user.access_token)).await
    }

    async fn add(&self, user: &TestUser, body: Value) -> Value {
        let response = self.send(Method::POST, "/cart/lines", body.clone(), user).await;
        assert_eq!(response.status(), 201, "add {body}");
        response.json().await.unwrap()
    }

    async fn cart(&self, user: &TestUser) -> Value {
        let response = self.app.get(&format!("/api/v1/rooms/{}/cart", self.room), Some(&user.access_token)).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    async fn vote(&self, user: &TestUser, product: &str, value: i64) -> Value {
        let response =
            self.send(Method::PUT, &format!("/products/{product}/vote"), json!({"value": value}), user).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    async fn polls(&self, user: &TestUser) -> Value {
        let response = self.app.get(&format!("/api/v1/rooms/{}/polls", self.room), Some(&user.access_token)).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    async fn wishlist(&self, user: &TestUser) -> Value {
        let response = self.app.get(&format!("/api/v1/rooms/{}/wishlist", self.room), Some(&user.access_token)).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

fn line_ids(cart: &Value) -> Vec<String> {
    cart["lines"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_gift_is_absent_with_its_totals_for_the_recipient_until_revealed() {
    let f = family().await;
    let mut mom_ws = WsClient::connect(&f.app, &f.mom).await;
    mom_ws.subscribe(&f.room, None).await;
    let mut third_ws = WsClient::connect(&f.app, &f.third).await;
    third_ws.subscribe(&f.room, None).await;

    let public = f.add(&f.author, json!({"product_id": f.shirt, "size": "M", "quantity": 2})).await;
    assert_eq!(public["is_secret"], false);
    assert_eq!(public["price_at_add"], json!({"amount": "999.00", "currency": "INR"}));
    assert_eq!(public["product"]["sku"], "SHIRT-1");
    let gift =
        f.add(&f.author, json!({"product_id": f.saree, "size": "Free", "quantity": 1, "buying_for": f.mom.id})).await;
    assert_eq!(gift["is_secret"], true);
    assert_eq!(gift["buying_for"], f.mom.id);
    let marker =
        f.add(&f.third, json!({"product_id": f.shirt, "size": "L", "quantity": 1, "buying_for": "Grandpa"})).await;

    // Totals as each sees them.
    let author = f.cart(&f.author).await;
    assert_eq!(author["lines"].as_array().unwrap().len(), 3);
    assert_eq!(author["totals"], json!({"items": 4, "amount": {"amount": "7497.00", "currency": "INR"}}));
    let third = f.cart(&f.third).await;
    assert_eq!(third["totals"], author["totals"]);
    let mom = f.cart(&f.mom).await;
    assert_eq!(line_ids(&mom), vec![public["id"].as_str().unwrap(), marker["id"].as_str().unwrap()]);
    assert_eq!(mom["totals"], json!({"items": 3, "amount": {"amount": "2997.00", "currency": "INR"}}));

    // Live: the third member sees all three adds; Mom's next frame after the
    // public add is the marker, with nothing about the gift between.
    for expected in [&public, &gift, &marker] {
        let frame = third_ws.next_activity().await;
        assert_eq!(frame["action_type"], "added_to_cart");
        assert_eq!(frame["metadata"]["line_id"], expected["id"]);
    }
    assert_eq!(mom_ws.next_activity().await["metadata"]["line_id"], public["id"]);
    let next = mom_ws.next_non_presence_frame().await;
    assert_eq!(next["activity"]["metadata"]["line_id"], marker["id"], "Mom received {next}");

    // Mom cannot touch what she cannot see.
    let gift_path = format!("/cart/lines/{}", gift["id"].as_str().unwrap());
    expect_problem(f.send(Method::PATCH, &gift_path, json!({"quantity": 2}), &f.mom).await, 404, "not_found").await;
    expect_problem(f.send(Method::DELETE, &gift_path, json!({}), &f.mom).await, 404, "not_found").await;
    // Only the author reveals.
    expect_problem(f.send(Method::POST, &format!("{gift_path}/reveal"), json!({}), &f.third).await, 403, "forbidden")
        .await;

    let revealed = f.send(Method::POST, &format!("{gift_path}/reveal"), json!({}), &f.author).await;
    assert_eq!(revealed.status(), 200);
    let revealed: Value = revealed.json().await.unwrap();
    assert_eq!(revealed["is_secret"], false);
    let frame = mom_ws.next_non_presence_frame().await;
    assert_eq!(frame["activity"]["action_type"], "revealed");
    assert_eq!(frame["activity"]["metadata"]["cart_line"]["id"], gift["id"]);
    let mom = f.cart(&f.mom).await;
    assert_eq!(mom["totals"], author["totals"]);
    f.app.stop().await;
}

#[tokio::test]
async fn a_line_added_in_secret_mode_is_hidden_and_merges_only_with_its_twin() {
    let f = family().await;
    let secret =
        f.send(Method::PUT, "/secret-mode", json!({"enabled": true, "hidden_from": [f.mom.id]}), &f.author).await;
    assert_eq!(secret.status(), 200);
    let hidden = f.add(&f.author, json!({"product_id": f.shirt, "size": "M", "quantity": 1})).await;
    assert_eq!(hidden["visibility"], json!({"hidden_from": [f.mom.id]}));
    f.send(Method::PUT, "/secret-mode", json!({"enabled": false, "hidden_from": []}), &f.author).await;
    let public = f.add(&f.author, json!({"product_id": f.shirt, "size": "M", "quantity": 1})).await;
    assert_ne!(public["id"], hidden["id"], "a public add must not land in a hidden line");
    assert_eq!(f.cart(&f.mom).await["totals"]["items"], 1);
    assert_eq!(f.cart(&f.third).await["totals"]["items"], 2);

    // Mom's history has no trace either.
    let history = f.app.history(&f.mom, &f.room, None).await;
    assert!(history.iter().all(|a| a["metadata"]["line_id"] != hidden["id"]));

    // Revealing folds the hidden line into its public twin.
    let revealed: Value = f
        .send(Method::POST, &format!("/cart/lines/{}/reveal", hidden["id"].as_str().unwrap()), json!({}), &f.author)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(revealed["id"], public["id"]);
    assert_eq!(revealed["quantity"], 2);
    assert_eq!(f.cart(&f.mom).await["totals"]["items"], 2);
    f.app.stop().await;
}

#[tokio::test]
async fn the_same_product_size_and_recipient_merge_into_one_capped_line() {
    let f = family().await;
    let first =
        f.add(&f.author, json!({"product_id": f.shirt, "size": "M", "quantity": 2, "buying_for": "Grandma"})).await;
    let second =
        f.add(&f.third, json!({"product_id": f.shirt, "size": "M", "quantity": 3, "buying_for": "grandma"})).await;
    assert_eq!(second["id"], first["id"]);
    assert_eq!(second["quantity"], 5);
    assert_eq!(second["version"], 2);
    let capped =
        f.add(&f.author, json!({"product_id": f.shirt, "size": "M", "quantity": 99, "buying_for": "Grandma"})).await;
    assert_eq!(capped["quantity"], 99);
    let other_size =
        f.add(&f.author, json!({"product_id": f.shirt, "size": "L", "quantity": 1, "buying_for": "Grandma"})).await;
    assert_ne!(other_size["id"], first["id"]);
    let other_recipient = f.add(&f.author, json!({"product_id": f.shirt, "size": "M", "quantity": 1})).await;
    assert_ne!(other_recipient["id"], first["id"]);
    assert_eq!(f.cart(&f.mom).await["lines"].as_array().unwrap().len(), 3);
    f.app.stop().await;
}

#[tokio::test]
async fn racing_edits_with_one_version_end_in_one_success_and_one_conflict() {
    let f = family().await;
    let line = f.add(&f.author, json!({"product_id": f.shirt, "size": "M", "quantity": 1})).await;
    let path = format!("/cart/lines/{}", line["id"].as_str().unwrap());
    let (a, b) = tokio::join!(
        f.send(Method::PATCH, &path, json!({"quantity": 4, "version": 1}), &f.author),
        f.send(Method::PATCH, &path, json!({"quantity": 7, "version": 1}), &f.third),
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let loser = if a.status() == 409 { a } else { b };
    let problem = expect_problem(loser, 409, "conflict").await;
    assert_eq!(problem["current"]["version"], 2);
    let cart = f.cart(&f.mom).await;
    assert_eq!(cart["lines"][0]["quantity"], problem["current"]["quantity"]);

    // Without a version, the last write wins.
    let last: Value = f.send(Method::PATCH, &path, json!({"quantity": 3}), &f.mom).await.json().await.unwrap();
    assert_eq!(last["quantity"], 3);
    assert_eq!(last["version"], 3);
    let resized: Value =
        f.send(Method::PATCH, &path, json!({"size": "L", "buying_for": null}), &f.third).await.json().await.unwrap();
    assert_eq!(resized["size"], "L");
    // Price and stock are read now: the L has one piece left for three.
    assert_eq!(resized["in_stock"], false);
    f.app.update_product(&f.shirt, &TestProduct { price_minor: 79_900, ..shirt() }).await;
    let cart = f.cart(&f.author).await;
    assert_eq!(cart["lines"][0]["price_now"]["amount"], "799.00");
    assert_eq!(cart["lines"][0]["price_at_add"]["amount"], "999.00");
    assert_eq!(cart["totals"]["amount"]["amount"], "2397.00");
    let removed = f.send(Method::DELETE, &path, json!({}), &f.third).await;
    assert_eq!(removed.status(), 204);
    assert_eq!(f.cart(&f.author).await["totals"]["items"], 0);
    f.app.stop().await;
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let f = family().await;
    let line = f.add(&f.author, json!({"product_id": f.shirt, "size": "M", "quantity": 1})).await;
    let before = f.cart(&f.author).await;
    let unknown = uuid::Uuid::now_v7().to_string();
    let stranger_id = f.app.register("Stranger").await.id;
    for (body, field) in [
        (json!({"product_id": unknown, "size": "M", "quantity": 1}), "product_id"),
        (json!({"product_id": f.shirt, "size": "XXL", "quantity": 1}), "size"),
        (json!({"product_id": f.shirt, "quantity": 1}), "size"),
        (json!({"product_id": f.shirt, "size": "M", "quantity": 0}), "quantity"),
        (json!({"product_id": f.shirt, "size": "M", "quantity": -3}), "quantity"),
        (json!({"product_id": f.shirt, "size": "M", "quantity": 100}), "quantity"),
        (json!({"product_id": f.shirt, "size": "M", "quantity": 1, "buying_for": stranger_id}), "buying_for"),
        (json!({"product_id": f.shirt, "size": "M", "quantity": 1, "buying_for": ""}), "buying_for"),
        (json!({"product_id": f.shirt, "size": "M", "quantity": 1, "buying_for": "x".repeat(81)}), "buying_for"),
        (json!({"product_id": f.shirt, "size": "M", "quantity": 1, "buying_for": "Mo\u{7}m"}), "buying_for"),
        (
            json!({"product_id": f.shirt, "size": "M", "quantity": 1, "visibility": {"only": [stranger_id]}}),
            "visibility",
        ),
    ] {
        let problem = expect_problem(
            f.send(Method::POST, "/cart/lines", body.clone(), &f.author).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{body} gave {problem}");
    }
    // Values of the wrong type: a huge quantity, a non-UUID product, an unknown field.
    for (body, field) in [
        (json!({"product_id": f.shirt, "size": "M", "quantity": 1e30}), "quantity"),
        (json!({"product_id": "nope", "size": "M", "quantity": 1}), "product_id"),
        (json!({"product_id": f.shirt, "size": "M", "quantity": 1, "price": 1}), "price"),
    ] {
        let problem =
            expect_problem(f.send(Method::POST, "/cart/lines", body, &f.author).await, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    let malformed = f
        .app
        .post_raw(
            &format!("/api/v1/rooms/{}/cart/lines", f.room),
            "application/json",
            b"{".to_vec(),
            Some(&f.author.access_token),
        )
        .await;
    expect_problem(malformed, 400, "malformed_json").await;
    let path = format!("/cart/lines/{}", line["id"].as_str().unwrap());
    for body in
        [json!({"quantity": 0}), json!({"quantity": -1}), json!({"size": "XS"}), json!({"buying_for": stranger_id})]
    {
        expect_problem(f.send(Method::PATCH, &path, body, &f.author).await, 422, "validation_failed").await;
    }
    // A line id from another room.
    let (other_room, _) = f.app.create_room(&f.author, "Other").await;
    let foreign = f
        .app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/rooms/{other_room}/cart/lines/{}", line["id"].as_str().unwrap()),
            &json!({"quantity": 2}),
            Some(&f.author.access_token),
        )
        .await;
    expect_problem(foreign, 404, "not_found").await;
    // A viewer and a non-member.
    let demoted =
        f.send(Method::PATCH, &format!("/members/{}", f.third.id), json!({"role": "viewer"}), &f.author).await;
    assert_eq!(demoted.status(), 200);
    let add = json!({"product_id": f.shirt, "size": "M", "quantity": 1});
    expect_problem(f.send(Method::POST, "/cart/lines", add.clone(), &f.third).await, 403, "forbidden").await;
    expect_problem(f.send(Method::PATCH, &path, json!({"quantity": 5}), &f.third).await, 403, "forbidden").await;
    expect_problem(f.send(Method::DELETE, &path, json!({}), &f.third).await, 403, "forbidden").await;
    assert_eq!(f.cart(&f.third).await["totals"], before["totals"], "a viewer reads");
    let stranger = f.app.register("Outsider").await;
    expect_problem(f.send(Method::POST, "/cart/lines", add, &stranger).await, 403, "forbidden").await;
    let stranger_cart = f.app.get(&format!("/api/v1/rooms/{}/cart", f.room), Some(&stranger.access_token)).await;
    expect_problem(stranger_cart, 403, "forbidden").await;
    // Votes out of range.
    let vote_path = format!("/products/{}/vote", f.shirt);
    for value in [json!(2), json!(-2)] {
        expect_problem(
            f.send(Method::PUT, &vote_path, json!({"value": value}), &f.author).await,
            422,
            "validation_failed",
        )
        .await;
    }
    expect_problem(
        f.send(Method::PUT, &format!("/products/{unknown}/vote"), json!({"value": 1}), &f.author).await,
        404,
        "not_found",
    )
    .await;

    assert_eq!(f.cart(&f.author).await, before);
    let polls: Value =
        f.app.get(&format!("/api/v1/rooms/{}/polls", f.room), Some(&f.author.access_token)).await.json().await.unwrap();
    assert_eq!(polls["most_liked"], json!([]));
    f.app.stop().await;
}

#[tokio::test]
async fn tallies_and_polls_count_only_the_votes_the_caller_may_see() {
    let f = family().await;
    let mom_vote = f.vote(&f.mom, &f.shirt, 1).await;
    assert_eq!(mom_vote["tally"], json!({"up": 1, "down": 0, "score": 1}));
    f.send(Method::PUT, "/secret-mode", json!({"enabled": true, "hidden_from": [f.mom.id]}), &f.author).await;
    let secret_vote = f.vote(&f.author, &f.shirt, -1).await;
    assert_eq!(secret_vote["tally"], json!({"up": 1, "down": 1, "score": 0}));
    f.vote(&f.third, &f.saree, 1).await;
    let comment = json!({"action_type": "commented", "product_id": f.saree, "message": "Lovely colour"});
    f.app.post_activity(&f.third, &f.room, comment).await;

    // Mom changes her vote: her tally still lacks the secret 👎.
    assert_eq!(f.vote(&f.mom, &f.shirt, 1).await["tally"], json!({"up": 1, "down": 0, "score": 1}));
    let mom_polls = f.polls(&f.mom).await;
    assert_eq!(mom_polls["most_disliked"], json!([]));
    assert_eq!(mom_polls["most_discussed"][0]["product"]["id"], f.saree);
    let third_polls = f.polls(&f.third).await;
    assert_eq!(third_polls["most_disliked"][0]["product"]["id"], f.shirt);
    assert_eq!(third_polls["most_liked"].as_array().unwrap().len(), 2);
    // Mom's history has no `voted` by the author.
    let history = f.app.history(&f.mom, &f.room, None).await;
    assert!(history.iter().all(|a| !(a["action_type"] == "voted" && a["user_id"] == f.author.id.as_str())));
    // Removing the vote.
    assert_eq!(f.vote(&f.author, &f.shirt, 0).await["value"], 0);
    assert_eq!(f.polls(&f.third).await["most_disliked"], json!([]));
    f.app.stop().await;
}

#[tokio::test]
async fn a_wishlist_gift_moves_to_the_cart_and_stays_a_secret() {
    let f = family().await;
    let response =
        f.send(Method::POST, "/wishlist", json!({"product_id": f.saree, "buying_for": f.mom.id}), &f.author).await;
    assert_eq!(response.status(), 201);
    let item: Value = response.json().await.unwrap();
    let public: Value =
        f.send(Method::POST, "/wishlist", json!({"product_id": f.shirt}), &f.third).await.json().await.unwrap();
    assert_eq!(f.wishlist(&f.mom).await["items"].as_array().unwrap().len(), 1);
    assert_eq!(f.wishlist(&f.third).await["items"].as_array().unwrap().len(), 2);
    let item_path = format!("/wishlist/{}/move-to-cart", item["id"].as_str().unwrap());
    expect_problem(f.send(Method::POST, &item_path, json!({"size": "XL"}), &f.author).await, 422, "validation_failed")
        .await;
    let moved = f.send(Method::POST, &item_path, json!({"size": "Free", "quantity": 1}), &f.author).await;
    assert_eq!(moved.status(), 201);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["is_secret"], true);
    assert_eq!(f.cart(&f.mom).await["totals"]["items"], 0);
    assert_eq!(f.cart(&f.third).await["totals"]["items"], 1);
    assert_eq!(f.wishlist(&f.third).await["items"].as_array().unwrap().len(), 1);
    let removed =
        f.send(Method::DELETE, &format!("/wishlist/{}", public["id"].as_str().unwrap()), json!({}), &f.mom).await;
    assert_eq!(removed.status(), 204);
    assert_eq!(f.wishlist(&f.third).await["items"], json!([]));
    f.app.stop().await;
}

/// A catalog import of `products` as JSON Lines, through the function the
/// `familyroom catalog import` command calls.
async fn import_catalog(app: &TestApp, products: &[Value]) {
    let dir = std::env::temp_dir().join(format!("fr-cart-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("changes.jsonl");
    let lines: Vec<String> = products.iter().map(Value::to_string).collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    let summary =
        familyroom::import::import_file(app.app(), &file, None, None, |e| panic!("bad row {e:?}")).await.unwrap();
    assert_eq!(summary.updated as usize, products.len(), "{summary}");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn feed_row(product: &TestProduct, price_minor: i64, sizes: &[(&str, u32)]) -> Value {
    let sizes: Vec<Value> = sizes.iter().map(|(size, stock)| json!({"size": size, "stock": stock})).collect();
    json!({
        "sku": product.sku,
        "title": format!("Test product {}", product.sku),
        "price_minor": price_minor,
        "currency": "INR",
        "sizes": sizes,
    })
}

/// The next `count` frames, each a `cart_changed` (a member may get one per
/// audience of the room): their rooms and products, sorted.
async fn cart_changes(ws: &mut WsClient, count: usize) -> Vec<(String, Vec<String>)> {
    let mut frames = Vec::new();
    for _ in 0..count {
        let frame = ws.next_non_presence_frame().await;
        assert_eq!(frame["type"], "cart_changed", "{frame}");
        assert_eq!(frame["reason"], "catalog");
        let products = frame["product_ids"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned());
        frames.push((frame["room_id"].as_str().unwrap().to_owned(), products.collect()));
    }
    frames.sort();
    frames
}

#[tokio::test]
async fn a_catalog_change_reaches_the_rooms_holding_the_product_as_each_member_may_see_it() {
    let f = family().await;
    // The public shirt line, and a saree gift hidden from Mom.
    f.add(&f.author, json!({"product_id": f.shirt, "size": "M", "quantity": 1})).await;
    f.add(&f.author, json!({"product_id": f.saree, "size": "Free", "quantity": 1, "buying_for": f.mom.id})).await;
    // Zoe's rooms: one wishes for a hat that changes, one holds socks that do not.
    let hat = TestProduct { sku: "HAT-1", price_minor: 50_000, sizes: vec![("Free", 5)] };
    let socks = TestProduct { sku: "SOCKS-1", price_minor: 20_000, sizes: vec![("Free", 5)] };
    let hat_id = f.app.insert_product(&hat).await;
    let socks_id = f.app.insert_product(&socks).await;
    let zoe = f.app.register("Zoe").await;
    let (hat_room, _) = f.app.create_room(&zoe, "Hats").await;
    let (quiet_room, _) = f.app.create_room(&zoe, "Socks").await;
    let wished = f
        .app
        .post_json(
            &format!("/api/v1/rooms/{hat_room}/wishlist"),
            &json!({"product_id": hat_id}),
            Some(&zoe.access_token),
        )
        .await;
    assert_eq!(wished.status(), 201);
    let carted = f
        .app
        .post_json(
            &format!("/api/v1/rooms/{quiet_room}/cart/lines"),
            &json!({"product_id": socks_id, "size": "Free", "quantity": 1}),
            Some(&zoe.access_token),
        )
        .await;
    assert_eq!(carted.status(), 201);

    let mut author_ws = WsClient::connect(&f.app, &f.author).await;
    author_ws.subscribe(&f.room, None).await;
    let mut mom_ws = WsClient::connect(&f.app, &f.mom).await;
    mom_ws.subscribe(&f.room, None).await;
    let mut third_ws = WsClient::connect(&f.app, &f.third).await;
    third_ws.subscribe(&f.room, None).await;
    let mut zoe_ws = WsClient::connect(&f.app, &zoe).await;
    zoe_ws.subscribe(&hat_room, None).await;
    zoe_ws.subscribe(&quiet_room, None).await;

    // The shirt gets cheaper, the saree sells out, the hat changes price.
    import_catalog(
        &f.app,
        &[
            feed_row(&shirt(), 79_900, &[("M", 10), ("L", 1)]),
            feed_row(&saree(), 450_000, &[("Free", 0)]),
            feed_row(&hat, 45_000, &[("Free", 5)]),
        ],
    )
    .await;

    // The author and the third member hear of both lines, one frame per audience.
    let expected = {
        let mut frames = vec![(f.room.clone(), vec![f.shirt.clone()]), (f.room.clone(), vec![f.saree.clone()])];
        frames.sort();
        frames
    };
    assert_eq!(cart_changes(&mut author_ws, 2).await, expected);
    assert_eq!(cart_changes(&mut third_ws, 2).await, expected);
    let cart = f.cart(&f.author).await;
    let line =
        |product: &str| cart["lines"].as_array().unwrap().iter().find(|l| l["product"]["id"] == product).cloned();
    assert_eq!(line(&f.shirt).unwrap()["price_now"]["amount"], "799.00");
    assert_eq!(line(&f.shirt).unwrap()["price_at_add"]["amount"], "999.00");
    assert_eq!(line(&f.saree).unwrap()["in_stock"], false);

    // Mom hears of the shirt only: the next frame after it is a later message,
    // with nothing about the gift between.
    assert_eq!(cart_changes(&mut mom_ws, 1).await, vec![(f.room.clone(), vec![f.shirt.clone()])]);
    assert_eq!(f.cart(&f.mom).await["lines"][0]["price_now"]["amount"], "799.00");
    let said = f.app.say(&f.third, &f.room, "after the import").await;
    assert_eq!(mom_ws.next_non_presence_frame().await["activity"]["id"], said["id"]);

    // Zoe: the wished-for hat's room hears; the socks' room does not.
    assert_eq!(cart_changes(&mut zoe_ws, 1).await, vec![(hat_room.clone(), vec![hat_id.clone()])]);
    let said = f.app.say(&zoe, &quiet_room, "still here").await;
    let next = zoe_ws.next_non_presence_frame().await;
    assert_eq!((next["type"].as_str(), next["activity"]["id"].as_str()), (Some("activity"), said["id"].as_str()));
    f.app.stop().await;
}
