//! Whether a message asks something: a question mark, a phrase that asks wherever it
//! stands, or a clause opening with a question word after fillers.

/// Words said before the question itself ("hey quick q, how many …").
const FILLERS: [&str; 14] = [
    "hey",
    "hi",
    "hello",
    "ok",
    "okay",
    "so",
    "um",
    "also",
    "and",
    "but",
    "btw",
    "quick q",
    "quick question",
    "question",
];

/// Words that ask when a clause opens with them.
const OPENINGS: [&str; 22] = [
    "what", "how", "when", "why", "where", "who", "which", "can i", "can you", "could", "do i",
    "do you", "does", "is it", "is there", "are", "should", "will", "would", "if i", "am i", "wat",
];

/// Phrases that ask something wherever they stand ("sorry dumb q but what even is").
const ANYWHERE: [&str; 22] = [
    "what is",
    "what's",
    "whats",
    "what are",
    "what do",
    "what does",
    "what even",
    "how do",
    "how does",
    "how many",
    "how much",
    "how long",
    "how often",
    "how r",
    "is there",
    "are there",
    "do i need",
    "can i",
    "should i",
    "will i",
    "where do",
    "where can",
];

/// A question, by a question mark, a phrase that asks wherever it stands, or a clause
/// that opens with a question word (after fillers: "hey quick q, how many …").
#[must_use]
pub fn looks_like_question(t: &str) -> bool {
    t.contains('?')
        || asks_anywhere(t)
        || t.split([',', '.', ';', '!', ':'])
            .any(|clause| opens_with_question(without_fillers(clause.trim())))
}

/// Whether one of the [`ANYWHERE`] phrases stands in `t` as whole words.
fn asks_anywhere(t: &str) -> bool {
    let padded = format!(" {t} ");
    ANYWHERE.iter().any(|p| padded.contains(&format!(" {p} ")))
}

/// `clause` after its leading [`FILLERS`].
fn without_fillers(mut clause: &str) -> &str {
    while let Some(f) = FILLERS
        .iter()
        .find(|f| clause.starts_with(*f) && clause[f.len()..].starts_with([' ', ',']))
    {
        clause = clause[f.len()..].trim_start_matches([' ', ',']);
    }
    clause
}

/// Whether `clause` opens with one of the [`OPENINGS`] as whole words.
fn opens_with_question(clause: &str) -> bool {
    OPENINGS.iter().any(|w| {
        clause.starts_with(w)
            && clause[w.len()..]
                .chars()
                .next()
                .is_none_or(|n| !n.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::intent::normalize;
    #[test]
    fn questions_are_recognised_wherever_the_question_is() {
        let questions = [
            "sorry dumb q but what even is a ceu",
            "hey quick q, how many ceus do i get for a 3 hr workshop",
            "ok so do i need cpr",
            "what's a petition",
            "is it too late if my cert lapsed",
        ];
        for q in questions {
            assert!(looks_like_question(&normalize(q)), "{q}");
        }
        let statements = [
            "did a 4 hour nutrition workshop yesterday",
            "finished my cpr renewal course today",
            "log 2 hours of program design",
            "my certification expires March 15, 2027",
        ];
        for s in statements {
            assert!(!looks_like_question(&normalize(s)), "{s}");
        }
    }
}
