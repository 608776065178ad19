//! The PostgreSQL backend: the production database.

use std::{str::FromStr, time::Duration};

use sqlx::{
    Pool,
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use crate::{Backend, PoolStats, Store, StoreError};

pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

type Db = sqlx::Postgres;
type BackendStore = PgStore;

/// Row locks for read-modify-write transactions.
const LOCK_ROWS: &str = " FOR UPDATE";

/// A room's next activity sequence number. Bumping `rooms.activity_seq`
/// locks the room's row until commit: concurrent appends to one room take
/// their numbers, and commit, in turn, while other rooms' appends go on in
/// parallel. No row when the room is gone.
const NEXT_ACTIVITY_SEQ: &str = "UPDATE rooms SET activity_seq = activity_seq + 1 WHERE id = $1 RETURNING activity_seq";
/// The room's last sequence number given, 0 before its first activity.
const LAST_ACTIVITY_SEQ: &str = "SELECT activity_seq FROM rooms WHERE id = $1";

pub struct PgStore {
    pool: Pool<Db>,
}

impl PgStore {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let options =
            PgConnectOptions::from_str(url).map_err(|e| StoreError::Config(format!("bad PostgreSQL URL: {e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(2))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    fn reader(&self) -> &Pool<Db> {
        &self.pool
    }

    fn writer(&self) -> &Pool<Db> {
        &self.pool
    }

    /// PostgreSQL commits concurrent appends in parallel (each holds its
    /// room's row lock only), so each append is its own transaction.
    async fn append_one(&self, activity: crate::NewActivity) -> Result<crate::ActivityRecord, StoreError> {
        let mut tx = self.pool.begin().await?;
        let record = rooms::append_in(&mut tx, &activity).await?;
        tx.commit().await?;
        Ok(record)
    }

    fn stats(&self) -> PoolStats {
        PoolStats {
            size: self.pool.size(),
            idle: self.pool.num_idle() as u32,
            max: self.pool.options().get_max_connections(),
        }
    }
}

impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }
}

// The shared query code, compiled here with this backend's `Db`.
mod accounts {
    use super::{BackendStore, Db, LOCK_ROWS};
    use crate::StoreError;
    include!("shared/accounts.rs");
}

mod rooms {
    use super::{BackendStore, Db, LAST_ACTIVITY_SEQ, LOCK_ROWS, NEXT_ACTIVITY_SEQ};
    use crate::StoreError;
    include!("shared/rooms.rs");
}

mod media {
    use super::{BackendStore, Db, LOCK_ROWS};
    use crate::StoreError;
    include!("shared/media.rs");
}

mod cart {
    use super::{BackendStore, Db, LOCK_ROWS};
    use crate::StoreError;
    include!("shared/cart.rs");
}

mod products {
    use super::{BackendStore, Db, LOCK_ROWS};
    use crate::StoreError;
    include!("shared/products.rs");
}

mod ai {
    use super::{BackendStore, Db, LOCK_ROWS};
    use crate::StoreError;
    include!("shared/ai.rs");
}
