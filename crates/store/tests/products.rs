//! Product paging in both directions (the recommendation snapshot reads the
//! newest first, the search rebuild the oldest first), on the test backend:
//! SQLite by default, PostgreSQL with `FAMILYROOM_TEST_DATABASE=postgres`.

mod common;

use store::NewProduct;

fn product(n: usize) -> NewProduct {
    common::product("PAGE", n)
}

#[tokio::test]
async fn products_page_oldest_first_and_newest_first_without_gaps_or_repeats() {
    let dir = std::env::temp_dir().join(format!("fr-store-products-{}", uuid::Uuid::new_v4().simple()));
    let store = common::open_test_store(&dir).await.unwrap();
    // Ids are time-ordered: one at a time, so that each is newer than the last.
    let mut ids = Vec::new();
    for n in 0..25 {
        let written = store.upsert_products(&[product(n)]).await.unwrap();
        ids.push(written[0].0);
    }
    let mut sorted = ids.clone();
    sorted.sort_by_key(|id| id.0);
    assert_eq!(sorted, ids, "ids are time-ordered");

    let mut oldest_first = Vec::new();
    let mut after = None;
    loop {
        let page = store.list_products_after(after, 7).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        oldest_first.extend(page.iter().map(|p| p.id));
    }
    assert_eq!(oldest_first, ids);

    let mut newest_first = Vec::new();
    let mut before = None;
    loop {
        let page = store.list_products_before(before, 7).await.unwrap();
        assert!(page.len() <= 7);
        let Some(last) = page.last() else { break };
        before = Some(last.id);
        newest_first.extend(page.iter().map(|p| p.id));
    }
    ids.reverse();
    assert_eq!(newest_first, ids);
    drop(std::fs::remove_dir_all(&dir));
}
