//! Jobs: the daily indicator job over the whole market. So far: the progress rule that
//! decides which `task.progress` events a job publishes ([`progress`]); the runner and
//! the distributed workers come next (issue 6).

pub mod daily;
pub mod progress;
