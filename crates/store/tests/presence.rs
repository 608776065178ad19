//! Presence transitions are persisted a burst at a time, in order: the last
//! transition of each member wins, a transition of someone who is not a
//! member changes nothing and does not fail the others, and an empty burst
//! is no work. On the test backend (SQLite by default, PostgreSQL with
//! `FAMILYROOM_TEST_DATABASE=postgres`).

use domain::presence::PresenceChange;

mod common;

#[tokio::test]
async fn a_burst_of_transitions_leaves_each_members_last_one() {
    let dir = std::env::temp_dir().join(format!("fr-store-presence-{}", uuid::Uuid::new_v4().simple()));
    let store = common::open_test_store(&dir).await.unwrap();
    let users = common::users(store.as_ref(), &["Asha", "Ravi", "Meera"]).await.unwrap();
    let (owner, joiner, outsider) = (users[0], users[1], users[2]);
    let room = common::room(store.as_ref(), owner, "Presence").await.unwrap();
    let joined = store.get_room(room).await.unwrap();
    let activity = store::NewActivity {
        id: domain::ActivityId::new(),
        room_id: room,
        user_id: joiner,
        product_id: None,
        action_type: domain::activity::ActionType::Joined,
        message: None,
        visibility: domain::visibility::Visibility::Everyone,
        metadata: serde_json::json!({}),
        at: domain::clock::now(),
        author_as_of: None,
    };
    store.join_by_code(&joined.invite_code, joiner, activity).await.unwrap();

    store.set_presences(&[]).await.unwrap();

    let t = |seconds: i64| domain::clock::now() + time::Duration::seconds(seconds);
    let (early, middle, late) = (t(1), t(2), t(3));
    let update = |user_id, online, at| PresenceChange { room_id: room, user_id, online, at };
    store
        .set_presences(&[
            update(owner, true, early),
            update(joiner, true, early),
            update(outsider, true, middle),
            update(owner, false, middle),
            update(joiner, false, middle),
            update(joiner, true, late),
        ])
        .await
        .unwrap();

    let owner_now = store.get_member(room, owner).await.unwrap().unwrap();
    assert!(!owner_now.is_online);
    assert_eq!(owner_now.last_seen, Some(middle));
    let joiner_now = store.get_member(room, joiner).await.unwrap().unwrap();
    assert!(joiner_now.is_online);
    assert_eq!(joiner_now.last_seen, Some(late));
    assert!(store.get_member(room, outsider).await.unwrap().is_none());
    drop(std::fs::remove_dir_all(&dir));
}
