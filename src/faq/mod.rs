//! The organisation's FAQ: entries loaded from `faq/` (data the support team edits),
//! answers rendered from templates filled from the policy, and a pure matcher that
//! scores a trainer's message against every entry.
//!
//! - [`data`]: the files `faq.toml` and `lexicon.toml`, parsed and checked.
//! - [`template`]: `{placeholder}` answers filled from the policy.
//! - [`text`], [`fuzzy`]: words, shorthand, typos, stems, synonyms.
//! - [`roles`]: subject, aspect and generic words.
//! - [`matcher`]: the index and the confidence of a match.

use std::path::Path;
use std::sync::Arc;

use crate::rules::Policy;
use crate::understand::Understanding;

pub mod data;
pub mod intents;
pub mod matcher;
pub mod roles;
pub mod template;
// The analyser and the speller are the shared ones of `understand`.
pub use crate::understand::{fuzzy, text};

use matcher::{Document, Matcher};
use template::Values;

/// The entries' file name, in `faq/` and in a directory given to [`Faq::load_dir`].
pub const FAQ_FILE: &str = "faq.toml";
/// The matcher vocabulary's file name; optional in [`Faq::load_dir`].
pub const LEXICON_FILE: &str = "lexicon.toml";
const EMBEDDED_FAQ: &str = include_str!("../../faq/faq.toml");
const EMBEDDED_LEXICON: &str = include_str!("../../faq/lexicon.toml");

/// Why the FAQ could not be loaded. Start-up stops with this message.
#[derive(Debug, thiserror::Error)]
pub enum FaqError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    #[error("{file}: cannot read the file: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
}

/// One topic, its answer already rendered with the policy's numbers.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Stable id, e.g. `ceu_definition`.
    pub id: String,
    /// Short title for menus and buttons, e.g. "What a CEU is".
    pub title: String,
    /// The answer with every placeholder filled.
    pub answer: String,
}

/// What the matcher made of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum FaqMatch {
    /// Confident: answer this entry.
    Answer { id: String, score: f32 },
    /// Two or three plausible topics: ask which was meant.
    Ambiguous { candidates: Vec<(String, f32)> },
    /// Not understood: say so, offer the menu and a person. The best guess is kept for
    /// the misses report.
    Miss { best: Option<(String, f32)> },
}

/// The loaded FAQ.
#[derive(Debug, Clone)]
pub struct Faq {
    entries: Vec<Entry>,
    matcher: Arc<Matcher>,
    understanding: Arc<Understanding>,
    /// What built it, kept to retrain with another intents file.
    raw: Arc<(Vec<data::RawEntry>, text::Lexicon)>,
}

impl Faq {
    /// The FAQ compiled into the binary from `faq/`, rendered with `policy`.
    ///
    /// # Errors
    /// A template names an unknown placeholder, an id repeats, or an answer is empty.
    pub fn embedded(policy: &Policy) -> Result<Self, FaqError> {
        Self::from_texts(
            ("faq/faq.toml (embedded)", EMBEDDED_FAQ),
            ("faq/lexicon.toml (embedded)", EMBEDDED_LEXICON),
            policy,
        )
    }

    /// Loads the FAQ from a directory laid out like `faq/`: `faq.toml`, and
    /// `lexicon.toml` if present (else the embedded vocabulary).
    ///
    /// # Errors
    /// As [`Faq::embedded`], plus unreadable files.
    pub fn load_dir(dir: &Path, policy: &Policy) -> Result<Self, FaqError> {
        let read = |name: &str| {
            let path = dir.join(name);
            let file = path.display().to_string();
            std::fs::read_to_string(&path)
                .map(|text| (file.clone(), text))
                .map_err(|source| FaqError::Read { file, source })
        };
        let (faq_file, faq_text) = read(FAQ_FILE)?;
        let (lex_file, lex_text) = if dir.join(LEXICON_FILE).exists() {
            read(LEXICON_FILE)?
        } else {
            (
                "faq/lexicon.toml (embedded)".to_string(),
                EMBEDDED_LEXICON.to_string(),
            )
        };
        let faq = Self::from_texts((&faq_file, &faq_text), (&lex_file, &lex_text), policy)?;
        if dir.join(intents::INTENTS_FILE).exists() {
            return faq.with_intents(&dir.join(intents::INTENTS_FILE));
        }
        Ok(faq)
    }

    /// The same FAQ with the intents read from `path` instead (`--intents`).
    ///
    /// # Errors
    /// The file cannot be read, or is invalid (the message names the intent and line).
    pub fn with_intents(mut self, path: &Path) -> Result<Self, FaqError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| FaqError::Read {
            file: file.clone(),
            source,
        })?;
        self.understanding = intents::train((&file, &text), &self.raw.0, &self.raw.1, true)?;
        Ok(self)
    }

    /// Builds the FAQ from file texts, each given with the name errors should show.
    ///
    /// # Errors
    /// As [`Faq::embedded`].
    pub fn from_texts(
        (faq_file, faq_text): (&str, &str),
        (lex_file, lex_text): (&str, &str),
        policy: &Policy,
    ) -> Result<Self, FaqError> {
        let lexicon = data::parse_lexicon(lex_file, lex_text)?;
        let (raw, entries) = data::parse_entries(faq_file, faq_text, &Values::from_policy(policy))?;
        if let Some(a) = lexicon
            .aspects
            .iter()
            .find(|a| !raw.iter().any(|e| e.id == a.home))
        {
            return Err(FaqError::Invalid {
                file: lex_file.to_string(),
                message: format!("aspect home `{}` is not the id of an FAQ entry", a.home),
            });
        }
        let docs: Vec<Document<'_>> = raw
            .iter()
            .map(|e| Document {
                id: &e.id,
                title: &e.title,
                keywords: &e.keywords,
                examples: &e.examples,
            })
            .collect();
        let matcher = Arc::new(Matcher::new(&lexicon, &docs));
        let understanding = intents::train(
            (intents::EMBEDDED_NAME, intents::EMBEDDED_INTENTS),
            &raw,
            &lexicon,
            false,
        )?;
        Ok(Self {
            entries,
            matcher,
            understanding,
            raw: Arc::new((raw, lexicon)),
        })
    }

    /// The intent classifier trained beside this FAQ.
    #[must_use]
    pub fn understanding(&self) -> &Understanding {
        &self.understanding
    }

    /// Whether `text` names another organisation's certification ("NSCA", "ACE").
    #[must_use]
    pub fn names_outside(&self, text: &str) -> bool {
        self.matcher.names_outside(text)
    }

    /// Matches a trainer's message. Pure and fast (microseconds).
    #[must_use]
    pub fn lookup(&self, text: &str) -> FaqMatch {
        self.matcher.lookup(text)
    }

    /// Every entry sharing a term with `text`: (id, score, share of the message it
    /// explains), best first. For diagnostics and the misses report.
    #[must_use]
    pub fn ranking(&self, text: &str) -> Vec<(&str, f32, f32)> {
        self.matcher
            .rank(text)
            .into_iter()
            .map(|s| (self.matcher.ids()[s.entry].as_str(), s.score, s.coverage))
            .collect()
    }

    /// The terms the matcher reads in `text`, after shorthand, typo correction,
    /// stopwords, stemming and synonyms (diagnostics).
    #[must_use]
    pub fn terms(&self, text: &str) -> Vec<String> {
        self.matcher.terms(text)
    }

    /// The entry with this id.
    #[must_use]
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// All entries, in file order (the topic menu).
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests;
