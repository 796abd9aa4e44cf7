//! Typo correction against a known vocabulary, symmetric-delete style: every word's
//! deletions are indexed once, so correcting a word costs a few hash look-ups and a
//! handful of edit-distance checks (microseconds), not a scan of the vocabulary.

use std::collections::{HashMap, HashSet};

/// The spelling reference.
#[derive(Debug, Clone, Default)]
pub struct Speller {
    words: Vec<String>,
    /// Whether a word may be the correction of a word of four letters or fewer
    /// (function words only: "wat" -> "what", but "lol" must not become "log" nor
    /// "pass" become "past").
    short_target: Vec<bool>,
    deletes: HashMap<String, Vec<u32>>,
}

/// How many edits a word of `len` characters may be away from its correction.
#[must_use]
const fn max_distance(len: usize) -> usize {
    match len {
        0..=2 => 0,
        3..=7 => 1,
        _ => 2,
    }
}

impl Speller {
    /// Indexes `vocabulary`; `short_targets` may also correct three-letter words.
    #[must_use]
    pub fn new<'a>(
        vocabulary: impl Iterator<Item = &'a String>,
        short_targets: &HashSet<&String>,
    ) -> Self {
        let mut words: Vec<String> = vocabulary
            .filter(|w| w.chars().count() >= 3 && !w.bytes().all(|b| b.is_ascii_digit()))
            .cloned()
            .collect();
        words.sort();
        words.dedup();
        let short_target = words.iter().map(|w| short_targets.contains(w)).collect();
        let mut deletes: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, word) in words.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            for variant in variants(word, 2) {
                deletes.entry(variant).or_default().push(i);
            }
        }
        Self {
            words,
            short_target,
            deletes,
        }
    }

    /// The closest known word to `word`, if one is within the allowed edits and starts
    /// with the same letter (typos rarely hit the first letter).
    #[must_use]
    pub fn correct(&self, word: &str) -> Option<String> {
        let len = word.chars().count();
        let limit = max_distance(len);
        if limit == 0 || len > 24 {
            return None;
        }
        let first = word.chars().next();
        let mut best: Option<(usize, u64, usize)> = None;
        let mut seen = HashSet::new();
        for variant in variants(word, limit) {
            let Some(hits) = self.deletes.get(&variant) else {
                continue;
            };
            for &i in hits {
                let i = i as usize;
                if !seen.insert(i) {
                    continue;
                }
                let target = &self.words[i];
                if target.chars().next() != first || (len <= 4 && !self.short_target[i]) {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(word, target);
                if distance > limit {
                    continue;
                }
                // Ties go to the most similar prefix, then to the earlier word.
                let closeness = (strsim::jaro_winkler(word, target) * 1e6) as u64;
                let key = (distance, u64::MAX - closeness, i);
                if best.is_none_or(|b| key < b) {
                    best = Some(key);
                }
            }
        }
        best.map(|(_, _, i)| self.words[i].clone())
    }
}

/// `word` and every string made from it by deleting up to `depth` characters.
fn variants(word: &str, depth: usize) -> HashSet<String> {
    let mut out = HashSet::from([word.to_string()]);
    let mut frontier = vec![word.to_string()];
    for _ in 0..depth {
        let mut next = Vec::new();
        for w in &frontier {
            let chars: Vec<char> = w.chars().collect();
            if chars.len() <= 1 {
                continue;
            }
            for skip in 0..chars.len() {
                let v: String = chars
                    .iter()
                    .enumerate()
                    .filter_map(|(j, c)| (j != skip).then_some(*c))
                    .collect();
                if out.insert(v.clone()) {
                    next.push(v);
                }
            }
        }
        frontier = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speller() -> Speller {
        let words: Vec<String> = [
            "petition",
            "what",
            "recertify",
            "requirements",
            "log",
            "expired",
            "pass",
        ]
        .map(String::from)
        .to_vec();
        let what = words[1].clone();
        Speller::new(words.iter(), &HashSet::from([&what]))
    }

    #[test]
    fn corrects_close_typos_only() {
        let s = speller();
        let cases = [
            ("petiton", Some("petition")),
            ("wat", Some("what")),
            ("recertifiy", Some("recertify")),
            ("requirments", Some("requirements")),
            ("expird", Some("expired")),
            ("lol", None),
            ("lod", None),
            ("weather", None),
            ("xpired", None),
        ];
        for (typo, want) in cases {
            assert_eq!(s.correct(typo).as_deref(), want, "{typo}");
        }
    }
}
