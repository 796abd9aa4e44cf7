//! Answer templates: `{name}` placeholders filled from the policy, so a number changed
//! in `faq/policy.toml` changes every answer that mentions it.

use std::collections::BTreeMap;

use crate::rules::fees::span;
use crate::rules::hours::describe;
use crate::rules::{Cents, Policy};

/// The values placeholders may name, rendered for trainers ("$99", "90").
#[derive(Debug, Clone)]
pub struct Values(BTreeMap<&'static str, String>);

/// Why a template could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown placeholder {{{0}}} (known: {1})")]
    Unknown(String, String),
    #[error("a `{{` is never closed")]
    Unclosed,
}

impl Values {
    /// Every placeholder's value under `policy`.
    #[must_use]
    pub fn from_policy(policy: &Policy) -> Self {
        let f = &policy.fees;
        let c = &policy.certification;
        let late_total = f.recertification + f.late;
        let money = |name: &'static str, v: Cents| (name, v.to_string());
        let num = |name: &'static str, v: u32| (name, v.to_string());
        Self(BTreeMap::from([
            money("fees.recertification", f.recertification),
            money("fees.late", f.late),
            money("fees.additional", f.additional),
            money("fees.petition", f.petition),
            money("fees.recertify_for_life", f.recertify_for_life),
            money("fees.late_total", late_total),
            money("fees.additional_total", late_total + f.additional),
            ("certification.required_ceus", c.required_ceus.to_string()),
            ("certification.required_hours", c.required_ceus.hours_text()),
            ("certification.cycle_years", years(c.cycle_months)),
            num("certification.late_fee_days", c.late_fee_days),
            num(
                "certification.final_deadline_months",
                c.final_deadline_months,
            ),
            (
                "certification.final_deadline",
                span(c.final_deadline_months),
            ),
            num(
                "certification.completion_grace_days",
                c.completion_grace_days,
            ),
            num("audit.window_days", policy.audit.window_days),
            ("phone", policy.contact.phone.clone()),
            ("hours", describe(&policy.hours)),
        ]))
    }

    /// Fills every `{name}` of `template`.
    ///
    /// # Errors
    /// A placeholder names no known value, or a `{` is not closed.
    pub fn render(&self, template: &str) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or(TemplateError::Unclosed)?;
            let name = after[..close].trim();
            let value = self.0.get(name).ok_or_else(|| {
                let known: Vec<&str> = self.0.keys().copied().collect();
                TemplateError::Unknown(name.to_string(), known.join(", "))
            })?;
            out.push_str(value);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// "2" for 24 months; "1.5" for 18.
fn years(months: u32) -> String {
    if months.is_multiple_of(12) {
        (months / 12).to_string()
    } else {
        format!("{}.{}", months / 12, (months % 12) * 10 / 12)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_placeholders_from_the_policy() {
        let values = Values::from_policy(&Policy::embedded());
        let cases = [
            ("{fees.recertification}", "$99"),
            ("{fees.late_total} / {fees.additional_total}", "$129 / $179"),
            (
                "{certification.required_ceus} = {certification.required_hours} h",
                "2.0 = 20 h",
            ),
            ("every {certification.cycle_years} years", "every 2 years"),
            ("{certification.final_deadline}", "one year"),
            ("call { phone }", "call 1-800-460-6276"),
            ("no placeholder", "no placeholder"),
        ];
        for (template, want) in cases {
            assert_eq!(values.render(template).as_deref(), Ok(want), "{template}");
        }
        assert!(values.render("{hours}").unwrap().contains("Pacific"));
    }

    #[test]
    fn rejects_unknown_and_unclosed_placeholders() {
        let values = Values::from_policy(&Policy::embedded());
        assert!(
            matches!(values.render("{fees.petiton}"), Err(TemplateError::Unknown(n, _)) if n == "fees.petiton")
        );
        assert_eq!(
            values.render("costs {fees.late"),
            Err(TemplateError::Unclosed)
        );
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(24), "2 years");
        assert_eq!(span(18), "18 months");
        assert_eq!(years(18), "1.5");
    }
}
