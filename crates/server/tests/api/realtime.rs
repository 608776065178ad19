//! Real time over real WebSockets: tickets, live delivery in commit order,
//! resume after a drop with exactly the missed activities, removal while
//! connected, presence across tabs, typing and viewing, and bad frames.

use futures::future::join_all;
use serde_json::{Value, json};
use testkit::{TestApp, expect_problem, ws::WsClient};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn a_ticket_works_once_and_a_socket_needs_one() {
    let app = TestApp::spawn().await;
    let user = app.register("Asha").await;
    expect_problem(app.post_json("/api/v1/realtime/ticket", &json!({}), None).await, 401, "unauthorized").await;
    let ticket: Value =
        app.post_json("/api/v1/realtime/ticket", &json!({}), Some(&user.access_token)).await.json().await.unwrap();
    let url = app.ws_url(&format!("/api/v1/realtime?ticket={}", ticket["ticket"].as_str().unwrap()));
    assert!(tokio_tungstenite::connect_async(&url).await.is_ok());
    assert!(tokio_tungstenite::connect_async(&url).await.is_err(), "a ticket is single use");
    assert!(tokio_tungstenite::connect_async(app.ws_url("/api/v1/realtime?ticket=made-up")).await.is_err());
    assert!(tokio_tungstenite::connect_async(app.ws_url("/api/v1/realtime")).await.is_err());
}

#[tokio::test]
async fn members_see_each_others_activities_live_with_cursors() {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi"]).await;
    let mut ravi = WsClient::connect(&app, &users[1]).await;
    let subscribed = ravi.subscribe(&room, None).await;
    assert!(subscribed["cursor"].is_string());
    let posted = app.say(&users[0], &room, "Look at this jacket").await;
    let received = ravi.next_activity().await;
    assert_eq!(received["id"], posted["id"]);
    assert_eq!(received["message"], "Look at this jacket");
    assert_eq!(received["cursor"], posted["cursor"]);
    assert_eq!(received["user_id"], users[0].id.as_str());
}

#[tokio::test]
async fn a_subscriber_outside_the_room_gets_an_error_frame() {
    let app = TestApp::spawn().await;
    let (room, _) = app.family(&["Asha"]).await;
    let outsider = app.register("Eve").await;
    let mut socket = WsClient::connect(&app, &outsider).await;
    socket.send(json!({"type": "subscribe", "room_id": room, "cursor": null})).await;
    let error = socket.next_of_type("error").await;
    assert_eq!(error["code"], "forbidden");
    socket.send(json!({"type": "subscribe", "room_id": uuid::Uuid::new_v4(), "cursor": null})).await;
    assert_eq!(socket.next_of_type("error").await["code"], "not_found");
}

#[tokio::test]
async fn concurrent_posters_are_delivered_in_commit_order_to_everyone() {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi", "Meera"]).await;
    let mut watchers = Vec::new();
    for user in &users {
        let mut socket = WsClient::connect(&app, user).await;
        socket.subscribe(&room, None).await;
        watchers.push(socket);
    }
    let posts = (0..30).map(|i| {
        let user = &users[i % 3];
        let app = &app;
        let room = room.clone();
        async move { app.say(user, &room, &format!("message {i}")).await }
    });
    join_all(posts).await;
    let history: Vec<Value> =
        app.history(&users[0], &room, None).await.into_iter().filter(|a| a["action_type"] == "message").collect();
    assert_eq!(history.len(), 30);
    for socket in &mut watchers {
        let mut received = Vec::new();
        while received.len() < 30 {
            let activity = socket.next_activity().await;
            if activity["action_type"] == "message" {
                received.push(activity["id"].clone());
            }
        }
        let expected: Vec<Value> = history.iter().map(|a| a["id"].clone()).collect();
        assert_eq!(received, expected, "every socket sees the log's order");
    }
}

#[tokio::test]
async fn resume_after_a_drop_delivers_exactly_the_missed_activities() {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi"]).await;
    let mut ravi = WsClient::connect(&app, &users[1]).await;
    ravi.subscribe(&room, None).await;
    app.say(&users[0], &room, "before the drop").await;
    let last_seen = ravi.next_activity().await["cursor"].as_str().unwrap().to_owned();
    drop(ravi);

    let mut missed = Vec::new();
    for i in 0..5 {
        missed.push(app.say(&users[0], &room, &format!("missed {i}")).await["id"].clone());
    }
    let mut ravi = WsClient::connect(&app, &users[1]).await;
    ravi.subscribe(&room, Some(&last_seen)).await;
    let live = app.say(&users[0], &room, "after the resume").await;
    let mut received = Vec::new();
    for _ in 0..6 {
        received.push(ravi.next_activity().await["id"].clone());
    }
    missed.push(live["id"].clone());
    assert_eq!(received, missed, "replayed then live, no gap, no duplicate");
}

#[tokio::test]
async fn a_member_removed_while_connected_stops_receiving_at_once() {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi", "Meera"]).await;
    let mut meera = WsClient::connect(&app, &users[2]).await;
    meera.subscribe(&room, None).await;
    let mut ravi = WsClient::connect(&app, &users[1]).await;
    ravi.subscribe(&room, None).await;
    let removed = app
        .client
        .delete(app.url(&format!("/api/v1/rooms/{room}/members/{}", users[2].id)))
        .bearer_auth(&users[0].access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    let unsubscribed = meera.next_of_type("unsubscribed").await;
    assert_eq!(unsubscribed["room_id"], room.as_str());
    app.say(&users[0], &room, "after the removal").await;
    // Ravi gets the removal and the message; Meera's socket stays open but silent for the room.
    assert_eq!(ravi.next_activity().await["action_type"], "removed");
    assert_eq!(ravi.next_activity().await["message"], "after the removal");
    meera.send(json!({"type": "ping"})).await;
    let next = meera.next_frame().await;
    assert_eq!(next["type"], "pong", "nothing of the room reached Meera: {next}");
}

#[tokio::test]
async fn presence_counts_two_tabs_as_one_and_typing_and_viewing_reach_the_room() {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi"]).await;
    let mut asha = WsClient::connect(&app, &users[0]).await;
    asha.subscribe(&room, None).await;
    let mut tab_one = WsClient::connect(&app, &users[1]).await;
    tab_one.subscribe(&room, None).await;
    let online = asha.next_presence_of(&users[1].id).await;
    assert_eq!(online["is_online"], true);
    let mut tab_two = WsClient::connect(&app, &users[1]).await;
    tab_two.subscribe(&room, None).await;
    let detail: Value =
        app.get(&format!("/api/v1/rooms/{room}"), Some(&users[0].access_token)).await.json().await.unwrap();
    let ravi =
        detail["members"].as_array().unwrap().iter().find(|m| m["user_id"] == users[1].id.as_str()).unwrap().clone();
    assert_eq!(ravi["is_online"], true);

    tab_two.send(json!({"type": "typing", "room_id": room})).await;
    let typing = asha.next_of_type("typing").await;
    assert_eq!(typing["user_id"], users[1].id.as_str());
    let product = uuid::Uuid::new_v4();
    tab_two.send(json!({"type": "viewing", "room_id": room, "product_id": product})).await;
    let viewing = asha.next_of_type("viewing").await;
    assert_eq!(viewing["product_id"], product.to_string());

    // Closing one tab changes nothing; closing the second makes Ravi offline.
    drop(tab_one);
    drop(tab_two);
    let offline = asha.next_presence_of(&users[1].id).await;
    assert_eq!(offline["is_online"], false, "only one offline transition, after the last tab: {offline}");
    assert!(offline["last_seen"].is_string());
}

#[tokio::test]
async fn a_room_above_the_presence_limit_shows_presence_in_its_detail_but_announces_no_transition() {
    let app = TestApp::spawn_with(|config| config.presence_broadcast_max_members = 2).await;
    let (big_room, users) = app.family(&["Asha", "Ravi", "Meera"]).await;
    let (small_room, code) = app.create_room(&users[0], "Just us").await;
    app.join(&users[1], &code).await;
    let mut asha = WsClient::connect(&app, &users[0]).await;
    asha.subscribe(&big_room, None).await;
    asha.subscribe(&small_room, None).await;

    // Ravi comes online in the big room first, then in the small one. One
    // worker handles transitions in order, so a frame about the big room
    // would reach Asha's socket before the small room's.
    let mut ravi = WsClient::connect(&app, &users[1]).await;
    ravi.subscribe(&big_room, None).await;
    ravi.subscribe(&small_room, None).await;
    let first = asha.next_presence_of(&users[1].id).await;
    assert_eq!(first["room_id"], small_room.as_str(), "no transition is announced in the big room: {first}");
    assert_eq!(first["is_online"], true);

    let detail: Value =
        app.get(&format!("/api/v1/rooms/{big_room}"), Some(&users[0].access_token)).await.json().await.unwrap();
    let member = detail["members"].as_array().unwrap().iter().find(|m| m["user_id"] == users[1].id.as_str()).unwrap();
    assert_eq!(member["is_online"], true, "the big room's detail still shows who is online");
}

#[tokio::test]
async fn frames_larger_than_the_idle_read_buffer_are_read_whole() {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha"]).await;
    let mut socket = WsClient::connect(&app, &users[0]).await;
    // About 600 bytes, more than the 256 an idle socket keeps for reading.
    socket.send(json!({"type": "subscribe", "room_id": room, "cursor": "c".repeat(500)})).await;
    let error = socket.next_of_type("error").await;
    assert_eq!(error["code"], "bad_cursor", "the whole frame was parsed: {error}");
    socket.subscribe(&room, None).await;
    app.say(&users[0], &room, "after a long frame").await;
    assert_eq!(socket.next_activity().await["message"], "after a long frame");
}

#[tokio::test]
async fn bad_frames_get_error_frames_and_oversized_ones_a_close() {
    let app = TestApp::spawn().await;
    let user = app.register("Asha").await;
    let mut socket = WsClient::connect(&app, &user).await;
    socket.send_raw(Message::text("{not json")).await;
    assert_eq!(socket.next_of_type("error").await["code"], "bad_frame");
    socket.send(json!({"type": "teleport"})).await;
    assert_eq!(socket.next_of_type("error").await["code"], "bad_frame");
    socket.send(json!({"type": "subscribe", "room_id": "not-a-uuid"})).await;
    assert_eq!(socket.next_of_type("error").await["code"], "bad_frame");
    // serde would read this as a ping: the tag first, then the fields.
    socket.send(json!(["ping"])).await;
    assert_eq!(socket.next_frame().await["code"], "bad_frame", "an array is not a frame");
    socket.send(json!({"type": "ping"})).await;
    assert_eq!(socket.next_frame().await["type"], "pong", "the socket survives bad frames");
    socket.send_raw(Message::text("x".repeat(200_000))).await;
    socket.closed().await;

    let mut flood = WsClient::connect(&app, &user).await;
    for _ in 0..2000 {
        flood.send_raw(Message::text("{\"type\":\"ping\"}")).await;
    }
    let code = flood.closed().await;
    assert!(code.is_none() || code == Some(1008), "a flood is cut off: {code:?}");
}

/// A subscribe reads the membership fresh and caches it for the member's
/// next posts, as a join does; a cached membership is never trusted, so a
/// role taken away after the subscribe still stops the next post, and one
/// given back lets it through.
#[tokio::test]
async fn a_membership_cached_by_a_subscribe_does_not_outlive_a_role_change() {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi"]).await;
    let (asha, ravi) = (&users[0], &users[1]);
    let mut socket = WsClient::connect(&app, ravi).await;
    socket.subscribe(&room, None).await;

    let set_role = |role: &'static str| {
        let app = &app;
        let room = room.clone();
        async move {
            let changed = app.set_role(asha, &room, ravi, role).await;
            assert_eq!(changed.status(), 200, "making Ravi a {role}");
        }
    };
    set_role("viewer").await;
    let refused = app
        .post_json(
            &format!("/api/v1/rooms/{room}/activities"),
            &json!({"action_type": "message", "message": "as a viewer"}),
            Some(&ravi.access_token),
        )
        .await;
    expect_problem(refused, 403, "forbidden").await;

    set_role("member").await;
    let posted = app.say(ravi, &room, "a member again").await;
    let messages: Vec<Value> = app
        .history(asha, &room, None)
        .await
        .into_iter()
        .filter(|activity| activity["action_type"] == "message")
        .map(|activity| activity["message"].clone())
        .collect();
    assert_eq!(messages, vec![json!("a member again")], "the viewer's post left nothing behind");
    // Live, Ravi saw his two role changes, then his post, and no other message.
    let live: Vec<Value> = [socket.next_activity().await, socket.next_activity().await, socket.next_activity().await]
        .into_iter()
        .map(|activity| json!([activity["action_type"], activity["id"]]))
        .collect();
    assert_eq!(live[2], json!(["message", posted["id"]]));
    assert!(live[..2].iter().all(|seen| seen[0] != "message"), "{live:?}");
}

/// A number from a line of a /proc file: `line` names the line, `column`
/// the whitespace-separated field (0 = the first after the name's words).
fn proc_number(path: &str, line: &str, column: usize) -> Option<u64> {
    let text = std::fs::read_to_string(path).unwrap();
    let rest = text.lines().find_map(|l| l.strip_prefix(line))?;
    rest.split_whitespace().nth(column)?.parse().ok()
}

#[tokio::test]
async fn a_node_may_use_its_hard_open_file_limit_and_grows_the_descriptor_table_before_serving() {
    let _app = TestApp::spawn().await;
    // Soft and hard limits, "unlimited" read as none.
    let soft = proc_number("/proc/self/limits", "Max open files", 0);
    let hard = proc_number("/proc/self/limits", "Max open files", 1);
    assert_eq!(soft, hard, "the soft open-file limit is raised to the hard one");
    // The table holds this many descriptors already, so no accept of the
    // first thousands of sockets waits for the kernel to grow it.
    let slots = proc_number("/proc/self/status", "FDSize:", 0).unwrap();
    let wanted = soft.unwrap_or(u64::MAX).min(65_536);
    assert!(slots >= wanted, "descriptor table of {slots} slots, wanted at least {wanted}");
}
