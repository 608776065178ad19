use std::sync::Arc;
use std::time::Duration;

use domain::visibility::Visibility;
use domain::{RoomId, UserId};
use rand::seq::SliceRandom;
use realtime::{Audience, ConnectionEvent, Frame, Hub, HubConfig, HubError, RoomEvent};
use tokio::time::Instant;

use crate::support::*;

fn hub_with(source: &Arc<MemorySource>, config: HubConfig) -> Hub {
    Hub::in_process(source.clone(), config)
}

fn config(gap_timeout: Duration) -> HubConfig {
    HubConfig { gap_timeout, ..HubConfig::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activities_published_out_of_order_from_many_tasks_arrive_in_order() {
    let source = MemorySource::new();
    // A long gap timeout: the reorder buffer alone must restore the order.
    let hub = hub_with(&source, config(Duration::from_secs(30)));
    let room = RoomId::new();
    let (conn, mut rx) = hub.connect(UserId::new());
    hub.subscribe(&conn, room, None, subscribed(room), Instant::now()).await.unwrap();
    assert_eq!(kind_of(&next_frames(&mut rx).await[0]), "subscribed");

    let author = UserId::new();
    let mut events: Vec<RoomEvent> = (0..200).map(|_| source.commit(room, author, Visibility::Everyone)).collect();
    events.shuffle(&mut rand::rng());
    let mut tasks = Vec::new();
    for chunk in events.chunks(50) {
        let (hub, chunk) = (hub.clone(), chunk.to_vec());
        tasks.push(tokio::spawn(async move {
            for event in chunk {
                hub.publish(event).await;
                tokio::task::yield_now().await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(seqs_until(&mut rx, 200).await, (1..=200).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_never_published_activity_is_fetched_after_the_gap_timeout() {
    let source = MemorySource::new();
    let hub = hub_with(&source, config(Duration::from_millis(50)));
    let room = RoomId::new();
    let (conn, mut rx) = hub.connect(UserId::new());
    hub.subscribe(&conn, room, None, subscribed(room), Instant::now()).await.unwrap();
    let author = UserId::new();
    let first = source.commit(room, author, Visibility::Everyone);
    let _lost = source.commit(room, author, Visibility::Everyone); // its publisher crashed
    let third = source.commit(room, author, Visibility::Everyone);
    hub.publish(third).await;
    hub.publish(first).await;
    let started = std::time::Instant::now();
    assert_eq!(seqs_until(&mut rx, 3).await, vec![1, 2, 3]);
    assert!(started.elapsed() >= Duration::from_millis(40), "the gap was filled before its timeout");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resuming_subscribe_racing_live_publishes_gets_every_seq_exactly_once() {
    for iteration in 0..60 {
        let source = MemorySource::new();
        source.slow_replay.store(iteration % 2 == 0, std::sync::atomic::Ordering::Relaxed);
        let hub = hub_with(&source, config(Duration::from_millis(20)));
        let room = RoomId::new();
        let author = UserId::new();
        // A watcher keeps the room's channel alive, as other members would.
        let (watcher, _watcher_rx) = hub.connect(UserId::new());
        hub.subscribe(&watcher, room, None, subscribed(room), Instant::now()).await.unwrap();
        for _ in 0..20 {
            let event = source.commit(room, author, Visibility::Everyone);
            hub.publish(event).await;
        }
        let total = 120;
        let mut publishers = Vec::new();
        for _ in 0..2 {
            let (hub, source) = (hub.clone(), source.clone());
            publishers.push(tokio::spawn(async move {
                for _ in 0..(total - 20) / 2 {
                    let event = source.commit(room, author, Visibility::Everyone);
                    tokio::task::yield_now().await;
                    hub.publish(event).await;
                }
            }));
        }
        let cursor = i64::from(iteration % 15);
        let (conn, mut rx) = hub.connect(UserId::new());
        hub.subscribe(&conn, room, Some(cursor), subscribed(room), Instant::now()).await.unwrap();
        for publisher in publishers {
            publisher.await.unwrap();
        }
        let frames = next_frames(&mut rx).await;
        assert_eq!(kind_of(&frames[0]), "subscribed", "the subscribed frame comes first");
        let mut seqs: Vec<i64> = frames.iter().filter_map(seq_of).collect();
        if seqs.last() != Some(&total) {
            seqs.extend(seqs_until(&mut rx, total).await);
        }
        assert_eq!(seqs, ((cursor + 1)..=total).collect::<Vec<_>>(), "iteration {iteration}");
    }
}

#[tokio::test]
async fn a_hidden_member_receives_neither_the_activity_nor_its_signals() {
    let source = MemorySource::new();
    let hub = hub_with(&source, HubConfig::default());
    let room = RoomId::new();
    let (author, hidden, other) = (UserId::new(), UserId::new(), UserId::new());
    let mut receivers = Vec::new();
    let mut handles = Vec::new();
    for user in [author, hidden, other] {
        let (conn, mut rx) = hub.connect(user);
        hub.subscribe(&conn, room, None, subscribed(room), Instant::now()).await.unwrap();
        assert_eq!(kind_of(&next_frames(&mut rx).await[0]), "subscribed");
        handles.push(conn);
        receivers.push(rx);
    }
    let secret = Visibility::HiddenFrom([hidden].into());
    hub.publish(source.commit(room, author, secret.clone())).await;
    let signal = Frame::from_static(r#"{"type":"recommendations","secret":true}"#);
    hub.publish(RoomEvent::signal(room, Audience::Room { author, visibility: secret }, signal)).await;
    let typing = Frame::from_static(r#"{"type":"typing","for":"other"}"#);
    hub.publish(RoomEvent::signal(room, Audience::Users(vec![other]), typing)).await;
    hub.publish(source.commit(room, author, Visibility::Everyone)).await;

    let [author_rx, hidden_rx, other_rx] = &mut receivers[..] else { unreachable!() };
    let seen_by_hidden = take_frames(hidden_rx, 1).await;
    assert_eq!(seen_by_hidden.len(), 1);
    assert_eq!(seq_of(&seen_by_hidden[0]), Some(2), "only the visible activity reaches the hidden member");
    let kinds: Vec<String> = take_frames(other_rx, 4).await.iter().map(kind_of).collect();
    assert_eq!(kinds, ["activity", "recommendations", "typing", "activity"]);
    let kinds: Vec<String> = take_frames(author_rx, 3).await.iter().map(kind_of).collect();
    assert_eq!(kinds, ["activity", "recommendations", "activity"]);
}

#[tokio::test]
async fn a_revoked_member_stops_receiving_at_once() {
    let source = MemorySource::new();
    let hub = hub_with(&source, HubConfig::default());
    let (room, elsewhere) = (RoomId::new(), RoomId::new());
    let (member, removed) = (UserId::new(), UserId::new());
    let (member_conn, mut member_rx) = hub.connect(member);
    hub.subscribe(&member_conn, room, None, subscribed(room), Instant::now()).await.unwrap();
    let (conn, mut rx) = hub.connect(removed);
    hub.subscribe(&conn, room, None, subscribed(room), Instant::now()).await.unwrap();
    hub.subscribe(&conn, elsewhere, None, subscribed(elsewhere), Instant::now()).await.unwrap();
    take_frames(&mut rx, 2).await;
    next_frames(&mut member_rx).await;

    let notice = Frame::from_static(r#"{"type":"unsubscribed","reason":"removed"}"#);
    hub.publish(RoomEvent::access_revoked(room, removed, notice.clone())).await;
    assert_eq!(next_frames(&mut rx).await, vec![notice]);
    assert!(matches!(rx.recv().await, ConnectionEvent::SubscriptionEnded(r) if r == room));
    assert!(!conn.is_subscribed(room));
    assert_eq!(hub.local_subscribers(room), 1);

    hub.publish(source.commit(room, member, Visibility::Everyone)).await;
    hub.publish(source.commit(elsewhere, member, Visibility::Everyone)).await;
    // The next frame on the removed member's socket is the other room's.
    let frames = next_frames(&mut rx).await;
    assert_eq!(frames.len(), 1);
    assert_eq!(json(&frames[0])["room_id"], serde_json::json!(elsewhere));
    assert_eq!(seqs_until(&mut member_rx, 1).await, vec![1]);
}

#[tokio::test]
async fn a_revocation_during_the_access_check_refuses_the_subscription() {
    let source = MemorySource::new();
    let hub = hub_with(&source, HubConfig::default());
    let (room, user) = (RoomId::new(), UserId::new());
    let (conn, _rx) = hub.connect(user);
    let checked_at = Instant::now();
    hub.publish(RoomEvent::access_revoked(room, user, Frame::from_static("{}"))).await;
    let refused = hub.subscribe(&conn, room, None, subscribed(room), checked_at).await;
    assert!(matches!(refused, Err(HubError::AccessRevoked)));
    assert_eq!(hub.local_subscribers(room), 0);
    // A later, fresh check is not refused (the user may have been re-invited).
    hub.subscribe(&conn, room, None, subscribed(room), Instant::now()).await.unwrap();
}

#[tokio::test]
async fn a_slow_connection_is_cut_off_while_others_keep_receiving() {
    let source = MemorySource::new();
    let hub = hub_with(&source, HubConfig { queue_capacity: 8, ..HubConfig::default() });
    let room = RoomId::new();
    let (slow, mut slow_rx) = hub.connect(UserId::new());
    let (fast, mut fast_rx) = hub.connect(UserId::new());
    hub.subscribe(&slow, room, None, subscribed(room), Instant::now()).await.unwrap();
    hub.subscribe(&fast, room, None, subscribed(room), Instant::now()).await.unwrap();
    next_frames(&mut fast_rx).await;
    let author = UserId::new();
    let mut received = Vec::new();
    for batch in 0..10 {
        for _ in 0..4 {
            hub.publish(source.commit(room, author, Visibility::Everyone)).await;
        }
        received.extend(seqs_until(&mut fast_rx, (batch + 1) * 4).await);
    }
    assert_eq!(received, (1..=40).collect::<Vec<_>>());
    assert!(matches!(slow_rx.recv().await, ConnectionEvent::Overflow));
    assert!(slow.is_overflowed());
    assert_eq!(hub.local_subscribers(room), 1, "the slow connection left the room");
}

#[tokio::test]
async fn dropping_a_connection_unregisters_it_everywhere() {
    let source = MemorySource::new();
    let hub = hub_with(&source, HubConfig::default());
    let (a, b) = (RoomId::new(), RoomId::new());
    let (conn, mut rx) = hub.connect(UserId::new());
    hub.subscribe(&conn, a, None, subscribed(a), Instant::now()).await.unwrap();
    hub.subscribe(&conn, b, Some(0), subscribed(b), Instant::now()).await.unwrap();
    assert_eq!(hub.local_rooms(), 2);
    drop(conn);
    assert_eq!(hub.local_rooms(), 0);
    assert!(matches!(rx.recv().await, ConnectionEvent::Closed));
}

#[tokio::test]
async fn a_cursor_replays_only_what_the_subscriber_may_see_then_streams_live() {
    let source = MemorySource::new();
    let hub = hub_with(&source, HubConfig::default());
    let room = RoomId::new();
    let (author, hidden) = (UserId::new(), UserId::new());
    source.commit(room, author, Visibility::Everyone);
    source.commit(room, author, Visibility::HiddenFrom([hidden].into()));
    source.commit(room, author, Visibility::Everyone);
    let (conn, mut rx) = hub.connect(hidden);
    hub.subscribe(&conn, room, Some(0), subscribed(room), Instant::now()).await.unwrap();
    hub.publish(source.commit(room, author, Visibility::Everyone)).await;
    let frames = take_frames(&mut rx, 4).await;
    assert_eq!(kind_of(&frames[0]), "subscribed");
    assert_eq!(frames[1..].iter().filter_map(seq_of).collect::<Vec<_>>(), vec![1, 3, 4]);
}

#[tokio::test]
async fn a_cursor_ahead_of_this_node_is_not_delivered_twice() {
    let source = MemorySource::new();
    let hub = hub_with(&source, config(Duration::from_secs(30)));
    let room = RoomId::new();
    let author = UserId::new();
    let (watcher, _watcher_rx) = hub.connect(UserId::new());
    hub.subscribe(&watcher, room, None, subscribed(room), Instant::now()).await.unwrap();
    // Committed, seen by the client on another node, not yet published here.
    let one = source.commit(room, author, Visibility::Everyone);
    let two = source.commit(room, author, Visibility::Everyone);
    let (conn, mut rx) = hub.connect(UserId::new());
    hub.subscribe(&conn, room, Some(2), subscribed(room), Instant::now()).await.unwrap();
    hub.publish(one).await;
    hub.publish(two).await;
    hub.publish(source.commit(room, author, Visibility::Everyone)).await;
    let frames = take_frames(&mut rx, 2).await;
    assert_eq!(kind_of(&frames[0]), "subscribed");
    assert_eq!(seq_of(&frames[1]), Some(3));
}

#[tokio::test(start_paused = true)]
async fn a_seq_the_source_never_returns_is_skipped_instead_of_stalling_the_room() {
    let source = MemorySource::new();
    let hub = hub_with(&source, config(Duration::from_millis(50)));
    let room = RoomId::new();
    let (conn, mut rx) = hub.connect(UserId::new());
    hub.subscribe(&conn, room, None, subscribed(room), Instant::now()).await.unwrap();
    let author = UserId::new();
    let first = source.commit(room, author, Visibility::Everyone);
    source.commit(room, author, Visibility::Everyone);
    let third = source.commit(room, author, Visibility::Everyone);
    source.forget(room, 2);
    hub.publish(first).await;
    hub.publish(third).await;
    // Paused time: the gap-fill retries run back to back as the clock jumps.
    let mut seqs = Vec::new();
    while seqs.last() != Some(&3) {
        match tokio::time::timeout(Duration::from_secs(120), rx.recv()).await.unwrap() {
            ConnectionEvent::Frames(frames) => seqs.extend(frames.iter().filter_map(seq_of)),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(seqs, vec![1, 3]);
}
