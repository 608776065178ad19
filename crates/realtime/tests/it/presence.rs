use std::sync::Arc;

use domain::{RoomId, UserId};
use futures::StreamExt;
use futures::channel::mpsc;
use realtime::Presence;
use realtime::presence::{PresenceChange, PresenceListener};

use crate::support::WAIT;

pub fn listener() -> (Arc<dyn PresenceListener>, mpsc::UnboundedReceiver<PresenceChange>) {
    let (tx, rx) = mpsc::unbounded();
    (Arc::new(move |change| drop(tx.unbounded_send(change))), rx)
}

pub async fn next_change(rx: &mut mpsc::UnboundedReceiver<PresenceChange>) -> PresenceChange {
    tokio::time::timeout(WAIT, rx.next()).await.expect("no presence change in time").expect("listener dropped")
}

#[tokio::test]
async fn only_the_first_join_and_the_last_leave_are_transitions() {
    let (on_change, mut changes) = listener();
    let presence = Presence::in_process(on_change);
    let (room, user, other) = (RoomId::new(), UserId::new(), UserId::new());
    presence.join(room, user).await.unwrap();
    presence.join(room, user).await.unwrap();
    presence.join(room, other).await.unwrap();
    let first = next_change(&mut changes).await;
    assert!(first.online && first.user_id == user);
    assert_eq!(next_change(&mut changes).await.user_id, other);
    assert_eq!(presence.online_users(room).await.unwrap(), [user, other].into());

    presence.leave(room, user).await.unwrap();
    assert!(changes.try_recv().is_err(), "one tab closing is no transition");
    presence.leave(room, user).await.unwrap();
    let gone = next_change(&mut changes).await;
    assert!(!gone.online && gone.user_id == user);
    assert_eq!(presence.online_users(room).await.unwrap(), [other].into());
}
