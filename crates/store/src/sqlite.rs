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
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        let appends = group_commit::Appender::start(writer.clone());
        Ok(Self { reader, writer, appends })
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

    use sqlx::{Acquire, Pool};
    use tokio::sync::{mpsc, oneshot};

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

    /// One result per append, in order.
    async fn commit(writer: &Pool<Db>, batch: &[(NewActivity, Reply)]) -> Vec<Result<ActivityRecord, StoreError>> {
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
