//! Appends and the store's other writes interleave. On SQLite they go
//! through two connections (the group committer's and the writer pool's,
//! decision 0013): while a stream of appends runs, members join the same
//! rooms, and each join reads the room, then writes the membership and its
//! `joined` activity in one transaction of the writer pool. Every write must
//! succeed (no busy or stale-snapshot error, no wait long enough to time
//! out), and each room's sequence must stay gapless across both writers.
//! On the test backend: SQLite by default, PostgreSQL with
//! `FAMILYROOM_TEST_DATABASE=postgres`.

use domain::{ActivityId, RoomId, UserId, activity::ActionType, visibility::Visibility};
use store::{JoinOutcome, NewActivity};

mod common;

fn activity(room: RoomId, user: UserId, action_type: ActionType, n: usize) -> NewActivity {
    NewActivity {
        id: ActivityId::new(),
        room_id: room,
        user_id: user,
        product_id: None,
        action_type,
        message: (action_type == ActionType::Message).then(|| format!("message {n}")),
        visibility: Visibility::Everyone,
        metadata: serde_json::json!({ "n": n }),
        at: domain::clock::now(),
        author_as_of: None,
    }
}

#[tokio::test]
async fn joins_go_through_while_appends_stream_and_every_room_stays_gapless() {
    let dir = std::env::temp_dir().join(format!("fr-store-mixed-{}", uuid::Uuid::new_v4().simple()));
    let store = common::open_test_store(&dir).await.unwrap();
    let names: Vec<String> = (0..41).map(|i| format!("Member{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let users = common::users(store.as_ref(), &names).await.unwrap();
    let owner = users[0];
    let mut rooms = Vec::new();
    for i in 0..4 {
        let id = common::room(store.as_ref(), owner, &format!("Room {i}")).await.unwrap();
        rooms.push(store.get_room(id).await.unwrap());
    }

    // 2,000 appends, 64 in flight at a time, into the four rooms...
    let appends = {
        let store = store.clone();
        let rooms: Vec<RoomId> = rooms.iter().map(|room| room.id).collect();
        tokio::spawn(async move {
            use futures::StreamExt;
            futures::stream::iter(0..2000usize)
                .map(|n| {
                    let store = store.clone();
                    let room = rooms[n % rooms.len()];
                    async move { store.append_activity(activity(room, owner, ActionType::Message, n)).await }
                })
                .buffer_unordered(64)
                .collect::<Vec<_>>()
                .await
        })
    };
    // ...while 40 members join them, one join at a time per member.
    let joins = users[1..].iter().enumerate().map(|(i, user)| {
        let store = store.clone();
        let room = rooms[i % rooms.len()].clone();
        let user = *user;
        tokio::spawn(async move {
            let joined = activity(room.id, user, ActionType::Joined, i);
            store.join_by_code(&room.invite_code, user, joined).await
        })
    });
    for (i, joined) in futures::future::join_all(joins).await.into_iter().enumerate() {
        match joined.unwrap() {
            Ok(JoinOutcome::Joined { activity, .. }) => assert_eq!(activity.action_type, ActionType::Joined),
            other => panic!("join {i} did not go through: {other:?}"),
        }
    }
    let appended = appends.await.unwrap();
    let failed: Vec<String> =
        appended.iter().filter_map(|result| result.as_ref().err()).map(|e| e.to_string()).collect();
    assert!(failed.is_empty(), "{} appends failed, first: {:?}", failed.len(), failed.first());

    let mut listed = 0;
    for room in &rooms {
        let page = store.list_activities(room.id, 0, None, 5000).await.unwrap();
        let seqs: Vec<i64> = page.iter().map(|a| a.seq).collect();
        let expected: Vec<i64> = (1..=seqs.len() as i64).collect();
        assert_eq!(seqs, expected, "room sequence has a gap or a duplicate");
        assert_eq!(store.current_seq(room.id).await.unwrap(), seqs.len() as i64);
        listed += page.len();
    }
    assert_eq!(listed, 2000 + 40, "every append and every join's activity is stored once");
    drop(std::fs::remove_dir_all(&dir));
}
