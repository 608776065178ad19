//! Access and refresh tokens. Access tokens are HS256 JWTs valid 15 minutes
//! that name their login (token family); refresh tokens are 256-bit random
//! strings of which only a SHA-256 hash is stored.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use dashmap::DashMap;
use domain::{TokenFamilyId, UserId};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretSlice};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(15);
pub const REFRESH_TOKEN_TTL: Duration = Duration::days(30);
const ISSUER: &str = "familyroom";
/// Verified access tokens remembered per node. A client sends the same
/// token with every request for its 15 minutes, and checking the signature
/// and parsing the claims is a tenth of a cached read's CPU.
const VERIFIED_MEMO_MAX: usize = 50_000;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    sid: Uuid,
    iat: i64,
    exp: i64,
    iss: String,
}

/// Who presented a valid access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub user_id: UserId,
    pub family_id: TokenFamilyId,
}

/// The keys derived from the server secret.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    secret: SecretSlice<u8>,
    /// Token text → who it names and when it expires (Unix seconds). Only
    /// tokens whose signature verified enter, so a forger cannot fill it;
    /// the map hashes with a per-process random key, so a guessed token is
    /// compared with a stored one only when the two are the same text.
    verified: DashMap<Box<str>, (Caller, i64)>,
}

impl TokenKeys {
    /// `secret` must hold at least 32 bytes.
    pub fn new(secret: SecretSlice<u8>) -> Self {
        let bytes = secret.expose_secret();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            secret,
            verified: DashMap::new(),
        }
    }

    /// A sub-key for another purpose (e.g. cursors), so that no two uses
    /// share key material.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(b"familyroom/");
        hasher.update(purpose.as_bytes());
        hasher.update(b"/");
        hasher.update(self.secret.expose_secret());
        hasher.finalize().into()
    }

    pub fn issue_access(&self, caller: Caller, now: OffsetDateTime) -> AppResult<(String, OffsetDateTime)> {
        let expires_at = now + ACCESS_TOKEN_TTL;
        let claims = Claims {
            sub: caller.user_id.0,
            sid: caller.family_id.0,
            iat: now.unix_timestamp(),
            exp: expires_at.unix_timestamp(),
            iss: ISSUER.into(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(AppError::internal)?;
        Ok((token, expires_at))
    }

    /// Checks signature, issuer and expiry. Revocation is checked by the caller.
    pub fn verify_access(&self, token: &str) -> AppResult<Caller> {
        let now = unix_now();
        if let Some(entry) = self.verified.get(token) {
            let (caller, expires_at) = *entry;
            if now < expires_at {
                return Ok(caller);
            }
            drop(entry);
            self.verified.remove(token);
            return Err(AppError::Unauthenticated("the access token has expired"));
        }
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    AppError::Unauthenticated("the access token has expired")
                }
                _ => AppError::Unauthenticated("the access token is not valid"),
            })?;
        let caller = Caller { user_id: UserId(data.claims.sub), family_id: TokenFamilyId(data.claims.sid) };
        self.remember(token, caller, data.claims.exp, now);
        Ok(caller)
    }

    fn remember(&self, token: &str, caller: Caller, expires_at: i64, now: i64) {
        if self.verified.len() >= VERIFIED_MEMO_MAX {
            self.verified.retain(|_, (_, expires)| *expires > now);
            if self.verified.len() >= VERIFIED_MEMO_MAX {
                // Still full of live tokens: start over rather than grow.
                self.verified.clear();
            }
        }
        self.verified.insert(token.into(), (caller, expires_at));
    }
}

/// Seconds since the Unix epoch, as JWT `exp` counts them (jsonwebtoken
/// reads the same clock).
fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// A fresh refresh token and the hash to store for it.
pub fn new_refresh_token() -> (String, Vec<u8>) {
    let bytes: [u8; 32] = rand::random();
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

pub fn hash_refresh_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(SecretSlice::from(vec![7u8; 32]))
    }

    #[test]
    fn an_issued_access_token_verifies() {
        let caller = Caller { user_id: UserId::new(), family_id: TokenFamilyId::new() };
        let (token, _) = keys().issue_access(caller, OffsetDateTime::now_utc()).unwrap();
        assert_eq!(keys().verify_access(&token).unwrap(), caller);
    }

    #[test]
    fn an_expired_or_forged_token_is_refused() {
        let caller = Caller { user_id: UserId::new(), family_id: TokenFamilyId::new() };
        let long_ago = OffsetDateTime::now_utc() - Duration::hours(1);
        let (expired, _) = keys().issue_access(caller, long_ago).unwrap();
        assert!(keys().verify_access(&expired).is_err());
        let other = TokenKeys::new(SecretSlice::from(vec![8u8; 32]));
        let (forged, _) = other.issue_access(caller, OffsetDateTime::now_utc()).unwrap();
        assert!(keys().verify_access(&forged).is_err());
        assert!(keys().verify_access("not.a.jwt").is_err());
    }

    #[test]
    fn a_remembered_token_still_expires_and_a_forged_one_is_never_remembered() {
        let keys = keys();
        let caller = Caller { user_id: UserId::new(), family_id: TokenFamilyId::new() };
        let (token, _) = keys.issue_access(caller, OffsetDateTime::now_utc()).unwrap();
        assert_eq!(keys.verify_access(&token).unwrap(), caller);
        assert_eq!(keys.verify_access(&token).unwrap(), caller, "the second check is answered from the memo");

        // A memo entry past its expiry answers as an expired token would.
        keys.verified.insert(token.as_str().into(), (caller, unix_now() - 1));
        assert!(matches!(keys.verify_access(&token), Err(AppError::Unauthenticated(m)) if m.contains("expired")));
        assert!(keys.verified.get(token.as_str()).is_none());

        let other = TokenKeys::new(SecretSlice::from(vec![8u8; 32]));
        let (forged, _) = other.issue_access(caller, OffsetDateTime::now_utc()).unwrap();
        assert!(keys.verify_access(&forged).is_err());
        assert!(keys.verified.get(forged.as_str()).is_none());
    }

    #[test]
    fn the_memo_stays_bounded() {
        let keys = keys();
        let caller = Caller { user_id: UserId::new(), family_id: TokenFamilyId::new() };
        let now = unix_now();
        for i in 0..VERIFIED_MEMO_MAX {
            keys.verified.insert(format!("token-{i}").into(), (caller, now + 60));
        }
        let (token, _) = keys.issue_access(caller, OffsetDateTime::now_utc()).unwrap();
        assert_eq!(keys.verify_access(&token).unwrap(), caller);
        assert!(keys.verified.len() <= VERIFIED_MEMO_MAX);
        assert!(keys.verified.get(token.as_str()).is_some());
    }
}
