//! The catalog's product: the seed's fields plus the typed metadata a fashion
//! shop needs (gender, category path, article type, colour, sizes with stock).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::{ProductId, money::Money};

/// Whom a garment is cut for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Men,
    Women,
    Boys,
    Girls,
    Unisex,
}

impl Gender {
    pub const ALL: [Gender; 5] = [Self::Men, Self::Women, Self::Boys, Self::Girls, Self::Unisex];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Men => "men",
            Self::Women => "women",
            Self::Boys => "boys",
            Self::Girls => "girls",
            Self::Unisex => "unisex",
        }
    }

    /// Accepts our names and the common feed spellings (`Men`, `Women`, `Boys`, `Girls`, `Unisex`).
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "men" | "man" | "male" => Ok(Self::Men),
            "women" | "woman" | "female" => Ok(Self::Women),
            "boys" | "boy" => Ok(Self::Boys),
            "girls" | "girl" => Ok(Self::Girls),
            "unisex" => Ok(Self::Unisex),
            _ => Err("must be one of men, women, boys, girls, unisex".into()),
        }
    }
}

/// Stock of one size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SizeStock {
    pub size: String,
    pub stock: u32,
}

/// The typed part of a product beyond the seed's columns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProductMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// From broad to narrow, e.g. `["Apparel", "Topwear", "Shirts"]`.
    #[serde(default)]
    pub category_path: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    #[serde(default)]
    pub sizes: Vec<SizeStock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

/// A product of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Product {
    pub id: ProductId,
    pub sku: String,
    pub title: String,
    pub brand: String,
    /// The narrowest category name (the last element of `metadata.category_path`).
    pub category: String,
    pub price: Money,
    pub original_price: Money,
    pub images: Vec<String>,
    pub description: String,
    /// 0.0 to 5.0; absent when the product has no rating.
    pub rating: Option<f32>,
    /// Number of reviews.
    pub reviews: u32,
    pub metadata: ProductMetadata,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Product {
    /// Percent off the original price, 0 when not discounted.
    pub fn discount_percent(&self) -> u8 {
        Money::discount_percent(self.price.minor, self.original_price.minor)
    }

    /// Stock of `size`, or `None` when the product has no such size.
    pub fn stock_of(&self, size: &str) -> Option<u32> {
        self.metadata.sizes.iter().find(|s| s.size.eq_ignore_ascii_case(size)).map(|s| s.stock)
    }

    pub fn in_stock(&self) -> bool {
        self.metadata.sizes.iter().any(|s| s.stock > 0)
    }
}
