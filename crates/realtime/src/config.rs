//! [`HubConfig`]: the hub's and the WebSocket session's limits, with defaults
//! sized for about 20,000 sockets per process.

use std::time::Duration;

/// Limits of the hub and of each WebSocket session.
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// Frames a connection may have queued before it is cut off (4008).
    pub queue_capacity: usize,
    /// How long an out-of-order activity waits for the missing ones before
    /// the hub fetches them from the [`crate::ActivitySource`].
    pub gap_timeout: Duration,
    /// WebSocket ping interval.
    pub ping_interval: Duration,
    /// A session without any inbound frame for this long is closed.
    pub idle_timeout: Duration,
    /// Largest inbound text frame; larger closes with 1009.
    pub max_frame_bytes: usize,
    /// This node's name on Redis (own messages are ignored by it).
    pub node_id: String,
    /// Rooms one connection may be subscribed to at once.
    pub max_rooms_per_connection: usize,
    /// Sustained inbound frames per second (token bucket refill).
    pub inbound_rate_per_sec: u32,
    /// Inbound burst (token bucket size).
    pub inbound_burst: u32,
    /// Malformed frames tolerated per connection before closing with 1008.
    pub max_bad_frames: u32,
    /// A write to the socket that takes longer closes the session.
    pub write_timeout: Duration,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            queue_capacity: 256,
            gap_timeout: Duration::from_millis(200),
            ping_interval: Duration::from_secs(25),
            idle_timeout: Duration::from_secs(60),
            max_frame_bytes: 16 * 1024,
            node_id: uuid::Uuid::new_v4().simple().to_string(),
            max_rooms_per_connection: 64,
            inbound_rate_per_sec: 50,
            inbound_burst: 100,
            max_bad_frames: 10,
            write_timeout: Duration::from_secs(10),
        }
    }
}
