//! Amounts of continuing education in a message: "4 hrs", "90 min", "1 hour 30
//! minutes", "an hour and a half", "0.7 CEUs", "10-hour course", "two hours".
//!
//! Only a number followed by a unit is an amount, so dates and years never are.

use super::AmountMention;
use super::tokens::{Kind, Token};
use crate::rules::Ceu;
use crate::rules::units::UnitError;

/// The unit an amount is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Hours,
    Minutes,
    Ceus,
    /// "3 credits", "3 semester credits": neither hours nor CEUs.
    Credits,
}

/// A number as written, kept as decimal text so the unit conversion stays exact.
#[derive(Debug, Clone)]
struct Quantity {
    text: String,
    negative: bool,
}

/// Every distinct amount in `tokens`, in order.
#[must_use]
pub fn amounts(tokens: &[Token]) -> Vec<AmountMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match amount_at(tokens, i) {
            Some((mention, next)) => {
                // "2 hours not 5 hours": the amount after "not" is the one corrected.
                let corrected = i > 0 && tokens[i - 1].is_word("not");
                if let Some(m) = mention
                    && !corrected
                    && !out.contains(&m)
                {
                    out.push(m);
                }
                i = next;
            }
            None => i += 1,
        }
    }
    out
}

/// The amount starting at token `i` and the index after it; `Some((None, next))` for a
/// span to skip ("2 hours ago" is a time, not an amount).
fn amount_at(tokens: &[Token], i: usize) -> Option<(Option<AmountMention>, usize)> {
    labelled_at(tokens, i).or_else(|| counted_at(tokens, i))
}

/// A unit then a colon then a number: "CEUs: 0.6", "hours: 3".
fn labelled_at(tokens: &[Token], i: usize) -> Option<(Option<AmountMention>, usize)> {
    let (unit, j) = unit_at(tokens, i).filter(|_| tokens[i].kind == Kind::Word)?;
    if !tokens.get(j).is_some_and(|t| t.is_sym(':')) {
        return None;
    }
    let (qty, next) = quantity(tokens, j + 1)?;
    Some((Some(mention_in(&qty, convert(&qty.text, unit), unit)), next))
}

fn mention(qty: &Quantity, total: Result<Ceu, UnitError>) -> AmountMention {
    mention_in(qty, total, Unit::Hours)
}

fn mention_in(qty: &Quantity, total: Result<Ceu, UnitError>, unit: Unit) -> AmountMention {
    match total {
        _ if unit == Unit::Credits => AmountMention::Credits,
        _ if qty.negative => AmountMention::Negative,
        Ok(c) if c.is_zero() => AmountMention::Zero,
        Ok(c) => AmountMention::Amount(c),
        Err(_) => AmountMention::Unreadable,
    }
}

/// A number then a unit: "4 hrs", "an hour and a half", "1 hour 30 minutes".
fn counted_at(tokens: &[Token], i: usize) -> Option<(Option<AmountMention>, usize)> {
    let (qty, j) = quantity(tokens, i)?;
    let (qty, j) = and_a_half(tokens, qty, j);
    let (unit, j) = unit_at(tokens, j)?;
    if tokens.get(j).is_some_and(|t| t.is_word("ago")) {
        return Some((None, j + 1));
    }
    let (qty, mut j) = and_a_half(tokens, qty, j);
    if unit == Unit::Credits {
        return Some((Some(mention_in(&qty, Ok(Ceu::ZERO), unit)), j));
    }
    let mut total = convert(&qty.text, unit);
    if unit == Unit::Hours
        && let Some((extra, next)) = trailing_minutes(tokens, j)
    {
        total = total.and_then(|h| extra.map(|m| h + m));
        j = next;
    }
    Some((Some(mention(&qty, total)), j))
}

/// The minutes after an hour count: "1 hour 30 minutes", "1h30", "2 hrs and 15 min".
fn trailing_minutes(tokens: &[Token], mut j: usize) -> Option<(Result<Ceu, UnitError>, usize)> {
    if tokens
        .get(j)
        .is_some_and(|t| t.is_word("and") || t.is_sym(','))
    {
        j += 1;
    }
    let t = tokens.get(j)?;
    let glued_bare =
        t.glued && t.kind == Kind::Num && tokens.get(j - 1).is_some_and(|p| p.kind == Kind::Word);
    let (qty, k) = quantity(tokens, j)?;
    match unit_at(tokens, k) {
        Some((Unit::Minutes, next)) => Some((convert(&qty.text, Unit::Minutes), next)),
        None if glued_bare => Some((convert(&qty.text, Unit::Minutes), k)),
        _ => None,
    }
}

fn convert(text: &str, unit: Unit) -> Result<Ceu, UnitError> {
    match unit {
        Unit::Hours => Ceu::parse_hours(text),
        Unit::Ceus | Unit::Credits => Ceu::parse_ceus(text),
        // whole minutes: the same exact scaling, by 1/60 of an hour
        Unit::Minutes => {
            let hours = Ceu::parse_hours(text)?;
            let minutes = hours.minutes() / 60;
            if hours.minutes().is_multiple_of(60) {
                Ok(Ceu::from_minutes(minutes))
            } else {
                Err(UnitError::TooPrecise(text.to_string()))
            }
        }
    }
}

/// A number at `i`: a sign, digits, a fraction, a number word, "a"/"an", "half".
fn quantity(tokens: &[Token], i: usize) -> Option<(Quantity, usize)> {
    let t = tokens.get(i)?;
    let negative_sym = t.is_sym('-')
        && (i == 0 || !t.glued || tokens[i - 1].kind == Kind::Sym)
        && tokens
            .get(i + 1)
            .is_some_and(|n| n.kind == Kind::Num && n.glued);
    if negative_sym || t.is_word("minus") || t.is_word("negative") {
        let (mut q, next) = unsigned(tokens, i + 1)?;
        q.negative = true;
        return Some((q, next));
    }
    unsigned(tokens, i)
}

fn unsigned(tokens: &[Token], i: usize) -> Option<(Quantity, usize)> {
    let t = tokens.get(i)?;
    let plain = |text: String, next| {
        Some((
            Quantity {
                text,
                negative: false,
            },
            next,
        ))
    };
    if t.kind == Kind::Num {
        if let Some((frac, next)) = fraction(tokens, i) {
            return plain(frac.to_string(), next);
        }
        if !t.text.contains('.')
            && let Some((frac, next)) = fraction(tokens, i + 1)
        {
            return plain(format!("{}{}", t.text, frac.trim_start_matches('0')), next);
        }
        return plain(t.text.clone(), i + 1);
    }
    if t.kind != Kind::Word {
        return None;
    }
    if let Some(n) = number_word(&t.text) {
        let unit = tokens
            .get(i + 1)
            .and_then(|n| number_word(&n.text))
            .filter(|u| *u < 10);
        let skip_dash = usize::from(tokens.get(i + 1).is_some_and(|n| n.is_sym('-')));
        let unit_after_dash = tokens
            .get(i + 1 + skip_dash)
            .and_then(|n| number_word(&n.text));
        return match (unit, unit_after_dash) {
            (Some(u), _) if (20..100).contains(&n) => plain((n + u).to_string(), i + 2),
            (_, Some(u)) if skip_dash == 1 && (20..100).contains(&n) && u < 10 => {
                plain((n + u).to_string(), i + 3)
            }
            _ => plain(n.to_string(), i + 1),
        };
    }
    match t.text.as_str() {
        "a" | "an" | "one" if tokens.get(i + 1).is_some_and(|n| n.is_word("half")) => {
            plain("0.5".into(), i + 2)
        }
        "a" | "an" => plain("1".into(), i + 1),
        "half" => {
            let skip = usize::from(
                tokens
                    .get(i + 1)
                    .is_some_and(|n| n.is_word("a") || n.is_word("an")),
            );
            plain("0.5".into(), i + 1 + skip)
        }
        _ => None,
    }
}

/// "1/2", "1/4", "3/4" written with a slash, as a decimal.
fn fraction(tokens: &[Token], i: usize) -> Option<(&'static str, usize)> {
    let (a, s, b) = (tokens.get(i)?, tokens.get(i + 1)?, tokens.get(i + 2)?);
    if !(s.is_sym('/') && s.glued && b.glued) {
        return None;
    }
    let value = match (a.int()?, b.int()?) {
        (1, 2) => "0.5",
        (1, 4) => "0.25",
        (3, 4) => "0.75",
        _ => return None,
    };
    Some((value, i + 3))
}

/// "and a half" after a whole number adds one half: "one and a half hours".
fn and_a_half(tokens: &[Token], mut qty: Quantity, i: usize) -> (Quantity, usize) {
    let words = ["and", "a", "half"];
    let matched = words
        .iter()
        .enumerate()
        .all(|(k, w)| tokens.get(i + k).is_some_and(|t| t.is_word(w)));
    if matched && !qty.text.contains('.') {
        qty.text.push_str(".5");
        return (qty, i + 3);
    }
    (qty, i)
}

/// The unit at `i`, after an optional joining dash ("10-hour") or "contact"/"clock".
fn unit_at(tokens: &[Token], mut i: usize) -> Option<(Unit, usize)> {
    if tokens.get(i).is_some_and(|t| t.is_sym('-') && t.glued) {
        i += 1;
    }
    if tokens
        .get(i)
        .is_some_and(|t| t.is_word("contact") || t.is_word("clock") || t.is_word("full"))
    {
        i += 1;
    }
    if let Some(credits) = credits_at(tokens, i) {
        return Some(credits);
    }
    let t = tokens.get(i)?;
    if t.kind != Kind::Word {
        return None;
    }
    let unit = match t.text.as_str() {
        "h" | "hr" | "hrs" | "hour" | "hours" | "hous" | "hors" | "horus" | "hurs" | "hrz"
        | "houres" | "hoursw" | "hrss" => Unit::Hours,
        "m" if t.glued => Unit::Minutes,
        "min" | "mins" | "minute" | "minutes" | "minuts" | "mintues" | "minites" | "mn" => {
            Unit::Minutes
        }
        "ceu" | "ceus" | "ce" | "ceuss" => Unit::Ceus,
        _ => return None,
    };
    let mut next = i + 1;
    if unit == Unit::Ceus
        && tokens.get(next).is_some_and(|t| {
            ["credit", "credits", "unit", "units", "ceu", "ceus"].contains(&t.text.as_str())
        })
    {
        next += 1;
    }
    Some((unit, next))
}

/// Credits at `i`: "2 continuing education credits" are CEUs; "3 credits", "3 semester
/// credits", "4 credit hours" are neither hours nor CEUs.
fn credits_at(tokens: &[Token], i: usize) -> Option<(Unit, usize)> {
    const CREDIT: &[&str] = &["credit", "credits", "cr"];
    const SCHOOL: &[&str] = &[
        "semester",
        "college",
        "academic",
        "university",
        "quarter",
        "school",
    ];
    let word = |k: usize, w: &[&str]| tokens.get(k).is_some_and(|t| w.contains(&t.text.as_str()));
    let hours_after = |k: usize| k + usize::from(word(k, &["hour", "hours"]));
    if word(i, &["continuing"]) && word(i + 1, &["education", "ed"]) {
        let next = i + 2 + usize::from(word(i + 2, &["credit", "credits", "units", "unit"]));
        return Some((Unit::Ceus, next));
    }
    if word(i, SCHOOL) && word(i + 1, CREDIT) {
        return Some((Unit::Credits, hours_after(i + 2)));
    }
    word(i, CREDIT).then(|| (Unit::Credits, hours_after(i + 1)))
}

/// The value of a number word from "zero" to "ninety".
fn number_word(w: &str) -> Option<u32> {
    const WORDS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [(&str, u32); 8] = [
        ("twenty", 20),
        ("thirty", 30),
        ("forty", 40),
        ("fifty", 50),
        ("sixty", 60),
        ("seventy", 70),
        ("eighty", 80),
        ("ninety", 90),
    ];
    if let Some(n) = WORDS.iter().position(|x| *x == w) {
        return u32::try_from(n).ok();
    }
    TENS.iter().find(|(x, _)| *x == w).map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn read(s: &str) -> Vec<AmountMention> {
        amounts(&tokenize(s))
    }

    fn mins(m: u32) -> AmountMention {
        AmountMention::Amount(Ceu::from_minutes(m))
    }

    #[test]
    fn reads_each_written_form() {
        let cases = [
            ("4 hours", 240),
            ("4h", 240),
            ("4 hrs", 240),
            ("4hr", 240),
            ("90 minutes", 90),
            ("90 min", 90),
            ("45 mins", 45),
            ("90m", 90),
            ("1.5 hours", 90),
            ("1 hour 30 minutes", 90),
            ("1h30", 90),
            ("2 hrs and 15 min", 135),
            ("an hour", 60),
            ("half an hour", 30),
            ("a half hour", 30),
            ("an hour and a half", 90),
            ("one and a half hours", 90),
            ("1/2 hour", 30),
            ("1 1/2 hours", 90),
            ("0.7 CEUs", 420),
            (".5 CEU", 300),
            ("0.8 ceus", 480),
            ("2 CEU", 1200),
            ("1.5 ce credits", 900),
            ("two hours", 120),
            ("three hours", 180),
            ("twelve hours", 720),
            ("twenty-five hours", 1500),
            ("10-hour course", 600),
            ("10 hour", 600),
            ("8 contact hours", 480),
            ("CEUs: 0.6", 360),
            ("1,5 hours", 90),
        ];
        for (text, minutes) in cases {
            assert_eq!(read(text), vec![mins(minutes)], "{text}");
        }
    }

    #[test]
    fn flags_zero_negative_and_unreadable() {
        let cases = [
            ("0 hours", AmountMention::Zero),
            ("zero hours", AmountMention::Zero),
            ("-2 hours", AmountMention::Negative),
            ("minus 2 hours", AmountMention::Negative),
            ("0.0001 CEU", AmountMention::Unreadable),
            ("90.5 minutes", AmountMention::Unreadable),
        ];
        for (text, want) in cases {
            assert_eq!(read(text), vec![want], "{text}");
        }
        for text in [
            "3 credit anatomy class",
            "3 semester credits",
            "a 3-credit class",
            "4 credit hours",
        ] {
            assert_eq!(read(text), vec![AmountMention::Credits], "{text}");
        }
        assert_eq!(read("2 continuing education credits"), vec![mins(1200)]);
        assert_eq!(read("2 hours not 5 hours"), vec![mins(120)]);
        let long = format!("{} hours", "9".repeat(400));
        assert_eq!(read(&long), vec![AmountMention::Unreadable]);
    }

    #[test]
    fn distinct_amounts_in_order() {
        assert_eq!(read("4 hours (0.4 CEUs)"), vec![mins(240)]);
        assert_eq!(read("2 hours or 3 hours"), vec![mins(120), mins(180)]);
        assert_eq!(read("4 hours, yes 4 hours"), vec![mins(240)]);
    }

    #[test]
    fn dates_years_and_times_are_not_amounts() {
        for text in [
            "11/20/2026",
            "Nov 16",
            "on the 10th",
            "in 2026",
            "2 hours ago",
            "a course",
        ] {
            assert!(read(text).is_empty(), "{text}");
        }
    }
}
