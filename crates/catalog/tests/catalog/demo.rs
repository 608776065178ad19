use std::collections::{BTreeSet, HashSet};

use catalog::demo::{self, ImageView};
use domain::product::Gender;

#[test]
fn the_same_seed_gives_the_same_catalog() {
    let a: Vec<_> = demo::generate(300, 42).collect();
    let b: Vec<_> = demo::generate(300, 42).collect();
    assert_eq!(a, b);
    assert_eq!(a[0].sku, "DEMO-000001");
    assert_eq!(a[299].sku, "DEMO-000300");
}

#[test]
fn a_different_seed_gives_a_different_catalog() {
    let a: Vec<_> = demo::generate(50, 1).map(|p| p.title).collect();
    let b: Vec<_> = demo::generate(50, 2).map(|p| p.title).collect();
    assert_ne!(a, b);
}

#[test]
fn a_short_catalog_is_the_start_of_a_longer_one() {
    let short: Vec<_> = demo::generate(20, 9).collect();
    let long: Vec<_> = demo::generate(100, 9).take(20).collect();
    assert_eq!(short, long);
}

#[test]
fn every_demo_product_is_valid_sized_priced_and_pictured() {
    for p in demo::generate(2000, 7) {
        p.validate().unwrap_or_else(|e| panic!("{}: {e}", p.sku));
        assert!(!p.metadata.sizes.is_empty(), "{} has no sizes", p.sku);
        assert!(p.price.minor > 0 && p.price.minor % 100 == 0, "{} price {:?}", p.sku, p.price);
        assert!(p.original_price.minor >= p.price.minor);
        assert!(p.discount_percent() <= 70, "{} is {}% off", p.sku, p.discount_percent());
        match p.rating {
            Some(r) => {
                assert!((3.0..=4.9).contains(&r), "{} rated {r}", p.sku);
                assert!(p.reviews > 0);
            }
            None => assert_eq!(p.reviews, 0),
        }
        assert!(!p.brand.is_empty() && !p.description.is_empty());
        assert!(p.title.starts_with(&p.brand));
        assert_eq!(p.metadata.category_path.len(), 3);
        assert_eq!(p.metadata.category_path.last(), Some(&p.category));
        assert_eq!(p.images.len(), 2);
        for image in &p.images {
            assert!(demo::image_for_path(image).is_some(), "no picture at {image}");
        }
    }
}

#[test]
fn the_demo_catalog_looks_like_a_real_shop() {
    let products: Vec<_> = demo::generate(4000, 3).collect();
    let genders: HashSet<Gender> = products.iter().filter_map(|p| p.metadata.gender).collect();
    assert_eq!(genders.len(), 5, "every gender appears");

    let discounted = products.iter().filter(|p| p.discount_percent() > 0).count();
    assert!((2000..3600).contains(&discounted), "{discounted} discounted");
    assert!(products.iter().any(|p| p.discount_percent() >= 60));
    let unrated = products.iter().filter(|p| p.rating.is_none()).count();
    assert!((100..800).contains(&unrated), "{unrated} unrated");
    let sold_out_sizes = products.iter().flat_map(|p| &p.metadata.sizes).filter(|s| s.stock == 0).count();
    assert!(sold_out_sizes > 500, "some sizes are sold out");

    let seasons: BTreeSet<_> = products.iter().filter_map(|p| p.metadata.season.as_deref()).collect();
    assert_eq!(seasons, BTreeSet::from(["All season", "Fall", "Spring", "Summer", "Winter"]));
    let usages: BTreeSet<_> = products.iter().filter_map(|p| p.metadata.usage.as_deref()).collect();
    assert_eq!(usages, BTreeSet::from(["Casual", "Ethnic", "Formal", "Party", "Sports", "Travel"]));

    let types: HashSet<_> = products.iter().filter_map(|p| p.metadata.article_type.as_deref()).collect();
    for needed in [
        "Shirts",
        "Tshirts",
        "Jeans",
        "Kurtas",
        "Sarees",
        "Dresses",
        "Jackets",
        "Sweaters",
        "Rain Jackets",
        "Swimsuits",
        "Blazers",
        "Sneakers",
        "Sandals",
        "Backpacks",
        "Document Pouches",
        "Toiletry Kits",
        "Power Banks",
        "Chargers",
        "Umbrellas",
        "Sunglasses",
        "Caps",
        "Socks",
        "Trolley Bags",
    ] {
        assert!(types.contains(needed), "no {needed}");
    }
    let top_level: BTreeSet<_> = products.iter().map(|p| p.metadata.category_path[0].as_str()).collect();
    assert_eq!(top_level, BTreeSet::from(["Accessories", "Apparel", "Footwear"]));
}

#[test]
fn size_runs_follow_the_article_type_and_the_wearer() {
    for p in demo::generate(3000, 11) {
        let sizes: Vec<&str> = p.metadata.sizes.iter().map(|s| s.size.as_str()).collect();
        let kid = matches!(p.metadata.gender, Some(Gender::Boys | Gender::Girls));
        let path = &p.metadata.category_path;
        match (path[0].as_str(), p.category.as_str()) {
            ("Accessories", _) | (_, "Sarees") => assert_eq!(sizes, ["Onesize"], "{}", p.title),
            ("Footwear", _) => assert!(sizes.iter().all(|s| s.starts_with("UK")), "{}: {sizes:?}", p.title),
            ("Apparel", _) if kid => assert!(sizes.iter().all(|s| s.ends_with('Y')), "{}: {sizes:?}", p.title),
            ("Apparel", "Jeans" | "Trousers") => {
                assert!(sizes.iter().all(|s| s.parse::<u32>().is_ok_and(|w| (28..=40).contains(&w))), "{sizes:?}")
            }
            ("Apparel", _) => {
                assert!(sizes.iter().all(|s| ["XS", "S", "M", "L", "XL", "XXL"].contains(s)), "{}: {sizes:?}", p.title)
            }
            other => panic!("unexpected category {other:?}"),
        }
    }
}

#[test]
fn every_article_type_has_a_small_picture_in_every_colour() {
    let types: Vec<_> = demo::article_type_slugs().collect();
    let colours: Vec<_> = demo::colour_slugs().collect();
    assert!(types.len() >= 40 && colours.len() >= 20);
    for t in &types {
        for c in &colours {
            for view in [ImageView::Front, ImageView::Back] {
                let svg = demo::image_svg(t, c, view).unwrap_or_else(|| panic!("no picture for {t}/{c}"));
                assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{t}/{c}");
                assert!(svg.ends_with("</svg>"));
                assert!(svg.len() < 2048, "{t}/{c} is {} bytes", svg.len());
            }
        }
    }
    let front = demo::image_for_path("/images/demo/jeans/navy-blue.svg").unwrap();
    let back = demo::image_for_path("/images/demo/jeans/navy-blue-back.svg").unwrap();
    assert_ne!(front, back);
    assert!(front.contains("#24325c"), "filled in navy");
}

#[test]
fn unknown_pictures_are_none() {
    assert_eq!(demo::image_svg("spaceships", "black", ImageView::Front), None);
    assert_eq!(demo::image_svg("jeans", "ultraviolet", ImageView::Front), None);
    for path in ["/images/demo/jeans/black.png", "/images/demo/jeans", "/images/other/jeans/black.svg", ""] {
        assert_eq!(demo::image_for_path(path), None, "{path}");
    }
}
