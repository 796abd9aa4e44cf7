//! The policy: every number the rules use (fees, cycle, grace periods, advisor hours,
//! reminder offsets) and the application steps, loaded from TOML so the support team can
//! change them without a rebuild. The binary embeds `faq/policy.toml` as the default.
//!
//! Loading parses, then validates (see `check`): a policy that loads is one the rules can
//! use, and every fact in it names its source (`[sources]`, see [`Source`]). Any error
//! names the file, the line and the dotted field (`fees.late`).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer};

use super::units::{Cents, Ceu};

mod check;
#[cfg(test)]
mod tests;

/// The default policy, compiled in from `faq/policy.toml`.
pub const EMBEDDED_POLICY: &str = include_str!("../../faq/policy.toml");

/// Why a policy file could not be used. The message names the file, line and field
/// (`line` is 0 and `field` empty where they do not apply, e.g. an unreadable file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct PolicyError {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl PolicyError {
    /// `policy.toml: line 22: `fees.late`: ...`, leaving out what is unknown.
    fn render(&self) -> String {
        let mut out = self.file.clone();
        if self.line > 0 {
            out.push_str(&format!(": line {}", self.line));
        }
        if !self.field.is_empty() {
            out.push_str(&format!(": `{}`", self.field));
        }
        out.push_str(&format!(": {}", self.message));
        out
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub certification: CertificationPolicy,
    pub fees: Fees,
    pub contact: Contact,
    pub hours: SupportHours,
    pub handoff: HandoffPolicy,
    pub audit: AuditPolicy,
    pub application: ApplicationPolicy,
    pub reminders: ReminderPolicy,
    pub retention: RetentionPolicy,
    /// Where each fact comes from, by dotted field (`"fees.late" = "guidelines"`).
    pub sources: BTreeMap<String, Source>,
}

/// Where a fact the bot states comes from. The FAQ's entries name theirs with the same
/// keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The organisation's public recertification page (`seed/` beside the repository).
    Seed,
    /// The organisation's older CPT Recertification Guidelines PDF.
    Guidelines,
    /// The organisation's own terms or decisions, not on the page.
    Organisation,
    /// A third-party source, named in the FAQ entry or policy comment.
    ThirdParty,
    /// A limit or habit of the bot itself, never worded as an NASM rule.
    Bot,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificationPolicy {
    pub cycle_months: u32,
    #[serde(deserialize_with = "de_ceu")]
    pub required_ceus: Ceu,
    pub late_fee_days: u32,
    /// Applications must be received before this many calendar months after expiration
    /// (one year: Mar 15, 2027 gives a last day of Mar 14, 2028).
    pub final_deadline_months: u32,
    pub completion_grace_days: u32,
    pub max_course_hours: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fees {
    #[serde(deserialize_with = "de_money")]
    pub recertification: Cents,
    #[serde(deserialize_with = "de_money")]
    pub late: Cents,
    #[serde(deserialize_with = "de_money")]
    pub additional: Cents,
    #[serde(deserialize_with = "de_money")]
    pub petition: Cents,
    #[serde(deserialize_with = "de_money")]
    pub recertify_for_life: Cents,
    /// Whether the late and additional fees apply to Recertify for Life members (no
    /// source says; replies add that an advisor can confirm).
    pub late_fees_apply_to_members: bool,
}

/// How to apply, in the organisation's steps, and what happens after.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationPolicy {
    /// The portal steps, in order, as the trainer reads them.
    pub steps: Vec<String>,
    /// What NASM does once the application arrives.
    pub after_applying: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub phone: String,
    #[serde(deserialize_with = "de_tz")]
    pub trainer_timezone: Tz,
}

/// Opening hours of one weekday, in the hours' time zone; `None` = closed all day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayHours {
    pub open: NaiveTime,
    pub close: NaiveTime,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupportHours {
    #[serde(deserialize_with = "de_tz")]
    pub timezone: Tz,
    #[serde(deserialize_with = "de_day")]
    pub monday: Option<DayHours>,
    #[serde(deserialize_with = "de_day")]
    pub tuesday: Option<DayHours>,
    #[serde(deserialize_with = "de_day")]
    pub wednesday: Option<DayHours>,
    #[serde(deserialize_with = "de_day")]
    pub thursday: Option<DayHours>,
    #[serde(deserialize_with = "de_day")]
    pub friday: Option<DayHours>,
    #[serde(deserialize_with = "de_day")]
    pub saturday: Option<DayHours>,
    #[serde(deserialize_with = "de_day")]
    pub sunday: Option<DayHours>,
    /// Whole days advisors are away: a date, or a date with its name.
    #[serde(default)]
    pub closed_dates: Vec<ClosedDate>,
}

/// A day advisors are away, and its name if given ("Thanksgiving").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedDate {
    pub date: NaiveDate,
    pub name: Option<String>,
}

impl<'de> Deserialize<'de> for ClosedDate {
    /// `"2026-11-26"` or `{ date = "2026-11-26", name = "Thanksgiving" }`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Date(NaiveDate),
            Named { date: NaiveDate, name: String },
        }
        let raw = Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "expected \"YYYY-MM-DD\" or { date = \"YYYY-MM-DD\", name = \"Holiday\" }",
            )
        })?;
        Ok(match raw {
            Raw::Date(date) => Self { date, name: None },
            Raw::Named { date, name } => Self {
                date,
                name: Some(name.trim().to_string()).filter(|n| !n.is_empty()),
            },
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoffPolicy {
    pub unclaimed_minutes: u32,
    pub history_messages: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditPolicy {
    pub window_days: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderPolicy {
    pub days_before_expiration: Vec<u32>,
    /// A trainer who met every requirement hears "apply now" from this many days before
    /// expiration (and after it), not earlier.
    pub apply_now_days_before: u32,
    pub on_expiration_day: bool,
    pub late_fee_days_after: u32,
    pub additional_fee_warning_days: u32,
    pub final_deadline_warning_days: u32,
    pub cpr_days_before: Vec<u32>,
    pub audit_days_before_deadline: Vec<u32>,
    pub sweep_interval_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionPolicy {
    pub transcript_days: u32,
}

impl SupportHours {
    /// The seven days' hours, Monday first.
    #[must_use]
    pub const fn week(&self) -> [Option<DayHours>; 7] {
        [
            self.monday,
            self.tuesday,
            self.wednesday,
            self.thursday,
            self.friday,
            self.saturday,
            self.sunday,
        ]
    }
}

impl Policy {
    /// The compiled-in default policy.
    ///
    /// # Panics
    /// Never in a released build: a unit test proves the embedded file is valid.
    #[must_use]
    pub fn embedded() -> Self {
        Self::from_toml("faq/policy.toml (embedded)", EMBEDDED_POLICY)
            .expect("the embedded policy is valid")
    }

    /// Loads and validates a policy file.
    ///
    /// # Errors
    /// The file cannot be read, is not valid TOML, or a field is missing or invalid; the
    /// error names the file, the line and the field.
    pub fn load(path: &Path) -> Result<Self, PolicyError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| PolicyError {
            file: name.clone(),
            line: 0,
            field: String::new(),
            message: format!("cannot read the file: {e}"),
        })?;
        Self::from_toml(&name, &text)
    }

    /// Parses and validates policy text; `file` names it in errors.
    ///
    /// # Errors
    /// As [`Policy::load`].
    pub fn from_toml(file: &str, text: &str) -> Result<Self, PolicyError> {
        let policy: Self = serde_path_to_error::deserialize(toml::Deserializer::new(text))
            .map_err(|e| check::parse_error(file, text, &e))?;
        check::validate(&policy).map_err(|p| check::invalid(file, text, p))?;
        Ok(policy)
    }
}

fn de_money<'de, D: Deserializer<'de>>(d: D) -> Result<Cents, D::Error> {
    let s = String::deserialize(d)?;
    Cents::parse(&s).map_err(serde::de::Error::custom)
}

fn de_ceu<'de, D: Deserializer<'de>>(d: D) -> Result<Ceu, D::Error> {
    let s = String::deserialize(d)?;
    Ceu::parse_ceus(&s).map_err(serde::de::Error::custom)
}

fn de_tz<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
    let s = String::deserialize(d)?;
    s.parse::<Tz>()
        .map_err(|_| serde::de::Error::custom(format!("unknown time zone `{s}`")))
}

fn de_day<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DayHours>, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().eq_ignore_ascii_case("closed") {
        return Ok(None);
    }
    let err =
        || serde::de::Error::custom(format!("expected \"HH:MM-HH:MM\" or \"closed\", got `{s}`"));
    let (a, b) = s.split_once('-').ok_or_else(err)?;
    let open = NaiveTime::parse_from_str(a.trim(), "%H:%M").map_err(|_| err())?;
    let close = NaiveTime::parse_from_str(b.trim(), "%H:%M").map_err(|_| err())?;
    if close <= open {
        return Err(serde::de::Error::custom(format!(
            "closing time must be after opening time in `{s}`"
        )));
    }
    Ok(Some(DayHours { open, close }))
}
