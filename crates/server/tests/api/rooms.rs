//! Rooms: the rights matrix for every role and a non-member, invites
//! (expiry, use limits, rotation), joining, leaving, removal, transfer.

use serde_json::{Value, json};
use testkit::{TestApp, TestUser, expect_problem};

struct Roles {
    room: String,
    owner: TestUser,
    admin: TestUser,
    member: TestUser,
    viewer: TestUser,
    outsider: TestUser,
}

async fn roles(app: &TestApp) -> Roles {
    let (room, users) = app.family(&["Owner", "Admin", "Member", "Viewer"]).await;
    let [owner, admin, member, viewer]: [TestUser; 4] = users.try_into().unwrap();
    for (user, role) in [(&admin, "admin"), (&viewer, "viewer")] {
        let response = app.set_role(&owner, &room, user, role).await;
        assert_eq!(response.status(), 200);
    }
    let outsider = app.register("Outsider").await;
    Roles { room, owner, admin, member, viewer, outsider }
}

#[tokio::test]
async fn the_rights_matrix_holds_for_every_role_and_a_non_member() {
    let app = TestApp::spawn().await;
    let r = roles(&app).await;
    let room = &r.room;
    // (user, may read, may act, may manage)
    let matrix = [
        (&r.owner, true, true, true),
        (&r.admin, true, true, true),
        (&r.member, true, true, false),
        (&r.viewer, true, false, false),
        (&r.outsider, false, false, false),
    ];
    for (user, read, act, manage) in matrix {
        let token = Some(user.access_token.as_str());
        let got = app.get(&format!("/api/v1/rooms/{room}"), token).await;
        assert_eq!(got.status(), if read { 200 } else { 403 }, "{} read", user.name);
        let history = app.get(&format!("/api/v1/rooms/{room}/activities"), token).await;
        assert_eq!(history.status(), if read { 200 } else { 403 }, "{} history", user.name);
        let posted = app
            .post_json(
                &format!("/api/v1/rooms/{room}/activities"),
                &json!({"action_type": "message", "message": "hi"}),
                token,
            )
            .await;
        if act {
            assert_eq!(posted.status(), 201, "{} act", user.name);
        } else {
            expect_problem(posted, 403, "forbidden").await;
        }
        let rotated = app.post_json(&format!("/api/v1/rooms/{room}/invite-code"), &json!({}), token).await;
        if manage {
            assert_eq!(rotated.status(), 200, "{} rotate", user.name);
        } else {
            expect_problem(rotated, 403, "forbidden").await;
        }
        let renamed = app
            .send_json(reqwest::Method::PATCH, &format!("/api/v1/rooms/{room}"), &json!({"name": "Renamed"}), token)
            .await;
        assert_eq!(renamed.status(), if manage { 200 } else { 403 }, "{} rename", user.name);
    }
    // Only the owner deletes or hands on; an admin cannot promote to admin.
    for user in [&r.admin, &r.member, &r.viewer, &r.outsider] {
        let deleted = app
            .client
            .delete(app.url(&format!("/api/v1/rooms/{room}")))
            .bearer_auth(&user.access_token)
            .send()
            .await
            .unwrap();
        expect_problem(deleted, 403, "forbidden").await;
    }
    let promote = app.set_role(&r.admin, room, &r.member, "admin").await;
    expect_problem(promote, 403, "forbidden").await;
    let demote_viewer = app.set_role(&r.admin, room, &r.viewer, "member").await;
    assert_eq!(demote_viewer.status(), 200);
    // Role changes are audited.
    let audit = app.app().store().list_audit(None, 100).await.unwrap();
    assert!(audit.iter().filter(|e| e.event == "role_changed").count() >= 3);
}

#[tokio::test]
async fn an_unknown_room_is_404_and_a_bad_id_400() {
    let app = TestApp::spawn().await;
    let user = app.register("Asha").await;
    let unknown = app.get(&format!("/api/v1/rooms/{}", uuid::Uuid::new_v4()), Some(&user.access_token)).await;
    expect_problem(unknown, 404, "not_found").await;
    expect_problem(app.get("/api/v1/rooms/not-a-uuid", Some(&user.access_token)).await, 400, "bad_request").await;
}

#[tokio::test]
async fn a_room_lists_its_members_and_the_creator_owns_it() {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi", "Meera"]).await;
    let detail: Value =
        app.get(&format!("/api/v1/rooms/{room}"), Some(&users[1].access_token)).await.json().await.unwrap();
    assert_eq!(detail["owner_id"], users[0].id.as_str());
    assert_eq!(detail["my_role"], "member");
    let members = detail["members"].as_array().unwrap();
    assert_eq!(members.len(), 3);
    assert_eq!(members[0]["role"], "owner");
    for member in members {
        for key in ["user_id", "name", "role", "is_online", "joined_at"] {
            assert!(member.get(key).is_some(), "member lacks {key}");
        }
    }
    let mine: Value = app.get("/api/v1/rooms", Some(&users[2].access_token)).await.json().await.unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["member_count"], 3);
}

#[tokio::test]
async fn a_rotated_code_stops_working_and_joining_twice_changes_nothing() {
    let app = TestApp::spawn().await;
    let owner = app.register("Asha").await;
    let (room, code) = app.create_room(&owner, "Family").await;
    let ravi = app.register("Ravi").await;
    app.join(&ravi, &code).await;
    app.join(&ravi, &code).await;
    let rotated: Value = app
        .post_raw(
            &format!("/api/v1/rooms/{room}/invite-code"),
            "application/json",
            Vec::new(),
            Some(&owner.access_token),
        )
        .await
        .json()
        .await
        .unwrap();
    let new_code = rotated["invite_code"].as_str().unwrap();
    assert_ne!(new_code, code);
    assert!(new_code.len() >= 16, "at least 80 bits");
    let meera = app.register("Meera").await;
    let old = app.post_json("/api/v1/rooms/join", &json!({"invite_code": code}), Some(&meera.access_token)).await;
    expect_problem(old, 404, "not_found").await;
    app.join(&meera, new_code).await;
    let detail: Value =
        app.get(&format!("/api/v1/rooms/{room}"), Some(&owner.access_token)).await.json().await.unwrap();
    assert_eq!(detail["members"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn an_invite_with_a_use_limit_admits_that_many() {
    let app = TestApp::spawn().await;
    let owner = app.register("Asha").await;
    let (room, _) = app.create_room(&owner, "Family").await;
    let limited: Value = app
        .post_json(&format!("/api/v1/rooms/{room}/invite-code"), &json!({"max_uses": 2}), Some(&owner.access_token))
        .await
        .json()
        .await
        .unwrap();
    let code = limited["invite_code"].as_str().unwrap();
    for name in ["Ravi", "Meera"] {
        let user = app.register(name).await;
        app.join(&user, code).await;
    }
    let late = app.register("Kiran").await;
    let refused = app.post_json("/api/v1/rooms/join", &json!({"invite_code": code}), Some(&late.access_token)).await;
    expect_problem(refused, 409, "invite_used_up").await;
}

#[tokio::test]
async fn an_expired_invite_is_refused() {
    let app = TestApp::spawn().await;
    let owner = app.register("Asha").await;
    let (room, _) = app.create_room(&owner, "Family").await;
    let expiry = time::OffsetDateTime::now_utc() + time::Duration::milliseconds(1500);
    let expiry = expiry.format(&time::format_description::well_known::Rfc3339).unwrap();
    let rotated: Value = app
        .post_json(
            &format!("/api/v1/rooms/{room}/invite-code"),
            &json!({"expires_at": expiry}),
            Some(&owner.access_token),
        )
        .await
        .json()
        .await
        .unwrap();
    let code = rotated["invite_code"].as_str().unwrap();
    let early = app.register("Ravi").await;
    app.join(&early, code).await;
    let late = app.register("Meera").await;
    // Poll until the expiry has passed: the answer changes from 200 to 409.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let response =
            app.post_json("/api/v1/rooms/join", &json!({"invite_code": code}), Some(&late.access_token)).await;
        if response.status() == 409 {
            expect_problem(response, 409, "invite_expired").await;
            break;
        }
        assert_eq!(response.status(), 200);
        // Joining again before expiry is a no-op; leave so the next try is a real join.
        let left = app
            .client
            .delete(app.url(&format!("/api/v1/rooms/{room}/members/{}", late.id)))
            .bearer_auth(&late.access_token)
            .send()
            .await
            .unwrap();
        assert_eq!(left.status(), 204);
        assert!(tokio::time::Instant::now() < deadline, "the invite never expired");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let bad = app
        .post_json(
            &format!("/api/v1/rooms/{room}/invite-code"),
            &json!({"expires_in_hours": -1, "max_uses": 0}),
            Some(&owner.access_token),
        )
        .await;
    let problem = expect_problem(bad, 422, "validation_failed").await;
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn leaving_removing_and_transferring_ownership() {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi", "Meera"]).await;
    let [asha, ravi, meera]: [TestUser; 3] = users.try_into().unwrap();
    let delete = |user: &TestUser, target: &TestUser| {
        app.client
            .delete(app.url(&format!("/api/v1/rooms/{room}/members/{}", target.id)))
            .bearer_auth(&user.access_token)
            .send()
    };
    expect_problem(delete(&asha, &asha).await.unwrap(), 409, "owner_cannot_leave").await;
    expect_problem(delete(&ravi, &meera).await.unwrap(), 403, "forbidden").await;
    assert_eq!(delete(&meera, &meera).await.unwrap().status(), 204, "a member leaves");
    expect_problem(app.get(&format!("/api/v1/rooms/{room}"), Some(&meera.access_token)).await, 403, "forbidden").await;

    let transfer = app
        .post_json(&format!("/api/v1/rooms/{room}/transfer"), &json!({"user_id": ravi.id}), Some(&asha.access_token))
        .await;
    assert_eq!(transfer.status(), 200);
    let detail: Value = transfer.json().await.unwrap();
    assert_eq!(detail["owner_id"], ravi.id.as_str());
    assert_eq!(detail["my_role"], "admin");
    assert_eq!(delete(&ravi, &asha).await.unwrap().status(), 204, "the new owner removes the old one");
    let history = app.history(&ravi, &room, None).await;
    let kinds: Vec<&str> = history.iter().map(|a| a["action_type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["joined", "joined", "left", "role_changed", "removed"]);
    // Each names the member it is about as they were named then, so the
    // history can say who after they have gone.
    let about: Vec<(&Value, &Value)> =
        history.iter().map(|a| (&a["metadata"]["user_id"], &a["metadata"]["name"])).collect();
    let (no_id, ravi_id, meera_id, asha_id) = (&Value::Null, &json!(ravi.id), &json!(meera.id), &json!(asha.id));
    assert_eq!(
        about,
        [
            (no_id, &json!("Ravi")),
            (no_id, &json!("Meera")),
            (meera_id, &json!("Meera")),
            (ravi_id, &json!("Ravi")),
            (asha_id, &json!("Asha")),
        ]
    );
    assert_eq!(history[3]["metadata"]["role"], "owner");
    let audit = app.app().store().list_audit(None, 100).await.unwrap();
    assert!(audit.iter().any(|e| e.event == "member_removed"));
    assert!(audit.iter().any(|e| e.event == "ownership_transferred"));

    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/rooms/{room}")))
        .bearer_auth(&ravi.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    expect_problem(app.get(&format!("/api/v1/rooms/{room}"), Some(&ravi.access_token)).await, 404, "not_found").await;
}

#[tokio::test]
async fn bad_room_and_activity_input_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi"]).await;
    let token = Some(users[0].access_token.as_str());
    for body in
        [json!({}), json!({"name": ""}), json!({"name": "x".repeat(500)}), json!({"name": "A", "visibility": "secret"})]
    {
        expect_problem(app.post_json("/api/v1/rooms", &body, token).await, 422, "validation_failed").await;
    }
    let path = format!("/api/v1/rooms/{room}/activities");
    let cases = [
        json!({"action_type": "teleported"}),
        json!({"action_type": "joined"}),
        json!({"action_type": "liked"}),
        json!({"action_type": "message"}),
        json!({"action_type": "message", "message": "x".repeat(2001)}),
        json!({"action_type": "message", "message": "bell\u{7}"}),
        json!({"action_type": "message", "message": "hi", "metadata": [1]}),
        json!({"action_type": "message", "message": "hi", "metadata": {"blob": "x".repeat(5000)}}),
        json!({"action_type": "message", "message": "hi", "visibility": {"only": [uuid::Uuid::new_v4()]}}),
        json!({"action_type": "message", "message": "hi", "visibility": {"only": [], "hidden_from": []}}),
        json!({"action_type": "liked", "product_id": uuid::Uuid::new_v4()}),
        // The fields of `visibility` in order, as an array: serde's default
        // for a struct; refused, an object is read from an object only.
        json!({"action_type": "message", "message": "hi", "visibility": [null, [users[1].id]]}),
    ];
    for body in cases {
        expect_problem(app.post_json(&path, &body, token).await, 422, "validation_failed").await;
    }
    expect_problem(app.get(&format!("{path}?limit=0"), token).await, 422, "validation_failed").await;
    expect_problem(app.get(&format!("{path}?limit=abc"), token).await, 400, "bad_request").await;
    expect_problem(app.get(&format!("{path}?cursor=forged-cursor-value-xx"), token).await, 400, "bad_request").await;
    let history = app.history(&users[0], &room, None).await;
    assert_eq!(history.len(), 1, "only the join: {history:?}");
}

#[tokio::test]
async fn one_bad_append_among_concurrent_ones_fails_alone() {
    let app = TestApp::spawn().await;
    let (room, users) = app.family(&["Asha", "Ravi"]).await;
    let path = format!("/api/v1/rooms/{room}/activities");
    let requests = (0..20).map(|i| {
        let body = if i == 7 {
            json!({"action_type": "liked", "product_id": uuid::Uuid::new_v4()})
        } else {
            json!({"action_type": "message", "message": format!("m{i}")})
        };
        let token = users[i % 2].access_token.clone();
        let app = &app;
        let path = path.clone();
        async move { app.post_json(&path, &body, Some(&token)).await.status().as_u16() }
    });
    let statuses = futures::future::join_all(requests).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 19, "{statuses:?}");
    assert_eq!(statuses[7], 422);
    let messages =
        app.history(&users[0], &room, None).await.into_iter().filter(|a| a["action_type"] == "message").count();
    assert_eq!(messages, 19);
}
