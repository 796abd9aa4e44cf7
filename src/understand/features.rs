//! The features the intent classifier reads in a message: each word's stem, each pair of
//! adjacent stems (the first marked as the message's start), the character n-grams of
//! every word (so typos and unseen forms still share most of their pieces), question
//! marks and emoji. Weighted TF-IDF and scaled to unit length. Pure.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

use super::tokens::{Kind, tokenize};

/// Shortest and longest character n-gram.
const CHAR_MIN: usize = 3;
const CHAR_MAX: usize = 4;
/// Weight of a character n-gram against a word (1.0): many per word, each weak.
const CHAR_WEIGHT: f32 = 0.35;
/// Weight of a pair of adjacent words.
const PAIR_WEIGHT: f32 = 0.8;

/// A sparse vector: (feature index, value), indices ascending.
pub type Sparse = Vec<(u32, f32)>;

/// The words of a message as the classifier sees them: lower case, apostrophes gone,
/// shorthand expanded ("u" -> "you"), numbers as `#`, emoji and `?` kept as words.
#[must_use]
pub fn words(text: &str, shorthand: &HashMap<String, Vec<String>>) -> Vec<String> {
    let mut out = Vec::new();
    for token in tokenize(text) {
        match token.kind {
            Kind::Num => out.push("#".to_string()),
            Kind::Word => {
                let word: String = token.text.chars().filter(|c| *c != '\'').collect();
                match shorthand.get(&word) {
                    Some(expanded) => out.extend(expanded.iter().cloned()),
                    None => out.push(word),
                }
            }
            Kind::Sym => {
                let c = token.text.chars().next().unwrap_or(' ');
                if c == '?'
                    || (!c.is_ascii()
                        && !c.is_alphanumeric()
                        && !matches!(c, '’' | '‘' | '“' | '”' | '–' | '—' | '…'))
                {
                    out.push(c.to_string());
                }
            }
        }
    }
    out
}

/// Turns messages into TF-IDF vectors over a vocabulary fixed at training.
pub struct Featurizer {
    stemmer: Stemmer,
    shorthand: HashMap<String, Vec<String>>,
    index: HashMap<String, u32>,
    idf: Vec<f32>,
}

impl std::fmt::Debug for Featurizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Featurizer")
            .field("features", &self.index.len())
            .finish_non_exhaustive()
    }
}

impl Featurizer {
    /// Learns the vocabulary and the inverse document frequencies from `texts`, and
    /// returns each text's vector with it (each text is read once).
    #[must_use]
    pub fn fit<'a>(
        texts: impl Iterator<Item = &'a str>,
        shorthand: HashMap<String, Vec<String>>,
    ) -> (Self, Vec<Sparse>) {
        let mut me = Self {
            stemmer: Stemmer::create(Algorithm::English),
            shorthand,
            index: HashMap::new(),
            idf: Vec::new(),
        };
        let mut df: Vec<u32> = Vec::new();
        let mut read: Vec<Vec<(u32, f32)>> = Vec::new();
        for text in texts {
            let mut features: Vec<(u32, f32)> = Vec::new();
            for (name, weight) in me.raw(text) {
                let next = u32::try_from(me.index.len()).unwrap_or(u32::MAX);
                let i = *me.index.entry(name).or_insert(next);
                if i as usize == df.len() {
                    df.push(0);
                }
                features.push((i, weight));
            }
            let mut seen: Vec<u32> = features.iter().map(|&(i, _)| i).collect();
            seen.sort_unstable();
            seen.dedup();
            for i in seen {
                df[i as usize] += 1;
            }
            read.push(features);
        }
        let n = read.len() as f32;
        me.idf = df
            .iter()
            .map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        let vectors = read.into_iter().map(|f| me.weigh(f)).collect();
        (me, vectors)
    }

    /// How many features the vocabulary holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.idf.len()
    }

    /// Whether the vocabulary is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.idf.is_empty()
    }

    /// The unit-length TF-IDF vector of `text`; features never seen in training vanish.
    #[must_use]
    pub fn vector(&self, text: &str) -> Sparse {
        let known = self
            .raw(text)
            .into_iter()
            .filter_map(|(name, weight)| self.index.get(&name).map(|&i| (i, weight)))
            .collect();
        self.weigh(known)
    }

    /// The unit-length TF-IDF vector of a text's features (index, weight; repeats add).
    fn weigh(&self, features: Vec<(u32, f32)>) -> Sparse {
        let mut tally: HashMap<u32, f32> = HashMap::new();
        for (i, weight) in features {
            *tally.entry(i).or_insert(0.0) += weight;
        }
        let mut v: Sparse = tally
            .into_iter()
            .map(|(i, tf)| (i, (1.0 + tf.ln().max(0.0)) * self.idf[i as usize]))
            .collect();
        v.sort_unstable_by_key(|&(i, _)| i);
        let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, x) in &mut v {
                *x /= norm;
            }
        }
        v
    }

    /// Every feature of `text` with its weight, repeats included.
    fn raw(&self, text: &str) -> Vec<(String, f32)> {
        let words = words(text, &self.shorthand);
        let stems: Vec<String> = words
            .iter()
            .map(|w| {
                if w.chars().count() <= 3 {
                    w.clone()
                } else {
                    self.stemmer.stem(w).into_owned()
                }
            })
            .collect();
        let mut out = Vec::with_capacity(words.len() * 12);
        let mut previous = "^".to_string();
        for (word, stem) in words.iter().zip(&stems) {
            out.push((format!("w:{stem}"), 1.0));
            out.push((format!("b:{previous} {stem}"), PAIR_WEIGHT));
            previous.clone_from(stem);
            char_grams(word, &mut out);
        }
        out
    }
}

/// The character n-grams of `word` with its edges marked (`<wo`, `rd>`).
fn char_grams(word: &str, out: &mut Vec<(String, f32)>) {
    let chars: Vec<char> = std::iter::once('<')
        .chain(word.chars())
        .chain(std::iter::once('>'))
        .collect();
    if chars.len() < CHAR_MIN + 1 {
        return;
    }
    for n in CHAR_MIN..=CHAR_MAX {
        for gram in chars.windows(n) {
            out.push((
                format!("c:{}", gram.iter().collect::<String>()),
                CHAR_WEIGHT,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_expand_shorthand_and_keep_emoji() {
        let mut short = HashMap::new();
        short.insert("u".to_string(), vec!["you".to_string()]);
        assert_eq!(
            words("Can u log 3 hrs?? 👍", &short),
            ["can", "you", "log", "#", "hrs", "?", "?", "👍"]
        );
    }

    #[test]
    fn a_typo_shares_most_features_with_the_word() {
        let (f, _) = Featurizer::fit(["nutrition", "petition"].into_iter(), HashMap::new());
        let dot = |a: &Sparse, b: &Sparse| -> f32 {
            a.iter()
                .map(|(i, x)| b.iter().find(|(j, _)| j == i).map_or(0.0, |(_, y)| x * y))
                .sum()
        };
        let typo = f.vector("nutriton");
        assert!(dot(&typo, &f.vector("nutrition")) > dot(&typo, &f.vector("petition")));
    }
}
