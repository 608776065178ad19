//! Offline evaluation on the H&M purchases sample: leave the last distinct
//! item out of each basket of two or more, recommend 10 from the rest, and
//! report hit rate@10, NDCG@10, catalog coverage and latency per model.
//!
//! `cargo run --release -p ai --example recs_evaluate -- --hm /work/shared/data/hm-purchases-sample`

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use ai::eval::Metrics;
use ai::{
    ContentModel, Context, Engine, Filter, Interaction, ItemCf, ItemFeatures, Popularity, Recommender, Signal, Visible,
};
use domain::product::Gender;
use time::OffsetDateTime;
use uuid::Uuid;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = args
        .iter()
        .position(|a| a == "--hm")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| "/work/shared/data/hm-purchases-sample".into());
    let k = 10;
    let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(17_794); // 2018-09-20

    let mut catalog: HashMap<Uuid, ItemFeatures> = HashMap::new();
    let mut reader = csv::Reader::from_path(format!("{dir}/articles.csv"))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name).ok_or(format!("no column {name}"));
    let (c_id, c_name, c_type, c_group, c_colour, c_index, c_section, c_garment, c_dept, c_graph) = (
        col("article_id")?,
        col("prod_name")?,
        col("product_type_name")?,
        col("product_group_name")?,
        col("colour_group_name")?,
        col("index_group_name")?,
        col("section_name")?,
        col("garment_group_name")?,
        col("department_name")?,
        col("graphical_appearance_name")?,
    );
    for row in reader.records() {
        let row = row?;
        let field = |i: usize| row.get(i).unwrap_or("").to_string();
        let id = Uuid::from_u128(field(c_id).parse::<u128>()?);
        let gender = match field(c_index).as_str() {
            "Ladieswear" => Some(Gender::Women),
            "Menswear" => Some(Gender::Men),
            _ => None,
        };
        catalog.insert(
            id,
            ItemFeatures {
                id,
                title: field(c_name),
                brand: None,
                article_type: Some(field(c_type)),
                category_path: vec![field(c_index), field(c_group), field(c_section), field(c_garment)],
                colour: Some(field(c_colour)),
                gender,
                tags: vec![field(c_dept), field(c_graph)],
                price_minor: 0,
                ..ItemFeatures::default()
            },
        );
    }

    // Baskets: distinct articles per customer in file order.
    let mut baskets: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    let mut at: HashMap<Uuid, usize> = HashMap::new();
    let mut reader = csv::Reader::from_path(format!("{dir}/transactions.csv"))?;
    for row in reader.records() {
        let row = row?;
        let customer = Uuid::from_u128(u128::from_str_radix(&row.get(1).unwrap_or("0")[..32], 16)?);
        let item = Uuid::from_u128(row.get(2).unwrap_or("0").parse::<u128>()?);
        let index = *at.entry(customer).or_insert_with(|| {
            baskets.push((customer, Vec::new()));
            baskets.len() - 1
        });
        if !baskets[index].1.contains(&item) {
            baskets[index].1.push(item);
        }
    }
    let mut train: Vec<Interaction> = Vec::new();
    let mut cases: Vec<(Vec<Uuid>, Uuid)> = Vec::new();
    for (customer, items) in &baskets {
        let held = (items.len() >= 2).then(|| items[items.len() - 1]);
        for item in items {
            if Some(*item) != held {
                train.push(Interaction {
                    user: *customer,
                    item: *item,
                    signal: Signal::Purchase,
                    at: now,
                    restricted: false,
                });
            }
        }
        if let Some(held) = held {
            cases.push((items[..items.len() - 1].to_vec(), held));
        }
    }

    let t = Instant::now();
    let alpha: f32 = std::env::var("ALPHA").ok().and_then(|a| a.parse().ok()).unwrap_or(ai::models::DEFAULT_ALPHA);
    let cf = Arc::new(ItemCf::build_with(&train, now, 50, alpha));
    let cf_build = t.elapsed();
    let t = Instant::now();
    let content = Arc::new(ContentModel::build(&catalog, 50));
    let content_build = t.elapsed();
    let t = Instant::now();
    let pop = Arc::new(Popularity::build(&train, now));
    let pop_build = t.elapsed();
    // Offline blend: co-purchases first, content for items with no co-purchase, popularity last; no MMR.
    let hybrid = Engine { models: vec![(cf.clone(), 1.0), (content.clone(), 0.35), (pop.clone(), 0.05)], lambda: 1.0 };
    let hybrid_mmr = Engine { models: hybrid.models.clone(), lambda: 0.7 };

    let names = HashMap::new();
    let empty = Visible::filter(Uuid::nil(), &[], |_, _| true);
    let filter = Filter::default();
    let models: Vec<(&str, String)> = vec![
        ("popularity", format!("{:.1} ms", pop_build.as_secs_f64() * 1e3)),
        ("item_cf", format!("{:.1} ms", cf_build.as_secs_f64() * 1e3)),
        ("content", format!("{:.1} ms", content_build.as_secs_f64() * 1e3)),
        ("hybrid (cf+content+popularity)", "—".into()),
        ("hybrid + MMR (λ=0.7)", "—".into()),
    ];
    println!(
        "{} baskets, {} leave-one-out cases, {} articles, {} training purchases\n",
        baskets.len(),
        cases.len(),
        catalog.len(),
        train.len()
    );
    println!("| model | hit rate@10 | NDCG@10 | catalog coverage | latency p50 | latency p99 | build |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for (index, (name, build)) in models.iter().enumerate() {
        let mut m = Metrics::default();
        for (seeds, held) in &cases {
            let seeds_w: Vec<(Uuid, f32)> = seeds.iter().map(|s| (*s, 8.0)).collect();
            let ctx = Context::from_seeds(&empty, &names, &catalog, now, seeds_w);
            let started = Instant::now();
            let ranked: Vec<Uuid> = match index {
                0 => pop.candidates(&ctx, k).into_iter().map(|c| c.item).collect(),
                1 => cf.candidates(&ctx, k).into_iter().map(|c| c.item).collect(),
                2 => content.candidates(&ctx, k).into_iter().map(|c| c.item).collect(),
                3 => hybrid.recommend_for(&ctx, &filter, None, k).into_iter().map(|r| r.product_id).collect(),
                _ => hybrid_mmr.recommend_for(&ctx, &filter, None, k).into_iter().map(|r| r.product_id).collect(),
            };
            let latency = started.elapsed();
            let unique: HashSet<Uuid> = ranked.iter().copied().collect();
            debug_assert_eq!(unique.len(), ranked.len());
            m.record(&ranked, *held, k, latency);
        }
        println!(
            "| {name} | {:.4} | {:.4} | {:.1}% | {:.1} µs | {:.1} µs | {build} |",
            m.hit_rate(),
            m.ndcg(),
            m.coverage(catalog.len()) * 100.0,
            m.latency(0.5).as_secs_f64() * 1e6,
            m.latency(0.99).as_secs_f64() * 1e6,
        );
    }
    Ok(())
}
