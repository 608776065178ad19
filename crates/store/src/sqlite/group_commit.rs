//! Group commit for activity appends on SQLite, on a connection and a thread
//! of its own (decision 0013).
//!
//! SQLite has one writer at a time and each commit costs a sync of the WAL,
//! so one transaction per append caps a node at a few hundred appends a
//! second. A task takes every append waiting in the queue and hands the
//! whole batch to the appender thread, which commits it in one transaction
//! with cached prepared statements: one hand-off between threads per batch,
//! where sqlx's worker thread needs one per statement.
//!
//! The appender's connection is a second writer beside the store's sqlx
//! writer pool. They never write at the same time: the task holds the writer
//! pool's only connection while the thread commits (over back-to-back
//! batches for at most [`MAX_TURN`]), so other writes queue in that pool
//! (first come, first served) and a busy append stream cannot starve them,
//! nor can a deferred sqlx transaction find the database changed under it
//! when it starts writing.
//!
//! A batch goes in whole; should that fail (one append naming a deleted room
//! or an unknown product, say), it is replayed one append at a time, each
//! under its own savepoint, so that only the bad one fails. This module
//! owns no rule of its own: it runs `append_in`'s statements (`shared/rooms.rs`)
//! with the same author check (`AuthorState::describes`) and the same
//! encodings as sqlx (UUIDs as 16-byte blobs, JSON as text, times as RFC 3339
//! text).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::mpsc as thread_channel;
use std::time::{Duration, Instant};

use domain::UserId;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sqlx::Pool;
use sqlx::pool::PoolConnection;
use time::format_description::well_known::Rfc3339;
use tokio::sync::{mpsc, oneshot};

use super::rooms::{INSERT_ACTIVITY, SELECT_AUTHOR};
use super::{BUSY_TIMEOUT, Db, MMAP_BYTES, NEXT_ACTIVITY_SEQ, WRITER_AUTOCHECKPOINT_PAGES};
use crate::{ActivityRecord, AuthorState, NewActivity, StoreError};

/// The most appends one transaction takes.
const MAX_BATCH: usize = 512;
/// Appends waiting for the committer; callers wait when it is full.
const QUEUE: usize = 4096;

type Reply = oneshot::Sender<Result<ActivityRecord, StoreError>>;
type Results = Vec<Result<ActivityRecord, StoreError>>;

/// A batch for the appender thread and where its results go.
struct Job {
    batch: Vec<NewActivity>,
    done: oneshot::Sender<Results>,
}

pub(super) struct Appender {
    queue: mpsc::Sender<(NewActivity, Reply)>,
}

impl Appender {
    /// Opens the appender's connection to the database at `path` and starts
    /// its thread and its batching task. Statements are prepared at the first
    /// batch, after migrations have run.
    pub(super) fn start(path: &Path, writer: Pool<Db>) -> Result<Appender, StoreError> {
        let connection = open(path)?;
        let (jobs, incoming) = thread_channel::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-appender".into())
            .spawn(move || run_thread(connection, incoming))
            .map_err(|e| StoreError::Unavailable(format!("cannot start the append thread: {e}")))?;
        let (queue, requests) = mpsc::channel(QUEUE);
        tokio::spawn(run_batches(writer, requests, jobs));
        Ok(Appender { queue })
    }

    pub(super) async fn append(&self, activity: NewActivity) -> Result<ActivityRecord, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.queue.send((activity, reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Unavailable("the append committer has stopped".into())
}

/// A connection set up as the store's own (see `SqliteStore::connect_with`).
fn open(path: &Path) -> Result<Connection, StoreError> {
    if path.as_os_str().is_empty() || path == Path::new(":memory:") {
        return Err(StoreError::Config(
            "SQLite needs a database file: an in-memory database has one connection".into(),
        ));
    }
    let connection = Connection::open(path).map_err(unavailable)?;
    connection.busy_timeout(BUSY_TIMEOUT).map_err(unavailable)?;
    // The WAL journal mode is the database file's own: the store's first
    // connection set it before this one opens.
    connection.pragma_update(None, "synchronous", "full").map_err(unavailable)?;
    connection.pragma_update(None, "foreign_keys", "on").map_err(unavailable)?;
    connection.pragma_update(None, "mmap_size", MMAP_BYTES).map_err(unavailable)?;
    connection.pragma_update(None, "wal_autocheckpoint", WRITER_AUTOCHECKPOINT_PAGES).map_err(unavailable)?;
    Ok(connection)
}

/// The batching task: takes what is queued, holds the writer pool's
/// connection while the thread commits it, then answers each caller.
async fn run_batches(
    writer: Pool<Db>,
    mut requests: mpsc::Receiver<(NewActivity, Reply)>,
    jobs: thread_channel::Sender<Job>,
) {
    let mut waiting = Vec::with_capacity(MAX_BATCH);
    let mut turn: Option<Turn> = None;
    loop {
        if requests.is_empty() {
            // Idle: let other writers in.
            turn = None;
        }
        if requests.recv_many(&mut waiting, MAX_BATCH).await == 0 {
            return;
        }
        // One more turn of the runtime first, its I/O included: appends whose
        // requests have already arrived join this batch instead of waiting
        // for the next commit. A turn costs microseconds; each commit's sync
        // costs tens of them in CPU alone, whatever the batch's size.
        tokio::task::yield_now().await;
        while waiting.len() < MAX_BATCH
            && let Ok(more) = requests.try_recv()
        {
            waiting.push(more);
        }
        let (batch, replies): (Vec<NewActivity>, Vec<Reply>) = waiting.drain(..).unzip();
        if turn.as_ref().is_some_and(|held| held.since.elapsed() >= MAX_TURN) {
            // Released before asking again: a writer already waiting in the
            // pool gets the connection first.
            turn = None;
        }
        let results = match take_turn(&writer, &mut turn).await {
            Ok(()) => commit_on_thread(&jobs, batch).await,
            Err(error) => batch.iter().map(|_| Err(error.clone())).collect(),
        };
        for (reply, result) in replies.into_iter().zip(results) {
            // The caller may have given up waiting; its append stands.
            drop(reply.send(result));
        }
    }
}

/// The writer pool's connection, held while the appender thread writes so
/// that no other writer does (see the module's comment).
struct Turn {
    _connection: PoolConnection<Db>,
    since: Instant,
}

/// The longest the batching task keeps the writer pool's connection over
/// back-to-back batches. Each hand-back costs a round trip to the pool
/// connection's thread (sqlx tests a connection when it returns to the
/// pool), so a busy stream of appends keeps its turn a little while; other
/// writers wait at most this long plus one batch.
const MAX_TURN: Duration = Duration::from_millis(5);

async fn take_turn(writer: &Pool<Db>, turn: &mut Option<Turn>) -> Result<(), StoreError> {
    if turn.is_none() {
        *turn = Some(Turn { _connection: writer.acquire().await?, since: Instant::now() });
    }
    Ok(())
}

async fn commit_on_thread(jobs: &thread_channel::Sender<Job>, batch: Vec<NewActivity>) -> Results {
    let count = batch.len();
    let failed = || (0..count).map(|_| Err(stopped())).collect();
    let (done, results) = oneshot::channel();
    if jobs.send(Job { batch, done }).is_err() {
        return failed();
    }
    results.await.unwrap_or_else(|_| failed())
}

fn run_thread(mut connection: Connection, incoming: thread_channel::Receiver<Job>) {
    // Ends when the batching task, and with it the store, is gone.
    while let Ok(Job { batch, done }) = incoming.recv() {
        let started = Instant::now();
        let results = commit(&mut connection, &batch);
        // A post is answered and broadcast only after its batch's commit,
        // whose sync is the disk's: this is the part of a post's latency the
        // server does not control (docs/benchmarks.md, session 14).
        metrics::histogram!("store_append_commit_duration_seconds").record(started.elapsed().as_secs_f64());
        drop(done.send(results));
    }
}

/// One result per append, in order.
fn commit(connection: &mut Connection, batch: &[NewActivity]) -> Results {
    if batch.len() > 1 {
        match commit_together(connection, batch) {
            Ok(records) => return records.into_iter().map(Ok).collect(),
            // Rare (a stale author, a deleted room): a steady count here means
            // the batch refuses what it should take.
            Err(_) => metrics::counter!("store_append_batches_replayed_total").increment(1),
        }
    }
    commit_one_by_one(connection, batch)
}

fn commit_together(connection: &mut Connection, batch: &[NewActivity]) -> Result<Vec<ActivityRecord>, StoreError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate).map_err(store_error)?;
    let records = batch.iter().map(|activity| append_in(&transaction, activity)).collect::<Result<Vec<_>, _>>()?;
    transaction.commit().map_err(store_error)?;
    Ok(records)
}

fn commit_one_by_one(connection: &mut Connection, batch: &[NewActivity]) -> Results {
    let mut attempt = || -> Result<Results, StoreError> {
        let mut transaction =
            connection.transaction_with_behavior(TransactionBehavior::Immediate).map_err(store_error)?;
        let mut results = Vec::with_capacity(batch.len());
        for activity in batch {
            let savepoint = transaction.savepoint().map_err(store_error)?;
            match append_in(&savepoint, activity) {
                Ok(record) => {
                    savepoint.commit().map_err(store_error)?;
                    results.push(Ok(record));
                }
                // Dropping the savepoint rolls it back.
                Err(error) => results.push(Err(error)),
            }
        }
        transaction.commit().map_err(store_error)?;
        Ok(results)
    };
    match attempt() {
        Ok(results) => results,
        Err(error) => batch.iter().map(|_| Err(error.clone())).collect(),
    }
}

/// One append: the author check, the room's next sequence number (which
/// fails with `NotFound` when the room is gone) and the row itself.
fn append_in(connection: &Connection, activity: &NewActivity) -> Result<ActivityRecord, StoreError> {
    if let Some(expected) = &activity.author_as_of
        && !author_is_stored_as(connection, activity, expected)?
    {
        return Err(StoreError::Stale);
    }
    let seq: i64 = connection
        .prepare_cached(NEXT_ACTIVITY_SEQ)
        .map_err(store_error)?
        .query_row([activity.room_id.0.as_bytes()], |row| row.get(0))
        .map_err(store_error)?;
    let created_at = activity.at.format(&Rfc3339).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    connection
        .prepare_cached(INSERT_ACTIVITY)
        .map_err(store_error)?
        .execute(params![
            activity.id.0.as_bytes(),
            activity.room_id.0.as_bytes(),
            seq,
            activity.user_id.0.as_bytes(),
            activity.product_id.as_ref().map(|product| product.0.as_bytes()),
            activity.action_type.as_str(),
            activity.message.as_deref(),
            activity.visibility.is_restricted(),
            serde_json::to_string(&activity.visibility)?,
            serde_json::to_string(&activity.metadata)?,
            created_at,
        ])
        .map_err(store_error)?;
    Ok(ActivityRecord {
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
    })
}

/// True when the room still has the author with the role and secret mode
/// the caller decided on (see [`NewActivity::author_as_of`]).
fn author_is_stored_as(
    connection: &Connection,
    activity: &NewActivity,
    expected: &AuthorState,
) -> Result<bool, StoreError> {
    let stored: Option<(String, bool, String)> = connection
        .prepare_cached(SELECT_AUTHOR)
        .map_err(store_error)?
        .query_row([activity.room_id.0.as_bytes(), activity.user_id.0.as_bytes()], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()
        .map_err(store_error)?;
    let Some((role, secret_enabled, hidden_from)) = stored else { return Ok(false) };
    let hidden_from: BTreeSet<UserId> = serde_json::from_str(&hidden_from)?;
    Ok(expected.describes(&role, secret_enabled, &hidden_from))
}

/// rusqlite's errors in the store's words, as `From<sqlx::Error>` words
/// sqlx's.
fn store_error(error: rusqlite::Error) -> StoreError {
    match &error {
        rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
        rusqlite::Error::SqliteFailure(failure, message)
            if failure.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Conflict { constraint: message.clone().unwrap_or_else(|| error.to_string()) }
        }
        rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::InvalidColumnType(..)
        | rusqlite::Error::IntegralValueOutOfRange(..) => StoreError::Corrupt(error.to_string()),
        _ => StoreError::Unavailable(error.to_string()),
    }
}

fn unavailable(error: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(format!("cannot open the append connection: {error}"))
}
