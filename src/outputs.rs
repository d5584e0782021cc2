//! Report files: the one place the tool writes a file (`score --output`,
//! `init --out`).
//!
//! Every path is checked before anything is evaluated. A regular file (or a
//! new one) is written to a temporary sibling and renamed into place, and only
//! once every report of the run has been written, so a run leaves either all
//! new reports or all old ones. A FIFO or a character device (`/dev/null`, a
//! terminal) is written into, never replaced; `/dev/stdout` and `/dev/stderr`
//! are the process's own streams. Directories, block devices and sockets are
//! refused, and so is `-`, an input of the run, or a path named twice.
//! SIGINT and SIGTERM remove the temporaries before the process ends.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use anyhow::Context;

use crate::source::{Code, Diagnostic};

/// A path refused before anything is written.
fn refuse(path: &Path, message: impl Into<String>, help: &str) -> Diagnostic {
    Diagnostic::file_error(Code::Usage, &crate::text::path(path), message).with_help(help)
}

/// Where one report goes, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    path: PathBuf,
    how: How,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// The process's standard output.
    Stdout,
    /// The process's standard error.
    Stderr,
    /// A FIFO, a character device or a file under `/dev` or `/proc`: written
    /// in place, never replaced.
    Stream,
    /// A regular file, or a new one: a temporary sibling, then a rename.
    Replace,
}

/// Names of the process's own streams.
const STDIN_NAMES: [&str; 3] = ["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"];
const STDOUT_NAMES: [&str; 3] = ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];
const STDERR_NAMES: [&str; 3] = ["/dev/stderr", "/dev/fd/2", "/proc/self/fd/2"];

/// The exit code of a run ended by SIGINT or SIGTERM.
pub const INTERRUPTED: i32 = 130;

impl Target {
    /// Checks one path on its own: what is there decides how it is written.
    pub fn new(path: &Path) -> Result<Self, Diagnostic> {
        if path.as_os_str() == "-" {
            return Err(refuse(
                path,
                "`-` is not a file name for a report",
                "the --format report goes to standard output; to send another format there, \
                 write FORMAT=/dev/stdout",
            ));
        }
        let named = |names: &[&str]| names.iter().any(|n| path == Path::new(n));
        if named(&STDIN_NAMES) {
            // Opening it for writing would truncate the file behind standard
            // input, or hold the write end of the pipe the run reads from.
            return Err(refuse(
                path,
                "is this run's standard input; a report is never written there",
                "write the report to a file, or to standard output with FORMAT=/dev/stdout",
            ));
        }
        let how = if named(&STDOUT_NAMES) {
            How::Stdout
        } else if named(&STDERR_NAMES) {
            How::Stderr
        } else {
            match fs::metadata(path) {
                Ok(m) if m.is_dir() => {
                    return Err(refuse(path, "is a directory", "name a file inside it"));
                }
                Ok(m) if is_stream(&m.file_type()) || is_system_path(path) => How::Stream,
                Ok(m) if m.is_file() => How::Replace,
                Ok(_) => {
                    return Err(refuse(
                        path,
                        "is a special file (a block device or a socket); not written",
                        "write reports to a regular file, a FIFO or a character device",
                    ));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound && !is_system_path(path) => {
                    let dir = parent(path);
                    if !dir.is_dir() {
                        return Err(refuse(
                            path,
                            format!("the directory {} does not exist", dir.display()),
                            "create it first",
                        ));
                    }
                    How::Replace
                }
                Err(e) => {
                    return Err(refuse(
                        path,
                        format!("cannot write there: {e}"),
                        "choose another path",
                    ));
                }
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            how,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the report becomes a file at the path (rather than going
    /// into a stream, a device or the process's own output).
    pub fn is_file(&self) -> bool {
        self.how == How::Replace
    }

    /// Whether writing would replace something already at the path: a file,
    /// or a symbolic link (even one that points nowhere).
    pub fn replaces_something(&self) -> bool {
        self.how == How::Replace && fs::symlink_metadata(&self.path).is_ok()
    }

    /// What identifies the file: its resolved path, so that two spellings of
    /// one file compare equal.
    fn identity(&self) -> PathBuf {
        match self.how {
            How::Stdout => PathBuf::from(STDOUT_NAMES[0]),
            How::Stderr => PathBuf::from(STDERR_NAMES[0]),
            How::Stream | How::Replace => resolved(&self.path),
        }
    }
}

/// Checks every report path of a run before anything is evaluated (and so
/// before standard input is read): each one on its own, none an input of the
/// run nor the file behind `-`, no two naming the same file.
pub fn plan<'a>(
    paths: impl IntoIterator<Item = &'a Path>,
    inputs: &[&Path],
) -> Result<Vec<Target>, Diagnostic> {
    crate::source::stdin_read_once(inputs)?;
    // What `-` reads: `score --output json=in.toml - < in.toml` would
    // otherwise replace its own input with the report.
    let stdin = inputs
        .iter()
        .any(|i| i.as_os_str() == "-")
        .then(|| identity_of(Path::new(STDIN_NAMES[0])))
        .flatten();
    let inputs: Vec<(&Path, PathBuf)> = inputs
        .iter()
        .filter(|i| i.as_os_str() != "-")
        .filter_map(|i| fs::canonicalize(i).ok().map(|p| (*i, p)))
        .collect();
    let mut targets: Vec<Target> = Vec::new();
    for path in paths {
        let target = Target::new(path)?;
        let identity = target.identity();
        if stdin.is_some()
            && matches!(target.how, How::Stream | How::Replace)
            && identity_of(path) == stdin
        {
            return Err(refuse(
                path,
                "is the file this run reads as standard input (`-`); not overwritten",
                "write the report to another path",
            ));
        }
        if let Some((input, _)) = inputs.iter().find(|(_, p)| *p == identity) {
            return Err(refuse(
                path,
                format!(
                    "is the input file {} of this run; not overwritten",
                    crate::text::path(input)
                ),
                "write the report to another path",
            ));
        }
        if let Some(earlier) = targets.iter().find(|t| t.identity() == identity) {
            return Err(refuse(
                path,
                format!(
                    "names the same file as {}; one report would be lost",
                    earlier.path.display()
                ),
                "give each --output its own path",
            ));
        }
        targets.push(target);
    }
    Ok(targets)
}

/// Report files open for writing, in the order of their targets. A file is
/// written to a temporary that [`Open::commit`] renames into place once
/// every report has been written; dropped without a commit, the temporaries
/// are removed and no file is replaced. A FIFO or a device is written as the
/// reports come; the process's own streams get theirs at the commit, so that
/// they do not mix with the report on standard output.
#[derive(Debug)]
pub struct Open {
    sinks: Vec<Sink>,
}

#[derive(Debug)]
enum Sink {
    Staged {
        temp: PathBuf,
        path: PathBuf,
        file: io::BufWriter<fs::File>,
    },
    Stream {
        path: PathBuf,
        file: io::BufWriter<fs::File>,
    },
    Held {
        path: PathBuf,
        stdout: bool,
        text: Vec<u8>,
    },
}

/// Opens every target: files first (a temporary each), then FIFOs and
/// devices, so that nothing is streamed when a file cannot be staged.
pub fn open(targets: &[Target]) -> anyhow::Result<Open> {
    let mut open = Open { sinks: Vec::new() };
    let mut order: Vec<&Target> = targets.iter().filter(|t| t.how == How::Replace).collect();
    order.extend(targets.iter().filter(|t| t.how != How::Replace));
    for target in order {
        let path = target.path.clone();
        let sink = match target.how {
            How::Replace => {
                let (temp, file) =
                    stage(&path).with_context(|| format!("cannot write {}", path.display()))?;
                Sink::Staged {
                    temp,
                    path,
                    file: io::BufWriter::new(file),
                }
            }
            How::Stream => {
                let file = OpenOptions::new()
                    .write(true)
                    .truncate(true)
                    .open(&path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Sink::Stream {
                    path,
                    file: io::BufWriter::new(file),
                }
            }
            How::Stdout | How::Stderr => Sink::Held {
                path,
                stdout: target.how == How::Stdout,
                text: Vec::new(),
            },
        };
        open.sinks.push(sink);
    }
    // Back in the order of the targets.
    let position = |sink: &Sink| {
        targets
            .iter()
            .position(|t| t.path == *sink.path())
            .unwrap_or(usize::MAX)
    };
    open.sinks.sort_by_key(position);
    Ok(open)
}

impl Sink {
    fn path(&self) -> &PathBuf {
        match self {
            Sink::Staged { path, .. } | Sink::Stream { path, .. } | Sink::Held { path, .. } => path,
        }
    }
}

impl Open {
    /// Writes bytes to the `index`th target.
    pub fn write(&mut self, index: usize, bytes: &[u8]) -> anyhow::Result<()> {
        let written = self.writer(index).write_all(bytes);
        written.with_context(|| {
            let path = self.sinks.get(index).map(Sink::path);
            format!(
                "cannot write {}",
                path.map(|p| p.display().to_string()).unwrap_or_default()
            )
        })
    }

    /// The `index`th target as a writer, for a document written in pieces.
    pub fn writer(&mut self, index: usize) -> impl Write + '_ {
        SinkWriter(self.sinks.get_mut(index))
    }

    /// Finishes every target: flushes the streams, writes the held text,
    /// and renames the temporaries into place.
    pub fn commit(mut self) -> anyhow::Result<()> {
        for sink in &mut self.sinks {
            let done = match sink {
                Sink::Staged { file, .. } => file.flush().and_then(|()| file.get_ref().sync_all()),
                Sink::Stream { file, .. } => file.flush(),
                Sink::Held {
                    stdout: true, text, ..
                } => ignore_closed_pipe(io::stdout().lock().write_all(text)),
                Sink::Held { text, .. } => io::stderr().lock().write_all(text),
            };
            done.with_context(|| format!("cannot write {}", sink.path().display()))?;
        }
        for sink in std::mem::take(&mut self.sinks) {
            if let Sink::Staged { temp, path, file } = sink {
                drop(file);
                let renamed = fs::rename(&temp, &path);
                if renamed.is_err() {
                    let _ = fs::remove_file(&temp);
                }
                forget_temporary(&temp);
                renamed.with_context(|| format!("cannot write {}", path.display()))?;
            }
        }
        Ok(())
    }
}

/// One target, written through [`Write`].
struct SinkWriter<'a>(Option<&'a mut Sink>);

impl Write for SinkWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.0 {
            Some(Sink::Staged { file, .. } | Sink::Stream { file, .. }) => file.write(buf),
            Some(Sink::Held { text, .. }) => {
                text.extend_from_slice(buf);
                Ok(buf.len())
            }
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.0 {
            Some(Sink::Staged { file, .. } | Sink::Stream { file, .. }) => file.flush(),
            _ => Ok(()),
        }
    }
}

impl Drop for Open {
    /// Not committed: the temporaries go, and no file is replaced.
    fn drop(&mut self) {
        for sink in self.sinks.drain(..) {
            if let Sink::Staged { temp, file, .. } = sink {
                drop(file);
                let _ = fs::remove_file(&temp);
                forget_temporary(&temp);
            }
        }
    }
}

/// Writes each report, whole, to its target: all files or none.
pub fn write_all(writes: &[(&Target, &[u8])]) -> anyhow::Result<()> {
    let targets: Vec<Target> = writes.iter().map(|(t, _)| (*t).clone()).collect();
    let mut open = open(&targets)?;
    for (index, (_, bytes)) in writes.iter().enumerate() {
        open.write(index, bytes)?;
    }
    open.commit()
}

/// A reader that closed the pipe has taken what it wanted.
fn ignore_closed_pipe(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// A new temporary beside `path`, open for writing.
fn stage(path: &Path) -> io::Result<(PathBuf, fs::File)> {
    remove_temporaries_on_signal();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut attempt = 0u32;
    loop {
        let temp = parent(path).join(format!(
            ".{name}.usd1eval-tmp-{}-{attempt}",
            std::process::id()
        ));
        // Recorded before it exists, so that a signal at any moment finds it.
        remember_temporary(&temp);
        // `create_new` never follows a link someone left at that name.
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => {
                forget_temporary(&temp);
                attempt += 1;
            }
            Err(e) => {
                forget_temporary(&temp);
                return Err(e);
            }
        }
    }
}

/// Temporaries not yet renamed or removed.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn remember_temporary(temp: &Path) {
    if let Ok(mut list) = TEMPORARIES.lock() {
        list.push(temp.to_path_buf());
    }
}

fn forget_temporary(temp: &Path) {
    if let Ok(mut list) = TEMPORARIES.lock() {
        list.retain(|t| t != temp);
    }
}

/// Installs, once, a SIGINT/SIGTERM handler that removes the temporaries and
/// ends the process with [`INTERRUPTED`].
fn remove_temporaries_on_signal() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        // Without a handler the signal still ends the process; only the
        // clean-up is lost, so a failure to install one is not an error.
        let _ = ctrlc::set_handler(|| {
            if let Ok(list) = TEMPORARIES.lock() {
                for temp in list.iter() {
                    let _ = fs::remove_file(temp);
                }
            }
            std::process::exit(INTERRUPTED);
        });
    });
}

/// The directory a path is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The path with its links and `..` resolved; for a file that does not exist
/// yet, its resolved directory joined with its name.
fn resolved(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| {
        let dir = fs::canonicalize(parent(path)).unwrap_or_else(|_| parent(path).to_path_buf());
        match path.file_name() {
            Some(name) => dir.join(name),
            None => dir,
        }
    })
}

/// The device and inode of what a path names, links followed: the one
/// identity a pipe, a device or a file has under every name.
#[cfg(unix)]
fn identity_of(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity_of(_: &Path) -> Option<(u64, u64)> {
    None
}

/// Files under `/dev` and `/proc` belong to the system: written into, never
/// replaced by a rename.
fn is_system_path(path: &Path) -> bool {
    path.starts_with("/dev") || path.starts_with("/proc")
}

#[cfg(unix)]
fn is_stream(file_type: &fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    file_type.is_fifo() || file_type.is_char_device()
}

#[cfg(not(unix))]
fn is_stream(_: &fs::FileType) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("usd1eval-outputs-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn two_spellings_of_one_path_are_one_file() {
        let dir = scratch("spellings");
        let a = dir.join("r.json");
        let b = dir.join("sub/../r.json");
        fs::create_dir_all(dir.join("sub")).unwrap();
        let err = plan([a.as_path(), b.as_path()], &[]).unwrap_err();
        assert!(err.to_string().contains("names the same file"), "{err}");
    }

    #[test]
    fn a_failed_write_replaces_nothing_and_leaves_no_temporary() {
        let dir = scratch("all-or-nothing");
        let good = dir.join("good.json");
        fs::write(&good, "old").unwrap();
        let targets = plan([good.as_path(), Path::new("/dev/full")], &[]).unwrap();
        let err = write_all(&[(&targets[0], b"new"), (&targets[1], b"new")]).unwrap_err();
        assert!(err.to_string().contains("/dev/full"), "{err}");
        assert_eq!(fs::read_to_string(&good).unwrap(), "old");
        let left: Vec<_> = fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }

    #[test]
    fn special_paths_are_streamed_or_refused() {
        assert_eq!(
            Target::new(Path::new("/dev/null")).unwrap().how,
            How::Stream
        );
        assert_eq!(
            Target::new(Path::new("/dev/stdout")).unwrap().how,
            How::Stdout
        );
        assert!(Target::new(Path::new("-")).is_err());
        for name in STDIN_NAMES {
            assert!(Target::new(Path::new(name)).is_err(), "{name}");
        }
        assert!(Target::new(Path::new("/dev/no-such-device")).is_err());
        assert!(Target::new(&std::env::temp_dir()).is_err());
    }
}
