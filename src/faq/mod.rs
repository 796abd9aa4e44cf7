//! The organisation's FAQ: entries loaded from `faq/` (data the support team edits),
//! answers rendered from templates filled from the policy, and a pure matcher that
//! scores a trainer's message against every entry.

use std::path::Path;

use crate::rules::Policy;

pub mod matcher;

/// Why the FAQ could not be loaded. Start-up stops with this message.
#[derive(Debug, thiserror::Error)]
pub enum FaqError {
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
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
}

impl Faq {
    /// The FAQ compiled into the binary from `faq/`, rendered with `policy`.
    ///
    /// # Errors
    /// A template names an unknown placeholder, an id repeats, or an answer is empty.
    pub fn embedded(policy: &Policy) -> Result<Self, FaqError> {
        let _ = policy;
        todo!("faq helper")
    }

    /// Loads the FAQ from a directory laid out like `faq/`.
    ///
    /// # Errors
    /// As [`Faq::embedded`], plus unreadable files.
    pub fn load_dir(dir: &Path, policy: &Policy) -> Result<Self, FaqError> {
        let _ = (dir, policy);
        todo!("faq helper")
    }

    /// Matches a trainer's message. Pure and fast (microseconds).
    #[must_use]
    pub fn lookup(&self, text: &str) -> FaqMatch {
        let _ = text;
        todo!("faq helper")
    }

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
