// Trip plans, recommendations and interaction signals, shared by both
// backends. Included by `sqlite.rs` and `postgres.rs` inside a module that
// imports `Db`, `BackendStore`, `LOCK_ROWS` and `StoreError`.

use async_trait::async_trait;
use domain::{
    ActivityId, ProductId, RecommendationId, RoomId, TripId, UserId, activity::ActionType, visibility::Visibility,
};
use sqlx::types::Json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{
    ActivityRecord, NewActivity,
    ai::{Ai, InteractionRecord, RecommendationRecord, TripRecord},
};

// INTEGER is 32 bits on PostgreSQL: widen in SQL so one row type serves both.
const TRIP_COLUMNS: &str = "id, room_id, created_by, destination, trip_type, CAST(duration AS BIGINT) AS duration, \
    start_date, climate, CAST(travelers AS BIGINT) AS travelers, occasion, plan, packing_list, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct TripRow {
    id: Uuid,
    room_id: Uuid,
    created_by: Option<Uuid>,
    destination: String,
    trip_type: String,
    duration: i64,
    start_date: Option<Date>,
    climate: Option<String>,
    travelers: i64,
    occasion: Option<String>,
    plan: Json<serde_json::Value>,
    packing_list: Json<serde_json::Value>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl From<TripRow> for TripRecord {
    fn from(row: TripRow) -> Self {
        TripRecord {
            id: TripId(row.id),
            room_id: RoomId(row.room_id),
            created_by: row.created_by.map(UserId),
            destination: row.destination,
            trip_type: row.trip_type,
            duration_days: row.duration,
            start_date: row.start_date,
            climate: row.climate,
            travelers: row.travelers,
            occasion: row.occasion,
            plan: row.plan.0,
            packing_list: row.packing_list.0,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct RecommendationRow {
    id: Uuid,
    room_id: Uuid,
    for_user_id: Option<Uuid>,
    #[sqlx(rename = "type")]
    kind: String,
    product_ids: Json<Vec<Uuid>>,
    reason: String,
    triggered_by: Option<Uuid>,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
}

impl From<RecommendationRow> for RecommendationRecord {
    fn from(row: RecommendationRow) -> Self {
        RecommendationRecord {
            id: RecommendationId(row.id),
            room_id: RoomId(row.room_id),
            for_user: row.for_user_id.map(UserId),
            kind: row.kind,
            product_ids: row.product_ids.0.into_iter().map(ProductId).collect(),
            reason: row.reason,
            triggered_by: row.triggered_by.map(UserId),
            created_at: row.created_at,
            expires_at: row.expires_at,
        }
    }
}

const INTERACTION_COLUMNS: &str =
    "id, room_id, seq, user_id, product_id, action_type, visibility, metadata, created_at";

#[derive(sqlx::FromRow)]
struct InteractionRow {
    id: Uuid,
    room_id: Uuid,
    seq: i64,
    user_id: Uuid,
    product_id: Uuid,
    action_type: String,
    visibility: Json<Visibility>,
    metadata: Json<serde_json::Value>,
    created_at: OffsetDateTime,
}

impl TryFrom<InteractionRow> for InteractionRecord {
    type Error = StoreError;

    fn try_from(row: InteractionRow) -> Result<Self, StoreError> {
        Ok(InteractionRecord {
            id: ActivityId(row.id),
            room_id: RoomId(row.room_id),
            seq: row.seq,
            user_id: UserId(row.user_id),
            product_id: ProductId(row.product_id),
            action_type: ActionType::parse(&row.action_type).map_err(StoreError::Corrupt)?,
            visibility: row.visibility.0,
            metadata: row.metadata.0,
            created_at: row.created_at,
        })
    }
}

/// The trip inside `tx`; with `lock`, its row stays locked until commit.
async fn trip_in(
    tx: &mut sqlx::Transaction<'_, Db>,
    room: RoomId,
    id: TripId,
    lock: bool,
) -> Result<TripRecord, StoreError> {
    let suffix = if lock { LOCK_ROWS } else { "" };
    let row: TripRow =
        sqlx::query_as(&format!("SELECT {TRIP_COLUMNS} FROM trip_plans WHERE room_id = $1 AND id = $2{suffix}"))
            .bind(room.0)
            .bind(id.0)
            .fetch_one(&mut **tx)
            .await?;
    Ok(row.into())
}

#[async_trait]
impl Ai for BackendStore {
    async fn create_trip(
        &self,
        trip: TripRecord,
        activity: NewActivity,
    ) -> Result<(TripRecord, ActivityRecord), StoreError> {
        let mut tx = self.writer().begin().await?;
        sqlx::query(
            "INSERT INTO trip_plans (id, room_id, created_by, destination, trip_type, duration, start_date, climate, \
             travelers, occasion, plan, packing_list, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(trip.id.0)
        .bind(trip.room_id.0)
        .bind(trip.created_by.map(|u| u.0))
        .bind(&trip.destination)
        .bind(&trip.trip_type)
        .bind(trip.duration_days)
        .bind(trip.start_date)
        .bind(&trip.climate)
        .bind(trip.travelers)
        .bind(&trip.occasion)
        .bind(Json(&trip.plan))
        .bind(Json(&trip.packing_list))
        .bind(trip.created_at)
        .bind(trip.updated_at)
        .execute(&mut *tx)
        .await?;
        let appended = super::rooms::append_in(&mut tx, &activity).await?;
        let record = trip_in(&mut tx, trip.room_id, trip.id, false).await?;
        tx.commit().await?;
        Ok((record, appended))
    }

    async fn list_trips(&self, room: RoomId, limit: u32) -> Result<Vec<TripRecord>, StoreError> {
        let rows: Vec<TripRow> = sqlx::query_as(&format!(
            "SELECT {TRIP_COLUMNS} FROM trip_plans WHERE room_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
        ))
        .bind(room.0)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await?;
        Ok(rows.into_iter().map(TripRecord::from).collect())
    }

    async fn get_trip(&self, room: RoomId, id: TripId) -> Result<TripRecord, StoreError> {
        let row: TripRow =
            sqlx::query_as(&format!("SELECT {TRIP_COLUMNS} FROM trip_plans WHERE room_id = $1 AND id = $2"))
                .bind(room.0)
                .bind(id.0)
                .fetch_one(self.reader())
                .await?;
        Ok(row.into())
    }

    async fn update_trip(
        &self,
        trip: TripRecord,
        expected_updated_at: OffsetDateTime,
        activity: NewActivity,
    ) -> Result<(TripRecord, ActivityRecord), StoreError> {
        let mut tx = self.writer().begin().await?;
        let current = trip_in(&mut tx, trip.room_id, trip.id, true).await?;
        if current.updated_at != expected_updated_at {
            return Err(StoreError::Conflict { constraint: "trip_plans_version".into() });
        }
        let updated = sqlx::query(
            "UPDATE trip_plans SET plan = $3, packing_list = $4, travelers = $5, updated_at = $6 \
             WHERE room_id = $1 AND id = $2",
        )
        .bind(trip.room_id.0)
        .bind(trip.id.0)
        .bind(Json(&trip.plan))
        .bind(Json(&trip.packing_list))
        .bind(trip.travelers)
        .bind(trip.updated_at)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { constraint: "trip_plans_version".into() });
        }
        let appended = super::rooms::append_in(&mut tx, &activity).await?;
        let record = trip_in(&mut tx, trip.room_id, trip.id, false).await?;
        tx.commit().await?;
        Ok((record, appended))
    }

    async fn delete_trip(&self, room: RoomId, id: TripId) -> Result<(), StoreError> {
        let deleted = sqlx::query("DELETE FROM trip_plans WHERE room_id = $1 AND id = $2")
            .bind(room.0)
            .bind(id.0)
            .execute(self.writer())
            .await?;
        if deleted.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }

    async fn replace_recommendations(
        &self,
        room: RoomId,
        for_user: UserId,
        lists: &[RecommendationRecord],
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        sqlx::query("DELETE FROM recommendations WHERE room_id = $1 AND for_user_id = $2")
            .bind(room.0)
            .bind(for_user.0)
            .execute(&mut *tx)
            .await?;
        for list in lists {
            let products: Vec<Uuid> = list.product_ids.iter().map(|p| p.0).collect();
            sqlx::query(
                "INSERT INTO recommendations (id, room_id, for_user_id, type, product_ids, reason, triggered_by, \
                 created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(list.id.0)
            .bind(room.0)
            .bind(for_user.0)
            .bind(&list.kind)
            .bind(Json(&products))
            .bind(&list.reason)
            .bind(list.triggered_by.map(|u| u.0))
            .bind(list.created_at)
            .bind(list.expires_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_recommendations(&self, room: RoomId) -> Result<Vec<RecommendationRecord>, StoreError> {
        let rows: Vec<RecommendationRow> = sqlx::query_as(
            "SELECT id, room_id, for_user_id, type, product_ids, reason, triggered_by, created_at, expires_at \
             FROM recommendations WHERE room_id = $1 ORDER BY created_at, id",
        )
        .bind(room.0)
        .fetch_all(self.reader())
        .await?;
        Ok(rows.into_iter().map(RecommendationRecord::from).collect())
    }

    async fn room_interactions(
        &self,
        room: RoomId,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<InteractionRecord>, StoreError> {
        let rows: Vec<InteractionRow> = sqlx::query_as(&format!(
            "SELECT {INTERACTION_COLUMNS} FROM room_activities \
             WHERE room_id = $1 AND seq > $2 AND product_id IS NOT NULL ORDER BY seq LIMIT $3"
        ))
        .bind(room.0)
        .bind(after_seq)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await?;
        rows.into_iter().map(InteractionRecord::try_from).collect()
    }

    async fn all_interactions(
        &self,
        after: Option<ActivityId>,
        limit: u32,
    ) -> Result<Vec<InteractionRecord>, StoreError> {
        let rows: Vec<InteractionRow> = sqlx::query_as(&format!(
            "SELECT {INTERACTION_COLUMNS} FROM room_activities \
             WHERE id > $1 AND product_id IS NOT NULL ORDER BY id LIMIT $2"
        ))
        .bind(after.map(|a| a.0).unwrap_or(Uuid::nil()))
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await?;
        rows.into_iter().map(InteractionRecord::try_from).collect()
    }
}
