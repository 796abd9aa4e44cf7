//! The one backoff rule, used wherever something failed and is tried again: a Telegram
//! send, a failed getUpdates, a queued reminder whose delivery failed.

use std::time::Duration;

/// Exponential backoff: `first` after the first failure, doubled after each further
/// failure, never more than `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Backoff {
    #[must_use]
    pub const fn new(first: Duration, max: Duration) -> Self {
        Self { first, max }
    }

    /// The wait after `failures` failures in a row (1 for the first).
    #[must_use]
    pub fn delay(&self, failures: u32) -> Duration {
        let factor = 1u32 << failures.saturating_sub(1).min(16);
        self.first.saturating_mul(factor).min(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_the_first_wait_up_to_the_cap() {
        let b = Backoff::new(Duration::from_millis(100), Duration::from_millis(350));
        let waits: Vec<u128> = (0..=5).map(|n| b.delay(n).as_millis()).collect();
        assert_eq!(waits, [100, 100, 200, 350, 350, 350]);
        let huge = Backoff::new(Duration::from_secs(60), Duration::from_secs(3600));
        assert_eq!(huge.delay(u32::MAX), Duration::from_secs(3600));
    }
}
