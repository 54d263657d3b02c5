//! Diagnostics as you type: a worker analyses the newest generation of the open
//! documents after every change (it starts once the documents have stayed unchanged
//! for a millisecond; edits that arrive meanwhile are coalesced: only the newest
//! version is analysed) and publishes the diagnostics of every open document
//! and of every file they import, clearing those that no longer have any.

use crate::convert;
use crate::state::{lock, Analyzed, Shared};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tower_lsp::lsp_types::{Diagnostic, Url};
use tower_lsp::Client;

/// Runs until the session ends (`Shared::stop`).
pub async fn worker(client: Client, shared: Arc<Shared>) {
    loop {
        shared.changed.notified().await;
        if shared.is_closed() {
            return;
        }
        settle(&shared).await;
        let snapshot = shared.snapshot();
        // A newer change is already queued (its wake-up is pending): skip this one.
        let Some(analyzed) = shared.analysis_if_current(snapshot).await else {
            continue;
        };
        // Never publish a stale analysis: a newer change has already woken us again.
        if shared.generation() != analyzed.generation || shared.is_closed() {
            continue;
        }
        publish(&client, &shared, &analyzed).await;
    }
}

/// How long the documents must stay unchanged before an analysis starts, and the
/// most rounds of that wait: edits sent together (a burst, a paste split in pieces, a
/// multi-cursor edit) are analysed once instead of the first alone and then the rest.
const SETTLE: Duration = Duration::from_millis(1);
const SETTLE_ROUNDS: usize = 20;

async fn settle(shared: &Shared) {
    let mut seen = shared.generation();
    for _ in 0..SETTLE_ROUNDS {
        tokio::time::sleep(SETTLE).await;
        let now = shared.generation();
        if now == seen {
            return;
        }
        seen = now;
    }
}

async fn publish(client: &Client, shared: &Shared, an: &Analyzed) {
    let mut by_uri: BTreeMap<Url, Vec<Diagnostic>> = BTreeMap::new();
    for uri in an.files.keys() {
        by_uri.entry(uri.clone()).or_default();
    }
    for d in &an.analysis.compilation.diagnostics {
        let Some(uri) = an.uris.get(&d.primary.span.file) else {
            continue;
        };
        by_uri
            .entry(uri.clone())
            .or_default()
            .push(convert::diagnostic(an, d));
    }
    let now: Vec<Url> = by_uri
        .iter()
        .filter(|(_, d)| !d.is_empty())
        .map(|(u, _)| u.clone())
        .collect();
    let before = std::mem::replace(&mut *lock(&shared.published), now);
    for uri in before {
        by_uri.entry(uri).or_default();
    }
    for (uri, diags) in by_uri {
        let version = an.versions.get(&uri).copied();
        client.publish_diagnostics(uri, diags, version).await;
    }
}
