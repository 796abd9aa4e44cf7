//! The FAQ matcher judged on question sets: the shared development set, our own
//! trainer-style questions (typos, shorthand, long messages, out-of-scope chatter), and a
//! held-out set written before the matcher was tuned and never tuned on.

use recert_bot::faq::{Faq, FaqMatch};
use recert_bot::rules::Policy;

use crate::support::{FaqCase as Case, jsonl, matches};

/// Why a case fails, or `None` when it passes.
fn judge(faq: &Faq, case: &Case) -> Option<String> {
    let got = faq.lookup(&case.question);
    let reply = match &got {
        FaqMatch::Answer { id, .. } => faq.entry(id).map(|e| e.answer.as_str()),
        _ => None,
    };
    if let Some(p) = reply.and_then(|r| case.reply_must_not_match.iter().find(|p| matches(p, r))) {
        return Some(format!("reply matches forbidden /{p}/"));
    }
    match (&case.topic, &got) {
        (None, FaqMatch::Answer { id, .. }) => Some(format!("out of scope, but answered {id}")),
        (None, _) => None,
        (Some(topic), FaqMatch::Answer { id, .. }) if id == topic => {
            let reply = reply.unwrap_or_default();
            let missing: Vec<&String> = case
                .reply_must_match
                .iter()
                .filter(|p| !matches(p, reply))
                .collect();
            (!missing.is_empty()).then(|| format!("reply lacks {missing:?}"))
        }
        (Some(topic), other) => Some(format!("wanted {topic}, got {other:?}")),
    }
}

/// Runs a set, prints its accuracy and failures, returns the share passed.
fn run(name: &str, path: &str) -> f64 {
    let faq = Faq::embedded(&Policy::embedded()).expect("FAQ loads");
    let cases = jsonl::<Case>(path);
    let mut passed = 0;
    for case in &cases {
        match judge(&faq, case) {
            None => passed += 1,
            Some(why) => {
                let ranking = faq.ranking(&case.question);
                let terms = faq.terms(&case.question);
                println!(
                    "FAIL [{name}] {:?}: {why}\n      terms {terms:?}\n      ranking {ranking:?}",
                    case.question
                );
            }
        }
    }
    let accuracy = passed as f64 / cases.len() as f64;
    println!(
        "{name}: {passed}/{} = {:.1}%",
        cases.len(),
        accuracy * 100.0
    );
    accuracy
}

#[test]
fn dev_set_is_fully_answered() {
    let accuracy = run("faq_dev", "tests/data/faq_dev.jsonl");
    assert!(
        (accuracy - 1.0).abs() < f64::EPSILON,
        "dev accuracy {accuracy}"
    );
}

#[test]
fn own_set_reaches_the_bar() {
    let accuracy = run("faq_own", "tests/data/faq_own.jsonl");
    assert!(accuracy >= 0.97, "own accuracy {accuracy}");
}

#[test]
fn own_set_is_large_and_has_out_of_scope_questions() {
    let own = jsonl::<Case>("tests/data/faq_own.jsonl");
    assert!(own.len() >= 60);
    assert!(own.iter().filter(|c| c.topic.is_none()).count() >= 10);
}

/// Held out: written before tuning, measured only (the matcher before the subject/aspect
/// work scored 61/78; with it, 64/78). The bar sits a little below the accuracy reached,
/// so a regression shows.
#[test]
fn held_out_set_reaches_the_bar() {
    let accuracy = run("faq_holdout", "tests/data/faq_holdout.jsonl");
    assert!(accuracy >= HELD_OUT_BAR, "held-out accuracy {accuracy}");
}

const HELD_OUT_BAR: f64 = 0.80;

#[test]
fn held_out_set_covers_every_topic_and_out_of_scope() {
    let faq = Faq::embedded(&Policy::embedded()).expect("FAQ loads");
    let held = jsonl::<Case>("tests/data/faq_holdout.jsonl");
    assert!(held.len() >= 60);
    assert!(held.iter().filter(|c| c.topic.is_none()).count() >= 10);
    for e in faq.entries() {
        let n = held
            .iter()
            .filter(|c| c.topic.as_deref() == Some(&e.id))
            .count();
        assert!(n >= 3, "{}: {n} held-out questions", e.id);
    }
}

/// Phrasings that once went to the wrong topic: a subject asked about by its cost, the
/// advisors' hours against contact hours, an amount of study time.
#[test]
fn subjects_win_over_aspects() {
    let faq = Faq::embedded(&Policy::embedded()).expect("FAQ loads");
    let cases = [
        ("how much is a petition", "petition"),
        ("wait, how much does a petition cost?", "petition"),
        ("what are your hours", "hours"),
        ("Recertification fee??", "cost"),
        ("Does a 30 minute webinar count as 0.05?", "ceu_definition"),
    ];
    for (question, want) in cases {
        let got = faq.lookup(question);
        assert!(
            matches!(&got, FaqMatch::Answer { id, .. } if id == want),
            "{question:?}: wanted {want}, got {got:?}; ranking {:?}",
            faq.ranking(question)
        );
    }
}
