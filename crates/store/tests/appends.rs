//! Group commit on SQLite: many concurrent appends across rooms are written
//! together, yet each room's sequence numbers stay gapless and in order, and
//! one bad append in a batch fails alone.

use domain::{ActivityId, ProductId, RoomId, UserId, activity::ActionType, visibility::Visibility};
use store::{NewActivity, NewRoom, NewUser};

fn activity(room: RoomId, user: UserId, product: Option<ProductId>, n: usize) -> NewActivity {
    NewActivity {
        id: ActivityId::new(),
        room_id: room,
        user_id: user,
        product_id: product,
        action_type: if product.is_some() { ActionType::Liked } else { ActionType::Message },
        message: product.is_none().then(|| format!("message {n}")),
        visibility: Visibility::Everyone,
        metadata: serde_json::json!({ "n": n }),
        at: domain::clock::now(),
        author_as_of: None,
    }
}

#[tokio::test]
async fn concurrent_appends_keep_every_room_gapless_and_a_bad_one_fails_alone() {
    let dir = std::env::temp_dir().join(format!("fr-store-appends-{}", uuid::Uuid::new_v4().simple()));
    let store = store::open(store::StoreOptions { url: None, data_dir: &dir, max_connections: 4 }).await.unwrap();
    let user = UserId::new();
    let at = domain::clock::now();
    store
        .create_user(NewUser {
            id: user,
            name: "Asha".into(),
            email: "asha@example.com".into(),
            email_normalized: "asha@example.com".into(),
            password_hash: "x".into(),
            at,
        })
        .await
        .unwrap();
    let mut rooms = Vec::new();
    for i in 0..3 {
        let room = store
            .create_room(NewRoom {
                id: RoomId::new(),
                name: format!("Room {i}"),
                owner_id: user,
                visibility: "private".into(),
                invite_code: format!("appends{i:09}"),
                at,
            })
            .await
            .unwrap();
        rooms.push(room.id);
    }

    // First only good appends (batches go in whole), then every 50th names a
    // product that does not exist, which a foreign key refuses.
    let mut written = 0;
    for (phase, bad_every) in [(0usize, None), (1, Some(50usize))] {
        let appends = (0..600).map(|i| {
            let store = store.clone();
            let n = phase * 600 + i;
            let room = rooms[n % rooms.len()];
            let bad = bad_every.is_some_and(|every| i % every == 7);
            let new = activity(room, user, bad.then(ProductId::new), n);
            let id = new.id;
            tokio::spawn(async move { (n, bad, id, store.append_activity(new).await) })
        });
        for joined in futures::future::join_all(appends).await {
            let (n, bad, id, result) = joined.unwrap();
            match result {
                Ok(record) => {
                    assert!(!bad, "append {n} should have been refused");
                    assert_eq!(record.id, id, "append {n} got another append's record");
                    assert_eq!(record.metadata["n"], n);
                    written += 1;
                }
                Err(error) => assert!(bad, "append {n} failed: {error}"),
            }
        }
    }
    assert_eq!(written, 1200 - 12);

    let mut listed = 0;
    for room in rooms {
        let page = store.list_activities(room, 0, None, 1000).await.unwrap();
        let seqs: Vec<i64> = page.iter().map(|a| a.seq).collect();
        let expected: Vec<i64> = (1..=seqs.len() as i64).collect();
        assert_eq!(seqs, expected, "room sequence has a gap or a duplicate");
        listed += seqs.len();
    }
    assert_eq!(listed, written);
    drop(std::fs::remove_dir_all(&dir));
}
