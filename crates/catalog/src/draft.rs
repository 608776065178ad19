//! The product draft every source produces, its validation rules and its
//! content hash. A draft holds only what the source gave: missing fields stay
//! empty rather than being invented.

use domain::ProductId;
use domain::money::Money;
use domain::product::{Product, ProductMetadata};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A product as a source gives it, before it has an id or timestamps.
///
/// Fields the source lacks are empty: `brand`, `category` and `description`
/// are `""`, `images` and `metadata.sizes` are empty (no stock is invented: a
/// product without sizes cannot be put in a cart until a feed gives sizes),
/// `rating` is `None` and `reviews` is 0. `original_price` equals `price` when
/// the source gives no original (undiscounted) price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductDraft {
    /// The source's stable identifier of the product; the upsert key.
    pub sku: String,
    pub title: String,
    pub brand: String,
    /// The narrowest category name, normally the last element of
    /// `metadata.category_path`.
    pub category: String,
    pub price: Money,
    /// Never below `price`; equal to it when the product is not discounted.
    pub original_price: Money,
    pub images: Vec<String>,
    pub description: String,
    /// 0.0 to 5.0; `None` when the source gives no rating.
    pub rating: Option<f32>,
    pub reviews: u32,
    pub metadata: ProductMetadata,
}

/// A draft field that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct DraftError {
    pub field: &'static str,
    pub reason: String,
}

impl DraftError {
    fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self { field, reason: reason.into() }
    }
}

/// Longest sku accepted; longer values are almost always a mis-mapped column.
const MAX_SKU_CHARS: usize = 128;

impl ProductDraft {
    /// Checks the rules every source shares: a sku and a title, a price above
    /// zero, an original price in the same currency and not below the price,
    /// and a rating within 0..=5.
    pub fn validate(&self) -> Result<(), DraftError> {
        if self.sku.trim().is_empty() {
            return Err(DraftError::new("sku", "missing"));
        }
        if self.sku.chars().count() > MAX_SKU_CHARS {
            return Err(DraftError::new("sku", format!("longer than {MAX_SKU_CHARS} characters")));
        }
        if self.title.trim().is_empty() {
            return Err(DraftError::new("title", "missing"));
        }
        if self.price.minor <= 0 {
            return Err(DraftError::new("price", "must be above zero"));
        }
        if self.original_price.currency != self.price.currency {
            return Err(DraftError::new("original_price", "currency differs from the price's"));
        }
        if self.original_price.minor < self.price.minor {
            return Err(DraftError::new("original_price", "is below the price"));
        }
        if let Some(rating) = self.rating
            && !(rating.is_finite() && (0.0..=5.0).contains(&rating))
        {
            return Err(DraftError::new("rating", "must be between 0 and 5"));
        }
        Ok(())
    }

    /// Percent off the original price, rounded down; 0 when not discounted.
    pub fn discount_percent(&self) -> u8 {
        Money::discount_percent(self.price.minor, self.original_price.minor)
    }

    /// The stored product for this draft.
    pub fn into_product(self, id: ProductId, created_at: OffsetDateTime, updated_at: OffsetDateTime) -> Product {
        Product {
            id,
            sku: self.sku,
            title: self.title,
            brand: self.brand,
            category: self.category,
            price: self.price,
            original_price: self.original_price,
            images: self.images,
            description: self.description,
            rating: self.rating,
            reviews: self.reviews,
            metadata: self.metadata,
            created_at,
            updated_at,
        }
    }

    /// The draft part of a stored product, e.g. to compare its
    /// [`content_hash`] with a fresh import.
    pub fn from_product(product: &Product) -> Self {
        Self {
            sku: product.sku.clone(),
            title: product.title.clone(),
            brand: product.brand.clone(),
            category: product.category.clone(),
            price: product.price,
            original_price: product.original_price,
            images: product.images.clone(),
            description: product.description.clone(),
            rating: product.rating,
            reviews: product.reviews,
            metadata: product.metadata.clone(),
        }
    }
}

/// A hash of everything a draft says, stable across processes, platforms and
/// Rust releases (FNV-1a over a length-prefixed encoding of each field), so a
/// stored hash tells "unchanged" from "updated" on the next import.
pub fn content_hash(draft: &ProductDraft) -> u64 {
    let mut h = Fnv1a::new();
    h.str(&draft.sku);
    h.str(&draft.title);
    h.str(&draft.brand);
    h.str(&draft.category);
    h.money(draft.price);
    h.money(draft.original_price);
    h.strs(&draft.images);
    h.str(&draft.description);
    match draft.rating {
        Some(r) => {
            h.byte(1);
            h.bytes(&r.to_bits().to_le_bytes());
        }
        None => h.byte(0),
    }
    h.bytes(&draft.reviews.to_le_bytes());
    let m = &draft.metadata;
    h.opt_str(m.gender.map(|g| g.as_str()));
    h.strs(&m.category_path);
    h.opt_str(m.article_type.as_deref());
    h.opt_str(m.colour.as_deref());
    h.bytes(&(m.sizes.len() as u64).to_le_bytes());
    for s in &m.sizes {
        h.str(&s.size);
        h.bytes(&s.stock.to_le_bytes());
    }
    h.opt_str(m.season.as_deref());
    h.opt_str(m.usage.as_deref());
    h.strs(&m.tags);
    match m.year {
        Some(y) => {
            h.byte(1);
            h.bytes(&y.to_le_bytes());
        }
        None => h.byte(0),
    }
    h.0
}

/// FNV-1a, 64 bits: tiny and fully specified, unlike `std`'s `DefaultHasher`,
/// whose output may change between Rust releases.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
    fn byte(&mut self, b: u8) {
        self.0 ^= u64::from(b);
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte(b);
        }
    }
    fn str(&mut self, s: &str) {
        // The length prefix keeps ("ab", "c") apart from ("a", "bc").
        self.bytes(&(s.len() as u64).to_le_bytes());
        self.bytes(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.byte(1);
                self.str(s);
            }
            None => self.byte(0),
        }
    }
    fn strs(&mut self, list: &[String]) {
        self.bytes(&(list.len() as u64).to_le_bytes());
        for s in list {
            self.str(s);
        }
    }
    fn money(&mut self, m: Money) {
        self.bytes(&m.minor.to_le_bytes());
        self.str(m.currency.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ProductDraft {
        ProductDraft {
            sku: "A1".into(),
            title: "Koel Women Red Kurta".into(),
            brand: "Koel".into(),
            category: "Kurtas".into(),
            price: Money::inr(99_900),
            original_price: Money::inr(149_900),
            images: vec![],
            description: String::new(),
            rating: Some(4.2),
            reviews: 12,
            metadata: ProductMetadata::default(),
        }
    }

    #[test]
    fn a_valid_draft_passes_validation() {
        assert_eq!(draft().validate(), Ok(()));
        assert_eq!(draft().discount_percent(), 33);
    }

    #[test]
    fn each_broken_rule_names_its_field() {
        type Breaker = fn(&mut ProductDraft);
        let cases: [(Breaker, &str); 5] = [
            (|d| d.sku = " ".into(), "sku"),
            (|d| d.title = String::new(), "title"),
            (|d| d.price = Money::inr(0), "price"),
            (|d| d.original_price = Money::inr(100), "original_price"),
            (|d| d.rating = Some(5.5), "rating"),
        ];
        for (break_it, field) in cases {
            let mut d = draft();
            break_it(&mut d);
            assert_eq!(d.validate().unwrap_err().field, field);
        }
    }

    #[test]
    fn the_content_hash_changes_with_any_field_and_only_then() {
        let a = draft();
        assert_eq!(content_hash(&a), content_hash(&a.clone()));
        let mut b = a.clone();
        b.metadata.tags.push("x".into());
        assert_ne!(content_hash(&a), content_hash(&b));
        let mut c = a.clone();
        c.price = Money::inr(99_800);
        assert_ne!(content_hash(&a), content_hash(&c));
        // Pinned so that a change of encoding is a deliberate decision: every
        // stored hash would read as "updated" on the next import.
        assert_eq!(content_hash(&a), 15_888_276_738_550_812_238);
    }
}
