//! Text analysis shared by the FAQ index and the questions: words split unicode-safely,
//! shorthand expanded, typos corrected against the known vocabulary, set phrases
//! rewritten ("your hours" -> "advisor hours"), amounts of study time marked, stopwords
//! dropped, words stemmed and synonyms folded into one term.

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
    /// Set phrases rewritten before anything else reads them ("office hours" ->
    /// "advisor hours"), so a word can mean one thing in one phrase and another alone.
    #[serde(default)]
    pub phrases: HashMap<String, String>,
    /// Words that, after a number, make it an amount of study time or credit ("30
    /// minutes", "3 hrs", "1.5 ceus"): the number becomes the term [`QUANTITY`].
    #[serde(default)]
    pub units: Vec<String>,
    /// Words that say what is asked about a subject, not which subject: a cost word
    /// alone asks about costs, but beside "petition" it asks about petitions.
    #[serde(default)]
    pub aspects: Vec<Aspect>,
    /// Words every topic shares ("recertify", "how"): they never name a subject.
    #[serde(default)]
    pub generic: Vec<String>,
}

/// A group of aspect words and the entry that answers them when no subject is named.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aspect {
    /// The id of the entry these words ask about when they stand alone.
    pub home: String,
    pub words: Vec<String>,
}

/// The term standing for an amount of study time or credit: a number with a unit, or a
/// decimal number ("0.05").
pub const QUANTITY: &str = "#quantity";

/// A set phrase after its first word, and what replaces the whole phrase.
type Phrase = (Vec<String>, Vec<String>);

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
    /// First word of a phrase -> (the phrase's other words, its replacement).
    phrases: HashMap<String, Vec<Phrase>>,
    units: HashSet<String>,
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
        let (surface, stems) = synonym_heads(&lexicon.synonyms, &stemmer);
        let abbreviations: HashMap<String, Vec<String>> = lexicon
            .abbreviations
            .iter()
            .map(|(k, v)| (k.to_lowercase(), split_words(v)))
            .collect();
        let stopwords = lowercase(&lexicon.stopwords);
        let outside = lowercase(&lexicon.outside);
        let units = lowercase(&lexicon.units);
        let phrases = phrase_index(&lexicon.phrases);
        let mut vocabulary: HashSet<String> = stopwords.clone();
        vocabulary.extend(abbreviations.keys().cloned());
        vocabulary.extend(abbreviations.values().flatten().cloned());
        vocabulary.extend(surface.keys().cloned());
        vocabulary.extend(outside.iter().cloned());
        vocabulary.extend(
            lexicon
                .phrases
                .iter()
                .flat_map(|(from, to)| split_words(from).into_iter().chain(split_words(to))),
        );
        vocabulary.extend(units.iter().cloned());
        Self {
            stemmer,
            stopwords,
            abbreviations,
            surface,
            stems,
            outside,
            phrases,
            units,
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
        let words = self.rewrite_phrases(self.words(text, correct));
        let mut out = Vec::with_capacity(words.len());
        for (i, word) in words.iter().enumerate() {
            if is_number(word) {
                let unit = words
                    .get(i + 1)
                    .is_some_and(|next| self.units.contains(next));
                out.push(if unit || word.contains('.') {
                    QUANTITY.to_string()
                } else {
                    word.clone()
                });
            } else {
                out.extend(self.term(word));
            }
        }
        out
    }

    /// The words of `text`, typos corrected and shorthand expanded.
    fn words(&self, text: &str, correct: bool) -> Vec<String> {
        let mut out = Vec::new();
        for raw in split_words(text) {
            let word = if correct && !is_number(&raw) && !self.is_known(&raw) {
                self.speller.correct(&raw).unwrap_or(raw)
            } else {
                raw
            };
            match self.abbreviations.get(&word) {
                Some(words) => out.extend(words.iter().cloned()),
                None => out.push(word),
            }
        }
        out
    }

    /// `words` with every set phrase replaced, longest first.
    fn rewrite_phrases(&self, words: Vec<String>) -> Vec<String> {
        if self.phrases.is_empty() {
            return words;
        }
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            let found = self.phrases.get(&words[i]).and_then(|list| {
                list.iter()
                    .find(|(rest, _)| words[i + 1..].starts_with(rest))
            });
            match found {
                Some((rest, to)) => {
                    out.extend(to.iter().cloned());
                    i += 1 + rest.len();
                }
                None => {
                    out.push(words[i].clone());
                    i += 1;
                }
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

/// Every synonym, and every stem of one claimed by a single group, mapped to the head
/// of its group (the first word): (surface, stems).
fn synonym_heads(
    groups: &[Vec<String>],
    stemmer: &Stemmer,
) -> (HashMap<String, String>, HashMap<String, String>) {
    let mut surface = HashMap::new();
    let mut stem_heads: HashMap<String, HashSet<String>> = HashMap::new();
    for group in groups {
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
    (surface, stems)
}

/// The set phrases by their first word, longest first.
fn phrase_index(phrases: &HashMap<String, String>) -> HashMap<String, Vec<Phrase>> {
    let mut index: HashMap<String, Vec<Phrase>> = HashMap::new();
    for (from, to) in phrases {
        let (from, to) = (split_words(from), split_words(to));
        if let Some((first, rest)) = from.split_first() {
            index
                .entry(first.clone())
                .or_default()
                .push((rest.to_vec(), to));
        }
    }
    for list in index.values_mut() {
        list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    }
    index
}

fn lowercase(words: &[String]) -> HashSet<String> {
    words.iter().map(|w| w.to_lowercase()).collect()
}

/// Whether `word` is a number, decimals included ("30", "0.05").
#[must_use]
pub fn is_number(word: &str) -> bool {
    word.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && word.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Lowercase words of `text`: letters and digits; apostrophes vanish ("what's" ->
/// "whats"); a point between digits stays ("0.05"); anything else, and a change between
/// digits and letters ("2yrs"), splits.
#[must_use]
pub fn split_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut last_digit = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if matches!(ch, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}') {
            continue;
        }
        let decimal_point = ch == '.'
            && last_digit
            && !current.is_empty()
            && !current.contains('.')
            && chars.peek().is_some_and(char::is_ascii_digit);
        if decimal_point {
            current.push('.');
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
        let cases: [(&str, &[&str]); 7] = [
            ("What's a CEU?", &["whats", "a", "ceu"]),
            ("CPR/AED card", &["cpr", "aed", "card"]),
            ("every 2yrs", &["every", "2", "yrs"]),
            ("Ça coûte combien’s", &["ça", "coûte", "combiens"]),
            ("$25!!", &["25"]),
            ("0.05? 1.5ceus.", &["0.05", "1.5", "ceus"]),
            ("v1.2.3 end.", &["v", "1.2", "3", "end"]),
        ];
        for (text, want) in cases {
            assert_eq!(split_words(text), want, "{text}");
        }
    }

    fn analyzer() -> Analyzer {
        let lexicon: Lexicon = toml::from_str(
            r#"
            stopwords = ["your", "a", "is", "what", "are"]
            units = ["hour", "hours", "minutes", "ceu"]
            [phrases]
            "your hours" = "advisor hours"
            "hours of operation" = "advisor hours"
            [abbreviations]
            hrs = "hours"
            ur = "your"
            mins = "minutes"
            "#,
        )
        .expect("lexicon");
        let mut a = Analyzer::new(&lexicon);
        a.finish();
        a
    }

    #[test]
    fn rewrites_phrases_and_marks_study_time() {
        let a = analyzer();
        let cases: [(&str, &[&str]); 6] = [
            ("what are ur hrs", &["advisor", "hour"]),
            ("Hours of operation?", &["advisor", "hour"]),
            ("a 3 hr", &["3", "hr"]),
            ("a 3 hrs course", &[QUANTITY, "hour", "cours"]),
            ("is 90 mins 0.15?", &[QUANTITY, "minut", QUANTITY]),
            ("every 2 years", &["everi", "2", "year"]),
        ];
        for (text, want) in cases {
            assert_eq!(a.terms(text, true), want, "{text}");
        }
    }
}
