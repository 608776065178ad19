//! The SQLite backend: the embedded default. One writer connection (SQLite
//! has one writer at a time; queueing in the pool beats `SQLITE_BUSY`
//! retries) and a pool of readers, WAL journal, foreign keys on.

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
            .busy_timeout(Duration::from_secs(10))
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
            .connect_with(options)
            .await?;
        let appends = group_commit::Appender::start(writer.clone());
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

    /// Appends go through the group committer: one fsync for every append
    /// that arrived while the previous commit was running.
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

/// Memory-mapped size of the database file (address space, not memory).
const MMAP_BYTES: u64 = 1 << 30;
/// WAL pages (4 KiB each) after which a commit checkpoints by itself.
const WRITER_AUTOCHECKPOINT_PAGES: u32 = 20_000;
/// How often the background checkpointer runs.
const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(500);

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
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&reader).await {
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
    use super::{BackendStore, Db, LOCK_ROWS};
    use crate::StoreError;
    include!("shared/rooms.rs");
}

mod group_commit {
    //! Group commit for activity appends on SQLite. SQLite has one writer
    //! and each commit costs an fsync (a few milliseconds here), so one
    //! transaction per append caps a node near 300 appends/s. A single task
    //! takes every append waiting in its queue and commits them together;
    //! each runs under its own savepoint so one bad append (an unknown
    //! product, say) fails alone. Under no load a batch is one append, so
    //! latency is unchanged.

    use std::collections::HashMap;

    use sqlx::{Acquire, Pool, QueryBuilder, types::Json};
    use tokio::sync::{mpsc, oneshot};
    use uuid::Uuid;

    use super::{Db, rooms::append_in};
    use crate::{ActivityRecord, NewActivity, StoreError};

    /// The most appends one transaction takes.
    const MAX_BATCH: usize = 512;
    /// Appends waiting for the committer; callers wait when it is full.
    const QUEUE: usize = 4096;

    type Reply = oneshot::Sender<Result<ActivityRecord, StoreError>>;

    pub(super) struct Appender {
        queue: mpsc::Sender<(NewActivity, Reply)>,
    }

    impl Appender {
        pub(super) fn start(writer: Pool<Db>) -> Appender {
            let (queue, requests) = mpsc::channel(QUEUE);
            tokio::spawn(run(writer, requests));
            Appender { queue }
        }

        pub(super) async fn append(&self, activity: NewActivity) -> Result<ActivityRecord, StoreError> {
            let (reply, answer) = oneshot::channel();
            self.queue
                .send((activity, reply))
                .await
                .map_err(|_| StoreError::Unavailable("the append committer has stopped".into()))?;
            answer.await.map_err(|_| StoreError::Unavailable("the append committer has stopped".into()))?
        }
    }

    async fn run(writer: Pool<Db>, mut requests: mpsc::Receiver<(NewActivity, Reply)>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while requests.recv_many(&mut batch, MAX_BATCH).await > 0 {
            let replies = commit(&writer, &batch).await;
            for ((_, reply), result) in batch.drain(..).zip(replies) {
                // The caller may have given up waiting; its append stands.
                drop(reply.send(result));
            }
        }
    }

    /// One result per append, in order. The whole batch goes in with a few
    /// statements; should that fail (one append naming a deleted room or an
    /// unknown product, say), the batch is replayed one append at a time so
    /// that only the bad one fails.
    async fn commit(writer: &Pool<Db>, batch: &[(NewActivity, Reply)]) -> Vec<Result<ActivityRecord, StoreError>> {
        if batch.len() > 1 {
            let together = async {
                let mut tx = writer.begin().await?;
                let records = append_batch_in(&mut tx, batch).await?;
                tx.commit().await?;
                Ok::<_, StoreError>(records)
            };
            if let Ok(records) = together.await {
                return records.into_iter().map(Ok).collect();
            }
            // Rare (a stale author, a deleted room): a steady count here means
            // the batched statements refuse what they should take.
            metrics::counter!("store_append_batches_replayed_total").increment(1);
        }
        commit_one_by_one(writer, batch).await
    }

    /// Each append under its own savepoint: four statements each.
    async fn commit_one_by_one(
        writer: &Pool<Db>,
        batch: &[(NewActivity, Reply)],
    ) -> Vec<Result<ActivityRecord, StoreError>> {
        let attempt = async {
            let mut tx = writer.begin().await?;
            let mut results = Vec::with_capacity(batch.len());
            for (activity, _) in batch {
                let mut savepoint = tx.begin().await?;
                match append_in(&mut savepoint, activity).await {
                    Ok(record) => {
                        savepoint.commit().await?;
                        results.push(Ok(record));
                    }
                    Err(error) => {
                        savepoint.rollback().await?;
                        results.push(Err(error));
                    }
                }
            }
            tx.commit().await?;
            Ok::<_, StoreError>(results)
        };
        match attempt.await {
            Ok(results) => results,
            Err(error) => {
                let message = error.to_string();
                batch.iter().map(|_| Err(StoreError::Unavailable(message.clone()))).collect()
            }
        }
    }

    /// Adds to the reservation's `WHERE` the condition that every
    /// `author_as_of` of the batch still describes its member as stored. One subquery counts the
    /// stored members equal to the distinct expected ones (the hidden-from
    /// set compared as the JSON text both sides encode the same way); when
    /// any differs, the reservation updates no room and the batch is replayed
    /// one append at a time, which finds the stale one. A text that differed
    /// without the set differing would cost that replay, never a wrong commit.
    fn push_author_check(query: &mut QueryBuilder<'_, Db>, batch: &[(NewActivity, Reply)]) {
        let mut expected: Vec<(Uuid, Uuid, &'static str, bool, String)> = batch
            .iter()
            .filter_map(|(activity, _)| {
                let author = activity.author_as_of.as_ref()?;
                let hidden = serde_json::to_string(&author.secret_mode.hidden_from).unwrap_or_default();
                Some((activity.room_id.0, activity.user_id.0, author.role.as_str(), author.secret_mode.enabled, hidden))
            })
            .collect();
        expected.sort_unstable();
        expected.dedup();
        if expected.is_empty() {
            return;
        }
        query.push(
            " AND (SELECT COUNT(*) FROM room_members WHERE (room_id, user_id, role, secret_enabled, secret_hidden_from) IN (VALUES ",
        );
        let mut rows = query.separated(", ");
        for (room, user, role, enabled, hidden) in &expected {
            rows.push("(").push_bind_unseparated(*room);
            rows.push_unseparated(", ").push_bind_unseparated(*user);
            rows.push_unseparated(", ").push_bind_unseparated(*role);
            rows.push_unseparated(", ").push_bind_unseparated(*enabled);
            rows.push_unseparated(", ").push_bind_unseparated(hidden.clone()).push_unseparated(")");
        }
        query.push(")) = ").push_bind(expected.len() as i64);
    }

    /// The batch in two statements whatever its size: one update checks the
    /// authors and reserves a run of sequence numbers per room, one insert
    /// writes every activity.
    /// Sequence numbers follow the batch order within each room, as one
    /// append at a time would give them.
    async fn append_batch_in(
        tx: &mut sqlx::Transaction<'_, Db>,
        batch: &[(NewActivity, Reply)],
    ) -> Result<Vec<ActivityRecord>, StoreError> {
        let mut per_room: HashMap<Uuid, i64> = HashMap::new();
        for (activity, _) in batch {
            *per_room.entry(activity.room_id.0).or_insert(0) += 1;
        }
        let mut reserve = QueryBuilder::<Db>::new("UPDATE rooms SET activity_seq = activity_seq + CASE id");
        for (room, count) in &per_room {
            reserve.push(" WHEN ").push_bind(*room).push(" THEN ").push_bind(*count);
        }
        reserve.push(" END WHERE id IN (");
        let mut rooms = reserve.separated(", ");
        for room in per_room.keys() {
            rooms.push_bind(*room);
        }
        reserve.push(")");
        push_author_check(&mut reserve, batch);
        reserve.push(" RETURNING id, activity_seq");
        let reserved: Vec<(Uuid, i64)> = reserve.build_query_as().fetch_all(&mut **tx).await?;
        if reserved.len() != per_room.len() {
            // A deleted room or a changed author: the one-by-one replay tells which.
            return Err(StoreError::Stale);
        }
        // The first number of each room's run.
        let mut next: HashMap<Uuid, i64> = reserved
            .into_iter()
            .map(|(room, last)| (room, last - per_room.get(&room).copied().unwrap_or(0) + 1))
            .collect();

        let mut records = Vec::with_capacity(batch.len());
        for (activity, _) in batch {
            let seq = next.get_mut(&activity.room_id.0).map_or(0, |n| {
                *n += 1;
                *n - 1
            });
            records.push(ActivityRecord {
                id: activity.id,
                room_id: activity.room_id,
                seq,
                user_id: activity.user_id,
                product_id: activity.product_id,
                action_type: activity.action_type,
                message: activity.message.clone(),
                visibility: activity.visibility.clone(),
                metadata: activity.metadata.clone(),
                created_at: activity.at,
            });
        }
        // No RETURNING: every column is known here (`at` already has the
        // microsecond precision both backends store), and reading each row
        // back would cost a hand-off from SQLite's thread and a JSON decode
        // per activity.
        let mut insert = QueryBuilder::<Db>::new(
            "INSERT INTO room_activities (id, room_id, seq, user_id, product_id, action_type, message, is_secret, \
             visibility, metadata, created_at) ",
        );
        insert.push_values(&records, |mut row, record| {
            row.push_bind(record.id.0)
                .push_bind(record.room_id.0)
                .push_bind(record.seq)
                .push_bind(record.user_id.0)
                .push_bind(record.product_id.map(|p| p.0))
                .push_bind(record.action_type.as_str())
                .push_bind(record.message.as_deref())
                .push_bind(record.visibility.is_restricted())
                .push_bind(Json(&record.visibility))
                .push_bind(Json(&record.metadata))
                .push_bind(record.created_at);
        });
        let inserted = insert.build().execute(&mut **tx).await?.rows_affected();
        if inserted != records.len() as u64 {
            return Err(StoreError::NotFound);
        }
        Ok(records)
    }
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
