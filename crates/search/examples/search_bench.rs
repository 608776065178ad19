//! Indexes N synthetic products in a temporary directory and reports index
//! time, size on disk, the memory of the facet bitsets, and latency
//! percentiles of searches with two filters, all facets and a sort, and of
//! text searches with one filter.
//!
//! `cargo run --release -p search --example search_bench -- 100000 [searches]`

use std::path::Path;
use std::time::{Duration, Instant};

use domain::ProductId;
use domain::money::Money;
use domain::product::{Gender, Product, ProductMetadata, SizeStock};
use search::{ProductIndex, SearchError, SearchQuery, Sort};
use time::OffsetDateTime;
use uuid::Uuid;

#[path = "../tests/support/rng.rs"]
mod rng;
use rng::Rng;

const ADJECTIVES: [&str; 16] = [
    "Slim",
    "Classic",
    "Relaxed",
    "Printed",
    "Striped",
    "Solid",
    "Casual",
    "Formal",
    "Vintage",
    "Floral",
    "Checked",
    "Washed",
    "Cropped",
    "Oversized",
    "Textured",
    "Embroidered",
];
const MATERIALS: [&str; 10] =
    ["Cotton", "Denim", "Linen", "Silk", "Wool", "Leather", "Polyester", "Khadi", "Rayon", "Velvet"];
const CATEGORIES: [&str; 40] = [
    "Tshirts",
    "Shirts",
    "Jeans",
    "Trousers",
    "Shorts",
    "Jackets",
    "Sweaters",
    "Sweatshirts",
    "Kurtas",
    "Sarees",
    "Dresses",
    "Skirts",
    "Tops",
    "Leggings",
    "Blazers",
    "Suits",
    "Shoes",
    "Sandals",
    "Heels",
    "Flats",
    "Sneakers",
    "Boots",
    "Belts",
    "Wallets",
    "Handbags",
    "Backpacks",
    "Watches",
    "Sunglasses",
    "Caps",
    "Scarves",
    "Socks",
    "Innerwear",
    "Nightwear",
    "Track Pants",
    "Kurtis",
    "Dupattas",
    "Jumpsuits",
    "Capris",
    "Waistcoats",
    "Lehenga",
];
const COLOURS: [&str; 24] = [
    "Black",
    "White",
    "Blue",
    "Navy Blue",
    "Red",
    "Green",
    "Grey",
    "Brown",
    "Beige",
    "Pink",
    "Purple",
    "Yellow",
    "Orange",
    "Maroon",
    "Olive",
    "Teal",
    "Cream",
    "Silver",
    "Gold",
    "Khaki",
    "Magenta",
    "Peach",
    "Mustard",
    "Charcoal",
];
const SIZES: [&str; 8] = ["XS", "S", "M", "L", "XL", "XXL", "28", "32"];
const BRANDS: usize = 300;

fn synthetic(n: u64, rng: &mut Rng) -> Product {
    let category = CATEGORIES[rng.skewed(CATEGORIES.len())];
    let brand = format!("Brand {:03}", rng.skewed(BRANDS));
    let title = format!(
        "{} {} {} {}",
        ADJECTIVES[rng.below(ADJECTIVES.len())],
        MATERIALS[rng.below(MATERIALS.len())],
        COLOURS[rng.below(COLOURS.len())],
        category
    );
    // 199 to ~20,000 rupees, most under 3,000.
    let price_rupees = 199 + (rng.below(3000) * rng.below(7).max(1)) as i64;
    let discount = [0, 0, 10, 20, 30, 40, 50, 60][rng.below(8)];
    let original = price_rupees * 100 / (100 - discount);
    let sizes = (0..rng.below(5) + 1)
        .map(|_| SizeStock { size: SIZES[rng.below(SIZES.len())].to_owned(), stock: rng.below(4) as u32 })
        .collect();
    let created = OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(1_600_000_000 + rng.below(100_000_000) as i64);
    Product {
        id: ProductId(Uuid::from_u64_pair(rng.next(), n)),
        sku: format!("SKU{n}"),
        title,
        brand,
        category: category.to_owned(),
        price: Money::inr(price_rupees * 100),
        original_price: Money::inr(original * 100),
        images: Vec::new(),
        description: format!(
            "A {} piece in {} for everyday wear.",
            MATERIALS[rng.below(MATERIALS.len())].to_lowercase(),
            COLOURS[rng.below(COLOURS.len())].to_lowercase()
        ),
        rating: (rng.below(10) > 0).then(|| 1.0 + (rng.below(41) as f32) / 10.0),
        reviews: rng.below(500) as u32,
        metadata: ProductMetadata {
            gender: Some(Gender::ALL[rng.skewed(Gender::ALL.len())]),
            category_path: vec!["Apparel".into(), category.into()],
            article_type: Some(category.into()),
            colour: Some(COLOURS[rng.skewed(COLOURS.len())].into()),
            sizes,
            season: None,
            usage: Some("Casual".into()),
            tags: Vec::new(),
            year: Some(2020 + rng.below(6) as i32),
        },
        created_at: created,
        updated_at: created,
    }
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|entry| match entry.metadata() {
                    Ok(meta) if meta.is_dir() => dir_size(&entry.path()),
                    Ok(meta) => meta.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(rank).copied().unwrap_or_default()
}

/// Two filters, all facets (always computed), a sort.
fn filtered_query(rng: &mut Rng) -> SearchQuery {
    let sorts = [Sort::PriceAsc, Sort::PriceDesc, Sort::Rating, Sort::Newest, Sort::Discount];
    let mut query = SearchQuery { sort: sorts[rng.below(sorts.len())], limit: 20, ..SearchQuery::default() };
    match rng.below(3) {
        0 => {
            query.gender = vec![Gender::ALL[rng.skewed(Gender::ALL.len())]];
            query.category = vec![CATEGORIES[rng.skewed(CATEGORIES.len())].into()];
        }
        1 => {
            query.brand = vec![format!("Brand {:03}", rng.skewed(BRANDS))];
            query.min_price_minor = Some(50_000);
            query.max_price_minor = Some(200_000);
        }
        _ => {
            query.colour = vec![COLOURS[rng.skewed(COLOURS.len())].into()];
            query.size = vec![SIZES[rng.below(SIZES.len())].into()];
        }
    }
    query
}

/// Text, one filter, relevance.
fn text_query(rng: &mut Rng) -> SearchQuery {
    let words = [
        format!("{} {}", MATERIALS[rng.below(MATERIALS.len())], CATEGORIES[rng.below(CATEGORIES.len())]),
        format!(
            "{} {}",
            ADJECTIVES[rng.below(ADJECTIVES.len())].to_lowercase(),
            &MATERIALS[rng.below(MATERIALS.len())][..3]
        ),
        "jakcet".to_owned(),
    ];
    SearchQuery {
        text: Some(words[rng.below(words.len())].clone()),
        gender: vec![Gender::ALL[rng.skewed(Gender::ALL.len())]],
        limit: 20,
        ..SearchQuery::default()
    }
}

fn measure(
    index: &ProductIndex,
    label: &str,
    searches: usize,
    make: fn(&mut Rng) -> SearchQuery,
) -> Result<(), SearchError> {
    let mut rng = Rng(0x5eed);
    let queries: Vec<SearchQuery> = (0..searches).map(|_| make(&mut rng)).collect();
    for query in queries.iter().take(50) {
        index.search(query)?;
    }
    let mut times = Vec::with_capacity(searches);
    let mut hits = 0u64;
    for query in &queries {
        let start = Instant::now();
        let page = index.search(query)?;
        times.push(start.elapsed());
        hits += page.total;
    }
    times.sort_unstable();
    println!(
        "{label}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, mean matches {}",
        percentile(&times, 0.50).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        hits / searches.max(1) as u64,
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100_000);
    let searches: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1000);

    let dir = tempfile::tempdir()?;
    let path = dir.path().join("index");
    let index = ProductIndex::open_in_dir(&path)?;

    let mut rng = Rng(0x00c0_ffee);
    let start = Instant::now();
    let count = index.clear_and_rebuild((0..n).map(|i| synthetic(i, &mut rng)))?;
    let indexed = start.elapsed();
    println!(
        "indexed {count} products in {:.1} s ({:.0}/s), {:.1} MB on disk",
        indexed.as_secs_f64(),
        count as f64 / indexed.as_secs_f64(),
        dir_size(&path) as f64 / 1e6
    );
    println!("facet bitsets in memory: {:.1} MB", index.facet_memory_bytes() as f64 / 1e6);
    measure(&index, "two filters + facets + sort", searches, filtered_query)?;
    measure(&index, "text + filter + facets, relevance", searches, text_query)?;

    let start = Instant::now();
    index.optimize()?;
    println!(
        "merged into one segment in {:.1} s, {:.1} MB on disk",
        start.elapsed().as_secs_f64(),
        dir_size(&path) as f64 / 1e6
    );
    println!("facet bitsets in memory: {:.1} MB", index.facet_memory_bytes() as f64 / 1e6);
    measure(&index, "two filters + facets + sort (merged)", searches, filtered_query)?;
    measure(&index, "text + filter + facets, relevance (merged)", searches, text_query)?;
    Ok(())
}
