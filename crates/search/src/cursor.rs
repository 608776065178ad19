//! The paging cursor: the last returned item's position in the sort order
//! (its sort key and id) plus a fingerprint of the query, as opaque
//! base64url. Decoding checks everything and never panics; a cursor that does
//! not fit the query is refused, never reinterpreted.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::SearchError;
use crate::query::Sort;

const VERSION: u8 = 1;
/// version, sort tag, fingerprint (8), key (8), id (16).
const LEN: usize = 1 + 1 + 8 + 8 + 16;
/// Anything longer is not ours; checked before decoding.
const MAX_ENCODED_LEN: usize = 64;

/// A position in a sorted result list: items come in ascending
/// `(key, id)` order, and the next page starts strictly after this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Position {
    pub key: u64,
    pub id: u128,
}

pub(crate) fn encode(sort: Sort, fingerprint: u64, position: Position) -> String {
    let mut bytes = [0u8; LEN];
    bytes[0] = VERSION;
    bytes[1] = sort.tag();
    bytes[2..10].copy_from_slice(&fingerprint.to_be_bytes());
    bytes[10..18].copy_from_slice(&position.key.to_be_bytes());
    bytes[18..34].copy_from_slice(&position.id.to_be_bytes());
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn decode(text: &str, sort: Sort, fingerprint: u64) -> Result<Position, SearchError> {
    if text.len() > MAX_ENCODED_LEN {
        return Err(SearchError::BadCursor);
    }
    let bytes = URL_SAFE_NO_PAD.decode(text.as_bytes()).map_err(|_| SearchError::BadCursor)?;
    let bytes: [u8; LEN] = bytes.try_into().map_err(|_| SearchError::BadCursor)?;
    if bytes[0] != VERSION || bytes[1] != sort.tag() {
        return Err(SearchError::BadCursor);
    }
    let read8 = |range: std::ops::Range<usize>| {
        let mut out = [0u8; 8];
        out.copy_from_slice(&bytes[range]);
        u64::from_be_bytes(out)
    };
    if read8(2..10) != fingerprint {
        return Err(SearchError::BadCursor);
    }
    let mut id = [0u8; 16];
    id.copy_from_slice(&bytes[18..34]);
    Ok(Position { key: read8(10..18), id: u128::from_be_bytes(id) })
}

/// FNV-1a, 64 bits: a hash that stays the same across builds and releases,
/// unlike `std`'s `DefaultHasher`, so a cursor survives a restart.
#[derive(Debug, Clone)]
pub(crate) struct Fingerprint(u64);

impl Fingerprint {
    pub fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }

    /// A length-prefixed string, so that `["ab", "c"]` and `["a", "bc"]` differ.
    pub fn str(&mut self, text: &str) -> &mut Self {
        self.bytes(&(text.len() as u64).to_le_bytes());
        self.bytes(text.as_bytes())
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips() {
        let position = Position { key: 42, id: u128::MAX - 7 };
        let text = encode(Sort::PriceAsc, 99, position);
        assert_eq!(decode(&text, Sort::PriceAsc, 99), Ok(position));
    }

    #[test]
    fn a_cursor_of_another_sort_or_query_is_refused() {
        let text = encode(Sort::PriceAsc, 99, Position { key: 1, id: 2 });
        assert_eq!(decode(&text, Sort::PriceDesc, 99), Err(SearchError::BadCursor));
        assert_eq!(decode(&text, Sort::PriceAsc, 98), Err(SearchError::BadCursor));
    }

    #[test]
    fn garbage_is_refused_without_panicking() {
        for text in ["", "!!!", "AAAA", "é", &"A".repeat(10_000), "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="] {
            assert_eq!(decode(text, Sort::Relevance, 0), Err(SearchError::BadCursor));
        }
    }
}
