//! Fixtures shared by the store's test binaries.

use domain::{ProductId, money::Money, product::Product};
use store::NewProduct;

/// A product whose SKU is `{prefix}-{n}`, created now.
pub fn product(prefix: &str, n: usize) -> NewProduct {
    let at = domain::clock::now();
    NewProduct {
        product: Product {
            id: ProductId::new(),
            sku: format!("{prefix}-{n:05}"),
            title: format!("Product {n}"),
            brand: "Brand".into(),
            category: "Shirts".into(),
            price: Money::inr(10_000),
            original_price: Money::inr(10_000),
            images: Vec::new(),
            description: String::new(),
            rating: None,
            reviews: 0,
            metadata: Default::default(),
            created_at: at,
            updated_at: at,
        },
        content_hash: n as u64,
    }
}
