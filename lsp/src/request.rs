//! What every request handler starts from: the analysis of the documents as they were
//! when the request arrived, the file it is about, and position conversions.

use crate::convert;
use crate::state::{Analyzed, Shared, TextMap};
use std::sync::Arc;
use tower_lsp::lsp_types::{Position, Range, Url};
use xlic::source::{FileId, Span};

/// Runs library code, turning a panic into `None`: no input may crash the server.
pub fn guard<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok()
}

/// A request's view of one document.
pub struct Ctx {
    pub uri: Url,
    pub an: Arc<Analyzed>,
    pub file: FileId,
}

/// The last analysis in which the document parsed, with the map from today's text to
/// the text it had then.
pub struct Fallback {
    pub an: Arc<Analyzed>,
    pub file: FileId,
    pub map: TextMap,
}

/// The context of a request about `uri`. Call it before any other `.await` in the
/// handler, so that the request sees exactly the changes sent before it.
pub async fn at(shared: &Shared, uri: &Url) -> Option<Ctx> {
    let an = shared.analysis_now().await;
    let file = an.file(uri)?;
    Some(Ctx {
        uri: uri.clone(),
        an,
        file,
    })
}

impl Ctx {
    pub fn text(&self) -> &str {
        self.an.text(self.file)
    }

    pub fn offset(&self, pos: Position) -> u32 {
        match self.an.lines(self.file) {
            Some(lines) => convert::offset(self.text(), lines, pos),
            None => 0,
        }
    }

    pub fn range(&self, start: u32, end: u32) -> Range {
        convert::span_range(
            &self.an,
            Span {
                file: self.file,
                start,
                end,
            },
        )
    }

    /// The last good analysis, when the document does not parse now.
    pub fn fallback(&self, shared: &Shared) -> Option<Fallback> {
        if self.an.analysis.parses(self.file) {
            return None;
        }
        let an = shared.last_good(&self.uri, &self.an)?;
        let file = an.file(&self.uri)?;
        let map = TextMap::new(an.text(file), self.text());
        Some(Fallback { an, file, map })
    }
}

impl Fallback {
    /// A span of the old analysis in today's text of the document (spans in other
    /// files are kept as they are).
    pub fn span_now(&self, span: Span, now: FileId) -> Option<Span> {
        if span.file != self.file {
            return Some(span);
        }
        Some(Span {
            file: now,
            start: self.map.to_new(span.start)?,
            end: self.map.to_new(span.end)?,
        })
    }
}
