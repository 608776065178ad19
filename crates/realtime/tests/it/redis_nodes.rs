//! Two hubs ("nodes") sharing one Redis and one database.

use std::time::Duration;

use domain::visibility::Visibility;
use domain::{RoomId, UserId};
use realtime::presence::PresenceConfig;
use realtime::{ConnectionEvent, Frame, Hub, HubConfig, Presence, RoomEvent};
use tokio::time::Instant;

use crate::presence::{listener, next_change};
use crate::support::*;

pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

fn node_config(name: &str) -> HubConfig {
    HubConfig {
        node_id: format!("{name}-{}", uuid::Uuid::new_v4().simple()),
        gap_timeout: Duration::from_millis(100),
        ..HubConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_published_on_one_node_reach_another_in_order() {
    let source = MemorySource::new();
    let node_a = Hub::redis(source.clone(), node_config("a"), &redis_url()).await.unwrap();
    let node_b = Hub::redis(source.clone(), node_config("b"), &redis_url()).await.unwrap();
    let room = RoomId::new();
    let (author, reader) = (UserId::new(), UserId::new());
    let (conn, mut rx) = node_a.connect(reader);
    node_a.subscribe(&conn, room, None, subscribed(room), Instant::now()).await.unwrap();
    assert_eq!(kind_of(&next_frames(&mut rx).await[0]), "subscribed");

    let events: Vec<RoomEvent> = (0..30).map(|_| source.commit(room, author, Visibility::Everyone)).collect();
    // Published out of order from two tasks on node B, one never published.
    let (evens, odds): (Vec<_>, Vec<_>) = events.into_iter().partition(|e| match e.kind {
        realtime::EventKind::Activity { seq, .. } => seq % 2 == 0,
        _ => false,
    });
    let publish_all = |hub: Hub, mut list: Vec<RoomEvent>, skip_seq: i64| async move {
        list.reverse();
        for event in list {
            if matches!(event.kind, realtime::EventKind::Activity { seq, .. } if seq == skip_seq) {
                continue;
            }
            hub.publish(event).await;
        }
    };
    tokio::join!(publish_all(node_b.clone(), evens, 14), publish_all(node_b.clone(), odds, 0));
    assert_eq!(seqs_until(&mut rx, 30).await, (1..=30).collect::<Vec<_>>());

    // A signal crosses nodes too, exactly once.
    let typing = Frame::from_static(r#"{"type":"typing"}"#);
    node_b.publish(RoomEvent::signal(room, realtime::Audience::Users(vec![reader]), typing.clone())).await;
    assert_eq!(next_frames(&mut rx).await, vec![typing]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_on_one_node_cuts_the_subscription_on_another() {
    let source = MemorySource::new();
    let node_a = Hub::redis(source.clone(), node_config("a"), &redis_url()).await.unwrap();
    let node_b = Hub::redis(source.clone(), node_config("b"), &redis_url()).await.unwrap();
    let (room, removed) = (RoomId::new(), UserId::new());
    let (conn, mut rx) = node_a.connect(removed);
    node_a.subscribe(&conn, room, None, subscribed(room), Instant::now()).await.unwrap();
    next_frames(&mut rx).await;
    let notice = Frame::from_static(r#"{"type":"unsubscribed","reason":"removed"}"#);
    node_b.publish(RoomEvent::access_revoked(room, removed, notice.clone())).await;
    assert_eq!(next_frames(&mut rx).await, vec![notice]);
    assert!(matches!(rx.recv().await, ConnectionEvent::SubscriptionEnded(r) if r == room));
    assert_eq!(node_a.local_subscribers(room), 0);
}

/// The next change about `room`. Sweeps cover every room in the shared
/// Redis index, so other tests' expired entries can show up here too.
async fn next_change_in(
    changes: &mut futures::channel::mpsc::UnboundedReceiver<realtime::PresenceChange>,
    room: RoomId,
) -> realtime::PresenceChange {
    loop {
        let change = next_change(changes).await;
        if change.room_id == room {
            return change;
        }
    }
}

fn presence_config(node: &str) -> PresenceConfig {
    PresenceConfig {
        node_id: format!("{node}{}", uuid::Uuid::new_v4().simple()),
        entry_ttl: Duration::from_millis(600),
        refresh_interval: Duration::from_millis(200),
        sweep_interval: Duration::from_millis(100),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_spans_nodes_and_a_crashed_node_goes_offline() {
    let (on_a, mut changes_a) = listener();
    let (on_b, mut changes_b) = listener();
    let node_a = Presence::redis(&redis_url(), presence_config("a"), on_a).await.unwrap();
    let node_b = Presence::redis(&redis_url(), presence_config("b"), on_b).await.unwrap();
    let (room, user) = (RoomId::new(), UserId::new());

    node_a.join(room, user).await.unwrap();
    let online = next_change_in(&mut changes_a, room).await;
    assert!(online.online && online.user_id == user && online.room_id == room);
    node_b.join(room, user).await.unwrap(); // a second tab, on another node: no transition
    assert_eq!(node_b.online_users(room).await.unwrap(), [user].into());
    node_a.leave(room, user).await.unwrap(); // still on node B: no transition
    assert_eq!(node_a.online_users(room).await.unwrap(), [user].into());

    // Node B crashes: its entry is never removed, only left to expire.
    drop(node_b);
    let offline = next_change_in(&mut changes_a, room).await;
    assert!(!offline.online && offline.user_id == user && offline.room_id == room);
    assert!(node_a.online_users(room).await.unwrap().is_empty());
    while let Ok(change) = changes_b.try_recv() {
        assert_ne!(change.room_id, room, "node B reported nothing about this room");
    }
}
