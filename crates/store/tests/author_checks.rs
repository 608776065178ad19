//! An append that carries the author's membership as its caller saw it
//! (`author_as_of`) commits only while the room still has the author that
//! way: after a secret-mode or role change, or once the author has left, it
//! fails with `Stale` and writes nothing, alone among concurrent appends.
//! On the test backend: SQLite by default (whose group commit checks a
//! whole batch at once), PostgreSQL with `FAMILYROOM_TEST_DATABASE=postgres`.

use std::collections::BTreeSet;

use domain::{role::Role, visibility::SecretMode};
use store::{AuthorState, StoreError};

mod common;
use common::message;

#[tokio::test]
async fn an_append_decided_on_a_changed_membership_fails_alone_and_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("fr-store-authors-{}", uuid::Uuid::new_v4().simple()));
    let store = common::open_test_store(&dir).await.unwrap();
    let users = common::users(store.as_ref(), &["Asha", "Ravi"]).await.unwrap();
    let (owner, other) = (users[0], users[1]);
    let room = common::room(store.as_ref(), owner, "Gifts").await.unwrap();
    let as_read = AuthorState::from(&store.get_member(room, owner).await.unwrap().unwrap());

    // Unchanged: it commits.
    store.append_activity(message(room, owner, Some(&as_read), 0)).await.unwrap();

    // The author turns secret mode on: an append decided before fails.
    let secret = SecretMode { enabled: true, hidden_from: BTreeSet::from([other]) };
    store.set_secret_mode(room, owner, &secret).await.unwrap();
    let refused = store.append_activity(message(room, owner, Some(&as_read), 1)).await;
    assert!(matches!(refused, Err(StoreError::Stale)), "got {refused:?}");

    // Among concurrent appends (one batch on SQLite) only the stale one fails.
    let current = AuthorState::from(&store.get_member(room, owner).await.unwrap().unwrap());
    assert_eq!(current.secret_mode, secret);
    let appends = (2..42).map(|n| {
        let store = store.clone();
        let author = if n == 20 { as_read.clone() } else { current.clone() };
        tokio::spawn(async move { (n, store.append_activity(message(room, owner, Some(&author), n)).await) })
    });
    for joined in futures::future::join_all(appends).await {
        let (n, result) = joined.unwrap();
        if n == 20 {
            assert!(matches!(result, Err(StoreError::Stale)), "the stale append {n} got {result:?}");
        } else {
            assert_eq!(result.unwrap().metadata["n"], n);
        }
    }
    // Appends without `author_as_of` are not checked.
    store.append_activity(message(room, owner, None, 99)).await.unwrap();

    let stored = store.list_activities(room, 0, None, 1000).await.unwrap();
    let written: Vec<i64> =
        stored.iter().filter_map(|a| a.metadata.get("n").and_then(serde_json::Value::as_i64)).collect();
    assert_eq!(written.len(), 1 + 39 + 1, "every good append and no stale one: {written:?}");
    assert!(!written.contains(&1) && !written.contains(&20));

    // A role change, and a member who is not (or no longer) in the room.
    let mut as_viewer = current.clone();
    as_viewer.role = Role::Viewer;
    let refused = store.append_activity(message(room, owner, Some(&as_viewer), 100)).await;
    assert!(matches!(refused, Err(StoreError::Stale)), "got {refused:?}");
    let refused = store.append_activity(message(room, other, Some(&current), 101)).await;
    assert!(matches!(refused, Err(StoreError::Stale)), "got {refused:?}");
    drop(std::fs::remove_dir_all(&dir));
}
