//! Tokens and rupees: the dated price table (USD per million tokens) times the configured
//! USD→INR rate. With a live backend the token counts are the API's `usage`; with the offline
//! backend they are projected from the prompts a live run would send.

use anyhow::{bail, Result};

use crate::config::Config;
use crate::pipeline::trace::{Component, Usage};

/// Projected tokens of a text: about 4 characters per token for ASCII text (the vendors' rule of
/// thumb for English) and one token per non-ASCII character (₹, Devanagari, emoji tokenise
/// poorly). An estimate: a live run reports the real counts.
pub fn estimate_tokens(text: &str) -> u64 {
    let (ascii, other) = text.chars().fold((0u64, 0u64), |(a, o), c| {
        if c.is_ascii() {
            (a + 1, o)
        } else {
            (a, o + 1)
        }
    });
    ascii.div_ceil(4) + other
}

/// Token counts of one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tokens {
    pub input: u64,
    pub output: u64,
    pub cache_write: u64,
    pub cache_read: u64,
}

/// Price one call of `model` for `component`.
pub fn usage(config: &Config, component: Component, model: &str, t: Tokens) -> Usage {
    let inr = match config.price(model) {
        Some(p) => {
            (t.input as f64 * p.input
                + t.output as f64 * p.output
                + t.cache_write as f64 * p.cache_write
                + t.cache_read as f64 * p.cache_read)
                / 1_000_000.0
                * config.cost.usd_to_inr
        }
        None => 0.0,
    };
    Usage {
        component,
        model: model.to_string(),
        input_tokens: t.input,
        output_tokens: t.output,
        cache_write_tokens: t.cache_write,
        cache_read_tokens: t.cache_read,
        inr,
        cached: false,
    }
}

/// Every model the pipeline would call must have a price, or cost figures would be silently 0.
pub fn check_prices(config: &Config) -> Result<()> {
    let m = &config.models;
    for (stage, model) in [
        ("classification", &m.classification),
        ("sentiment", &m.sentiment),
        ("summary", &m.summary),
        ("generation", &m.generation),
        ("embedding", &m.embedding),
    ] {
        if config.price(model).is_none() {
            bail!(
                "models.{stage} = {model:?} has no entry in the [[prices]] table: add one (USD per million input/output tokens) to supportbench.toml"
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_estimate() {
        assert_eq!(estimate_tokens(""), 0);
        assert_eq!(estimate_tokens("abcd"), 1);
        assert_eq!(estimate_tokens("abcde"), 2);
        assert_eq!(estimate_tokens("₹499"), 2);
    }

    #[test]
    fn priced_in_rupees() {
        let cfg = Config::default();
        // Sonnet 4.6: $3 / $15 per million; 1,000 in + 200 out = $0.006 → × 88 = ₹0.528
        let u = usage(
            &cfg,
            Component::Generation,
            "claude-sonnet-4-6",
            Tokens {
                input: 1000,
                output: 200,
                ..Default::default()
            },
        );
        assert!((u.inr - 0.528).abs() < 1e-9, "{}", u.inr);
    }

    #[test]
    fn default_models_are_priced() {
        check_prices(&Config::default()).unwrap();
    }
}
