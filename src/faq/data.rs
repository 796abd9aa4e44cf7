//! The FAQ files: `faq.toml` (entries) and `lexicon.toml` (the matcher's vocabulary),
//! parsed and checked so a mistake by the support team stops start-up with a message
//! naming the file and the entry.

use std::collections::HashSet;

use serde::Deserialize;

use super::template::Values;
use super::text::Lexicon;
use super::{Entry, FaqError};
use crate::rules::policy::Source;

/// One `[[entry]]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    pub answer: String,
    /// Where the answer's facts come from (the same keys as the policy's `[sources]`).
    #[serde(default)]
    pub source: Vec<Source>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaqFile {
    #[serde(default)]
    entry: Vec<RawEntry>,
}

fn invalid(file: &str, message: impl Into<String>) -> FaqError {
    FaqError::Invalid {
        file: file.to_string(),
        message: message.into(),
    }
}

/// Parses TOML, naming the file and line in errors.
fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, FaqError> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        let line = e.span().map_or(0, |s| {
            text[..s.start.min(text.len())].lines().count().max(1)
        });
        invalid(file, format!("line {line}: {}", e.message().trim()))
    })
}

/// Parses the lexicon.
///
/// # Errors
/// Invalid TOML or unknown fields.
pub fn parse_lexicon(file: &str, text: &str) -> Result<Lexicon, FaqError> {
    parse(file, text)
}

/// Parses and checks the entries, rendering each answer with `values`.
///
/// # Errors
/// Invalid TOML, no entries, a bad or repeated id, an empty title or answer, no example
/// questions, no source, or an answer naming an unknown placeholder.
pub fn parse_entries(
    file: &str,
    text: &str,
    values: &Values,
) -> Result<(Vec<RawEntry>, Vec<Entry>), FaqError> {
    let raw: FaqFile = parse(file, text)?;
    if raw.entry.is_empty() {
        return Err(invalid(file, "no [[entry]] found"));
    }
    let mut seen = HashSet::new();
    let mut rendered = Vec::with_capacity(raw.entry.len());
    for (n, e) in raw.entry.iter().enumerate() {
        let at = |m: &str| invalid(file, format!("entry `{}` (#{}): {m}", e.id, n + 1));
        let id_ok = !e.id.is_empty()
            && e.id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !id_ok {
            return Err(at("the id must be lowercase letters, digits and `_`"));
        }
        if !seen.insert(e.id.as_str()) {
            return Err(at("this id is used by an earlier entry"));
        }
        if e.title.trim().is_empty() {
            return Err(at("the title is empty"));
        }
        if e.answer.trim().is_empty() {
            return Err(at("the answer is empty"));
        }
        if e.examples.iter().all(|q| q.trim().is_empty()) {
            return Err(at("give at least one example question"));
        }
        if e.source.is_empty() {
            return Err(at(
                "name the answer's source: source = [\"seed\"] (seed, guidelines, organisation, third_party, bot)",
            ));
        }
        let answer = values
            .render(e.answer.trim())
            .map_err(|err| at(&err.to_string()))?;
        rendered.push(Entry {
            id: e.id.clone(),
            title: e.title.trim().to_string(),
            answer,
        });
    }
    Ok((raw.entry, rendered))
}
