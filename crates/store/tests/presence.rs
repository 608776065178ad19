//! Presence transitions are persisted a burst at a time, in order: the last
//! transition of each member wins, a transition of someone who is not a
//! member changes nothing and does not fail the others, and an empty burst
//! is no work. A burst's rooms are counted together, however many there
//! are. On the test backend (SQLite by default, PostgreSQL with
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
    store.join_by_code(&joined.invite_code, joiner, common::joined(room, joiner)).await.unwrap();

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

#[tokio::test]
async fn many_rooms_are_counted_together_and_a_room_gone_is_absent() {
    let dir = std::env::temp_dir().join(format!("fr-store-counts-{}", uuid::Uuid::new_v4().simple()));
    let store = common::open_test_store(&dir).await.unwrap();
    let users = common::users(store.as_ref(), &["Asha", "Ravi"]).await.unwrap();
    let (owner, joiner) = (users[0], users[1]);
    // More rooms than one statement counts, so the chunks must add up.
    let mut rooms = Vec::new();
    for i in 0..620 {
        rooms.push(common::room(store.as_ref(), owner, &format!("Room {i}")).await.unwrap());
    }
    // Ravi joins every third room.
    for room in rooms.iter().step_by(3) {
        let code = store.get_room(*room).await.unwrap().invite_code;
        store.join_by_code(&code, joiner, common::joined(*room, joiner)).await.unwrap();
    }
    let gone = rooms.pop().unwrap();
    store.delete_room(gone).await.unwrap();
    let never = domain::RoomId::new();

    let mut asked = rooms.clone();
    asked.extend([gone, never]);
    let counts = store.count_members_of(&asked).await.unwrap();
    assert_eq!(counts.len(), rooms.len(), "every room with members, and only those");
    for (i, room) in rooms.iter().enumerate() {
        let expected = if i % 3 == 0 { 2 } else { 1 };
        assert_eq!(counts.get(room), Some(&expected), "room {i}");
        assert_eq!(store.count_members(*room).await.unwrap(), expected);
    }
    assert!(!counts.contains_key(&gone) && !counts.contains_key(&never));
    assert!(store.count_members_of(&[]).await.unwrap().is_empty());
    drop(std::fs::remove_dir_all(&dir));
}
