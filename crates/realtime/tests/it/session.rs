use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_trait::async_trait;
use domain::visibility::Visibility;
use domain::{ProductId, RoomId, UserId};
use futures::channel::mpsc;
use futures::{Sink, SinkExt, Stream, StreamExt};
use realtime::presence::PresenceChange;
use realtime::session::{CloseFrame, close_code};
use realtime::{
    Frame, Hub, HubConfig, Message, Presence, SessionContext, SessionEnd, SessionError, SessionHandler, SubscribeGrant,
};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::support::*;

/// The server's end of a socket, made of two channels.
struct ChannelSocket {
    incoming: mpsc::UnboundedReceiver<Result<Message, Infallible>>,
    outgoing: mpsc::Sender<Message>,
}

impl Stream for ChannelSocket {
    type Item = Result<Message, Infallible>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.incoming.poll_next_unpin(cx)
    }
}

impl Sink<Message> for ChannelSocket {
    type Error = mpsc::SendError;
    fn poll_ready(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.outgoing.poll_ready_unpin(cx)
    }
    fn start_send(mut self: Pin<&mut Self>, item: Message) -> Result<(), Self::Error> {
        self.outgoing.start_send_unpin(item)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.outgoing.poll_flush_unpin(cx)
    }
    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.outgoing.poll_close_unpin(cx)
    }
}

/// The client's end.
struct Client {
    to_server: mpsc::UnboundedSender<Result<Message, Infallible>>,
    from_server: mpsc::Receiver<Message>,
    session: JoinHandle<SessionEnd>,
}

impl Client {
    fn send_text(&self, text: &str) {
        self.to_server.unbounded_send(Ok(Message::Text(Frame::from_text(text)))).unwrap();
    }

    async fn next(&mut self) -> Message {
        self.next_within(WAIT).await
    }

    async fn next_within(&mut self, wait: Duration) -> Message {
        tokio::time::timeout(wait, self.from_server.next()).await.expect("no message in time").expect("socket ended")
    }

    /// The next text frame as JSON, skipping pings.
    async fn next_json(&mut self) -> serde_json::Value {
        loop {
            match self.next().await {
                Message::Text(frame) => return json(&frame),
                Message::Ping(_) => continue,
                other => panic!("expected text, got {other:?}"),
            }
        }
    }

    /// Skips text and pings until the close frame.
    async fn close_code(&mut self) -> u16 {
        loop {
            if let Message::Close(Some(CloseFrame { code, .. })) = self.next().await {
                return code;
            }
        }
    }
}

/// Grants every room but `forbidden`; the cursor is the seq in decimal.
struct TestHandler {
    forbidden: RoomId,
    typing: mpsc::UnboundedSender<(UserId, RoomId)>,
}

#[async_trait]
impl SessionHandler for TestHandler {
    async fn authorize_subscribe(
        &self,
        _: UserId,
        room: RoomId,
        cursor: Option<&str>,
    ) -> Result<SubscribeGrant, SessionError> {
        if room == self.forbidden {
            return Err(SessionError::new("forbidden", "not a member"));
        }
        let after_seq =
            cursor.map(|c| c.parse::<i64>().map_err(|_| SessionError::new("bad_cursor", "bad cursor"))).transpose()?;
        Ok(SubscribeGrant { after_seq, subscribed_frame: subscribed(room) })
    }
    async fn on_viewing(&self, _: UserId, _: RoomId, _: Option<ProductId>) {}
    async fn on_typing(&self, user: UserId, room: RoomId) {
        self.typing.unbounded_send((user, room)).unwrap();
    }
}

struct Fixture {
    source: Arc<MemorySource>,
    context: SessionContext,
    forbidden: RoomId,
    typing: mpsc::UnboundedReceiver<(UserId, RoomId)>,
    presence: mpsc::UnboundedReceiver<PresenceChange>,
    shutdown: CancellationToken,
}

impl Fixture {
    fn new(config: HubConfig) -> Fixture {
        let source = MemorySource::new();
        let hub = Hub::in_process(source.clone(), config);
        let (typing_tx, typing) = mpsc::unbounded();
        let (presence_tx, presence) = mpsc::unbounded();
        let presence_store = Presence::in_process(Arc::new(move |change| {
            let _ = presence_tx.unbounded_send(change);
        }));
        let forbidden = RoomId::new();
        let handler = Arc::new(TestHandler { forbidden, typing: typing_tx });
        let context = SessionContext { hub, presence: presence_store, handler };
        Fixture { source, context, forbidden, typing, presence, shutdown: CancellationToken::new() }
    }

    fn connect(&self, user: UserId) -> Client {
        self.connect_with_buffer(user, 1024)
    }

    fn connect_with_buffer(&self, user: UserId, buffer: usize) -> Client {
        let (to_server, incoming) = mpsc::unbounded();
        let (outgoing, from_server) = mpsc::channel(buffer);
        let socket = ChannelSocket { incoming, outgoing };
        let (context, shutdown) = (self.context.clone(), self.shutdown.clone());
        let session = tokio::spawn(async move { context.run(socket, user, shutdown).await });
        Client { to_server, from_server, session }
    }
}

fn subscribe_text(room: RoomId, cursor: Option<&str>) -> String {
    serde_json::json!({"type": "subscribe", "room_id": room, "cursor": cursor}).to_string()
}

#[tokio::test]
async fn a_ping_is_answered_with_a_pong() {
    let fixture = Fixture::new(HubConfig::default());
    let mut client = fixture.connect(UserId::new());
    client.send_text(r#"{"type":"ping"}"#);
    assert_eq!(client.next_json().await, serde_json::json!({"type": "pong"}));
}

#[tokio::test]
async fn malformed_json_and_unknown_types_get_an_error_and_the_socket_stays_open() {
    let fixture = Fixture::new(HubConfig::default());
    let mut client = fixture.connect(UserId::new());
    client.send_text("{not json");
    let error = client.next_json().await;
    assert_eq!((error["type"].as_str(), error["code"].as_str()), (Some("error"), Some("bad_frame")));
    client.send_text(r#"{"type":"dance"}"#);
    assert_eq!(client.next_json().await["code"], "bad_frame");
    client.send_text(r#"{"type":"ping"}"#);
    assert_eq!(client.next_json().await["type"], "pong");
}

#[tokio::test]
async fn an_oversized_frame_closes_with_1009() {
    let fixture = Fixture::new(HubConfig::default());
    let mut client = fixture.connect(UserId::new());
    client.send_text(&format!(r#"{{"type":"ping","pad":"{}"}}"#, "x".repeat(20 * 1024)));
    assert_eq!(client.close_code().await, close_code::TOO_BIG);
    assert_eq!(client.session.await.unwrap(), SessionEnd::FrameTooLarge);
}

#[tokio::test]
async fn a_flood_closes_with_1008() {
    let fixture = Fixture::new(HubConfig { inbound_burst: 20, inbound_rate_per_sec: 5, ..HubConfig::default() });
    let mut client = fixture.connect(UserId::new());
    for _ in 0..100 {
        client.send_text(r#"{"type":"ping"}"#);
    }
    assert_eq!(client.close_code().await, close_code::POLICY);
    assert_eq!(client.session.await.unwrap(), SessionEnd::RateLimited);
}

#[tokio::test]
async fn too_many_malformed_frames_close_with_1008() {
    let fixture = Fixture::new(HubConfig { max_bad_frames: 3, ..HubConfig::default() });
    let mut client = fixture.connect(UserId::new());
    for _ in 0..4 {
        client.send_text("nope");
    }
    assert_eq!(client.close_code().await, close_code::POLICY);
    assert_eq!(client.session.await.unwrap(), SessionEnd::TooManyBadFrames);
}

/// Pings every 10 s and an idle timeout of 25 s, for tests on paused time.
fn fixture_with_short_timers() -> Fixture {
    Fixture::new(HubConfig {
        ping_interval: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(25),
        ..HubConfig::default()
    })
}

#[tokio::test(start_paused = true)]
async fn a_silent_client_gets_pings_and_is_closed_after_the_idle_timeout() {
    let fixture = fixture_with_short_timers();
    let mut client = fixture.connect(UserId::new());
    // Paused time: each wait below advances the clock to the next timer.
    let wait = Duration::from_secs(60);
    let started = tokio::time::Instant::now();
    assert!(matches!(client.next_within(wait).await, Message::Ping(_)));
    assert!(matches!(client.next_within(wait).await, Message::Ping(_)));
    let close = client.next_within(wait).await;
    assert!(matches!(close, Message::Close(Some(CloseFrame { code: close_code::NORMAL, .. }))), "{close:?}");
    assert_eq!(started.elapsed(), Duration::from_secs(25));
    assert_eq!(client.session.await.unwrap(), SessionEnd::IdleTimeout);
}

#[tokio::test(start_paused = true)]
async fn traffic_postpones_the_idle_timeout_and_pings_keep_their_pace() {
    let fixture = fixture_with_short_timers();
    let mut client = fixture.connect(UserId::new());
    let wait = Duration::from_secs(60);
    let started = tokio::time::Instant::now();
    assert!(matches!(client.next_within(wait).await, Message::Ping(_)));
    assert!(matches!(client.next_within(wait).await, Message::Ping(_)));
    assert_eq!(started.elapsed(), Duration::from_secs(20));
    // Traffic at 20 s moves the idle deadline from 25 s to 45 s.
    client.send_text(r#"{"type":"ping"}"#);
    match client.next_within(wait).await {
        Message::Text(text) => assert!(text.as_str().contains("pong"), "{text:?}"),
        other => panic!("expected the pong, got {other:?}"),
    }
    for at in [30, 40] {
        assert!(matches!(client.next_within(wait).await, Message::Ping(_)));
        assert_eq!(started.elapsed(), Duration::from_secs(at));
    }
    let close = client.next_within(wait).await;
    assert!(matches!(close, Message::Close(Some(CloseFrame { code: close_code::NORMAL, .. }))), "{close:?}");
    assert_eq!(started.elapsed(), Duration::from_secs(45));
    assert_eq!(client.session.await.unwrap(), SessionEnd::IdleTimeout);
}

#[tokio::test]
async fn a_subscribe_with_a_cursor_replays_then_streams_and_typing_needs_a_subscription() {
    let mut fixture = Fixture::new(HubConfig::default());
    let (room, user, author) = (RoomId::new(), UserId::new(), UserId::new());
    for _ in 0..3 {
        fixture.source.commit(room, author, Visibility::Everyone);
    }
    let mut client = fixture.connect(user);
    client.send_text(&serde_json::json!({"type": "typing", "room_id": room}).to_string());
    assert_eq!(client.next_json().await["code"], "not_subscribed");

    client.send_text(&subscribe_text(room, Some("1")));
    assert_eq!(client.next_json().await["type"], "subscribed");
    assert_eq!(client.next_json().await["activity"]["seq"], 2);
    assert_eq!(client.next_json().await["activity"]["seq"], 3);
    let online = tokio::time::timeout(WAIT, fixture.presence.next()).await.unwrap().unwrap();
    assert!(online.online && online.user_id == user && online.room_id == room);

    fixture.context.hub.publish(fixture.source.commit(room, author, Visibility::Everyone)).await;
    assert_eq!(client.next_json().await["activity"]["seq"], 4);

    client.send_text(&serde_json::json!({"type": "typing", "room_id": room}).to_string());
    assert_eq!(tokio::time::timeout(WAIT, fixture.typing.next()).await.unwrap(), Some((user, room)));

    client.send_text(&subscribe_text(fixture.forbidden, None));
    let refused = client.next_json().await;
    assert_eq!(
        (refused["code"].as_str(), refused["room_id"].clone()),
        (Some("forbidden"), serde_json::json!(fixture.forbidden))
    );

    client.send_text(&serde_json::json!({"type": "unsubscribe", "room_id": room}).to_string());
    assert_eq!(client.next_json().await["type"], "unsubscribed");
    let offline = tokio::time::timeout(WAIT, fixture.presence.next()).await.unwrap().unwrap();
    assert!(!offline.online);
}

#[tokio::test]
async fn an_overflowing_session_closes_with_4008() {
    let fixture = Fixture::new(HubConfig { queue_capacity: 4, ..HubConfig::default() });
    let room = RoomId::new();
    // A socket that accepts one message and then blocks until read.
    let mut client = fixture.connect_with_buffer(UserId::new(), 0);
    client.send_text(&subscribe_text(room, None));
    assert_eq!(client.next_json().await["type"], "subscribed");
    let author = UserId::new();
    while fixture.context.hub.local_subscribers(room) > 0 {
        fixture.context.hub.publish(fixture.source.commit(room, author, Visibility::Everyone)).await;
        tokio::task::yield_now().await;
    }
    assert_eq!(client.close_code().await, close_code::OVERFLOW);
    assert_eq!(client.session.await.unwrap(), SessionEnd::Overflow);
}

#[tokio::test]
async fn shutdown_closes_with_1001_and_cleans_up() {
    let mut fixture = Fixture::new(HubConfig::default());
    let room = RoomId::new();
    let mut client = fixture.connect(UserId::new());
    client.send_text(&subscribe_text(room, None));
    assert_eq!(client.next_json().await["type"], "subscribed");
    assert!(tokio::time::timeout(WAIT, fixture.presence.next()).await.unwrap().unwrap().online);
    fixture.shutdown.cancel();
    assert_eq!(client.close_code().await, close_code::GOING_AWAY);
    assert_eq!(client.session.await.unwrap(), SessionEnd::Shutdown);
    assert!(!tokio::time::timeout(WAIT, fixture.presence.next()).await.unwrap().unwrap().online);
    assert_eq!(fixture.context.hub.local_rooms(), 0);
}

#[tokio::test]
async fn two_tabs_of_one_user_are_one_presence() {
    let mut fixture = Fixture::new(HubConfig::default());
    let (room, user) = (RoomId::new(), UserId::new());
    let mut first = fixture.connect(user);
    let mut second = fixture.connect(user);
    for client in [&mut first, &mut second] {
        client.send_text(&subscribe_text(room, None));
        assert_eq!(client.next_json().await["type"], "subscribed");
    }
    let online = tokio::time::timeout(WAIT, fixture.presence.next()).await.unwrap().unwrap();
    assert!(online.online);
    assert_eq!(fixture.context.presence.online_users(room).await.unwrap(), [user].into());

    first.to_server.close_channel();
    assert_eq!(first.session.await.unwrap(), SessionEnd::ClientClosed);
    // Still online: the second tab holds the presence; prove no change was
    // reported by closing it and seeing the offline change come next.
    second.to_server.close_channel();
    assert_eq!(second.session.await.unwrap(), SessionEnd::ClientClosed);
    let offline = tokio::time::timeout(WAIT, fixture.presence.next()).await.unwrap().unwrap();
    assert!(!offline.online && offline.user_id == user);
    assert!(fixture.context.presence.online_users(room).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_idle_session_stays_small() {
    let fixture = Fixture::new(HubConfig::default());
    let (_to_server, incoming) = mpsc::unbounded();
    let (outgoing, _from_server) = mpsc::channel(1);
    let session =
        fixture.context.clone().run(ChannelSocket { incoming, outgoing }, UserId::new(), CancellationToken::new());
    // The task's state machine (656 bytes with this channel socket; what
    // the session awaits only at its end is boxed); the queue and
    // registration add about 200 bytes on the heap. The socket's own buffers
    // are the HTTP layer's.
    let size = std::mem::size_of_val(&session);
    assert!(size <= 1024, "the session future is {size} bytes");
}
