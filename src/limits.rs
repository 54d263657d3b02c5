//! The input limits every compilation enforces, so that no input can exhaust memory or
//! the stack. Each limit has a default that no real agreement comes near; the command
//! line can lower or raise them (`--max-file-bytes`, `--max-nesting`, `--max-files`,
//! `--max-syntax-errors`), within hard ceilings that keep the compiler itself safe.

/// The limits of one compilation. `Limits::default()` is what `xlic` uses unless told
/// otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this many bytes are not read (E0007).
    pub max_file_bytes: usize,
    /// Braces and brackets nested deeper than this are skipped (E0006).
    pub max_nesting: usize,
    /// At most this many files (inputs plus imports) in one compilation.
    pub max_files: usize,
    /// At most this many syntax errors are reported per file; the rest are counted.
    pub max_syntax_errors: usize,
}

/// Default maximum file size: 64 MiB.
pub const DEFAULT_MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Default maximum nesting of `{`/`[`.
pub const DEFAULT_MAX_NESTING: usize = 64;
/// Default maximum number of files in one compilation.
pub const DEFAULT_MAX_FILES: usize = 10_000;
/// Default maximum number of syntax errors reported per file.
pub const DEFAULT_MAX_SYNTAX_ERRORS: usize = 100;

/// The nesting limit can be raised up to this and no further: the tree walkers
/// recurse once per level, and this depth stays far inside a thread's stack.
pub const CEILING_MAX_NESTING: usize = 256;
/// The file size limit can be raised up to this and no further: spans are 32-bit
/// byte offsets.
pub const CEILING_MAX_FILE_BYTES: usize = u32::MAX as usize;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_nesting: DEFAULT_MAX_NESTING,
            max_files: DEFAULT_MAX_FILES,
            max_syntax_errors: DEFAULT_MAX_SYNTAX_ERRORS,
        }
    }
}

impl Limits {
    /// Checks limits given by a user against the ceilings; the error says which one is
    /// out of range and what is allowed.
    pub fn validated(self) -> Result<Limits, String> {
        if self.max_nesting == 0 || self.max_nesting > CEILING_MAX_NESTING {
            return Err(format!(
                "--max-nesting must be between 1 and {CEILING_MAX_NESTING}, not {}",
                self.max_nesting
            ));
        }
        if self.max_file_bytes == 0 || self.max_file_bytes > CEILING_MAX_FILE_BYTES {
            return Err(format!(
                "--max-file-bytes must be between 1 and {CEILING_MAX_FILE_BYTES}, not {}",
                self.max_file_bytes
            ));
        }
        if self.max_files == 0 {
            return Err("--max-files must be at least 1".to_string());
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_ceilings_are_enforced() {
        assert_eq!(Limits::default().validated(), Ok(Limits::default()));
        let deep = Limits {
            max_nesting: CEILING_MAX_NESTING + 1,
            ..Limits::default()
        };
        assert!(deep.validated().is_err_and(|e| e.contains("--max-nesting")));
        let none = Limits {
            max_files: 0,
            ..Limits::default()
        };
        assert!(none.validated().is_err_and(|e| e.contains("--max-files")));
    }
}
