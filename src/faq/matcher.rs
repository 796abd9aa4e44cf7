//! Pure matching of a trainer's message against the FAQ entries.
//!
//! Each entry's title, keywords and example questions are analysed once into terms
//! (words and adjacent word pairs) and weighted BM25-style. A message is analysed the
//! same way, with typo correction, and every entry scored. Confidence then weighs two
//! things: how strong the best entry's score is, and how much of the message it
//! explains (its *coverage*): "recommend me a good squat program" shares one word with
//! an entry but leaves most of itself unexplained, so it is a miss, not an answer.
//!
//! Words play roles. A *subject* word names one topic ("petition", "audit", "cpr"); an
//! *aspect* word says what is asked about it ("how much", "fee"); a *generic* word is
//! shared by every topic ("recertify"). A message naming a subject is about that
//! subject: entries matching none of its subject words are damped, so "how much is a
//! petition" is about petitions, not costs. A message naming no subject but an aspect
//! ("recertification fee??") is about the aspect's home entry (costs), and the entries
//! that merely mention fees are damped.

use std::collections::HashMap;

use super::FaqMatch;
use super::roles::{Role, roles};
use super::text::{Analyzer, Lexicon};

/// BM25 term-frequency saturation.
const K1: f32 = 2.0;
/// BM25 length normalisation.
const B: f32 = 0.3;
/// Weight of a keyword occurrence against an example question's (1.0).
const KEYWORD_WEIGHT: f32 = 1.5;
/// A title names its topic: a term in it adds this many times its IDF, unsaturated.
const TITLE_BOOST: f32 = 1.0;
/// Weight of a phrase ("late fee") against a word.
const PAIR_WEIGHT: f32 = 4.0;

/// Confident answer: at least this score explaining at least this share of the
/// message...
const ANSWER_SCORE: f32 = 1.5;
const ANSWER_COVERAGE: f32 = 0.4;
/// ... or strong evidence inside a longer message...
const STRONG_SCORE: f32 = 6.0;
const STRONG_COVERAGE: f32 = 0.25;
/// ... and the runner-up below this share of the best score, or explaining clearly
/// less of the message ("how much to petition a course" is about petitions, though
/// "how much" alone would point at costs).
const ANSWER_MARGIN: f32 = 0.8;
const COVERAGE_MARGIN: f32 = 0.15;
/// Worth offering as a candidate: at least this score and coverage.
const CANDIDATE_SCORE: f32 = 1.2;
const CANDIDATE_COVERAGE: f32 = 0.3;
/// Candidates offered beside the best score at least this share of it.
const CANDIDATE_SHARE: f32 = 0.5;
/// The share of its score an entry keeps when it misses the subject the message names,
/// or, with no subject named, when it is not the home of the aspect asked about.
const OFF_SUBJECT: f32 = 0.4;

/// One entry's text as the matcher sees it.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub keywords: &'a [String],
    pub examples: &'a [String],
}

/// The index: built once at load, read-only afterwards.
#[derive(Debug)]
pub struct Matcher {
    analyzer: Analyzer,
    ids: Vec<String>,
    terms: HashMap<String, usize>,
    /// Per term: (entry, BM25 weight).
    postings: Vec<Vec<(usize, f32)>>,
    idf: Vec<f32>,
    /// Per term: its role.
    roles: Vec<Role>,
    /// The weight of a word the FAQ never uses: that of a term only one entry uses.
    unknown_weight: f32,
    /// The weight of a word naming another organisation's certification.
    outside_weight: f32,
}

/// How one entry scored against a message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub entry: usize,
    pub score: f32,
    pub coverage: f32,
}

impl Matcher {
    /// Indexes `docs` with the `lexicon`'s vocabulary.
    #[must_use]
    pub fn new(lexicon: &Lexicon, docs: &[Document<'_>]) -> Self {
        let keywords = keywords_with_aspects(lexicon, docs);
        let docs: Vec<Document<'_>> = docs
            .iter()
            .zip(&keywords)
            .map(|(d, k)| Document { keywords: k, ..*d })
            .collect();
        let docs = docs.as_slice();
        let mut analyzer = Analyzer::new(lexicon);
        for doc in docs {
            analyzer.learn(doc.title);
            for (text, _, _) in body(doc) {
                analyzer.learn(text);
            }
        }
        analyzer.finish();
        let counts = Counts::of(&analyzer, docs);
        let n = docs.len() as f32;
        let avg = counts.lengths.iter().sum::<f32>() / n.max(1.0);
        let idf_of = |df: f32| (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let idf: Vec<f32> = counts.tf.iter().map(|d| idf_of(d.len() as f32)).collect();
        let postings = postings(&counts, &idf, avg);
        let entries_using: Vec<usize> = counts.tf.iter().map(HashMap::len).collect();
        let ids: Vec<&str> = docs.iter().map(|d| d.id).collect();
        let roles = roles(&analyzer, lexicon, &ids, &counts.terms, &entries_using);
        Self {
            analyzer,
            ids: docs.iter().map(|d| d.id.to_string()).collect(),
            terms: counts.terms,
            postings,
            idf,
            roles,
            unknown_weight: idf_of(1.0),
            outside_weight: 2.0 * idf_of(0.0),
        }
    }

    /// Every entry that shares a term with `text`, best first.
    #[must_use]
    pub fn rank(&self, text: &str) -> Vec<Scored> {
        self.rank_terms(self.query_terms(text))
    }

    fn rank_terms(&self, mut terms: Vec<String>) -> Vec<Scored> {
        terms.sort_unstable();
        terms.dedup();
        let mut tally = Scoring::new(self.ids.len());
        for term in &terms {
            let Some(&t) = self.terms.get(term) else {
                tally.total += if self.analyzer.is_outside(term) {
                    self.outside_weight
                } else {
                    self.unknown_weight
                };
                continue;
            };
            // Phrases add to the score; coverage counts words.
            let word = !term.contains(' ');
            tally.add(
                self.roles[t],
                word.then_some(self.idf[t]),
                &self.postings[t],
            );
        }
        tally.damp_off_subject();
        tally.ranked()
    }

    /// The message's terms: its words, and each pair of adjacent words the FAQ uses as
    /// a phrase ("contact hour", "late fee"); numbers the FAQ never uses are dropped.
    fn query_terms(&self, text: &str) -> Vec<String> {
        let words: Vec<String> = self
            .analyzer
            .terms(text, true)
            .into_iter()
            .filter(|t| !t.bytes().all(|b| b.is_ascii_digit()) || self.terms.contains_key(t))
            .collect();
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            if let Some(next) = words.get(i + 1) {
                let pair = format!("{} {next}", words[i]);
                if self.terms.contains_key(&pair) {
                    out.push(pair);
                }
            }
            out.push(words[i].clone());
            i += 1;
        }
        out
    }

    /// Whether `text` names another organisation's certification (the lexicon's
    /// `outside` words): every fee and rule here is this organisation's.
    #[must_use]
    pub fn names_outside(&self, text: &str) -> bool {
        self.query_terms(text)
            .iter()
            .any(|t| self.analyzer.is_outside(t))
    }

    /// What `text` asks, with a confidence: an answer, two or three candidates, or a miss.
    #[must_use]
    pub fn lookup(&self, text: &str) -> FaqMatch {
        let terms = self.query_terms(text);
        let outside = terms.iter().any(|t| self.analyzer.is_outside(t));
        let ranked = self.rank_terms(terms);
        let Some(best) = ranked.first().copied() else {
            return FaqMatch::Miss { best: None };
        };
        let clear = ranked.get(1).is_none_or(|second| {
            second.score < ANSWER_MARGIN * best.score
                || second.coverage + COVERAGE_MARGIN <= best.coverage
        });
        let id = |s: &Scored| (self.ids[s.entry].clone(), s.score);
        // Naming another organisation's certification is never a confident answer:
        // every fee and rule here is this organisation's.
        let confident = !outside
            && ((best.score >= ANSWER_SCORE && best.coverage >= ANSWER_COVERAGE)
                || (best.score >= STRONG_SCORE && best.coverage >= STRONG_COVERAGE));
        if confident && clear {
            return FaqMatch::Answer {
                id: self.ids[best.entry].clone(),
                score: best.score,
            };
        }
        if best.score < CANDIDATE_SCORE || best.coverage < CANDIDATE_COVERAGE {
            return FaqMatch::Miss {
                best: Some(id(&best)),
            };
        }
        let candidates: Vec<(String, f32)> = ranked
            .iter()
            .take(3)
            .filter(|s| s.score >= CANDIDATE_SHARE * best.score)
            .map(id)
            .collect();
        if candidates.len() < 2 {
            return FaqMatch::Miss {
                best: Some(id(&best)),
            };
        }
        FaqMatch::Ambiguous { candidates }
    }

    /// The terms the matcher reads in `text` (diagnostics).
    #[must_use]
    pub fn terms(&self, text: &str) -> Vec<String> {
        self.analyzer.terms(text, true)
    }

    /// The entry ids, in file order.
    #[must_use]
    pub fn ids(&self) -> &[String] {
        &self.ids
    }
}

/// Each document's keywords plus the words of the aspects whose home it is: an aspect's
/// words ask about its home entry.
fn keywords_with_aspects(lexicon: &Lexicon, docs: &[Document<'_>]) -> Vec<Vec<String>> {
    docs.iter()
        .map(|d| {
            let homed = lexicon.aspects.iter().filter(|a| a.home == d.id);
            d.keywords
                .iter()
                .chain(homed.flat_map(|a| &a.words))
                .cloned()
                .collect()
        })
        .collect()
}

/// Per term, the BM25 weight of every entry using it (title hits boosted), by entry.
fn postings(counts: &Counts, idf: &[f32], avg: f32) -> Vec<Vec<(usize, f32)>> {
    counts
        .tf
        .iter()
        .zip(idf)
        .map(|(docs_tf, idf)| {
            let mut p: Vec<(usize, f32)> = docs_tf
                .iter()
                .map(|(&e, c)| {
                    let norm = K1 * (1.0 - B + B * counts.lengths[e] / avg.max(1.0));
                    let body = c.body * (K1 + 1.0) / (c.body + norm);
                    (e, idf * (body + TITLE_BOOST * c.title.min(1.0)))
                })
                .collect();
            p.sort_by_key(|&(e, _)| e);
            p
        })
        .collect()
}

/// One message's scores as its terms are read.
struct Scoring {
    scores: Vec<f32>,
    /// Per entry: the weight of the message's words it explains.
    explained: Vec<f32>,
    /// Per entry: whether it matches a subject word of the message.
    on_subject: Vec<bool>,
    /// The weight of all the message's words.
    total: f32,
    subject_named: bool,
    /// The home entries of the message's aspect words.
    homes: Vec<usize>,
}

impl Scoring {
    fn new(entries: usize) -> Self {
        Self {
            scores: vec![0.0; entries],
            explained: vec![0.0; entries],
            on_subject: vec![false; entries],
            total: 0.0,
            subject_named: false,
            homes: Vec::new(),
        }
    }

    /// Adds a known term; `word_idf` is its weight for coverage if it is a word.
    fn add(&mut self, role: Role, word_idf: Option<f32>, postings: &[(usize, f32)]) {
        self.total += word_idf.unwrap_or(0.0);
        match role {
            Role::Subject => self.subject_named = true,
            Role::Aspect(home) => self.homes.push(home),
            Role::Generic => {}
        }
        for &(e, w) in postings {
            self.scores[e] += w;
            self.on_subject[e] |= role == Role::Subject;
            self.explained[e] += word_idf.unwrap_or(0.0);
        }
    }

    /// A message naming a subject is about it: entries missing every subject word are
    /// damped. Naming none, a message asking an aspect is about the aspect's home.
    fn damp_off_subject(&mut self) {
        for (e, score) in self.scores.iter_mut().enumerate() {
            let off = if self.subject_named {
                !self.on_subject[e]
            } else {
                !self.homes.is_empty() && !self.homes.contains(&e)
            };
            if off {
                *score *= OFF_SUBJECT;
            }
        }
    }

    /// Every entry with a score, best first.
    fn ranked(self) -> Vec<Scored> {
        let mut ranked: Vec<Scored> = self
            .scores
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            .map(|(entry, &score)| Scored {
                entry,
                score,
                coverage: if self.total > 0.0 {
                    self.explained[entry] / self.total
                } else {
                    0.0
                },
            })
            .collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.entry.cmp(&b.entry)));
        ranked
    }
}

/// A document's keywords and examples with their weights, and whether their adjacent
/// words form phrases (keywords do; in example questions adjacency is accidental).
/// The title counts apart.
fn body<'a>(doc: &Document<'a>) -> impl Iterator<Item = (&'a str, f32, bool)> {
    doc.keywords
        .iter()
        .map(|k| (k.as_str(), KEYWORD_WEIGHT, true))
        .chain(doc.examples.iter().map(|e| (e.as_str(), 1.0, true)))
}

/// How often a term occurs in one entry: weighted in the body, and in the title.
#[derive(Debug, Default, Clone, Copy)]
struct Count {
    body: f32,
    title: f32,
}

/// Term occurrences over all entries.
struct Counts {
    terms: HashMap<String, usize>,
    /// Per term: entry -> count.
    tf: Vec<HashMap<usize, Count>>,
    /// Per entry: weighted body length.
    lengths: Vec<f32>,
}

impl Counts {
    fn of(analyzer: &Analyzer, docs: &[Document<'_>]) -> Self {
        let mut c = Self {
            terms: HashMap::new(),
            tf: Vec::new(),
            lengths: vec![0.0; docs.len()],
        };
        for (e, doc) in docs.iter().enumerate() {
            for (term, w) in weighted_terms(&analyzer.terms(doc.title, false), 1.0) {
                c.slot(term, e).title += w;
            }
            for (text, weight, phrase) in body(doc) {
                let words = analyzer.terms(text, false);
                let terms = if phrase {
                    weighted_terms(&words, weight)
                } else {
                    words.into_iter().map(|w| (w, weight)).collect()
                };
                for (term, w) in terms {
                    c.slot(term, e).body += w;
                    c.lengths[e] += w;
                }
            }
        }
        c
    }

    fn slot(&mut self, term: String, entry: usize) -> &mut Count {
        let next = self.terms.len();
        let id = *self.terms.entry(term).or_insert(next);
        if id == self.tf.len() {
            self.tf.push(HashMap::new());
        }
        self.tf[id].entry(entry).or_default()
    }
}

/// A phrase's words and adjacent pairs, each with its weight.
fn weighted_terms(words: &[String], weight: f32) -> Vec<(String, f32)> {
    let pairs = words
        .iter()
        .zip(words.iter().skip(1))
        .map(|(a, b)| (format!("{a} {b}"), weight * PAIR_WEIGHT));
    words
        .iter()
        .map(|w| (w.clone(), weight))
        .chain(pairs)
        .collect()
}
