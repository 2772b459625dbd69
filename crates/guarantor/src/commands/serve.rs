//! `guarantor serve`: the HTTP API over a scenario and a database.

use std::io::Write;
use std::path::PathBuf;

use guarantor_app::{OpenError, ScenarioSource};

use super::{Outcome, cli_actor, invalid};
use crate::args::Database;

/// `guarantor serve`: validates the scenario, opens the database, and serves until killed.
pub(crate) fn serve(
    addr: &str,
    scenario: Option<PathBuf>,
    trusted_proxies: Vec<std::net::IpAddr>,
    public_origin: Option<&str>,
    database: &Database,
    color: bool,
) -> anyhow::Result<Outcome> {
    // Every flag checked before anything is written (the first start creates an account).
    if let Some(origin) = public_origin {
        guarantor_server::public_origin(origin)?;
    }
    let (mut store, shown) = database.open(scenario.as_deref())?;
    let source = ScenarioSource::from_arg(scenario);
    let sources = match guarantor_app::open(&source) {
        Ok((sources, _)) => sources,
        Err(OpenError::Invalid {
            sources,
            diagnostics,
        }) => return invalid(&sources, &diagnostics, false, color),
        Err(e) => return Err(e.into()),
    };
    if store.users()?.is_empty() {
        let password = guarantor_app::random_hex(12);
        guarantor_app::put_user(
            &mut *store,
            "admin",
            &guarantor_app::Role::Planner,
            &password,
            &cli_actor(),
            jiff::Timestamp::now(),
        )?;
        eprintln!(
            "guarantor: no accounts yet: created the planner `admin` with password {password} (shown once; \
             `guarantor user add` makes others)"
        );
    }
    let state = guarantor_server::AppState::new(store, shown, &sources)?;
    state.trust_proxies(trusted_proxies)?;
    if let Some(origin) = public_origin {
        state.set_public_origin(origin)?;
    }
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| anyhow::anyhow!("cannot start the server's runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        let local = listener.local_addr()?;
        println!("guarantor: listening on http://{local}/ (API at /api/v1; Ctrl-C stops)");
        let _ = std::io::stdout().flush();
        guarantor_server::serve(listener, state).await?;
        anyhow::Ok(())
    })?;
    Ok(Outcome::ok(String::new()))
}
