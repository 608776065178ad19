//! Opaque activity cursors. A cursor names a position in one room's log; it
//! is the room's internal seq encrypted with AES-128 as a single block
//! together with a 64-bit fold of the room id, so clients cannot read or predict it (a
//! hidden activity leaves no visible gap) and a cursor from another room, or
//! a forged one, is refused.

use aes::{
    Aes128,
    cipher::{BlockDecrypt, BlockEncrypt, KeyInit, generic_array::GenericArray},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use domain::RoomId;

#[derive(Clone)]
pub struct CursorCodec {
    cipher: Aes128,
}

impl CursorCodec {
    pub fn new(key: [u8; 16]) -> Self {
        Self { cipher: Aes128::new(&GenericArray::from(key)) }
    }

    pub fn encode(&self, room: RoomId, seq: i64) -> String {
        let mut block = [0u8; 16];
        block[..8].copy_from_slice(&seq.to_be_bytes());
        block[8..].copy_from_slice(&room_tag(room));
        let mut block = GenericArray::from(block);
        self.cipher.encrypt_block(&mut block);
        URL_SAFE_NO_PAD.encode(block)
    }

    /// The seq a cursor names, or `None` when it is not a cursor of `room`.
    pub fn decode(&self, room: RoomId, cursor: &str) -> Option<i64> {
        if cursor.len() != 22 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
        let bytes: [u8; 16] = bytes.try_into().ok()?;
        let mut block = GenericArray::from(bytes);
        self.cipher.decrypt_block(&mut block);
        if block[8..] != room_tag(room) {
            return None;
        }
        let seq = i64::from_be_bytes(block[..8].try_into().ok()?);
        (seq >= 0).then_some(seq)
    }
}

/// Both halves of the id folded together. UUIDv7s made in the same
/// millisecond share their first half (time and counter); the second half
/// carries the random bits that tell two rooms apart.
fn room_tag(room: RoomId) -> [u8; 8] {
    let bytes = room.0.as_bytes();
    let mut tag = [0u8; 8];
    for (i, byte) in tag.iter_mut().enumerate() {
        *byte = bytes[i] ^ bytes[i + 8];
    }
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_only_in_its_room() {
        let codec = CursorCodec::new([3; 16]);
        let room = RoomId::new();
        let cursor = codec.encode(room, 42);
        assert_eq!(codec.decode(room, &cursor), Some(42));
        assert_eq!(codec.decode(RoomId::new(), &cursor), None);
        assert_eq!(codec.decode(room, "AAAAAAAAAAAAAAAAAAAAAA"), None);
        assert_eq!(codec.decode(room, "not a cursor"), None);
    }

    #[test]
    fn a_cursor_is_refused_by_rooms_created_in_the_same_millisecond() {
        let codec = CursorCodec::new([9; 16]);
        let rooms: Vec<RoomId> = (0..2000).map(|_| RoomId::new()).collect();
        let cursor = codec.encode(rooms[0], 7);
        assert_eq!(codec.decode(rooms[0], &cursor), Some(7));
        for other in &rooms[1..] {
            assert_eq!(codec.decode(*other, &cursor), None);
        }
    }

    #[test]
    fn consecutive_cursors_look_unrelated() {
        let codec = CursorCodec::new([3; 16]);
        let room = RoomId::new();
        let a = codec.encode(room, 1);
        let b = codec.encode(room, 2);
        let shared_prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
        assert!(shared_prefix < 4, "{a} vs {b}");
    }
}
