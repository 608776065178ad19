//! SQLite's migration 0007 drops `rooms.activity_seq`: from then on a room's
//! next sequence number is one past the last in the log's `(room_id, seq)`
//! index (decision 0014). A database written before it, whose appends bumped
//! the counter, must go on exactly where each room's log stopped, and an
//! append to a room that is gone must still be refused as not found.

use std::borrow::Cow;
use std::path::Path;

use domain::{RoomId, UserId};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use store::StoreError;

mod common;
use common::message;

/// A database migrated up to 0006 and written as the code of then wrote it:
/// one room whose counter stands at 3 with its three activities, and one
/// room with none.
async fn database_before_0007(
    dir: &Path,
    user: UserId,
    busy: RoomId,
    quiet: RoomId,
) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let options = SqliteConnectOptions::new()
        .filename(dir.join("familyroom.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    let mut before = Migrator::new(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"))).await?;
    before.migrations = Cow::Owned(before.migrations.iter().filter(|m| m.version < 7).cloned().collect());
    before.run(&pool).await?;

    let at = "2026-11-24T09:00:00Z";
    sqlx::query("INSERT INTO users (id, name, email, email_normalized, created_at, updated_at) VALUES ($1, 'Asha', 'asha@example.com', 'asha@example.com', $2, $2)")
        .bind(user.0)
        .bind(at)
        .execute(&pool)
        .await?;
    for (room, counter, code) in [(busy, 3, "upgrade00001"), (quiet, 0, "upgrade00002")] {
        sqlx::query("INSERT INTO rooms (id, name, owner_id, visibility, invite_code, activity_seq, created_at, updated_at) VALUES ($1, 'Room', $2, 'private', $3, $4, $5, $5)")
            .bind(room.0)
            .bind(user.0)
            .bind(code)
            .bind(counter)
            .bind(at)
            .execute(&pool)
            .await?;
        sqlx::query(
            "INSERT INTO room_members (id, room_id, user_id, role, joined_at) VALUES ($1, $2, $3, 'owner', $4)",
        )
        .bind(uuid::Uuid::now_v7())
        .bind(room.0)
        .bind(user.0)
        .bind(at)
        .execute(&pool)
        .await?;
    }
    for seq in 1..=3_i64 {
        sqlx::query("INSERT INTO room_activities (id, room_id, seq, user_id, action_type, message, created_at) VALUES ($1, $2, $3, $4, 'message', $5, $6)")
            .bind(uuid::Uuid::now_v7())
            .bind(busy.0)
            .bind(seq)
            .bind(user.0)
            .bind(format!("before the upgrade {seq}"))
            .bind(at)
            .execute(&pool)
            .await?;
    }
    pool.close().await;
    Ok(())
}

#[tokio::test]
async fn appends_after_the_upgrade_go_on_where_each_log_stopped() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("fr-store-seq-upgrade-{}", uuid::Uuid::new_v4().simple()));
    let (user, busy, quiet) = (UserId::new(), RoomId::new(), RoomId::new());
    database_before_0007(&dir, user, busy, quiet).await?;

    // Opening the store runs 0007.
    let store = store::open(store::StoreOptions { url: None, data_dir: &dir, max_connections: 4 }).await?;
    assert_eq!(store.current_seq(busy).await?, 3);
    assert_eq!(store.current_seq(quiet).await?, 0);

    // Through the group committer, several at once, into both rooms.
    let appends = (0..6).map(|n| {
        let store = store.clone();
        let room = if n % 2 == 0 { busy } else { quiet };
        tokio::spawn(async move { store.append_activity(message(room, user, None, n)).await })
    });
    for joined in futures::future::join_all(appends).await {
        joined??;
    }
    for (room, expected) in [(busy, (1..=6).collect::<Vec<i64>>()), (quiet, (1..=3).collect())] {
        let seqs: Vec<i64> = store.list_activities(room, 0, None, 100).await?.iter().map(|a| a.seq).collect();
        assert_eq!(seqs, expected, "the log must go on after its last seq, gapless");
        assert_eq!(store.current_seq(room).await?, *expected.last().unwrap_or(&0));
    }

    store.delete_room(quiet).await?;
    let refused = store.append_activity(message(quiet, user, None, 99)).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "an append to a deleted room: {refused:?}");
    assert!(matches!(store.current_seq(quiet).await, Err(StoreError::NotFound)));

    drop(store);
    drop(std::fs::remove_dir_all(&dir));
    Ok(())
}
