//! Password hashing with argon2id. Hashing is CPU-bound by design, so it
//! runs on the blocking pool and never stalls the async workers.

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version, password_hash::SaltString,
};

use crate::error::{AppError, AppResult};

/// argon2id cost. The default follows OWASP's minimum (19 MiB, 2 passes);
/// tests lower it through configuration.
#[derive(Debug, Clone, Copy)]
pub struct PasswordCost {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordCost {
    fn default() -> Self {
        Self { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 }
    }
}

#[derive(Clone)]
pub struct PasswordHasherService {
    cost: PasswordCost,
    /// A hash of a random password, verified against when the user is
    /// unknown so that both failures take the same time.
    decoy: String,
}

impl PasswordHasherService {
    pub fn new(cost: PasswordCost) -> AppResult<Self> {
        let decoy_password: [u8; 16] = rand::random();
        let decoy = hash_with(cost, &hex::encode(decoy_password))?;
        Ok(Self { cost, decoy })
    }

    pub async fn hash(&self, password: String) -> AppResult<String> {
        let cost = self.cost;
        tokio::task::spawn_blocking(move || hash_with(cost, &password)).await.map_err(AppError::internal)?
    }

    /// Verifies `password` against `hash`, or against the decoy when `hash`
    /// is `None` (always false then).
    pub async fn verify(&self, password: String, hash: Option<String>) -> AppResult<bool> {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.decoy.clone());
        let cost = self.cost;
        let matches = tokio::task::spawn_blocking(move || {
            let parsed = PasswordHash::new(&hash).map_err(AppError::internal)?;
            Ok::<bool, AppError>(argon(cost)?.verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
        .map_err(AppError::internal)??;
        Ok(known && matches)
    }
}

fn argon(cost: PasswordCost) -> AppResult<Argon2<'static>> {
    let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None).map_err(AppError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

fn hash_with(cost: PasswordCost, password: &str) -> AppResult<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(AppError::internal)?;
    Ok(argon(cost)?.hash_password(password.as_bytes(), &salt).map_err(AppError::internal)?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> PasswordCost {
        PasswordCost { memory_kib: 64, iterations: 1, parallelism: 1 }
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let service = PasswordHasherService::new(cheap()).unwrap();
        let hash = service.hash("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(service.verify("correct horse battery".into(), Some(hash.clone())).await.unwrap());
        assert!(!service.verify("wrong horse battery".into(), Some(hash)).await.unwrap());
    }

    #[tokio::test]
    async fn an_unknown_user_never_verifies() {
        let service = PasswordHasherService::new(cheap()).unwrap();
        assert!(!service.verify("anything at all".into(), None).await.unwrap());
    }
}
