//! A message split into the requests it makes ("log this and how do I upload the
//! certificate" is a log and a question), each classified; the parts' readings are kept
//! when each is confident (a statement, more often a story's background, needs more) and
//! the whole message's reading is among them or the whole message reads unsure.

use super::{Expecting, Guess, Label, Understanding};

/// A part's reading counts as a request of its own at this confidence when the part asks
/// something (a question, "can you…", "please…")…
const ASKING_CONFIDENCE: f32 = 0.55;
/// …and at this one when it is a statement, which in a story is more often background.
const TELLING_CONFIDENCE: f32 = 0.8;
/// Below this confidence in the whole message, its confident parts are its reading.
const WHOLE_UNSURE: f32 = 0.45;
/// Words that start a new request after a comma or "and".
const OPENERS: &[&str] = &[
    "how", "what", "whats", "when", "where", "which", "who", "why", "can", "could", "would",
    "will", "do", "does", "did", "is", "are", "am", "should", "please", "pls", "tell", "send",
    "stop", "add", "log", "delete", "remove", "also", "then", "and", "plus", "btw", "i", "im",
    "my", "let", "give", "show", "turn", "put", "record",
];
/// One-word replies that are a request of their own before a comma ("yes, and stop
/// the reminders").
const REPLIES: &[&str] = &[
    "yes", "yep", "yeah", "yup", "ok", "okay", "sure", "correct", "right", "perfect", "no", "nope",
    "nah", "thanks", "cool", "great",
];
/// Words that join two requests.
const JOINS: &[&str] = &["and", "also", "then", "plus", "btw", "but"];

/// The message's parts: sentences, and clauses joined by "and", "also", "then" or a
/// comma when the next one opens like a request.
#[must_use]
pub fn split(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for sentence in sentences(text) {
        let words: Vec<&str> = sentence.split_whitespace().collect();
        let mut current: Vec<&str> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let word = bare(w);
            let next = words.get(i + 1).map(|n| bare(n));
            let joins = JOINS.contains(&word.as_str())
                && next.as_deref().is_some_and(|n| OPENERS.contains(&n))
                && current.len() >= 2
                && words.len() - i > 3;
            let reply = current.len() == 1 && REPLIES.contains(&bare(current[0]).as_str());
            let comma = (current.len() >= 2 || reply)
                && current.last().is_some_and(|p| p.ends_with(','))
                && OPENERS.contains(&word.as_str())
                && words.len() - i >= 3;
            if joins || comma {
                parts.push(current.join(" "));
                current.clear();
                if joins {
                    continue;
                }
            }
            current.push(w);
        }
        if !current.is_empty() {
            parts.push(current.join(" "));
        }
    }
    parts
}

/// Whether a part asks something: a question, or a clause opening with a request word
/// ("can you…", "please…", "tell me…"), as against a statement.
fn asks(part: &str) -> bool {
    part.trim_end().ends_with('?')
        || part.split_whitespace().next().is_some_and(|w| {
            OPENERS.contains(&bare(w).as_str()) && !matches!(bare(w).as_str(), "i" | "im" | "my")
        })
}

fn bare(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Sentences: text up to `.`, `?`, `!`, `;` or a line break (a point inside a number
/// stays).
fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let end = match c {
            '?' | '!' | ';' | '\n' => true,
            '.' => !chars.get(i + 1).is_some_and(char::is_ascii_alphanumeric),
            _ => false,
        };
        current.push(c);
        if end && current.trim().chars().any(char::is_alphanumeric) {
            out.push(std::mem::take(&mut current).trim().to_string());
        }
    }
    if current
        .trim()
        .chars()
        .any(|c| c.is_alphanumeric() || !c.is_ascii())
    {
        out.push(current.trim().to_string());
    } else if let Some(last) = out.last_mut() {
        last.push_str(current.trim());
    }
    out
}

impl Understanding {
    /// The requests of `text` in the order made, each with its confidence: one per part
    /// when the parts read confidently as different requests, else the whole message's
    /// best reading.
    #[must_use]
    pub fn requests(&self, text: &str, expecting: Expecting) -> Vec<Guess> {
        let ranking = self.classify(text, expecting);
        let Some(whole) = ranking.first().cloned() else {
            return vec![Guess {
                label: Label::Other,
                confidence: 0.0,
            }];
        };
        let parts = split(text);
        if parts.len() < 2 {
            return vec![whole];
        }
        let mut found: Vec<Guess> = Vec::new();
        for part in &parts {
            // Digits and punctuation alone ask nothing ("9999 .", "--").
            if part
                .chars()
                .all(|c| c.is_ascii() && !c.is_ascii_alphabetic())
            {
                continue;
            }
            let Some(g) = self.classify_part(part, expecting).into_iter().next() else {
                continue;
            };
            let bar = if asks(part) {
                ASKING_CONFIDENCE
            } else {
                TELLING_CONFIDENCE
            };
            if g.confidence < bar || matches!(g.label, Label::Other | Label::Background) {
                continue;
            }
            if !found.iter().any(|f| f.label == g.label) {
                found.push(g);
            }
        }
        let several = found.len() >= 2 && found.iter().any(|f| f.label == whole.label);
        let unsure = whole.confidence < WHOLE_UNSURE && !found.is_empty();
        if several || unsure {
            found
        } else {
            vec![whole]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences_and_joined_requests() {
        assert_eq!(
            split("Log 2 hours of nutrition from yesterday and tell me how many I have left"),
            [
                "Log 2 hours of nutrition from yesterday",
                "tell me how many I have left"
            ]
        );
        assert_eq!(
            split("My cert expires June 30 2027. What do I need in total?"),
            ["My cert expires June 30 2027.", "What do I need in total?"]
        );
        assert_eq!(split("it was 0.5 ceus"), ["it was 0.5 ceus"]);
        assert_eq!(split("👍"), ["👍"]);
    }
}
