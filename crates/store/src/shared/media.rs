// Media references shared by both backends. Included by `sqlite.rs` and
// `postgres.rs` inside a module that imports `Db`, `BackendStore`,
// `LOCK_ROWS` and `StoreError`.

use async_trait::async_trait;
use domain::ProductId;
use sqlx::types::Json;
use time::OffsetDateTime;

use crate::media::Media;

#[async_trait]
impl Media for BackendStore {
    async fn append_product_image(
        &self,
        product_id: ProductId,
        url: &str,
        at: OffsetDateTime,
    ) -> Result<Vec<String>, StoreError> {
        let mut tx = self.writer().begin().await?;
        // Read-modify-write under the row lock: the two backends' JSON
        // append operators differ, the document shape does not.
        let (Json(mut images),): (Json<Vec<String>>,) =
            sqlx::query_as::<Db, _>(&format!("SELECT images FROM products WHERE id = $1{LOCK_ROWS}"))
                .bind(product_id.0)
                .fetch_one(&mut *tx)
                .await?;
        images.push(url.to_owned());
        sqlx::query::<Db>("UPDATE products SET images = $2, updated_at = $3 WHERE id = $1")
            .bind(product_id.0)
            .bind(Json(&images))
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(images)
    }
}
