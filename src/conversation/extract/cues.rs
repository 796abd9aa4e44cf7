//! The provider a course came from, its title, and whether a message logs continuing
//! education at all (rather than asking about it).

use super::tokens::{Kind, MAX_SCAN_CHARS, Token};
use crate::rules::Provider;

/// The provider named in `tokens`: a negated "approved" or "petition" means a petition,
/// "approved" an approved provider, "NASM" or "category A" a NASM course.
#[must_use]
pub fn provider(tokens: &[Token]) -> Option<Provider> {
    let words: Vec<&str> = tokens
        .iter()
        .filter(|t| t.kind == Kind::Word)
        .map(|t| t.text.as_str())
        .collect();
    let approved_at = |i: usize| matches!(words[i], "approved" | "preapproved");
    let negated = |i: usize| {
        words[i.saturating_sub(3)..i].iter().any(|w| {
            matches!(
                *w,
                "not" | "non" | "isn't" | "wasn't" | "aren't" | "never" | "no" | "nor"
            )
        })
    };
    let petition = words
        .iter()
        .any(|w| matches!(*w, "petition" | "petitioned" | "unapproved"))
        || (0..words.len()).any(|i| approved_at(i) && negated(i));
    if petition {
        return Some(Provider::Petition);
    }
    if (0..words.len()).any(approved_at) {
        return Some(Provider::Approved);
    }
    let category_a = words
        .windows(2)
        .any(|w| w == ["category", "a"] || w == ["cat", "a"]);
    (category_a || words.contains(&"nasm")).then_some(Provider::Nasm)
}

/// The course title, when quoted or introduced by "called", "titled" or "named".
#[must_use]
pub fn title(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().take(MAX_SCAN_CHARS).collect();
    quoted(&chars).or_else(|| introduced(&chars))
}

const MAX_TITLE_CHARS: usize = 80;

fn quoted(chars: &[char]) -> Option<String> {
    let boundary =
        |c: Option<&char>| c.is_none_or(|c| c.is_whitespace() || c.is_ascii_punctuation());
    (0..chars.len()).find_map(|i| {
        let closers: &[char] = match chars[i] {
            '"' => &['"', '\u{201D}'],
            '\u{201C}' | '\u{201D}' => &['\u{201D}', '"'],
            '\u{00AB}' => &['\u{00BB}'],
            '\u{2018}' => &['\u{2019}'],
            '\'' if i == 0 || boundary(chars.get(i - 1)) => &['\''],
            _ => return None,
        };
        let end = (i + 1..chars.len().min(i + 2 + MAX_TITLE_CHARS)).find(|&j| {
            closers.contains(&chars[j]) && (chars[j] != '\'' || boundary(chars.get(j + 1)))
        })?;
        clean(&chars[i + 1..end])
    })
}

fn introduced(chars: &[char]) -> Option<String> {
    let text: String = chars.iter().collect();
    let words: Vec<&str> = text.split_whitespace().collect();
    let lower = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let start = words.iter().position(|w| {
        matches!(
            lower(w).as_str(),
            "called" | "titled" | "entitled" | "named"
        )
    })? + 1;
    let mut taken = Vec::new();
    for (k, w) in words.iter().enumerate().skip(start).take(8) {
        let l = lower(w);
        let next = words.get(k + 1).map(|n| lower(n)).unwrap_or_default();
        if STOP_WORDS.contains(&l.as_str()) || looks_like_amount(&l, &next) {
            break;
        }
        taken.push(*w);
        if w.ends_with(|c: char| ",.;!?)".contains(c)) {
            break;
        }
    }
    let joined: Vec<char> = taken.join(" ").chars().collect();
    clean(&joined)
}

const STOP_WORDS: &[&str] = &[
    "on",
    "from",
    "by",
    "yesterday",
    "today",
    "tonight",
    "last",
    "this",
    "for",
    "at",
    "which",
    "that",
    "it",
    "worth",
    "completed",
    "finished",
    "done",
    "about",
];

fn looks_like_amount(word: &str, next: &str) -> bool {
    let digits = word.starts_with(|c: char| c.is_ascii_digit());
    let unit = [
        "h", "hr", "hrs", "hour", "hours", "min", "mins", "minutes", "ceu", "ceus",
    ];
    digits && (unit.contains(&next) || word.ends_with(|c: char| c.is_alphabetic()))
}

/// A trimmed title of 1..=80 characters with a letter in it.
fn clean(chars: &[char]) -> Option<String> {
    let s: String = chars.iter().collect();
    let s = s
        .trim_matches(|c: char| {
            c.is_whitespace() || c.is_ascii_punctuation() && c != ')' && c != '!'
        })
        .to_string();
    let n = s.chars().count();
    ((1..=MAX_TITLE_CHARS).contains(&n) && s.chars().any(char::is_alphabetic)).then_some(s)
}

/// Whether the words read as logging CE: an explicit "log/add/record", a completion
/// verb with a CE noun, or an amount with a unit, and not a question or a statement of
/// what is still needed.
#[must_use]
pub fn looks_like_log(tokens: &[Token], has_amount: bool) -> bool {
    let words: Vec<&str> = tokens
        .iter()
        .filter(|t| t.kind == Kind::Word)
        .map(|t| t.text.as_str())
        .collect();
    let has = |set: &[&str]| words.iter().any(|w| set.contains(w));
    let ce_noun = has(CE_NOUNS);
    let asking = words.first().is_some_and(|w| WH_WORDS.contains(w));
    let command =
        !asking && has(&["log", "add", "record", "enter", "submit"]) && (has_amount || ce_noun);
    if command {
        return true;
    }
    let question = tokens.iter().any(|t| t.is_sym('?'))
        || words.first().is_some_and(|w| QUESTION_STARTS.contains(w));
    let needing = has(NEEDING);
    let exercising = has(&[
        "worked", "workout", "gym", "session", "sessions", "ran", "lifted",
    ]);
    if question || needing || (exercising && !ce_noun) {
        return false;
    }
    let completed = has(COMPLETED);
    has_amount || (completed && ce_noun)
}

/// Words that name continuing education.
const CE_NOUNS: &[&str] = &[
    "course",
    "courses",
    "workshop",
    "webinar",
    "seminar",
    "class",
    "training",
    "conference",
    "module",
    "lecture",
    "clinic",
    "ceu",
    "ceus",
    "certification",
    "specialization",
    "cert",
];

/// Words of what is still needed ("I still need 4 hours"): not a log.
const NEEDING: &[&str] = &[
    "need",
    "needs",
    "needed",
    "left",
    "remaining",
    "require",
    "required",
    "missing",
    "still",
];

/// Words of having completed something.
const COMPLETED: &[&str] = &[
    "completed",
    "complete",
    "finished",
    "finish",
    "did",
    "done",
    "attended",
    "took",
    "taken",
    "watched",
    "passed",
    "earned",
    "got",
    "went",
];

/// Whether the words correct something said before.
#[must_use]
pub fn correction(tokens: &[Token]) -> bool {
    let words: Vec<&str> = tokens
        .iter()
        .filter(|t| t.kind == Kind::Word)
        .map(|t| t.text.as_str())
        .collect();
    let pair = |a: &str, b: &str| words.windows(2).any(|w| w[0] == a && w[1] == b);
    words.iter().any(|w| {
        matches!(
            *w,
            "actually" | "not" | "wrong" | "oops" | "correction" | "instead" | "mistake" | "typo"
        )
    }) || pair("hold", "on")
        || pair("should", "be")
        || pair("i", "meant")
        || pair("wait", "no")
        || pair("sorry", "it")
        || words
            .first()
            .is_some_and(|w| matches!(*w, "no" | "wait" | "sorry"))
}

/// Question words that make a message a question even with "log" in it ("how do I log").
const WH_WORDS: &[&str] = &[
    "how", "what", "what's", "whats", "when", "where", "why", "who", "which",
];

const QUESTION_STARTS: &[&str] = &[
    "how", "what", "what's", "whats", "when", "where", "why", "who", "which", "can", "could", "do",
    "does", "is", "are", "should", "would", "will", "if", "may",
];

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    #[test]
    fn provider_forms() {
        let cases = [
            ("NASM course", Some(Provider::Nasm)),
            ("from NASM", Some(Provider::Nasm)),
            ("nasm's nutrition course", Some(Provider::Nasm)),
            ("it was category A", Some(Provider::Nasm)),
            ("approved provider", Some(Provider::Approved)),
            ("it's approved", Some(Provider::Approved)),
            ("NASM-approved provider", Some(Provider::Approved)),
            ("not approved", Some(Provider::Petition)),
            ("not preapproved", Some(Provider::Petition)),
            ("not pre-approved", Some(Provider::Petition)),
            ("non-approved provider", Some(Provider::Petition)),
            ("unapproved", Some(Provider::Petition)),
            ("I'll petition it", Some(Provider::Petition)),
            (
                "the provider is not NASM approved",
                Some(Provider::Petition),
            ),
            ("some course", None),
        ];
        for (text, want) in cases {
            assert_eq!(provider(&tokenize(text)), want, "{text}");
        }
    }

    #[test]
    fn title_forms() {
        let cases = [
            (
                "finished 'Fueling Performance' yesterday",
                Some("Fueling Performance"),
            ),
            (
                "took “Behavior Change Essentials” (5 hrs)",
                Some("Behavior Change Essentials"),
            ),
            (
                "a course called Intro to Supplements yesterday, 4h",
                Some("Intro to Supplements"),
            ),
            (
                "titled Kettlebell Basics, 3 hours",
                Some("Kettlebell Basics"),
            ),
            (
                "named Strength and Power 4 hours",
                Some("Strength and Power"),
            ),
            ("the trainer's course didn't count", None),
            ("did 4 hours of nutrition", None),
        ];
        for (text, want) in cases {
            assert_eq!(title(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn logging_versus_asking() {
        let cases = [
            ("how many CEUs is a 10 hour course?", false, true),
            ("what is a CEU", false, false),
            ("can you log 2 hours of nutrition?", true, true),
            ("did a 45 minute webinar today", true, true),
            ("I completed the nutrition course", true, false),
            ("I still need 4 hours", false, true),
            ("hello there", false, false),
            ("how do I log 2 hours?", false, true),
            ("worked out for 2 hours yesterday", false, true),
            ("5 hrs exercise technique workshop", true, true),
        ];
        for (text, want, has_amount) in cases {
            assert_eq!(looks_like_log(&tokenize(text), has_amount), want, "{text}");
        }
    }
}
