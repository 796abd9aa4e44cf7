//! Understanding a trainer's message: the one tokenizer, normaliser and speller every
//! reader shares (the FAQ matcher, the extractors, the misses key), and the intent
//! classifier learned from the examples in `faq/intents.toml`. Pure: no IO, no clock.
//!
//! - [`tokens`]: words, numbers and symbols on char boundaries, typos of the extractors'
//!   words mended.
//! - [`text`], [`fuzzy`]: the FAQ analyser (shorthand, phrases, stems, synonyms) and the
//!   symmetric-delete speller.
//! - [`intents`]: the intents file, parsed and checked.
//! - [`features`], [`model`]: TF-IDF over words, word pairs and character n-grams, and a
//!   softmax classifier over them.
//! - [`parts`]: a message split into the requests it makes.

use std::collections::HashMap;

pub mod features;
pub mod fuzzy;
pub mod intents;
pub mod model;
pub mod parts;
pub mod text;
pub mod tokens;

pub use intents::{Intent, IntentsError, Label, Slot};

use features::Featurizer;
use model::Softmax;

/// Lowercases, straightens quotes and folds white space, for matching.
#[must_use]
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '’' | '‘' | '`' => '\'',
            c if c.is_whitespace() || c.is_control() => ' ',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The grouping key of a message (the misses report): its words, lower case, apostrophes
/// dropped, one space between.
#[must_use]
pub fn key(text: &str) -> String {
    text::split_words(text).join(" ")
}

/// What the bot is waiting for when a message arrives: it changes which readings are
/// possible (an answer to "How many hours?" only while that was asked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expecting {
    /// Nothing pending.
    Nothing,
    /// The logging dialogue asked for this field.
    Answer(Slot),
    /// A yes/no question is pending (a read-back, a deletion, /forget).
    Confirmation,
    /// A date was read back ("Is that right?"): a yes or no, or a corrected date.
    DateCheck,
}

/// One label and how sure the classifier is (0 to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    pub label: Label,
    pub confidence: f32,
}

/// The trained classifier. Built once at start-up, read-only afterwards.
#[derive(Debug)]
pub struct Understanding {
    featurizer: Featurizer,
    model: Softmax,
    labels: Vec<Label>,
    /// How many examples trained it.
    examples: usize,
}

impl Understanding {
    /// Trains on the intents' examples plus, for each FAQ entry, its title and example
    /// questions (`faq`: id, texts). `shorthand` expands words before reading
    /// ("u" -> "you").
    #[must_use]
    pub fn train(
        intents: &[Intent],
        faq: &[(&str, Vec<&str>)],
        shorthand: HashMap<String, Vec<String>>,
    ) -> Self {
        let mut labels: Vec<Label> = intents.iter().map(|i| i.label.clone()).collect();
        for (id, _) in faq {
            let label = Label::Faq((*id).to_string());
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
        let mut texts: Vec<(&str, usize)> = Vec::new();
        for intent in intents {
            let class = labels.iter().position(|l| *l == intent.label).unwrap_or(0);
            texts.extend(intent.examples.iter().map(|e| (e.as_str(), class)));
        }
        for (id, examples) in faq {
            let label = Label::Faq((*id).to_string());
            let class = labels.iter().position(|l| *l == label).unwrap_or(0);
            texts.extend(examples.iter().map(|e| (*e, class)));
        }
        let (featurizer, vectors) = Featurizer::fit(texts.iter().map(|(t, _)| *t), shorthand);
        let data: Vec<(features::Sparse, usize)> = vectors
            .into_iter()
            .zip(texts.iter().map(|(_, c)| *c))
            .collect();
        let model = Softmax::train(&data, featurizer.len(), labels.len());
        Self {
            featurizer,
            model,
            labels,
            examples: data.len(),
        }
    }

    /// Every possible label for `text` while the bot is `expecting`, most likely first,
    /// with probabilities summing to one.
    #[must_use]
    pub fn classify(&self, text: &str, expecting: Expecting) -> Vec<Guess> {
        self.scores(text, expecting, false)
    }

    /// Every label for one part of a message, background included.
    #[must_use]
    pub fn classify_part(&self, text: &str, expecting: Expecting) -> Vec<Guess> {
        self.scores(text, expecting, true)
    }

    fn scores(&self, text: &str, expecting: Expecting, part: bool) -> Vec<Guess> {
        let x = self.featurizer.vector(text);
        let mut probs = vec![0.0; self.model.classes()];
        self.model.probabilities(&x, &mut probs);
        let mut out: Vec<Guess> = self
            .labels
            .iter()
            .zip(probs)
            .map(|(l, p)| Guess {
                label: l.clone(),
                confidence: if part || *l != Label::Background {
                    p * prior(l, expecting)
                } else {
                    0.0
                },
            })
            .filter(|g| g.confidence > 0.0)
            .collect();
        let total: f32 = out.iter().map(|g| g.confidence).sum();
        if total > 0.0 {
            out.iter_mut().for_each(|g| g.confidence /= total);
        }
        out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        out
    }

    /// The most likely label of `text`.
    #[must_use]
    pub fn best(&self, text: &str, expecting: Expecting) -> Guess {
        self.classify(text, expecting)
            .into_iter()
            .next()
            .unwrap_or(Guess {
                label: Label::Other,
                confidence: 0.0,
            })
    }

    /// How many examples and features the model was trained on (diagnostics).
    #[must_use]
    pub fn size(&self) -> (usize, usize) {
        (self.examples, self.featurizer.len())
    }
}

/// How much likelier a yes, no, cancel or correction is while a question is pending.
const REPLY_PRIOR: f32 = 3.0;

/// How much less likely a correction is with nothing pending.
const IDLE_EDIT_PRIOR: f32 = 0.4;

/// How much likelier `label` is while the bot is `expecting` than when nothing is
/// pending: an answer only while its field is asked for, and the replies to a question
/// (yes, no, cancel, a correction) likelier while one is pending.
fn prior(label: &Label, expecting: Expecting) -> f32 {
    let asked = matches!(expecting, Expecting::Confirmation | Expecting::DateCheck);
    match label {
        Label::Answer(slot) => f32::from(u8::from(expecting == Expecting::Answer(*slot))),
        Label::Yes | Label::No | Label::Cancel | Label::Edit if asked => REPLY_PRIOR,
        // Most corrections answer a read-back; with nothing pending one must name the
        // entry it changes, and a course with "not approved" in it is a new one.
        Label::Edit if expecting == Expecting::Nothing => IDLE_EDIT_PRIOR,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_question_written_many_ways_has_one_key() {
        for text in [
            "What's a CEU?",
            "whats a ceu",
            "What\u{2019}s  a CEU!!",
            "  WHAT'S, A CEU ",
        ] {
            assert_eq!(key(text), "whats a ceu", "{text}");
        }
        assert_eq!(key("every 2yrs?"), "every 2 yrs");
    }
}
