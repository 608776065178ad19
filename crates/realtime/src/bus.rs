//! Cross-node fan-out over Redis pub/sub.
//!
//! Every node publishes each [`RoomEvent`] as JSON on one channel,
//! `familyroom:realtime:events`, and every node subscribes to it and feeds the
//! events to its local room channels (rooms without local subscribers drop
//! them at once). One channel, not shards: every node needs every room's
//! events it has subscribers for, and room sets are not partitioned across
//! nodes, so sharding would only add subscriptions. Revisit (per-room
//! channels or sharded pub/sub) when nodes hold disjoint rooms.
//!
//! Pub/sub is lossy by nature; this module does not try to make it reliable:
//! order and completeness are restored by seq and gap fill in the hub, and
//! after a reconnect every local room is re-read from the database.

use std::sync::Weak;
use std::time::Duration;

use futures::StreamExt;
use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig, PubSub};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::event::RoomEvent;
use crate::hub::HubInner;

pub(crate) const CHANNEL: &str = "familyroom:realtime:events";
const HEALTH_INTERVAL: Duration = Duration::from_secs(10);
const HEALTH_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(5);

#[derive(Serialize)]
struct OutgoingEnvelope<'a> {
    /// The publishing node: it has delivered the event locally already.
    node: &'a str,
    event: &'a RoomEvent,
}

#[derive(Deserialize)]
struct IncomingEnvelope {
    node: String,
    event: RoomEvent,
}

pub(crate) fn encode(node_id: &str, event: &RoomEvent) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&OutgoingEnvelope { node: node_id, event })
}

/// The publishing side: a multiplexed connection that reconnects by itself.
pub(crate) struct RedisBus {
    conn: ConnectionManager,
}

impl RedisBus {
    pub(crate) async fn connect(client: &redis::Client) -> Result<RedisBus, redis::RedisError> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Duration::from_secs(2))
            .set_response_timeout(Duration::from_secs(1))
            .set_number_of_retries(2);
        let conn = ConnectionManager::new_with_config(client.clone(), config).await?;
        Ok(RedisBus { conn })
    }

    /// Best effort: a failed publish is logged and counted; the other nodes
    /// recover the activity by gap fill on their next event or reconnect.
    pub(crate) async fn publish(&self, payload: Vec<u8>) {
        let mut conn = self.conn.clone();
        let published: Result<i64, _> = conn.publish(CHANNEL, payload).await;
        if let Err(error) = published {
            metrics::counter!("realtime_redis_publish_failures_total").increment(1);
            tracing::warn!(%error, "realtime: redis publish failed");
        }
    }
}

async fn open_subscription(client: &redis::Client) -> Result<PubSub, redis::RedisError> {
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(CHANNEL).await?;
    Ok(pubsub)
}

/// Subscribes once (so the caller knows the node is listening), then keeps the
/// subscription alive in a task until `shutdown` or the hub is gone.
pub(crate) async fn start_subscriber(
    client: redis::Client,
    hub: Weak<HubInner>,
    shutdown: CancellationToken,
) -> Result<(), redis::RedisError> {
    let first = open_subscription(&client).await?;
    tokio::spawn(run_subscriber(client, hub, shutdown, first));
    Ok(())
}

async fn run_subscriber(client: redis::Client, hub: Weak<HubInner>, shutdown: CancellationToken, first: PubSub) {
    let mut next = Some(first);
    let mut delay = Duration::from_millis(100);
    loop {
        let pubsub = match next.take() {
            Some(pubsub) => pubsub,
            None => {
                let opened = tokio::select! {
                    () = shutdown.cancelled() => return,
                    opened = open_subscription(&client) => opened,
                };
                match opened {
                    Ok(pubsub) => {
                        delay = Duration::from_millis(100);
                        tracing::info!("realtime: redis subscription restored");
                        // Events published while unsubscribed are lost to this
                        // node: compare its rooms with the database.
                        match hub.upgrade() {
                            Some(hub) => hub.resync_rooms(),
                            None => return,
                        }
                        pubsub
                    }
                    Err(error) => {
                        tracing::warn!(%error, "realtime: redis subscribe failed; retrying");
                        tokio::select! {
                            () = shutdown.cancelled() => return,
                            () = tokio::time::sleep(delay) => {}
                        }
                        delay = (delay * 2).min(MAX_RECONNECT_DELAY);
                        continue;
                    }
                }
            }
        };
        let (mut sink, mut stream) = pubsub.split();
        let mut health = tokio::time::interval(HEALTH_INTERVAL);
        health.reset();
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                message = stream.next() => {
                    let Some(message) = message else { break };
                    let Some(hub) = hub.upgrade() else { return };
                    match serde_json::from_slice::<IncomingEnvelope>(message.get_payload_bytes()) {
                        Ok(envelope) if envelope.node == hub.node_id() => {}
                        Ok(envelope) => hub.deliver_local(envelope.event),
                        Err(error) => tracing::warn!(%error, "realtime: undecodable event on redis"),
                    }
                }
                _ = health.tick() => {
                    // A half-open TCP connection never ends the stream: probe it.
                    let pong = tokio::time::timeout(HEALTH_TIMEOUT, sink.ping::<redis::Value>()).await;
                    if !matches!(pong, Ok(Ok(_))) {
                        break;
                    }
                }
            }
        }
        metrics::counter!("realtime_redis_subscription_losses_total").increment(1);
        tracing::warn!("realtime: redis subscription lost; reconnecting");
    }
}
