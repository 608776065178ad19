//! [`Bits`]: a set of the document ids of one segment as plain 64-bit words.
//! Facet filtering and counting are word-wise AND, AND-NOT, OR and popcount
//! over these; tantivy's own bitsets do not expose their words.

/// Documents `0..len` of one segment; bit `doc % 64` of word `doc / 64`.
/// Bits at or past `len` are always clear, so popcounts need no masking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bits {
    words: Vec<u64>,
    len: u32,
}

fn words_for(len: u32) -> usize {
    (len as usize).div_ceil(64)
}

impl Bits {
    pub fn empty(len: u32) -> Self {
        Self { words: vec![0; words_for(len)], len }
    }

    pub fn full(len: u32) -> Self {
        let mut words = vec![u64::MAX; words_for(len)];
        if let Some(last) = words.last_mut()
            && !len.is_multiple_of(64)
        {
            *last = (1u64 << (len % 64)) - 1;
        }
        Self { words, len }
    }

    /// `docs` must all be below `len`; others are ignored.
    pub fn from_docs(len: u32, docs: &[u32]) -> Self {
        let mut bits = Self::empty(len);
        bits.insert_all(docs);
        bits
    }

    /// The members of both; `len` is `a`'s.
    pub fn and(a: &Bits, b: &Bits) -> Self {
        let mut words: Vec<u64> = a.words.iter().zip(&b.words).map(|(a, b)| a & b).collect();
        words.resize(a.words.len(), 0);
        Self { words, len: a.len }
    }

    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    #[inline]
    pub fn insert(&mut self, doc: u32) {
        if doc < self.len
            && let Some(word) = self.words.get_mut((doc >> 6) as usize)
        {
            *word |= 1u64 << (doc & 63);
        }
    }

    pub fn insert_all(&mut self, docs: &[u32]) {
        for doc in docs {
            self.insert(*doc);
        }
    }

    #[inline]
    pub fn contains(&self, doc: u32) -> bool {
        self.words.get((doc >> 6) as usize).is_some_and(|word| word & (1u64 << (doc & 63)) != 0)
    }

    /// Number of members.
    pub fn count(&self) -> u64 {
        self.words.iter().map(|word| u64::from(word.count_ones())).sum()
    }

    /// Number of members of both sets.
    pub fn count_and(&self, other: &Bits) -> u64 {
        self.words.iter().zip(&other.words).map(|(a, b)| u64::from((a & b).count_ones())).sum()
    }

    /// Keeps the members that `other` also has.
    pub fn intersect_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
        // A shorter `other` has no members past its end.
        for a in self.words.iter_mut().skip(other.words.len()) {
            *a = 0;
        }
    }

    /// Adds the members of `other` (those below `len`).
    pub fn union_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
        self.clear_tail();
    }

    /// Removes the members of `other`.
    pub fn subtract(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// Calls `f` with every member, ascending.
    #[inline]
    pub fn for_each(&self, mut f: impl FnMut(u32)) {
        for (index, word) in self.words.iter().enumerate() {
            visit(*word, index, &mut f);
        }
    }

    /// Calls `f` with every member that `other` lacks, ascending.
    #[inline]
    pub fn for_each_not_in(&self, other: &Bits, mut f: impl FnMut(u32)) {
        for (index, word) in self.words.iter().enumerate() {
            let mask = other.words.get(index).copied().unwrap_or(0);
            visit(word & !mask, index, &mut f);
        }
    }

    pub fn heap_bytes(&self) -> usize {
        self.words.capacity() * std::mem::size_of::<u64>()
    }

    fn clear_tail(&mut self) {
        if let Some(last) = self.words.last_mut()
            && !self.len.is_multiple_of(64)
        {
            *last &= (1u64 << (self.len % 64)) - 1;
        }
    }
}

#[inline]
fn visit(mut word: u64, index: usize, f: &mut impl FnMut(u32)) {
    let base = (index as u32) << 6;
    while word != 0 {
        f(base + word.trailing_zeros());
        word &= word - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(bits: &Bits) -> Vec<u32> {
        let mut out = Vec::new();
        bits.for_each(|doc| out.push(doc));
        out
    }

    #[test]
    fn full_has_exactly_len_members() {
        for len in [0, 1, 63, 64, 65, 130] {
            let bits = Bits::full(len);
            assert_eq!(bits.count(), u64::from(len));
            assert_eq!(members(&bits), (0..len).collect::<Vec<_>>());
        }
    }

    #[test]
    fn set_operations_agree_with_their_definitions() {
        let a = Bits::from_docs(200, &[0, 5, 63, 64, 100, 199]);
        let b = Bits::from_docs(200, &[5, 64, 150, 199]);
        assert_eq!(a.count_and(&b), 3);
        let mut and = a.clone();
        and.intersect_with(&b);
        assert_eq!(members(&and), [5, 64, 199]);
        assert_eq!(Bits::and(&a, &b), and);
        let mut or = a.clone();
        or.union_with(&b);
        assert_eq!(members(&or), [0, 5, 63, 64, 100, 150, 199]);
        let mut minus = a.clone();
        minus.subtract(&b);
        assert_eq!(members(&minus), [0, 63, 100]);
        let mut not_in = Vec::new();
        a.for_each_not_in(&b, |doc| not_in.push(doc));
        assert_eq!(not_in, [0, 63, 100]);
        assert!(a.contains(63) && !a.contains(62) && !a.contains(10_000));
    }

    #[test]
    fn members_past_len_are_ignored() {
        let mut bits = Bits::empty(10);
        bits.insert(10);
        bits.insert(64);
        assert_eq!(bits.count(), 0);
        let mut bits = Bits::empty(10);
        bits.union_with(&Bits::full(64));
        assert_eq!(bits.count(), 10);
    }
}
