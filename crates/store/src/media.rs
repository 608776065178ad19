//! Media in storage: the references rows keep to uploaded files. The bytes
//! themselves live in object storage (`app::files`), never in the database.

use async_trait::async_trait;
use domain::ProductId;
use time::OffsetDateTime;

use crate::StoreError;

#[async_trait]
pub trait Media {
    /// Appends `url` to the product's `images` and sets its `updated_at`, in
    /// one transaction; the product's images after the append. `NotFound`
    /// when there is no such product.
    async fn append_product_image(
        &self,
        product_id: ProductId,
        url: &str,
        at: OffsetDateTime,
    ) -> Result<Vec<String>, StoreError>;
}
