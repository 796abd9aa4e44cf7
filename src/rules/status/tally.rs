//! The entries sorted into what counts toward a cycle and what does not. Pure.

use super::{CeEntry, Certification, EntryWindow};
use crate::domain::EntryId;
use crate::rules::policy::Policy;
use crate::rules::units::{Area, Ceu, Provider};

/// The entries sorted into what counts toward the cycle and what does not.
pub(super) struct Tally {
    pub(super) earned: Ceu,
    pub(super) pending: Ceu,
    pub(super) by_area: Vec<(Area, Ceu)>,
    pub(super) counted: Vec<EntryId>,
    pub(super) not_counted: Vec<EntryId>,
    pub(super) completed_too_late: Vec<EntryId>,
    pub(super) declined: Vec<EntryId>,
    pub(super) missing_documents: Vec<EntryId>,
    pub(super) petitions: usize,
}

impl Tally {
    pub(super) fn of(cert: &Certification, entries: &[CeEntry], policy: &Policy) -> Self {
        let mut t = Self {
            earned: Ceu::ZERO,
            pending: Ceu::ZERO,
            by_area: Area::ALL.iter().map(|a| (*a, Ceu::ZERO)).collect(),
            counted: Vec::new(),
            not_counted: Vec::new(),
            completed_too_late: Vec::new(),
            declined: Vec::new(),
            missing_documents: Vec::new(),
            petitions: 0,
        };
        for e in entries {
            let window = cert.window(e.completed_on, policy);
            if !matches!(window, EntryWindow::InCycle | EntryWindow::Grace) {
                t.not_counted.push(e.id);
                if window == EntryWindow::AfterGrace {
                    t.completed_too_late.push(e.id);
                }
                continue;
            }
            if e.provider == Provider::Petition && e.petition_declined {
                t.declined.push(e.id);
                continue;
            }
            t.counted.push(e.id);
            if !e.has_document {
                t.missing_documents.push(e.id);
            }
            let is_petition = e.provider == Provider::Petition;
            t.petitions += usize::from(is_petition);
            if is_petition && !e.petition_approved {
                t.pending += e.amount;
                continue;
            }
            t.earned += e.amount;
            if let Some((_, sum)) = t.by_area.iter_mut().find(|(a, _)| *a == e.area) {
                *sum += e.amount;
            }
        }
        t
    }
}
