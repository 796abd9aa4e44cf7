//! Several courses in one message: "2 hrs of nutrition on nov 1 and a 3 hour assessment
//! workshop yesterday" is two courses, "two courses, 3 hrs each" two of the same. Each
//! becomes its own [`Extracted`]; a detail said once for all (a shared date or
//! provider) goes to every course that lacks one. Two amounts that are not two courses
//! ("2 hours or 3 hours") stay one reading, a contradiction the dialogue asks about.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Extracted;
use super::tokens::{Kind, Token, tokenize};

/// The most courses read from one message.
pub const MAX_COURSES: usize = 6;

/// The courses in `text`: one [`Extracted`] each, or the whole message as one.
#[must_use]
pub fn courses(text: &str, now: DateTime<Utc>, tz: Tz) -> Vec<Extracted> {
    let whole = super::extract(text, now, tz);
    if let Some(n) = each_count(&tokenize(text))
        && whole.amounts.len() == 1
    {
        return vec![whole; n];
    }
    if whole.amounts.len() < 2 {
        return vec![whole];
    }
    let parts = segments(text);
    let mut each: Vec<Extracted> = parts.iter().map(|p| super::extract(p, now, tz)).collect();
    let separate = (2..=MAX_COURSES).contains(&each.len())
        && each.iter().zip(&parts).all(|(e, p)| {
            e.amounts.len() == 1 && (e.area.is_some() || names_a_course(p)) && !unsure(p)
        });
    if !separate {
        return vec![whole];
    }
    let dates = each.iter().filter(|e| e.date.is_some()).count();
    let providers = each.iter().filter(|e| e.provider.is_some()).count();
    for e in &mut each {
        if dates == 1 && e.date.is_none() {
            e.date.clone_from(&whole.date);
        }
        if providers == 1 && e.provider.is_none() {
            e.provider = whole.provider;
        }
    }
    each
}

/// "two courses, 3 hrs each", "3 workshops of 2 hours each": how many.
fn each_count(tokens: &[Token]) -> Option<usize> {
    if !tokens
        .iter()
        .any(|t| t.is_word("each") || t.is_word("apiece"))
    {
        return None;
    }
    // the count, then the course noun within three words ("two nutrition courses")
    (0..tokens.len()).find_map(|i| {
        let w = &tokens[i..];
        let n = match w[0].text.as_str() {
            "two" | "both" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            _ => usize::try_from(w[0].int()?).ok()?,
        };
        let noun = w
            .iter()
            .skip(1)
            .take(3)
            .any(|t| COURSE_NOUNS.contains(&t.text.as_str()));
        (noun && (2..=MAX_COURSES).contains(&n)).then_some(n)
    })
}

/// The message cut at commas, semicolons, new lines, "and", "also", "plus", "then";
/// a piece without an amount joins the piece before it (or after, when first).
fn segments(text: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_inclusive(|c: char| c.is_whitespace() || ",;\n".contains(c)) {
        let bare = word.trim_matches(|c: char| c.is_whitespace() || ",;".contains(c));
        let cut_before = matches!(
            bare.to_lowercase().as_str(),
            "and" | "also" | "plus" | "then" | "&"
        );
        if cut_before && !current.trim().is_empty() {
            pieces.push(std::mem::take(&mut current));
        }
        current.push_str(word);
        if word.ends_with([',', ';', '\n']) {
            pieces.push(std::mem::take(&mut current));
        }
    }
    pieces.push(current);
    let mut merged: Vec<String> = Vec::new();
    let mut carry = String::new();
    for p in pieces.into_iter().filter(|p| !p.trim().is_empty()) {
        let has_amount = !super::amount::amounts(&tokenize(&p)).is_empty();
        match merged.last_mut() {
            Some(last) if !has_amount => last.push_str(&p),
            _ if !has_amount => carry.push_str(&p),
            _ => merged.push(std::mem::take(&mut carry) + &p),
        }
    }
    merged
}

const COURSE_NOUNS: &[&str] = &[
    "course",
    "courses",
    "workshop",
    "workshops",
    "webinar",
    "webinars",
    "seminar",
    "seminars",
    "class",
    "classes",
    "clinic",
    "clinics",
    "module",
    "modules",
    "lecture",
    "lectures",
    "training",
    "trainings",
    "conference",
    "conferences",
    "session",
    "sessions",
];

fn names_a_course(piece: &str) -> bool {
    tokenize(piece)
        .iter()
        .any(|t| t.kind == Kind::Word && COURSE_NOUNS.contains(&t.text.as_str()))
}

/// A piece that hedges or corrects ("maybe 3 hours", "or 3", "actually 3"): the amounts
/// are one course in doubt, not two courses.
fn unsure(piece: &str) -> bool {
    tokenize(piece).iter().any(|t| {
        matches!(
            t.text.as_str(),
            "or" | "maybe" | "actually" | "not" | "no" | "wait" | "sorry" | "mean" | "either"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Extracted> {
        let now = "2026-11-23T18:00:00Z".parse().unwrap();
        courses(text, now, chrono_tz::America::Los_Angeles)
    }

    fn minutes(e: &Extracted) -> u32 {
        match e.amounts.as_slice() {
            [crate::conversation::extract::AmountMention::Amount(c)] => c.minutes(),
            _ => 0,
        }
    }

    #[test]
    fn several_courses_each_get_their_own_details() {
        let got = read(
            "did a 2 hr nutrition webinar on nov 1, a 3 hour assessment workshop nov 5 and 4 hrs of program design yesterday",
        );
        assert_eq!(got.iter().map(minutes).collect::<Vec<_>>(), [120, 180, 240]);
        assert!(got.iter().all(|e| e.area.is_some() && e.date.is_some()));
        let got = read("two courses, 3 hrs each");
        assert_eq!(got.iter().map(minutes).collect::<Vec<_>>(), [180, 180]);
    }

    #[test]
    fn a_detail_said_once_goes_to_every_course() {
        let got = read("2 hrs nutrition and 3 hrs assessment yesterday from NASM");
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|e| e.date.is_some() && e.provider.is_some()));
    }

    #[test]
    fn doubts_and_one_amount_stay_one_course() {
        for text in [
            "2 hours or 3 hours of nutrition",
            "did 2 hours of nutrition, maybe 3 hours",
            "2 hrs and 15 min of nutrition",
            "4 hours (0.4 CEUs) nutrition workshop",
            "did a 4 hour nutrition workshop yesterday",
        ] {
            assert_eq!(read(text).len(), 1, "{text}");
        }
    }
}
