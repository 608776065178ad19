//! Accounts: every flow of the contract and the bad inputs it must survive.

use futures::future::join_all;
use serde_json::{Value, json};
use testkit::{PASSWORD, TestApp, expect_problem};

#[tokio::test]
async fn registering_answers_the_user_and_a_token_pair() {
    let app = TestApp::spawn().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"name": "Asha", "email": "Asha@Example.com", "password": PASSWORD}),
            None,
        )
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["name"], "Asha");
    assert_eq!(body["user"]["email"], "Asha@Example.com");
    assert!(body["access_token"].as_str().unwrap().split('.').count() == 3);
    assert!(body["refresh_token"].as_str().unwrap().len() >= 40);
    assert!(body["user"].get("password").is_none() && body["user"].get("password_hash").is_none());
}

#[tokio::test]
async fn login_then_me_then_logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let user = app.register("Ravi").await;
    let login = app
        .post_json("/api/v1/auth/login", &json!({"email": user.email.to_uppercase(), "password": PASSWORD}), None)
        .await;
    assert_eq!(login.status(), 200, "emails compare case-insensitively");
    let session: Value = login.json().await.unwrap();
    let token = session["access_token"].as_str().unwrap();

    let me: Value = app.get("/api/v1/me", Some(token)).await.json().await.unwrap();
    assert_eq!(me["id"], user.id.as_str());

    let logout = app.post_json("/api/v1/auth/logout", &json!({}), Some(token)).await;
    assert_eq!(logout.status(), 204);
    expect_problem(app.get("/api/v1/me", Some(token)).await, 401, "unauthorized").await;
    let refresh =
        app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": session["refresh_token"]}), None).await;
    expect_problem(refresh, 401, "unauthorized").await;
    // The other login of the same user is untouched.
    assert_eq!(app.get("/api/v1/me", Some(&user.access_token)).await.status(), 200);
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_whole_login() {
    let app = TestApp::spawn().await;
    let user = app.register("Meera").await;
    let first = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": user.refresh_token}), None).await;
    assert_eq!(first.status(), 200);
    let rotated: Value = first.json().await.unwrap();
    assert_ne!(rotated["refresh_token"], user.refresh_token.as_str());
    let new_access = rotated["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/me", Some(new_access)).await.status(), 200);

    // Presenting the rotated-away token again is a theft signal.
    let reuse = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": user.refresh_token}), None).await;
    expect_problem(reuse, 401, "unauthorized").await;
    // Every token of that login is now dead: the newest refresh token and both access tokens.
    let newest = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": rotated["refresh_token"]}), None).await;
    expect_problem(newest, 401, "unauthorized").await;
    expect_problem(app.get("/api/v1/me", Some(new_access)).await, 401, "unauthorized").await;
    expect_problem(app.get("/api/v1/me", Some(&user.access_token)).await, 401, "unauthorized").await;

    let audit = app.app().store().list_audit(None, 100).await.unwrap();
    assert!(audit.iter().any(|e| e.event == "refresh_token_reused"), "reuse is audited");
}

#[tokio::test]
async fn the_profile_is_read_and_patched() {
    let app = TestApp::spawn().await;
    let user = app.register("Asha").await;
    let patch = json!({
        "name": "Asha R",
        "avatar": "https://images.example.com/asha.png",
        "sizes": {"tops": "M", "bottoms": "32", "shoes": "UK7"},
        "preferences": {"styles": ["casual", "ethnic"], "gender": "women", "age_band": "35-54"}
    });
    let response = app.send_json(reqwest::Method::PATCH, "/api/v1/me", &patch, Some(&user.access_token)).await;
    assert_eq!(response.status(), 200);
    let me: Value = app.get("/api/v1/me", Some(&user.access_token)).await.json().await.unwrap();
    assert_eq!(me["name"], "Asha R");
    assert_eq!(me["sizes"]["bottoms"], "32");
    assert_eq!(me["preferences"]["age_band"], "35-54");
    assert_eq!(me["avatar"], "https://images.example.com/asha.png");

    // Absent fields stay; null clears the avatar.
    let cleared =
        app.send_json(reqwest::Method::PATCH, "/api/v1/me", &json!({"avatar": null}), Some(&user.access_token)).await;
    let me: Value = cleared.json().await.unwrap();
    assert!(me["avatar"].is_null());
    assert_eq!(me["name"], "Asha R");

    let bad = app
        .send_json(
            reqwest::Method::PATCH,
            "/api/v1/me",
            &json!({"avatar": "javascript:alert(1)", "sizes": {"tops": "<script>"}, "preferences": {"gender": "robot"}}),
            Some(&user.access_token),
        )
        .await;
    let problem = expect_problem(bad, 422, "validation_failed").await;
    assert!(!problem["errors"].as_array().unwrap().is_empty());
    let me: Value = app.get("/api/v1/me", Some(&user.access_token)).await.json().await.unwrap();
    assert_eq!(me["name"], "Asha R", "a refused patch changes nothing");

    // An object is read from a JSON object only: serde would otherwise read
    // a struct from an array of its field values, in declaration order.
    for (patch, field) in [
        (json!({"preferences": [["formal"]]}), "preferences"),
        (json!({"preferences": []}), "preferences"),
        (json!({"sizes": ["XL"]}), "sizes"),
    ] {
        let response = app.send_json(reqwest::Method::PATCH, "/api/v1/me", &patch, Some(&user.access_token)).await;
        let problem = expect_problem(response, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{patch}: {problem}");
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("expected a JSON object"), "{problem}");
    }
    let me: Value = app.get("/api/v1/me", Some(&user.access_token)).await.json().await.unwrap();
    assert_eq!(me["preferences"]["styles"], json!(["casual", "ethnic"]), "a refused patch changes nothing");
    assert_eq!(me["sizes"]["tops"], "M");
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let user = app.register("Asha").await;
    let wrong =
        app.post_json("/api/v1/auth/login", &json!({"email": user.email, "password": "not the password!"}), None).await;
    let unknown = app
        .post_json("/api/v1/auth/login", &json!({"email": "nobody@example.com", "password": "not the password!"}), None)
        .await;
    let wrong = expect_problem(wrong, 401, "unauthorized").await;
    let unknown = expect_problem(unknown, 401, "unauthorized").await;
    assert_eq!(wrong, unknown);
    let audit = app.app().store().list_audit(None, 100).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.event == "login_failed").count(), 2);
}

#[tokio::test]
async fn a_duplicate_email_is_a_conflict_whatever_its_case() {
    let app = TestApp::spawn().await;
    let user = app.register("Asha").await;
    let again = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"name": "Other", "email": user.email.to_uppercase(), "password": PASSWORD}),
            None,
        )
        .await;
    expect_problem(again, 409, "email_taken").await;
}

#[tokio::test]
async fn ten_concurrent_registrations_of_one_email_create_one_user() {
    let app = TestApp::spawn().await;
    let body = json!({"name": "Twin", "email": "twin@example.com", "password": PASSWORD});
    let responses = join_all((0..10).map(|_| app.post_json("/api/v1/auth/register", &body, None))).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 9, "{statuses:?}");
}

#[tokio::test]
async fn bad_registration_fields_are_named_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let cases = [
        (json!({"name": "A", "email": "not-an-email", "password": PASSWORD}), "email"),
        (json!({"name": "A", "email": "a@example.com", "password": "short"}), "password"),
        (json!({"name": "A", "email": "a@example.com", "password": "a@example.com"}), "password"),
        (json!({"name": "", "email": "a@example.com", "password": PASSWORD}), "name"),
        (json!({"name": "x".repeat(10_000), "email": "a@example.com", "password": PASSWORD}), "name"),
        (json!({"name": "a\u{0007}b", "email": "a@example.com", "password": PASSWORD}), "name"),
        (json!({"email": "a@example.com", "password": PASSWORD}), "name"),
        (json!({"name": 42, "email": "a@example.com", "password": PASSWORD}), "name"),
        (json!({"name": "A", "email": "a@example.com", "password": PASSWORD, "admin": true}), "admin"),
    ];
    for (body, field) in cases {
        let problem =
            expect_problem(app.post_json("/api/v1/auth/register", &body, None).await, 422, "validation_failed").await;
        let fields: Vec<&str> =
            problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
        assert!(fields.contains(&field), "{body} should name {field}, got {fields:?}");
    }
    // None of the refused attempts left a row behind.
    let ok = app
        .post_json("/api/v1/auth/register", &json!({"name": "A", "email": "a@example.com", "password": PASSWORD}), None)
        .await;
    assert_eq!(ok.status(), 201);
}

#[tokio::test]
async fn unparseable_bodies_are_400_and_wrong_shapes_422() {
    let app = TestApp::spawn().await;
    let path = "/api/v1/auth/register";
    expect_problem(app.post_raw(path, "application/json", b"{\"name\": ".to_vec(), None).await, 400, "malformed_json")
        .await;
    expect_problem(app.post_raw(path, "application/json", Vec::new(), None).await, 400, "malformed_json").await;
    expect_problem(
        app.post_raw(path, "application/json", vec![0xff, 0xfe, 0x7b, 0x7d], None).await,
        400,
        "malformed_json",
    )
    .await;
    expect_problem(app.post_raw(path, "application/json", b"[1,2]".to_vec(), None).await, 422, "validation_failed")
        .await;
    expect_problem(app.post_raw(path, "text/plain", b"{}".to_vec(), None).await, 415, "unsupported_media_type").await;
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(200_000));
    expect_problem(app.post_raw(path, "application/json", huge.into_bytes(), None).await, 413, "payload_too_large")
        .await;
}

#[tokio::test]
async fn hostile_strings_are_stored_verbatim_never_executed() {
    let app = TestApp::spawn().await;
    let user = app.register("Asha").await;
    for name in ["Robert'); DROP TABLE users;--", "<img src=x onerror=alert(1)>", "名前 ✨ Ünïcödé"] {
        let response =
            app.send_json(reqwest::Method::PATCH, "/api/v1/me", &json!({"name": name}), Some(&user.access_token)).await;
        assert_eq!(response.status(), 200);
        let me: Value = app.get("/api/v1/me", Some(&user.access_token)).await.json().await.unwrap();
        assert_eq!(me["name"], name);
    }
    // The users table is still there.
    assert_eq!(app.get("/api/v1/me", Some(&user.access_token)).await.status(), 200);
}

#[tokio::test]
async fn missing_forged_expired_and_malformed_tokens_are_refused() {
    let secret = "0123456789abcdef0123456789abcdef-test-secret";
    let app = TestApp::spawn_with(|c| c.secret = Some(secret.to_owned().into())).await;
    let user = app.register("Asha").await;
    expect_problem(app.get("/api/v1/me", None).await, 401, "unauthorized").await;
    expect_problem(app.get("/api/v1/me", Some("garbage")).await, 401, "unauthorized").await;

    let sign = |key: &str, exp: i64| {
        let claims = json!({"sub": user.id, "sid": uuid::Uuid::new_v4(), "iat": 0, "exp": exp, "iss": "familyroom"});
        jsonwebtoken::encode(
            &jsonwebtoken::Header::default(),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(key.as_bytes()),
        )
        .unwrap()
    };
    let far_future = 4_000_000_000;
    let forged = sign("another secret of at least thirty-two bytes", far_future);
    expect_problem(app.get("/api/v1/me", Some(&forged)).await, 401, "unauthorized").await;
    let expired = sign(secret, 1_000_000);
    expect_problem(app.get("/api/v1/me", Some(&expired)).await, 401, "unauthorized").await;
    // Right key, but a login that never existed.
    let unknown_login = sign(secret, far_future);
    expect_problem(app.get("/api/v1/me", Some(&unknown_login)).await, 401, "unauthorized").await;
    let unknown_refresh = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": "made-up"}), None).await;
    expect_problem(unknown_refresh, 401, "unauthorized").await;
}

#[tokio::test]
async fn login_attempts_are_rate_limited_per_address() {
    let app = TestApp::spawn_with(|c| c.auth_attempts_per_minute = 3).await;
    let body = json!({"email": "someone@example.com", "password": "whatever it is"});
    for _ in 0..3 {
        let response = app.post_json("/api/v1/auth/login", &body, None).await;
        assert_eq!(response.status(), 401);
    }
    let limited = app.post_json("/api/v1/auth/login", &body, None).await;
    let retry_after: u64 = limited
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(retry_after >= 1);
    expect_problem(limited, 429, "rate_limited").await;
}
