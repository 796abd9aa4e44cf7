//! Saving a confirmed draft: the new or updated entry, and the trainer's new total.

use super::advance;
use crate::conversation::replies::{self, date};
use crate::conversation::{Context, Draft, Effect, EntryId, NewEntry, Outcome, Reply, State};
use crate::rules::status;
use crate::rules::{CeEntry, Provider};

/// Stores the confirmed draft (or asks for what is still missing).
pub(super) fn save(draft: Draft, ctx: &Context<'_>) -> Outcome {
    let (Some(amount), Some(area), Some(completed_on), Some(provider)) =
        (draft.amount, draft.area, draft.completed_on, draft.provider)
    else {
        return advance(draft, ctx, None);
    };
    let entry = NewEntry {
        completed_on,
        amount,
        area,
        provider,
        title: draft.title.clone(),
    };
    let mut after = ctx.profile.entries.clone();
    after.retain(|e| Some(e.id) != draft.editing);
    after.push(CeEntry {
        id: EntryId(i64::MAX),
        completed_on,
        amount,
        area,
        provider,
        title: entry.title.clone(),
        petition_approved: false,
        petition_declined: false,
        has_document: false,
    });
    let total = ctx
        .profile
        .cert
        .as_ref()
        .map(|c| status::status(c, &after, ctx.policy, ctx.now))
        .map(|s| format!(" You now have {} of {} CEUs.", s.earned, s.required))
        .unwrap_or_default();
    let (effect, verb) = match draft.editing {
        Some(id) => (Effect::UpdateEntry { id, entry }, "Updated"),
        None => (Effect::SaveEntry(entry), "Saved"),
    };
    let pending = if provider == Provider::Petition {
        " It counts once your petition is approved."
    } else {
        ""
    };
    let text = format!(
        "{verb}: {} of {area}, completed {}.{pending}{total}\nIf you have the certificate of completion, send a photo or file of it now to attach it.",
        replies::amount(amount),
        date(completed_on),
    );
    let saved = Outcome::reply(State::Idle, Reply::text(text)).with_effect(effect);
    super::then_next(saved, draft.queue, ctx)
}
