//! The same text searches on the same products, on this index and on
//! SQLite FTS5: p50 and p99 per engine and their ratio.
//!
//! `cargo run --release -p search --example fts5_compare -- CATALOG.csv [repeats]`
//!
//! The index answers with facets and a total as the API does; FTS5 is asked
//! for the top 20 by rank and a count, the least a search page needs.

#![expect(clippy::expect_used, clippy::unwrap_used, reason = "a benchmark: a failed set-up stops it")]

use std::time::{Duration, Instant};

use domain::ProductId;
use search::{ProductIndex, SearchQuery};
use sqlx::{Connection, Row};

const QUERIES: [&str; 10] = [
    "black shirt",
    "printed kurta",
    "trolley bag",
    "women jeans",
    "cotton",
    "watch",
    "sports shoes",
    "red dress",
    "analogue watch men",
    "saree",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("give a catalog CSV file");
    let repeats: usize = args.next().map(|r| r.parse().expect("repeats")).unwrap_or(100);
    let at = time::OffsetDateTime::now_utc();
    let products: Vec<_> = catalog::import::open_file(path.as_ref(), None)
        .expect("catalog file")
        .filter_map(Result::ok)
        .map(|draft| draft.into_product(ProductId::new(), at, at))
        .collect();
    println!("{} products", products.len());

    let dir = tempfile::tempdir().expect("temp dir");
    let index = ProductIndex::open_in_dir(dir.path().join("index")).expect("index");
    index.upsert(&products).expect("upsert");
    index.commit().expect("commit");

    let db = dir.path().join("fts.db");
    let mut sqlite = sqlx::SqliteConnection::connect(&format!("sqlite:{}?mode=rwc", db.display())).await.unwrap();
    sqlx::query("CREATE VIRTUAL TABLE p USING fts5(title, brand, category, description)")
        .execute(&mut sqlite)
        .await
        .expect("FTS5 is compiled in");
    let mut tx = sqlite.begin().await.unwrap();
    for p in &products {
        sqlx::query("INSERT INTO p (title, brand, category, description) VALUES ($1, $2, $3, $4)")
            .bind(&p.title)
            .bind(&p.brand)
            .bind(&p.category)
            .bind(&p.description)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let mut ours = Vec::new();
    let mut fts = Vec::new();
    let mut totals = (0u64, 0i64);
    for _ in 0..repeats {
        for text in QUERIES {
            let query = SearchQuery { text: Some(text.into()), limit: 20, ..SearchQuery::default() };
            let start = Instant::now();
            let page = index.search(&query).expect("search");
            ours.push(start.elapsed());
            totals.0 += page.total;

            let start = Instant::now();
            let rows = sqlx::query("SELECT rowid FROM p WHERE p MATCH $1 ORDER BY rank LIMIT 20")
                .bind(text)
                .fetch_all(&mut sqlite)
                .await
                .unwrap();
            let count: i64 = sqlx::query("SELECT count(*) FROM p WHERE p MATCH $1")
                .bind(text)
                .fetch_one(&mut sqlite)
                .await
                .unwrap()
                .get(0);
            fts.push(start.elapsed());
            assert!(rows.len() <= 20);
            totals.1 += count;
        }
    }
    ours.sort();
    fts.sort();
    let (o50, o99, f50, f99) =
        (percentile(&ours, 0.5), percentile(&ours, 0.99), percentile(&fts, 0.5), percentile(&fts, 0.99));
    println!(
        "index (text + facets + total): p50 {:.3} ms, p99 {:.3} ms, matches {}",
        ms(o50),
        ms(o99),
        totals.0 / repeats as u64
    );
    println!(
        "fts5  (top 20 by rank + count): p50 {:.3} ms, p99 {:.3} ms, matches {}",
        ms(f50),
        ms(f99),
        totals.1 / repeats as i64
    );
    println!("ratio fts5/index: p50 {:.2}x, p99 {:.2}x", ms(f50) / ms(o50), ms(f99) / ms(o99));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
