//! OpenAI-compatible chat completions: `POST {OPENAI_BASE_URL}/chat/completions` (default
//! `https://api.openai.com/v1`) with `Authorization: Bearer`. Works with OpenAI, Ollama
//! (`http://localhost:11434/v1`), vLLM and llama.cpp servers. Structured output per model: a
//! strict `response_format` `json_schema` (the default: Ollama has no `tool_choice`) or a forced
//! function call, whose `arguments` arrive as a JSON-encoded string. A `length` stop, a content
//! filter, a refusal or a missing call is a failed stage.

use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::anthropic::parse_json_text;
use super::http::{headers, Secret};
use super::{base_url, env, Call, Provider, Reply, Settings, Structured};
use crate::config::{openai_model_options, Config};
use crate::cost::Tokens;

pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
const ENDPOINT: &str = "/chat/completions";
/// Sent to local servers that need no key (clients must still send one).
const NO_KEY: &str = "sk-no-key-required";

/// Models called when `[backends.openai.models]` names none (dated in `openai_model_options`).
pub const DEFAULT_CHEAP_MODEL: &str = "gpt-4.1-mini";
pub const DEFAULT_GENERATION_MODEL: &str = "gpt-4.1";

pub struct OpenAi {
    base: String,
    key: Secret,
}

impl OpenAi {
    /// `OPENAI_API_KEY` and `OPENAI_BASE_URL`. A local server (any base URL other than
    /// OpenAI's) works without a key.
    pub fn from_env() -> OpenAi {
        let base = base_url("OPENAI_BASE_URL", DEFAULT_BASE_URL);
        let key = env("OPENAI_API_KEY").unwrap_or_else(|| {
            if base == DEFAULT_BASE_URL {
                String::new()
            } else {
                NO_KEY.to_string()
            }
        });
        OpenAi {
            base,
            key: Secret::new(key),
        }
    }
}

/// `[backends.openai]`.
pub fn settings(config: &Config) -> Settings {
    let b = &config.backends.openai;
    let pick = |own: &Option<String>, stage: &str, fallback: &str| {
        (
            own.clone().unwrap_or_else(|| fallback.to_string()),
            format!("backends.openai.models.{stage}"),
        )
    };
    Settings::from_config(
        "backends.openai",
        b,
        [
            pick(
                &b.models.classification,
                "classification",
                DEFAULT_CHEAP_MODEL,
            ),
            pick(&b.models.sentiment, "sentiment", DEFAULT_CHEAP_MODEL),
            pick(&b.models.summary, "summary", DEFAULT_CHEAP_MODEL),
            pick(&b.models.generation, "generation", DEFAULT_GENERATION_MODEL),
        ],
        Structured::JsonSchema,
        openai_model_options(),
    )
}

// --- wire types (private) --------------------------------------------------------------------

#[derive(Serialize)]
struct Message<'a> {
    role: &'static str,
    content: &'a str,
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    message: Option<WireMessage>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct WireMessage {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    refusal: Option<String>,
    #[serde(default)]
    tool_calls: Option<Vec<ToolCall>>,
}

#[derive(Deserialize)]
struct ToolCall {
    function: Function,
}

#[derive(Deserialize)]
struct Function {
    #[serde(default)]
    name: String,
    /// A JSON-encoded string (some servers send the object itself).
    #[serde(default)]
    arguments: Value,
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
    #[serde(default)]
    prompt_tokens_details: Option<PromptDetails>,
}

#[derive(Deserialize)]
struct PromptDetails {
    #[serde(default)]
    cached_tokens: Option<u64>,
}

impl Provider for OpenAi {
    fn name(&self) -> &'static str {
        "openai"
    }

    fn endpoint(&self) -> &'static str {
        ENDPOINT
    }

    fn url(&self) -> String {
        format!("{}{ENDPOINT}", self.base)
    }

    fn key_scope(&self) -> Value {
        json!({"server": self.base})
    }

    fn headers(&self) -> HeaderMap {
        headers(vec![("authorization", self.key.header("Bearer "))])
    }

    fn secret(&self) -> &Secret {
        &self.key
    }

    fn env_names(&self) -> (&'static str, &'static str) {
        ("OPENAI_API_KEY", "OPENAI_BASE_URL")
    }

    fn body(&self, call: &Call<'_>) -> Value {
        let mut b = Map::new();
        b.insert("model".into(), json!(call.model));
        b.insert(
            "messages".into(),
            json!([
                Message {
                    role: "system",
                    content: call.system
                },
                Message {
                    role: "user",
                    content: call.user
                }
            ]),
        );
        b.insert(call.max_tokens_param.to_string(), json!(call.max_tokens));
        if let Some(t) = call.temperature {
            b.insert("temperature".into(), json!(t));
        }
        match call.structured {
            Structured::Tool => {
                b.insert(
                    "tools".into(),
                    json!([{
                        "type": "function",
                        "function": {
                            "name": call.name,
                            "description": format!("Record the {} answer.", call.name),
                            "parameters": call.schema,
                            "strict": true
                        }
                    }]),
                );
                b.insert(
                    "tool_choice".into(),
                    json!({"type": "function", "function": {"name": call.name}}),
                );
            }
            _ => {
                b.insert(
                    "response_format".into(),
                    json!({
                        "type": "json_schema",
                        "json_schema": {"name": call.name, "schema": call.schema, "strict": true}
                    }),
                );
            }
        }
        Value::Object(b)
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
        let tokens = r.usage.as_ref().map(|u| {
            let cached = u
                .prompt_tokens_details
                .as_ref()
                .and_then(|d| d.cached_tokens)
                .unwrap_or(0)
                .min(u.prompt_tokens);
            Tokens {
                input: u.prompt_tokens - cached,
                output: u.completion_tokens,
                cache_write: 0,
                cache_read: cached,
            }
        });
        let answer = (|| {
            let choice = r.choices.first().ok_or("the reply has no choices")?;
            match choice.finish_reason.as_deref() {
                Some("length") => {
                    return Err(format!(
                        "the reply stopped at the token limit ({}) before the answer was complete: raise backends.openai.max_tokens for this stage",
                        call.max_tokens
                    ))
                }
                Some("content_filter") => {
                    return Err("the reply was withheld by the content filter".to_string())
                }
                _ => {}
            }
            let m = choice.message.as_ref().ok_or("the reply has no message")?;
            if let Some(refusal) = m.refusal.as_deref().filter(|r| !r.trim().is_empty()) {
                return Err(format!(
                    "the model refused: {}",
                    crate::util::truncate_chars(&crate::util::one_line(refusal), 80)
                ));
            }
            if call.structured == Structured::Tool {
                let f = m
                    .tool_calls
                    .iter()
                    .flatten()
                    .map(|t| &t.function)
                    .find(|f| f.name == call.name)
                    .ok_or_else(|| format!("the reply has no call to function {:?}", call.name))?;
                return match &f.arguments {
                    Value::String(s) => parse_json_text(s),
                    Value::Object(_) => Ok(f.arguments.clone()),
                    _ => Err("the function call has no arguments".to_string()),
                };
            }
            match m.content.as_deref() {
                Some(text) if !text.trim().is_empty() => parse_json_text(text),
                _ => Err("the reply has no content".to_string()),
            }
        })();
        Reply { tokens, answer }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call<'a>(schema: &'a Value, structured: Structured) -> Call<'a> {
        Call {
            name: "respond",
            model: "llama3.1:8b",
            system: "sys",
            user: "hello",
            schema,
            max_tokens: 100,
            temperature: None,
            structured,
            max_tokens_param: "max_tokens",
        }
    }

    fn provider() -> OpenAi {
        OpenAi {
            base: "http://127.0.0.1:11434/v1".into(),
            key: Secret::new("sk-test-0000000000".into()),
        }
    }

    #[test]
    fn bodies() {
        let s = json!({"type": "object"});
        let b = provider().body(&call(&s, Structured::JsonSchema));
        assert_eq!(
            b["messages"][0],
            json!({"role": "system", "content": "sys"})
        );
        assert_eq!(
            b["messages"][1],
            json!({"role": "user", "content": "hello"})
        );
        assert_eq!(b["max_tokens"], 100);
        assert_eq!(b["response_format"]["json_schema"]["schema"], s);
        assert!(b.get("temperature").is_none() && b.get("tools").is_none());
        let mut c = call(&s, Structured::Tool);
        c.max_tokens_param = "max_completion_tokens";
        c.temperature = Some(0.0);
        let b = provider().body(&c);
        assert_eq!(b["tool_choice"]["function"]["name"], "respond");
        assert_eq!(b["tools"][0]["function"]["parameters"], s);
        assert_eq!(b["max_completion_tokens"], 100);
        assert!(b.get("max_tokens").is_none());
        assert_eq!(b["temperature"], 0.0);
    }

    #[test]
    fn replies() {
        let s = json!({});
        let p = provider();
        let r = p.reply(
            &json!({"choices": [{"message": {"content": null, "tool_calls": [{"id": "c", "type": "function", "function": {"name": "respond", "arguments": "{\"a\": 1}"}}]}, "finish_reason": "tool_calls"}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 7, "prompt_tokens_details": {"cached_tokens": 40}}}),
            &call(&s, Structured::Tool),
        );
        assert_eq!(r.answer, Ok(json!({"a": 1})));
        assert_eq!(
            r.tokens,
            Some(Tokens {
                input: 60,
                output: 7,
                cache_write: 0,
                cache_read: 40
            })
        );
        let r = p.reply(
            &json!({"choices": [{"message": {"content": "{\"a\": 2}"}, "finish_reason": "stop"}]}),
            &call(&s, Structured::JsonSchema),
        );
        assert_eq!(r.answer, Ok(json!({"a": 2})));
        assert_eq!(r.tokens, None);
        let r = p.reply(
            &json!({"choices": [{"message": {"content": "{\"a\""}, "finish_reason": "length"}]}),
            &call(&s, Structured::JsonSchema),
        );
        assert!(r.answer.unwrap_err().contains("token limit"));
        let r = p.reply(
            &json!({"choices": [{"message": {"content": null, "refusal": "I can't help"}, "finish_reason": "stop"}]}),
            &call(&s, Structured::JsonSchema),
        );
        assert!(r.answer.unwrap_err().contains("refused"));
        let r = p.reply(
            &json!({"choices": [{"message": {"content": "not json"}, "finish_reason": "stop"}]}),
            &call(&s, Structured::JsonSchema),
        );
        assert!(r.answer.unwrap_err().contains("not the JSON"));
    }
}
