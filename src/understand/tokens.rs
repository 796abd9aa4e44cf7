//! Splitting a message into lower-case words, numbers and symbols, on char boundaries,
//! with common misspellings of the words the extractor looks for mapped to their
//! dictionary form.

use strsim::osa_distance;

/// The most characters of one message that are scanned (Telegram's message limit).
/// Longer input is cut there, which keeps every scan bounded.
pub const MAX_SCAN_CHARS: usize = 4096;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// ASCII digits with at most one decimal point: `4`, `0.8`, `.5`, `2026`.
    Num,
    /// Letters (apostrophes inside kept, a trailing `'s` dropped), lower-cased.
    Word,
    /// Any other visible character: `-`, `/`, `,`, `(`, `?`.
    Sym,
}

/// One token of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub text: String,
    /// No white space between this token and the one before.
    pub glued: bool,
}

impl Token {
    /// Whether this is the word `w`.
    #[must_use]
    pub fn is_word(&self, w: &str) -> bool {
        self.kind == Kind::Word && self.text == w
    }

    /// Whether this is the symbol `c`.
    #[must_use]
    pub fn is_sym(&self, c: char) -> bool {
        self.kind == Kind::Sym && self.text.starts_with(c)
    }

    /// The value of a whole number of at most 9 digits.
    #[must_use]
    pub fn int(&self) -> Option<u32> {
        if self.kind != Kind::Num || self.text.contains('.') || self.text.len() > 9 {
            return None;
        }
        self.text.parse().ok()
    }
}

/// Zero-width and direction marks, skipped as if absent.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

fn apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Splits the first [`MAX_SCAN_CHARS`] characters of `text` into tokens.
#[must_use]
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().take(MAX_SCAN_CHARS).collect();
    let mut out = Vec::new();
    let (mut i, mut glued) = (0, false);
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if invisible(c) {
            i += 1;
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            glued = false;
            i += 1;
            continue;
        }
        let start = i;
        let mut number = String::new();
        let kind = if c.is_ascii_digit() || (c == '.' && next.is_some_and(|n| n.is_ascii_digit())) {
            (i, number) = number_end(&chars, i);
            Kind::Num
        } else if c.is_alphabetic() {
            i = word_end(&chars, i);
            Kind::Word
        } else {
            i += 1;
            Kind::Sym
        };
        let mut text: String = chars[start..i]
            .iter()
            .flat_map(|c| c.to_lowercase())
            .collect();
        if kind == Kind::Num {
            text = number;
        }
        if kind == Kind::Word {
            text = canonical(&text.replace('\u{2019}', "'"));
            // a possessive `'s` ends the word: "nasm's" -> "nasm"
            if chars.get(i).copied().is_some_and(apostrophe)
                && chars.get(i + 1).is_some_and(|c| matches!(c, 's' | 'S'))
                && !chars.get(i + 2).is_some_and(|c| c.is_alphabetic())
            {
                i += 2;
            }
        }
        out.push(Token { kind, text, glued });
        glued = true;
    }
    out
}

/// The end of a number starting at `i` and its text: digits with one decimal point; a
/// comma before one or two digits is a decimal comma ("1,5"), before three a thousands
/// separator ("1,500").
fn number_end(chars: &[char], mut i: usize) -> (usize, String) {
    let mut dot = false;
    let mut text = String::new();
    while let Some(&c) = chars.get(i) {
        let digits_after = chars[i + 1..]
            .iter()
            .take(4)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if c.is_ascii_digit() {
            text.push(c);
        } else if !dot
            && ((c == '.' && digits_after > 0)
                || (c == ',' && !text.is_empty() && (1..=2).contains(&digits_after)))
        {
            dot = true;
            text.push('.');
        } else if c == ',' && !dot && !text.is_empty() && digits_after == 3 {
            // thousands separator: dropped
        } else {
            break;
        }
        i += 1;
    }
    (i, text)
}

fn word_end(chars: &[char], mut i: usize) -> usize {
    while let Some(&c) = chars.get(i) {
        let letter_next = chars.get(i + 1).is_some_and(|c| c.is_alphabetic());
        let possessive = chars.get(i + 1).is_some_and(|c| matches!(c, 's' | 'S'))
            && !chars.get(i + 2).is_some_and(|c| c.is_alphabetic());
        if c.is_alphabetic() || (apostrophe(c) && letter_next && !possessive) {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// Long words the extractor looks for; a misspelling one edit away (two for words of
/// twelve letters or more) is read as the word.
const VOCABULARY: &[&str] = &[
    "nutrition",
    "supplements",
    "supplement",
    "assessment",
    "assessments",
    "exercise",
    "technique",
    "techniques",
    "corrective",
    "flexibility",
    "program",
    "programming",
    "design",
    "periodization",
    "professional",
    "responsibility",
    "practice",
    "ethics",
    "business",
    "marketing",
    "client",
    "clients",
    "relations",
    "administration",
    "january",
    "february",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "tomorrow",
    "minutes",
    "minute",
    "approved",
    "preapproved",
    "unapproved",
    "petition",
    "completed",
    "finished",
    "attended",
    "workshop",
    "webinar",
    "seminar",
    "course",
    "hours",
];

/// The dictionary form of a lower-case word.
#[must_use]
pub fn canonical(word: &str) -> String {
    let len = word.chars().count();
    if len < 6 || VOCABULARY.contains(&word) || !word.chars().all(char::is_alphabetic) {
        return word.to_string();
    }
    let limit = if len >= 12 { 2 } else { 1 };
    let near = |v: &&&str| v.len() >= 6 && v.len().abs_diff(len) <= limit;
    // One edit away, the word and a vocabulary word share a form with at most one letter
    // deleted: the index finds those few words instead of measuring every one.
    let candidates: Vec<&str> = if limit == 1 {
        let index = &*DELETIONS;
        let mut found: Vec<usize> = once_deleted(word)
            .iter()
            .filter_map(|form| index.get(form.as_str()))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|i| VOCABULARY[i]).collect()
    } else {
        VOCABULARY.to_vec()
    };
    candidates
        .iter()
        .filter(near)
        .map(|v| (osa_distance(word, v), *v))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map_or_else(|| word.to_string(), |(_, v)| v.to_string())
}

/// Every vocabulary word's forms with at most one letter deleted, to the words' places.
static DELETIONS: std::sync::LazyLock<std::collections::HashMap<String, Vec<usize>>> =
    std::sync::LazyLock::new(|| {
        let mut index: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, v) in VOCABULARY.iter().enumerate() {
            for form in once_deleted(v) {
                index.entry(form).or_default().push(i);
            }
        }
        index
    });

/// `word` itself and each form of it with one letter deleted.
fn once_deleted(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = vec![word.to_string()];
    for i in 0..chars.len() {
        out.push(chars[..i].iter().chain(&chars[i + 1..]).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_numbers_words_and_symbols() {
        let cases: &[(&str, &[&str])] = &[
            ("4hrs", &["4", "hrs"]),
            ("0.8 CEUs.", &["0.8", "ceus", "."]),
            (".5 CEU", &[".5", "ceu"]),
            ("11/20/2026", &["11", "/", "20", "/", "2026"]),
            ("nasm's course", &["nasm", "course"]),
            ("1,5 hours", &["1.5", "hours"]),
            ("1,500 min", &["1500", "min"]),
            ("Nov 5,2026", &["nov", "5", ",", "2026"]),
            ("didn't", &["didn't"]),
            ("10-hour", &["10", "-", "hour"]),
            ("nutriton", &["nutrition"]),
            ("a\u{200F}b", &["a", "b"]),
        ];
        for (input, want) in cases {
            assert_eq!(texts(input), *want, "{input}");
        }
    }

    #[test]
    fn glue_records_missing_space() {
        let t = tokenize("-2 hours");
        assert!(t[1].glued && !t[2].glued);
    }

    #[test]
    fn short_words_are_not_corrected() {
        assert_eq!(canonical("form"), "form");
        assert_eq!(canonical("correction"), "correction");
    }
}
