//! Diagnostics as you type: a worker analyses the newest generation of the open
//! documents after every change (it starts once the documents have stayed unchanged
//! for a millisecond; edits that arrive meanwhile are coalesced: only the newest
//! version is analysed) and publishes the diagnostics of every open document
//! and of every file they import, clearing those that no longer have any. Clients
//! that pull (`textDocument/diagnostic`) are answered from the same analysis.

use crate::convert;
use crate::state::{lock, Analyzed, Shared};
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tower_lsp::lsp_types::{
    Diagnostic, DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport, Url,
};
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

/// The diagnostics of every file of an analysis that has a URI (empty lists for the
/// open documents without any), converted.
pub fn by_uri(shared: &Shared, an: &Analyzed) -> BTreeMap<Url, Vec<Diagnostic>> {
    let docs = lock(&shared.code_docs).clone();
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
            .push(convert::diagnostic(an, d, &docs));
    }
    by_uri
}

/// Publishes (pushes) the diagnostics of an analysis. A client that pulls gets the
/// open documents' diagnostics by `textDocument/diagnostic` instead: only the other
/// files are pushed to it (their earlier pushes are cleared when they are opened), and
/// it is asked to pull again.
async fn publish(client: &Client, shared: &Shared, an: &Analyzed) {
    let pull = shared.pull.load(Ordering::SeqCst);
    let mut by_uri = by_uri(shared, an);
    if pull {
        by_uri.retain(|uri, _| !an.files.contains_key(uri));
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
    if pull && shared.pull_refresh.load(Ordering::SeqCst) {
        let client = client.clone();
        tokio::spawn(async move {
            let _ = client.workspace_diagnostic_refresh().await;
        });
    }
}

/// `textDocument/diagnostic` (pull): the diagnostics of one document as analysed now.
/// The result id is the analysis generation, so a client that asks again with it
/// while nothing changed is told the report is unchanged.
pub async fn pull(
    shared: &Shared,
    params: DocumentDiagnosticParams,
) -> DocumentDiagnosticReportResult {
    let an = shared.analysis_now().await;
    let id = an.generation.to_string();
    let report = if params.previous_result_id.as_deref() == Some(id.as_str()) {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                result_id: id,
            },
        })
    } else {
        let items = by_uri(shared, &an)
            .remove(&params.text_document.uri)
            .unwrap_or_default();
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(id),
                items,
            },
        })
    };
    DocumentDiagnosticReportResult::Report(report)
}
