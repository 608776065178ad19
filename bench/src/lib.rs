//! What the benchmark tools read about a process from /proc, and about a
//! server from its Prometheus text: shared by `fr-load` and the examples.

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

/// One Prometheus histogram as `/metrics` renders it: cumulative bucket
/// counts by upper bound, the count and the sum of what was recorded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Histogram {
    /// `(le, count)` in the order rendered (ascending bounds, `+Inf` last).
    pub buckets: Vec<(f64, u64)>,
    pub count: u64,
    pub sum: f64,
}

impl Histogram {
    /// The histogram `name` (unlabelled) in Prometheus text; `None` when the
    /// server has not recorded it yet.
    pub fn parse(text: &str, name: &str) -> Result<Option<Histogram>> {
        let mut histogram = Histogram::default();
        let mut seen = false;
        let number = |value: &str, line: &str| -> Result<f64> {
            value.trim().parse::<f64>().with_context(|| format!("a number in {line:?}"))
        };
        for line in text.lines() {
            let Some(rest) = line.strip_prefix(name) else { continue };
            if let Some(bucket) = rest.strip_prefix("_bucket{le=\"") {
                let (bound, value) = bucket.split_once("\"} ").with_context(|| format!("a bucket in {line:?}"))?;
                let bound = if bound == "+Inf" { f64::INFINITY } else { number(bound, line)? };
                histogram.buckets.push((bound, number(value, line)? as u64));
                seen = true;
            } else if let Some(value) = rest.strip_prefix("_count ") {
                histogram.count = number(value, line)? as u64;
                seen = true;
            } else if let Some(value) = rest.strip_prefix("_sum ") {
                histogram.sum = number(value, line)?;
                seen = true;
            }
        }
        Ok(seen.then_some(histogram))
    }

    /// What was recorded after `earlier` (the same histogram, read before).
    pub fn since(&self, earlier: Option<&Histogram>) -> Histogram {
        let Some(earlier) = earlier else { return self.clone() };
        let before = |bound: f64| earlier.buckets.iter().find(|(le, _)| *le == bound).map_or(0, |(_, count)| *count);
        Histogram {
            buckets: self.buckets.iter().map(|&(le, count)| (le, count.saturating_sub(before(le)))).collect(),
            count: self.count.saturating_sub(earlier.count),
            sum: self.sum - earlier.sum,
        }
    }

    /// How many recorded values exceeded `bound`, which must be a bucket's.
    pub fn above(&self, bound: f64) -> Option<u64> {
        self.buckets.iter().find(|(le, _)| *le == bound).map(|(_, within)| self.count.saturating_sub(*within))
    }
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

    const TEXT: &str = "# TYPE store_append_commit_duration_seconds histogram
store_append_commit_duration_seconds_bucket{le=\"0.001\"} 90
store_append_commit_duration_seconds_bucket{le=\"0.005\"} 98
store_append_commit_duration_seconds_bucket{le=\"+Inf\"} 100
store_append_commit_duration_seconds_sum 0.25
store_append_commit_duration_seconds_count 100
store_append_commit_duration_seconds_other 7
http_requests_total{route=\"/x\"} 3
";

    #[test]
    fn a_histogram_is_read_and_differenced() {
        let now = Histogram::parse(TEXT, "store_append_commit_duration_seconds").unwrap().unwrap();
        assert_eq!(now.buckets, vec![(0.001, 90), (0.005, 98), (f64::INFINITY, 100)]);
        assert_eq!((now.count, now.sum), (100, 0.25));
        assert_eq!(now.above(0.001), Some(10));
        assert_eq!(now.above(0.002), None, "not a bucket's bound");
        let earlier = Histogram { buckets: vec![(0.001, 40), (0.005, 45), (f64::INFINITY, 46)], count: 46, sum: 0.1 };
        let run = now.since(Some(&earlier));
        assert_eq!(run.buckets, vec![(0.001, 50), (0.005, 53), (f64::INFINITY, 54)]);
        assert_eq!(run.count, 54);
        assert_eq!(run.above(0.005), Some(1));
        assert!((run.sum - 0.15).abs() < 1e-12);
    }

    #[test]
    fn an_absent_histogram_is_none_and_a_bad_number_an_error() {
        assert_eq!(Histogram::parse(TEXT, "no_such_histogram").unwrap(), None);
        let bad = "h_bucket{le=\"0.1\"} many\n";
        assert!(Histogram::parse(bad, "h").is_err());
    }
}
