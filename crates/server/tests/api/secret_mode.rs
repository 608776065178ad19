//! Secret mode with three members: the author, the member it hides from,
//! and a third who may see. The hidden member sees no trace on any channel:
//! live, history, replay from a cursor, signals; a reveal shows it to all.

use serde_json::{Value, json};
use testkit::{TestApp, TestUser, expect_problem, ws::WsClient};

struct Family {
    app: TestApp,
    room: String,
    author: TestUser,
    hidden: TestUser,
    third: TestUser,
}

async fn family() -> Family {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Mom", "Ravi"]).await;
    let [author, hidden, third]: [TestUser; 3] = users.try_into().unwrap();
    Family { app, room, author, hidden, third }
}

impl Family {
    async fn secret_mode(&self, enabled: bool) {
        let response = self
            .app
            .send_json(
                reqwest::Method::PUT,
                &format!("/api/v1/rooms/{}/secret-mode", self.room),
                &json!({"enabled": enabled, "hidden_from": [self.hidden.id]}),
                Some(&self.author.access_token),
            )
            .await;
        assert_eq!(response.status(), 200);
    }
}

fn ids(activities: &[Value]) -> Vec<String> {
    activities.iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_secret_activity_reaches_the_third_member_and_never_the_hidden_one() {
    let f = family().await;
    let mut hidden = WsClient::connect(&f.app, &f.hidden).await;
    hidden.subscribe(&f.room, None).await;
    let mut third = WsClient::connect(&f.app, &f.third).await;
    third.subscribe(&f.room, None).await;

    f.secret_mode(true).await;
    let secret = f.app.say(&f.author, &f.room, "Gift idea: the silk saree for Mom").await;
    assert_eq!(secret["is_secret"], true);
    f.author_types_and_views().await;
    f.secret_mode(false).await;
    let public = f.app.say(&f.author, &f.room, "Dinner at eight").await;

    // The third member sees both, in order.
    assert_eq!(third.next_activity().await["id"], secret["id"]);
    assert_eq!(third.next_activity().await["id"], public["id"]);
    // The hidden member's next frame about this room, presence aside (being
    // online is no secret), is the public one: no activity, typing or viewing.
    let next = hidden.next_non_presence_frame().await;
    assert_eq!(next["type"], "activity", "the hidden member received {next}");
    assert_eq!(next["activity"]["id"], public["id"]);

    // History: the hidden member has no line of it; the others do.
    let hidden_history = ids(&f.app.history(&f.hidden, &f.room, None).await);
    assert!(!hidden_history.contains(&secret["id"].as_str().unwrap().to_owned()));
    assert!(hidden_history.contains(&public["id"].as_str().unwrap().to_owned()));
    assert!(ids(&f.app.history(&f.third, &f.room, None).await).contains(&secret["id"].as_str().unwrap().to_owned()));
    // Naming it directly does not help either.
    let reveal_by_hidden = f
        .app
        .post_json(
            &format!("/api/v1/rooms/{}/activities/{}/reveal", f.room, secret["id"].as_str().unwrap()),
            &json!({}),
            Some(&f.hidden.access_token),
        )
        .await;
    expect_problem(reveal_by_hidden, 404, "not_found").await;
}

impl Family {
    /// While in secret mode, the author types and opens a product: signals
    /// that must not reach `hidden`.
    async fn author_types_and_views(&self) {
        let mut socket = WsClient::connect(&self.app, &self.author).await;
        socket.subscribe(&self.room, None).await;
        socket.send(json!({"type": "typing", "room_id": self.room})).await;
        socket.send(json!({"type": "viewing", "room_id": self.room, "product_id": uuid::Uuid::new_v4()})).await;
        socket.send(json!({"type": "ping"})).await;
        socket.next_of_type("pong").await;
    }
}

#[tokio::test]
async fn replay_from_before_the_secret_skips_it_for_the_hidden_member_only() {
    let f = family().await;
    let before = f.app.say(&f.author, &f.room, "before").await;
    f.secret_mode(true).await;
    let secret = f.app.say(&f.author, &f.room, "secret").await;
    f.secret_mode(false).await;
    let after = f.app.say(&f.author, &f.room, "after").await;
    let cursor = before["cursor"].as_str().unwrap();

    let mut hidden = WsClient::connect(&f.app, &f.hidden).await;
    hidden.subscribe(&f.room, Some(cursor)).await;
    assert_eq!(hidden.next_activity().await["id"], after["id"], "the secret is not replayed");
    let mut third = WsClient::connect(&f.app, &f.third).await;
    third.subscribe(&f.room, Some(cursor)).await;
    assert_eq!(third.next_activity().await["id"], secret["id"]);
    assert_eq!(third.next_activity().await["id"], after["id"]);

    // The cursors the hidden member holds are opaque: nothing counts the hidden line.
    let hidden_history = f.app.history(&f.hidden, &f.room, None).await;
    let third_history = f.app.history(&f.third, &f.room, None).await;
    assert_eq!(third_history.len(), hidden_history.len() + 1);
    for a in &hidden_history {
        assert!(
            a["cursor"].as_str().unwrap().len() == 22
                && !a["cursor"].as_str().unwrap().chars().all(|c| c.is_ascii_digit())
        );
    }
}

#[tokio::test]
async fn an_explicit_visibility_hides_without_secret_mode() {
    let f = family().await;
    let only_third = f
        .app
        .post_activity(
            &f.author,
            &f.room,
            json!({"action_type": "message", "message": "psst", "visibility": {"only": [f.third.id]}}),
        )
        .await;
    assert_eq!(only_third["is_secret"], true);
    assert!(
        !ids(&f.app.history(&f.hidden, &f.room, None).await).contains(&only_third["id"].as_str().unwrap().to_owned())
    );
    assert!(
        ids(&f.app.history(&f.third, &f.room, None).await).contains(&only_third["id"].as_str().unwrap().to_owned())
    );
    let state: Value = f
        .app
        .get(&format!("/api/v1/rooms/{}/secret-mode", f.room), Some(&f.author.access_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(state["enabled"], false);
}

#[tokio::test]
async fn a_reveal_delivers_the_secret_to_everyone_then_and_on_resume() {
    let f = family().await;
    let start = f.app.say(&f.author, &f.room, "start").await;
    f.secret_mode(true).await;
    let secret = f.app.say(&f.author, &f.room, "the surprise").await;
    f.secret_mode(false).await;
    let mid = f.app.say(&f.author, &f.room, "mid").await;

    let mut hidden = WsClient::connect(&f.app, &f.hidden).await;
    hidden.subscribe(&f.room, Some(mid["cursor"].as_str().unwrap())).await;
    let revealed = f
        .app
        .post_json(
            &format!("/api/v1/rooms/{}/activities/{}/reveal", f.room, secret["id"].as_str().unwrap()),
            &json!({}),
            Some(&f.author.access_token),
        )
        .await;
    assert_eq!(revealed.status(), 200);
    let revealed: Value = revealed.json().await.unwrap();
    assert_eq!(revealed["is_secret"], false);

    // Live: the hidden member now receives it, carried by a `revealed` entry.
    let live = hidden.next_activity().await;
    assert_eq!(live["action_type"], "revealed");
    assert_eq!(live["metadata"]["activity"]["id"], secret["id"]);
    assert_eq!(live["metadata"]["activity"]["message"], "the surprise");
    // History: the original is now visible at its place.
    assert!(ids(&f.app.history(&f.hidden, &f.room, None).await).contains(&secret["id"].as_str().unwrap().to_owned()));
    // Resume from before the secret: the original and the reveal, in order.
    let mut again = WsClient::connect(&f.app, &f.hidden).await;
    again.subscribe(&f.room, Some(start["cursor"].as_str().unwrap())).await;
    assert_eq!(again.next_activity().await["id"], secret["id"]);
    assert_eq!(again.next_activity().await["id"], mid["id"]);
    assert_eq!(again.next_activity().await["action_type"], "revealed");
    // Only the author reveals.
    let by_third = f
        .app
        .post_json(
            &format!("/api/v1/rooms/{}/activities/{}/reveal", f.room, start["id"].as_str().unwrap()),
            &json!({}),
            Some(&f.third.access_token),
        )
        .await;
    expect_problem(by_third, 403, "forbidden").await;
}

#[tokio::test]
async fn secret_mode_input_is_checked() {
    let f = family().await;
    let path = format!("/api/v1/rooms/{}/secret-mode", f.room);
    let token = Some(f.author.access_token.as_str());
    for body in [
        json!({"hidden_from": [f.hidden.id]}),
        json!({"enabled": true, "hidden_from": []}),
        json!({"enabled": true, "hidden_from": [f.author.id]}),
        json!({"enabled": true, "hidden_from": [uuid::Uuid::new_v4()]}),
        json!({"enabled": "yes", "hidden_from": [f.hidden.id]}),
    ] {
        expect_problem(f.app.send_json(reqwest::Method::PUT, &path, &body, token).await, 422, "validation_failed")
            .await;
    }
}
