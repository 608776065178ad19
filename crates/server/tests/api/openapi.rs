//! The OpenAPI document: served, complete, and identical to the committed
//! snapshot (`docs/api/openapi.json`; regenerate with `UPDATE_OPENAPI=1`).

use serde_json::Value;
use testkit::TestApp;

fn snapshot_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/api/openapi.json")
}

#[tokio::test]
async fn the_served_document_matches_the_committed_snapshot() {
    let app = TestApp::spawn().await;
    let served: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
    let pretty = serde_json::to_string_pretty(&served).unwrap() + "\n";
    let path = snapshot_path();
    if std::env::var("UPDATE_OPENAPI").is_ok() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &pretty).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == pretty,
        "docs/api/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p familyroom --test api openapi` and commit it"
    );
}

#[tokio::test]
async fn every_operation_documents_its_problems() {
    let app = TestApp::spawn().await;
    let served: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
    let paths = served["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/v1/auth/register"));
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            let needs_problem = path.starts_with("/api/");
            if needs_problem {
                assert!(
                    responses.keys().any(|status| status.starts_with('4') || status.starts_with('5')),
                    "{method} {path} documents no problem response"
                );
            }
        }
    }
    let docs = app.get("/api/docs/", None).await;
    assert_eq!(docs.status(), 200, "the API reference page is served");
}

/// Every `pattern` of the document, wherever it is.
fn patterns(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(pattern)) = map.get("pattern") {
                out.push(pattern.clone());
            }
            map.values().for_each(|v| patterns(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| patterns(v, out)),
        _ => {}
    }
}

/// Whether `text` meets a string schema's `pattern`, `minLength` and `maxLength`.
fn meets(schema: &Value, text: &str) -> bool {
    let length = text.chars().count() as u64;
    let pattern = schema["pattern"].as_str().is_none_or(|p| regex::Regex::new(p).unwrap().is_match(text));
    pattern
        && schema["minLength"].as_u64().is_none_or(|min| length >= min)
        && schema["maxLength"].as_u64().is_none_or(|max| length <= max)
}

#[tokio::test]
async fn the_patterns_compile_and_agree_with_the_parsers() {
    use domain::{
        activity::parse_message,
        money::Money,
        user::{Email, PersonName, Sizes, parse_avatar},
    };

    let app = TestApp::spawn().await;
    let served: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
    let mut all = Vec::new();
    patterns(&served, &mut all);
    assert!(all.len() > 10);
    for pattern in &all {
        // A Rust validator compiles patterns with this engine and its default size limit.
        regex::Regex::new(pattern).unwrap_or_else(|e| panic!("{pattern} does not compile: {e}"));
    }

    let schema = |name: &str| served["components"]["schemas"][name].clone();
    let search = served["paths"]["/api/v1/products"]["get"]["parameters"].as_array().unwrap();
    let price = search.iter().find(|p| p["name"] == "min_price").unwrap()["schema"].clone();
    let rating = &search.iter().find(|p| p["name"] == "min_rating").unwrap()["schema"];
    assert_eq!((rating["minimum"].as_f64(), rating["maximum"].as_f64()), (Some(0.0), Some(5.0)));
    let texts = [
        "",
        " ",
        "a",
        " Asha ",
        "\tAsha\n",
        "A\u{0}b",
        "A\u{85}",
        "\u{85}A",
        "\u{a0}\u{3000}",
        "\u{1c}Asha",
        "Asha\u{feff}",
        "Ünïcødé 😀",
        "x@y.z",
        " x@y.z",
        "a@b.c.",
        "a@.bc",
        "a@b@c.de",
        "a <b@c.de>",
        "a@bc",
        "42",
        "42.",
        "042.50",
        "0",
        "0.0",
        "0.05",
        ".5",
        "1.234",
        "-1",
        "1 000",
        "M",
        "UK 8",
        "10-11Y",
        "  ",
        "M_",
        "https://x.y/a.png",
        "http://x",
        "/files/avatars/a.png",
        "ftp://x",
        "https://x y",
        " https://x ",
    ];
    let long = |n: usize| "x".repeat(n);
    let mut samples: Vec<String> = texts.iter().map(|t| (*t).to_owned()).collect();
    for n in [15, 16, 17, 79, 80, 81, 253, 254, 255, 1999, 2000, 2001] {
        samples.push(long(n));
        samples.push(format!(" {} ", long(n)));
        samples.push(format!("{}@b.co", long(n)));
    }
    samples.push(format!("{}9", "9".repeat(11)));
    samples.push("9".repeat(13));
    for text in &samples {
        let text = text.as_str();
        assert_eq!(meets(&schema("DisplayName"), text), PersonName::parse(text).is_ok(), "DisplayName {text:?}");
        assert_eq!(meets(&schema("ActivityMessage"), text), parse_message(text).is_ok(), "ActivityMessage {text:?}");
        let mut errors = domain::FieldErrors::new();
        Sizes { tops: Some(text.to_owned()), ..Sizes::default() }.validate(&mut errors);
        assert_eq!(meets(&schema("SizeLabel"), text), errors.is_empty(), "SizeLabel {text:?}");
        // The document names no white space around an email or past 2048 characters
        // of an avatar; the server also takes those.
        if Email::parse(text).is_ok_and(|e| e.as_str() == text) || Email::parse(text).is_err() {
            assert_eq!(meets(&schema("EmailAddress"), text), Email::parse(text).is_ok(), "EmailAddress {text:?}");
        }
        if text.chars().count() <= 2048 {
            assert_eq!(meets(&schema("AvatarUrl"), text), parse_avatar(text).is_ok(), "AvatarUrl {text:?}");
        }
        let amount = Money::parse_major(text);
        assert_eq!(meets(&price, text), amount.is_ok(), "min_price {text:?}");
        assert_eq!(meets(&schema("PositiveAmount"), text), amount.as_ref().is_ok_and(|m| *m > 0), "{text:?}");
    }
}
