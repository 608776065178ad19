use std::sync::{Arc, Mutex};

use axum::{Json, Router, extract::State, routing::post};

use super::*;
use crate::planner::{PersonInput, TravellersInput, TripInput, plan, validate};

#[derive(Clone)]
struct Stand {
    mode: &'static str,
    seen: Arc<Mutex<Vec<Value>>>,
}

async fn completions(State(stand): State<Stand>, Json(body): Json<Value>) -> Json<Value> {
    if let Ok(mut seen) = stand.seen.lock() {
        seen.push(body);
    }
    let content = match stand.mode {
        "ok" => json!({"summary": "Monsoon: extra socks.", "adjustments": [
            {"traveller": 0, "key": "socks", "quantity": 9, "reason": "wet feet"},
            {"traveller": -1, "key": "first_aid", "quantity": 1, "reason": ""}
        ]})
        .to_string(),
        "bad_key" => {
            json!({"summary": "", "adjustments": [{"traveller": 0, "key": "jetpack", "quantity": 1, "reason": "x"}]})
                .to_string()
        }
        "slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "{}".into()
        }
        _ => "this is not json".into(),
    };
    Json(
        json!({"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]}),
    )
}

async fn stand_in(mode: &'static str) -> (LlmConfig, Arc<Mutex<Vec<Value>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app =
        Router::new().route("/v1/chat/completions", post(completions)).with_state(Stand { mode, seen: seen.clone() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let config = LlmConfig {
        url: format!("http://{addr}/v1/chat/completions"),
        model: "stand-in".into(),
        api_key: Some("k".into()),
        timeout: Duration::from_millis(500),
    };
    (config, seen)
}

fn base() -> Plan {
    let input = TripInput {
        destination: Some("Mumbai".into()),
        trip_type: Some("city".into()),
        duration_days: Some(5),
        start_date: Some("2026-07-01".into()),
        travellers: Some(TravellersInput::People(vec![PersonInput {
            name: Some("Asha Secretname".into()),
            age: Some(38),
            gender: Some("women".into()),
            user_id: Some(uuid::Uuid::from_u128(77)),
        }])),
        ..TripInput::default()
    };
    plan(&validate(&input, None).unwrap())
}

#[tokio::test]
async fn a_valid_answer_refines_and_no_personal_data_is_sent() {
    let (config, seen) = stand_in("ok").await;
    let refined = plan_with(Some(&config), base()).await;
    assert_eq!(refined.planner, "llm:stand-in");
    let socks = refined.travellers[0].lines.iter().find(|l| l.key == "socks").unwrap();
    assert_eq!(socks.quantity, 9);
    assert!(socks.reason.contains("wet feet"));
    assert!(refined.notes.iter().any(|n| n.contains("Monsoon")));
    let sent = seen.lock().unwrap()[0].to_string();
    assert!(!sent.contains("Secretname") && !sent.contains("Asha"));
    assert!(!sent.contains(&uuid::Uuid::from_u128(77).to_string()));
    assert!(sent.contains("json_schema"));
}

#[tokio::test]
async fn malformed_and_invalid_answers_fall_back() {
    for mode in ["garbage", "bad_key"] {
        let (config, _) = stand_in(mode).await;
        let p = plan_with(Some(&config), base()).await;
        assert_eq!(p.planner, "built_in");
        assert!(p.notes.iter().any(|n| n.contains("Built-in planner used") && n.contains("schema")), "{:?}", p.notes);
        assert_eq!(p.travellers, base().travellers);
    }
}

#[tokio::test]
async fn a_late_answer_falls_back() {
    let (config, _) = stand_in("slow").await;
    let started = std::time::Instant::now();
    let p = plan_with(Some(&config), base()).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(p.planner, "built_in");
    assert!(p.notes.iter().any(|n| n.contains("in time")), "{:?}", p.notes);
}

#[tokio::test]
async fn an_unreachable_model_falls_back() {
    let config = LlmConfig {
        url: "http://127.0.0.1:9/v1/chat/completions".into(),
        model: "m".into(),
        api_key: None,
        timeout: Duration::from_millis(300),
    };
    let p = plan_with(Some(&config), base()).await;
    assert_eq!(p.planner, "built_in");
    assert!(p.notes.iter().any(|n| n.starts_with("Built-in planner used")));
}
