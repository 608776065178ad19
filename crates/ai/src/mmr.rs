//! Maximal marginal relevance: trade a little score for variety across
//! brands and article types, so a list is not ten near-copies.

use std::collections::HashMap;

use uuid::Uuid;

use crate::models::ItemFeatures;

/// Similarity used for diversity: same article type weighs most, then brand,
/// then colour.
pub fn redundancy(a: &ItemFeatures, b: &ItemFeatures) -> f32 {
    let same = |x: &Option<String>, y: &Option<String>| match (x, y) {
        (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => 1.0,
        _ => 0.0,
    };
    0.55 * same(&a.article_type, &b.article_type) + 0.35 * same(&a.brand, &b.brand) + 0.10 * same(&a.colour, &b.colour)
}

/// Picks `k` of `candidates` (id, relevance) greedily by
/// `lambda · relevance − (1 − lambda) · max redundancy with those picked`.
/// Relevance is rescaled to [0, 1] first so lambda means the same for every model.
pub fn select(
    candidates: &[(Uuid, f32)],
    catalog: &HashMap<Uuid, ItemFeatures>,
    k: usize,
    lambda: f32,
) -> Vec<(Uuid, f32)> {
    let max = candidates.iter().map(|c| c.1).fold(f32::MIN, f32::max).max(1e-9);
    let mut pool: Vec<(Uuid, f32)> = candidates.to_vec();
    let mut picked: Vec<(Uuid, f32)> = Vec::with_capacity(k);
    while picked.len() < k && !pool.is_empty() {
        let mut best = 0usize;
        let mut best_value = f32::MIN;
        for (index, (id, rel)) in pool.iter().enumerate() {
            let redundancy = match catalog.get(id) {
                Some(item) => {
                    picked.iter().filter_map(|(p, _)| catalog.get(p)).map(|p| redundancy(item, p)).fold(0.0, f32::max)
                }
                None => 0.0,
            };
            let value = lambda * (rel / max) - (1.0 - lambda) * redundancy;
            if value > best_value {
                best_value = value;
                best = index;
            }
        }
        picked.push(pool.swap_remove(best));
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: u128, brand: &str, article_type: &str) -> ItemFeatures {
        ItemFeatures {
            id: Uuid::from_u128(n),
            brand: Some(brand.into()),
            article_type: Some(article_type.into()),
            ..ItemFeatures::default()
        }
    }

    #[test]
    fn mmr_spreads_across_brands_and_types() {
        let catalog: HashMap<Uuid, ItemFeatures> = [
            item(1, "Roadster", "Jeans"),
            item(2, "Roadster", "Jeans"),
            item(3, "Roadster", "Jeans"),
            item(4, "Nike", "Sports Shoes"),
            item(5, "Puma", "Tshirts"),
        ]
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
        let cands: Vec<(Uuid, f32)> =
            [(1, 1.0), (2, 0.98), (3, 0.97), (4, 0.8), (5, 0.7)].map(|(n, s)| (Uuid::from_u128(n), s)).to_vec();
        let picked: Vec<u128> = select(&cands, &catalog, 3, 0.6).iter().map(|p| p.0.as_u128()).collect();
        assert_eq!(picked, vec![1, 4, 5]);
        // Pure relevance keeps the order.
        let plain: Vec<u128> = select(&cands, &catalog, 3, 1.0).iter().map(|p| p.0.as_u128()).collect();
        assert_eq!(plain, vec![1, 2, 3]);
    }
}
