//! Delays between attempts to reach something that went away: the engine,
//! a database. One shape for every collector, so they all behave alike.

use std::time::Duration;

/// First wait after a failure.
pub const FIRST: Duration = Duration::from_millis(500);
/// Longest wait: a server that comes back is seen within this.
pub const LONGEST: Duration = Duration::from_secs(5);

/// Doubling delays from [`FIRST`] up to [`LONGEST`].
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { next: FIRST }
    }
}

impl Backoff {
    /// The delay before the next attempt; the one after is twice as long.
    pub fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = (delay * 2).min(LONGEST);
        delay
    }

    /// Back to the first delay, after a success.
    pub fn reset(&mut self) {
        self.next = FIRST;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_half_a_second_to_five_and_resets() {
        let mut backoff = Backoff::default();
        let delays: Vec<u128> = (0..6).map(|_| backoff.next_delay().as_millis()).collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 5000, 5000]);
        backoff.reset();
        assert_eq!(backoff.next_delay(), FIRST);
    }
}
