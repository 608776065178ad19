//! Optional refinement of a plan by an OpenAI-compatible chat-completions
//! model. The request carries only the trip, ages, genders and sizes (never
//! names, member ids or room activity); the answer must satisfy a JSON
//! schema. A late, failed or invalid answer leaves the built-in plan and
//! says so in its notes.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::planner::Plan;

/// Where the model lives; from `FAMILYROOM_LLM_URL`, `FAMILYROOM_LLM_MODEL`, `FAMILYROOM_LLM_API_KEY`.
#[derive(Debug, Clone)]
pub struct LlmConfig {
    /// The full chat-completions URL.
    pub url: String,
    pub model: String,
    pub api_key: Option<String>,
    pub timeout: Duration,
}

impl LlmConfig {
    /// `None` unless both URL and model are set.
    pub fn from_env() -> Option<Self> {
        let url = std::env::var("FAMILYROOM_LLM_URL").ok().filter(|u| !u.is_empty())?;
        let model = std::env::var("FAMILYROOM_LLM_MODEL").ok().filter(|m| !m.is_empty())?;
        let api_key = std::env::var("FAMILYROOM_LLM_API_KEY").ok().filter(|k| !k.is_empty());
        Some(Self { url, model, api_key, timeout: Duration::from_secs(8) })
    }
}

/// Why the model's answer was not used.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("the language model did not answer in time")]
    Timeout,
    #[error("the language model could not be reached: {0}")]
    Transport(String),
    #[error("the language model answered with status {0}")]
    Status(u16),
    #[error("the language model's answer did not match the schema: {0}")]
    Invalid(String),
}

/// Upper bound on any quantity the model may set.
pub const MAX_QUANTITY: u32 = 200;

/// The JSON schema the answer must satisfy.
pub fn answer_schema() -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["summary", "adjustments"],
        "properties": {
            "summary": {"type": "string", "maxLength": 600},
            "adjustments": {
                "type": "array",
                "maxItems": 200,
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["traveller", "key", "quantity", "reason"],
                    "properties": {
                        "traveller": {"type": "integer", "minimum": -1},
                        "key": {"type": "string"},
                        "quantity": {"type": "integer", "minimum": 0, "maximum": MAX_QUANTITY},
                        "reason": {"type": "string", "maxLength": 200}
                    }
                }
            }
        }
    })
}

/// The user message: the trip and the list, with travellers reduced to age, gender and sizes.
pub fn prompt(plan: &Plan) -> Value {
    let travellers: Vec<Value> = plan
        .travellers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({
                "traveller": i,
                "age": t.traveller.age,
                "gender": t.traveller.gender.map(|g| g.as_str()),
                "sizes": {"tops": t.traveller.sizes.tops, "bottoms": t.traveller.sizes.bottoms, "shoes": t.traveller.sizes.shoes},
                "lines": t.lines.iter().map(|l| json!({"key": l.key, "item": l.item, "quantity": l.quantity})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "destination": plan.destination,
        "trip_type": plan.trip_type,
        "duration_days": plan.duration_days,
        "month": u8::from(plan.start_date.month()),
        "climate": {"low_c": plan.climate.low_c, "high_c": plan.climate.high_c, "rainy": plan.climate.rainy, "snowy": plan.climate.snowy},
        "occasion": plan.occasion,
        "laundry": plan.laundry,
        "travellers": travellers,
        "shared": plan.shared.iter().map(|l| json!({"key": l.key, "item": l.item, "quantity": l.quantity})).collect::<Vec<_>>(),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Adjustment {
    /// -1 for the shared list.
    traveller: i64,
    key: String,
    quantity: i64,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    summary: String,
    adjustments: Vec<Adjustment>,
}

/// Applies a validated answer to a copy of the plan; any adjustment that
/// names an unknown line or an out-of-range quantity invalidates the answer.
fn apply(plan: &Plan, content: &str, model: &str) -> Result<Plan, LlmError> {
    let answer: Answer = serde_json::from_str(content).map_err(|e| LlmError::Invalid(e.to_string()))?;
    if answer.summary.chars().count() > 600 {
        return Err(LlmError::Invalid("summary too long".into()));
    }
    let mut out = plan.clone();
    for a in &answer.adjustments {
        if !(0..=i64::from(MAX_QUANTITY)).contains(&a.quantity) {
            return Err(LlmError::Invalid(format!("quantity {} out of range", a.quantity)));
        }
        let lines = if a.traveller == -1 {
            &mut out.shared
        } else {
            let t = usize::try_from(a.traveller).map_err(|_| LlmError::Invalid("bad traveller".into()))?;
            &mut out.travellers.get_mut(t).ok_or_else(|| LlmError::Invalid("unknown traveller".into()))?.lines
        };
        let line = lines
            .iter_mut()
            .find(|l| l.key == a.key)
            .ok_or_else(|| LlmError::Invalid(format!("unknown line {}", a.key)))?;
        line.quantity = a.quantity as u32;
        let reason: String = a.reason.chars().take(200).collect();
        if !reason.trim().is_empty() {
            line.reason = format!("{} (refined: {})", line.reason, reason.trim());
        }
    }
    for t in &mut out.travellers {
        t.lines.retain(|l| l.quantity > 0);
    }
    out.shared.retain(|l| l.quantity > 0);
    if !answer.summary.trim().is_empty() {
        out.notes.push(answer.summary.trim().to_string());
    }
    out.planner = format!("llm:{model}");
    Ok(out)
}

/// Asks the model once.
pub async fn refine(config: &LlmConfig, plan: &Plan) -> Result<Plan, LlmError> {
    let body = json!({
        "model": config.model,
        "temperature": 0.2,
        "messages": [
            {"role": "system", "content": "You refine family travel packing lists. Adjust quantities only for lines that exist (use their key; traveller -1 is the shared list), explain each change briefly, and write a short summary. Answer with JSON only."},
            {"role": "user", "content": prompt(plan).to_string()},
        ],
        "response_format": {"type": "json_schema", "json_schema": {"name": "packing_refinement", "strict": true, "schema": answer_schema()}},
    });
    let client =
        reqwest::Client::builder().timeout(config.timeout).build().map_err(|e| LlmError::Transport(e.to_string()))?;
    let mut request = client.post(&config.url).json(&body);
    if let Some(key) = &config.api_key {
        request = request.bearer_auth(key);
    }
    let response = request
        .send()
        .await
        .map_err(|e| if e.is_timeout() { LlmError::Timeout } else { LlmError::Transport(e.to_string()) })?;
    if !response.status().is_success() {
        return Err(LlmError::Status(response.status().as_u16()));
    }
    let value: Value = response
        .json()
        .await
        .map_err(|e| if e.is_timeout() { LlmError::Timeout } else { LlmError::Invalid(e.to_string()) })?;
    let content = value
        .pointer("/choices/0/message/content")
        .and_then(Value::as_str)
        .ok_or_else(|| LlmError::Invalid("no choices[0].message.content".into()))?;
    apply(plan, content, &config.model)
}

/// The built-in plan, refined when a model is configured and answers well;
/// otherwise the built-in plan with a note saying why.
pub async fn plan_with(config: Option<&LlmConfig>, plan: Plan) -> Plan {
    let Some(config) = config else { return plan };
    match tokio::time::timeout(config.timeout + Duration::from_millis(200), refine(config, &plan)).await {
        Ok(Ok(refined)) => refined,
        Ok(Err(e)) => with_note(plan, &e.to_string()),
        Err(_) => with_note(plan, &LlmError::Timeout.to_string()),
    }
}

fn with_note(mut plan: Plan, why: &str) -> Plan {
    plan.notes.push(format!("Built-in planner used: {why}."));
    plan
}

#[cfg(test)]
#[path = "llm_tests.rs"]
mod tests;
