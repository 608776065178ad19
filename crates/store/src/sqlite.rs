//! The SQLite backend: the embedded default. One writer connection (SQLite
//! has one writer at a time; queueing in the pool beats `SQLITE_BUSY`
//! retries), a pool of readers, and the group committer's own connection for
//! activity appends, which writes only while it holds the writer pool's
//! connection (see `group_commit`); WAL journal, foreign keys on.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    Pool,
    migrate::Migrator,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use crate::{Backend, PoolStats, Store, StoreError};

pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

type Db = sqlx::Sqlite;
type BackendStore = SqliteStore;

/// `SELECT … FOR UPDATE` has no SQLite form: the single writer already
/// serialises every read-modify-write transaction.
const LOCK_ROWS: &str = "";

/// A room's next activity sequence number, read from the `(room_id, seq)`
/// index (one seek to the room's last entry, a page the insert writes
/// anyway). The single writer makes read-then-insert safe, and the room's
/// row stays unwritten: a counter there cost every append one more page
/// in the WAL (decision 0014). No row when the room is gone.
const NEXT_ACTIVITY_SEQ: &str = "SELECT coalesce((SELECT max(seq) FROM room_activities WHERE room_id = r.id), 0) + 1 \
     FROM rooms r WHERE r.id = $1";
/// The room's last sequence number given, 0 before its first activity.
const LAST_ACTIVITY_SEQ: &str =
    "SELECT coalesce((SELECT max(seq) FROM room_activities WHERE room_id = r.id), 0) FROM rooms r WHERE r.id = $1";

pub struct SqliteStore {
    reader: Pool<Db>,
    writer: Pool<Db>,
    appends: group_commit::Appender,
    /// Stops the background checkpointer with the store.
    _checkpointer: AbortOnDrop,
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl SqliteStore {
    pub async fn connect_file(path: &Path, max_connections: u32) -> Result<Self, StoreError> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| StoreError::Config(format!("cannot create {}: {e}", parent.display())))?;
        }
        let options = SqliteConnectOptions::new().filename(path).create_if_missing(true);
        Self::connect_with(options, max_connections).await
    }

    pub async fn connect_url(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("bad SQLite URL: {e}")))?
            .create_if_missing(true);
        Self::connect_with(options, max_connections).await
    }

    async fn connect_with(options: SqliteConnectOptions, max_connections: u32) -> Result<Self, StoreError> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Pages of the database file are read through a memory map, not
            // a system call each: in WAL mode a connection's page cache is
            // dropped whenever another connection commits, so under writes
            // every read would fetch its pages again.
            .pragma("mmap_size", MMAP_BYTES.to_string());
        // No ping before lending a connection: an embedded database's
        // connection cannot go stale the way a network one can, and each ping
        // is a round trip to the connection's thread (a context switch pair
        // on every query).
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(false)
            // The checkpointer below keeps the WAL short; the writer itself
            // checkpoints only when the WAL has grown far past that, so a
            // commit seldom waits for a checkpoint's writes and fsyncs.
            .connect_with(options.clone().pragma("wal_autocheckpoint", WRITER_AUTOCHECKPOINT_PAGES.to_string()))
            .await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await?;
        let appends = group_commit::Appender::start(options.get_filename(), writer.clone())?;
        let checkpointer = AbortOnDrop(tokio::spawn(checkpoint_in_background(reader.clone())));
        Ok(Self { reader, writer, appends, _checkpointer: checkpointer })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.writer).await?;
        Ok(())
    }

    fn reader(&self) -> &Pool<Db> {
        &self.reader
    }

    fn writer(&self) -> &Pool<Db> {
        &self.writer
    }

    /// Appends go through the group committer: one sync of the WAL for every
    /// append that arrived while the previous commit was running.
    async fn append_one(&self, activity: crate::NewActivity) -> Result<crate::ActivityRecord, StoreError> {
        self.appends.append(activity).await
    }

    fn stats(&self) -> PoolStats {
        PoolStats {
            size: self.reader.size() + self.writer.size(),
            idle: (self.reader.num_idle() + self.writer.num_idle()) as u32,
            max: self.reader.options().get_max_connections() + 1,
        }
    }
}

/// How long a connection waits for another's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Memory-mapped size of the database file (address space, not memory).
const MMAP_BYTES: u64 = 1 << 30;
/// WAL pages (4 KiB each) after which a commit checkpoints by itself.
const WRITER_AUTOCHECKPOINT_PAGES: u32 = 20_000;
/// How often the background checkpointer runs. Often, so that each
/// checkpoint has little to write: its writes and the database file's sync
/// share the disk with the appends' WAL syncs, and a long checkpoint holds up
/// the commits (and so the posts) that sync during it. At 4,000 posts/s every
/// 100 ms took 2.1 ms a checkpoint and left about one commit in 20,000 over
/// 5 ms; every 500 ms took 5 ms and left six (decision 0017).
const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(100);

/// Copies committed WAL frames into the database file every
/// [`CHECKPOINT_INTERVAL`], on a reader connection. A passive checkpoint
/// waits for no one: the writer goes on committing meanwhile, and frames a
/// reader still uses are left for the next round. Ends when the store is
/// closed or dropped.
async fn checkpoint_in_background(reader: Pool<Db>) {
    let mut ticks = tokio::time::interval(CHECKPOINT_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if reader.is_closed() {
            return;
        }
        let started = std::time::Instant::now();
        let checkpointed = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&reader).await;
        // Its writes and the database file's sync share the disk with the
        // appends' WAL syncs: timed beside them (decision 0017). Timed from
        // this task, so on a saturated core it includes the wait for the
        // runtime to resume the task.
        metrics::histogram!("store_checkpoint_duration_seconds").record(started.elapsed().as_secs_f64());
        if let Err(error) = checkpointed {
            if reader.is_closed() {
                return;
            }
            tracing::warn!(%error, "sqlite: background checkpoint failed; the writer checkpoints past its limit");
        }
    }
}

impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
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

mod group_commit;

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
