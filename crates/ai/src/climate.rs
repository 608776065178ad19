//! Weather at a destination for a month: given by the caller, looked up in a
//! small built-in table (derived from michaelx/climate, MIT), or in the full
//! city file at `FAMILYROOM_CLIMATE_DATA`; otherwise "unknown".

use serde::{Deserialize, Serialize};

use crate::climate_table::BUILTIN;

/// Typical weather of a trip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Climate {
    pub low_c: i32,
    pub high_c: i32,
    pub rainy: bool,
    pub snowy: bool,
    /// How it was obtained, said in the plan.
    pub source: String,
}

impl Climate {
    /// The climate names a caller may give.
    pub const NAMES: [&'static str; 9] =
        ["cold", "snowy", "cool", "mild", "warm", "hot", "tropical", "rainy", "desert"];

    /// Parses a given climate name.
    pub fn named(name: &str) -> Result<Self, String> {
        let (low_c, high_c, rainy, snowy) = match name.trim().to_ascii_lowercase().as_str() {
            "cold" => (-5, 5, false, false),
            "snowy" => (-10, 0, false, true),
            "cool" => (5, 14, false, false),
            "mild" => (12, 22, false, false),
            "warm" => (20, 29, false, false),
            "hot" | "desert" => (27, 40, false, false),
            "tropical" => (24, 32, true, false),
            "rainy" => (14, 22, true, false),
            _ => return Err(format!("must be one of {}", Self::NAMES.join(", "))),
        };
        Ok(Self { low_c, high_c, rainy, snowy, source: format!("given by the planner: {name}") })
    }

    /// The built-in guess when the destination is not in any table.
    pub fn unknown() -> Self {
        Self {
            low_c: 12,
            high_c: 24,
            rainy: false,
            snowy: false,
            source: "unknown climate: planned for mild weather".into(),
        }
    }

    pub fn is_known(&self) -> bool {
        !self.source.starts_with("unknown")
    }
}

/// One month of the city file; a few cities carry `null` where data is missing.
#[derive(Debug, Deserialize)]
struct Month {
    high: Option<f32>,
    low: Option<f32>,
    #[serde(rename = "dryDays", default)]
    dry_days: Option<f32>,
    #[serde(rename = "snowDays", default)]
    snow_days: Option<f32>,
    #[serde(default)]
    rainfall: Option<f32>,
}

#[derive(Debug, Deserialize)]
struct City {
    city: String,
    country: String,
    #[serde(rename = "monthlyAvg")]
    monthly: Vec<Month>,
}

fn matches(city: &str, country: &str, destination: &str) -> bool {
    let d = destination.trim().to_ascii_lowercase();
    let first = d.split(',').next().unwrap_or("").trim().to_string();
    let c = city.to_ascii_lowercase();
    // "New York City NY" → also "new york city", "new york".
    let bare = c.rsplit_once(' ').filter(|(_, s)| s.len() == 2 && s.chars().all(|x| x.is_ascii_alphabetic()));
    let bare = bare.map(|(b, _)| b.to_string()).unwrap_or_else(|| c.clone());
    first == c || first == bare || bare.strip_suffix(" city").is_some_and(|b| b == first) || {
        let _ = country;
        false
    }
}

fn classify(high: f32, low: f32, rainfall: f32, dry_days: f32, snow_days: f32, source: String) -> Climate {
    Climate {
        low_c: low.round() as i32,
        high_c: high.round() as i32,
        rainy: rainfall >= 100.0 || dry_days <= 15.0,
        snowy: snow_days >= 3.0 || (high <= 2.0 && rainfall > 20.0),
        source,
    }
}

/// Looks the destination up for a month (1–12): the file at `path` first when
/// given, then the built-in table; unknown otherwise.
pub fn infer(destination: &str, month: u8, path: Option<&str>) -> Climate {
    let m = usize::from(month.clamp(1, 12) - 1);
    if let Some(path) = path
        && let Ok(text) = std::fs::read_to_string(path)
        && let Ok(cities) = serde_json::from_str::<Vec<City>>(&text)
        && let Some(city) = cities.iter().find(|c| matches(&c.city, &c.country, destination))
        && let Some(mo) = city.monthly.get(m)
        && let (Some(high), Some(low)) = (mo.high, mo.low)
    {
        return classify(
            high,
            low,
            mo.rainfall.unwrap_or(0.0),
            mo.dry_days.unwrap_or(30.0),
            mo.snow_days.unwrap_or(0.0),
            format!("inferred from monthly normals for {} (michaelx/climate, MIT) in {}", city.city, month_name(month)),
        );
    }
    if let Some((city, _, months)) = BUILTIN.iter().find(|(c, country, _)| matches(c, country, destination)) {
        let (high, low, rain, dry) = months[m];
        return classify(
            f32::from(high),
            f32::from(low),
            f32::from(rain),
            f32::from(dry),
            0.0,
            format!(
                "inferred from built-in monthly normals for {city} (derived from michaelx/climate, MIT) in {}",
                month_name(month)
            ),
        );
    }
    Climate::unknown()
}

pub fn month_name(month: u8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[usize::from(month.clamp(1, 12) - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_knows_mumbai_monsoon_and_singapore() {
        let july = infer("Mumbai, India", 7, None);
        assert!(july.rainy, "{july:?}");
        assert!(july.high_c >= 28);
        assert!(july.source.contains("Mumbai"));
        let nyc = infer("new york", 1, None);
        assert!(nyc.is_known() && nyc.low_c <= 0, "{nyc:?}");
    }

    #[test]
    fn unknown_city_says_so() {
        let c = infer("Atlantis", 5, None);
        assert!(!c.is_known());
        assert!(c.source.contains("unknown"));
    }

    #[test]
    fn full_file_is_read_when_configured() {
        let path = "/work/shared/data/city-climate/climate_michaelx.json";
        if std::path::Path::new(path).exists() {
            let c = infer("Reykjavik", 1, Some(path));
            assert!(c.source.contains("Reykjavik") && c.high_c <= 5, "{c:?}");
            let b = infer("Boulder", 7, Some(path));
            assert!(b.is_known(), "{b:?}");
        }
        // A missing file falls back to the built-in table.
        assert!(infer("Tokyo", 8, Some("/nonexistent.json")).source.contains("built-in"));
    }

    #[test]
    fn named_climates_parse_and_unknown_names_fail() {
        assert!(Climate::named("snowy").is_ok_and(|c| c.snowy));
        assert!(Climate::named("lava").is_err());
    }
}
