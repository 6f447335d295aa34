//! The Anthropic Messages API: `POST {ANTHROPIC_BASE_URL}/v1/messages` with `x-api-key` and
//! `anthropic-version: 2023-06-01`. The system prompt is the top-level `system` field and the
//! rendered turn is one `user` message (history is inside it), so messages start with `user` and
//! use no `system` role. Structured output per model: a forced tool (`tool_choice` type `tool`,
//! answer in the `tool_use` block's `input`) or `output_config.format` JSON schema (answer in a
//! text block). A `max_tokens` stop, a refusal or a missing tool call is a failed stage.

use reqwest::header::{HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::http::{headers, Secret};
use super::{base_url, env, schema, Call, Provider, Reply, Settings, Structured};
use crate::config::{anthropic_model_options, Config};
use crate::cost::Tokens;

pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
pub const API_VERSION: &str = "2023-06-01";
const ENDPOINT: &str = "/v1/messages";

pub struct Anthropic {
    base: String,
    key: Secret,
}

impl Anthropic {
    /// `ANTHROPIC_API_KEY` and `ANTHROPIC_BASE_URL`, as the official SDKs read them.
    pub fn from_env() -> Anthropic {
        Anthropic {
            base: base_url("ANTHROPIC_BASE_URL", DEFAULT_BASE_URL),
            key: Secret::new(env("ANTHROPIC_API_KEY").unwrap_or_default()),
        }
    }
}

/// `[backends.anthropic]`, each stage's model falling back to `[models]`.
pub fn settings(config: &Config) -> Settings {
    let b = &config.backends.anthropic;
    let m = &config.models;
    let pick = |own: &Option<String>, stage: &str, fallback: &str| match own {
        Some(id) => (id.clone(), format!("backends.anthropic.models.{stage}")),
        None => (fallback.to_string(), format!("models.{stage}")),
    };
    Settings::from_config(
        "backends.anthropic",
        b,
        [
            pick(
                &b.models.classification,
                "classification",
                &m.classification,
            ),
            pick(&b.models.sentiment, "sentiment", &m.sentiment),
            pick(&b.models.summary, "summary", &m.summary),
            pick(&b.models.generation, "generation", &m.generation),
        ],
        Structured::OutputConfig,
        anthropic_model_options(),
    )
}

// --- wire types (private) --------------------------------------------------------------------

#[derive(Serialize)]
struct Request<'a> {
    model: &'a str,
    max_tokens: u32,
    system: &'a str,
    messages: Vec<Message<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tools: Option<Vec<Tool<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_choice: Option<ToolChoice<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_config: Option<Value>,
}

#[derive(Serialize)]
struct Message<'a> {
    role: &'static str,
    content: &'a str,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    description: String,
    input_schema: &'a Value,
}

#[derive(Serialize)]
struct ToolChoice<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    content: Vec<Block>,
    #[serde(default)]
    stop_reason: Option<String>,
    #[serde(default)]
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Block {
    Text {
        #[serde(default)]
        text: String,
    },
    ToolUse {
        #[serde(default)]
        name: String,
        #[serde(default)]
        input: Value,
    },
    /// thinking, server tool results and whatever comes next: ignored.
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default)]
    input_tokens: u64,
    #[serde(default)]
    output_tokens: u64,
    #[serde(default)]
    cache_creation_input_tokens: Option<u64>,
    #[serde(default)]
    cache_read_input_tokens: Option<u64>,
}

/// A JSON answer in model text: bare, or inside a ```json fence.
pub(crate) fn parse_json_text(text: &str) -> Result<Value, String> {
    let t = text.trim();
    let t = t
        .strip_prefix("```json")
        .or_else(|| t.strip_prefix("```"))
        .and_then(|x| x.strip_suffix("```"))
        .map(str::trim)
        .unwrap_or(t);
    serde_json::from_str(t).map_err(|e| {
        format!(
            "the reply is not the JSON the schema asks for ({e}): {:?}",
            crate::util::truncate_chars(&crate::util::one_line(text), 80)
        )
    })
}

impl Provider for Anthropic {
    fn name(&self) -> &'static str {
        "anthropic"
    }

    fn endpoint(&self) -> &'static str {
        ENDPOINT
    }

    fn url(&self) -> String {
        format!("{}{ENDPOINT}", self.base)
    }

    fn key_scope(&self) -> Value {
        json!({"anthropic-version": API_VERSION})
    }

    fn headers(&self) -> HeaderMap {
        headers(vec![
            ("x-api-key", self.key.header("")),
            (
                "anthropic-version",
                Some(HeaderValue::from_static(API_VERSION)),
            ),
        ])
    }

    fn secret(&self) -> &Secret {
        &self.key
    }

    fn env_names(&self) -> (&'static str, &'static str) {
        ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL")
    }

    fn body(&self, call: &Call<'_>) -> Value {
        let tool = call.structured == Structured::Tool;
        let req = Request {
            model: call.model,
            max_tokens: call.max_tokens,
            system: call.system,
            messages: vec![Message {
                role: "user",
                content: call.user,
            }],
            temperature: call.temperature,
            tools: tool.then(|| {
                vec![Tool {
                    name: call.name,
                    description: format!("Record the {} answer.", call.name),
                    input_schema: call.schema,
                }]
            }),
            tool_choice: tool.then_some(ToolChoice {
                kind: "tool",
                name: call.name,
            }),
            output_config: (!tool).then(|| {
                json!({"format": {"type": "json_schema", "schema": schema::without_bounds(call.schema)}})
            }),
        };
        serde_json::to_value(&req).unwrap_or(Value::Null)
    }

    fn reply(&self, response: &Value, call: &Call<'_>) -> Reply {
        let r: Response = match serde_json::from_value(response.clone()) {
            Ok(r) => r,
            Err(e) => {
                return Reply {
                    tokens: None,
                    answer: Err(format!("unexpected response shape ({e})")),
                }
            }
        };
        let tokens = r.usage.as_ref().map(|u| Tokens {
            input: u.input_tokens,
            output: u.output_tokens,
            cache_write: u.cache_creation_input_tokens.unwrap_or(0),
            cache_read: u.cache_read_input_tokens.unwrap_or(0),
        });
        let answer = match r.stop_reason.as_deref() {
            Some("max_tokens") => Err(format!(
                "the reply stopped at max_tokens ({}) before the answer was complete: raise backends.anthropic.max_tokens for this stage",
                call.max_tokens
            )),
            Some("refusal") => Err("the model refused to answer (stop_reason refusal)".into()),
            Some("model_context_window_exceeded") => {
                Err("the prompt filled the model's context window".into())
            }
            _ if call.structured == Structured::Tool => r
                .content
                .iter()
                .find_map(|b| match b {
                    Block::ToolUse { name, input } if name == call.name => Some(input.clone()),
                    _ => None,
                })
                .ok_or_else(|| format!("the reply has no tool_use block for {:?}", call.name)),
            _ => {
                let text: String = r
                    .content
                    .iter()
                    .filter_map(|b| match b {
                        Block::Text { text } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect();
                if text.trim().is_empty() {
                    Err("the reply has no text block".into())
                } else {
                    parse_json_text(&text)
                }
            }
        };
        Reply { tokens, answer }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call<'a>(schema: &'a Value, structured: Structured) -> Call<'a> {
        Call {
            name: "classify",
            model: "claude-haiku-4-5",
            system: "sys",
            user: "hello",
            schema,
            max_tokens: 100,
            temperature: Some(0.0),
            structured,
            max_tokens_param: "max_tokens",
        }
    }

    fn provider() -> Anthropic {
        Anthropic {
            base: "http://x".into(),
            key: Secret::new("sk-ant-test-000000".into()),
        }
    }

    #[test]
    fn tool_body() {
        let s = json!({"type": "object", "properties": {"intent": {"type": "string"}}});
        let b = provider().body(&call(&s, Structured::Tool));
        assert_eq!(b["system"], "sys");
        assert_eq!(b["messages"], json!([{"role": "user", "content": "hello"}]));
        assert_eq!(
            b["tool_choice"],
            json!({"type": "tool", "name": "classify"})
        );
        assert_eq!(b["tools"][0]["input_schema"], s);
        assert_eq!(b["temperature"], 0.0);
        assert!(b.get("output_config").is_none());
    }

    #[test]
    fn output_config_body() {
        let s = json!({"type": "object", "properties": {"c": {"type": "number", "minimum": 0, "maximum": 1}}});
        let mut c = call(&s, Structured::OutputConfig);
        c.temperature = None;
        let b = provider().body(&c);
        assert_eq!(b["output_config"]["format"]["type"], "json_schema");
        assert!(b["output_config"]["format"]["schema"]["properties"]["c"]
            .get("minimum")
            .is_none());
        assert!(b.get("tools").is_none() && b.get("tool_choice").is_none());
        assert!(b.get("temperature").is_none());
    }

    #[test]
    fn replies() {
        let s = json!({});
        let p = provider();
        let r = p.reply(
            &json!({"content": [{"type": "thinking", "thinking": "…"}, {"type": "tool_use", "id": "t", "name": "classify", "input": {"intent": "billing"}}],
                    "stop_reason": "tool_use",
                    "usage": {"input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": 3}}),
            &call(&s, Structured::Tool),
        );
        assert_eq!(r.answer, Ok(json!({"intent": "billing"})));
        assert_eq!(
            r.tokens,
            Some(Tokens {
                input: 10,
                output: 5,
                cache_write: 0,
                cache_read: 3
            })
        );
        let r = p.reply(
            &json!({"content": [{"type": "text", "text": "```json\n{\"a\": 1}\n```"}], "stop_reason": "end_turn"}),
            &call(&s, Structured::OutputConfig),
        );
        assert_eq!(r.answer, Ok(json!({"a": 1})));
        let r = p.reply(
            &json!({"content": [{"type": "text", "text": "{\"a\":"}], "stop_reason": "max_tokens"}),
            &call(&s, Structured::OutputConfig),
        );
        assert!(r.answer.unwrap_err().contains("max_tokens"));
        let r = p.reply(
            &json!({"content": [{"type": "text", "text": "I can't"}], "stop_reason": "end_turn"}),
            &call(&s, Structured::Tool),
        );
        assert!(r.answer.unwrap_err().contains("no tool_use"));
        let r = p.reply(
            &json!({"content": [], "stop_reason": "refusal"}),
            &call(&s, Structured::Tool),
        );
        assert!(r.answer.unwrap_err().contains("refused"));
        let r = p.reply(&json!("nope"), &call(&s, Structured::Tool));
        assert!(r.answer.is_err());
    }
}
