//! Loading the FAQ: rendering, the checks on the support team's files, policy changes.

use super::*;

const LEXICON: (&str, &str) = ("lexicon.toml", EMBEDDED_LEXICON);

fn entry(id: &str, answer: &str, examples: &str) -> String {
    format!(
        "[[entry]]\nid = \"{id}\"\ntitle = \"T\"\nsource = [\"seed\"]\nexamples = [{examples}]\nanswer = \"{answer}\"\n"
    )
}

fn load(text: &str) -> Result<Faq, FaqError> {
    Faq::from_texts(("test/faq.toml", text), LEXICON, &Policy::embedded())
}

#[test]
fn embedded_answers_are_rendered_plain_text() {
    let faq = Faq::embedded(&Policy::embedded()).expect("embedded FAQ loads");
    assert!(faq.entries().len() >= 13);
    for e in faq.entries() {
        assert!(
            !e.answer.contains(['{', '}', '*', '<', '#']),
            "{}: {}",
            e.id,
            e.answer
        );
        assert!(faq.entry(&e.id).is_some());
    }
    let late = &faq.entry("late_fee").expect("late_fee").answer;
    assert!(
        late.contains("$30") && late.contains("$129") && late.contains("$179"),
        "{late}"
    );
    assert!(
        faq.entry("hours")
            .expect("hours")
            .answer
            .contains("1-800-460-6276")
    );
}

#[test]
fn bad_files_are_rejected_naming_file_and_entry() {
    let ok = entry("a", "fine", "\"q\"");
    let cases = [
        (
            format!("{ok}{}", entry("b", "costs {fees.petiton}", "\"q\"")),
            "entry `b`",
            "fees.petiton",
        ),
        (
            format!("{ok}{}", entry("a", "again", "\"q\"")),
            "entry `a` (#2)",
            "earlier entry",
        ),
        (entry("c", "  ", "\"q\""), "entry `c`", "answer is empty"),
        (entry("d", "x", ""), "entry `d`", "example question"),
        (entry("Bad Id", "x", "\"q\""), "entry `Bad Id`", "lowercase"),
        (String::new(), "test/faq.toml", "no [[entry]]"),
        (
            entry("e", "x", "\"q\"").replace("source = [\"seed\"]\n", ""),
            "entry `e`",
            "source",
        ),
        (
            entry("f", "x", "\"q\"").replace("\"seed\"", "\"rumour\""),
            "test/faq.toml",
            "rumour",
        ),
        (format!("{ok}colour = 1\n"), "test/faq.toml", "line"),
    ];
    for (text, names, says) in cases {
        let err = load(&text).expect_err(&text).to_string();
        assert!(err.starts_with("test/faq.toml: "), "{err}");
        assert!(err.contains(names) && err.contains(says), "{err}");
    }
}

#[test]
fn a_policy_change_changes_every_answer() {
    let text = EMBEDDED_POLICY_WITH_FEES
        .replace("recertification = \"99\"", "recertification = \"109.50\"")
        .replace("petition = \"25\"", "petition = \"35\"");
    let policy = Policy::from_toml("p.toml", &text).expect("policy");
    let faq = Faq::embedded(&policy).expect("faq");
    let base = Faq::embedded(&Policy::embedded()).expect("faq");
    for e in base.entries() {
        let new = &faq.entry(&e.id).expect("same ids").answer;
        for (old_fee, new_fee) in [("$99", "$109.50"), ("$25", "$35"), ("$129", "$139.50")] {
            if e.answer.contains(old_fee) {
                assert!(
                    new.contains(new_fee) && !new.contains(old_fee),
                    "{}: {new}",
                    e.id
                );
            }
        }
    }
    assert!(faq.entry("cost").expect("cost").answer.contains("$109.50"));
}

const EMBEDDED_POLICY_WITH_FEES: &str = crate::rules::policy::EMBEDDED_POLICY;

#[test]
fn load_dir_reads_faq_toml_and_falls_back_to_the_embedded_lexicon() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = Faq::load_dir(dir.path(), &Policy::embedded()).expect_err("no file");
    assert!(matches!(missing, FaqError::Read { .. }), "{missing}");
    std::fs::write(dir.path().join(FAQ_FILE), EMBEDDED_FAQ).expect("write");
    let faq = Faq::load_dir(dir.path(), &Policy::embedded()).expect("loads");
    assert!(
        matches!(faq.lookup("how do I petition a course"), FaqMatch::Answer { id, .. } if id == "petition")
    );
}

#[test]
fn matches_typos_shorthand_and_rejects_chatter() {
    let faq = Faq::embedded(&Policy::embedded()).expect("faq");
    let answer = |q: &str| match faq.lookup(q) {
        FaqMatch::Answer { id, .. } => Some(id),
        _ => None,
    };
    let cases = [
        ("how much to petiton a course", Some("petition")),
        ("wat is a ceu", Some("ceu_definition")),
        (
            "how many hrs of CE do i need for recert",
            Some("requirements"),
        ),
        ("how much is a petition", Some("petition")),
        ("recertification fee??", Some("cost")),
        ("what are your hours", Some("hours")),
        ("is a 45 min video 0.075 ceus", Some("ceu_definition")),
        ("lol", None),
        ("", None),
        ("what's the weather like", None),
    ];
    for (q, want) in cases {
        assert_eq!(answer(q).as_deref(), want, "{q}: {:?}", faq.ranking(q));
    }
}

#[test]
fn an_aspect_home_must_be_an_entry() {
    let lexicon =
        format!("{EMBEDDED_LEXICON}\n[[aspects]]\nhome = \"prices\"\nwords = [\"fee\"]\n");
    let err = Faq::from_texts(
        ("faq.toml", EMBEDDED_FAQ),
        ("lexicon.toml", &lexicon),
        &Policy::embedded(),
    )
    .expect_err("unknown home");
    assert!(err.to_string().contains("aspect home `prices`"), "{err}");
}
