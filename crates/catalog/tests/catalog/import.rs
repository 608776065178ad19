use std::io::{BufReader, Cursor};
use std::path::{Path, PathBuf};

use catalog::import::{self, CsvImport, ImportError, JsonLinesImport, Mapping, RowError, RowErrorKind};
use catalog::{ProductDraft, content_hash};
use domain::money::Money;
use domain::product::Gender;

/// A shared data file: in `/work/shared`, or in the `shared/` folder beside
/// the repository (where CI puts it); `None`, with a notice, where neither
/// holds it.
fn data_file(file: &str) -> Option<PathBuf> {
    let beside_repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/myntra-catalog");
    let found = [Path::new("/work/shared/data/myntra-catalog"), beside_repo.as_path()]
        .into_iter()
        .map(|dir| dir.join(file))
        .find(|path| path.exists());
    if found.is_none() {
        eprintln!("NOTICE: shared/data/myntra-catalog/{file} is missing; test skipped");
    }
    found
}

/// The first `lines` lines of a shared data file.
fn head(file: &str, lines: usize) -> Option<Vec<u8>> {
    let path = data_file(file)?;
    let bytes = std::fs::read(&path).unwrap();
    let end = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(lines - 1).map_or(bytes.len(), |(i, _)| i + 1);
    Some(bytes[..end].to_vec())
}

fn split(rows: impl Iterator<Item = Result<ProductDraft, RowError>>) -> (Vec<ProductDraft>, Vec<RowError>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for row in rows {
        match row {
            Ok(d) => ok.push(d),
            Err(e) => bad.push(e),
        }
    }
    (ok, bad)
}

fn styles_with_price() -> Mapping {
    Mapping::builtin("myntra-styles").unwrap().with_default_price(Money::inr(99_900))
}

#[test]
fn the_styles_header_is_recognised_and_priceless_rows_are_skipped() {
    let Some(data) = head("styles.csv", 2000) else { return };
    let import = CsvImport::new(Cursor::new(data), None).unwrap();
    assert_eq!(import.mapping().name, "myntra-styles");
    let (ok, bad) = split(import);
    assert_eq!(ok.len(), 0);
    // Skipped rows are not "bad rows in a row": the reader reads them all.
    assert_eq!(bad.len(), 1999);
    assert!(bad.iter().all(|e| e.kind == RowErrorKind::Skipped && e.reason == "no price"));
    assert_eq!(bad[0].line, 2);
    assert_eq!(bad[0].field.as_deref(), Some("price"));
}

#[test]
fn the_first_2000_lines_of_styles_import_with_a_default_price() {
    let Some(data) = head("styles.csv", 2000) else { return };
    let (ok, bad) = split(CsvImport::new(Cursor::new(data), Some(styles_with_price())).unwrap());
    assert_eq!((ok.len(), bad.len()), (1999, 0), "{bad:?}");
    let first = &ok[0];
    assert_eq!(first.sku, "MYS-15970");
    assert_eq!(first.title, "Turtle Check Men Navy Blue Shirt");
    assert_eq!(first.brand, "Turtle Check");
    assert_eq!(first.category, "Shirts");
    assert_eq!(first.metadata.category_path, ["Apparel", "Topwear", "Shirts"]);
    assert_eq!(first.metadata.gender, Some(Gender::Men));
    assert_eq!(first.metadata.colour.as_deref(), Some("Navy Blue"));
    assert_eq!(first.metadata.season.as_deref(), Some("Fall"));
    assert_eq!(first.metadata.year, Some(2011));
    assert_eq!(first.price, Money::inr(99_900));
    assert_eq!(first.original_price, first.price);
    assert_eq!(first.metadata.tags, ["default-price"]);
    assert!(first.metadata.sizes.is_empty(), "no stock is invented");
    assert!(first.rating.is_none() && first.reviews == 0 && first.description.is_empty());
    assert_eq!(ok.iter().filter(|d| d.metadata.usage.is_none()).count(), 20, "usage NA or empty");
    assert_eq!(ok.iter().filter(|d| d.metadata.gender == Some(Gender::Women)).count(), 859);
}

#[test]
fn the_whole_styles_file_imports_with_only_its_nameless_rows_rejected() {
    let Some(path) = data_file("styles.csv") else { return };
    // Streamed from disk, row by row.
    let (ok, bad) = split(import::open_file(&path, Some(styles_with_price())).unwrap());
    // 44,446 rows; the 7 named "NA" have no title. The 22 rows with commas
    // in their names are repaired, not rejected.
    assert_eq!(ok.len(), 44_439);
    assert_eq!(bad.len(), 7, "{bad:?}");
    assert!(bad.iter().all(|e| e.field.as_deref() == Some("title") && e.reason == "missing"));
    let boss = ok.iter().find(|d| d.sku == "MYS-44065").unwrap();
    assert_eq!(boss.title, "Boss Men Perfume, After Shave Balm and Shower Gel Set");
}

#[test]
fn the_first_2000_lines_of_the_products_catalog_import_whole() {
    let Some(data) = head("products_catalog.csv", 2000) else { return };
    let import = CsvImport::new(Cursor::new(data), None).unwrap();
    assert_eq!(import.mapping().name, "myntra-products");
    let (ok, bad) = split(import);
    // 2,000 lines hold 1,771 products: some descriptions span lines.
    assert_eq!((ok.len(), bad.len()), (1771, 0), "{bad:?}");
    let first = &ok[0];
    assert_eq!(first.sku, "MYP-10017413");
    assert_eq!(first.title, "DKNY Unisex Black & Grey Printed Medium Trolley Bag");
    assert_eq!(first.brand, "DKNY");
    assert_eq!(first.price, Money::inr(1_174_500));
    assert_eq!(first.metadata.gender, Some(Gender::Unisex));
    assert_eq!(first.metadata.colour.as_deref(), Some("Black"), "the leading space is trimmed");
    assert_eq!(first.metadata.article_type.as_deref(), Some("Trolley Bag"));
    assert_eq!(first.category, "Trolley Bag");
    assert!(first.description.starts_with("Black and grey printed medium trolley bag"));
    assert_eq!(ok.iter().filter(|d| d.metadata.colour.is_none()).count(), 176, "empty PrimaryColor");
    assert_eq!(ok.iter().filter(|d| d.metadata.tags.contains(&"kids".to_owned())).count(), 117);
    let typed = ok.iter().filter(|d| d.metadata.article_type.is_some()).count();
    assert!(typed * 100 / ok.len() >= 90, "only {typed} of {} typed", ok.len());
}

/// Rows copied from styles.csv: the unquoted commas (ids 44065, 23124), a
/// bare quote (7491), literal NA (56489, 30991) and an empty season (5402).
const DIRTY_STYLES: &str = "\
id,gender,masterCategory,subCategory,articleType,baseColour,season,year,usage,productDisplayName
44065,Men,Personal Care,Fragrance,Perfume and Body Mist,Blue,Spring,2017,Casual,Boss Men Perfume, After Shave Balm and Shower Gel Set
23124,Unisex,Footwear,Flip Flops,Flip Flops,Navy Blue,Spring,2013,Casual,Converse Unisex Navy Blue Liv,Laugh,Love Flip-flops
7491,Women,Apparel,Bottomwear,Shorts,Pink,Summer,2011,Sports,Nike Women's EM Tempo 3.5\" Pink Short
56489,Women,Personal Care,Nails,Nail Polish,Bronze,Spring,2017,NA,Streetwear Ash Nail Polish # 31
30991,Women,Personal Care,Fragrance,Perfume and Body Mist,NA,Spring,2017,NA,NA
5402,Women,Footwear,Shoes,Sports Shoes,Purple,,2011,Sports,Kalenji Ekiden 200 Wn Purple 2011
15970,Men,Apparel,Topwear
";

#[test]
fn dirty_styles_rows_are_repaired_or_reported_exactly() {
    let rows: Vec<_> = CsvImport::new(Cursor::new(DIRTY_STYLES), Some(styles_with_price())).unwrap().collect();
    assert_eq!(rows.len(), 7);
    let ok = |i: usize| rows[i].as_ref().unwrap();

    assert_eq!(ok(0).title, "Boss Men Perfume, After Shave Balm and Shower Gel Set");
    assert_eq!(ok(0).brand, "Boss");
    assert_eq!(ok(0).metadata.usage.as_deref(), Some("Casual"));
    assert_eq!(ok(1).title, "Converse Unisex Navy Blue Liv,Laugh,Love Flip-flops");
    assert_eq!(ok(1).metadata.gender, Some(Gender::Unisex));
    assert_eq!(ok(2).title, "Nike Women's EM Tempo 3.5\" Pink Short");
    assert_eq!(ok(2).brand, "Nike");
    assert_eq!(ok(3).metadata.usage, None, "NA is empty");
    assert_eq!(ok(3).brand, "Streetwear");
    assert_eq!(ok(5).metadata.season, None);

    let nameless = rows[4].as_ref().unwrap_err();
    assert_eq!((nameless.line, nameless.field.as_deref(), nameless.reason.as_str()), (6, Some("title"), "missing"));
    assert_eq!(nameless.kind, RowErrorKind::Invalid);
    let short = rows[6].as_ref().unwrap_err();
    assert_eq!((short.line, short.field.as_deref()), (8, None));
    assert_eq!(short.reason, "too few fields: expected 10, found 4");
    assert_eq!(short.kind, RowErrorKind::Malformed);
}

#[test]
fn too_many_fields_is_an_error_without_an_overflow_column() {
    let csv = "sku,title,price\nA,Shirt,100\nB,Shirt, blue,200\nC,Shirt,300\n";
    let mapping = Mapping::from_toml(
        "name = \"t\"\n[fields.sku]\ncolumn = \"sku\"\n[fields.title]\ncolumn = \"title\"\n[fields.price]\ncolumn = \"price\"\n",
    )
    .unwrap();
    let rows: Vec<_> = CsvImport::new(Cursor::new(csv), Some(mapping)).unwrap().collect();
    assert!(rows[0].is_ok() && rows[2].is_ok());
    let e = rows[1].as_ref().unwrap_err();
    assert_eq!((e.line, e.reason.as_str()), (3, "too many fields: expected 3, found 4"));
}

fn merchant_example() -> (String, String) {
    // The example of MAPPING.md, so that the documentation is what is tested.
    let doc = include_str!("../../MAPPING.md");
    let example = &doc[doc.find("## A full example").unwrap()..];
    let block = |fence: &str| {
        let start = example.find(fence).unwrap() + fence.len();
        let len = example[start..].find("```").unwrap();
        example[start..start + len].to_owned()
    };
    (block("```text\n"), block("```toml\n"))
}

#[test]
fn a_merchant_csv_imports_through_a_mapping_file() {
    let (csv, toml) = merchant_example();
    let mapping = Mapping::from_toml(&toml).unwrap();
    let rows: Vec<_> = CsvImport::new(Cursor::new(csv), Some(mapping)).unwrap().collect();
    assert_eq!(rows.len(), 4);

    let chinos = rows[0].as_ref().unwrap();
    assert_eq!(chinos.sku, "ACME-AC-100");
    assert_eq!(chinos.brand, "Acme");
    assert_eq!(chinos.category, "Trousers");
    assert_eq!(chinos.metadata.category_path, ["Apparel", "Trousers"]);
    assert_eq!(chinos.metadata.gender, Some(Gender::Men));
    assert_eq!(chinos.price, Money::inr(129_900));
    assert_eq!(chinos.original_price, Money::inr(199_900));
    let sizes: Vec<_> = chinos.metadata.sizes.iter().map(|s| (s.size.as_str(), s.stock)).collect();
    assert_eq!(sizes, [("30", 5), ("32", 5), ("34", 0)]);
    assert_eq!(chinos.rating, Some(4.3));
    assert_eq!(chinos.reviews, 1204);
    assert_eq!(chinos.images, ["https://cdn.acme.example/ac-100.jpg"]);
    assert_eq!(chinos.metadata.colour.as_deref(), Some("Navy Blue"));

    let kurta = rows[1].as_ref().unwrap();
    assert_eq!(kurta.metadata.gender, Some(Gender::Women));
    assert_eq!(kurta.price, Money::inr(249_900));
    assert_eq!(kurta.original_price, Money::inr(312_400));
    assert_eq!(kurta.discount_percent(), 20);
    assert_eq!(kurta.metadata.sizes.len(), 3);
    assert!(kurta.images.is_empty() && kurta.rating.is_none());

    let raincoat = rows[2].as_ref().unwrap_err();
    assert_eq!((raincoat.line, raincoat.field.as_deref()), (4, Some("rating")));
    assert_eq!(raincoat.reason, "5.5 is outside 0..5");
    let pouch = rows[3].as_ref().unwrap_err();
    assert_eq!((pouch.line, pouch.field.as_deref()), (5, Some("price")));
    assert_eq!(pouch.reason, "no amount in 'free'");
}

#[test]
fn a_mapping_naming_a_column_the_header_lacks_is_refused_before_any_row() {
    let (csv, toml) = merchant_example();
    let toml = toml.replace("column = \"Stars\"", "column = \"Rating\"");
    let err = CsvImport::new(Cursor::new(csv), Some(Mapping::from_toml(&toml).unwrap())).unwrap_err();
    assert!(
        matches!(err, ImportError::MissingColumn { ref field, ref column } if field == "rating" && column == "Rating")
    );
}

#[test]
fn bad_rows_are_reported_with_the_line_they_start_on_and_reading_goes_on() {
    let csv: &[u8] = b"\
sku,title,price,rating,reviews
A1,Good Shirt,499,4.1,10
,No Sku,499,,
A3,,499,,
A4,\"A shirt with a
two-line title\",abc,,
A5,Free Shirt,0,,
A6,Loved Shirt,499,9,
A7,Many Reviews,499,,lots
A8,Bytes \xff\xfe here,499,,
A9,Last Good Shirt,599,,
";
    let mapping = Mapping::from_toml(
        "name = \"t\"\n[fields.sku]\ncolumn = \"sku\"\n[fields.title]\ncolumn = \"title\"\n[fields.price]\ncolumn = \"price\"\n\
         [fields.rating]\ncolumn = \"rating\"\n[fields.reviews]\ncolumn = \"reviews\"\n",
    )
    .unwrap();
    let (ok, bad) = split(CsvImport::new(Cursor::new(csv.to_vec()), Some(mapping)).unwrap());
    assert_eq!(ok.iter().map(|d| d.sku.as_str()).collect::<Vec<_>>(), ["A1", "A9"]);
    let got: Vec<(u64, Option<&str>, &str)> =
        bad.iter().map(|e| (e.line, e.field.as_deref(), e.reason.as_str())).collect();
    assert_eq!(
        got,
        [
            (3, Some("sku"), "missing"),
            (4, Some("title"), "missing"),
            (5, Some("price"), "'abc' must be a non-negative decimal amount with at most two decimals"),
            (7, Some("price"), "must be above zero"),
            (8, Some("rating"), "9 is outside 0..5"),
            (9, Some("reviews"), "'lots' is not a whole number"),
            (10, Some("title"), "not valid UTF-8"),
        ]
    );
}

#[test]
fn a_csv_cut_inside_a_quoted_field_ends_with_an_error() {
    let Some(data) = head("products_catalog.csv", 40) else { return };
    let text = String::from_utf8(data).unwrap();
    // Cut in the middle of the 5th product's quoted description.
    let cut = text.match_indices("\"").nth(8).unwrap().0 + 25;
    let rows: Vec<_> = CsvImport::new(Cursor::new(text[..cut].to_owned()), None).unwrap().collect();
    assert_eq!(rows.len(), 5);
    assert!(rows[..4].iter().all(Result::is_ok));
    let last = rows[4].as_ref().unwrap_err();
    assert_eq!(last.reason, "the file ends inside a quoted field: truncated?");
    assert_eq!(last.kind, RowErrorKind::Malformed);
}

#[test]
fn a_csv_cut_mid_row_reports_the_short_row() {
    let Some(data) = head("styles.csv", 50) else { return };
    // Cut the 50th line after its first few fields.
    let last_line = data[..data.len() - 1].iter().rposition(|b| *b == b'\n').unwrap() + 1;
    let cut = last_line + 20;
    let rows: Vec<_> = CsvImport::new(Cursor::new(data[..cut].to_vec()), Some(styles_with_price())).unwrap().collect();
    assert_eq!(rows.len(), 49);
    let last = rows[48].as_ref().unwrap_err();
    assert_eq!(last.line, 50);
    assert!(last.reason.starts_with("too few fields"), "{last}");
}

/// Deterministic noise with some line breaks, like a binary file.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn a_binary_file_is_refused_at_its_header() {
    let err = CsvImport::new(Cursor::new(noise(100_000)), None).unwrap_err();
    assert!(
        matches!(err, ImportError::HeaderNotText | ImportError::UnrecognisedHeader { .. } | ImportError::Io(_)),
        "{err}"
    );
    assert!(matches!(CsvImport::new(Cursor::new(Vec::new()), None), Err(ImportError::Empty)));
}

#[test]
fn binary_rows_after_a_good_header_stop_after_too_many_bad_rows() {
    let mut data = b"sku,title,price\n".to_vec();
    data.extend(noise(400_000));
    let mapping = Mapping::from_toml(
        "name = \"t\"\n[fields.sku]\ncolumn = \"sku\"\n[fields.title]\ncolumn = \"title\"\n[fields.price]\ncolumn = \"price\"\n",
    )
    .unwrap();
    let rows: Vec<_> = CsvImport::new(Cursor::new(data), Some(mapping)).unwrap().with_error_limit(50).collect();
    assert!(rows.iter().all(Result::is_err));
    let last = rows.last().unwrap().as_ref().unwrap_err();
    assert_eq!(last.kind, RowErrorKind::Fatal);
    assert!(last.reason.starts_with("too many consecutive bad rows"), "{last}");
    assert_eq!(rows.len(), 51);
}

#[test]
fn a_file_without_line_breaks_stops_at_the_row_size_cap() {
    let mut data = b"sku,title,price\n".to_vec();
    data.extend(std::iter::repeat_n(b'x', 3 << 20));
    let mapping = Mapping::from_toml(
        "name = \"t\"\n[fields.sku]\ncolumn = \"sku\"\n[fields.title]\ncolumn = \"title\"\n[fields.price]\ncolumn = \"price\"\n",
    )
    .unwrap();
    let rows: Vec<_> = CsvImport::new(Cursor::new(data), Some(mapping)).unwrap().collect();
    assert_eq!(rows.len(), 1);
    let e = rows[0].as_ref().unwrap_err();
    assert_eq!(e.kind, RowErrorKind::Fatal);
    assert!(e.reason.contains("longer than"), "{e}");
}

#[test]
fn json_lines_of_partner_products_import_with_bad_lines_reported() {
    let lines = concat!(
        r#"{"sku":"P1","title":"Acme Men Blue Shirt","price":{"amount":"799.00","currency":"INR"},"sizes":[{"size":"M","stock":2},{"size":"L"}],"gender":"Men","color":"Blue"}"#,
        "\n\n",
        r#"{"sku":"P2","title":"Acme Cap","price_minor":49900,"original_price_minor":59900,"rating":4.5,"reviews":3}"#,
        "\n",
        "this is not json\n",
        r#"{"sku":"P4","title":"Rated Too High","price_minor":100,"rating":7}"#,
        "\n",
        r#"{"title":"No Sku","price_minor":100}"#,
        "\n",
        r#"{"sku":"P6","title":"Priceless"}"#,
        "\n",
        r#"{"sku":"P7","title":"Wrong Type","price_minor":100,"reviews":"many"}"#,
        "\n",
        r#"{"sku":"P8","title":"Cut off","price_mi"#,
    );
    let rows: Vec<_> = JsonLinesImport::new(BufReader::new(lines.as_bytes()), None).collect();
    assert_eq!(rows.len(), 8);
    let p1 = rows[0].as_ref().unwrap();
    assert_eq!(p1.price, Money::inr(79_900));
    assert_eq!(p1.metadata.sizes[1].stock, 0, "a size without stock has none");
    assert_eq!(p1.metadata.colour.as_deref(), Some("Blue"));
    assert_eq!(p1.metadata.gender, Some(Gender::Men));
    let p2 = rows[1].as_ref().unwrap();
    assert_eq!((p2.price.minor, p2.original_price.minor, p2.rating), (49_900, 59_900, Some(4.5)));

    let errors: Vec<(u64, Option<&str>, RowErrorKind)> =
        rows[2..].iter().map(|r| r.as_ref().unwrap_err()).map(|e| (e.line, e.field.as_deref(), e.kind)).collect();
    assert_eq!(
        errors,
        [
            (4, None, RowErrorKind::Malformed),
            (5, Some("rating"), RowErrorKind::Invalid),
            (6, Some("sku"), RowErrorKind::Invalid),
            (7, Some("price"), RowErrorKind::Skipped),
            (8, Some("reviews"), RowErrorKind::Invalid),
            (9, None, RowErrorKind::Malformed),
        ]
    );
}

#[test]
fn json_lines_read_through_a_mapping_use_keys_as_columns() {
    let lines = "{\"id\": 7, \"name\": \"Acme Women Red Top\", \"cost\": \"₹1,099\", \"sizes\": [\"S\", \"M\"]}\n";
    let mapping = Mapping::from_toml(
        "name = \"j\"\n[defaults]\nstock_per_size = 1\n[fields.sku]\ncolumn = \"id\"\n[fields.title]\ncolumn = \"name\"\n\
         [fields.price]\ncolumn = \"cost\"\ntransform = \"money\"\n[fields.sizes]\ncolumn = \"sizes\"\n\
         [fields.brand]\ncolumn = \"name\"\ntransform = \"brand_from_title\"\n",
    )
    .unwrap();
    let rows: Vec<_> = JsonLinesImport::new(BufReader::new(lines.as_bytes()), Some(mapping)).collect();
    let d = rows[0].as_ref().unwrap();
    assert_eq!((d.sku.as_str(), d.brand.as_str(), d.price.minor), ("7", "Acme", 109_900));
    assert_eq!(d.metadata.sizes.len(), 2);
}

#[test]
fn binary_json_lines_end_cleanly() {
    let rows: Vec<_> =
        JsonLinesImport::new(BufReader::new(Cursor::new(noise(3 << 20))), None).with_error_limit(20).collect();
    assert!(!rows.is_empty() && rows.iter().all(Result::is_err));
    assert!(rows.len() <= 21);
}

#[test]
fn the_content_hash_tells_unchanged_from_updated() {
    let Some(data) = head("products_catalog.csv", 100) else { return };
    let first: Vec<_> = CsvImport::new(Cursor::new(data.clone()), None).unwrap().filter_map(Result::ok).collect();
    let again: Vec<_> = CsvImport::new(Cursor::new(data), None).unwrap().filter_map(Result::ok).collect();
    let hashes = |v: &[ProductDraft]| v.iter().map(content_hash).collect::<Vec<_>>();
    assert_eq!(hashes(&first), hashes(&again));
    let mut changed = first[0].clone();
    changed.price = Money::inr(changed.price.minor - 100);
    assert_ne!(content_hash(&changed), content_hash(&first[0]));
    let distinct: std::collections::HashSet<_> = hashes(&first).into_iter().collect();
    assert_eq!(distinct.len(), first.len());
}
