//! Stage 4: the escalation decision. Rules, each with a reason code, checked in a fixed order;
//! each can be switched off in `escalation.rules`, thresholds come from the config.
//!
//! | code | escalates when |
//! |---|---|
//! | `stage_failed` | a stage (classify, respond, …) failed |
//! | `human_requested` | the customer asks for a person |
//! | `privileged_action` | the customer asks for something the bot cannot do (refund, reversal, email change, …) |
//! | `angry` | sentiment is angry |
//! | `missing_info` | the responder says information is missing |
//! | `low_confidence` | response confidence < `min_confidence` (0.7) |
//! | `sensitive_low_confidence` | a sensitive intent (billing, account) and confidence < `sensitive_confidence` (0.85) |
//! | `repeated_issue` | the same issue came back unresolved `repeat_limit` (3) turns in a row |
//! | `too_many_turns` | the conversation has more bot turns than `max_turns` (6) |

use crate::config::Config;

/// Everything the rules look at for one turn.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub stage_failed: bool,
    pub human_requested: bool,
    pub privileged_action: bool,
    pub angry: bool,
    pub missing_info: bool,
    pub response_confidence: Option<f64>,
    pub intent: Option<String>,
    pub unresolved_turns: usize,
    /// Bot turns in the conversation including this one.
    pub bot_turns: usize,
}

/// The reason codes that fire, in rule order; empty = the bot answers.
pub fn decide(config: &Config, f: &Facts) -> Vec<String> {
    let e = &config.escalation;
    let conf = f.response_confidence;
    let sensitive = f.intent.as_deref().is_some_and(|i| config.is_sensitive(i));
    let checks: [(&str, bool); 9] = [
        ("stage_failed", f.stage_failed),
        ("human_requested", f.human_requested),
        ("privileged_action", f.privileged_action),
        ("angry", f.angry),
        ("missing_info", f.missing_info),
        ("low_confidence", conf.is_none_or(|c| c < e.min_confidence)),
        (
            "sensitive_low_confidence",
            sensitive && conf.is_some_and(|c| c >= e.min_confidence && c < e.sensitive_confidence),
        ),
        (
            "repeated_issue",
            e.repeat_limit > 0 && f.unresolved_turns >= e.repeat_limit,
        ),
        ("too_many_turns", f.bot_turns > e.max_turns),
    ];
    checks
        .iter()
        .filter(|(code, fired)| *fired && config.rule_enabled(code))
        .map(|(code, _)| code.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> Facts {
        Facts {
            response_confidence: Some(0.9),
            intent: Some("general".into()),
            unresolved_turns: 1,
            bot_turns: 1,
            ..Default::default()
        }
    }

    fn reasons(f: Facts) -> Vec<String> {
        decide(&Config::default(), &f)
    }

    #[test]
    fn a_confident_answer_is_not_escalated() {
        assert!(reasons(ok()).is_empty());
    }

    #[test]
    fn each_rule_fires_alone() {
        let cases: Vec<(Facts, &str)> = vec![
            (
                Facts {
                    stage_failed: true,
                    ..ok()
                },
                "stage_failed",
            ),
            (
                Facts {
                    human_requested: true,
                    ..ok()
                },
                "human_requested",
            ),
            (
                Facts {
                    privileged_action: true,
                    ..ok()
                },
                "privileged_action",
            ),
            (
                Facts {
                    angry: true,
                    ..ok()
                },
                "angry",
            ),
            (
                Facts {
                    missing_info: true,
                    ..ok()
                },
                "missing_info",
            ),
            (
                Facts {
                    response_confidence: Some(0.69),
                    ..ok()
                },
                "low_confidence",
            ),
            (
                Facts {
                    response_confidence: None,
                    ..ok()
                },
                "low_confidence",
            ),
            (
                Facts {
                    response_confidence: Some(0.8),
                    intent: Some("billing".into()),
                    ..ok()
                },
                "sensitive_low_confidence",
            ),
            (
                Facts {
                    unresolved_turns: 3,
                    ..ok()
                },
                "repeated_issue",
            ),
            (
                Facts {
                    bot_turns: 7,
                    ..ok()
                },
                "too_many_turns",
            ),
        ];
        for (facts, code) in cases {
            assert_eq!(reasons(facts), vec![code.to_string()], "{code}");
        }
    }

    #[test]
    fn thresholds_are_boundaries() {
        assert!(reasons(Facts {
            response_confidence: Some(0.7),
            ..ok()
        })
        .is_empty());
        assert!(reasons(Facts {
            response_confidence: Some(0.85),
            intent: Some("account".into()),
            ..ok()
        })
        .is_empty());
        assert!(reasons(Facts {
            bot_turns: 6,
            ..ok()
        })
        .is_empty());
        assert!(reasons(Facts {
            unresolved_turns: 2,
            ..ok()
        })
        .is_empty());
    }

    #[test]
    fn several_reasons_in_rule_order_and_rules_can_be_switched_off() {
        let f = Facts {
            angry: true,
            human_requested: true,
            response_confidence: Some(0.2),
            ..ok()
        };
        assert_eq!(
            reasons(f.clone()),
            vec!["human_requested", "angry", "low_confidence"]
        );
        let mut cfg = Config::default();
        cfg.escalation.rules.retain(|r| r != "angry");
        assert_eq!(decide(&cfg, &f), vec!["human_requested", "low_confidence"]);
    }
}
