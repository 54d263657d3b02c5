//! The short format: one line per diagnostic, in codespan-reporting's short style.

use super::*;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;

/// The source map as codespan-reporting's file database.
pub(super) struct ShortFiles<'s>(&'s SourceMap);

impl<'s> Files<'s> for ShortFiles<'s> {
    type FileId = FileId;
    type Name = String;
    type Source = &'s str;

    fn name(&'s self, id: FileId) -> Result<String, FilesError> {
        self.0
            .get(id)
            .map(|f| escape_name(&f.name).into_owned())
            .ok_or(FilesError::FileMissing)
    }

    fn source(&'s self, id: FileId) -> Result<&'s str, FilesError> {
        self.0
            .get(id)
            .map(|f| f.text.as_ref())
            .ok_or(FilesError::FileMissing)
    }

    fn line_index(&'s self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let f = self.0.get(id).ok_or(FilesError::FileMissing)?;
        Ok(f.lines.line_of(to_u32(byte_index)))
    }

    fn line_range(&'s self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let f = self.0.get(id).ok_or(FilesError::FileMissing)?;
        let count = f.lines.line_count();
        if line_index >= count {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: count.saturating_sub(1),
            });
        }
        let start = (f.lines.line_start(line_index) as usize).min(f.text.len());
        let end = if line_index + 1 < count {
            (f.lines.line_start(line_index + 1) as usize).min(f.text.len())
        } else {
            f.text.len()
        };
        Ok(start..end.max(start))
    }
}

/// One line per diagnostic in codespan-reporting's short style:
/// `path/to/file.xlic:12:5: error[E0101]: unknown party `globx``.
pub fn render_short(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let files = ShortFiles(sources);
    let config = term::Config {
        display_style: term::DisplayStyle::Short,
        ..term::Config::default()
    };
    let mut out = String::new();
    for d in diags {
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        // One line each: every control character escaped, line breaks included.
        let message = escape_name(&d.message);
        let mut diagnostic = cs::Diagnostic::new(severity)
            .with_code(d.code)
            .with_message(message.as_ref());
        if let Some(f) = sources.get(d.primary.span.file) {
            let range = clamp_range(&f.text, d.primary.span);
            diagnostic = diagnostic.with_labels(vec![cs::Label::primary(f.id, range)]);
        }
        let mut buf: Vec<u8> = Vec::new();
        match term::emit_to_io_write(&mut buf, &config, &files, &diagnostic) {
            Ok(()) => out.push_str(&String::from_utf8_lossy(&buf)),
            Err(_) => {
                let p = place(d.primary.span, sources);
                out.push_str(&format!(
                    "{}:{}:{}: {}[{}]: {message}\n",
                    escape_name(p.file),
                    p.line,
                    p.column,
                    severity_word(d.severity),
                    d.code,
                ));
            }
        }
    }
    out
}
