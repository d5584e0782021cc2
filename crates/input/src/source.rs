//! A loaded input file and the diagnostics that point into it.
//!
//! Every file the tool reads (arrangement, rubric) becomes a [`SourceFile`]: its
//! display name, its text and a table of line starts, so that any byte offset a
//! parser reports can be turned into the `file:line:col` a person reads.

use std::fmt;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

/// The largest input file accepted, in bytes. Real disclosure files are a few
/// kilobytes; anything this large is almost certainly the wrong file.
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024;

/// The largest JSON report read back, as a `--baseline` or a side of `diff`:
/// a report carries every warning of its file, so it can be several times
/// the size of the largest arrangement.
pub const MAX_REPORT_BYTES: usize = 64 * 1024 * 1024;

/// Refuses a run that names standard input (`-`) more than once among its
/// inputs: it can be read only once, and the second reader would see nothing.
pub fn stdin_read_once(inputs: &[&Path]) -> Result<(), Diagnostic> {
    let times = inputs.iter().filter(|i| i.as_os_str() == "-").count();
    if times > 1 {
        return Err(Diagnostic::without_file(
            Code::Usage,
            format!("standard input (`-`) is named {times} times; it can be read only once"),
        )
        .with_help("name `-` once, and the other inputs by their paths"));
    }
    Ok(())
}

/// One input file, read whole.
#[derive(Debug, Clone)]
pub struct SourceFile {
    name: String,
    /// Shared with the diagnostics that show a snippet of it.
    text: Arc<str>,
    line_starts: Vec<usize>,
    /// Whether the text is ASCII: then a column is a byte difference, found
    /// at once however long the line (a million errors on one line of an
    /// array would otherwise count the line's characters a million times).
    ascii: bool,
}

impl SourceFile {
    /// Wraps text that is already in memory (`name` is what messages show).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text: Arc<str> = Arc::from(text.into());
        let line_starts = std::iter::once(0)
            // A newline is one byte in UTF-8; memchr finds each with SIMD
            // and without the char searcher's comparison at every match.
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let ascii = text.is_ascii();
        Self {
            name: name.into(),
            text,
            line_starts,
            ascii,
        }
    }

    /// Reads a file from disk (or standard input for `-`), refusing files that
    /// are too large or not UTF-8 with a located diagnostic. At most one byte
    /// past [`MAX_INPUT_BYTES`] is ever read, so `-` fed from `/dev/zero` or a
    /// huge file is refused at once instead of filling memory.
    /// The path is an OS path: a name that is not UTF-8 is read all the same,
    /// and shown with its bad bytes replaced.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, Diagnostic> {
        Self::read_at_most(path, MAX_INPUT_BYTES)
    }

    /// [`SourceFile::read`] with another limit, in bytes.
    pub fn read_at_most(path: impl AsRef<Path>, limit: usize) -> Result<Self, Diagnostic> {
        let path = path.as_ref();
        let (name, bytes) = if path.as_os_str() == "-" {
            let bytes = read_bounded(std::io::stdin().lock(), limit, 0).map_err(|e| {
                Diagnostic::file_error(Code::Unreadable, "<stdin>", format!("cannot read: {e}"))
            })?;
            ("<stdin>".to_string(), bytes)
        } else {
            let name = path.to_string_lossy();
            let bytes = std::fs::File::open(path)
                .and_then(|file| {
                    // The file's size, when known, sizes the buffer once: a
                    // file read in one call, not in doubling chunks.
                    let hint = file
                        .metadata()
                        .ok()
                        .and_then(|m| usize::try_from(m.len()).ok())
                        .map_or(0, |len| len.min(limit));
                    read_bounded(file, limit, hint)
                })
                .map_err(|e| {
                    let what = match e.kind() {
                        std::io::ErrorKind::NotFound => "no such file".to_string(),
                        std::io::ErrorKind::IsADirectory => {
                            "is a directory, not a file".to_string()
                        }
                        _ => e.to_string(),
                    };
                    Diagnostic::file_error(Code::Unreadable, &name, format!("cannot read: {what}"))
                })?;
            (name.into_owned(), bytes)
        };
        if bytes.len() > limit {
            return Err(too_large(&name, limit));
        }
        Self::decode(name, bytes)
    }

    /// Checks size and encoding of raw bytes before they become a source file.
    pub fn from_bytes(name: String, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        if bytes.len() > MAX_INPUT_BYTES {
            return Err(too_large(&name, MAX_INPUT_BYTES));
        }
        Self::decode(name, bytes)
    }

    /// Checks the encoding of bytes already within their size limit.
    fn decode(name: String, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        match String::from_utf8(bytes) {
            Ok(text) => match memchr::memchr(0, text.as_bytes()) {
                Some(offset) => Err(Self::new(name, text)
                    .error(
                        Code::Binary,
                        offset..offset + 1,
                        format!("file contains a NUL byte at offset {offset}; it looks binary, not TOML text"),
                    )
                    .with_help("check that this is the right file")),
                None => Ok(Self::new(name, text)),
            },
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                // Shown with the bad byte replaced; the bytes before it are as
                // they were, so the offset holds.
                let shown = Self::new(name, String::from_utf8_lossy(e.as_bytes()).into_owned());
                Err(shown
                    .error(
                        Code::NotUtf8,
                        offset..offset + 1,
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
        let column = if self.ascii {
            offset.saturating_sub(line_start)
        } else {
            self.text
                .get(line_start..offset)
                .map_or(0, |prefix| prefix.chars().count())
        };
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

    /// A diagnostic about a byte span of this file.
    pub fn diagnostic(
        &self,
        severity: Severity,
        code: Code,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut span = on_char_boundaries(&self.text, span);
        // The marker stays on the offending line: a table's span runs on.
        if let Some(line) = self.text.get(span.clone()).and_then(|t| t.lines().next()) {
            span.end = span.start + line.len();
        }
        let mut d = Diagnostic::at_line(
            severity,
            code,
            &self.name,
            self.line_col(span.start),
            message,
        );
        d.place = Some(Box::new(Place {
            text: Arc::clone(&self.text),
            span,
            labels: Vec::new(),
        }));
        d
    }

    /// An error about a byte span of this file.
    pub fn error(&self, code: Code, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Error, code, span, message)
    }

    /// The file parsed as spanned TOML, the one way every kind of file
    /// (arrangement, rubric, profile, waivers, scenario) is parsed: the
    /// document, or one `syntax` error per problem the parser met, each at its
    /// place ("TOML syntax: …", with `help`). A problem the parser gives no
    /// place for (its recursion limit on `[a.b.c.…]`) is put on the first of
    /// the most deeply dotted keys or headers.
    pub fn parse_toml(
        &self,
        help: &str,
    ) -> Result<toml::Spanned<toml::de::DeTable<'_>>, Vec<Diagnostic>> {
        let (document, errors) = toml::de::DeTable::parse_recoverable(self.text());
        if errors.is_empty() {
            return Ok(document);
        }
        Err(errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or_else(|| self.deepest_key());
                let message = e.message().trim().replace('\n', " ");
                self.error(Code::Syntax, span, format!("TOML syntax: {message}"))
                    .with_help(help)
            })
            .collect())
    }

    /// The line of the most deeply dotted key or header; the start of the
    /// file when no key is dotted.
    fn deepest_key(&self) -> Range<usize> {
        let depth = |line: &str| {
            let line = line.trim_start();
            let key = if line.starts_with('[') {
                line.split(']').next()
            } else {
                line.split('=').next()
            };
            key.map_or(0, |k| k.matches('.').count())
        };
        let deepest = self
            .text()
            .lines()
            .enumerate()
            .map(|(i, line)| (depth(line), i))
            .filter(|(d, _)| *d > 0)
            // The first of the deepest.
            .max_by_key(|(d, i)| (*d, std::cmp::Reverse(*i)));
        match deepest {
            Some((_, index)) => self.line_span(u32::try_from(index + 1).unwrap_or(u32::MAX)),
            None => 0..0,
        }
    }

    /// The bytes of a 1-based line, without its indentation and line end.
    pub fn line_span(&self, line: u32) -> Range<usize> {
        let index = (line as usize).saturating_sub(1);
        let start = self
            .line_starts
            .get(index)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let content = self.text.get(start..end).unwrap_or_default();
        let trimmed = content.trim_start();
        let from = start + (content.len() - trimmed.len());
        from..from + trimmed.trim_end().len()
    }
}

/// The refusal of a file larger than `limit` bytes.
pub fn too_large(name: &str, limit: usize) -> Diagnostic {
    Diagnostic::file_error(
        Code::TooLarge,
        name,
        format!(
            "file is larger than the limit of {limit} bytes ({} MiB)",
            limit / (1024 * 1024)
        ),
    )
    .with_help(
        "input files are a few kilobytes to a few megabytes; check that this is the right file",
    )
}

/// Reads at most one byte more than `limit`: enough to see that the input is
/// too large, never more. `size_hint` (the expected length, 0 when unknown)
/// sizes the buffer, one byte over so that the end is seen without growing it.
fn read_bounded(
    reader: impl std::io::Read,
    limit: usize,
    size_hint: usize,
) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(size_hint.saturating_add(1));
    let limit = u64::try_from(limit).unwrap_or(u64::MAX);
    std::io::Read::read_to_end(&mut reader.take(limit.saturating_add(1)), &mut bytes)?;
    Ok(bytes)
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
    /// The input cannot be evaluated: exit 2.
    Error,
    /// Said, and the run goes on.
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

/// What kind of problem a diagnostic reports: a stable name that scripts
/// and docs (docs/reliability.md) can rely on, shown as `error[CODE]`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The file cannot be read (missing, a directory, no permission).
    Unreadable,
    /// The file is larger than the limit (4 MiB).
    TooLarge,
    /// The file is not UTF-8 text.
    NotUtf8,
    /// The file holds a NUL byte: it is binary, not text.
    Binary,
    /// The file is not valid TOML (or, for a baseline, not valid JSON).
    Syntax,
    /// A key the file's format does not have.
    UnknownKey,
    /// A required key or table is absent.
    MissingKey,
    /// A value of the wrong type: a string for a number, a table for an array
    /// (in rubric, profile and waiver files, also a required value missing).
    WrongType,
    /// A value outside its allowed range, or not finite.
    OutOfRange,
    /// A date that is not a real date, or carries a time.
    InvalidDate,
    /// A value outside an enumeration or a code list.
    UnknownValue,
    /// An unsupported `format` or `schema_version`, or not a report at all.
    UnsupportedFormat,
    /// Facts that contradict each other (shares, dates, duplicates).
    Inconsistent,
    /// A date later than the file's own `as_of` (a warning).
    AfterAsOf,
    /// A rubric, profile or waiver names something that does not exist.
    UnknownReference,
    /// An id defined twice.
    Duplicate,
    /// An operator that does not fit its fact, or is unknown.
    Operator,
    /// A waiver that expired, or matched no finding.
    Waiver,
    /// A rubric's `[history]` rule that cannot be used (unknown fact,
    /// threshold or id).
    History,
    /// A command-line value that does not fit the inputs.
    Usage,
    /// Writing output failed.
    Output,
    /// Text in a rubric, profile, waiver or scenario file holding a control
    /// character (other than a line break or a tab) or an invisible one.
    ControlCharacter,
    /// More problems in one file than are shown: the count of the rest.
    TooMany,
}

impl Code {
    /// The name shown in `error[CODE]` and written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unreadable => "unreadable",
            Code::TooLarge => "too-large",
            Code::NotUtf8 => "not-utf8",
            Code::Binary => "binary",
            Code::Syntax => "syntax",
            Code::UnknownKey => "unknown-key",
            Code::MissingKey => "missing-key",
            Code::WrongType => "wrong-type",
            Code::OutOfRange => "out-of-range",
            Code::InvalidDate => "invalid-date",
            Code::UnknownValue => "unknown-value",
            Code::UnsupportedFormat => "unsupported-format",
            Code::Inconsistent => "inconsistent",
            Code::AfterAsOf => "after-as-of",
            Code::UnknownReference => "unknown-reference",
            Code::Duplicate => "duplicate",
            Code::Operator => "operator",
            Code::Waiver => "waiver",
            Code::History => "history",
            Code::Usage => "usage",
            Code::Output => "output",
            Code::ControlCharacter => "control-character",
            Code::TooMany => "too-many",
        }
    }
}

/// A problem found in an input file, located at `file:line:col`, with the
/// byte span it concerns; rendered in one place ([`fmt::Display`]) as the
/// offending line with a marker under the span.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// Whether it stops the run.
    pub severity: Severity,
    /// Its stable code (listed in docs/reliability.md).
    pub code: Code,
    /// Empty for a problem with the command line rather than a file.
    pub file: String,
    /// 1-based; 0 when the problem concerns the file as a whole.
    pub line: u32,
    /// 1-based, in characters; 0 with `line` 0.
    pub column: u32,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, where that is known.
    pub help: Option<String>,
    /// Where in the file's text, when the text is at hand.
    #[serde(skip)]
    place: Option<Box<Place>>,
    /// For the diagnostic that counts those not shown: how many of them are
    /// errors, so that a file's error count is the true one.
    #[serde(skip)]
    hidden_errors: usize,
}

/// The bytes of a file a diagnostic concerns, with the file's text for the
/// snippet (shared, not copied).
#[derive(Clone, PartialEq, Eq)]
struct Place {
    text: Arc<str>,
    span: Range<usize>,
    /// Other places that explain it ("first declared here").
    labels: Vec<Label>,
}

/// Leaves the file's text out.
impl fmt::Debug for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Place")
            .field("span", &self.span)
            .field("labels", &self.labels)
            .finish_non_exhaustive()
    }
}

/// A secondary place in the same file and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The bytes of the file it points at.
    pub span: Range<usize>,
    /// What it says of them.
    pub text: String,
}

impl Diagnostic {
    /// A problem located by line and column only, in a file whose text is
    /// not at hand (a waiver's line, a JSON parser's position); line 0 for
    /// the file as a whole.
    pub fn at_line(
        severity: Severity,
        code: Code,
        file: &str,
        (line, column): (u32, u32),
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            code,
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            help: None,
            place: None,
            hidden_errors: 0,
        }
    }

    /// A problem with the file as a whole (unreadable, too large, not UTF-8).
    pub fn file_error(code: Code, file: &str, message: impl Into<String>) -> Self {
        Self::at_line(Severity::Error, code, file, (0, 0), message)
    }

    /// A problem with the command line or the output rather than with an
    /// input file.
    pub fn without_file(code: Code, message: impl Into<String>) -> Self {
        Self::file_error(code, "", message)
    }

    /// Adds the fix.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary place in the same file, shown with `text`.
    pub fn with_label(mut self, span: Range<usize>, text: impl Into<String>) -> Self {
        if let Some(place) = &mut self.place {
            let span = on_char_boundaries(&place.text, span);
            place.labels.push(Label {
                span,
                text: text.into(),
            });
        }
        self
    }

    /// The bytes of the file the problem concerns, when known.
    /// The bytes of the file it concerns, when the text is at hand.
    pub fn span(&self) -> Option<Range<usize>> {
        self.place.as_ref().map(|p| p.span.clone())
    }

    /// True when it stops the run.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `span` clamped to `text` and widened to whole characters.
fn on_char_boundaries(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The lines of `text` that hold every span: their byte range, and the
/// 1-based number of the first.
fn excerpt<'a>(text: &str, spans: impl Iterator<Item = &'a Range<usize>>) -> (Range<usize>, usize) {
    let (low, high) = spans.fold((text.len(), 0), |(low, high), s| {
        (low.min(s.start), high.max(s.end))
    });
    let low = low.min(high);
    let bytes = text.as_bytes();
    let start = bytes
        .get(..low)
        .and_then(|b| memchr::memrchr(b'\n', b))
        .map_or(0, |i| i + 1);
    let mut end = bytes
        .get(high..)
        .and_then(|b| memchr::memchr(b'\n', b))
        .map_or(text.len(), |i| high + i);
    // A Windows line end is not part of the line shown.
    if end > high && bytes.get(end - 1) == Some(&b'\r') {
        end -= 1;
    }
    let line = 1 + bytes
        .get(..start)
        .map_or(0, |b| memchr::memchr_iter(b'\n', b).count());
    (start..end.max(start), line)
}

/// The one rendering of a diagnostic: `error[CODE]: message`, then
/// `--> file:line:col` with the offending line and a marker under the span
/// (annotate-snippets, as rustc, cargo and typos show it), then the help.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level
            .primary_title(self.message.as_str())
            .id(self.code.as_str());
        let mut group = match self.place.as_deref() {
            Some(Place { text, span, labels }) => {
                let (lines, line) = excerpt(
                    text,
                    std::iter::once(span).chain(labels.iter().map(|l| &l.span)),
                );
                let within = |s: &Range<usize>| s.start - lines.start..s.end - lines.start;
                let snippet = Snippet::source(text.get(lines.clone()).unwrap_or_default())
                    .line_start(line)
                    .path(self.file.as_str())
                    .annotation(AnnotationKind::Primary.span(within(span)))
                    .annotations(labels.iter().map(|l| {
                        AnnotationKind::Context
                            .span(within(&l.span))
                            .label(l.text.as_str())
                    }));
                title.element(snippet)
            }
            _ if self.file.is_empty() => Group::with_title(title),
            _ if self.line == 0 => title.element(Origin::path(self.file.as_str())),
            _ => title.element(
                Origin::path(self.file.as_str())
                    .line(self.line as usize)
                    .char_column(self.column as usize),
            ),
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        f.write_str(&Renderer::plain().render(&[group]))
    }
}

/// The most diagnostics kept for one file; the rest are counted in one
/// "and N more". Hundreds of problems alike share a cause, and showing each
/// would cost time and memory in proportion to their number.
pub(crate) const MAX_DIAGNOSTICS_PER_FILE: usize = 100;

/// Puts diagnostics in reading order (by file, then position) so that output
/// is stable, collapses identical ones, and keeps the first
/// `MAX_DIAGNOSTICS_PER_FILE` of each file, then one diagnostic that counts
/// the others, as serious as the worst of them.
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
    diagnostics.dedup_by(|b, a| {
        (&a.file, a.line, a.column, a.severity, a.code, &a.message)
            == (&b.file, b.line, b.column, b.severity, b.code, &b.message)
    });
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len().min(256));
    let mut more: Option<(usize, usize, Diagnostic)> = None;
    let mut in_file = 0;
    for d in diagnostics.drain(..) {
        if kept.last().is_none_or(|last| last.file != d.file) {
            flush_more(&mut kept, more.take());
            in_file = 0;
        }
        in_file += 1;
        if in_file <= MAX_DIAGNOSTICS_PER_FILE {
            kept.push(d);
        } else {
            let error = usize::from(d.is_error());
            more = Some(match more {
                None => (1, error, d),
                Some((n, errors, worst)) => (
                    n + 1,
                    errors + error,
                    if d.severity < worst.severity {
                        d
                    } else {
                        worst
                    },
                ),
            });
        }
    }
    flush_more(&mut kept, more);
    *diagnostics = kept;
}

/// How many errors the diagnostics report, those counted but not shown
/// included.
pub fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .map(|d| match d.code {
            Code::TooMany => d.hidden_errors,
            _ => usize::from(d.is_error()),
        })
        .sum()
}

/// The diagnostic that counts those left out, named after the worst of them.
fn flush_more(kept: &mut Vec<Diagnostic>, more: Option<(usize, usize, Diagnostic)>) {
    if let Some((n, errors, worst)) = more {
        kept.push(Diagnostic {
            hidden_errors: errors,
            severity: worst.severity,
            code: Code::TooMany,
            file: worst.file,
            line: 0,
            column: 0,
            message: format!(
                "and {n} more problem(s) in this file, not shown (the first {MAX_DIAGNOSTICS_PER_FILE} are)"
            ),
            help: Some("fix the ones shown first: many problems alike usually share one cause".into()),
            place: None,
        });
    }
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
    fn display_has_code_file_line_col_snippet_and_help() {
        let source = SourceFile::new("a.toml", "x = 1\n");
        let d = source
            .error(Code::OutOfRange, 4..5, "bad")
            .with_help("fix it");
        assert_eq!(
            d.to_string(),
            "error[out-of-range]: bad\n --> a.toml:1:5\n  |\n1 | x = 1\n  |     ^\n  |\n  = help: fix it"
        );
    }

    #[test]
    fn a_span_is_kept_to_its_first_line_and_to_whole_characters() {
        let source = SourceFile::new("a.toml", "[t]\nçd = 1\n");
        let d = source.error(Code::Syntax, 0..9, "x");
        assert_eq!(d.span(), Some(0..3));
        let d = source.error(Code::Syntax, 5..5, "x");
        assert_eq!(d.span(), Some(4..6));
        assert_eq!((d.line, d.column), (2, 1));
        assert_eq!(source.line_span(2), 4..11);
    }

    #[test]
    fn windows_line_ends_are_not_shown() {
        let source = SourceFile::new("a.toml", "a = 1\r\nb = x\r\n");
        let d = source.error(Code::Syntax, 11..14, "bad");
        assert_eq!(d.span(), Some(11..12));
        let text = d.to_string();
        assert!(text.contains("2 | b = x\n"), "{text:?}");
        assert!(
            !text.contains('\r') && !text.contains('\u{240d}'),
            "{text:?}"
        );
    }

    #[test]
    fn labels_and_problems_without_a_file_render_too() {
        let source = SourceFile::new("a.toml", "a = 1\nb = 2\na = 3\n");
        let d = source
            .error(Code::Duplicate, source.line_span(3), "twice")
            .with_label(source.line_span(1), "first here");
        let text = d.to_string();
        assert!(text.contains("1 | a = 1\n  | ----- first here"), "{text}");
        assert!(text.contains("3 | a = 3\n  | ^^^^^"), "{text}");
        let usage = Diagnostic::without_file(Code::Usage, "no such grade").with_help("grades: A");
        assert_eq!(
            usage.to_string(),
            "error[usage]: no such grade\n  |\n  = help: grades: A"
        );
    }
}
