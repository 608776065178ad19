//! One WebSocket session, written over a `Sink<Message> + Stream` of this
//! module's [`Message`] so that tests drive it with channels and the HTTP
//! layer adapts axum's socket to it.
//!
//! The session owns the socket's life: reading and rate-limiting client
//! frames, answering them, writing the connection's queue in batches, pings,
//! the idle timeout, close codes, and presence bookkeeping for its rooms. It
//! must not decide who may subscribe (the app's [`SessionHandler`] does) nor
//! encode the app's frames. One task per connection: everything runs in one
//! `select!` loop, with at most one client command in flight.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use domain::{ProductId, RoomId, UserId};
use futures::{Sink, SinkExt, Stream, StreamExt};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::config::HubConfig;
use crate::error::HubError;
use crate::frame::Frame;
use crate::hub::{ConnectionHandle, Hub};
use crate::presence::Presence;
use crate::protocol::{ClientMessage, ServerMessage, codes};
use crate::queue::ConnectionEvent;

/// Close codes the session uses.
pub mod close_code {
    pub const NORMAL: u16 = 1000;
    pub const GOING_AWAY: u16 = 1001;
    /// Policy: rate limit or too many malformed frames.
    pub const POLICY: u16 = 1008;
    pub const TOO_BIG: u16 = 1009;
    /// The connection's queue overflowed: resume from your last cursor.
    pub const OVERFLOW: u16 = 4008;
}

/// A WebSocket message as the session sees it. Inbound text arrives as a
/// [`Frame`] too (the adapter wraps axum's `Utf8Bytes` without copying).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Text(Frame),
    Binary(Bytes),
    Ping(Bytes),
    Pong(Bytes),
    Close(Option<CloseFrame>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseFrame {
    pub code: u16,
    pub reason: String,
}

/// What the app grants a subscribe.
#[derive(Debug, Clone)]
pub struct SubscribeGrant {
    /// Where delivery resumes (`None`: live only). To give a client without a
    /// cursor a gap-free start, read the room's head `h`, put its cursor in
    /// `subscribed_frame` and answer `Some(h)`: the hub replays what was
    /// committed between that read and the registration.
    pub after_seq: Option<i64>,
    /// `{"type":"subscribed","room_id":…,"cursor":…}`, queued before any
    /// replayed or live frame of the room.
    pub subscribed_frame: Frame,
}

/// A refusal the client sees as `{"type":"error","code":…,"message":…}`; the
/// socket stays open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct SessionError {
    pub code: String,
    pub message: String,
}

impl SessionError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> SessionError {
        SessionError { code: code.into(), message: message.into() }
    }
}

/// The app's side of a session.
#[async_trait]
pub trait SessionHandler: Send + Sync + 'static {
    /// May `user` subscribe to `room` from `cursor`? Checks membership and
    /// decodes the cursor into a seq.
    async fn authorize_subscribe(
        &self,
        user: UserId,
        room: RoomId,
        cursor: Option<&str>,
    ) -> Result<SubscribeGrant, SessionError>;

    /// Called only while the connection is subscribed to `room`.
    async fn on_viewing(&self, user: UserId, room: RoomId, product: Option<ProductId>);

    /// Called only while the connection is subscribed to `room`.
    async fn on_typing(&self, user: UserId, room: RoomId);

    /// After the session ended and its subscriptions and presence are gone.
    async fn on_disconnect(&self, _user: UserId) {}
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    /// The client closed or the stream ended.
    ClientClosed,
    /// Reading or writing the socket failed.
    TransportError,
    IdleTimeout,
    FrameTooLarge,
    RateLimited,
    TooManyBadFrames,
    /// The outbound queue overflowed (4008).
    Overflow,
    /// A write did not complete within `write_timeout`.
    WriteTimeout,
    /// The server is shutting down.
    Shutdown,
}

impl SessionEnd {
    /// The close frame the session sends, if any.
    pub fn close_frame(self) -> Option<CloseFrame> {
        let (code, reason) = match self {
            SessionEnd::ClientClosed | SessionEnd::TransportError | SessionEnd::WriteTimeout => return None,
            SessionEnd::IdleTimeout => (close_code::NORMAL, "idle timeout"),
            SessionEnd::FrameTooLarge => (close_code::TOO_BIG, "frame too large"),
            SessionEnd::RateLimited => (close_code::POLICY, "rate limit"),
            SessionEnd::TooManyBadFrames => (close_code::POLICY, "too many malformed frames"),
            SessionEnd::Overflow => (close_code::OVERFLOW, "resume from your last cursor"),
            SessionEnd::Shutdown => (close_code::GOING_AWAY, "server shutting down"),
        };
        Some(CloseFrame { code, reason: reason.to_owned() })
    }
}

impl fmt::Display for SessionEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Everything a session needs; cheap to clone, kept in the app state.
#[derive(Clone)]
pub struct SessionContext {
    pub hub: Hub,
    pub presence: Presence,
    pub handler: Arc<dyn SessionHandler>,
}

type Command<'a> = Pin<Box<dyn Future<Output = Outcome> + Send + 'a>>;

/// The result of a command that ran concurrently with the write loop.
enum Outcome {
    Done,
    /// Subscribed (or re-subscribed) to the room.
    Subscribed(RoomId),
}

impl SessionContext {
    /// Runs the session of `user_id` on `socket` until it ends, then cleans up
    /// (hub registrations, presence, [`SessionHandler::on_disconnect`]).
    ///
    /// Cancellation: end it through `shutdown` (it then closes with 1001);
    /// dropping the future still unregisters from the hub (RAII) but skips the
    /// presence and disconnect hooks.
    ///
    /// Pings from the client are answered by the transport (tungstenite does
    /// it for axum); the session only counts them as traffic.
    ///
    /// It takes the context by value so that its future can be the socket's
    /// whole task: wrapping it in another `async` block would keep a second,
    /// moved-from copy of the socket in that block's state (decision 0002).
    pub async fn run<S, E>(self, mut socket: S, user_id: UserId, shutdown: CancellationToken) -> SessionEnd
    where
        S: Sink<Message> + Stream<Item = Result<Message, E>> + Unpin + Send,
    {
        let config = self.hub.config();
        let (conn, mut receiver) = self.hub.connect(user_id);
        let mut present: Vec<RoomId> = Vec::new();
        let mut bucket = TokenBucket::new(config.inbound_burst, config.inbound_rate_per_sec);
        let mut bad_frames = 0u32;
        // One boxed timer for both the next ping and the idle timeout, armed
        // for whichever comes first. Traffic only moves `idle_deadline`: a
        // timer that fires before it re-arms itself, so a busy socket does not
        // touch the timer wheel per frame, and an idle one keeps one timer.
        let started = Instant::now();
        let mut idle_deadline = started + config.idle_timeout;
        let mut next_ping = started + config.ping_interval;
        let mut timer = Box::pin(tokio::time::sleep_until(next_ping.min(idle_deadline)));
        let mut command: Option<Command<'_>> = None;
        // Made once: a fresh `cancelled()` each turn of the loop would join
        // and leave the token's waiter list (a lock) per delivered frame.
        let mut cancelled = std::pin::pin!(shutdown.cancelled());

        let end = loop {
            let busy = command.is_some();
            // Unbiased (random among ready branches): a busy outbound queue
            // must not starve reading, pings or the idle check.
            tokio::select! {
                () = &mut cancelled => break SessionEnd::Shutdown,
                event = receiver.recv() => match event {
                    ConnectionEvent::Frames(frames) => {
                        if let Err(end) = Box::pin(write_batch(&mut socket, frames, config.write_timeout)).await {
                            break end;
                        }
                    }
                    ConnectionEvent::SubscriptionEnded(room_id) => {
                        if let Some(index) = present.iter().position(|room| *room == room_id) {
                            present.swap_remove(index);
                            Box::pin(self.leave_presence(room_id, user_id)).await;
                        }
                    }
                    ConnectionEvent::Overflow => break SessionEnd::Overflow,
                    ConnectionEvent::Closed => break SessionEnd::Shutdown,
                },
                outcome = run_command(&mut command), if busy => {
                    command = None;
                    idle_deadline = Instant::now() + config.idle_timeout;
                    // While busy the timer waited for the next ping only.
                    if idle_deadline < timer.deadline() {
                        timer.as_mut().reset(idle_deadline);
                    }
                    if let Outcome::Subscribed(room_id) = outcome
                        && !present.contains(&room_id)
                    {
                        // Grown one room at a time: most sockets follow one
                        // room, and a first push would reserve four.
                        present.reserve_exact(1);
                        present.push(room_id);
                        Box::pin(self.join_presence(room_id, user_id)).await;
                    }
                }
                incoming = socket.next(), if !busy => {
                    let message = match incoming {
                        None => break SessionEnd::ClientClosed,
                        Some(Err(_)) => break SessionEnd::TransportError,
                        Some(Ok(message)) => message,
                    };
                    let now = Instant::now();
                    idle_deadline = now + config.idle_timeout;
                    if !bucket.take(now) {
                        break SessionEnd::RateLimited;
                    }
                    let text = match message {
                        Message::Text(text) => text,
                        Message::Binary(bytes) if bytes.len() > config.max_frame_bytes => break SessionEnd::FrameTooLarge,
                        Message::Binary(_) => {
                            bad_frames += 1;
                            if bad_frames > config.max_bad_frames {
                                break SessionEnd::TooManyBadFrames;
                            }
                            let _ = conn.send(ServerMessage::error(codes::BAD_FRAME, "frames are JSON text", None).frame());
                            continue;
                        }
                        Message::Ping(_) | Message::Pong(_) => continue,
                        Message::Close(_) => break SessionEnd::ClientClosed,
                    };
                    if text.len() > config.max_frame_bytes {
                        break SessionEnd::FrameTooLarge;
                    }
                    match ClientMessage::parse(text.as_str()) {
                        Ok(message) => {
                            let applied = self.apply(message, &conn, user_id, &mut present, &mut command, config);
                            if let Some(end) = Box::pin(applied).await {
                                break end;
                            }
                        }
                        Err(error) => {
                            bad_frames += 1;
                            if bad_frames > config.max_bad_frames {
                                break SessionEnd::TooManyBadFrames;
                            }
                            let _ = conn.send(ServerMessage::error(codes::BAD_FRAME, error.to_string(), None).frame());
                        }
                    }
                }
                () = &mut timer => {
                    let now = Instant::now();
                    // A command in flight counts as activity: its end resets
                    // the idle deadline.
                    if now >= idle_deadline && !busy {
                        break SessionEnd::IdleTimeout;
                    }
                    if now >= next_ping {
                        next_ping = now + config.ping_interval;
                        if let Err(end) = Box::pin(write_one(&mut socket, Message::Ping(Bytes::new()), config.write_timeout)).await {
                            break end;
                        }
                    }
                    let wake = if busy { next_ping } else { next_ping.min(idle_deadline) };
                    timer.as_mut().reset(wake);
                }
            }
        };

        drop(command);
        // The futures below are boxed: awaited inline they would size every
        // idle session's state for its last moments (leaving presence alone is
        // about 700 bytes).
        if let Some(close) = end.close_frame() {
            // Best effort: the peer may already be gone.
            let _ = Box::pin(write_one(&mut socket, Message::Close(Some(close)), config.write_timeout)).await;
        }
        drop(conn);
        for room_id in present {
            Box::pin(self.leave_presence(room_id, user_id)).await;
        }
        self.handler.on_disconnect(user_id).await;
        metrics::counter!("realtime_sessions_ended_total", "reason" => end.to_string()).increment(1);
        end
    }

    /// Applies one client message: quick ones at once, slow ones (which call
    /// the app) as the in-flight command.
    async fn apply<'a>(
        &'a self,
        message: ClientMessage,
        conn: &'a ConnectionHandle,
        user_id: UserId,
        present: &mut Vec<RoomId>,
        command: &mut Option<Command<'a>>,
        config: &HubConfig,
    ) -> Option<SessionEnd> {
        match message {
            ClientMessage::Ping => {
                let _ = conn.send(ServerMessage::Pong.frame());
            }
            ClientMessage::Subscribe { room_id, cursor } => {
                if !conn.is_subscribed(room_id) && conn.subscription_count() >= config.max_rooms_per_connection {
                    let error = ServerMessage::error(
                        codes::TOO_MANY_SUBSCRIPTIONS,
                        "unsubscribe from a room first",
                        Some(room_id),
                    );
                    let _ = conn.send(error.frame());
                    return None;
                }
                *command = Some(Box::pin(self.subscribe(conn, user_id, room_id, cursor)));
            }
            ClientMessage::Unsubscribe { room_id } => {
                self.hub.unsubscribe(conn, room_id);
                let frame = ServerMessage::Unsubscribed { room_id, reason: "requested".into() }.frame();
                let _ = conn.send(frame);
                if let Some(index) = present.iter().position(|room| *room == room_id) {
                    present.swap_remove(index);
                    self.leave_presence(room_id, user_id).await;
                }
            }
            ClientMessage::Viewing { room_id, product_id } => {
                if self.require_subscribed(conn, room_id) {
                    let handler = &self.handler;
                    *command = Some(Box::pin(async move {
                        handler.on_viewing(user_id, room_id, product_id).await;
                        Outcome::Done
                    }));
                }
            }
            ClientMessage::Typing { room_id } => {
                if self.require_subscribed(conn, room_id) {
                    let handler = &self.handler;
                    *command = Some(Box::pin(async move {
                        handler.on_typing(user_id, room_id).await;
                        Outcome::Done
                    }));
                }
            }
        }
        None
    }

    fn require_subscribed(&self, conn: &ConnectionHandle, room_id: RoomId) -> bool {
        let subscribed = conn.is_subscribed(room_id);
        if !subscribed {
            let error = ServerMessage::error(codes::NOT_SUBSCRIBED, "subscribe to the room first", Some(room_id));
            let _ = conn.send(error.frame());
        }
        subscribed
    }

    async fn subscribe(
        &self,
        conn: &ConnectionHandle,
        user_id: UserId,
        room_id: RoomId,
        cursor: Option<String>,
    ) -> Outcome {
        // Taken before the app checks access: a revocation arriving after this
        // instant refuses the subscription (see `Hub::subscribe`).
        let checked_at = Instant::now();
        let grant = match self.handler.authorize_subscribe(user_id, room_id, cursor.as_deref()).await {
            Ok(grant) => grant,
            Err(error) => {
                let _ = conn.send(ServerMessage::error(&error.code, error.message, Some(room_id)).frame());
                return Outcome::Done;
            }
        };
        let subscribed = self.hub.subscribe(conn, room_id, grant.after_seq, grant.subscribed_frame, checked_at).await;
        let (code, message) = match subscribed {
            Ok(()) => return Outcome::Subscribed(room_id),
            // The receiver reports the overflow; nothing can be queued.
            Err(HubError::Overflowed) => return Outcome::Done,
            Err(HubError::AccessRevoked) => (codes::FORBIDDEN, "access to the room was revoked".to_owned()),
            Err(HubError::TooManyRooms) => (codes::TOO_MANY_SUBSCRIPTIONS, "unsubscribe from a room first".to_owned()),
            Err(error @ (HubError::Source(_) | HubError::Redis(_))) => {
                tracing::warn!(%error, %room_id, "realtime: subscribe failed");
                (codes::UNAVAILABLE, "try again shortly".to_owned())
            }
        };
        let _ = conn.send(ServerMessage::error(code, message, Some(room_id)).frame());
        Outcome::Done
    }

    async fn join_presence(&self, room_id: RoomId, user_id: UserId) {
        if let Err(error) = self.presence.join(room_id, user_id).await {
            tracing::warn!(%error, %room_id, "realtime: presence join failed");
        }
    }

    async fn leave_presence(&self, room_id: RoomId, user_id: UserId) {
        if let Err(error) = self.presence.leave(room_id, user_id).await {
            tracing::warn!(%error, %room_id, "realtime: presence leave failed");
        }
    }
}

async fn run_command(command: &mut Option<Command<'_>>) -> Outcome {
    match command {
        Some(command) => command.await,
        None => std::future::pending().await,
    }
}

/// Feeds every frame, then flushes once.
async fn write_batch<S>(socket: &mut S, frames: Vec<Frame>, timeout: Duration) -> Result<(), SessionEnd>
where
    S: Sink<Message> + Unpin,
{
    let write = async {
        for frame in frames {
            socket.feed(Message::Text(frame)).await?;
        }
        socket.flush().await
    };
    match crate::deadline::within(timeout, write).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(SessionEnd::TransportError),
        Err(_) => Err(SessionEnd::WriteTimeout),
    }
}

async fn write_one<S>(socket: &mut S, message: Message, timeout: Duration) -> Result<(), SessionEnd>
where
    S: Sink<Message> + Unpin,
{
    match crate::deadline::within(timeout, socket.send(message)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(SessionEnd::TransportError),
        Err(_) => Err(SessionEnd::WriteTimeout),
    }
}

/// Inbound rate limit: `burst` frames at once, `rate` per second sustained.
struct TokenBucket {
    tokens: f64,
    burst: f64,
    rate: f64,
    last: Instant,
}

impl TokenBucket {
    fn new(burst: u32, rate: u32) -> TokenBucket {
        let burst = f64::from(burst.max(1));
        TokenBucket { tokens: burst, burst, rate: f64::from(rate), last: Instant::now() }
    }

    fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_bucket_allows_its_burst_then_its_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket { tokens: 3.0, burst: 3.0, rate: 2.0, last: start };
        assert!((0..3).all(|_| bucket.take(start)));
        assert!(!bucket.take(start));
        assert!(bucket.take(start + Duration::from_millis(500)));
        assert!(!bucket.take(start + Duration::from_millis(500)));
    }
}
