//! The roles words play in a message. A *subject* word names one topic ("petition",
//! "audit", "cpr"); an *aspect* word says what is asked about it ("how much", "fee"),
//! and has a home entry that answers it when no subject is named; a *generic* word is
//! shared by every topic ("recertify").

use std::collections::HashMap;

use super::text::{Analyzer, Lexicon};

/// A word used by more entries than this is too common to name a subject.
const SUBJECT_MAX_ENTRIES: usize = 3;

/// The role a word plays in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Names a topic.
    Subject,
    /// Says what is asked; the entry answering it alone.
    Aspect(usize),
    /// Shared by every topic, or a phrase.
    Generic,
}

/// Each indexed term's role, numbered as in `terms`; `entries_using[t]` counts the
/// entries using term `t`. Aspect and generic words are as the lexicon lists them (an
/// aspect whose home is none of `ids` counts as generic), phrases are generic, and other
/// words are subjects when few entries use them.
#[must_use]
pub fn roles(
    analyzer: &Analyzer,
    lexicon: &Lexicon,
    ids: &[&str],
    terms: &HashMap<String, usize>,
    entries_using: &[usize],
) -> Vec<Role> {
    let mut roles: Vec<Role> = entries_using
        .iter()
        .map(|&entries| {
            if entries <= SUBJECT_MAX_ENTRIES {
                Role::Subject
            } else {
                Role::Generic
            }
        })
        .collect();
    for (term, &t) in terms {
        if term.contains(' ') {
            roles[t] = Role::Generic;
        }
    }
    let mut set = |word: &str, role: Role| {
        for term in analyzer.terms(word, false) {
            if let Some(&t) = terms.get(&term) {
                roles[t] = role;
            }
        }
    };
    for word in &lexicon.generic {
        set(word, Role::Generic);
    }
    for aspect in &lexicon.aspects {
        let role = ids
            .iter()
            .position(|&id| id == aspect.home)
            .map_or(Role::Generic, Role::Aspect);
        for word in &aspect.words {
            set(word, role);
        }
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_take_the_roles_the_lexicon_and_the_entries_give_them() {
        let lexicon: Lexicon = toml::from_str(
            r#"
            generic = ["recertify"]
            [[aspects]]
            home = "cost"
            words = ["fee", "fees"]
            [[aspects]]
            home = "nowhere"
            words = ["time"]
            "#,
        )
        .expect("lexicon");
        let mut analyzer = Analyzer::new(&lexicon);
        analyzer.finish();
        let names = ["petit", "fee", "recertify", "how much", "time", "ceu"];
        let terms: HashMap<String, usize> = names
            .iter()
            .enumerate()
            .map(|(i, t)| ((*t).to_string(), i))
            .collect();
        let got = roles(
            &analyzer,
            &lexicon,
            &["petition", "cost"],
            &terms,
            &[1, 4, 8, 2, 1, 6],
        );
        let want = [
            Role::Subject,
            Role::Aspect(1),
            Role::Generic,
            Role::Generic,
            Role::Generic,
            Role::Generic,
        ];
        assert_eq!(got, want);
    }
}
