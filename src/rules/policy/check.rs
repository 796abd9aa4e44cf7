//! Checks a parsed policy for values that parse but make no sense (a zero CEU
//! requirement, a late period longer than the final deadline, duplicate reminder days),
//! and turns any problem into an error naming the file, the line and the field.

use std::collections::HashSet;

use super::{Policy, PolicyError, Source};
use crate::rules::units::Cents;

/// A value that parsed but is not usable: the dotted field (`fees.late`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Finding {
    pub field: String,
    pub message: String,
}

type Check = Result<(), Finding>;

fn ensure(ok: bool, field: &str, message: impl Into<String>) -> Check {
    if ok {
        Ok(())
    } else {
        Err(Finding {
            field: field.to_string(),
            message: message.into(),
        })
    }
}

/// The facts the bot states, each of which must name its source in `[sources]`.
pub const FACTS: [&str; 18] = [
    "certification.cycle_months",
    "certification.required_ceus",
    "certification.late_fee_days",
    "certification.final_deadline_months",
    "certification.completion_grace_days",
    "certification.max_course_hours",
    "fees.recertification",
    "fees.late",
    "fees.additional",
    "fees.petition",
    "fees.recertify_for_life",
    "fees.late_fees_apply_to_members",
    "contact.phone",
    "hours.week",
    "hours.closed_dates",
    "audit.window_days",
    "application.steps",
    "application.after_applying",
];

/// Every rule the numbers must satisfy; the first one broken is reported.
pub(super) fn validate(p: &Policy) -> Check {
    certification(p)?;
    fees(p)?;
    sources(p)?;
    ensure(
        !p.application.steps.is_empty() && p.application.steps.iter().all(|s| !s.trim().is_empty()),
        "application.steps",
        "list at least one step, and no empty ones",
    )?;
    ensure(
        !p.application.after_applying.trim().is_empty(),
        "application.after_applying",
        "must say what happens after applying",
    )?;
    ensure(
        p.contact.phone.chars().any(|c| c.is_ascii_digit()),
        "contact.phone",
        "must be a phone number (it is empty or has no digits)",
    )?;
    ensure(
        p.handoff.unclaimed_minutes > 0,
        "handoff.unclaimed_minutes",
        "must be at least 1",
    )?;
    ensure(
        p.audit.window_days > 0,
        "audit.window_days",
        "must be at least 1",
    )?;
    reminders(p)?;
    ensure(
        p.retention.transcript_days > 0,
        "retention.transcript_days",
        "must be at least 1",
    )
}

fn certification(p: &Policy) -> Check {
    let c = &p.certification;
    ensure(
        (1..=120).contains(&c.cycle_months),
        "certification.cycle_months",
        "must be between 1 and 120 months",
    )?;
    ensure(
        !c.required_ceus.is_zero(),
        "certification.required_ceus",
        "must be more than zero",
    )?;
    ensure(
        c.late_fee_days > 0,
        "certification.late_fee_days",
        "must be at least 1",
    )?;
    ensure(
        (1..=120).contains(&c.final_deadline_months),
        "certification.final_deadline_months",
        "must be between 1 and 120 months",
    )?;
    ensure(
        c.late_fee_days < shortest_final_span(c.final_deadline_months),
        "certification.final_deadline_months",
        format!(
            "must end later than late_fee_days ({}) after expiration, got {} months",
            c.late_fee_days, c.final_deadline_months
        ),
    )?;
    ensure(
        c.completion_grace_days < shortest_final_span(c.final_deadline_months),
        "certification.completion_grace_days",
        "must end before the final deadline",
    )?;
    ensure(
        c.max_course_hours > 0,
        "certification.max_course_hours",
        "must be at least 1",
    )
}

/// The fewest days `months` calendar months can span (28 per month, minus the day the
/// last day is before the anniversary).
const fn shortest_final_span(months: u32) -> u32 {
    months.saturating_mul(28).saturating_sub(1)
}

/// Every fact names a known source, and no source names a field that does not exist.
fn sources(p: &Policy) -> Check {
    for fact in FACTS {
        ensure(
            p.sources.contains_key(fact),
            &format!("sources.{fact}"),
            "must name where this fact comes from: seed, guidelines, organisation, third_party or bot",
        )?;
    }
    for (field, source) in &p.sources {
        let at = format!("sources.{field}");
        ensure(
            FACTS.contains(&field.as_str()),
            &at,
            format!("is not a fact of this policy (known: {})", FACTS.join(", ")),
        )?;
        // The bot's own limit is worded as its own, never as an NASM rule.
        let own_limit = field == "certification.max_course_hours";
        ensure(
            own_limit == (*source == Source::Bot),
            &at,
            if own_limit {
                "is the bot's own limit: its source is `bot`"
            } else {
                "is stated as a fact about recertification: name the document it comes from, not `bot`"
            },
        )?;
    }
    Ok(())
}

fn fees(p: &Policy) -> Check {
    let f = &p.fees;
    let all: [(&str, Cents); 5] = [
        ("fees.recertification", f.recertification),
        ("fees.late", f.late),
        ("fees.additional", f.additional),
        ("fees.petition", f.petition),
        ("fees.recertify_for_life", f.recertify_for_life),
    ];
    for (field, amount) in all {
        ensure(amount >= Cents::ZERO, field, "must not be negative")?;
    }
    Ok(())
}

fn reminders(p: &Policy) -> Check {
    let r = &p.reminders;
    let c = &p.certification;
    let cycle_days = c.cycle_months.saturating_mul(31);
    day_list(
        &r.days_before_expiration,
        "reminders.days_before_expiration",
        cycle_days,
    )?;
    day_list(&r.cpr_days_before, "reminders.cpr_days_before", cycle_days)?;
    day_list(
        &r.audit_days_before_deadline,
        "reminders.audit_days_before_deadline",
        p.audit.window_days,
    )?;
    ensure(
        (1..=c.late_fee_days).contains(&r.late_fee_days_after),
        "reminders.late_fee_days_after",
        format!("must be between 1 and late_fee_days ({})", c.late_fee_days),
    )?;
    let late_span = shortest_final_span(c.final_deadline_months) - c.late_fee_days;
    ensure(
        r.apply_now_days_before <= cycle_days,
        "reminders.apply_now_days_before",
        format!("must be at most {cycle_days} days"),
    )?;
    ensure(
        r.additional_fee_warning_days <= c.late_fee_days,
        "reminders.additional_fee_warning_days",
        format!("must be at most late_fee_days ({})", c.late_fee_days),
    )?;
    ensure(
        r.final_deadline_warning_days < late_span,
        "reminders.final_deadline_warning_days",
        format!(
            "must be less than the days from the late fee's end to the final deadline ({late_span})"
        ),
    )?;
    ensure(
        r.sweep_interval_seconds > 0,
        "reminders.sweep_interval_seconds",
        "must be at least 1",
    )
}

/// Reminder offsets: each from 1 to `max` days, no day twice (a day's key must be unique
/// for exactly-once sending).
fn day_list(days: &[u32], field: &str, max: u32) -> Check {
    let mut seen = HashSet::new();
    for d in days {
        ensure(
            (1..=max).contains(d),
            field,
            format!("{d} is out of range: each must be between 1 and {max} days"),
        )?;
        ensure(seen.insert(*d), field, format!("{d} appears twice"))?;
    }
    Ok(())
}

/// A TOML or type error, located by the parser's span and named by the field path.
pub(super) fn parse_error(
    file: &str,
    text: &str,
    e: &serde_path_to_error::Error<toml::de::Error>,
) -> PolicyError {
    let inner = e.inner();
    let message = inner.message().trim().to_string();
    let mut field = e.path().to_string();
    if field == "." || field == "?" {
        field.clear();
    }
    if let Some(missing) = quoted_after(&message, "missing field `") {
        field = join(&field, missing);
    }
    let line = inner
        .span()
        .map(|s| line_of(text, s.start))
        .unwrap_or_else(|| locate(text, &field));
    PolicyError {
        file: file.to_string(),
        line,
        field,
        message,
    }
}

/// A validation problem, located by finding the field's key in the text.
pub(super) fn invalid(file: &str, text: &str, p: Finding) -> PolicyError {
    PolicyError {
        file: file.to_string(),
        line: locate(text, &p.field),
        field: p.field,
        message: p.message,
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next()
}

/// The 1-based line holding byte `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The line of `table.key` in the text: the key's line inside its `[table]`, else the
/// table header's line, else 0.
fn locate(text: &str, field: &str) -> usize {
    let field = field.split('[').next().unwrap_or(field);
    let (table, key) = field.split_once('.').unwrap_or(("", field));
    let mut current = "";
    let mut header = 0;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
            current = name.trim();
            if current == table {
                header = i + 1;
            }
            continue;
        }
        let assigned = line
            .split_once('=')
            .map(|(k, _)| k.trim().trim_matches('"'));
        if current == table && assigned == Some(key) {
            return i + 1;
        }
    }
    header
}
