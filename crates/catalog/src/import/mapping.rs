//! Column mappings: how the columns of a merchant's file become the fields of
//! a [`ProductDraft`], with the value transforms and per-file defaults. The
//! format is described in full below (the text of `crates/catalog/MAPPING.md`).
//!
#![doc = include_str!("../../MAPPING.md")]

use std::borrow::Cow;
use std::collections::BTreeMap;

use domain::money::{Currency, Money};
use domain::product::{Gender, ProductMetadata, SizeStock};
use serde::Deserialize;

use super::RowErrorKind;
use crate::ProductDraft;

/// The tag a draft carries when its price came from the mapping's
/// `default_price` rather than from the file.
pub const DEFAULT_PRICE_TAG: &str = "default-price";

const MYNTRA_STYLES: &str = include_str!("builtin/myntra-styles.toml");
const MYNTRA_PRODUCTS: &str = include_str!("builtin/myntra-products.toml");

/// A mapping file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("the mapping is not valid TOML of the mapping format: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("the mapping is inconsistent: {0}")]
    Invalid(String),
    #[error("there is no built-in mapping '{0}' (built in: myntra-styles, myntra-products)")]
    Unknown(String),
}

/// A column mapping, read from TOML ([`Mapping::from_toml`]) or built in
/// ([`Mapping::builtin`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Header columns that identify a file this mapping fits; used by
    /// auto-detection, which picks the first built-in mapping whose `detect`
    /// columns all appear in the header.
    #[serde(default)]
    pub detect: Vec<String>,
    #[serde(default)]
    pub csv: CsvOptions,
    #[serde(default)]
    pub defaults: Defaults,
    pub fields: BTreeMap<Target, FieldSpec>,
    #[serde(skip)]
    currency: Option<Currency>,
    #[serde(skip)]
    default_price_minor: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvOptions {
    /// One ASCII character; `,` when absent.
    #[serde(default = "comma")]
    pub delimiter: char,
    /// The column that absorbs unquoted delimiters: a row with more fields
    /// than the header has the surplus joined back into this column.
    #[serde(default)]
    pub overflow_column: Option<String>,
}

fn comma() -> char {
    ','
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self { delimiter: ',', overflow_column: None }
    }
}

/// What happens to a row without a price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPrice {
    /// The row is reported as skipped with reason "no price".
    #[default]
    Skip,
    /// The row takes `default_price` and the tag `default-price`.
    Default,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// ISO 4217 code of every amount in the file.
    #[serde(default = "inr")]
    pub currency: String,
    /// Stock of a size the file lists without a stock (`"M"` rather than
    /// `"M:3"`); 0 when absent, so no stock is invented.
    #[serde(default)]
    pub stock_per_size: Option<u32>,
    #[serde(default)]
    pub missing_price: MissingPrice,
    /// Major units, e.g. `"999.00"`; required by, and only allowed with,
    /// `missing_price = "default"`.
    #[serde(default)]
    pub default_price: Option<String>,
    /// Cell values that mean "empty" (compared after trimming).
    #[serde(default = "null_values")]
    pub null_values: Vec<String>,
}

fn inr() -> String {
    "INR".into()
}

fn null_values() -> Vec<String> {
    ["", "NA", "N/A", "n/a", "null", "NULL", "None"].map(String::from).to_vec()
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            currency: inr(),
            stock_per_size: None,
            missing_price: MissingPrice::Skip,
            default_price: None,
            null_values: null_values(),
        }
    }
}

/// A draft field a mapping can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Sku,
    Title,
    Brand,
    Category,
    CategoryPath,
    ArticleType,
    Price,
    OriginalPrice,
    DiscountPercent,
    Images,
    Description,
    Rating,
    Reviews,
    Gender,
    Colour,
    Sizes,
    Season,
    Usage,
    Tags,
    Year,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sku => "sku",
            Self::Title => "title",
            Self::Brand => "brand",
            Self::Category => "category",
            Self::CategoryPath => "category_path",
            Self::ArticleType => "article_type",
            Self::Price => "price",
            Self::OriginalPrice => "original_price",
            Self::DiscountPercent => "discount_percent",
            Self::Images => "images",
            Self::Description => "description",
            Self::Rating => "rating",
            Self::Reviews => "reviews",
            Self::Gender => "gender",
            Self::Colour => "colour",
            Self::Sizes => "sizes",
            Self::Season => "season",
            Self::Usage => "usage",
            Self::Tags => "tags",
            Self::Year => "year",
        }
    }

    fn is_list(self) -> bool {
        matches!(self, Self::CategoryPath | Self::Images | Self::Sizes | Self::Tags)
    }
}

/// A value transform; see the format description for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    Constant,
    Lowercase,
    Number,
    Money,
    List,
    BrandFromTitle,
    Map,
    Keyword,
}

/// One transform or several, applied in order.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(untagged)]
pub enum Transforms {
    #[default]
    None,
    One(Transform),
    Many(Vec<Transform>),
}

impl Transforms {
    fn as_slice(&self) -> &[Transform] {
        match self {
            Self::None => &[],
            Self::One(t) => std::slice::from_ref(t),
            Self::Many(list) => list,
        }
    }
}

/// What `map` does with a value its table lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unmapped {
    #[default]
    Keep,
    Empty,
    Error,
}

/// Where one field's value comes from and how it is transformed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The source column (CSV header name, or top-level key in JSON Lines).
    #[serde(default)]
    pub column: Option<String>,
    /// Several columns, each giving one element (for list fields such as
    /// `category_path`); empty cells are left out.
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub transform: Transforms,
    /// The value of `constant`.
    #[serde(default)]
    pub value: Option<String>,
    /// The value used when the cell is empty, before the transforms.
    #[serde(default)]
    pub default: Option<String>,
    /// Prepended to the final value(s).
    #[serde(default)]
    pub prefix: Option<String>,
    /// A missing column is not an error: the field stays empty.
    #[serde(default)]
    pub optional: bool,
    /// `list`: the separators; `","` and `"|"` when absent.
    #[serde(default)]
    pub separator: Option<String>,
    /// `brand_from_title`: at most this many leading words (3 when absent).
    #[serde(default)]
    pub words: Option<usize>,
    /// `brand_from_title`: known brands, matched first (longest wins).
    #[serde(default)]
    pub brands: Vec<String>,
    /// `map`: value → value.
    #[serde(default)]
    pub table: BTreeMap<String, String>,
    #[serde(default)]
    pub unmapped: Unmapped,
    /// `keyword`: the first of these found in the value (whole words,
    /// ignoring case, an `s` plural allowed) becomes the value.
    #[serde(default)]
    pub keywords: Vec<String>,
}

impl FieldSpec {
    /// Every column the field reads.
    pub fn source_columns(&self) -> impl Iterator<Item = &str> {
        self.column.iter().chain(&self.columns).map(String::as_str)
    }
}

/// A cell of a source row.
pub(crate) enum Cell<'a> {
    Missing,
    Text(Cow<'a, str>),
    List(Vec<String>),
}

/// A source row that can be read by column name.
pub(crate) trait Row {
    fn cell(&self, column: &str) -> Cell<'_>;
}

/// Why a row did not become a draft: `(kind, field, reason)`.
pub(crate) type Rejection = (RowErrorKind, Option<String>, String);

fn invalid(target: Target, reason: impl Into<String>) -> Rejection {
    (RowErrorKind::Invalid, Some(target.as_str().to_owned()), reason.into())
}

impl Mapping {
    /// Reads and checks a mapping file.
    pub fn from_toml(text: &str) -> Result<Self, MappingError> {
        let mut mapping: Mapping = toml::from_str(text)?;
        mapping.check()?;
        Ok(mapping)
    }

    /// The names of the built-in mappings.
    pub fn builtin_names() -> [&'static str; 2] {
        ["myntra-styles", "myntra-products"]
    }

    /// A built-in mapping by name.
    pub fn builtin(name: &str) -> Result<Self, MappingError> {
        let text = match name {
            "myntra-styles" => MYNTRA_STYLES,
            "myntra-products" => MYNTRA_PRODUCTS,
            _ => return Err(MappingError::Unknown(name.to_owned())),
        };
        Self::from_toml(text)
    }

    /// The first built-in mapping whose `detect` columns all appear in
    /// `header`.
    pub fn detect(header: &[String]) -> Option<Self> {
        Self::builtin_names().into_iter().find_map(|name| match Self::builtin(name) {
            Ok(m) if !m.detect.is_empty() && m.detect.iter().all(|c| header.iter().any(|h| h == c)) => Some(m),
            Ok(_) => None,
            Err(e) => {
                // The built-in files are tested to parse: this is a bug, logged
                // rather than turned into a panic in a running server.
                tracing::error!(mapping = name, error = %e, "a built-in mapping does not parse");
                None
            }
        })
    }

    /// The same mapping, giving rows without a price `price` (tagged
    /// `default-price`) instead of skipping them.
    pub fn with_default_price(mut self, price: Money) -> Self {
        self.defaults.missing_price = MissingPrice::Default;
        self.defaults.default_price = Some(price.amount_string());
        self.defaults.currency = price.currency.as_str().to_owned();
        self.currency = Some(price.currency);
        self.default_price_minor = Some(price.minor);
        self
    }

    pub(crate) fn delimiter(&self) -> u8 {
        // `check` admits ASCII delimiters only.
        u8::try_from(u32::from(self.csv.delimiter)).unwrap_or(b',')
    }

    fn check(&mut self) -> Result<(), MappingError> {
        let bad = |m: String| Err(MappingError::Invalid(m));
        if !self.csv.delimiter.is_ascii() || matches!(self.csv.delimiter, '"' | '\n' | '\r') {
            return bad("csv.delimiter must be one ASCII character other than a quote or a line break".into());
        }
        let currency = Currency::parse(&self.defaults.currency)
            .map_err(|e| MappingError::Invalid(format!("defaults.currency {e}")))?;
        self.currency = Some(currency);
        match (self.defaults.missing_price, &self.defaults.default_price) {
            (MissingPrice::Skip, Some(_)) => {
                return bad("defaults.default_price is set but missing_price is \"skip\"; set missing_price = \"default\" to use it".into());
            }
            (MissingPrice::Default, None) => {
                return bad("missing_price = \"default\" needs defaults.default_price".into());
            }
            (MissingPrice::Default, Some(text)) => {
                let minor = Money::parse_major(text)
                    .map_err(|e| MappingError::Invalid(format!("defaults.default_price {e}")))?;
                if minor <= 0 {
                    return bad("defaults.default_price must be above zero".into());
                }
                self.default_price_minor = Some(minor);
            }
            (MissingPrice::Skip, None) => {}
        }
        for required in [Target::Sku, Target::Title] {
            if !self.fields.contains_key(&required) {
                return bad(format!("fields.{} is required", required.as_str()));
            }
        }
        for (target, spec) in &self.fields {
            let name = target.as_str();
            let transforms = spec.transform.as_slice();
            let constant = transforms.contains(&Transform::Constant);
            if constant && spec.value.is_none() {
                return bad(format!("fields.{name}: transform \"constant\" needs `value`"));
            }
            if !constant && spec.column.is_none() && spec.columns.is_empty() {
                return bad(format!("fields.{name} needs `column`, `columns` or transform \"constant\""));
            }
            if spec.column.is_some() && !spec.columns.is_empty() {
                return bad(format!("fields.{name}: give `column` or `columns`, not both"));
            }
            if transforms.contains(&Transform::Map) && spec.table.is_empty() {
                return bad(format!("fields.{name}: transform \"map\" needs a `table`"));
            }
            if transforms.contains(&Transform::Keyword) && spec.keywords.is_empty() {
                return bad(format!("fields.{name}: transform \"keyword\" needs `keywords`"));
            }
            if spec.words == Some(0) {
                return bad(format!("fields.{name}: `words` must be at least 1"));
            }
        }
        Ok(())
    }

    /// Turns one source row into a draft.
    pub(crate) fn apply(&self, row: &dyn Row) -> Result<ProductDraft, Rejection> {
        let currency = self.currency.unwrap_or(Currency::INR);
        let text = |t: Target| -> Result<Option<String>, Rejection> { Ok(self.values(t, row)?.into_iter().next()) };
        let list = |t: Target| self.values(t, row);

        let sku = text(Target::Sku)?.ok_or_else(|| invalid(Target::Sku, "missing"))?;
        let title = text(Target::Title)?.ok_or_else(|| invalid(Target::Title, "missing"))?;

        let mut tags = list(Target::Tags)?;
        let price = match text(Target::Price)? {
            Some(v) => parse_amount(Target::Price, &v)?,
            None => match (self.defaults.missing_price, self.default_price_minor) {
                (MissingPrice::Default, Some(minor)) => {
                    tags.push(DEFAULT_PRICE_TAG.to_owned());
                    minor
                }
                _ => {
                    return Err((RowErrorKind::Skipped, Some("price".into()), "no price".into()));
                }
            },
        };
        if price <= 0 {
            return Err(invalid(Target::Price, "must be above zero"));
        }
        let original = match (text(Target::OriginalPrice)?, text(Target::DiscountPercent)?) {
            (Some(v), _) => parse_amount(Target::OriginalPrice, &v)?,
            (None, Some(d)) => {
                let d: f64 =
                    d.parse().map_err(|_| invalid(Target::DiscountPercent, format!("'{d}' is not a number")))?;
                if !(0.0..100.0).contains(&d) {
                    return Err(invalid(Target::DiscountPercent, "must be at least 0 and below 100"));
                }
                // Shops round the original price to whole major units.
                let original = price as f64 * 100.0 / (100.0 - d);
                ((original / 100.0).round() as i64 * 100).max(price)
            }
            (None, None) => price,
        };

        let rating = match text(Target::Rating)? {
            Some(v) => {
                let r: f32 = v.parse().map_err(|_| invalid(Target::Rating, format!("'{v}' is not a number")))?;
                if !(r.is_finite() && (0.0..=5.0).contains(&r)) {
                    return Err(invalid(Target::Rating, format!("{v} is outside 0..5")));
                }
                Some(r)
            }
            None => None,
        };
        let reviews = match text(Target::Reviews)? {
            Some(v) => {
                v.parse::<u32>().map_err(|_| invalid(Target::Reviews, format!("'{v}' is not a whole number")))?
            }
            None => 0,
        };
        let year = match text(Target::Year)? {
            Some(v) => Some(v.parse::<i32>().map_err(|_| invalid(Target::Year, format!("'{v}' is not a year")))?),
            None => None,
        };
        let gender = match text(Target::Gender)? {
            Some(v) => Some(Gender::parse(&v).map_err(|e| invalid(Target::Gender, format!("'{v}' {e}")))?),
            None => None,
        };
        let stock_default = self.defaults.stock_per_size.unwrap_or(0);
        let sizes =
            list(Target::Sizes)?.into_iter().map(|s| parse_size(&s, stock_default)).collect::<Result<Vec<_>, _>>()?;

        let category_path = list(Target::CategoryPath)?;
        let article_type = text(Target::ArticleType)?;
        let category = text(Target::Category)?
            .or_else(|| category_path.last().cloned())
            .or_else(|| article_type.clone())
            .unwrap_or_default();

        let draft = ProductDraft {
            sku,
            title,
            brand: text(Target::Brand)?.unwrap_or_default(),
            category,
            price: Money::new(price, currency),
            original_price: Money::new(original, currency),
            images: list(Target::Images)?,
            description: text(Target::Description)?.unwrap_or_default(),
            rating,
            reviews,
            metadata: ProductMetadata {
                gender,
                category_path,
                article_type,
                colour: text(Target::Colour)?,
                sizes,
                season: text(Target::Season)?,
                usage: text(Target::Usage)?,
                tags: dedup(tags),
                year,
            },
        };
        draft.validate().map_err(|e| (RowErrorKind::Invalid, Some(e.field.to_owned()), e.reason))?;
        Ok(draft)
    }

    /// The field's values after the transforms: empty when the source is
    /// empty; one element for a scalar field (later ones are ignored).
    fn values(&self, target: Target, row: &dyn Row) -> Result<Vec<String>, Rejection> {
        let Some(spec) = self.fields.get(&target) else {
            return Ok(Vec::new());
        };
        let is_null = |v: &str| self.defaults.null_values.iter().any(|n| n == v);
        let mut values: Vec<String> = Vec::new();
        let mut push = |cell: Cell<'_>| match cell {
            Cell::Missing => {}
            Cell::Text(t) => {
                let t = t.trim();
                if !is_null(t) {
                    values.push(t.to_owned());
                }
            }
            Cell::List(items) => {
                values.extend(items.into_iter().map(|i| i.trim().to_owned()).filter(|i| !is_null(i)));
            }
        };
        if let Some(column) = &spec.column {
            push(row.cell(column));
        }
        for column in &spec.columns {
            push(row.cell(column));
        }
        if values.is_empty()
            && let Some(d) = &spec.default
        {
            values.push(d.clone());
        }
        for transform in spec.transform.as_slice() {
            values = apply_transform(*transform, target, spec, values)?;
        }
        values.retain(|v| !v.is_empty());
        if let Some(prefix) = &spec.prefix {
            for v in &mut values {
                v.insert_str(0, prefix);
            }
        }
        if !target.is_list() {
            values.truncate(1);
        }
        Ok(values)
    }
}

fn dedup(list: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for item in list {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

fn apply_transform(
    transform: Transform,
    target: Target,
    spec: &FieldSpec,
    values: Vec<String>,
) -> Result<Vec<String>, Rejection> {
    Ok(match transform {
        Transform::Constant => spec.value.iter().cloned().collect(),
        Transform::Lowercase => values.into_iter().map(|v| v.to_lowercase()).collect(),
        Transform::Number => values
            .into_iter()
            .map(|v| first_number(&v).ok_or_else(|| invalid(target, format!("no number in '{v}'"))))
            .collect::<Result<_, _>>()?,
        Transform::Money => values
            .into_iter()
            .map(|v| money_text(&v).ok_or_else(|| invalid(target, format!("no amount in '{v}'"))))
            .collect::<Result<_, _>>()?,
        Transform::List => {
            let separators: Vec<char> = spec.separator.as_deref().unwrap_or(",|").chars().collect();
            values
                .iter()
                .flat_map(|v| v.split(separators.as_slice()))
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        }
        Transform::BrandFromTitle => {
            values.iter().map(|v| brand_from_title(v, spec.words.unwrap_or(3), &spec.brands)).collect()
        }
        Transform::Map => {
            let mut out = Vec::with_capacity(values.len());
            for v in values {
                let hit = spec
                    .table
                    .get(&v)
                    .or_else(|| spec.table.iter().find(|(k, _)| k.eq_ignore_ascii_case(&v)).map(|(_, to)| to));
                match (hit, spec.unmapped) {
                    (Some(to), _) => out.push(to.clone()),
                    (None, Unmapped::Keep) => out.push(v),
                    (None, Unmapped::Empty) => {}
                    (None, Unmapped::Error) => return Err(invalid(target, format!("'{v}' is not in the map table"))),
                }
            }
            out
        }
        Transform::Keyword => values.iter().filter_map(|v| keyword(v, &spec.keywords)).collect(),
    })
}

fn parse_amount(target: Target, text: &str) -> Result<i64, Rejection> {
    Money::parse_major(text).map_err(|e| invalid(target, format!("'{text}' {e}")))
}

fn parse_size(text: &str, default_stock: u32) -> Result<SizeStock, Rejection> {
    if let Some((size, stock)) = text.rsplit_once(':')
        && !stock.trim().is_empty()
        && stock.trim().chars().all(|c| c.is_ascii_digit())
    {
        let stock =
            stock.trim().parse().map_err(|_| invalid(Target::Sizes, format!("stock in '{text}' is too large")))?;
        return Ok(SizeStock { size: size.trim().to_owned(), stock });
    }
    Ok(SizeStock { size: text.trim().to_owned(), stock: default_stock })
}

/// The first number in `text` (`"45% OFF"` → `"45"`, `"4.3 out of 5"` →
/// `"4.3"`, `"1,234 ratings"` → `"1234"`), thousands separators dropped.
pub(crate) fn first_number(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let start = bytes.iter().position(u8::is_ascii_digit)?;
    let mut out = String::new();
    let mut seen_point = false;
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        let next_is_digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        match b {
            b'0'..=b'9' => out.push(char::from(b)),
            b',' if next_is_digit && !seen_point => {}
            b'.' if next_is_digit && !seen_point => {
                seen_point = true;
                out.push('.');
            }
            _ => break,
        }
        i += 1;
    }
    Some(out)
}

/// `"₹1,299"`, `"Rs. 1,299.00"`, `"INR 999"` → the amount in major units as
/// a decimal string; `None` when there is no amount.
pub(crate) fn money_text(text: &str) -> Option<String> {
    let mut t = text.trim();
    for symbol in ["₹", "Rs.", "Rs", "INR", "$", "€", "£", "USD", "EUR", "GBP"] {
        if let Some(rest) = t.strip_prefix(symbol) {
            t = rest.trim_start();
        }
        if let Some(rest) = t.strip_suffix(symbol) {
            t = rest.trim_end();
        }
    }
    let cleaned: String = t.chars().filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '_')).collect();
    // A trailing ".-" or "/-" is the Indian way of writing "and no paise".
    let cleaned = cleaned.trim_end_matches("/-").trim_end_matches(".-");
    if cleaned.is_empty() || !cleaned.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    Some(cleaned.to_owned())
}

const GENDER_WORDS: &[&str] = &[
    "men", "women", "boys", "girls", "unisex", "kids", "men's", "women's", "mens", "womens", "boy", "girl", "infant",
    "infants", "baby",
];

/// The brand at the start of a title: the longest of `brands` that starts
/// it; otherwise the words before the first gender word ("Peter England Men
/// Blue Jeans" → "Peter England") when there are at most `words` of them;
/// otherwise the first word.
pub(crate) fn brand_from_title(title: &str, words: usize, brands: &[String]) -> String {
    let lower = title.to_lowercase();
    if let Some(brand) = brands
        .iter()
        .filter(|b| {
            let b = b.to_lowercase();
            lower.starts_with(&b) && lower[b.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
        })
        .max_by_key(|b| b.len())
    {
        return brand.clone();
    }
    let all: Vec<&str> = title.split_whitespace().collect();
    let before_gender =
        all.iter().position(|w| GENDER_WORDS.contains(&w.to_lowercase().as_str())).filter(|&n| n >= 1 && n <= words);
    let n = before_gender.unwrap_or(1).min(all.len());
    all[..n].join(" ")
}

/// The first of `keywords` that occurs in `text` as whole words, ignoring
/// case and allowing a plural `s`.
pub(crate) fn keyword(text: &str, keywords: &[String]) -> Option<String> {
    let lower = text.to_lowercase();
    keywords.iter().find(|k| contains_words(&lower, &k.to_lowercase())).cloned()
}

fn contains_words(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let rest = &haystack[at + needle.len()..];
        let after = rest.strip_prefix("es").or_else(|| rest.strip_prefix('s')).filter(|r| boundary(r.chars().next()));
        boundary(before) && (boundary(rest.chars().next()) || after.is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_number_is_found_in_shop_text() {
        assert_eq!(first_number("45% OFF").as_deref(), Some("45"));
        assert_eq!(first_number("4.3 out of 5").as_deref(), Some("4.3"));
        assert_eq!(first_number("1,234 ratings").as_deref(), Some("1234"));
        assert_eq!(first_number("(12)").as_deref(), Some("12"));
        assert_eq!(first_number("none"), None);
    }

    #[test]
    fn money_text_strips_symbols_and_separators() {
        assert_eq!(money_text("₹1,299").as_deref(), Some("1299"));
        assert_eq!(money_text("Rs. 1,29,999.50").as_deref(), Some("129999.50"));
        assert_eq!(money_text("INR 999/-").as_deref(), Some("999"));
        assert_eq!(money_text("free"), None);
    }

    #[test]
    fn the_brand_is_the_words_before_the_gender_word() {
        assert_eq!(brand_from_title("Peter England Men Party Blue Jeans", 3, &[]), "Peter England");
        assert_eq!(brand_from_title("Titan Women Silver Watch", 3, &[]), "Titan");
        assert_eq!(brand_from_title("Lakme Absolute Lip Last Day Kiss Lip Colour", 3, &[]), "Lakme");
        let known = ["Turtle".to_owned(), "Turtle Check".to_owned()];
        assert_eq!(brand_from_title("Turtle Men Navy Shirt", 3, &known), "Turtle");
        assert_eq!(brand_from_title("U.S. Polo Assn. Kids Boys Navy Sweatshirt", 3, &[]), "U.S. Polo Assn.");
    }

    #[test]
    fn keywords_match_whole_words_in_list_order() {
        let k: Vec<String> = ["Kurta Set", "Kurta", "T-shirt", "Shirt", "Jacket"].map(String::from).to_vec();
        assert_eq!(keyword("Women Beige Kurta Set with Jacket", &k).as_deref(), Some("Kurta Set"));
        assert_eq!(keyword("Men Pack of 2 Shirts", &k).as_deref(), Some("Shirt"));
        assert_eq!(keyword("Boys Printed T-shirt", &k).as_deref(), Some("T-shirt"));
        assert_eq!(keyword("Shirtdress", &k), None);
    }

    #[test]
    fn the_built_in_mappings_parse() {
        for name in Mapping::builtin_names() {
            assert!(Mapping::builtin(name).is_ok(), "{name}");
            let text = match name {
                "myntra-styles" => MYNTRA_STYLES,
                _ => MYNTRA_PRODUCTS,
            };
            Mapping::from_toml(text).unwrap();
        }
    }

    #[test]
    fn an_unknown_built_in_mapping_is_an_error() {
        assert!(matches!(Mapping::builtin("amazon"), Err(MappingError::Unknown(_))));
    }

    #[test]
    fn a_contradictory_price_policy_is_refused() {
        let base = "name = \"x\"\n[fields.sku]\ncolumn = \"a\"\n[fields.title]\ncolumn = \"b\"\n";
        let skip_with_price = format!("{base}[defaults]\ndefault_price = \"9\"\n");
        assert!(matches!(Mapping::from_toml(&skip_with_price), Err(MappingError::Invalid(_))));
        let default_without = format!("{base}[defaults]\nmissing_price = \"default\"\n");
        assert!(matches!(Mapping::from_toml(&default_without), Err(MappingError::Invalid(_))));
        let unknown_key = format!("{base}[defaults]\ncurency = \"INR\"\n");
        assert!(matches!(Mapping::from_toml(&unknown_key), Err(MappingError::Syntax(_))));
    }
}
