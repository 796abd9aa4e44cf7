//! Text analysis shared by the FAQ index and the questions: words split unicode-safely,
//! shorthand expanded, typos corrected against the known vocabulary, stopwords dropped,
//! words stemmed and synonyms folded into one term.

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};
use serde::Deserialize;

use super::fuzzy::Speller;

/// The matcher's vocabulary, as written in `faq/lexicon.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    /// Words that carry no topic.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// Shorthand -> its words ("hrs" -> "hours").
    #[serde(default)]
    pub abbreviations: HashMap<String, String>,
    /// Groups of words meaning the same; the first names the group.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    /// Words naming other organisations' certifications: never corrected, and they
    /// count against a match.
    #[serde(default)]
    pub outside: Vec<String>,
}

/// Turns text into terms. Built once at load; analysing is pure.
pub struct Analyzer {
    stemmer: Stemmer,
    stopwords: HashSet<String>,
    abbreviations: HashMap<String, Vec<String>>,
    /// Exact word -> group head.
    surface: HashMap<String, String>,
    /// Stem of a group member -> group head (stems claimed by one group only).
    stems: HashMap<String, String>,
    outside: HashSet<String>,
    /// Every word seen in the FAQ or the lexicon: the spelling reference.
    vocabulary: HashSet<String>,
    speller: Speller,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("vocabulary", &self.vocabulary.len())
            .finish_non_exhaustive()
    }
}

impl Analyzer {
    /// An analyzer knowing the lexicon's words; add the FAQ's words with [`Self::learn`]
    /// and call [`Self::finish`] before analysing questions.
    #[must_use]
    pub fn new(lexicon: &Lexicon) -> Self {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut surface = HashMap::new();
        let mut stem_heads: HashMap<String, HashSet<String>> = HashMap::new();
        for group in &lexicon.synonyms {
            let Some(head) = group.first().map(|h| h.to_lowercase()) else {
                continue;
            };
            for word in group.iter().map(|w| w.to_lowercase()) {
                let stem = stemmer.stem(&word).into_owned();
                stem_heads.entry(stem).or_default().insert(head.clone());
                surface.insert(word, head.clone());
            }
        }
        let stems = stem_heads
            .into_iter()
            .filter(|(_, heads)| heads.len() == 1)
            .filter_map(|(stem, heads)| heads.into_iter().next().map(|h| (stem, h)))
            .collect();
        let abbreviations: HashMap<String, Vec<String>> = lexicon
            .abbreviations
            .iter()
            .map(|(k, v)| (k.to_lowercase(), split_words(v)))
            .collect();
        let stopwords: HashSet<String> =
            lexicon.stopwords.iter().map(|w| w.to_lowercase()).collect();
        let mut vocabulary: HashSet<String> = stopwords.clone();
        vocabulary.extend(abbreviations.keys().cloned());
        vocabulary.extend(abbreviations.values().flatten().cloned());
        vocabulary.extend(surface.keys().cloned());
        let outside: HashSet<String> = lexicon.outside.iter().map(|w| w.to_lowercase()).collect();
        vocabulary.extend(outside.iter().cloned());
        Self {
            stemmer,
            stopwords,
            abbreviations,
            surface,
            stems,
            outside,
            vocabulary,
            speller: Speller::default(),
        }
    }

    /// Adds the words of FAQ text to the spelling reference.
    pub fn learn(&mut self, text: &str) {
        self.vocabulary.extend(split_words(text));
    }

    /// Builds the spelling index; call once after the last [`Self::learn`].
    pub fn finish(&mut self) {
        let short_targets: HashSet<&String> = self.stopwords.iter().collect();
        self.speller = Speller::new(self.vocabulary.iter(), &short_targets);
    }

    /// The terms of `text`, in order. With `correct`, words outside the vocabulary are
    /// replaced by their nearest known spelling when one is close enough.
    #[must_use]
    pub fn terms(&self, text: &str, correct: bool) -> Vec<String> {
        let mut out = Vec::new();
        for raw in split_words(text) {
            if raw.bytes().all(|b| b.is_ascii_digit()) {
                out.push(raw);
                continue;
            }
            let word = if correct && !self.is_known(&raw) {
                self.speller.correct(&raw).unwrap_or(raw)
            } else {
                raw
            };
            match self.abbreviations.get(&word) {
                Some(words) => out.extend(words.iter().filter_map(|w| self.term(w))),
                None => out.extend(self.term(&word)),
            }
        }
        out
    }

    /// One word's term: `None` for a stopword.
    fn term(&self, word: &str) -> Option<String> {
        if self.stopwords.contains(word) {
            return None;
        }
        if self.outside.contains(word) {
            return Some(word.to_string());
        }
        if let Some(head) = self.surface.get(word) {
            return Some(head.clone());
        }
        // Stemming mangles short words ("aed" -> "a").
        if word.chars().count() <= 3 {
            return Some(word.to_string());
        }
        let stem = self.stemmer.stem(word);
        Some(match self.stems.get(stem.as_ref()) {
            Some(head) => head.clone(),
            None => stem.into_owned(),
        })
    }

    /// Whether `term` names another organisation's certification.
    #[must_use]
    pub fn is_outside(&self, term: &str) -> bool {
        self.outside.contains(term)
    }

    fn is_known(&self, word: &str) -> bool {
        self.vocabulary.contains(word) || self.stems.contains_key(self.stemmer.stem(word).as_ref())
    }
}

/// Lowercase words of `text`: letters and digits; apostrophes vanish ("what's" ->
/// "whats"); anything else, and a change between digits and letters ("2yrs"), splits.
#[must_use]
pub fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut last_digit = false;
    for ch in text.chars() {
        if matches!(ch, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}') {
            continue;
        }
        if ch.is_alphanumeric() {
            let digit = ch.is_numeric();
            if !current.is_empty() && digit != last_digit {
                words.push(std::mem::take(&mut current));
            }
            last_digit = digit;
            current.extend(ch.to_lowercase());
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_unicode_safely() {
        let cases: [(&str, &[&str]); 5] = [
            ("What's a CEU?", &["whats", "a", "ceu"]),
            ("CPR/AED card", &["cpr", "aed", "card"]),
            ("every 2yrs", &["every", "2", "yrs"]),
            ("Ça coûte combien’s", &["ça", "coûte", "combiens"]),
            ("$25!!", &["25"]),
        ];
        for (text, want) in cases {
            assert_eq!(split_words(text), want, "{text}");
        }
    }
}
