//! The Docker engine collector: container list, live events, stats.
