//! SQLite's WAL is copied into the database file by the store's background
//! checkpointer, not only by a commit that finds the WAL grown past its
//! limit: written rows reach the main file while the writer keeps going,
//! and they survive a reopen. (SQLite only; PostgreSQL has no WAL file of
//! ours to watch.)

use std::time::{Duration, Instant};

use store::NewProduct;

mod common;

fn product(n: usize) -> NewProduct {
    let mut row = common::product("CKPT", n);
    row.product.description = "x".repeat(400);
    row
}

#[tokio::test]
async fn the_background_checkpointer_moves_committed_pages_into_the_database_file() {
    if std::env::var("FAMILYROOM_TEST_DATABASE").as_deref() == Ok("postgres") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("fr-store-checkpoint-{}", uuid::Uuid::new_v4().simple()));
    let options = || store::StoreOptions { url: None, data_dir: &dir, max_connections: 2 };
    let store = store::open(options()).await.unwrap();
    let database = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "db"))
        .expect("the SQLite file is in the data dir");
    let size = || std::fs::metadata(&database).map(|m| m.len()).unwrap_or(0);
    let before = size();

    // About 1 MB of rows, far below the writer's own checkpoint limit
    // (20,000 pages): only the background checkpointer moves them.
    for chunk in 0..20 {
        let batch: Vec<NewProduct> = (0..100).map(|n| product(chunk * 100 + n)).collect();
        store.upsert_products(&batch).await.unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while size() < before + 500_000 {
        assert!(Instant::now() < deadline, "the database file stayed at {} bytes (was {before})", size());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    drop(store);
    let reopened = store::open(options()).await.unwrap();
    let first = reopened.list_products_after(None, 5000).await.unwrap();
    assert_eq!(first.len(), 2000, "every row survives the reopen");
    std::fs::remove_dir_all(&dir).ok();
}
