//! A message split into the requests it makes ("log this and how do I upload the
//! certificate" is a log and a question), each classified; the parts' readings are kept
//! only when each is confident and the whole message's reading is among them.

use super::{Expecting, Guess, Label, Understanding};

/// A part's reading counts as a request of its own at this confidence.
const PART_CONFIDENCE: f32 = 0.55;
/// Words that start a new request after a comma or "and".
const OPENERS: &[&str] = &[
    "how", "what", "whats", "when", "where", "which", "who", "why", "can", "could", "would",
    "will", "do", "does", "did", "is", "are", "am", "should", "please", "pls", "tell", "send",
    "stop", "add", "log", "delete", "remove", "also", "then", "and", "plus", "btw", "i", "im",
    "my", "let", "give", "show", "turn", "put", "record",
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
            let comma = current.len() >= 2
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
        let whole = self.best(text, expecting);
        let parts = split(text);
        if parts.len() < 2 {
            return vec![whole];
        }
        let mut found: Vec<Guess> = Vec::new();
        for part in &parts {
            let g = self.best(part, expecting);
            if g.confidence < PART_CONFIDENCE || g.label == Label::Other {
                continue;
            }
            if !found.iter().any(|f| f.label == g.label) {
                found.push(g);
            }
        }
        if found.len() >= 2 && found.iter().any(|f| f.label == whole.label) {
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
