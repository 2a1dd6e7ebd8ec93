//! Configuration: every setting, read once from the environment (and a `.env` file in
//! the working directory), validated, with one clear line naming the variable when a
//! value is bad. Names are compatible with the system being replaced (SPEC section 2).

use thiserror::Error;

/// Why the configuration is unusable.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{variable}: {reason}")]
pub struct ConfigError {
    /// The variable at fault.
    pub variable: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

/// The settings the engine runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Source store: `sqlite://PATH` (embedded) or `postgres://...`.
    pub database_url: String,
    /// L3 store for indicator history; defaults to `database_url`.
    pub timeseries_url: String,
}

/// The embedded default store.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/mystocks.db";

impl Config {
    /// Reads `.env` (without overriding the environment), then the environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is the normal case; a malformed one is reported.
        if let Err(e) = dotenvy::dotenv() {
            if !e.not_found() {
                return Err(ConfigError {
                    variable: ".env",
                    reason: e.to_string(),
                });
            }
        }
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Builds the configuration from any variable lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let non_empty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let database_url =
            non_empty("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        check_store_url("DATABASE_URL", &database_url)?;
        let timeseries_url = non_empty("TIMESERIES_URL").unwrap_or_else(|| database_url.clone());
        check_store_url("TIMESERIES_URL", &timeseries_url)?;
        Ok(Self {
            database_url,
            timeseries_url,
        })
    }
}

fn check_store_url(variable: &'static str, url: &str) -> Result<(), ConfigError> {
    let bad = |reason: String| Err(ConfigError { variable, reason });
    if let Some(path) = url.strip_prefix("sqlite:") {
        let path = path.trim_start_matches("//");
        if path.is_empty() {
            return bad(format!(
                "`{url}` has no file path (e.g. sqlite://data/mystocks.db)"
            ));
        }
        return Ok(());
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let rest = url.split_once("://").map_or("", |(_, r)| r);
        if rest.is_empty() || rest.starts_with('/') && rest.len() == 1 {
            return bad(format!("`{url}` has no host or database"));
        }
        return Ok(());
    }
    bad(format!(
        "unsupported store URL `{url}`; use sqlite://PATH or postgres://USER@HOST/DB"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_to_the_embedded_store() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.timeseries_url, DEFAULT_DATABASE_URL);
        let c = cfg(&[("DATABASE_URL", "postgres://u@h/db")]).unwrap();
        assert_eq!(c.timeseries_url, "postgres://u@h/db");
    }

    #[test]
    fn a_bad_url_names_the_variable() {
        let e = cfg(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
        assert_eq!(e.variable, "DATABASE_URL");
        assert!(
            e.to_string()
                .starts_with("DATABASE_URL: unsupported store URL"),
            "{e}"
        );
        let e = cfg(&[("TIMESERIES_URL", "sqlite://")]).unwrap_err();
        assert_eq!(e.variable, "TIMESERIES_URL");
    }
}
