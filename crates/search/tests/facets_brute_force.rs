//! Totals, facet counts and result sets of random queries on a random
//! catalog, compared with a brute-force count over the products themselves:
//! several segments, deleted and replaced products, with and without text,
//! and after merging into a segment large enough for the price prefix
//! bitsets.
#![expect(clippy::unwrap_used, reason = "helpers outside #[test] functions stop the test loudly, like the tests do")]

use std::collections::{BTreeSet, HashMap};

use domain::ProductId;
use domain::money::Money;
use domain::product::{Gender, Product, ProductMetadata, SizeStock};
use search::{FACET_TOP, FacetCount, Facets, PRICE_BUCKETS_MINOR, PriceBucket, ProductIndex, SearchQuery, Sort};
use time::OffsetDateTime;
use uuid::Uuid;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

/// Case and space variants on purpose: filters fold them, facets show them
/// as written.
const COLOURS: [&str; 9] = ["Red", "RED", "Blue", "Navy Blue", " Green ", "Black", "White", "Grey", "Pink"];
const CATEGORIES: [&str; 8] = ["Shirts", "Jeans", "Kurtas", "Sarees", "Shoes", "Caps", "Tops", "Dresses"];
const SIZES: [&str; 9] = ["XS", "S", "M", "m", "L", "XL", "28", "32", " 30 "];
/// One distinctive word per title (or none), so that text matches are known.
const WORDS: [&str; 4] = ["zebra", "mango", "quartz", "plain"];
const BRANDS: usize = 60;

fn brand_name(n: usize) -> String {
    // An empty brand is not indexed as a facet value.
    if n == 59 { "  ".to_owned() } else { format!("Brand {n:02}") }
}

fn random_product(n: u64, rng: &mut Rng) -> Product {
    let word = WORDS[rng.below(WORDS.len())];
    let category = CATEGORIES[rng.skewed(CATEGORIES.len())];
    let price = [10_000, 49_999, 50_000, 99_999, 100_000, 150_000, 200_000, 200_001, 499_999, 500_000, 900_000]
        [rng.below(11)]
        + (rng.below(3) as i64 - 1) * 100 * rng.below(200) as i64;
    let sizes = (0..rng.below(4))
        .map(|_| SizeStock { size: rng.pick(&SIZES).to_owned(), stock: rng.below(3) as u32 })
        .collect();
    let created = OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(1_600_000_000 + rng.below(1_000_000) as i64);
    Product {
        id: ProductId(Uuid::from_u64_pair(n, rng.next())),
        sku: format!("SKU{n}"),
        title: format!("{word} item"),
        brand: brand_name(rng.skewed(BRANDS)),
        category: category.to_owned(),
        price: Money::inr(price.max(0)),
        original_price: Money::inr(price.max(0) + 10_000),
        images: Vec::new(),
        description: String::new(),
        rating: (rng.below(5) > 0).then(|| 1.0 + rng.below(9) as f32 / 2.0),
        reviews: 0,
        metadata: ProductMetadata {
            gender: (rng.below(10) > 0).then(|| Gender::ALL[rng.skewed(Gender::ALL.len())]),
            category_path: vec!["Apparel".into(), category.into()],
            colour: (rng.below(10) > 0).then(|| COLOURS[rng.skewed(COLOURS.len())].to_owned()),
            sizes,
            ..ProductMetadata::default()
        },
        created_at: created,
        updated_at: created,
    }
}

// ------------------------------------------------------------ brute force

fn fold(value: &str) -> String {
    value.trim().to_lowercase()
}

/// The keyword facet values of a product as indexed (trimmed, as written),
/// in the order brand, category, gender, colour, size.
fn keyword_values(p: &Product) -> [Vec<String>; 5] {
    let one = |value: &str| if value.trim().is_empty() { Vec::new() } else { vec![value.trim().to_owned()] };
    let mut sizes: Vec<String> = Vec::new();
    for size in p.metadata.sizes.iter().filter(|s| s.stock > 0) {
        let name = size.size.trim();
        if !name.is_empty() && !sizes.iter().any(|s| s.eq_ignore_ascii_case(name)) {
            sizes.push(name.to_owned());
        }
    }
    [
        one(&p.brand),
        one(&p.category),
        p.metadata.gender.map(|g| vec![g.as_str().to_owned()]).unwrap_or_default(),
        p.metadata.colour.as_deref().map(one).unwrap_or_default(),
        sizes,
    ]
}

fn bucket(price: i64) -> usize {
    PRICE_BUCKETS_MINOR.iter().rposition(|lower| price >= *lower).unwrap_or(0)
}

fn filter_values(query: &SearchQuery) -> [Vec<String>; 5] {
    [
        query.brand.iter().map(|v| fold(v)).collect(),
        query.category.iter().map(|v| fold(v)).collect(),
        query.gender.iter().map(|g| g.as_str().to_owned()).collect(),
        query.colour.iter().map(|v| fold(v)).collect(),
        query.size.iter().map(|v| fold(v)).collect(),
    ]
}

/// Bit per facet dimension (keyword facets, then price) whose filter `p` fails,
/// or `None` when the text or rating condition already excludes it.
fn failed(p: &Product, query: &SearchQuery) -> Option<u8> {
    if let Some(text) = &query.text
        && !p.title.split(' ').any(|word| word == text)
    {
        return None;
    }
    if let Some(min) = query.min_rating {
        let hundredths = |r: f32| (f64::from(r) * 100.0).round() as i64;
        if p.rating.is_none_or(|r| hundredths(r) < hundredths(min)) {
            return None;
        }
    }
    let mut failed = 0u8;
    for (dim, (accepted, values)) in filter_values(query).iter().zip(keyword_values(p)).enumerate() {
        if !accepted.is_empty() && !values.iter().any(|v| accepted.contains(&fold(v))) {
            failed |= 1 << dim;
        }
    }
    let price = p.price.minor;
    if (query.min_price_minor.is_some() || query.max_price_minor.is_some())
        && (price < query.min_price_minor.unwrap_or(i64::MIN) || price > query.max_price_minor.unwrap_or(i64::MAX))
    {
        failed |= 1 << 5;
    }
    Some(failed)
}

fn top(counts: HashMap<String, u64>) -> Vec<FacetCount> {
    let mut values: Vec<FacetCount> = counts.into_iter().map(|(value, count)| FacetCount { value, count }).collect();
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    values.truncate(FACET_TOP);
    values
}

struct Expected {
    total: u64,
    facets: Facets,
    /// Full matches by price, then id.
    by_price: Vec<ProductId>,
}

fn brute_force(products: &[Product], query: &SearchQuery) -> Expected {
    let mut keyword: [HashMap<String, u64>; 5] = Default::default();
    let mut price = [0u64; PRICE_BUCKETS_MINOR.len()];
    let mut matches: Vec<&Product> = Vec::new();
    for p in products {
        let Some(failed) = failed(p, query) else { continue };
        let counts_for = |dim: usize| failed & !(1u8 << dim) == 0;
        for (dim, values) in keyword_values(p).into_iter().enumerate() {
            if counts_for(dim) {
                for value in values {
                    *keyword[dim].entry(value).or_insert(0) += 1;
                }
            }
        }
        if counts_for(5) {
            price[bucket(p.price.minor)] += 1;
        }
        if failed == 0 {
            matches.push(p);
        }
    }
    matches.sort_by_key(|p| (p.price.minor, p.id));
    let [brand, category, gender, colour, size] = keyword.map(top);
    let price = PRICE_BUCKETS_MINOR
        .iter()
        .enumerate()
        .map(|(i, min)| PriceBucket {
            min_minor: *min,
            max_minor: PRICE_BUCKETS_MINOR.get(i + 1).copied(),
            count: price[i],
        })
        .collect();
    Expected {
        total: matches.len() as u64,
        facets: Facets { brand, category, gender, colour, size, price },
        by_price: matches.iter().map(|p| p.id).collect(),
    }
}

// ------------------------------------------------------------ queries

fn random_query(rng: &mut Rng) -> SearchQuery {
    let mut query = SearchQuery { limit: 20, ..SearchQuery::default() };
    let values = |rng: &mut Rng, all: &[&str], unknown: &str| -> Vec<String> {
        (0..1 + rng.below(3))
            .map(|_| if rng.below(12) == 0 { unknown.to_owned() } else { all[rng.below(all.len())].to_owned() })
            .collect()
    };
    let brands: Vec<String> = (0..BRANDS).map(brand_name).collect();
    let brands: Vec<&str> = brands.iter().map(String::as_str).collect();
    // Each filter on about half the time, so that all combinations occur.
    if rng.below(2) == 0 {
        query.brand = values(rng, &brands, "Nobody");
    }
    if rng.below(2) == 0 {
        query.category = values(rng, &CATEGORIES, "Hats");
    }
    if rng.below(2) == 0 {
        query.gender = (0..1 + rng.below(2)).map(|_| Gender::ALL[rng.below(Gender::ALL.len())]).collect();
    }
    if rng.below(2) == 0 {
        query.colour = values(rng, &["red", "BLUE", "green", "Navy blue", "black", "white", "grey"], "Teal");
    }
    if rng.below(2) == 0 {
        query.size = values(rng, &["m", "xs", "L", "30", "28", "xl"], "XXXL");
    }
    if rng.below(2) == 0 {
        let bounds = [0, 10_000, 49_999, 50_000, 120_000, 200_000, 200_001, 480_000, 500_000, 2_000_000];
        let a = bounds[rng.below(bounds.len())];
        let b = bounds[rng.below(bounds.len())];
        match rng.below(3) {
            0 => query.min_price_minor = Some(a.min(b)),
            1 => query.max_price_minor = Some(a.max(b)),
            _ => (query.min_price_minor, query.max_price_minor) = (Some(a.min(b)), Some(a.max(b))),
        }
    }
    if rng.below(3) == 0 {
        query.text = Some(WORDS[rng.below(3)].to_owned());
    }
    if rng.below(4) == 0 {
        query.min_rating = Some(3.5);
    }
    query.sort = if rng.below(2) == 0 { Sort::PriceAsc } else { Sort::Relevance };
    query
}

fn check(index: &ProductIndex, products: &[Product], query: &SearchQuery, label: &str) {
    let expected = brute_force(products, query);
    let page = index.search(query).unwrap();
    assert_eq!(page.total, expected.total, "{label}: total of {query:?}");
    assert_eq!(page.facets, expected.facets, "{label}: facets of {query:?}");
    if query.sort == Sort::PriceAsc {
        let n = expected.by_price.len().min(query.limit);
        assert_eq!(page.ids, expected.by_price[..n], "{label}: first page of {query:?}");
    } else {
        // Every full match, once, across the pages.
        let mut query = SearchQuery { limit: 100, ..query.clone() };
        let mut seen = BTreeSet::new();
        loop {
            let page = index.search(&query).unwrap();
            for id in &page.ids {
                assert!(seen.insert(*id), "{label}: {id:?} twice");
            }
            match page.next_cursor {
                Some(cursor) => query.cursor = Some(cursor),
                None => break,
            }
        }
        assert_eq!(seen, expected.by_price.iter().copied().collect(), "{label}: all pages of {query:?}");
    }
}

fn check_many(index: &ProductIndex, products: &[Product], rng: &mut Rng, label: &str) {
    let mut fixed = vec![
        SearchQuery::default(),
        SearchQuery { gender: vec![Gender::Men], category: vec!["shirts".into()], ..SearchQuery::default() },
        SearchQuery {
            brand: vec!["brand 00".into()],
            min_price_minor: Some(50_000),
            max_price_minor: Some(200_000),
            ..SearchQuery::default()
        },
        SearchQuery {
            colour: vec!["red".into()],
            size: vec!["M".into()],
            sort: Sort::PriceAsc,
            ..SearchQuery::default()
        },
        SearchQuery { text: Some("zebra".into()), gender: vec![Gender::Women], ..SearchQuery::default() },
        SearchQuery {
            text: Some("mango".into()),
            brand: vec!["Brand 01".into()],
            colour: vec!["BLUE".into()],
            ..SearchQuery::default()
        },
    ];
    fixed.extend((0..60).map(|_| random_query(rng)));
    for query in &fixed {
        check(index, products, query, label);
    }
}

#[test]
fn facet_counts_match_a_brute_force_count_across_segments_deletes_and_merges() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let index = ProductIndex::in_ram().unwrap();
    let mut products: Vec<Product> = Vec::new();
    // Several segments of different sizes. The writer's two threads split
    // the first batch; segments large enough for the price prefix bitsets
    // (4,096 documents) come from merges, and at the latest from `optimize`.
    for batch in [5_000u64, 700, 300, 41] {
        let start = products.len() as u64;
        let new: Vec<Product> = (start..start + batch).map(|n| random_product(n, &mut rng)).collect();
        index.upsert(&new).unwrap();
        index.commit().unwrap();
        products.extend(new);
    }
    assert_eq!(index.doc_count(), products.len() as u64);
    check_many(&index, &products, &mut rng, "segments");

    // Deletes and replacements (a replacement deletes the old document).
    let mut deleted = Vec::new();
    products.retain(|p| {
        let keep = rng.below(10) != 0;
        if !keep {
            deleted.push(p.id);
        }
        keep
    });
    index.delete(&deleted).unwrap();
    let mut changed = Vec::new();
    for (i, p) in products.iter_mut().enumerate() {
        if i % 17 == 0 {
            let fresh = random_product(i as u64, &mut rng);
            p.brand = fresh.brand;
            p.price = fresh.price;
            p.metadata.colour = fresh.metadata.colour;
            p.metadata.sizes = fresh.metadata.sizes;
            changed.push(p.clone());
        }
    }
    index.upsert(&changed).unwrap();
    index.commit().unwrap();
    assert_eq!(index.doc_count(), products.len() as u64);
    check_many(&index, &products, &mut rng, "deletes");

    index.optimize().unwrap();
    check_many(&index, &products, &mut rng, "merged");
}
