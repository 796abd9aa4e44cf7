//! Fees by phase, membership and petitions, against the domain's worked examples.

use proptest::prelude::*;

use super::*;

fn kinds(b: &FeeBreakdown) -> Vec<FeeKind> {
    b.lines.iter().map(|l| l.kind).collect()
}

#[test]
fn each_phase_owes_what_the_schedule_says() {
    use FeeKind::{Additional, Late, Recertification};
    let policy = Policy::embedded();
    // (phase, Recertify for Life, expected kinds, expected total in dollars)
    let cases: [(Phase, bool, &[FeeKind], i64); 8] = [
        (Phase::Current, false, &[Recertification], 99),
        (Phase::Late, false, &[Recertification, Late], 129),
        (
            Phase::LateAdditional,
            false,
            &[Recertification, Late, Additional],
            179,
        ),
        (Phase::Lapsed, false, &[], 0),
        (Phase::Current, true, &[], 0),
        (Phase::Late, true, &[Late], 30),
        (Phase::LateAdditional, true, &[Late, Additional], 80),
        (Phase::Lapsed, true, &[], 0),
    ];
    for (phase, rfl, expected, dollars) in cases {
        let b = fees(phase, rfl, 0, &policy);
        assert_eq!(kinds(&b), expected, "{phase:?} rfl={rfl}");
        assert_eq!(b.total, Cents::dollars(dollars), "{phase:?} rfl={rfl}");
        let sum: Cents = b.lines.iter().map(|l| l.amount).sum();
        assert_eq!(sum, b.total);
    }
}

#[test]
fn members_are_told_to_confirm_with_an_advisor() {
    let policy = Policy::embedded();
    let current = fees(Phase::Current, true, 0, &policy);
    assert_eq!(current.notes, vec![RFL_NOTE.to_string()]);
    assert!(RFL_NOTE.contains("no renewal fee") && RFL_NOTE.contains("advisor"));
    let late = fees(Phase::Late, true, 0, &policy);
    assert!(late.notes.contains(&RFL_LATE_NOTE.to_string()));
    assert!(fees(Phase::Late, false, 0, &policy).notes.is_empty());
}

#[test]
fn a_lapsed_certification_owes_nothing_and_is_sent_to_an_advisor() {
    let policy = Policy::embedded();
    let b = fees(Phase::Lapsed, false, 3, &policy);
    assert!(b.lines.is_empty());
    assert_eq!(b.total, Cents::ZERO);
    assert_eq!(b.notes.len(), 1);
    assert!(b.notes[0].contains("can no longer be recertified"));
    assert!(b.notes[0].contains("advisor"));
}

#[test]
fn petitions_cost_the_fee_per_course() {
    let policy = Policy::embedded();
    let cases = [(0, 99, None), (1, 124, Some(25)), (3, 174, Some(75))];
    for (count, total, line) in cases {
        let b = fees(Phase::Current, false, count, &policy);
        assert_eq!(b.total, Cents::dollars(total), "{count} petitions");
        let petition = b
            .lines
            .iter()
            .find(|l| matches!(l.kind, FeeKind::Petition { .. }));
        assert_eq!(petition.map(|l| l.amount), line.map(Cents::dollars));
        if let Some(l) = petition {
            assert_eq!(l.kind, FeeKind::Petition { count });
            assert!(l.label.contains("non-refundable"), "{}", l.label);
            assert!(l.label.contains("$25 each"), "{}", l.label);
        }
    }
    let member = fees(Phase::Current, true, 2, &policy);
    assert_eq!(member.total, Cents::dollars(50));
}

#[test]
fn labels_are_plain_english() {
    let policy = Policy::embedded();
    let b = fees(Phase::LateAdditional, false, 1, &policy);
    let labels: Vec<&str> = b.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Recertification fee",
            "Late fee, renewing 1 to 90 days after expiration",
            "Additional fee, renewing from day 91 until one year after expiration, on top of the late fee",
            "Petition fee, 1 course at $25 each, non-refundable",
        ]
    );
}

fn any_phase() -> impl Strategy<Value = Phase> {
    prop_oneof![
        Just(Phase::Current),
        Just(Phase::Late),
        Just(Phase::LateAdditional),
        Just(Phase::Lapsed),
    ]
}

proptest! {
    #[test]
    fn fees_are_never_negative_and_total_their_lines(
        phase in any_phase(),
        rfl in any::<bool>(),
        petitions in 0usize..10_000,
    ) {
        let policy = Policy::embedded();
        let b = fees(phase, rfl, petitions, &policy);
        prop_assert!(b.total >= Cents::ZERO);
        prop_assert!(b.lines.iter().all(|l| l.amount >= Cents::ZERO));
        let sum: Cents = b.lines.iter().map(|l| l.amount).sum();
        prop_assert_eq!(sum, b.total);
    }
}
