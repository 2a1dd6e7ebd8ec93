//! Jobs: the daily indicator job over the whole market.
//!
//! - [`daily`]: the coordinator, embedded or distributed;
//! - [`batch`]: one batch of symbols read, computed and stored;
//! - [`tally`]: a task's counters (in-process or in Redis) and the progress rule's
//!   decisions, with [`progress`] the rule itself;
//! - [`reporter`]: the events and status records a tally's decisions call for;
//! - [`queue`] and [`worker`]: the distributed job's Redis Stream and its consumers.

pub mod batch;
pub mod daily;
pub mod progress;
pub mod queue;
pub mod reporter;
pub mod tally;
pub mod worker;
