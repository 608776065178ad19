//! The demo catalog: a deterministic, plausible Indian fashion shop generated
//! from a seed, so that a first start shows a full shop and tests have a
//! catalog of known shape. Brands are invented; prices, discounts, ratings,
//! size runs and stock follow what such a shop looks like. Images point at
//! `/images/demo/…` paths that [`image_svg`] renders, so the shop needs no
//! outside URL.
//!
//! The same `(count, seed)` always gives the same products (ChaCha8, a named
//! generator, rather than `StdRng`, whose algorithm may change between rand
//! releases), and `generate(n, seed)` is a prefix of `generate(n + k, seed)`.

mod art;
mod table;

use domain::money::Money;
use domain::product::{Gender, ProductMetadata, SizeStock};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::ProductDraft;
pub use art::{ImageView, image_for_path, image_svg};
use table::{ARTICLE_TYPES, ArticleType, COLOURS, Colour, KIDS_BRANDS, SizeRun};

/// Slugs of every article type the demo catalog uses, e.g. `"rain-jackets"`.
pub fn article_type_slugs() -> impl Iterator<Item = &'static str> {
    ARTICLE_TYPES.iter().map(|t| t.slug)
}

/// Slugs of every colour the demo catalog uses, e.g. `"navy-blue"`.
pub fn colour_slugs() -> impl Iterator<Item = &'static str> {
    COLOURS.iter().map(|c| c.slug)
}

/// `count` demo products, deterministic from `seed`, with skus `DEMO-000001`,
/// `DEMO-000002`, … Lazily generated: memory does not grow with `count`.
pub fn generate(count: usize, seed: u64) -> impl Iterator<Item = ProductDraft> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (1..=count).map(move |n| product(&mut rng, n))
}

/// Paths of the two views of a demo product's picture.
pub fn image_paths(article_type_slug: &str, colour_slug: &str) -> [String; 2] {
    [
        format!("/images/demo/{article_type_slug}/{colour_slug}.svg"),
        format!("/images/demo/{article_type_slug}/{colour_slug}-back.svg"),
    ]
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn pick_type(rng: &mut ChaCha8Rng) -> &'static ArticleType {
    let total: u32 = ARTICLE_TYPES.iter().map(|t| t.weight).sum();
    let mut roll = rng.random_range(0..total);
    for t in ARTICLE_TYPES {
        if roll < t.weight {
            return t;
        }
        roll -= t.weight;
    }
    &ARTICLE_TYPES[0]
}

fn gender_word(g: Gender) -> &'static str {
    match g {
        Gender::Men => "Men",
        Gender::Women => "Women",
        Gender::Boys => "Boys",
        Gender::Girls => "Girls",
        Gender::Unisex => "Unisex",
    }
}

fn is_kid(g: Gender) -> bool {
    matches!(g, Gender::Boys | Gender::Girls)
}

/// Rounds a rupee amount to a shop price: `…99` above ₹1,000, `…9` below.
fn shop_price(rupees: u32) -> u32 {
    if rupees >= 1000 { (rupees / 100).max(1) * 100 + 99 } else { (rupees / 10).max(1) * 10 + 9 }
}

fn sizes(rng: &mut ChaCha8Rng, run: SizeRun, gender: Gender) -> Vec<SizeStock> {
    const TOPS: &[&str] = &["XS", "S", "M", "L", "XL", "XXL"];
    const WAIST: &[&str] = &["28", "30", "32", "34", "36", "38", "40"];
    const SHOES: &[&str] = &["UK6", "UK7", "UK8", "UK9", "UK10", "UK11"];
    const WOMEN_SHOES: &[&str] = &["UK3", "UK4", "UK5", "UK6", "UK7", "UK8"];
    const KIDS: &[&str] =
        &["2-3Y", "3-4Y", "4-5Y", "5-6Y", "6-7Y", "7-8Y", "8-9Y", "9-10Y", "10-11Y", "11-12Y", "12-13Y"];
    const KIDS_SHOES: &[&str] = &["UK10C", "UK11C", "UK12C", "UK13C", "UK1", "UK2", "UK3", "UK4", "UK5"];
    const ONESIZE: &[&str] = &["Onesize"];
    let all = match run {
        SizeRun::Tops | SizeRun::Waist if is_kid(gender) => KIDS,
        SizeRun::Shoes if is_kid(gender) => KIDS_SHOES,
        SizeRun::Tops => TOPS,
        SizeRun::Waist => WAIST,
        SizeRun::Shoes if gender == Gender::Women => WOMEN_SHOES,
        SizeRun::Shoes => SHOES,
        SizeRun::Onesize => ONESIZE,
    };
    // A shop rarely carries a whole run: a contiguous stretch of it.
    let len = if all.len() <= 2 { all.len() } else { rng.random_range(all.len() - 2..=all.len()) };
    let start = rng.random_range(0..=all.len() - len);
    all[start..start + len]
        .iter()
        .map(|size| {
            let stock = if rng.random_bool(0.15) { 0 } else { rng.random_range(1..=40) };
            SizeStock { size: (*size).to_owned(), stock }
        })
        .collect()
}

fn product(rng: &mut ChaCha8Rng, n: usize) -> ProductDraft {
    let t = pick_type(rng);
    let gender = *pick(rng, t.genders);
    let brand = if is_kid(gender) && rng.random_bool(0.5) { *pick(rng, KIDS_BRANDS) } else { *pick(rng, t.brands) };
    let style = *pick(rng, t.styles);
    let colour: &Colour = if t.tech { pick(rng, &COLOURS[..4]) } else { pick(rng, COLOURS) };
    let season = *pick(rng, t.seasons);
    let usage = *pick(rng, t.usages);
    let material = *pick(rng, t.materials);
    let feature = *pick(rng, t.features);

    let (lo, hi) = t.price;
    let original = shop_price(rng.random_range(lo..=hi));
    let discount: u32 = if rng.random_bool(0.25) { 0 } else { rng.random_range(2..=14) * 5 };
    let price = if discount == 0 {
        original
    } else {
        // Never round up past the original: the discount is at least what it says.
        shop_price(original * (100 - discount) / 100).min(original)
    };

    let rated = rng.random_bool(0.9);
    let rating = rated.then(|| f32::from(rng.random_range(30u8..=49)) / 10.0);
    let reviews = if rated {
        // Most products have a few dozen reviews, a few have thousands.
        let scale = *pick(rng, &[20u32, 80, 300, 1500, 6000]);
        rng.random_range(3..=scale)
    } else {
        0
    };

    let who = gender_word(gender);
    let title = format!("{brand} {who} {} {style} {}", colour.name, t.singular);
    let for_whom = match gender {
        Gender::Men => "men",
        Gender::Women => "women",
        Gender::Boys => "boys",
        Gender::Girls => "girls",
        Gender::Unisex => "everyone",
    };
    let description = format!(
        "{} {} {} for {for_whom}. {feature}. Made of {material}. Ideal for {} wear{}.",
        colour.name,
        style.to_lowercase(),
        t.singular.to_lowercase(),
        usage.to_lowercase(),
        match season {
            "All season" => " all year round".to_owned(),
            s => format!(" in {}", s.to_lowercase()),
        }
    );

    let mut tags: Vec<String> = t.tags.iter().map(|s| (*s).to_owned()).collect();
    if is_kid(gender) {
        tags.push("kids".into());
    }
    if discount >= 50 {
        tags.push("sale".into());
    }
    let usage_tag = usage.to_lowercase();
    if !tags.contains(&usage_tag) {
        tags.push(usage_tag);
    }

    ProductDraft {
        sku: format!("DEMO-{n:06}"),
        title,
        brand: brand.to_owned(),
        category: t.path[2].to_owned(),
        price: Money::inr(i64::from(price) * 100),
        original_price: Money::inr(i64::from(original) * 100),
        images: image_paths(t.slug, colour.slug).into(),
        description,
        rating,
        reviews,
        metadata: ProductMetadata {
            gender: Some(gender),
            category_path: t.path.iter().map(|s| (*s).to_owned()).collect(),
            article_type: Some(t.name.to_owned()),
            colour: Some(colour.name.to_owned()),
            sizes: sizes(rng, t.sizes, gender),
            season: Some(season.to_owned()),
            usage: Some(usage.to_owned()),
            tags,
            year: Some(rng.random_range(2023..=2026)),
        },
    }
}
