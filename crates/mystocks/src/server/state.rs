//! The server's shared state: one cheap-to-clone handle around the engine's parts,
//! built once at start-up and passed to every handler (no globals but the process-wide
//! metrics recorder).

use std::ops::Deref;
use std::sync::Arc;
use std::time::Instant;

use super::auth::Auth;
use super::metrics::{job_observer, Metrics};
use super::ws::hub::Hub;
use crate::bus::Bus;
use crate::jobs::background::BackgroundJobs;
use crate::jobs::daily::bus_for;
use crate::quotes::Quotes;
use crate::runtime::Runtime;

/// What every handler can reach.
pub struct Shared {
    /// The engine: stores, Redis link, tiered cache, locks, scheduler.
    pub rt: Runtime,
    /// The event bus (Redis or in-process, chosen once).
    pub bus: Arc<dyn Bus>,
    /// Daily jobs started through the API.
    pub jobs: BackgroundJobs,
    /// Latest quotes.
    pub quotes: Quotes,
    /// The bearer-token check of the write routes, when `JWT_SECRET` is set.
    pub auth: Option<Auth>,
    /// The Prometheus registry (`None` if the process has another recorder).
    pub metrics: Option<Metrics>,
    /// When the server started.
    pub started: Instant,
    /// The WebSocket gateway's hub.
    pub ws: Hub,
}

/// The state handle.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// The state over an assembled engine, from its configuration.
    pub fn new(rt: Runtime) -> Self {
        let bus = bus_for(&rt);
        let jobs = BackgroundJobs::new(rt.clone(), bus.clone(), job_observer());
        let quotes = Quotes::new(rt.store.clone(), rt.cache.l2().cloned(), &rt.config.cache_prefix, bus.clone());
        let auth = rt.config.jwt_secret.as_deref().map(Auth::new);
        let ws = Hub::start(bus.clone(), rt.config.ws_idle_timeout, rt.config.ws_sweep_interval);
        Self(Arc::new(Shared { rt, bus, jobs, quotes, auth, metrics: Metrics::global(), started: Instant::now(), ws }))
    }
}
