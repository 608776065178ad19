//! The bounded outbound queue of one connection, and its receiving end.
//!
//! Producers (room fan-out, the session's own replies) never wait: a push
//! either fits or marks the connection overflowed. The one consumer (the
//! WebSocket session) takes every ready frame at once so that it can write
//! them all and flush once. This module must not know about rooms' ordering
//! or visibility; it only keeps what it is given in order.

use domain::{RoomId, UserId};
use parking_lot::Mutex;
use tokio::sync::Notify;

use crate::frame::Frame;

/// What the receiving end of a connection sees next.
#[derive(Debug)]
pub enum ConnectionEvent {
    /// Every frame that was ready, oldest first: write them all, then flush once.
    Frames(Vec<Frame>),
    /// The hub ended this connection's subscription to the room (access
    /// revoked); the frame telling the client was queued before this.
    SubscriptionEnded(RoomId),
    /// The queue overflowed: the client is too slow. Close with 4008 so it
    /// resumes from its last cursor; frames still queued are dropped.
    Overflow,
    /// The [`crate::ConnectionHandle`] is gone.
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PushError {
    /// The queue was full; the connection is now overflowed.
    Full,
    /// The connection is closed or already overflowed.
    Closed,
}

#[derive(Default)]
struct QueueState {
    frames: Vec<Frame>,
    /// Frames pushed through the capacity check since the consumer last took
    /// the queue. Replay batches are not counted: they are bounded by what the
    /// app returned and are already in memory.
    counted: usize,
    ended: Vec<RoomId>,
    overflowed: bool,
    closed: bool,
}

/// State shared between a connection's handle, its receiver and the rooms it
/// is subscribed to.
pub(crate) struct ConnShared {
    pub(crate) id: u64,
    pub(crate) user_id: UserId,
    capacity: usize,
    // parking_lot, not tokio's Mutex: held for a few instructions and never
    // across an await, and it is one byte instead of a semaphore.
    state: Mutex<QueueState>,
    notify: Notify,
    /// Rooms with a registration of this connection, for the RAII unregister
    /// and the per-connection room limit. Lock order: a room's lock may be
    /// held while taking this one, never the reverse.
    pub(crate) rooms: Mutex<Vec<RoomId>>,
}

impl ConnShared {
    pub(crate) fn new(id: u64, user_id: UserId, capacity: usize) -> ConnShared {
        ConnShared {
            id,
            user_id,
            capacity: capacity.max(1),
            state: Mutex::new(QueueState::default()),
            notify: Notify::new(),
            rooms: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Queues one frame without waiting; on a full queue the connection
    /// becomes overflowed and every later push fails.
    pub(crate) fn try_push(&self, frame: Frame) -> Result<(), PushError> {
        let mut state = self.state.lock();
        if state.closed || state.overflowed {
            return Err(PushError::Closed);
        }
        if state.counted >= self.capacity {
            state.overflowed = true;
            drop(state);
            metrics::counter!("realtime_connection_overflows_total").increment(1);
            self.notify.notify_one();
            return Err(PushError::Full);
        }
        let was_empty = state.frames.is_empty();
        state.frames.push(frame);
        state.counted += 1;
        drop(state);
        if was_empty {
            self.notify.notify_one();
        }
        Ok(())
    }

    /// Queues frames in order, bypassing the capacity (a subscribe's
    /// `subscribed` frame, its replay and the live frames held meanwhile).
    pub(crate) fn push_batch(&self, frames: impl IntoIterator<Item = Frame>) -> Result<(), PushError> {
        let mut state = self.state.lock();
        if state.closed || state.overflowed {
            return Err(PushError::Closed);
        }
        let was_empty = state.frames.is_empty();
        state.frames.extend(frames);
        drop(state);
        if was_empty {
            self.notify.notify_one();
        }
        Ok(())
    }

    pub(crate) fn mark_overflowed(&self) {
        let mut state = self.state.lock();
        if !state.overflowed {
            state.overflowed = true;
            drop(state);
            metrics::counter!("realtime_connection_overflows_total").increment(1);
            self.notify.notify_one();
        }
    }

    pub(crate) fn push_ended(&self, room_id: RoomId) {
        self.state.lock().ended.push(room_id);
        self.notify.notify_one();
    }

    pub(crate) fn close(&self) {
        let mut state = self.state.lock();
        state.closed = true;
        state.frames = Vec::new();
        drop(state);
        self.notify.notify_one();
    }

    pub(crate) fn is_dead(&self) -> bool {
        let state = self.state.lock();
        state.closed || state.overflowed
    }

    pub(crate) fn is_overflowed(&self) -> bool {
        self.state.lock().overflowed
    }

    /// The next event for the one consumer. Cancel-safe: nothing is taken
    /// from the queue until the future completes.
    pub(crate) async fn recv(&self) -> ConnectionEvent {
        loop {
            {
                let mut state = self.state.lock();
                if state.overflowed {
                    state.frames = Vec::new();
                    return ConnectionEvent::Overflow;
                }
                if !state.frames.is_empty() {
                    state.counted = 0;
                    return ConnectionEvent::Frames(std::mem::take(&mut state.frames));
                }
                if let Some(room_id) = state.ended.pop() {
                    return ConnectionEvent::SubscriptionEnded(room_id);
                }
                if state.closed {
                    return ConnectionEvent::Closed;
                }
            }
            // A push between the check above and this await leaves a permit
            // (notify_one), so no wake-up is lost.
            self.notify.notified().await;
        }
    }
}
