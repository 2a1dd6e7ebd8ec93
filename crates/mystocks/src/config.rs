//! Configuration: every setting, read once from the environment (and a `.env` file in
//! the working directory), validated, with one clear line naming the variable when a
//! value is bad. Names are compatible with the system being replaced (SPEC section 2).
//! No Redis variable set means embedded mode: in-process cache, lock and bus.

use std::net::SocketAddr;
use std::time::Duration;

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

/// How to reach Redis, when it is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisConfig {
    /// `redis://` or `rediss://` URL (from `REDIS_URL`, or built from the parts).
    pub url: String,
    /// `REDIS_MAX_CONNECTIONS`: upper bound on connections to Redis.
    pub max_connections: u32,
    /// `REDIS_SOCKET_TIMEOUT`: a command that takes longer counts as a failure.
    pub socket_timeout: Duration,
    /// `REDIS_SOCKET_CONNECT_TIMEOUT`.
    pub connect_timeout: Duration,
    /// `REDIS_ENABLE_CACHE`: use Redis as the shared L2 tier.
    pub enable_cache: bool,
    /// `REDIS_ENABLE_PUBSUB`: use Redis for the event bus and cross-instance invalidation.
    pub enable_pubsub: bool,
    /// `REDIS_ENABLE_LOCK`: use Redis for distributed locks.
    pub enable_lock: bool,
    /// `REDIS_TLS_CA_CERT`: PEM file of the CA that signed the server's certificate; when
    /// set, `rediss://` trusts it (and only it) instead of the public roots.
    pub tls_ca_cert: Option<std::path::PathBuf>,
}

/// The settings the engine runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Redis, or `None` for embedded mode.
    pub redis: Option<RedisConfig>,
    /// `REDIS_CACHE_TTL`: L2 TTL; each key gets a random 0..=300 s more.
    pub redis_cache_ttl: Duration,
    /// `REDIS_CACHE_PREFIX`: prefix of every cache key.
    pub cache_prefix: String,
    /// `REDIS_PUBSUB_CHANNEL_PREFIX`: prefix of every channel and stream.
    pub pubsub_prefix: String,
    /// `REDIS_LOCK_PREFIX`: prefix of every lock key.
    pub lock_prefix: String,
    /// `REDIS_LOCK_DEFAULT_TIMEOUT`: lock TTL.
    pub lock_timeout: Duration,
    /// `CACHE_L1_TTL`: in-process cache TTL.
    pub l1_ttl: Duration,
    /// `CACHE_L1_MAX_ENTRIES`: in-process cache bound.
    pub l1_max_entries: u64,
    /// `DATABASE_URL`: source store, `sqlite://PATH` (embedded) or `postgres://...`.
    pub database_url: String,
    /// `TIMESERIES_URL`: L3 store for indicator history; defaults to `database_url`.
    pub timeseries_url: String,
    /// `MYSTOCKS_BIND`: HTTP/WebSocket listen address.
    pub bind: SocketAddr,
    /// `JWT_SECRET`: when set, WebSocket and write/admin endpoints need a bearer token.
    pub jwt_secret: Option<String>,
    /// `WS_IDLE_TIMEOUT` (s, default 60): a WebSocket with no client frame (message or
    /// pong) for this long is closed.
    pub ws_idle_timeout: Duration,
    /// `WS_SWEEP_INTERVAL` (s, default 30): how often idle WebSockets are pinged and
    /// closed.
    pub ws_sweep_interval: Duration,
}

/// The embedded default store.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/mystocks.db";

impl Config {
    /// Reads `.env` (without overriding the environment), then the environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is the normal case; a malformed one is reported.
        if let Err(e) = dotenvy::dotenv() {
            if !e.not_found() {
                return Err(ConfigError { variable: ".env", reason: e.to_string() });
            }
        }
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Builds the configuration from any variable lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let v = Vars(&get);
        let database_url = v.text("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
        check_store_url("DATABASE_URL", &database_url)?;
        let timeseries_url = v.text("TIMESERIES_URL").unwrap_or_else(|| database_url.clone());
        check_store_url("TIMESERIES_URL", &timeseries_url)?;
        Ok(Self {
            redis: redis_config(&v)?,
            redis_cache_ttl: Duration::from_secs(v.number("REDIS_CACHE_TTL", 3600, 0, 365 * 86_400)?),
            cache_prefix: v.prefix("REDIS_CACHE_PREFIX", "mystocks:")?,
            pubsub_prefix: v.prefix("REDIS_PUBSUB_CHANNEL_PREFIX", "mystocks:")?,
            lock_prefix: v.prefix("REDIS_LOCK_PREFIX", "mystocks:lock:")?,
            lock_timeout: Duration::from_secs(v.number("REDIS_LOCK_DEFAULT_TIMEOUT", 30, 1, 86_400)?),
            l1_ttl: Duration::from_secs(v.number("CACHE_L1_TTL", 300, 0, 365 * 86_400)?),
            l1_max_entries: v.number("CACHE_L1_MAX_ENTRIES", 100_000, 1, 1 << 40)?,
            database_url,
            timeseries_url,
            bind: match v.text("MYSTOCKS_BIND") {
                None => SocketAddr::from(([127, 0, 0, 1], 8000)),
                Some(s) => s.parse().map_err(|_| ConfigError {
                    variable: "MYSTOCKS_BIND",
                    reason: format!("`{s}` is not an address like 127.0.0.1:8000"),
                })?,
            },
            jwt_secret: v.text("JWT_SECRET"),
            ws_idle_timeout: Duration::from_secs(v.number("WS_IDLE_TIMEOUT", 60, 1, 86_400)?),
            ws_sweep_interval: Duration::from_secs(v.number("WS_SWEEP_INTERVAL", 30, 1, 86_400)?),
        })
    }
}

struct Vars<'a>(&'a dyn Fn(&str) -> Option<String>);

impl Vars<'_> {
    fn text(&self, k: &str) -> Option<String> {
        (self.0)(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    fn number(&self, k: &'static str, default: u64, min: u64, max: u64) -> Result<u64, ConfigError> {
        let Some(s) = self.text(k) else {
            return Ok(default);
        };
        match s.parse::<u64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(ConfigError { variable: k, reason: format!("`{s}` is not a whole number from {min} to {max}") }),
        }
    }

    fn flag(&self, k: &'static str, default: bool) -> Result<bool, ConfigError> {
        let Some(s) = self.text(k) else {
            return Ok(default);
        };
        match s.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(ConfigError { variable: k, reason: format!("`{s}` is not true or false") }),
        }
    }

    /// A key or channel prefix: anything a client could turn into a pattern is refused.
    fn prefix(&self, k: &'static str, default: &str) -> Result<String, ConfigError> {
        let Some(s) = (self.0)(k).filter(|v| !v.is_empty()) else {
            return Ok(default.to_string());
        };
        if s.chars().any(|c| c.is_whitespace() || matches!(c, '*' | '?' | '[' | ']')) {
            return Err(ConfigError { variable: k, reason: format!("`{s}` contains whitespace or a glob character") });
        }
        Ok(s)
    }
}

fn redis_config(v: &Vars) -> Result<Option<RedisConfig>, ConfigError> {
    let url = if let Some(url) = v.text("REDIS_URL") {
        if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
            return Err(ConfigError {
                variable: "REDIS_URL",
                reason: format!("`{url}` is not a redis:// or rediss:// URL"),
            });
        }
        url
    } else if let Some(host) = v.text("REDIS_HOST") {
        let port = v.number("REDIS_PORT", 6379, 1, 65_535)?;
        let db = v.number("REDIS_DB", 0, 0, 1_000_000)?;
        let tls = v.flag("REDIS_USE_SSL", false)?;
        let password = v.text("REDIS_PASSWORD").map(|p| format!(":{}@", percent_encode(&p))).unwrap_or_default();
        format!("{}://{password}{host}:{port}/{db}", if tls { "rediss" } else { "redis" })
    } else {
        return Ok(None);
    };
    let variable = if v.text("REDIS_URL").is_some() { "REDIS_URL" } else { "REDIS_HOST" };
    // Let the client library validate the URL the same way it will use it.
    let info = redis::IntoConnectionInfo::into_connection_info(url.as_str())
        .map_err(|e| ConfigError { variable, reason: format!("`{}`: {e}", redact(&url)) })?;
    let port = match info.addr {
        redis::ConnectionAddr::Tcp(_, port) | redis::ConnectionAddr::TcpTls { port, .. } => Some(port),
        _ => None,
    };
    if port == Some(0) {
        return Err(ConfigError {
            variable,
            reason: format!("`{}`: port 0 is not a port to connect to", redact(&url)),
        });
    }
    let tls_ca_cert = match v.text("REDIS_TLS_CA_CERT") {
        None => None,
        Some(path) => {
            let bad = |reason: String| ConfigError { variable: "REDIS_TLS_CA_CERT", reason };
            let pem = std::fs::read_to_string(&path).map_err(|e| bad(format!("`{path}`: {e}")))?;
            if !pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(bad(format!("`{path}` holds no PEM certificate")));
            }
            if !url.starts_with("rediss://") {
                return Err(bad(format!("is set, but `{}` is not a rediss:// URL", redact(&url))));
            }
            Some(std::path::PathBuf::from(path))
        }
    };
    Ok(Some(RedisConfig {
        max_connections: v.number("REDIS_MAX_CONNECTIONS", 50, 1, 10_000)? as u32,
        socket_timeout: Duration::from_secs(v.number("REDIS_SOCKET_TIMEOUT", 5, 1, 3600)?),
        connect_timeout: Duration::from_secs(v.number("REDIS_SOCKET_CONNECT_TIMEOUT", 5, 1, 3600)?),
        enable_cache: v.flag("REDIS_ENABLE_CACHE", true)?,
        enable_pubsub: v.flag("REDIS_ENABLE_PUBSUB", true)?,
        enable_lock: v.flag("REDIS_ENABLE_LOCK", true)?,
        tls_ca_cert,
        url,
    }))
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The URL with any password replaced, for logs and errors.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}

fn check_store_url(variable: &'static str, url: &str) -> Result<(), ConfigError> {
    let bad = |reason: String| Err(ConfigError { variable, reason });
    if let Some(path) = url.strip_prefix("sqlite:") {
        if path.trim_start_matches("//").is_empty() {
            return bad(format!("`{url}` has no file path (e.g. sqlite://data/mystocks.db)"));
        }
        return Ok(());
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let rest = url.split_once("://").map_or("", |(_, r)| r);
        if rest.is_empty() || rest == "/" {
            return bad(format!("`{url}` has no host or database"));
        }
        return Ok(());
    }
    bad(format!("unsupported store URL `{url}`; use sqlite://PATH or postgres://USER@HOST/DB"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_embedded_and_match_the_spec() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.timeseries_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.redis, None);
        assert_eq!(c.redis_cache_ttl, Duration::from_secs(3600));
        assert_eq!((c.cache_prefix.as_str(), c.lock_prefix.as_str()), ("mystocks:", "mystocks:lock:"));
        assert_eq!((c.l1_ttl, c.l1_max_entries), (Duration::from_secs(300), 100_000));
        assert_eq!(c.bind.to_string(), "127.0.0.1:8000");
        let c = cfg(&[("DATABASE_URL", "postgres://u@h/db")]).unwrap();
        assert_eq!(c.timeseries_url, "postgres://u@h/db");
    }

    #[test]
    fn redis_from_url_or_parts() {
        let c = cfg(&[("REDIS_URL", "redis://127.0.0.1:6380/2"), ("REDIS_HOST", "ignored")]).unwrap();
        assert_eq!(c.redis.unwrap().url, "redis://127.0.0.1:6380/2");
        let c =
            cfg(&[("REDIS_HOST", "cache"), ("REDIS_PASSWORD", "p@ss"), ("REDIS_DB", "3"), ("REDIS_USE_SSL", "true")])
                .unwrap();
        let r = c.redis.unwrap();
        assert_eq!(r.url, "rediss://:p%40ss@cache:6379/3");
        assert!(r.enable_cache && r.enable_pubsub && r.enable_lock);
        assert_eq!(redact(&r.url), "rediss://***@cache:6379/3");
    }

    #[test]
    fn a_bad_value_names_the_variable() {
        for (vars, variable) in [
            (vec![("DATABASE_URL", "mysql://x")], "DATABASE_URL"),
            (vec![("TIMESERIES_URL", "sqlite://")], "TIMESERIES_URL"),
            (vec![("REDIS_URL", "http://x")], "REDIS_URL"),
            (vec![("REDIS_URL", "redis://127.0.0.1:0")], "REDIS_URL"),
            (vec![("REDIS_URL", "rediss://127.0.0.1:0/1")], "REDIS_URL"),
            (vec![("REDIS_URL", "rediss://h:6380"), ("REDIS_TLS_CA_CERT", "/nonexistent.pem")], "REDIS_TLS_CA_CERT"),
            (vec![("REDIS_URL", "redis://h:6380"), ("REDIS_TLS_CA_CERT", "Cargo.toml")], "REDIS_TLS_CA_CERT"),
            (vec![("REDIS_HOST", "h"), ("REDIS_PORT", "0")], "REDIS_PORT"),
            (vec![("REDIS_CACHE_TTL", "-5")], "REDIS_CACHE_TTL"),
            (vec![("REDIS_HOST", "h"), ("REDIS_USE_SSL", "maybe")], "REDIS_USE_SSL"),
            (vec![("REDIS_CACHE_PREFIX", "my*")], "REDIS_CACHE_PREFIX"),
            (vec![("MYSTOCKS_BIND", "localhost")], "MYSTOCKS_BIND"),
            (vec![("CACHE_L1_MAX_ENTRIES", "0")], "CACHE_L1_MAX_ENTRIES"),
        ] {
            let e = cfg(&vars).unwrap_err();
            assert_eq!(e.variable, variable, "{e}");
            assert!(e.to_string().starts_with(&format!("{variable}: ")), "{e}");
            assert!(!e.to_string().contains('\n'), "one line: {e}");
        }
    }
}
