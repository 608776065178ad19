use std::time::Duration;

use domain::UserId;
use realtime::TicketStore;

use crate::redis_nodes::redis_url;

#[tokio::test]
async fn an_in_process_ticket_is_redeemed_once() {
    let store = TicketStore::in_process();
    let user = UserId::new();
    let issued = store.issue(user, Duration::from_secs(30)).await.unwrap();
    assert!(issued.ticket.len() >= 22, "at least 128 bits of base64url");
    assert!(issued.ticket.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(store.redeem(&issued.ticket).await.unwrap(), Some(user));
    assert_eq!(store.redeem(&issued.ticket).await.unwrap(), None);
    assert_eq!(store.redeem("made-up").await.unwrap(), None);
}

#[tokio::test(start_paused = true)]
async fn an_expired_in_process_ticket_is_refused() {
    let store = TicketStore::in_process();
    let issued = store.issue(UserId::new(), Duration::from_secs(30)).await.unwrap();
    tokio::time::advance(Duration::from_secs(31)).await;
    assert_eq!(store.redeem(&issued.ticket).await.unwrap(), None);
}

#[tokio::test]
async fn a_redis_ticket_is_redeemed_once_and_expires() {
    let store = TicketStore::redis(&redis_url()).await.unwrap();
    let user = UserId::new();
    let issued = store.issue(user, Duration::from_secs(30)).await.unwrap();
    assert_eq!(store.redeem(&issued.ticket).await.unwrap(), Some(user));
    assert_eq!(store.redeem(&issued.ticket).await.unwrap(), None);

    let short = store.issue(user, Duration::from_millis(10)).await.unwrap();
    // Redis expires keys on its own clock; wait past the expiry itself.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(store.redeem(&short.ticket).await.unwrap(), None);
}
