//! Test doubles: an in-memory activity log standing in for the database, and
//! helpers that await frames with timeouts (never sleep for readiness).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use domain::visibility::{Visibility, may_see};
use domain::{RoomId, UserId};
use parking_lot::Mutex;
use realtime::{ActivityEvent, ActivitySource, ConnectionEvent, ConnectionReceiver, Frame, RoomEvent, SourceError};

pub const WAIT: Duration = Duration::from_secs(5);

/// The database's activity log: dense seqs per room, assigned at commit.
#[derive(Default)]
pub struct MemorySource {
    rooms: Mutex<HashMap<RoomId, Vec<ActivityEvent>>>,
    /// Makes `replay` yield a few times, widening the subscribe race window.
    pub slow_replay: AtomicBool,
}

impl MemorySource {
    pub fn new() -> Arc<MemorySource> {
        Arc::new(MemorySource::default())
    }

    /// Commits one activity and returns the event to publish.
    pub fn commit(&self, room: RoomId, author: UserId, visibility: Visibility) -> RoomEvent {
        let mut rooms = self.rooms.lock();
        let log = rooms.entry(room).or_default();
        let seq = log.last().map_or(0, |last| last.seq) + 1;
        let frame = Frame::encode(&serde_json::json!({
            "type": "activity", "room_id": room, "activity": {"seq": seq, "user_id": author}
        }))
        .unwrap();
        let activity = ActivityEvent { seq, author, visibility, frame };
        log.push(activity.clone());
        RoomEvent::activity(room, activity)
    }

    /// Removes a committed activity: a hole that will never fill.
    pub fn forget(&self, room: RoomId, seq: i64) {
        if let Some(log) = self.rooms.lock().get_mut(&room) {
            log.retain(|activity| activity.seq != seq);
        }
    }

    pub fn head(&self, room: RoomId) -> i64 {
        self.rooms.lock().get(&room).and_then(|log| log.last()).map_or(0, |last| last.seq)
    }
}

#[async_trait]
impl ActivitySource for MemorySource {
    async fn current_seq(&self, room: RoomId) -> Result<i64, SourceError> {
        Ok(self.head(room))
    }

    async fn activities_between(
        &self,
        room: RoomId,
        after: i64,
        up_to: i64,
    ) -> Result<Vec<ActivityEvent>, SourceError> {
        let rooms = self.rooms.lock();
        Ok(rooms
            .get(&room)
            .map(|log| log.iter().filter(|a| a.seq > after && a.seq <= up_to).cloned().collect())
            .unwrap_or_default())
    }

    async fn replay(&self, room: RoomId, viewer: UserId, after: i64, up_to: i64) -> Result<Vec<Frame>, SourceError> {
        if self.slow_replay.load(Ordering::Relaxed) {
            for _ in 0..5 {
                tokio::task::yield_now().await;
            }
        }
        let rooms = self.rooms.lock();
        Ok(rooms
            .get(&room)
            .map(|log| {
                log.iter()
                    .filter(|a| a.seq > after && a.seq <= up_to && may_see(viewer, a.author, &a.visibility))
                    .map(|a| a.frame.clone())
                    .collect()
            })
            .unwrap_or_default())
    }
}

pub fn json(frame: &Frame) -> serde_json::Value {
    serde_json::from_slice(frame.as_bytes()).unwrap()
}

/// The activity seq a frame carries, if it is an activity.
pub fn seq_of(frame: &Frame) -> Option<i64> {
    json(frame)["activity"]["seq"].as_i64()
}

pub fn kind_of(frame: &Frame) -> String {
    json(frame)["type"].as_str().unwrap_or_default().to_owned()
}

/// The next batch of frames, or panics after [`WAIT`].
pub async fn next_frames(rx: &mut ConnectionReceiver) -> Vec<Frame> {
    match tokio::time::timeout(WAIT, rx.recv()).await.expect("no frame in time") {
        ConnectionEvent::Frames(frames) => frames,
        other => panic!("expected frames, got {other:?}"),
    }
}

/// Frames until `count` have arrived.
pub async fn take_frames(rx: &mut ConnectionReceiver, count: usize) -> Vec<Frame> {
    let mut frames = Vec::new();
    while frames.len() < count {
        frames.extend(next_frames(rx).await);
    }
    frames
}

/// Activity seqs until `last` is seen, in arrival order (other frames skipped).
pub async fn seqs_until(rx: &mut ConnectionReceiver, last: i64) -> Vec<i64> {
    let mut seqs = Vec::new();
    while seqs.last() != Some(&last) {
        for frame in next_frames(rx).await {
            if let Some(seq) = seq_of(&frame) {
                seqs.push(seq);
            }
        }
        assert!(seqs.last().is_none_or(|s| *s <= last), "delivered past the last seq: {seqs:?}");
    }
    seqs
}

pub fn subscribed(room: RoomId) -> Frame {
    Frame::encode(&serde_json::json!({"type": "subscribed", "room_id": room, "cursor": null})).unwrap()
}
