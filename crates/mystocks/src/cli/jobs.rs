//! `mystocks jobs`: recent tasks, newest first, or one task's record (`jobs show ID`).

use std::io::Write;

use clap::{Args, Subcommand};

use crate::jobs::daily::job_record;
use crate::runtime::Runtime;
use crate::store::JobRecord;

/// Arguments of `mystocks jobs`.
#[derive(Debug, Args)]
pub struct JobsArgs {
    /// One task instead of the list.
    #[command(subcommand)]
    pub show: Option<JobsCommand>,
    /// At most this many tasks.
    #[arg(long, default_value_t = 20, value_parser = super::parse_positive)]
    pub limit: usize,
    /// Print JSON.
    #[arg(long, global = true)]
    pub json: bool,
}

/// `mystocks jobs show ID`.
#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// One task's record (status, counts, times, result with failures).
    Show {
        /// Task id, e.g. calc_1767000000000.
        task_id: String,
    },
}

fn time(t: Option<i64>) -> String {
    t.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| "-".into())
}

fn line(j: &JobRecord) -> String {
    format!(
        "{}  {:<11} {:>6.2}%  {}/{} processed, {} failed  started {}  finished {}",
        j.task_id,
        j.status.as_str(),
        j.progress,
        j.processed,
        j.total,
        j.failed,
        time(j.started_at),
        time(j.finished_at)
    )
}

/// Lists tasks or shows one.
pub async fn run(args: &JobsArgs, rt: &Runtime, out: &mut dyn Write) -> anyhow::Result<()> {
    match &args.show {
        Some(JobsCommand::Show { task_id }) => {
            let mut job = job_record(rt, task_id).await?;
            // The symbol list can be thousands long: its size is enough here.
            let symbols = job.spec.as_ref().and_then(|s| s.get("symbols")).and_then(|s| s.as_array()).map(Vec::len);
            if let Some(spec) = job.spec.as_mut().and_then(|s| s.as_object_mut()) {
                spec.remove("symbols");
                if let Some(n) = symbols {
                    spec.insert("symbols_count".into(), n.into());
                }
            }
            if args.json {
                serde_json::to_writer(&mut *out, &job)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{}", line(&job))?;
                if let Some(result) = &job.result {
                    writeln!(out, "result: {result}")?;
                }
            }
        }
        None => {
            let jobs = rt.store.list_jobs(args.limit).await?;
            if args.json {
                serde_json::to_writer(&mut *out, &serde_json::json!({ "jobs": jobs }))?;
                writeln!(out)?;
            } else if jobs.is_empty() {
                writeln!(out, "no tasks yet (`mystocks daily` starts one)")?;
            } else {
                for j in &jobs {
                    writeln!(out, "{}", line(j))?;
                }
            }
        }
    }
    Ok(())
}
