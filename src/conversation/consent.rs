//! Yes, no and cancel the way people say them: "yep", "looks good", "save it", "👍";
//! "nah", "ugh no nevermind", "forget that one", "wait no". A message counts as an
//! answer only when every word in it is one of these or a filler ("ugh", "hmm",
//! "please"); anything with content ("no, it's 2028") is not a bare yes or no.

/// Words that say yes.
const YES: &[&str] = &[
    "yes",
    "y",
    "ya",
    "yah",
    "yeah",
    "yea",
    "yep",
    "yup",
    "yeap",
    "yas",
    "yess",
    "ok",
    "okay",
    "okey",
    "k",
    "kk",
    "sure",
    "correct",
    "right",
    "confirm",
    "confirmed",
    "save",
    "perfect",
    "great",
    "good",
    "fine",
    "absolutely",
    "definitely",
    "exactly",
    "affirmative",
    "ahead",
    "accurate",
    "true",
    "👍",
    "✅",
    "👌",
    "✔",
    "🙌",
    "💯",
];

/// Words that say no (or cancel).
const NO: &[&str] = &[
    "no",
    "n",
    "nope",
    "nah",
    "naw",
    "nay",
    "cancel",
    "stop",
    "nevermind",
    "nvm",
    "never",
    "forget",
    "scrap",
    "scratch",
    "don't",
    "dont",
    "not",
    "wrong",
    "incorrect",
    "quit",
    "abort",
    "discard",
    "skip",
    "👎",
    "❌",
    "✖",
    "🚫",
];

/// Words that carry no answer of their own.
const FILLER: &[&str] = &[
    "ugh", "uh", "um", "umm", "ummm", "hmm", "hm", "hmmm", "oh", "ah", "well", "so", "please",
    "pls", "plz", "thanks", "thank", "you", "thx", "ty", "that", "that's", "thats", "it", "its",
    "it's", "one", "this", "entry", "the", "all", "is", "looks", "look", "sounds", "sound",
    "seems", "just", "wait", "hold", "on", "actually", "i", "mean", "think", "lol", "and", "but",
    "then", "thing", "go", "to", "me", "for", "now", "really", "very", "totally", "pretty", "much",
    "mind", "do", "oops", "sorry", "dude", "man", "yet", "be", "lgtm", "thanx", "sir", "maam",
    "haha", "a", "of", "course",
];

/// Yes (`Some(true)`), no or cancel (`Some(false)`), or neither (`None`: the message
/// says something else, or nothing).
#[must_use]
pub fn yes_no(text: &str) -> Option<bool> {
    let words = words(text);
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    if words.iter().any(|w| !known(w)) {
        return None;
    }
    let joined = words.join(" ");
    if matches!(
        joined.as_str(),
        "do it" | "go for it" | "of course" | "lgtm" | "all good" | "sounds good" | "looks good"
    ) {
        return Some(true);
    }
    if words.iter().any(|w| NO.contains(&w.as_str())) {
        return Some(false);
    }
    words
        .iter()
        .any(|w| YES.contains(&w.as_str()))
        .then_some(true)
}

fn known(w: &str) -> bool {
    YES.contains(&w) || NO.contains(&w) || FILLER.contains(&w)
}

/// Lower-case words, apostrophes straightened; each emoji its own word; skin tones and
/// variation selectors dropped; other punctuation splits words.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars().take(200) {
        let c = if matches!(c, '\u{2019}' | '\u{2018}' | '`') {
            '\''
        } else {
            c
        };
        if c.is_alphanumeric() || (c == '\'' && !word.is_empty()) {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word).trim_end_matches('\'').to_string());
        }
        let invisible = matches!(c, '\u{FE0F}' | '\u{200D}' | '\u{1F3FB}'..='\u{1F3FF}');
        if !c.is_ascii() && !c.is_whitespace() && !invisible && !c.is_alphanumeric() {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word.trim_end_matches('\'').to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_the_way_people_say_it() {
        for t in [
            "yes",
            "y",
            "ok",
            "correct",
            "yep",
            "yup",
            "yep save",
            "looks good",
            "save it",
            "sure",
            "👍",
            "👍🏽",
            "Yes please!",
            "yeah that's right",
            "ok 👍",
            "sounds good",
            "perfect, thanks",
            "do it",
            "save",
        ] {
            assert_eq!(yes_no(t), Some(true), "{t}");
        }
    }

    #[test]
    fn no_and_cancel_the_way_people_say_them() {
        for t in [
            "no",
            "n",
            "cancel",
            "nah",
            "ugh no nevermind",
            "forget that one",
            "wait no",
            "nope",
            "no thanks",
            "never mind",
            "scrap that",
            "don't save it",
            "not yet",
            "no that's wrong",
            "👎",
        ] {
            assert_eq!(yes_no(t), Some(false), "{t}");
        }
    }

    #[test]
    fn messages_with_content_are_neither() {
        for t in [
            "no thats wrong its 2028 not 2027",
            "actually 3 hours",
            "yes but the date is wrong",
            "wait",
            "hmm",
            "what's a petition?",
            "",
            "the date",
        ] {
            assert_eq!(yes_no(t), None, "{t}");
        }
    }
}
