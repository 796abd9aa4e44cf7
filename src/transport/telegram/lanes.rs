//! The rate a chat may be written at, per chat: each chat is a lane that holds at most
//! one request in flight and waits alone after a send (Telegram's per-chat and
//! per-group limits), a 429 (`retry_after`) or a failure, while the other lanes go on.
//! One window over all lanes keeps the overall limit. Pure: instants are arguments.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use teloxide::adaptors::throttle::Limits;
use tokio::time::Instant;

/// The lanes' state.
#[derive(Debug)]
pub struct Lanes {
    limits: Limits,
    chats: HashMap<i64, Lane>,
    /// When the last sends of the past second started, oldest first.
    recent: VecDeque<Instant>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Lane {
    busy: bool,
    /// Not before this instant.
    ready_at: Option<Instant>,
}

/// Whether a chat's next request may start now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Go,
    /// This lane has a request in flight.
    Busy,
    /// Wait until then (this lane, or all of them for the overall limit).
    Wait(Instant),
    /// The overall limit is reached until then: no lane may start.
    Full(Instant),
}

impl Lanes {
    #[must_use]
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            chats: HashMap::new(),
            recent: VecDeque::new(),
        }
    }

    /// Whether `chat` may start a request at `now`.
    #[must_use]
    pub fn gate(&mut self, chat: i64, now: Instant) -> Gate {
        let second = Duration::from_secs(1);
        while self.recent.front().is_some_and(|t| *t + second <= now) {
            self.recent.pop_front();
        }
        let lane = self.chats.get(&chat).copied().unwrap_or_default();
        if lane.busy {
            return Gate::Busy;
        }
        if let Some(at) = lane.ready_at.filter(|at| *at > now) {
            return Gate::Wait(at);
        }
        let overall = usize::try_from(self.limits.messages_per_sec_overall.max(1)).unwrap_or(1);
        if self.recent.len() >= overall {
            return Gate::Full(self.recent[0] + second);
        }
        Gate::Go
    }

    /// `chat` starts a request at `now` (after [`Gate::Go`]).
    pub fn start(&mut self, chat: i64, now: Instant) {
        self.recent.push_back(now);
        self.chats.entry(chat).or_default().busy = true;
    }

    /// `chat`'s request ended at `now`; it was sent (the chat's pace applies) or must
    /// wait `wait` (a 429, a backoff).
    pub fn finish(&mut self, chat: i64, now: Instant, wait: Option<Duration>) {
        let gap = wait.unwrap_or_else(|| self.gap(chat));
        let lane = self.chats.entry(chat).or_default();
        lane.busy = false;
        lane.ready_at = Some(now + gap);
    }

    /// Forgets lanes with nothing pending (kept small over a long run).
    pub fn forget_idle(&mut self, now: Instant) {
        self.chats
            .retain(|_, l| l.busy || l.ready_at.is_some_and(|at| at > now));
    }

    /// The least time between two messages to `chat`: a private chat (positive id) by
    /// the per-chat rate, a group (negative id) also by the per-minute group limit
    /// (`messages_per_min_chat`: Telegram's 20 a minute).
    #[must_use]
    pub fn gap(&self, chat: i64) -> Duration {
        let per_sec = Duration::from_secs(1) / self.limits.messages_per_sec_chat.max(1);
        if chat > 0 {
            return per_sec;
        }
        per_sec.max(Duration::from_secs(60) / self.limits.messages_per_min_chat.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            messages_per_sec_chat: 1,
            messages_per_min_chat: 20,
            messages_per_min_channel_or_supergroup: 20,
            messages_per_sec_overall: 3,
        }
    }

    #[test]
    fn a_waiting_lane_holds_up_no_other_lane() {
        let t = Instant::now();
        let mut lanes = Lanes::new(limits());
        assert_eq!(lanes.gate(-100_777, t), Gate::Go);
        lanes.start(-100_777, t);
        assert_eq!(lanes.gate(-100_777, t), Gate::Busy);
        lanes.finish(-100_777, t, Some(Duration::from_secs(20)));
        assert_eq!(
            lanes.gate(-100_777, t),
            Gate::Wait(t + Duration::from_secs(20))
        );
        assert_eq!(lanes.gate(5, t), Gate::Go, "another chat goes on");
    }

    #[test]
    fn private_chats_get_one_a_second_groups_twenty_a_minute_all_three_a_second() {
        let t = Instant::now();
        let mut lanes = Lanes::new(limits());
        assert_eq!(lanes.gap(5), Duration::from_secs(1));
        assert_eq!(lanes.gap(-100_777), Duration::from_secs(3));
        for chat in 1..=3 {
            lanes.start(chat, t);
            lanes.finish(chat, t, None);
        }
        assert_eq!(lanes.gate(4, t), Gate::Full(t + Duration::from_secs(1)));
        let later = t + Duration::from_secs(1);
        assert_eq!(lanes.gate(4, later), Gate::Go);
        assert_eq!(lanes.gate(1, later), Gate::Go);
    }
}
