//! The partner product: the JSON shape one product takes in a partner feed
//! page or a JSON Lines file, and how it becomes a draft.

use domain::money::{Currency, Money};
use domain::product::{Gender, ProductMetadata, SizeStock};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use crate::ProductDraft;
use crate::import::RowErrorKind;
use crate::import::mapping::Rejection;

/// One product of a partner feed. Every field but `sku`, `title` and a price
/// may be left out; unknown fields are ignored.
///
/// ```json
/// {
///   "sku": "ACME-1001",
///   "title": "Acme Men Navy Slim Fit Chinos",
///   "brand": "Acme",
///   "category_path": ["Apparel", "Bottomwear", "Trousers"],
///   "price": {"amount": "1299.00", "currency": "INR"},
///   "original_price": {"amount": "1999.00", "currency": "INR"},
///   "images": ["https://cdn.example/acme-1001.jpg"],
///   "description": "Navy chinos with four pockets.",
///   "rating": 4.3, "reviews": 120,
///   "gender": "men", "colour": "Navy Blue",
///   "sizes": [{"size": "30", "stock": 4}, {"size": "32", "stock": 0}],
///   "season": "All season", "usage": "Casual", "tags": ["office"], "year": 2026,
///   "updated_at": "2026-11-20T10:00:00Z"
/// }
/// ```
///
/// A price is `price` (`{amount, currency}`, the amount a decimal string or
/// number in major units) or `price_minor` (an integer in minor units, in
/// `currency` or the feed's default currency); likewise `original_price` /
/// `original_price_minor`, which default to the price. A size without
/// `stock` has stock 0: no stock is invented.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartnerProduct {
    #[serde(default)]
    pub sku: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category_path: Vec<String>,
    /// The narrowest category; the last of `category_path` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<PartnerMoney>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_minor: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_price: Option<PartnerMoney>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_price_minor: Option<i64>,
    /// The currency of `price_minor` and `original_price_minor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviews: Option<u32>,
    /// `men`, `women`, `boys`, `girls` or `unisex` (any case; `male`,
    /// `female` accepted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    #[serde(default, alias = "color", skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sizes: Vec<PartnerSize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// When the partner last changed the product; drives the sync cursor.
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<OffsetDateTime>,
}

/// `{"amount": "1299.00", "currency": "INR"}`; the amount may also be a JSON
/// number, and the currency may be left to the product's or the feed's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerMoney {
    pub amount: Amount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    Text(String),
    Number(serde_json::Number),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerSize {
    pub size: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<u32>,
}

fn invalid(field: &str, reason: impl Into<String>) -> Rejection {
    (RowErrorKind::Invalid, Some(field.to_owned()), reason.into())
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

impl PartnerProduct {
    /// Reads one product, naming the field at fault when the JSON does not
    /// fit the shape.
    pub(crate) fn from_value(value: Value) -> Result<Self, Rejection> {
        serde_path_to_error::deserialize(value).map_err(|e| {
            let field = e.path().to_string();
            let field = if field == "." { None } else { Some(field) };
            (RowErrorKind::Invalid, field, e.into_inner().to_string())
        })
    }

    /// The draft for this product; `currency` is the feed's default for
    /// amounts that name none.
    pub fn into_draft(self, currency: Currency) -> Result<ProductDraft, Rejection> {
        let sku = non_empty(self.sku).ok_or_else(|| invalid("sku", "missing"))?;
        let title = non_empty(self.title).ok_or_else(|| invalid("title", "missing"))?;
        let product_currency = match &self.currency {
            Some(c) => Currency::parse(c).map_err(|e| invalid("currency", e))?,
            None => currency,
        };
        let price = money("price", self.price, self.price_minor, product_currency)?
            .ok_or_else(|| (RowErrorKind::Skipped, Some("price".to_owned()), "no price".to_owned()))?;
        let original_price =
            money("original_price", self.original_price, self.original_price_minor, product_currency)?.unwrap_or(price);
        let gender = match non_empty(self.gender) {
            Some(g) => Some(Gender::parse(&g).map_err(|e| invalid("gender", format!("'{g}' {e}")))?),
            None => None,
        };
        let article_type = non_empty(self.article_type);
        let category = non_empty(self.category)
            .or_else(|| self.category_path.last().cloned())
            .or_else(|| article_type.clone())
            .unwrap_or_default();
        let draft = ProductDraft {
            sku,
            title,
            brand: non_empty(self.brand).unwrap_or_default(),
            category,
            price,
            original_price,
            images: self.images,
            description: non_empty(self.description).unwrap_or_default(),
            rating: self.rating,
            reviews: self.reviews.unwrap_or(0),
            metadata: ProductMetadata {
                gender,
                category_path: self.category_path,
                article_type,
                colour: non_empty(self.colour),
                sizes: self
                    .sizes
                    .into_iter()
                    .map(|s| SizeStock { size: s.size, stock: s.stock.unwrap_or(0) })
                    .collect(),
                season: non_empty(self.season),
                usage: non_empty(self.usage),
                tags: self.tags,
                year: self.year,
            },
        };
        draft.validate().map_err(|e| invalid(e.field, e.reason))?;
        Ok(draft)
    }
}

fn money(
    field: &str,
    wire: Option<PartnerMoney>,
    minor: Option<i64>,
    currency: Currency,
) -> Result<Option<Money>, Rejection> {
    match (wire, minor) {
        (Some(m), _) => {
            let text = match &m.amount {
                Amount::Text(t) => t.clone(),
                Amount::Number(n) => n.to_string(),
            };
            let minor = Money::parse_major(&text).map_err(|e| invalid(field, format!("amount '{text}' {e}")))?;
            let currency = match &m.currency {
                Some(c) => Currency::parse(c).map_err(|e| invalid(field, format!("currency {e}")))?,
                None => currency,
            };
            Ok(Some(Money::new(minor, currency)))
        }
        (None, Some(minor)) => Ok(Some(Money::new(minor, currency))),
        (None, None) => Ok(None),
    }
}
