//! A loaded input file and the diagnostics that point into it.
//!
//! Every file the tool reads (arrangement, rubric) becomes a [`SourceFile`]: its
//! display name, its text and a table of line starts, so that any byte offset a
//! parser reports can be turned into the `file:line:col` a person reads.

use std::fmt;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The largest input file accepted, in bytes. Real disclosure files are a few
/// kilobytes; anything this large is almost certainly the wrong file.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// One input file, read whole.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps text that is already in memory (`name` is what messages show).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            // A newline is one byte in UTF-8; memchr finds each with SIMD
            // and without the char searcher's comparison at every match.
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Self {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// Reads a file from disk (or standard input for `-`), refusing files that
    /// are too large or not UTF-8 with a located diagnostic.
    pub fn read(path: &str) -> Result<Self, Diagnostic> {
        let (name, bytes) = if path == "-" {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
                .map_err(|e| Diagnostic::file_error("<stdin>", format!("cannot read: {e}")))?;
            ("<stdin>".to_string(), bytes)
        } else {
            let bytes = std::fs::read(Path::new(path)).map_err(|e| {
                let what = match e.kind() {
                    std::io::ErrorKind::NotFound => "no such file".to_string(),
                    std::io::ErrorKind::IsADirectory => "is a directory, not a file".to_string(),
                    _ => e.to_string(),
                };
                Diagnostic::file_error(path, format!("cannot read: {what}"))
            })?;
            (path.to_string(), bytes)
        };
        Self::from_bytes(name, bytes)
    }

    /// Checks size and encoding of raw bytes before they become a source file.
    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        if bytes.len() > MAX_INPUT_BYTES {
            return Err(Diagnostic::file_error(
                &name,
                format!(
                    "file is {} bytes; the limit is {MAX_INPUT_BYTES} bytes",
                    bytes.len()
                ),
            )
            .with_help(
                "an arrangement file is a few kilobytes of TOML; check that this is the right file",
            ));
        }
        match String::from_utf8(bytes) {
            Ok(text) => match memchr::memchr(0, text.as_bytes()) {
                Some(offset) => Err(Diagnostic::file_error(
                    &name,
                    format!("file contains a NUL byte at offset {offset}; it looks binary, not TOML text"),
                )
                .with_help("check that this is the right file")),
                None => Ok(Self::new(name, text)),
            },
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                Err(Diagnostic::file_error(
                    &name,
                    format!("file is not valid UTF-8 (first bad byte at offset {offset})"),
                )
                .with_help("save the file as UTF-8 text"))
            }
        }
    }

    /// The name messages use for this file.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Lowercase hex SHA-256 of the file's bytes, so a report names exactly
    /// what it scored.
    pub fn sha256(&self) -> String {
        hex_sha256(self.text.as_bytes())
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line_index = self.line_index(offset);
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        (to_u32(line_index + 1), to_u32(column + 1))
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u32 {
        // Every fact records its line; the column is not needed for that.
        to_u32(self.line_index(offset) + 1)
    }

    /// 0-based index of the line holding a byte offset (the last line for an
    /// offset past the end).
    fn line_index(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// A diagnostic located at a byte offset of this file.
    pub fn diagnostic(
        &self,
        severity: Severity,
        offset: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.line_col(offset);
        Diagnostic {
            severity,
            file: self.name.clone(),
            line,
            column,
            message: message.into(),
            help: None,
        }
    }

    /// An error located at a byte offset of this file.
    pub fn error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Error, offset, message)
    }
}

/// A "did you mean" for serde's `unknown field `x`, expected one of `a`, `b``
/// message, when one of the expected names is close to the unknown one.
pub fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    crate::facts::schema::did_you_mean(unknown, expected).map(|s| format!("did you mean `{s}`?"))
}

/// Lowercase hex SHA-256 of some bytes.
pub fn hex_sha256(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        for nibble in [b >> 4, b & 0xf] {
            text.push(char::from(
                HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    text
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How serious a diagnostic is: errors stop evaluation, warnings do not.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The name the JSON report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A problem found in an input file, located at `file:line:col`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    /// 1-based; 0 when the problem concerns the file as a whole.
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// How to fix it, where that is known.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem with the file as a whole (unreadable, too large, not UTF-8).
    pub fn file_error(file: &str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.to_string(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
        }
    }

    /// Adds the fix.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line == 0 {
            write!(f, "{label}: {}: {}", self.file, self.message)?;
        } else {
            write!(
                f,
                "{label}: {}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by position so that output is stable and reads top to bottom.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let source = SourceFile::new("a.toml", "ab\nçd = 1\n");
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(3), (2, 1));
        // `ç` is two bytes but one column.
        assert_eq!(source.line_col(6), (2, 3));
        assert_eq!((source.line(0), source.line(3), source.line(7)), (1, 2, 2));
    }

    #[test]
    fn non_utf8_names_the_offset() {
        let err = SourceFile::from_bytes("x.toml".into(), vec![b'a', 0xff]).unwrap_err();
        assert!(err.message.contains("offset 1"), "{}", err.message);
    }

    #[test]
    fn oversized_input_is_refused() {
        let err =
            SourceFile::from_bytes("x.toml".into(), vec![b' '; MAX_INPUT_BYTES + 1]).unwrap_err();
        assert!(err.message.contains("limit"));
    }

    #[test]
    fn nul_bytes_are_refused_as_binary() {
        let err = SourceFile::from_bytes("x.toml".into(), b"ab\0c".to_vec()).unwrap_err();
        assert!(
            err.message.contains("NUL byte at offset 2"),
            "{}",
            err.message
        );
    }

    #[test]
    fn unknown_serde_fields_get_a_hint() {
        let m = "unknown field `titel`, expected one of `id`, `title`, `version`";
        assert_eq!(
            unknown_field_hint(m).as_deref(),
            Some("did you mean `title`?")
        );
        assert_eq!(unknown_field_hint("something else"), None);
    }

    #[test]
    fn display_has_file_line_col_and_help() {
        let source = SourceFile::new("a.toml", "x = 1\n");
        let d = source.error(4, "bad").with_help("fix it");
        assert_eq!(d.to_string(), "error: a.toml:1:5: bad\n  help: fix it");
    }
}
