//! Money: integer minor units with an ISO 4217 currency. On the wire it is
//! `{"amount": "1299.00", "currency": "INR"}`, never a binary float.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Minor units per major unit for the currencies we sell in (all 2-decimal).
const MINOR_PER_MAJOR: i64 = 100;
/// The most decimals an amount in major units may have (minor units per major: 100).
pub const MAX_DECIMALS: usize = 2;
/// The most digits of an amount's whole part.
pub const MAX_WHOLE_DIGITS: usize = 12;

/// A three-letter upper-case currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const INR: Currency = Currency(*b"INR");

    pub fn parse(text: &str) -> Result<Self, String> {
        let bytes = text.as_bytes();
        if bytes.len() == 3 && bytes.iter().all(u8::is_ascii_uppercase) {
            Ok(Self([bytes[0], bytes[1], bytes[2]]))
        } else {
            Err("must be a three-letter ISO 4217 code such as INR".into())
        }
    }

    pub fn as_str(&self) -> &str {
        // The constructor admits ASCII upper-case letters only.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

/// An amount of money in minor units (paise, cents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub fn inr(minor: i64) -> Self {
        Self::new(minor, Currency::INR)
    }

    /// `"1299.00"`: the amount in major units with two decimals.
    pub fn amount_string(&self) -> String {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let per = MINOR_PER_MAJOR.unsigned_abs();
        format!("{sign}{}.{:02}", abs / per, abs % per)
    }

    /// Parses a decimal in major units (`"1299"`, `"1299.5"`, `"1299.50"`)
    /// into minor units; more than two decimals or a non-number is refused.
    pub fn parse_major(text: &str) -> Result<i64, String> {
        let text = text.trim();
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty()
            || !digits_only(whole)
            || !digits_only(frac)
            || frac.len() > MAX_DECIMALS
            || whole.len() > MAX_WHOLE_DIGITS
        {
            return Err("must be a non-negative decimal amount with at most two decimals".into());
        }
        let whole: i64 = whole.parse().map_err(|_| "is too large".to_string())?;
        let frac_minor: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| "is not a number".to_string())? * 10,
            _ => frac.parse().map_err(|_| "is not a number".to_string())?,
        };
        whole
            .checked_mul(MINOR_PER_MAJOR)
            .and_then(|w| w.checked_add(frac_minor))
            .ok_or_else(|| "is too large".to_string())
    }

    pub fn checked_mul(self, factor: i64) -> Option<Money> {
        self.minor.checked_mul(factor).map(|minor| Money { minor, ..self })
    }

    /// Percent off `original`, rounded down; 0 when not discounted.
    pub fn discount_percent(price: i64, original: i64) -> u8 {
        if original <= 0 || price >= original {
            return 0;
        }
        (((original - price) * 100) / original).clamp(0, 100) as u8
    }
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Money)]
struct MoneyWire {
    /// Decimal string in major units, e.g. `"1299.00"`.
    amount: String,
    /// ISO 4217 code, e.g. `"INR"`.
    currency: String,
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        MoneyWire { amount: self.amount_string(), currency: self.currency.as_str().to_owned() }.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = MoneyWire::deserialize(deserializer)?;
        let minor = Money::parse_major(&wire.amount).map_err(serde::de::Error::custom)?;
        let currency = Currency::parse(&wire.currency).map_err(serde::de::Error::custom)?;
        Ok(Money { minor, currency })
    }
}

impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <MoneyWire as utoipa::PartialSchema>::schema()
    }
}

impl utoipa::ToSchema for Money {
    fn name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_as_a_decimal_string() {
        let json = serde_json::to_value(Money::inr(129_900)).unwrap();
        assert_eq!(json, serde_json::json!({"amount": "1299.00", "currency": "INR"}));
        assert_eq!(Money::inr(5).amount_string(), "0.05");
    }

    #[test]
    fn major_units_parse_exactly() {
        assert_eq!(Money::parse_major("1299"), Ok(129_900));
        assert_eq!(Money::parse_major("1299.5"), Ok(129_950));
        assert_eq!(Money::parse_major("0.05"), Ok(5));
        for bad in ["", "-1", "1.234", "1e3", "abc", "1,000", "99999999999999"] {
            assert!(Money::parse_major(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn discounts_round_down() {
        assert_eq!(Money::discount_percent(55, 100), 45);
        assert_eq!(Money::discount_percent(100, 100), 0);
        assert_eq!(Money::discount_percent(120, 100), 0);
    }
}
