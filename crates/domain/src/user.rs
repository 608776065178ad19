//! Accounts: the parsed inputs of registration and the profile a member keeps
//! for sizes and recommendations.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The longest name, email or free-text profile value we store.
pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;
pub const MAX_URL_CHARS: usize = 2048;
/// The most styles, and the most brands, a member's preferences list.
pub const MAX_PREFERENCES: usize = 20;
pub const MAX_SIZE_CHARS: usize = 16;
/// What a size label may hold besides ASCII letters and digits.
pub const SIZE_PUNCTUATION: &str = " ./-";

/// An email address as given, with its case-folded form used for uniqueness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    original: String,
    normalized: String,
}

impl Email {
    /// Accepts `local@domain.tld` with no spaces or control characters.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("is required".into());
        }
        if trimmed.chars().count() > MAX_EMAIL_CHARS {
            return Err(format!("must be at most {MAX_EMAIL_CHARS} characters"));
        }
        let Some((local, domain)) = trimmed.rsplit_once('@') else {
            return Err("must be an email address".into());
        };
        let bad_char = |c: char| c.is_whitespace() || c.is_control() || c == '<' || c == '>';
        if local.is_empty()
            || domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || trimmed.chars().any(bad_char)
            || local.contains('@')
        {
            return Err("must be an email address".into());
        }
        Ok(Self { original: trimmed.to_owned(), normalized: trimmed.to_lowercase() })
    }

    pub fn as_str(&self) -> &str {
        &self.original
    }

    /// The form two addresses are compared by: case-insensitive.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

/// A password that meets the rules; never logged or serialised.
pub struct Password(String);

impl Password {
    /// At least 10 characters, at most 256, and not the email itself.
    pub fn parse(text: &str, email: Option<&Email>) -> Result<Self, String> {
        let chars = text.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(format!("must be at least {MIN_PASSWORD_CHARS} characters"));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(format!("must be at most {MAX_PASSWORD_CHARS} characters"));
        }
        if let Some(email) = email {
            let lowered = text.trim().to_lowercase();
            let local = email.normalized().split('@').next().unwrap_or_default();
            if lowered == email.normalized() || lowered == local {
                return Err("must not be your email address".into());
            }
        }
        Ok(Self(text.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A display name: trimmed, 1 to 80 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("is required".into());
        }
        if trimmed.chars().count() > MAX_NAME_CHARS {
            return Err(format!("must be at most {MAX_NAME_CHARS} characters"));
        }
        if trimmed.chars().any(char::is_control) {
            return Err("must not contain control characters".into());
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// An avatar location: an `https://`/`http://` URL or a path this server serves.
pub fn parse_avatar(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    if trimmed.chars().count() > MAX_URL_CHARS {
        return Err(format!("must be at most {MAX_URL_CHARS} characters"));
    }
    let allowed = trimmed.starts_with("https://") || trimmed.starts_with("http://") || trimmed.starts_with("/files/");
    if !allowed || trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must be an http(s) URL or an uploaded file path".into());
    }
    Ok(trimmed.to_owned())
}

/// Gender a member shops for; matches the catalog's genders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShopperGender {
    Men,
    Women,
    Boys,
    Girls,
    Unisex,
}

/// Coarse age band, enough to filter kids' and adults' ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    #[serde(rename = "0-3")]
    Toddler,
    #[serde(rename = "4-12")]
    Child,
    #[serde(rename = "13-17")]
    Teen,
    #[serde(rename = "18-34")]
    YoungAdult,
    #[serde(rename = "35-54")]
    Adult,
    #[serde(rename = "55+")]
    Senior,
}

impl AgeBand {
    pub fn from_age(age: u32) -> Self {
        match age {
            0..=3 => Self::Toddler,
            4..=12 => Self::Child,
            13..=17 => Self::Teen,
            18..=34 => Self::YoungAdult,
            35..=54 => Self::Adult,
            _ => Self::Senior,
        }
    }

    pub fn is_child(self) -> bool {
        matches!(self, Self::Toddler | Self::Child)
    }
}

/// Clothing sizes per kind, as the member wears them (e.g. `M`, `32`, `UK8`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Sizes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::schema::SizeLabel>)]
    pub tops: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::schema::SizeLabel>)]
    pub bottoms: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<crate::schema::SizeLabel>)]
    pub shoes: Option<String>,
}

impl Sizes {
    pub fn validate(&self, errors: &mut crate::FieldErrors) {
        for (field, value) in
            [("sizes.tops", &self.tops), ("sizes.bottoms", &self.bottoms), ("sizes.shoes", &self.shoes)]
        {
            if let Some(size) = value {
                let ok = !size.trim().is_empty()
                    && size.chars().count() <= MAX_SIZE_CHARS
                    && size.chars().all(|c| c.is_ascii_alphanumeric() || SIZE_PUNCTUATION.contains(c));
                if !ok {
                    errors.push(field, "must be a size label such as M, 32 or UK8");
                }
            }
        }
    }
}

/// What a member likes to be shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// Style words such as `casual`, `ethnic`, `formal`.
    #[serde(default)]
    #[schema(value_type = crate::schema::PreferenceList)]
    pub styles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<ShopperGender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    /// Brands the member favours.
    #[serde(default)]
    #[schema(value_type = crate::schema::PreferenceList)]
    pub brands: Vec<String>,
}

impl Preferences {
    pub fn validate(&self, errors: &mut crate::FieldErrors) {
        for (field, list) in [("preferences.styles", &self.styles), ("preferences.brands", &self.brands)] {
            if list.len() > MAX_PREFERENCES {
                errors.push(field, format!("must list at most {MAX_PREFERENCES} values"));
            }
            if list
                .iter()
                .any(|v| v.trim().is_empty() || v.chars().count() > MAX_NAME_CHARS || v.chars().any(char::is_control))
            {
                errors.push(field, format!("each value must be 1 to {MAX_NAME_CHARS} printable characters"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_compare_case_insensitively() {
        let a = Email::parse("Asha@Example.com").unwrap();
        let b = Email::parse("asha@example.COM").unwrap();
        assert_eq!(a.normalized(), b.normalized());
        assert_eq!(a.as_str(), "Asha@Example.com");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in ["", "asha", "asha@", "@example.com", "a b@example.com", "asha@example", "a@.com"] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn a_password_must_be_long_and_not_the_email() {
        let email = Email::parse("asha@example.com").unwrap();
        assert!(Password::parse("short", Some(&email)).is_err());
        assert!(Password::parse("asha@example.com", Some(&email)).is_err());
        assert!(Password::parse("ASHA@EXAMPLE.COM", Some(&email)).is_err());
        assert!(Password::parse("correct horse battery", Some(&email)).is_ok());
    }

    #[test]
    fn names_refuse_control_characters_and_blank() {
        assert!(PersonName::parse("  ").is_err());
        assert!(PersonName::parse("a\u{0}b").is_err());
        assert_eq!(PersonName::parse("  Asha ").unwrap().as_str(), "Asha");
    }
}
