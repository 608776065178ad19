//! The node's file descriptors: how many it may hold open, and the kernel
//! table that holds them. Every WebSocket is one descriptor, so a node
//! serving thousands of family members needs more than the usual soft limit
//! of 1,024, and must not stall while the kernel makes room for them.
//!
//! Linux grows a process's descriptor table by doubling it, and in a process
//! with several threads each growth waits for an RCU grace period
//! (`expand_files` → `synchronize_rcu`) inside the `accept` that needed the
//! slot. That `accept` runs on a tokio worker, so every room the worker
//! serves waits too: on our benchmark machines a growth took 15–25 ms, and
//! the 10,000 sockets of a reconnect storm (a node restarted, its members
//! coming back) paid six of them, about 105 ms of a frozen worker. The table
//! never shrinks, so growing it once at start moves that cost to a moment
//! when nobody is waiting.

use std::os::fd::AsFd;

use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

/// The table is grown at start to hold this many descriptors, or the open
/// file limit if lower: 10,000 sockets with room to spare, for 512 KiB of
/// kernel memory. Past it, growth happens on demand as before.
const PRESIZED_DESCRIPTORS: u64 = 65_536;

/// What [`prepare`] did, for the start-up log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Descriptors {
    /// The open-file limit now in force (the soft one).
    pub limit: Option<u64>,
    /// The descriptors the table was grown to hold, if it was.
    pub presized: Option<u64>,
}

/// Raises the soft open-file limit to the hard one (a service manager's
/// hard limit says what this node may use; the soft default of 1,024 is for
/// programs that still use `select`, which this one never does) and grows
/// the descriptor table once, by duplicating `anchor` to the table's last
/// slot and closing the copy at once. Both are best effort: a refusal is
/// logged and the node serves within what it has.
pub fn prepare(anchor: impl AsFd) -> Descriptors {
    let limit = raise_open_file_limit();
    let slots = limit.unwrap_or(u64::MAX).min(PRESIZED_DESCRIPTORS);
    let presized = i32::try_from(slots.saturating_sub(1)).ok().filter(|last| *last > 0).and_then(|last| {
        match rustix::io::fcntl_dupfd_cloexec(&anchor, last) {
            Ok(copy) => {
                drop(copy);
                Some(slots)
            }
            Err(error) => {
                tracing::debug!(%error, slots, "could not grow the descriptor table at start");
                None
            }
        }
    });
    Descriptors { limit, presized }
}

/// The soft open-file limit after raising it to the hard one; `None` when
/// unlimited.
fn raise_open_file_limit() -> Option<u64> {
    let Rlimit { current, maximum } = getrlimit(Resource::Nofile);
    if let (Some(soft), Some(hard)) = (current, maximum)
        && soft < hard
    {
        return match setrlimit(Resource::Nofile, Rlimit { current: Some(hard), maximum: Some(hard) }) {
            Ok(()) => Some(hard),
            Err(error) => {
                tracing::debug!(%error, soft, hard, "could not raise the open-file limit");
                Some(soft)
            }
        };
    }
    current
}
