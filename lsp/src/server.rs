//! The language server: document synchronisation and the dispatch of every request to
//! its handler module. Only conversion happens here and in the handlers; every answer
//! comes from `xlic::ide`.

use crate::state::{lock, Shared};
use crate::{
    actions, completion, convert, diagnostics, format, hints, hover, navigate, symbols, tokens,
    workspace,
};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tower_lsp::jsonrpc::Result;
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

pub struct Backend {
    client: Client,
    shared: Arc<Shared>,
}

impl Backend {
    pub fn new(client: Client, shared: Arc<Shared>) -> Backend {
        Backend { client, shared }
    }

    /// `xlic/documentText`: the server's copy of a document (text and version), to check
    /// that edits were applied as the client sent them.
    pub async fn document_text(&self, params: TextDocumentIdentifier) -> Result<serde_json::Value> {
        let snapshot = self.shared.snapshot();
        Ok(match snapshot.doc(&params.uri) {
            Some(d) => serde_json::json!({ "version": d.version, "text": d.doc.text.as_ref() }),
            None => serde_json::Value::Null,
        })
    }
}

fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|f| f.uri.to_file_path().ok())
        .collect();
    #[allow(deprecated)]
    if roots.is_empty() {
        roots.extend(params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()));
    }
    roots
}

/// What the server offers; `pull`: the client asked for pull diagnostics.
pub fn capabilities(pull: bool) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into(), ">".into(), "[".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
                range: Some(true),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        inlay_hint_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        diagnostic_provider: pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some("xlic".to_string()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        document_highlight_provider: Some(OneOf::Left(true)),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// The id of the `**/*.xlic` watcher registration.
pub const WATCH_ID: &str = "xlic-watch-files";

/// Asks the client to report every `*.xlic` created, changed or deleted under the
/// workspace (a `git checkout`, an edit in another program).
fn watch_registration() -> Registration {
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String("**/*.xlic".to_string()),
            kind: None,
        }],
    };
    Registration {
        id: WATCH_ID.to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(options).ok(),
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        self.shared.set_roots(workspace_roots(&params));
        let watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.shared.can_watch.store(watch, Ordering::SeqCst);
        let snippets = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        self.shared.snippets.store(snippets, Ordering::SeqCst);
        let pull = params
            .capabilities
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        self.shared.pull.store(pull, Ordering::SeqCst);
        let refresh = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.diagnostic.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        self.shared.pull_refresh.store(refresh, Ordering::SeqCst);
        let docs = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("codeDocs"))
            .and_then(serde_json::Value::as_str)
            .unwrap_or(convert::DEFAULT_CODE_DOCS);
        *lock(&self.shared.code_docs) = docs.to_string();
        Ok(InitializeResult {
            capabilities: capabilities(pull),
            server_info: Some(ServerInfo {
                name: "xlic-lsp".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        workspace::rescan(self.client.clone(), self.shared.clone());
        if self.shared.can_watch.load(Ordering::SeqCst) {
            // Not awaited here: the client answers when it likes, and nothing waits.
            let client = self.client.clone();
            tokio::spawn(async move {
                if let Err(e) = client.register_capability(vec![watch_registration()]).await {
                    client
                        .log_message(
                            MessageType::WARNING,
                            format!("xlic-lsp: the client refused the file watcher: {e}"),
                        )
                        .await;
                }
            });
        }
        self.client
            .log_message(MessageType::INFO, "xlic-lsp ready")
            .await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    // Document changes are applied before the first `.await`, so they take effect in
    // the order the client sent them.
    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        self.shared.edit(|s| s.open(d.uri, d.version, d.text));
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let d = params.text_document;
        self.shared
            .edit(|s| s.change(&d.uri, d.version, params.content_changes));
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.shared.edit(|s| s.close(&uri));
        self.shared.forget(&uri);
    }

    // Imported files that are not open are read from disk: read them again.
    async fn did_save(&self, _: DidSaveTextDocumentParams) {
        self.shared.edit(|s| s.touch());
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.shared.edit(|s| s.touch());
        // A file created or deleted changes the workspace index.
        if params
            .changes
            .iter()
            .any(|c| c.typ != FileChangeType::CHANGED)
        {
            workspace::rescan(self.client.clone(), self.shared.clone());
        }
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: &[WorkspaceFolder]| -> Vec<PathBuf> {
            folders
                .iter()
                .filter_map(|f| f.uri.to_file_path().ok())
                .collect()
        };
        self.shared
            .change_roots(paths(&params.event.added), &paths(&params.event.removed));
        workspace::rescan(self.client.clone(), self.shared.clone());
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<Vec<SymbolInformation>>> {
        Ok(symbols::workspace_symbols(&self.shared, params).await)
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(hover::hover(&self.shared, params).await)
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        Ok(navigate::definition(&self.shared, params).await)
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        Ok(navigate::references(&self.shared, params).await)
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        navigate::prepare_rename(&self.shared, params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        navigate::rename(&self.shared, params).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        Ok(navigate::document_links(&self.shared, params).await)
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        Ok(diagnostics::pull(&self.shared, params).await)
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        Ok(navigate::document_highlights(&self.shared, params).await)
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        Ok(navigate::selection_ranges(&self.shared, params).await)
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        Ok(format::range_formatting(&self.shared, params))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        Ok(completion::completion(&self.shared, params).await)
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(symbols::document_symbols(&self.shared, params).await)
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        Ok(symbols::folding_ranges(&self.shared, params).await)
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        Ok(format::formatting(&self.shared, params))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        Ok(tokens::semantic_tokens(&self.shared, params).await)
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        Ok(tokens::semantic_tokens_delta(&self.shared, params).await)
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        Ok(tokens::semantic_tokens_range(&self.shared, params).await)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        Ok(actions::code_actions(&self.shared, params).await)
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        Ok(hints::inlay_hints(&self.shared, params).await)
    }
}
