//! The product index driven through its public API on small in-memory
//! catalogs whose every count is known.
#![expect(clippy::unwrap_used, reason = "helpers outside #[test] functions stop the test loudly, like the tests do")]

use std::collections::HashSet;

use domain::ProductId;
use domain::money::Money;
use domain::product::{Gender, Product, ProductMetadata, SizeStock};
use search::{FacetCount, PriceBucket, ProductIndex, SearchError, SearchPage, SearchQuery, Sort};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

// ---------------------------------------------------------------- builders

struct Build(Product);

/// A product whose id is `n`, so that id order is number order.
fn product(n: u128, title: &str) -> Build {
    let epoch = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
    Build(Product {
        id: id(n),
        sku: format!("SKU-{n}"),
        title: title.to_owned(),
        brand: "Generic".to_owned(),
        category: "Misc".to_owned(),
        price: Money::inr(rupees(100)),
        original_price: Money::inr(rupees(100)),
        images: Vec::new(),
        description: String::new(),
        rating: None,
        reviews: 0,
        metadata: ProductMetadata::default(),
        created_at: epoch,
        updated_at: epoch,
    })
}

impl Build {
    fn brand(mut self, brand: &str) -> Self {
        self.0.brand = brand.to_owned();
        self
    }
    fn category(mut self, category: &str) -> Self {
        self.0.category = category.to_owned();
        self.0.metadata.category_path = vec!["Apparel".to_owned(), category.to_owned()];
        self
    }
    fn gender(mut self, gender: Gender) -> Self {
        self.0.metadata.gender = Some(gender);
        self
    }
    fn colour(mut self, colour: &str) -> Self {
        self.0.metadata.colour = Some(colour.to_owned());
        self
    }
    fn sizes(mut self, sizes: &[(&str, u32)]) -> Self {
        self.0.metadata.sizes =
            sizes.iter().map(|(size, stock)| SizeStock { size: (*size).to_owned(), stock: *stock }).collect();
        self
    }
    /// Price and original price in rupees.
    fn price(mut self, rupees: i64, original: i64) -> Self {
        self.0.price = Money::inr(rupees * 100);
        self.0.original_price = Money::inr(original * 100);
        self
    }
    fn rating(mut self, rating: f32) -> Self {
        self.0.rating = Some(rating);
        self
    }
    fn day(mut self, day: i64) -> Self {
        self.0.created_at = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000 + day);
        self
    }
    fn description(mut self, text: &str) -> Self {
        self.0.description = text.to_owned();
        self
    }
    fn done(self) -> Product {
        self.0
    }
}

/// Minor units of `n` rupees.
fn rupees(n: i64) -> i64 {
    n * 100
}

fn id(n: u128) -> ProductId {
    ProductId(Uuid::from_u128(n))
}

fn numbers(ids: &[ProductId]) -> Vec<u128> {
    ids.iter().map(|id| id.0.as_u128()).collect()
}

/// Thirteen products with known facets, including ties in price, rating,
/// creation time and discount.
fn catalog() -> Vec<Product> {
    use Gender::*;
    vec![
        product(1, "Slim Fit Denim Jeans")
            .brand("Levis")
            .category("Jeans")
            .gender(Men)
            .colour("Blue")
            .sizes(&[("32", 5), ("34", 0)])
            .price(1999, 2999)
            .rating(4.5)
            .day(1)
            .done(),
        product(2, "Classic Denim Jacket")
            .brand("Levis")
            .category("Jackets")
            .gender(Men)
            .colour("Blue")
            .sizes(&[("M", 2), ("L", 1)])
            .price(3499, 3499)
            .rating(4.1)
            .day(2)
            .done(),
        product(3, "Floral Summer Dress")
            .brand("Zara")
            .category("Dresses")
            .gender(Women)
            .colour("Red")
            .sizes(&[("S", 3), ("M", 0)])
            .price(1299, 2599)
            .rating(3.9)
            .day(3)
            .done(),
        product(4, "Cotton Crew T-Shirt")
            .brand("Nike")
            .category("Tshirts")
            .gender(Men)
            .colour("White")
            .sizes(&[("M", 10), ("L", 4)])
            .price(799, 999)
            .rating(4.5)
            .day(4)
            .done(),
        product(5, "Running Shoes Air")
            .brand("Nike")
            .category("Shoes")
            .gender(Women)
            .colour("Black")
            .sizes(&[("6", 2), ("7", 1)])
            .price(5999, 7999)
            .rating(4.7)
            .day(5)
            .done(),
        product(6, "Leather Belt")
            .brand("Woodland")
            .category("Belts")
            .gender(Men)
            .colour("Brown")
            .sizes(&[("Free", 0)])
            .price(499, 499)
            .day(6)
            .done(),
        product(7, "Kids Denim Shorts")
            .brand("Levis")
            .category("Shorts")
            .gender(Boys)
            .colour("Blue")
            .sizes(&[("S", 1)])
            .price(699, 999)
            .rating(4.0)
            .day(7)
            .done(),
        product(8, "Woollen Trousers")
            .brand("Allen Solly")
            .category("Trousers")
            .gender(Men)
            .colour("Grey")
            .sizes(&[("32", 2)])
            .price(2499, 2499)
            .rating(3.5)
            .day(8)
            .description("Pairs well with a denim jacket")
            .done(),
        product(9, "Silk Saree")
            .brand("Fabindia")
            .category("Sarees")
            .gender(Women)
            .colour("Red")
            .sizes(&[("Free", 5)])
            .price(8999, 12999)
            .rating(4.8)
            .day(9)
            .done(),
        product(10, "Sports Bra")
            .brand("Nike")
            .category("Innerwear")
            .gender(Women)
            .colour("Black")
            .sizes(&[("S", 0), ("M", 3)])
            .price(999, 1299)
            .rating(4.2)
            .day(10)
            .done(),
        product(11, "Denim Skirt")
            .brand("Zara")
            .category("Skirts")
            .gender(Girls)
            .colour("Blue")
            .sizes(&[("S", 2)])
            .price(1499, 1499)
            .rating(4.1)
            .day(11)
            .done(),
        product(12, "Café Crème Sweater")
            .brand("Zara")
            .category("Sweaters")
            .gender(Women)
            .colour("Beige")
            .sizes(&[("M", 1)])
            .price(2000, 2500)
            .rating(4.5)
            .day(12)
            .done(),
        product(13, "Basic Tee")
            .brand("Nike")
            .category("Tshirts")
            .gender(Men)
            .colour("White")
            .sizes(&[("M", 1)])
            .price(799, 799)
            .rating(4.5)
            .day(4)
            .done(),
    ]
}

fn indexed(products: &[Product]) -> ProductIndex {
    let index = ProductIndex::in_ram().unwrap();
    index.upsert(products).unwrap();
    index.commit().unwrap();
    index
}

fn query() -> SearchQuery {
    SearchQuery { limit: 100, ..SearchQuery::default() }
}

fn text(words: &str) -> SearchQuery {
    SearchQuery { text: Some(words.to_owned()), ..query() }
}

fn found(index: &ProductIndex, query: &SearchQuery) -> Vec<u128> {
    numbers(&index.search(query).unwrap().ids)
}

fn found_set(index: &ProductIndex, query: &SearchQuery) -> HashSet<u128> {
    found(index, query).into_iter().collect()
}

fn set(numbers: &[u128]) -> HashSet<u128> {
    numbers.iter().copied().collect()
}

fn facet(values: &[(&str, u64)]) -> Vec<FacetCount> {
    values.iter().map(|(value, count)| FacetCount { value: (*value).to_owned(), count: *count }).collect()
}

fn price_counts(page: &SearchPage) -> Vec<u64> {
    page.facets.price.iter().map(|bucket| bucket.count).collect()
}

/// Follows `next_cursor` to the end and returns every id in order.
fn all_pages(index: &ProductIndex, query: &SearchQuery, limit: usize) -> Vec<u128> {
    let mut query = SearchQuery { limit, cursor: None, ..query.clone() };
    let mut ids = Vec::new();
    for _ in 0..10_000 {
        let page = index.search(&query).unwrap();
        assert!(page.ids.len() <= limit);
        ids.extend(numbers(&page.ids));
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => return ids,
        }
    }
    panic!("paging did not end");
}

/// The order a sort must give, computed from the products themselves.
fn expected_order(products: &[Product], sort: Sort) -> Vec<u128> {
    let mut sorted: Vec<&Product> = products.iter().collect();
    let rating = |p: &Product| p.rating.map_or(-1, |r| (f64::from(r) * 100.0).round() as i64);
    sorted.sort_by(|a, b| {
        let by_key = match sort {
            Sort::Relevance => std::cmp::Ordering::Equal,
            Sort::PriceAsc => a.price.minor.cmp(&b.price.minor),
            Sort::PriceDesc => b.price.minor.cmp(&a.price.minor),
            Sort::Rating => rating(b).cmp(&rating(a)),
            Sort::Newest => b.created_at.cmp(&a.created_at),
            Sort::Discount => b.discount_percent().cmp(&a.discount_percent()),
        };
        by_key.then(a.id.cmp(&b.id))
    });
    sorted.iter().map(|p| p.id.0.as_u128()).collect()
}

// ---------------------------------------------------------------- full text

#[test]
fn a_typo_of_one_letter_still_finds_a_long_word() {
    let index = indexed(&catalog());
    // A transposition counts as one edit; 8 mentions a jacket in its
    // description, which weighs less than the title.
    assert_eq!(found(&index, &text("jakcet")), vec![2, 8]);
    // A missing letter.
    assert_eq!(found(&index, &text("trosers")), vec![8]);
    // A wrong letter, not in last position, so no prefix help.
    assert_eq!(found(&index, &text("woolken trousers")), vec![8]);
    assert_eq!(found_set(&index, &text("dneim")), set(&[1, 2, 7, 8, 11]));
}

#[test]
fn a_typo_in_a_word_shorter_than_five_letters_finds_nothing() {
    let index = indexed(&catalog());
    assert_eq!(index.search(&text("bekt")).unwrap().total, 0);
    assert_eq!(index.search(&text("sikl saree")).unwrap().total, 0);
    assert_eq!(found(&index, &text("silk saree")), vec![9]);
}

#[test]
fn two_typos_in_one_word_find_nothing() {
    let index = indexed(&catalog());
    assert_eq!(index.search(&text("jakcte")).unwrap().total, 0);
}

#[test]
fn the_last_word_matches_as_a_prefix() {
    let index = indexed(&catalog());
    assert_eq!(found_set(&index, &text("den")), set(&[1, 2, 7, 8, 11]));
    assert_eq!(found(&index, &text("slim fit den")), vec![1]);
    // Only the last word is a prefix.
    assert_eq!(index.search(&text("den jeans")).unwrap().total, 0);
}

#[test]
fn every_word_of_the_text_must_match() {
    let index = indexed(&catalog());
    assert_eq!(found(&index, &text("denim skirt")), vec![11]);
    assert_eq!(index.search(&text("denim saree")).unwrap().total, 0);
}

#[test]
fn text_ignores_case_and_accents() {
    let index = indexed(&catalog());
    assert_eq!(found(&index, &text("CAFE creme")), vec![12]);
    assert_eq!(found(&index, &text("café CRÈME")), vec![12]);
}

#[test]
fn brand_category_and_colour_are_searchable_as_text() {
    let index = indexed(&catalog());
    assert_eq!(found_set(&index, &text("levis")), set(&[1, 2, 7]));
    assert_eq!(found_set(&index, &text("sarees")), set(&[9]));
    assert_eq!(found_set(&index, &text("black")), set(&[5, 10]));
    assert_eq!(found_set(&index, &text("allen solly")), set(&[8]));
}

#[test]
fn a_title_match_ranks_above_a_description_match() {
    let index = indexed(&catalog());
    let ids = found(&index, &text("denim"));
    assert_eq!(ids.len(), 5);
    assert_eq!(ids.last(), Some(&8), "the description-only match comes last: {ids:?}");
}

#[test]
fn without_text_relevance_orders_by_id() {
    let index = indexed(&catalog());
    assert_eq!(found(&index, &query()), (1..=13).collect::<Vec<_>>());
}

#[test]
fn products_with_equal_scores_come_in_id_order() {
    let products: Vec<Product> = (1..=9).rev().map(|n| product(n, "Plain Linen Shirt").done()).collect();
    let index = indexed(&products);
    assert_eq!(found(&index, &text("linen")), (1..=9).collect::<Vec<_>>());
}

// ---------------------------------------------------------------- filters

#[test]
fn each_filter_keeps_only_matching_products() {
    let index = indexed(&catalog());
    let q = |f: &dyn Fn(&mut SearchQuery)| {
        let mut q = query();
        f(&mut q);
        found_set(&index, &q)
    };
    assert_eq!(q(&|q| q.category = vec!["Jeans".into()]), set(&[1]));
    assert_eq!(q(&|q| q.brand = vec!["levis".into()]), set(&[1, 2, 7]));
    assert_eq!(q(&|q| q.gender = vec![Gender::Women]), set(&[3, 5, 9, 10, 12]));
    assert_eq!(q(&|q| q.colour = vec!["BLUE".into()]), set(&[1, 2, 7, 11]));
    assert_eq!(q(&|q| q.size = vec!["m".into()]), set(&[2, 4, 10, 12, 13]));
    assert_eq!(q(&|q| q.size = vec!["Free".into()]), set(&[9]), "an out-of-stock size does not count");
    assert_eq!(
        q(&|q| {
            q.min_price_minor = Some(rupees(1000));
            q.max_price_minor = Some(rupees(2000));
        }),
        set(&[1, 3, 11, 12]),
        "price bounds are inclusive"
    );
    assert_eq!(q(&|q| q.max_price_minor = Some(rupees(799))), set(&[4, 6, 7, 13]));
    assert_eq!(q(&|q| q.min_rating = Some(4.5)), set(&[1, 4, 5, 9, 12, 13]));
    assert_eq!(q(&|q| q.min_rating = Some(0.0)).len(), 12, "an unrated product never passes");
}

#[test]
fn values_of_one_filter_are_alternatives_and_filters_combine() {
    let index = indexed(&catalog());
    let mut q = query();
    q.brand = vec!["Zara".into(), "Nike".into()];
    assert_eq!(found_set(&index, &q), set(&[3, 4, 5, 10, 11, 12, 13]));
    q.gender = vec![Gender::Women];
    assert_eq!(found_set(&index, &q), set(&[3, 5, 10, 12]));
    q.colour = vec!["black".into()];
    assert_eq!(found_set(&index, &q), set(&[5, 10]));
    q.text = Some("sports".into());
    assert_eq!(found_set(&index, &q), set(&[10]));
}

#[test]
fn a_filter_on_an_unknown_value_matches_nothing() {
    let index = indexed(&catalog());
    let mut q = query();
    q.brand = vec!["Gucci".into()];
    let page = index.search(&q).unwrap();
    assert_eq!(page.total, 0);
    assert!(page.ids.is_empty());
    assert_eq!(page.next_cursor, None);
    // The brand facet ignores the brand filter, so it still lists brands.
    assert_eq!(page.facets.brand.len(), 6);
}

// ---------------------------------------------------------------- facets

#[test]
fn facets_without_filters_count_the_whole_catalog() {
    let index = indexed(&catalog());
    let page = index.search(&query()).unwrap();
    assert_eq!(page.total, 13);
    assert_eq!(
        page.facets.brand,
        facet(&[("Nike", 4), ("Levis", 3), ("Zara", 3), ("Allen Solly", 1), ("Fabindia", 1), ("Woodland", 1)])
    );
    assert_eq!(page.facets.gender, facet(&[("men", 6), ("women", 5), ("boys", 1), ("girls", 1)]));
    assert_eq!(page.facets.category[0], FacetCount { value: "Tshirts".into(), count: 2 });
    assert_eq!(page.facets.category.len(), 12);
    assert_eq!(page.facets.size, facet(&[("M", 5), ("S", 3), ("32", 2), ("L", 2), ("6", 1), ("7", 1), ("Free", 1)]));
    // <500, 500–1000, 1000–2000, 2000–5000, 5000+ rupees.
    assert_eq!(price_counts(&page), vec![1, 4, 3, 3, 2]);
    assert_eq!(page.facets.price[0], PriceBucket { min_minor: 0, max_minor: Some(rupees(500)), count: 1 });
    assert_eq!(page.facets.price[4], PriceBucket { min_minor: rupees(5000), max_minor: None, count: 2 });
}

#[test]
fn each_facet_counts_under_every_filter_but_its_own() {
    let index = indexed(&catalog());
    let mut q = query();
    q.brand = vec!["Nike".into()];
    q.gender = vec![Gender::Women];
    let page = index.search(&q).unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(set(&numbers(&page.ids)), set(&[5, 10]));
    // Brand ignores the brand filter: all women's products.
    assert_eq!(page.facets.brand, facet(&[("Nike", 2), ("Zara", 2), ("Fabindia", 1)]));
    // Gender ignores the gender filter: all Nike products.
    assert_eq!(page.facets.gender, facet(&[("men", 2), ("women", 2)]));
    // The others apply both.
    assert_eq!(page.facets.category, facet(&[("Innerwear", 1), ("Shoes", 1)]));
    assert_eq!(page.facets.colour, facet(&[("Black", 2)]));
    assert_eq!(page.facets.size, facet(&[("6", 1), ("7", 1), ("M", 1)]));
    assert_eq!(price_counts(&page), vec![0, 1, 0, 0, 1]);

    q.min_price_minor = Some(rupees(500));
    q.max_price_minor = Some(rupees(1000));
    let page = index.search(&q).unwrap();
    assert_eq!(numbers(&page.ids), vec![10]);
    assert_eq!(page.total, 1);
    // Price ignores the price filter.
    assert_eq!(price_counts(&page), vec![0, 1, 0, 0, 1]);
    // Brand: women's products between ₹500 and ₹1000.
    assert_eq!(page.facets.brand, facet(&[("Nike", 1)]));
    // Gender: Nike products between ₹500 and ₹1000.
    assert_eq!(page.facets.gender, facet(&[("men", 2), ("women", 1)]));
}

#[test]
fn facets_follow_the_text_and_the_rating_filter() {
    let index = indexed(&catalog());
    let mut q = text("denim");
    q.colour = vec!["Blue".into()];
    q.min_rating = Some(4.1);
    let page = index.search(&q).unwrap();
    assert_eq!(set(&numbers(&page.ids)), set(&[1, 2, 11]));
    // Colour ignores the colour filter but keeps text and rating: 8 is grey
    // and rated 3.5, so it is not there; 7 is rated 4.0.
    assert_eq!(page.facets.colour, facet(&[("Blue", 3)]));
    assert_eq!(page.facets.brand, facet(&[("Levis", 2), ("Zara", 1)]));
}

#[test]
fn filter_values_match_case_variants_of_facet_values() {
    let mut products = catalog();
    products.push(product(14, "Nylon Backpack").brand("NIKE").category("Bags").done());
    let index = indexed(&products);
    let mut q = query();
    q.brand = vec!["nike".into()];
    let page = index.search(&q).unwrap();
    assert_eq!(page.total, 5);
    // Both spellings remain visible as facet values.
    assert!(page.facets.brand.contains(&FacetCount { value: "NIKE".into(), count: 1 }));
    assert!(page.facets.brand.contains(&FacetCount { value: "Nike".into(), count: 4 }));
    // The category facet applies the brand filter to both spellings.
    assert!(page.facets.category.contains(&FacetCount { value: "Bags".into(), count: 1 }));
}

#[test]
fn a_facet_lists_at_most_thirty_values() {
    let products: Vec<Product> =
        (1..=40).map(|n| product(n, "Plain Shirt").brand(&format!("Brand {n:02}")).done()).collect();
    let index = indexed(&products);
    let page = index.search(&query()).unwrap();
    assert_eq!(page.facets.brand.len(), 30);
    assert_eq!(page.facets.brand[0].value, "Brand 01");
    assert_eq!(page.facets.brand[29].value, "Brand 30");
}

// ---------------------------------------------------------------- sorts and paging

#[test]
fn every_sort_orders_the_catalog_and_breaks_ties_by_id() {
    let products = catalog();
    let index = indexed(&products);
    for sort in Sort::ALL {
        let q = SearchQuery { sort, ..query() };
        assert_eq!(found(&index, &q), expected_order(&products, sort), "{sort:?}");
    }
    // Spot checks against the oracle itself.
    let by_price = expected_order(&products, Sort::PriceAsc);
    assert_eq!(&by_price[..4], &[6, 7, 4, 13]);
    let by_rating = expected_order(&products, Sort::Rating);
    assert_eq!(&by_rating[..3], &[9, 5, 1]);
    assert_eq!(by_rating.last(), Some(&6), "unrated comes last");
    let newest = expected_order(&products, Sort::Newest);
    assert_eq!(&newest[..1], &[12]);
}

#[test]
fn paging_visits_every_result_once_under_every_sort() {
    let products = catalog();
    let index = indexed(&products);
    for sort in Sort::ALL {
        let q = SearchQuery { sort, ..query() };
        let whole = found(&index, &q);
        for limit in [1, 2, 3, 5, 13, 20] {
            assert_eq!(all_pages(&index, &q, limit), whole, "{sort:?} limit {limit}");
        }
    }
}

#[test]
fn paging_by_relevance_follows_the_scores() {
    let index = indexed(&catalog());
    let q = text("denim");
    let whole = found(&index, &q);
    assert_eq!(whole.len(), 5);
    for limit in [1, 2, 4] {
        assert_eq!(all_pages(&index, &q, limit), whole);
    }
}

#[test]
fn paging_with_filters_keeps_total_and_facets_on_every_page() {
    let index = indexed(&catalog());
    let mut q = query();
    q.gender = vec![Gender::Men];
    q.sort = Sort::PriceDesc;
    q.limit = 2;
    let first = index.search(&q).unwrap();
    q.cursor = first.next_cursor.clone();
    let second = index.search(&q).unwrap();
    assert_eq!(first.total, 6);
    assert_eq!(second.total, 6);
    assert_eq!(first.facets, second.facets);
    assert_eq!(numbers(&first.ids), vec![2, 8]);
    assert_eq!(numbers(&second.ids), vec![1, 4]);
}

#[test]
fn paging_over_many_segments_and_many_ties_never_repeats_or_skips() {
    // 250 products over five prices, three ratings and two dates, written
    // in several commits so that the index has several segments.
    let products: Vec<Product> = (1..=250u128)
        .map(|n| {
            let shuffled = (n * 7919) % 251;
            let k = shuffled as i64;
            product(shuffled, &format!("Cotton Shirt {}", k % 3))
                .brand(["Nike", "Zara", "Levis"][(k % 3) as usize])
                .price(500 + (k % 5) * 250, 1000 + (k % 4) * 100)
                .rating([3.5, 4.0, 4.5][(k % 3) as usize])
                .day(k % 2)
                .done()
        })
        .collect();
    let index = ProductIndex::in_ram().unwrap();
    for batch in products.chunks(60) {
        index.upsert(batch).unwrap();
        index.commit().unwrap();
    }
    assert_eq!(index.doc_count(), 250);
    for sort in Sort::ALL {
        let expected = expected_order(&products, sort);
        let q = SearchQuery { sort, ..query() };
        for limit in [7, 100] {
            let ids = all_pages(&index, &q, limit);
            assert_eq!(ids, expected, "{sort:?} limit {limit}");
        }
    }
    // Relevance with text: the three titles score differently; each id once.
    let ids = all_pages(&index, &text("cotton shirt"), 9);
    assert_eq!(ids.len(), 250);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 250);
}

#[test]
fn the_last_page_has_no_cursor() {
    let index = indexed(&catalog());
    let page = index.search(&SearchQuery { limit: 13, ..query() }).unwrap();
    assert_eq!(page.ids.len(), 13);
    assert_eq!(page.next_cursor, None);
    let page = index.search(&SearchQuery { limit: 12, ..query() }).unwrap();
    assert!(page.next_cursor.is_some());
}

#[test]
fn a_forged_or_foreign_cursor_is_refused() {
    let index = indexed(&catalog());
    let first = index.search(&SearchQuery { limit: 2, sort: Sort::PriceAsc, ..query() }).unwrap();
    let cursor = first.next_cursor.unwrap();

    let with =
        |q: SearchQuery, cursor: &str| index.search(&SearchQuery { cursor: Some(cursor.to_owned()), limit: 2, ..q });
    // The cursor works for its own query, whatever the limit.
    assert!(with(SearchQuery { sort: Sort::PriceAsc, ..query() }, &cursor).is_ok());
    // Another sort, text or filter: refused.
    assert_eq!(with(SearchQuery { sort: Sort::PriceDesc, ..query() }, &cursor), Err(SearchError::BadCursor));
    assert_eq!(with(SearchQuery { sort: Sort::PriceAsc, ..text("denim") }, &cursor), Err(SearchError::BadCursor));
    assert_eq!(
        with(SearchQuery { sort: Sort::PriceAsc, brand: vec!["Nike".into()], ..query() }, &cursor),
        Err(SearchError::BadCursor)
    );
    // Tampered or made up.
    let mut tampered = cursor.clone().into_bytes();
    tampered[5] = if tampered[5] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    for forged in
        [tampered.as_str(), "", "x", "====", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "💥", &"A".repeat(5000)]
    {
        assert_eq!(
            with(SearchQuery { sort: Sort::PriceAsc, ..query() }, forged),
            Err(SearchError::BadCursor),
            "{forged:?}"
        );
    }
}

// ---------------------------------------------------------------- suggest

#[test]
fn suggestions_complete_words_brands_and_categories_most_frequent_first() {
    let index = indexed(&catalog());
    assert_eq!(index.suggest("den", 5).unwrap(), vec!["denim"]);
    assert_eq!(index.suggest("LEV", 5).unwrap(), vec!["levis"]);
    // "t" completes "tshirts" (category of two) before single-use words.
    let t = index.suggest("t", 10).unwrap();
    assert_eq!(t.first().map(String::as_str), Some("tshirts"));
    assert_eq!(t.iter().collect::<HashSet<_>>().len(), t.len(), "no duplicates");
    // A whole brand comes before the last word completed after the others.
    let allen = index.suggest("allen s", 5).unwrap();
    assert_eq!(allen.first().map(String::as_str), Some("allen solly"));
    assert_eq!(allen.len(), 5);
    assert_eq!(index.suggest("slim de", 5).unwrap(), vec!["slim denim"]);
    assert_eq!(index.suggest("caf", 5).unwrap(), vec!["cafe"]);
    assert!(index.suggest("", 5).unwrap().is_empty());
    assert!(index.suggest("zzz", 5).unwrap().is_empty());
    assert_eq!(index.suggest("s", 2).unwrap().len(), 2);
    assert_eq!(index.suggest("s", 0), Err(SearchError::BadLimit { max: 100 }));
    assert!(matches!(index.suggest(&"s".repeat(201), 5), Err(SearchError::QueryTooLong { .. })));
}

// ---------------------------------------------------------------- writes

#[test]
fn a_write_is_invisible_until_commit_and_visible_right_after() {
    let index = ProductIndex::in_ram().unwrap();
    index.upsert(&catalog()).unwrap();
    assert_eq!(index.doc_count(), 0);
    assert_eq!(index.search(&query()).unwrap().total, 0);
    index.commit().unwrap();
    assert_eq!(index.doc_count(), 13);
    assert_eq!(index.search(&query()).unwrap().total, 13);
}

#[test]
fn an_upsert_replaces_the_product_and_moves_it_between_price_buckets() {
    let mut products = catalog();
    let index = indexed(&products);
    assert_eq!(price_counts(&index.search(&query()).unwrap()), vec![1, 4, 3, 3, 2]);

    products[3].price = Money::inr(rupees(2500));
    products[3].title = "Cotton Crew Polo".into();
    index.upsert(&products[3..4]).unwrap();
    index.commit().unwrap();

    let page = index.search(&query()).unwrap();
    assert_eq!(page.total, 13);
    assert_eq!(index.doc_count(), 13);
    assert_eq!(price_counts(&page), vec![1, 3, 3, 4, 2]);
    assert_eq!(found(&index, &text("polo")), vec![4]);
    assert_eq!(found(&index, &text("crew")), vec![4]);
    assert!(found(&index, &text("t-shirt")).is_empty());
}

#[test]
fn a_deleted_product_is_gone_from_results_and_facets() {
    let index = indexed(&catalog());
    index.delete(&[id(9), id(999)]).unwrap();
    index.commit().unwrap();
    assert_eq!(index.doc_count(), 12);
    let page = index.search(&query()).unwrap();
    assert!(!numbers(&page.ids).contains(&9));
    assert!(!page.facets.brand.iter().any(|f| f.value == "Fabindia"));
    assert_eq!(price_counts(&page), vec![1, 4, 3, 3, 1]);
    assert!(found(&index, &text("saree")).is_empty());
}

#[test]
fn a_rebuild_replaces_the_whole_catalog() {
    let products = catalog();
    let index = indexed(&products);
    // An uncommitted write before the rebuild is discarded with the rest.
    index.upsert(&[product(99, "Stray Scarf").done()]).unwrap();
    let count = index.clear_and_rebuild(products[..3].to_vec()).unwrap();
    assert_eq!(count, 3);
    assert_eq!(index.doc_count(), 3);
    assert_eq!(found(&index, &query()), vec![1, 2, 3]);
    assert!(found(&index, &text("scarf")).is_empty());
    assert_eq!(index.clear_and_rebuild(Vec::new()).unwrap(), 0);
    assert_eq!(index.doc_count(), 0);
}

#[test]
fn an_index_on_disk_keeps_its_products_across_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    {
        let index = ProductIndex::open_in_dir(&path).unwrap();
        index.upsert(&catalog()).unwrap();
        index.commit().unwrap();
        assert!(index.size_bytes().unwrap() > 0);
    }
    let index = ProductIndex::open_in_dir(&path).unwrap();
    assert_eq!(index.doc_count(), 13);
    assert_eq!(found(&index, &text("jacket")), vec![2, 8]);
}

#[test]
fn the_index_is_shared_between_threads() {
    let index = std::sync::Arc::new(indexed(&catalog()));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let index = index.clone();
            std::thread::spawn(move || index.search(&text("denim")).unwrap().total)
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), 5);
    }
}

// ---------------------------------------------------------------- hostile input

#[test]
fn hostile_text_never_panics_and_is_never_syntax() {
    let index = indexed(&catalog());
    let long_ok = "a".repeat(200);
    let hostile = [
        "\"title:(a OR",
        "*",
        "~",
        "title:denim",
        "denim~2",
        "+denim -jeans",
        "(((",
        "[* TO *]",
        "\\",
        "\0\u{1}\u{7f}",
        "🧥👖",
        "jeans 🧥",
        "\u{202e}mined",
        "ＤＥＮＩＭ",
        "   ",
        "",
        "a",
        "AND OR NOT",
        "%00%ff",
        "' OR 1=1 --",
        long_ok.as_str(),
    ];
    for text_value in hostile {
        for sort in Sort::ALL {
            let mut q = text(text_value);
            q.sort = sort;
            q.brand = vec![text_value.to_owned()];
            assert!(index.search(&q).is_ok(), "{text_value:?}");
            q.brand.clear();
            let page = index.search(&q).unwrap();
            assert!(page.ids.len() <= 100);
        }
        assert!(index.suggest(text_value, 10).is_ok(), "{text_value:?}");
    }
    // Syntax characters are separators, never operators.
    assert_eq!(found(&index, &text("title:denim")).len(), 0, "no product has the word 'title'");
    assert_eq!(found_set(&index, &text("denim~2")), HashSet::new(), "'2' is a word that must match");
    assert_eq!(found_set(&index, &text("*denim*")), set(&[1, 2, 7, 8, 11]));
    // Text without any word is no text condition.
    assert_eq!(index.search(&text("*")).unwrap().total, 13);
}

#[test]
fn limits_on_text_page_size_and_rating_are_enforced() {
    let index = indexed(&catalog());
    let ten_kb = "x".repeat(10_240);
    assert_eq!(index.search(&text(&ten_kb)), Err(SearchError::QueryTooLong { max: 200 }));
    assert_eq!(index.search(&text(&"é".repeat(201))), Err(SearchError::QueryTooLong { max: 200 }));
    assert!(index.search(&text(&"é".repeat(200))).is_ok(), "the limit counts characters, not bytes");
    for limit in [0, 101, usize::MAX] {
        assert_eq!(index.search(&SearchQuery { limit, ..query() }), Err(SearchError::BadLimit { max: 100 }));
    }
    for rating in [f32::NAN, f32::INFINITY, -0.5, 5.5] {
        let q = SearchQuery { min_rating: Some(rating), ..query() };
        assert!(matches!(index.search(&q), Err(SearchError::BadFilter { field: "min_rating", .. })));
    }
    // An empty price range is no error, just no results.
    let q = SearchQuery { min_price_minor: Some(rupees(2000)), max_price_minor: Some(rupees(1000)), ..query() };
    assert_eq!(index.search(&q).unwrap().total, 0);
    let q = SearchQuery { min_price_minor: Some(i64::MIN), max_price_minor: Some(i64::MAX), ..query() };
    assert_eq!(index.search(&q).unwrap().total, 13);
}

#[test]
fn sort_names_parse_and_print_the_same() {
    for sort in Sort::ALL {
        assert_eq!(Sort::parse(sort.as_str()), Ok(sort));
    }
    assert!(Sort::parse("cheapest").is_err());
}
