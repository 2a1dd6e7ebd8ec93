//! Jobs: the daily indicator job over the whole market.
//!
//! - [`daily`]: the coordinator, embedded or distributed;
//! - [`batch`]: one batch of symbols read, computed and stored;
//! - [`tally`]: a task's counters (in-process or in Redis) and the progress rule's
//!   decisions, with [`progress`] the rule itself;
//! - [`reporter`]: the events and status records a tally's decisions call for;
//! - [`queue`], [`tasks`] and [`worker`]: the distributed job's Redis Streams (one per
//!   task), which tasks are live, and the consumers;
//! - [`stop`]: stopping a job between batches on a signal;
//! - [`background`]: jobs a long-running process (the server) starts and stops.

pub mod background;
pub mod batch;
pub mod daily;
pub mod progress;
pub mod queue;
pub mod reporter;
pub mod stop;
pub mod tally;
pub mod tasks;
pub mod worker;
