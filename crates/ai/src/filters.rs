//! Hard filters a recommendation must pass for one member: in stock in their
//! size, cut for their gender and age band, not already bought, within budget.

use std::collections::HashSet;

use domain::product::Gender;
use uuid::Uuid;

use crate::models::ItemFeatures;

/// Which of a member's profile sizes applies to an article type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeKind {
    Tops,
    Bottoms,
    Shoes,
    /// Accessories, bags, toiletries: one size.
    None,
}

/// Maps an article type (catalog spelling, any case) to the profile size it needs.
pub fn size_kind(article_type: &str) -> SizeKind {
    let t = article_type.to_ascii_lowercase();
    const SHOES: [&str; 9] = ["shoe", "sneaker", "sandal", "boot", "flip flop", "heel", "flats", "slipper", "loafer"];
    const BOTTOMS: [&str; 9] =
        ["jean", "trouser", "short", "skirt", "track pant", "legging", "capri", "pyjama", "swim"];
    const NONE: [&str; 12] =
        ["bag", "wallet", "belt", "watch", "sunglass", "cap", "hat", "scarf", "pouch", "bottle", "charger", "kit"];
    if SHOES.iter().any(|s| t.contains(s)) {
        SizeKind::Shoes
    } else if BOTTOMS.iter().any(|s| t.contains(s)) {
        SizeKind::Bottoms
    } else if NONE.iter().any(|s| t.contains(s)) {
        SizeKind::None
    } else {
        SizeKind::Tops
    }
}

/// A member's sizes from their profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberSizes {
    pub tops: Option<String>,
    pub bottoms: Option<String>,
    pub shoes: Option<String>,
}

impl MemberSizes {
    pub fn for_kind(&self, kind: SizeKind) -> Option<&str> {
        match kind {
            SizeKind::Tops => self.tops.as_deref(),
            SizeKind::Bottoms => self.bottoms.as_deref(),
            SizeKind::Shoes => self.shoes.as_deref(),
            SizeKind::None => None,
        }
    }
}

/// Everything one member's list must respect.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub sizes: MemberSizes,
    pub gender: Option<Gender>,
    pub age: Option<u8>,
    pub bought: HashSet<Uuid>,
    /// In minor units of the catalog currency.
    pub budget_minor: Option<i64>,
}

/// Whether a garment cut for `item` suits someone of `gender` and `age`.
pub fn suits(item: Option<Gender>, gender: Option<Gender>, age: Option<u8>) -> bool {
    let Some(item) = item else { return true };
    if item == Gender::Unisex {
        return true;
    }
    let child = age.map(|a| a < 13);
    let teen = age.is_some_and(|a| (13..16).contains(&a));
    let kids_item = matches!(item, Gender::Boys | Gender::Girls);
    if child == Some(true) && !kids_item {
        return false;
    }
    if child == Some(false) && !teen && kids_item {
        return false;
    }
    match gender {
        None | Some(Gender::Unisex) => true,
        Some(Gender::Men) | Some(Gender::Boys) => matches!(item, Gender::Men | Gender::Boys),
        Some(Gender::Women) | Some(Gender::Girls) => matches!(item, Gender::Women | Gender::Girls),
    }
}

impl Filter {
    pub fn allows(&self, item: &ItemFeatures) -> bool {
        if self.bought.contains(&item.id) {
            return false;
        }
        if self.budget_minor.is_some_and(|b| item.price_minor > b) {
            return false;
        }
        if !suits(item.gender, self.gender, self.age) {
            return false;
        }
        in_stock_for(item, &self.sizes)
    }
}

/// In stock in the member's size; any size when the profile has none; one-size
/// products (no size list) count as in stock.
pub fn in_stock_for(item: &ItemFeatures, sizes: &MemberSizes) -> bool {
    if item.sizes.is_empty() {
        return true;
    }
    // A one-size product fits whoever's size the profile gives.
    if item.sizes.iter().all(|s| s.size.eq_ignore_ascii_case("onesize") || s.size.eq_ignore_ascii_case("one size")) {
        return item.sizes.iter().any(|s| s.stock > 0);
    }
    let kind = size_kind(item.article_type.as_deref().unwrap_or(""));
    match sizes.for_kind(kind) {
        Some(size) => item.sizes.iter().any(|s| s.stock > 0 && s.size.eq_ignore_ascii_case(size)),
        None => item.sizes.iter().any(|s| s.stock > 0),
    }
}

#[cfg(test)]
mod tests {
    use domain::product::SizeStock;

    use super::*;

    fn item(gender: Gender, article_type: &str, sizes: &[(&str, u32)], price: i64) -> ItemFeatures {
        ItemFeatures {
            id: Uuid::from_u128(1),
            title: "x".into(),
            gender: Some(gender),
            article_type: Some(article_type.into()),
            sizes: sizes.iter().map(|(s, n)| SizeStock { size: (*s).into(), stock: *n }).collect(),
            price_minor: price,
            ..ItemFeatures::default()
        }
    }

    #[test]
    fn size_kinds_follow_article_types() {
        assert_eq!(size_kind("Casual Shoes"), SizeKind::Shoes);
        assert_eq!(size_kind("Jeans"), SizeKind::Bottoms);
        assert_eq!(size_kind("Tshirts"), SizeKind::Tops);
        assert_eq!(size_kind("Handbags"), SizeKind::None);
    }

    #[test]
    fn stock_is_checked_in_the_members_size() {
        let f =
            Filter { sizes: MemberSizes { shoes: Some("9".into()), ..MemberSizes::default() }, ..Filter::default() };
        assert!(f.allows(&item(Gender::Men, "Sports Shoes", &[("9", 2), ("10", 0)], 100)));
        assert!(!f.allows(&item(Gender::Men, "Sports Shoes", &[("9", 0), ("10", 3)], 100)));
        // No tops size on the profile: any size in stock will do.
        assert!(f.allows(&item(Gender::Men, "Shirts", &[("M", 1)], 100)));
        assert!(!f.allows(&item(Gender::Men, "Shirts", &[("M", 0)], 100)));
    }

    #[test]
    fn a_one_size_product_fits_any_profile_size() {
        let f = Filter { sizes: MemberSizes { tops: Some("M".into()), ..MemberSizes::default() }, ..Filter::default() };
        assert!(f.allows(&item(Gender::Unisex, "Umbrellas", &[("Onesize", 4)], 100)));
        assert!(!f.allows(&item(Gender::Unisex, "Umbrellas", &[("Onesize", 0)], 100)));
    }

    #[test]
    fn gender_age_budget_and_bought() {
        let mut f = Filter { gender: Some(Gender::Women), age: Some(35), budget_minor: Some(500), ..Filter::default() };
        assert!(f.allows(&item(Gender::Women, "Tops", &[], 400)));
        assert!(!f.allows(&item(Gender::Women, "Tops", &[], 600)));
        assert!(!f.allows(&item(Gender::Men, "Tops", &[], 400)));
        assert!(!f.allows(&item(Gender::Girls, "Tops", &[], 400)));
        assert!(f.allows(&item(Gender::Unisex, "Tops", &[], 400)));
        f.bought.insert(Uuid::from_u128(1));
        assert!(!f.allows(&item(Gender::Women, "Tops", &[], 400)));
        let kid = Filter { gender: Some(Gender::Boys), age: Some(8), ..Filter::default() };
        assert!(kid.allows(&item(Gender::Boys, "Tshirts", &[], 1)));
        assert!(!kid.allows(&item(Gender::Men, "Tshirts", &[], 1)));
        assert!(!kid.allows(&item(Gender::Girls, "Tshirts", &[], 1)));
    }
}
