//! `familyroom recs evaluate`: offline evaluation of the recommenders.
//!
//! Two data sets. Real purchases (the H&M sample, given by path; test data,
//! never shipped): leave the last distinct article of each basket of two or
//! more out, recommend 10 from the rest. Simulated family sessions over the
//! demo catalog: families whose members browse, like and cart with a taste
//! each, the last cart add of each member held out. Each model is reported
//! with hit rate@10, NDCG@10, catalog coverage and latency, against the
//! popularity baseline.

use std::{
    collections::{HashMap, HashSet},
    path::Path,
    sync::Arc,
    time::Instant,
};

use ai::{
    ContentModel, Context, Engine, Filter, Interaction, ItemCf, ItemFeatures, Popularity, Recommender, Signal, Visible,
    eval::Metrics,
};
use anyhow::Context as _;
use domain::product::Gender;
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use time::OffsetDateTime;
use uuid::Uuid;

const K: usize = 10;

/// One model's row of the table.
pub struct Row {
    pub model: String,
    pub metrics: Metrics,
    pub build: String,
}

/// A data set's results.
pub struct Report {
    pub title: String,
    pub summary: String,
    pub catalog_size: usize,
    pub rows: Vec<Row>,
}

impl Report {
    /// The Markdown table, as recorded in docs/benchmarks.md.
    pub fn markdown(&mut self) -> String {
        let mut out = format!("### {}\n\n{}\n\n", self.title, self.summary);
        out.push_str("| model | hit rate@10 | NDCG@10 | catalog coverage | latency p50 | latency p99 | build |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
        for row in &mut self.rows {
            out.push_str(&format!(
                "| {} | {:.4} | {:.4} | {:.1}% | {:.1} µs | {:.1} µs | {} |\n",
                row.model,
                row.metrics.hit_rate(),
                row.metrics.ndcg(),
                row.metrics.coverage(self.catalog_size) * 100.0,
                row.metrics.latency(0.5).as_secs_f64() * 1e6,
                row.metrics.latency(0.99).as_secs_f64() * 1e6,
                row.build,
            ));
        }
        out
    }
}

fn ms(started: Instant) -> String {
    format!("{:.1} ms", started.elapsed().as_secs_f64() * 1e3)
}

/// Models built once per data set.
struct Models {
    popularity: Arc<Popularity>,
    cf: Arc<ItemCf>,
    content: Arc<ContentModel>,
    builds: [String; 3],
}

fn build_models(train: &[Interaction], catalog: &HashMap<Uuid, ItemFeatures>, now: OffsetDateTime) -> Models {
    let t = Instant::now();
    let popularity = Arc::new(Popularity::build(train, now));
    let pop_build = ms(t);
    let t = Instant::now();
    let cf = Arc::new(ItemCf::build(train, now, 50));
    let cf_build = ms(t);
    let t = Instant::now();
    let content = Arc::new(ContentModel::build(catalog, 50));
    let content_build = ms(t);
    Models { popularity, cf, content, builds: [pop_build, cf_build, content_build] }
}

/// Leave-one-out on the H&M purchases sample at `dir`.
pub fn evaluate_hm(dir: &Path) -> anyhow::Result<Report> {
    let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(17_794); // 2018-09-20, the sample's day
    let mut catalog: HashMap<Uuid, ItemFeatures> = HashMap::new();
    let articles = dir.join("articles.csv");
    let mut reader =
        csv::Reader::from_path(&articles).with_context(|| format!("cannot read {}", articles.display()))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name).with_context(|| format!("no column {name}"));
    let columns = [
        "article_id",
        "prod_name",
        "product_type_name",
        "product_group_name",
        "colour_group_name",
        "index_group_name",
        "section_name",
        "garment_group_name",
        "department_name",
        "graphical_appearance_name",
    ]
    .iter()
    .map(|c| col(c))
    .collect::<anyhow::Result<Vec<usize>>>()?;
    for row in reader.records() {
        let row = row?;
        let field = |i: usize| row.get(columns[i]).unwrap_or("").to_owned();
        let id = Uuid::from_u128(field(0).parse::<u128>().context("article_id")?);
        let gender = match field(5).as_str() {
            "Ladieswear" => Some(Gender::Women),
            "Menswear" => Some(Gender::Men),
            _ => None,
        };
        catalog.insert(
            id,
            ItemFeatures {
                id,
                title: field(1),
                article_type: Some(field(2)),
                category_path: vec![field(5), field(3), field(6), field(7)],
                colour: Some(field(4)),
                gender,
                tags: vec![field(8), field(9)],
                ..ItemFeatures::default()
            },
        );
    }
    let mut baskets: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    let mut at: HashMap<Uuid, usize> = HashMap::new();
    let transactions = dir.join("transactions.csv");
    let mut reader =
        csv::Reader::from_path(&transactions).with_context(|| format!("cannot read {}", transactions.display()))?;
    for row in reader.records() {
        let row = row?;
        let customer_hex = row.get(1).unwrap_or("0");
        let customer = Uuid::from_u128(u128::from_str_radix(&customer_hex[..customer_hex.len().min(32)], 16)?);
        let item = Uuid::from_u128(row.get(2).unwrap_or("0").parse::<u128>()?);
        let index = *at.entry(customer).or_insert_with(|| {
            baskets.push((customer, Vec::new()));
            baskets.len() - 1
        });
        if !baskets[index].1.contains(&item) {
            baskets[index].1.push(item);
        }
    }
    let mut train = Vec::new();
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
    let models = build_models(&train, &catalog, now);
    let summary = format!(
        "{} baskets, {} leave-one-out cases, {} articles, {} training purchases.",
        baskets.len(),
        cases.len(),
        catalog.len(),
        train.len()
    );
    let empty = Visible::filter(Uuid::nil(), &[], |_, _| true);
    let names = HashMap::new();
    let hybrid = Engine {
        models: vec![(models.cf.clone(), 1.0), (models.content.clone(), 0.35), (models.popularity.clone(), 0.05)],
        lambda: 1.0,
    };
    let hybrid_mmr = Engine { models: hybrid.models.clone(), lambda: 0.7 };
    let mut rows = Vec::new();
    let labels = [
        "popularity (baseline)",
        "item_cf",
        "content",
        "hybrid (cf 1.0 + content 0.35 + popularity 0.05)",
        "hybrid + MMR (λ=0.7)",
    ];
    for (index, label) in labels.iter().enumerate() {
        let mut metrics = Metrics::default();
        for (seeds, held) in &cases {
            let seeds: Vec<(Uuid, f32)> = seeds.iter().map(|s| (*s, 8.0)).collect();
            let ctx = Context::from_seeds(&empty, &names, &catalog, now, seeds);
            let started = Instant::now();
            let ranked: Vec<Uuid> = match index {
                0 => models.popularity.candidates(&ctx, K).into_iter().map(|c| c.item).collect(),
                1 => models.cf.candidates(&ctx, K).into_iter().map(|c| c.item).collect(),
                2 => models.content.candidates(&ctx, K).into_iter().map(|c| c.item).collect(),
                3 => {
                    hybrid.recommend_for(&ctx, &Filter::default(), None, K).into_iter().map(|r| r.product_id).collect()
                }
                _ => hybrid_mmr
                    .recommend_for(&ctx, &Filter::default(), None, K)
                    .into_iter()
                    .map(|r| r.product_id)
                    .collect(),
            };
            metrics.record(&ranked, *held, K, started.elapsed());
        }
        let build = models.builds.get(index).cloned().unwrap_or_else(|| "—".into());
        rows.push(Row { model: (*label).into(), metrics, build });
    }
    Ok(Report {
        title: "H&M purchases sample (real, leave-one-out)".into(),
        summary,
        catalog_size: catalog.len(),
        rows,
    })
}

/// Leave-one-out on simulated family sessions over the demo catalog.
pub fn evaluate_families(products: usize, families: usize, seed: u64) -> Report {
    let now = OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut catalog: HashMap<Uuid, ItemFeatures> = HashMap::new();
    for (n, draft) in catalog::demo::generate(products, 7).enumerate() {
        let id = Uuid::from_u128(n as u128 + 1);
        catalog.insert(
            id,
            ItemFeatures {
                id,
                title: draft.title,
                brand: Some(draft.brand),
                article_type: draft.metadata.article_type,
                category_path: draft.metadata.category_path,
                colour: draft.metadata.colour,
                gender: draft.metadata.gender,
                season: draft.metadata.season,
                usage: draft.metadata.usage,
                tags: draft.metadata.tags,
                price_minor: draft.price.minor,
                sizes: draft.metadata.sizes,
            },
        );
    }
    let mut ids: Vec<Uuid> = catalog.keys().copied().collect();
    ids.sort();
    // Products grouped by (cut, usage): a "style" a family member shops in.
    let mut styles: HashMap<(Option<Gender>, Option<String>), Vec<Uuid>> = HashMap::new();
    for id in &ids {
        let item = &catalog[id];
        styles.entry((item.gender, item.usage.clone())).or_default().push(*id);
    }
    let mut style_keys: Vec<_> = styles.keys().cloned().collect();
    style_keys.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    // Popular products: a skew every family shares a little of.
    let hot: Vec<Uuid> = ids.iter().copied().filter(|_| rng.random_bool(0.02)).collect();

    let mut log: Vec<(Uuid, Interaction)> = Vec::new(); // (family, interaction)
    let mut held: Vec<(Uuid, Uuid, Uuid)> = Vec::new(); // (family, member, item)
    for f in 0..families {
        let family = Uuid::from_u128(1_000_000 + f as u128);
        let size = rng.random_range(2..=5);
        // A family shares an occasion: a few products they all circle around.
        let shared_style = style_keys.choose(&mut rng).cloned();
        let shared: Vec<Uuid> = shared_style
            .and_then(|k| styles.get(&k))
            .map(|pool| (0..4).filter_map(|_| pool.choose(&mut rng).copied()).collect())
            .unwrap_or_default();
        for m in 0..size {
            let member = Uuid::from_u128(10_000_000 + (f * 10 + m) as u128);
            let Some(style) = style_keys.choose(&mut rng) else { continue };
            let pool = &styles[style];
            let mut carted = Vec::new();
            for _ in 0..rng.random_range(6..20) {
                let roll: f64 = rng.random();
                let item = if roll < 0.6 {
                    pool.choose(&mut rng).copied()
                } else if roll < 0.8 {
                    shared.choose(&mut rng).copied()
                } else if roll < 0.9 {
                    hot.choose(&mut rng).copied()
                } else {
                    ids.choose(&mut rng).copied()
                };
                let Some(item) = item else { continue };
                let signal = match rng.random_range(0..10) {
                    0..=5 => Signal::View,
                    6..=7 => Signal::Like,
                    _ => Signal::CartAdd,
                };
                if signal == Signal::CartAdd {
                    carted.push(item);
                }
                log.push((family, Interaction { user: member, item, signal, at: now, restricted: false }));
            }
            // Hold out the last cart add that is not also an earlier interaction.
            if let Some(last) = carted.last().copied() {
                let earlier = log.iter().filter(|(_, i)| i.user == member && i.item == last).count();
                if earlier == 1 {
                    log.retain(|(_, i)| !(i.user == member && i.item == last));
                    held.push((family, member, last));
                }
            }
        }
    }
    let train: Vec<Interaction> = log.iter().map(|(_, i)| i.clone()).collect();
    let models = build_models(&train, &catalog, now);
    let family_engine = Engine::standard(models.cf.clone(), models.content.clone(), models.popularity.clone());
    let mut by_family: HashMap<Uuid, Vec<Interaction>> = HashMap::new();
    for (family, i) in &log {
        by_family.entry(*family).or_default().push(i.clone());
    }
    let names: HashMap<Uuid, String> = HashMap::new();
    let labels = ["popularity (baseline)", "item_cf", "content", "family blend (the room's engine, with MMR)"];
    let mut rows = Vec::new();
    for (index, label) in labels.iter().enumerate() {
        let mut metrics = Metrics::default();
        for (family, member, item) in &held {
            let room = by_family.get(family).map(Vec::as_slice).unwrap_or(&[]);
            let visible = Visible::filter(*member, room, |_, _| true);
            let ctx = Context::new(&visible, &names, &catalog, now);
            let started = Instant::now();
            let ranked: Vec<Uuid> = match index {
                0 => models.popularity.candidates(&ctx, K).into_iter().map(|c| c.item).collect(),
                1 => models.cf.candidates(&ctx, K).into_iter().map(|c| c.item).collect(),
                2 => models.content.candidates(&ctx, K).into_iter().map(|c| c.item).collect(),
                _ => family_engine
                    .recommend_for(&ctx, &Filter::default(), None, K)
                    .into_iter()
                    .map(|r| r.product_id)
                    .collect(),
            };
            metrics.record(&ranked, *item, K, started.elapsed());
        }
        let build = models.builds.get(index).cloned().unwrap_or_else(|| "—".into());
        rows.push(Row { model: (*label).into(), metrics, build });
    }
    let members: HashSet<Uuid> = train.iter().map(|i| i.user).collect();
    Report {
        title: "Simulated family sessions over the demo catalog (leave-one-out)".into(),
        summary: format!(
            "{families} families, {} members, {} held-out cart adds, {} products, {} training interactions (seed {seed}).",
            members.len(),
            held.len(),
            catalog.len(),
            train.len()
        ),
        catalog_size: catalog.len(),
        rows,
    }
}
