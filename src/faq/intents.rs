//! The intent classifier beside the FAQ: trained at load from `faq/intents.toml` (or a
//! replacement) and the FAQ entries' own examples. A model trained once on the same
//! files is reused (start-up, and the many apps a test suite starts).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};

use super::FaqError;
use super::data::RawEntry;
use super::text::{Lexicon, split_words};
use crate::understand::{Understanding, intents};

/// The intents' file name, in `faq/` and in a directory given to `Faq::load_dir`.
pub const INTENTS_FILE: &str = "intents.toml";
pub(super) const EMBEDDED_INTENTS: &str = include_str!("../../faq/intents.toml");
pub(super) const EMBEDDED_NAME: &str = "faq/intents.toml (embedded)";

/// Models already trained, by a hash of what trained them.
static TRAINED: Mutex<Vec<(u64, Arc<Understanding>)>> = Mutex::new(Vec::new());

/// Parses, checks and trains. `strict`: a `faq:` intent must name an entry (false for
/// the embedded file beside a replaced FAQ, whose other topics are skipped).
///
/// # Errors
/// The intents file is invalid (the message names the file, the intent and the line).
pub(super) fn train(
    (file, text): (&str, &str),
    entries: &[RawEntry],
    lexicon: &Lexicon,
    strict: bool,
) -> Result<Arc<Understanding>, FaqError> {
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    let intents = intents::parse(file, text, &ids, strict).map_err(|e| FaqError::Invalid {
        file: e.file,
        message: e.message,
    })?;
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    strict.hash(&mut hasher);
    let faq: Vec<(&str, Vec<&str>)> = entries
        .iter()
        .map(|e| {
            let mut texts = vec![e.title.as_str()];
            texts.extend(e.examples.iter().map(String::as_str));
            (e.id.as_str(), texts)
        })
        .collect();
    faq.hash(&mut hasher);
    let mut shorthand: Vec<(&String, &String)> = lexicon.abbreviations.iter().collect();
    shorthand.sort();
    shorthand.hash(&mut hasher);
    let key = hasher.finish();
    let mut cache = TRAINED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, model)) = cache.iter().find(|(k, _)| *k == key) {
        return Ok(Arc::clone(model));
    }
    let shorthand: HashMap<String, Vec<String>> = lexicon
        .abbreviations
        .iter()
        // "y" is yes in a reply, not "why".
        .filter(|(k, _)| k.as_str() != "y")
        .map(|(k, v)| (k.to_lowercase(), split_words(v)))
        .collect();
    let model = Arc::new(Understanding::train(&intents, &faq, shorthand));
    cache.push((key, Arc::clone(&model)));
    Ok(model)
}
