//! Offline evaluation metrics: hit rate@k, NDCG@k, catalog coverage and latency.

use std::collections::HashSet;
use std::time::Duration;

use uuid::Uuid;

/// Accumulates leave-one-out results for one model.
#[derive(Debug, Default, Clone)]
pub struct Metrics {
    pub cases: usize,
    pub hits: usize,
    pub ndcg_sum: f64,
    pub recommended: HashSet<Uuid>,
    pub latencies: Vec<Duration>,
}

impl Metrics {
    /// Records one case: the ranked list and the held-out item.
    pub fn record(&mut self, ranked: &[Uuid], held_out: Uuid, k: usize, latency: Duration) {
        self.cases += 1;
        self.latencies.push(latency);
        for item in ranked.iter().take(k) {
            self.recommended.insert(*item);
        }
        if let Some(rank) = ranked.iter().take(k).position(|i| *i == held_out) {
            self.hits += 1;
            self.ndcg_sum += 1.0 / ((rank as f64) + 2.0).log2();
        }
    }

    pub fn hit_rate(&self) -> f64 {
        self.hits as f64 / self.cases.max(1) as f64
    }

    pub fn ndcg(&self) -> f64 {
        self.ndcg_sum / self.cases.max(1) as f64
    }

    pub fn coverage(&self, catalog_size: usize) -> f64 {
        self.recommended.len() as f64 / catalog_size.max(1) as f64
    }

    /// The `q` quantile (0–1) of the latencies.
    pub fn latency(&mut self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        self.latencies.sort();
        let at = ((self.latencies.len() - 1) as f64 * q).round() as usize;
        self.latencies[at]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_at_first_rank_scores_one() {
        let mut m = Metrics::default();
        let a = Uuid::from_u128(1);
        let b = Uuid::from_u128(2);
        m.record(&[a, b], a, 10, Duration::from_micros(5));
        m.record(&[a, b], b, 10, Duration::from_micros(7));
        m.record(&[a], b, 10, Duration::from_micros(9));
        assert!((m.hit_rate() - 2.0 / 3.0).abs() < 1e-9);
        assert!((m.ndcg() - (1.0 + 1.0 / 3f64.log2()) / 3.0).abs() < 1e-9);
        assert!((m.coverage(4) - 0.5).abs() < 1e-9);
        assert_eq!(m.latency(1.0), Duration::from_micros(9));
    }
}
