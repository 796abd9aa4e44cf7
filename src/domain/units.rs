//! Exact units: CEUs held as whole contact minutes, money as integer cents, and the
//! closed vocabularies (content areas, provider kinds) the policy speaks in.
//!
//! Policy line encoded: "1 contact hour = 0.1 CEU; 30 minutes = 0.05 CEU: keep exact
//! units, never floats" (domain.md).

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

/// Minutes in one contact hour.
pub const MINUTES_PER_HOUR: u32 = 60;
/// Contact minutes in one CEU (10 contact hours).
pub const MINUTES_PER_CEU: u32 = 600;

/// Why a textual amount could not become an exact unit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    #[error("`{0}` is not a number")]
    NotANumber(String),
    #[error("`{0}` is too large")]
    TooLarge(String),
    #[error("`{0}` has more precision than a whole contact minute")]
    TooPrecise(String),
}

/// An amount of continuing education, exact to the contact minute.
///
/// 1 contact hour = 60 minutes = 0.1 CEU, so 2.0 CEUs = 1200 minutes.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Ceu {
    minutes: u32,
}

impl Ceu {
    pub const ZERO: Self = Self { minutes: 0 };

    #[must_use]
    pub const fn from_minutes(minutes: u32) -> Self {
        Self { minutes }
    }

    #[must_use]
    pub const fn from_hours(hours: u32) -> Self {
        Self {
            minutes: hours.saturating_mul(MINUTES_PER_HOUR),
        }
    }

    #[must_use]
    pub const fn minutes(self) -> u32 {
        self.minutes
    }

    #[must_use]
    pub const fn is_zero(self) -> bool {
        self.minutes == 0
    }

    #[must_use]
    pub const fn saturating_sub(self, other: Self) -> Self {
        Self {
            minutes: self.minutes.saturating_sub(other.minutes),
        }
    }

    /// Parses a decimal CEU amount such as `2`, `0.7`, `.5` or `0.075`.
    ///
    /// # Errors
    /// Not a plain non-negative decimal, too large, or finer than a whole contact minute
    /// (1 minute = 1/600 CEU).
    pub fn parse_ceus(text: &str) -> Result<Self, UnitError> {
        let minutes = scaled(text, MINUTES_PER_CEU)?;
        Ok(Self { minutes })
    }

    /// Parses a decimal number of contact hours such as `4`, `1.5` or `.75`.
    ///
    /// # Errors
    /// As [`Ceu::parse_ceus`].
    pub fn parse_hours(text: &str) -> Result<Self, UnitError> {
        let minutes = scaled(text, MINUTES_PER_HOUR)?;
        Ok(Self { minutes })
    }

    /// Contact hours as text: `4`, `1.5`, `0.75`, `1 h 10 min` style is avoided; exact
    /// decimals where they terminate, otherwise hours and minutes.
    #[must_use]
    pub fn hours_text(self) -> String {
        let (h, m) = (
            self.minutes / MINUTES_PER_HOUR,
            self.minutes % MINUTES_PER_HOUR,
        );
        match m {
            0 => format!("{h}"),
            15 => format!("{h}.25"),
            30 => format!("{h}.5"),
            45 => format!("{h}.75"),
            _ if h == 0 => format!("{m} min"),
            _ => format!("{h} h {m} min"),
        }
    }
}

/// Exact decimal-to-integer scaling: `text` (a decimal) times `factor`, which must come
/// out whole.
fn scaled(text: &str, factor: u32) -> Result<u32, UnitError> {
    let t = text.trim();
    let bad = || UnitError::NotANumber(t.to_string());
    let (int_part, frac_part) = t.split_once('.').unwrap_or((t, ""));
    if (int_part.is_empty() && frac_part.is_empty())
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let frac_part = frac_part.trim_end_matches('0');
    if frac_part.len() > 6 {
        return Err(UnitError::TooPrecise(t.to_string()));
    }
    let too_large = || UnitError::TooLarge(t.to_string());
    let int_part = int_part.trim_start_matches('0');
    if int_part.len() > 9 {
        return Err(too_large());
    }
    let whole: u64 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().map_err(|_| too_large())?
    };
    let denom = 10u64.pow(frac_part.len() as u32);
    let frac: u64 = if frac_part.is_empty() {
        0
    } else {
        frac_part.parse().map_err(|_| bad())?
    };
    let numerator = (whole * denom + frac) * u64::from(factor);
    if !numerator.is_multiple_of(denom) {
        return Err(UnitError::TooPrecise(t.to_string()));
    }
    u32::try_from(numerator / denom).map_err(|_| too_large())
}

impl Add for Ceu {
    type Output = Self;
    fn add(self, rhs: Self) -> Self {
        Self {
            minutes: self.minutes.saturating_add(rhs.minutes),
        }
    }
}

impl AddAssign for Ceu {
    fn add_assign(&mut self, rhs: Self) {
        *self = *self + rhs;
    }
}

impl Sum for Ceu {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, Add::add)
    }
}

impl fmt::Display for Ceu {
    /// `2.0`, `0.4`, `0.15`, `0.075`: one decimal at least, more only where needed
    /// (rounded to thousandths when the minutes do not terminate, e.g. 7 min).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // thousandths of a CEU, rounded half up: minutes * 1000 / 600
        let thousandths = (u64::from(self.minutes) * 1000 * 2 + 600) / (600 * 2);
        let whole = thousandths / 1000;
        let frac = thousandths % 1000;
        let mut digits = format!("{frac:03}");
        while digits.len() > 1 && digits.ends_with('0') {
            digits.pop();
        }
        write!(f, "{whole}.{digits}")
    }
}

/// Money in integer cents (US dollars).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    pub const ZERO: Self = Self(0);

    #[must_use]
    pub const fn dollars(d: i64) -> Self {
        Self(d * 100)
    }

    /// Parses `99`, `99.5`, `99.00` or `$1,299.00`.
    ///
    /// # Errors
    /// Anything but a non-negative amount with at most two decimals.
    pub fn parse(text: &str) -> Result<Self, UnitError> {
        let cleaned: String = text
            .trim()
            .trim_start_matches('$')
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let (d, c) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        let bad = || UnitError::NotANumber(text.trim().to_string());
        if d.is_empty()
            || !d.bytes().all(|b| b.is_ascii_digit())
            || !c.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        if c.len() > 2 {
            return Err(UnitError::TooPrecise(text.trim().to_string()));
        }
        if d.len() > 12 {
            return Err(UnitError::TooLarge(text.trim().to_string()));
        }
        let dollars: i64 = d.parse().map_err(|_| bad())?;
        let cents: i64 = if c.is_empty() {
            0
        } else {
            format!("{c:0<2}").parse().map_err(|_| bad())?
        };
        Ok(Self(dollars * 100 + cents))
    }
}

impl Add for Cents {
    type Output = Self;
    fn add(self, rhs: Self) -> Self {
        Self(self.0.saturating_add(rhs.0))
    }
}

impl Sum for Cents {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::ZERO, Add::add)
    }
}

impl fmt::Display for Cents {
    /// `$99` for whole dollars, `$99.50` otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (d, c) = (abs / 100, abs % 100);
        if c == 0 {
            write!(f, "{sign}${d}")
        } else {
            write!(f, "{sign}${d}.{c:02}")
        }
    }
}

/// The six content areas continuing education must focus on (seed page).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Assessment,
    ExerciseTechnique,
    ProgramDesign,
    Nutrition,
    ClientRelations,
    ProfessionalPractice,
}

impl Area {
    pub const ALL: [Self; 6] = [
        Self::Assessment,
        Self::ExerciseTechnique,
        Self::ProgramDesign,
        Self::Nutrition,
        Self::ClientRelations,
        Self::ProfessionalPractice,
    ];

    /// The area's name as the policy writes it, e.g. "client relations and administration".
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Assessment => "assessment",
            Self::ExerciseTechnique => "exercise technique",
            Self::ProgramDesign => "program design",
            Self::Nutrition => "nutrition",
            Self::ClientRelations => "client relations and administration",
            Self::ProfessionalPractice => "professional practice and responsibility",
        }
    }

    /// A stable key for storage and button data.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Assessment => "assessment",
            Self::ExerciseTechnique => "exercise_technique",
            Self::ProgramDesign => "program_design",
            Self::Nutrition => "nutrition",
            Self::ClientRelations => "client_relations",
            Self::ProfessionalPractice => "professional_practice",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == key)
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Who offered a course, which decides whether it posts or must be petitioned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// NASM-developed: posts automatically ("Category A").
    Nasm,
    /// An NASM-approved provider.
    Approved,
    /// Not preapproved: reviewed by petition only, fee per course.
    Petition,
}

impl Provider {
    pub const ALL: [Self; 3] = [Self::Nasm, Self::Approved, Self::Petition];

    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Nasm => "NASM-developed",
            Self::Approved => "approved provider",
            Self::Petition => "not preapproved, by petition",
        }
    }

    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Self::Nasm => "nasm",
            Self::Approved => "approved",
            Self::Petition => "petition",
        }
    }

    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceu_display_uses_decimals_only_where_needed() {
        let cases = [
            (0, "0.0"),
            (240, "0.4"),
            (90, "0.15"),
            (45, "0.075"),
            (1200, "2.0"),
            (600, "1.0"),
            (30, "0.05"),
        ];
        for (minutes, text) in cases {
            assert_eq!(
                Ceu::from_minutes(minutes).to_string(),
                text,
                "{minutes} min"
            );
        }
    }

    #[test]
    fn ceu_parsing_is_exact() {
        assert_eq!(Ceu::parse_ceus("0.7").unwrap().minutes(), 420);
        assert_eq!(Ceu::parse_ceus(".5").unwrap().minutes(), 300);
        assert_eq!(Ceu::parse_ceus("0.075").unwrap().minutes(), 45);
        assert_eq!(Ceu::parse_hours("1.5").unwrap().minutes(), 90);
        assert_eq!(Ceu::parse_hours("4").unwrap().minutes(), 240);
        assert!(matches!(
            Ceu::parse_ceus("0.0001"),
            Err(UnitError::TooPrecise(_))
        ));
        assert!(matches!(
            Ceu::parse_ceus("abc"),
            Err(UnitError::NotANumber(_))
        ));
        assert!(matches!(
            Ceu::parse_ceus("."),
            Err(UnitError::NotANumber(_))
        ));
        assert!(matches!(
            Ceu::parse_hours(&"9".repeat(400)),
            Err(UnitError::TooLarge(_))
        ));
    }

    #[test]
    fn money_displays_whole_dollars_plainly() {
        assert_eq!(Cents::dollars(99).to_string(), "$99");
        assert_eq!(Cents(9950).to_string(), "$99.50");
        assert_eq!(Cents::parse("$1,299.00").unwrap(), Cents(129_900));
        assert_eq!(Cents::parse("25").unwrap(), Cents(2500));
        assert!(Cents::parse("-5").is_err());
        assert!(Cents::parse("1.234").is_err());
    }
}
