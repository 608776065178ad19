//! The synthetic catalogs' random numbers, shared by the brute-force facet
//! test and `examples/search_bench.rs` (which includes this file by path):
//! xorshift64*, deterministic and without a dependency, so that a seed gives
//! the same catalog as when the figures in docs/benchmarks.md were taken.

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards small indexes, like real brand and category popularity.
    pub fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        a.min(b)
    }

    #[allow(dead_code)] // the benchmark draws indexes only
    pub fn pick<'a>(&mut self, values: &[&'a str]) -> &'a str {
        values[self.below(values.len())]
    }
}
