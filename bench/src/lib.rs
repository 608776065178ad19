//! What the benchmark tools read about a process from /proc: shared by
//! `fr-load` and the examples.

use anyhow::{Context, Result};

/// The clock ticks /proc counts CPU time in (`USER_HZ`, 100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

/// A process's CPU time (user + system) in seconds, from /proc.
pub fn cpu_seconds(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: f64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    Ok(ticks / TICKS_PER_SECOND)
}

/// A process's resident memory in KiB, whole and split by kind, from /proc.
#[derive(Debug, Clone, Copy)]
pub struct Resident {
    /// `VmRSS`: everything below.
    pub total_kib: u64,
    /// `RssAnon`: the heap and stacks, what the process allocated itself.
    pub anon_kib: u64,
    /// `RssFile` + `RssShmem`: mapped files' pages, such as SQLite's memory
    /// map of the database and its WAL index. They come and go with the
    /// files (a remap when the database grows drops them all) and belong to
    /// the page cache, not to any connection.
    pub mapped_kib: u64,
}

pub fn resident(pid: u32) -> Result<Resident> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> Result<u64> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .with_context(|| format!("{name} in /proc/{pid}/status"))
    };
    Ok(Resident {
        total_kib: field("VmRSS:")?,
        anon_kib: field("RssAnon:")?,
        mapped_kib: field("RssFile:")? + field("RssShmem:")?,
    })
}

/// One core's idle and soft-interrupt time since boot, in seconds, from the
/// `cpuN` lines of /proc/stat. Idle time is measured exactly on a tickless
/// kernel, so a core's busy time over an interval is the interval's wall time
/// less its idle time; the busy fields themselves are sampled at each tick
/// and miss short bursts. Soft-interrupt time is such a sample: a guide to
/// where the network's receive path ran, not a measure.
#[derive(Debug, Clone, Copy, Default)]
pub struct CoreTime {
    /// Idle and waiting for I/O.
    pub idle: f64,
    /// Software interrupts, sampled at ticks.
    pub softirq: f64,
}

pub fn core_times() -> Result<Vec<CoreTime>> {
    let stat = std::fs::read_to_string("/proc/stat")?;
    let mut cores = Vec::new();
    for line in stat.lines() {
        let Some(rest) = line.strip_prefix("cpu") else { continue };
        // "cpu " is the sum over all cores; "cpu0", "cpu1", … are the cores.
        if !rest.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        // user nice system idle iowait irq softirq steal guest guest_nice:
        // a field that is missing or not a number is an error, not a zero,
        // so that a changed format cannot pass for an idle core.
        let ticks = rest
            .split_whitespace()
            .skip(1)
            .map(|v| v.parse::<f64>().with_context(|| format!("field {v:?} of /proc/stat: {line}")))
            .collect::<Result<Vec<f64>>>()?;
        let field = |i: usize| -> Result<f64> {
            let value = ticks.get(i).with_context(|| format!("field {i} of /proc/stat: {line}"))?;
            Ok(value / TICKS_PER_SECOND)
        };
        cores.push(CoreTime { idle: field(3)? + field(4)?, softirq: field(6)? });
    }
    Ok(cores)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_online_core_has_its_times() {
        let cores = core_times().unwrap();
        let online = std::thread::available_parallelism().unwrap().get();
        assert!(cores.len() >= online, "{} cores read, {online} online", cores.len());
        assert!(cores.iter().all(|c| c.idle >= 0.0 && c.softirq >= 0.0 && c.idle.is_finite()));
    }
}
