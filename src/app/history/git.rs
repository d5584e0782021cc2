//! `history --git FILE`: the disclosures are the committed versions of one
//! file, read from its repository without checking anything out.
//!
//! The versions are those of the commits `git log --follow -- FILE` lists
//! (renames followed; merges included, each once), read with
//! `git cat-file --batch` as `COMMIT:PATH`. Nothing touches the work tree,
//! the index or `HEAD`: `rev-parse`, `log` and `cat-file` only read.
//! Uncommitted changes are not read. A commit that deleted the file has no
//! version and is passed over. What to do with two versions of one date (the
//! newest commit's wins) is the caller's.
//!
//! # The `git` binary, not the `gix` crate
//! The history is read by running `git` (found on `PATH`), not with `gix`:
//! - **Nothing to build.** `gix` with revision walking, rename tracking and
//!   blob reading is several dozen crates more to compile (on every CI run
//!   that builds the tool, and on small machines) and to keep up to date;
//!   `std::process::Command` costs nothing.
//! - **git is there.** Wherever a repository is checked out (a developer's
//!   machine, a CI runner after `actions/checkout`), the `git` that checked
//!   it out is on `PATH`. Where it is not, the refusal says so (exit 2,
//!   `unreadable`) and the files can still be given by name.
//! - **The same answer as `git log`.** History simplification, `--follow`'s
//!   rename detection, merges, shallow and partial clones (a blob is fetched
//!   when asked for), worktrees, `safe.directory` and the repository's own
//!   configuration behave exactly as the user's git shows them. With `gix`,
//!   following a path through renames and merges would be rebuilt on its
//!   revision walk and tree diffs, and could differ from `git log`.
//!
//! The cost: three processes per run and output to parse, kept to git's
//! machine formats (`-z`, `cat-file --batch`), with the settings that could
//! change them fixed on the command line.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::source::{Code, Diagnostic, MAX_INPUT_BYTES, Severity, SourceFile, too_large};

/// One committed version of the file.
#[derive(Debug)]
pub(super) struct Version {
    /// `PATH@COMMIT`: the file's path in that commit (from the top of the
    /// repository) and the commit's short hash.
    pub name: String,
    /// Its text, or why it cannot be read.
    pub source: Result<SourceFile, Diagnostic>,
}

/// What a file's history holds: its versions, newest first, and warnings
/// about what may be missing from it (a shallow clone).
#[derive(Debug)]
pub(super) struct Committed {
    pub versions: Vec<Version>,
    pub warnings: Vec<Diagnostic>,
}

/// The committed versions of `file`, newest first (in `git log --date-order`:
/// a commit before its parents, otherwise by commit date). Refused, with
/// one diagnostic, when git is missing, the file is not in a work tree or
/// no commit changed it.
pub(super) fn versions(file: &Path) -> Result<Committed, Diagnostic> {
    let shown = crate::text::path(file);
    let refuse = |message: String, help: &str| {
        Diagnostic::file_error(Code::Unreadable, &shown, message).with_help(help.to_string())
    };
    let by_name = "or give the disclosure files by name: `usd1eval history FILE...`";
    if file.as_os_str() == "-" {
        return Err(refuse(
            "standard input has no git history".to_string(),
            "give the path of the file in its repository: `history --git path/to/disclosure.toml`",
        ));
    }
    let Some(name) = file.file_name() else {
        return Err(refuse(
            "cannot read its git history: not the path of a file".to_string(),
            "give the path of the file in its repository: `history --git path/to/disclosure.toml`",
        ));
    };
    if file.is_dir() {
        return Err(refuse(
            "cannot read its git history: is a directory, not a file".to_string(),
            "give the path of the disclosure file itself",
        ));
    }
    let dir = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(refuse(
            format!(
                "cannot read its git history: no such directory {}",
                crate::text::path(dir)
            ),
            "give the path of a file in a checked-out git repository",
        ));
    }

    let not_read = |failure: Failure, help: &str| match failure {
        Failure::NoGit(e) => refuse(
            format!("cannot read its git history: cannot run `git` ({e})"),
            &format!("`history --git` runs the git on PATH; install git, {by_name}"),
        ),
        Failure::Git(message) => refuse(format!("cannot read its git history: {message}"), help),
    };
    let in_repository =
        format!("give the path of a file in a checked-out git repository (a work tree), {by_name}");
    let answer = run(
        dir,
        &[
            "rev-parse",
            "--is-inside-work-tree",
            "--is-shallow-repository",
        ],
    )
    .map_err(|f| match f {
        // A repository another user owns (a container's checkout) is
        // refused by git itself until it is declared safe.
        Failure::Git(message) if message.contains("dubious ownership") => refuse(
            format!("cannot read its git history (git: {message})"),
            "git reads a repository another user owns only when told it is safe: \
             `git config --global --add safe.directory DIR` (DIR: the repository's top)",
        ),
        Failure::Git(message) => refuse(
            format!("not inside a git work tree (git: {message})"),
            &in_repository,
        ),
        f => not_read(f, &in_repository),
    })?;
    let answer = String::from_utf8_lossy(&answer);
    let mut answer = answer.lines();
    if answer.next() != Some("true") {
        return Err(refuse(
            "not inside a git work tree (a bare repository, or inside `.git`)".to_string(),
            &in_repository,
        ));
    }
    let mut warnings = Vec::new();
    if answer.next() == Some("true") {
        warnings.push(
            Diagnostic::at_line(
                Severity::Warning,
                Code::Unreadable,
                &shown,
                (0, 0),
                "the repository is a shallow clone: commits before its depth are not read",
            )
            .with_help(
                "fetch the whole history (`git fetch --unshallow`; with actions/checkout, `fetch-depth: 0`)",
            ),
        );
    }

    let mut log_args: Vec<&std::ffi::OsStr> = [
        "log",
        "--follow",
        // A merge's version is read as well, once (its diff against each
        // parent names the same version).
        "-m",
        "--root",
        "--date-order",
        "--raw",
        "-z",
        "--no-color",
        "--format=%H %h",
        "--",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    log_args.push(name);
    let log = run(dir, &log_args).map_err(|f| {
        not_read(
            f,
            "commit the file first (`git add FILE`, `git commit`); only committed versions are read",
        )
    })?;
    let entries = parse_log(&log);
    if entries.is_empty() {
        return Err(refuse(
            "has no committed version: no commit of its repository changed this path".to_string(),
            "commit the file first (`git add FILE`, `git commit`); only committed versions are read",
        ));
    }
    let versions = read_versions(dir, &entries).map_err(|f| {
        not_read(
            f,
            "check the repository with `git log --follow FILE` and `git fsck`",
        )
    })?;
    Ok(Committed { versions, warnings })
}

/// A change to the file in one commit, as `git log --raw` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    commit: String,
    short: String,
    /// The file's path in the commit, from the top of the repository.
    path: Vec<u8>,
    /// The commit deleted the file: there is no version to read.
    deleted: bool,
    /// The file's mode in the commit: `100644` or `100755` for a file,
    /// `120000` a symbolic link, `160000` a submodule.
    mode: String,
}

impl Entry {
    fn name(&self) -> String {
        format!("{}@{}", String::from_utf8_lossy(&self.path), self.short)
    }
}

/// The entries of `git log --format='%H %h' --raw -z` output, one per
/// commit (the first: `-m` shows a merge once per parent), newest first.
///
/// The output is a run of NUL-terminated fields: a commit's `HASH SHORT`,
/// then for each change a raw line (`:MODE… OID… STATUS`, one colon, mode
/// and object per parent, plus the result's) and its path, or two paths for
/// a rename or copy. A line break separates a commit's header from its
/// changes.
fn parse_log(bytes: &[u8]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut commit: Option<(String, String)> = None;
    let mut fields = bytes.split(|b| *b == 0);
    while let Some(field) = fields.next() {
        let field = trim_line_breaks(field);
        if field.is_empty() {
            continue;
        }
        if field.starts_with(b":") {
            // One colon per parent.
            let parents = field.iter().take_while(|b| **b == b':').count();
            let raw = String::from_utf8_lossy(field.get(parents..).unwrap_or_default());
            let words: Vec<&str> = raw.split(' ').collect();
            // `parents + 1` modes, as many objects, then the status.
            let mode = words.get(parents).copied().unwrap_or_default();
            let object = words.get(2 * parents + 1).copied().unwrap_or_default();
            let status = words.get(2 * parents + 2).copied().unwrap_or_default();
            let renamed = parents == 1 && (status.starts_with('R') || status.starts_with('C'));
            let mut path = fields.next();
            if renamed {
                path = fields.next();
            }
            let (Some(path), Some((hash, short))) = (path, &commit) else {
                continue;
            };
            if entries.iter().any(|e| &e.commit == hash) {
                continue;
            }
            entries.push(Entry {
                commit: hash.clone(),
                short: short.clone(),
                path: path.to_vec(),
                deleted: status.starts_with('D')
                    || (!object.is_empty() && object.bytes().all(|b| b == b'0')),
                mode: mode.to_string(),
            });
        } else {
            let header = String::from_utf8_lossy(field);
            let mut words = header.split(' ');
            if let (Some(hash), Some(short)) = (words.next(), words.next()) {
                commit = Some((hash.to_string(), short.to_string()));
            }
        }
    }
    entries
}

fn trim_line_breaks(field: &[u8]) -> &[u8] {
    let n = field.iter().take_while(|b| **b == b'\n').count();
    field.get(n..).unwrap_or_default()
}

/// Reads every version the entries name, with one `git cat-file --batch`:
/// one request, then its answer, at a time, so that neither pipe fills.
/// A version that is too large, not a file or missing is a diagnostic of
/// its own; only git failing as a whole is a [`Failure`].
fn read_versions(dir: &Path, entries: &[Entry]) -> Result<Vec<Version>, Failure> {
    let mut child = git(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_failure(&e))?;
    let (Some(mut stdin), Some(stdout), Some(mut stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(Failure::Git("git cat-file has no pipes".to_string()));
    };
    // Read in its own thread: git may write more than a pipe holds.
    let errors = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        text
    });
    let mut stdout = BufReader::new(stdout);
    let mut versions = Vec::new();
    let mut failed = None;
    for entry in entries.iter().filter(|e| !e.deleted) {
        let name = entry.name();
        if entry.mode != "100644" && entry.mode != "100755" {
            let what = match entry.mode.as_str() {
                "120000" => "a symbolic link",
                "160000" => "a submodule",
                _ => "not a file",
            };
            versions.push(Version {
                source: Err(Diagnostic::file_error(
                    Code::Unreadable,
                    &name,
                    format!("cannot read this version: the path is {what} in this commit"),
                )),
                name,
            });
            continue;
        }
        if entry.path.contains(&b'\n') {
            versions.push(Version {
                source: Err(Diagnostic::file_error(
                    Code::Unreadable,
                    &name,
                    "cannot read this version: its path holds a line break",
                )),
                name,
            });
            continue;
        }
        let mut request = format!("{}:", entry.commit).into_bytes();
        request.extend_from_slice(&entry.path);
        request.push(b'\n');
        match stdin
            .write_all(&request)
            .and_then(|()| stdin.flush())
            .and_then(|()| read_object(&mut stdout))
        {
            Ok(Object::Text(bytes)) => versions.push(Version {
                source: SourceFile::from_bytes(name.clone(), bytes),
                name,
            }),
            Ok(Object::TooLarge) => versions.push(Version {
                source: Err(too_large(&name, MAX_INPUT_BYTES)),
                name,
            }),
            Ok(Object::Not(what)) => versions.push(Version {
                source: Err(Diagnostic::file_error(
                    Code::Unreadable,
                    &name,
                    format!("cannot read this version: git cat-file answers `{what}`"),
                )),
                name,
            }),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    drop(stdin);
    let status = child.wait();
    let errors = errors.join().unwrap_or_default();
    match (failed, status) {
        (None, Ok(status)) if status.success() => Ok(versions),
        (failed, status) => {
            let said = first_line(&errors);
            Err(Failure::Git(if !said.is_empty() {
                format!("`git cat-file` failed: {said}")
            } else if let Some(e) = failed {
                format!("`git cat-file` failed: {e}")
            } else {
                match status {
                    Ok(status) => format!("`git cat-file` failed ({status})"),
                    Err(e) => format!("`git cat-file` failed: {e}"),
                }
            }))
        }
    }
}

/// One answer of `git cat-file --batch`.
enum Object {
    /// A blob within the size limit.
    Text(Vec<u8>),
    /// A blob larger than [`MAX_INPUT_BYTES`], read past and dropped.
    TooLarge,
    /// Not a blob: git's answer (`… missing`, `… tree 37`).
    Not(String),
}

/// Reads one answer: `OID TYPE SIZE`, the object's bytes and a line break;
/// or one line saying why there is none.
fn read_object(stdout: &mut impl BufRead) -> std::io::Result<Object> {
    let mut header = Vec::new();
    stdout.read_until(b'\n', &mut header)?;
    if header.last() != Some(&b'\n') {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "its output ended early",
        ));
    }
    let header = String::from_utf8_lossy(trim_end(&header)).into_owned();
    let words: Vec<&str> = header.split(' ').collect();
    let (Some(kind), Some(size)) = (words.get(1), words.get(2)) else {
        // `NAME missing` or `NAME ambiguous`: nothing follows.
        let said = words.last().copied().unwrap_or_default().to_string();
        return Ok(Object::Not(said));
    };
    let Ok(size) = size.parse::<u64>() else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("unexpected answer `{}`", crate::text::one_line(&header)),
        ));
    };
    // The object's bytes and the line break after them.
    let mut body = stdout.by_ref().take(size.saturating_add(1));
    let answer = if *kind != "blob" {
        std::io::copy(&mut body, &mut std::io::sink())?;
        Object::Not(format!("{kind} {size}"))
    } else if size > MAX_INPUT_BYTES as u64 {
        std::io::copy(&mut body, &mut std::io::sink())?;
        Object::TooLarge
    } else {
        let mut bytes = Vec::new();
        body.read_to_end(&mut bytes)?;
        if bytes.pop() != Some(b'\n') || bytes.len() as u64 != size {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "its output ended early",
            ));
        }
        Object::Text(bytes)
    };
    Ok(answer)
}

fn trim_end(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\n").unwrap_or(line)
}

/// Why running git gave no answer.
enum Failure {
    /// `git` could not be started (not on `PATH`).
    NoGit(String),
    /// git ran and refused: the first line it said.
    Git(String),
}

fn spawn_failure(e: &std::io::Error) -> Failure {
    Failure::NoGit(match e.kind() {
        std::io::ErrorKind::NotFound => "it is not on PATH".to_string(),
        _ => e.to_string(),
    })
}

/// `git` run in `dir`, with what could change its output or make it wait
/// fixed: no pager, no colour, no signatures, no prompt, paths from the top
/// of the repository, pathspecs taken literally, the repository found from
/// `dir` alone, and no optional lock taken on the index.
fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("--no-pager")
        .arg("--literal-pathspecs")
        .args(["-c", "log.showSignature=false"])
        .args(["-c", "log.diffMerges=separate"])
        .args(["-c", "diff.relative=false"])
        .arg("-C")
        .arg(dir)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_PAGER")
        .stdin(Stdio::null());
    command
}

/// Runs git in `dir` with `args`: its standard output, or why there is none.
fn run<S: AsRef<std::ffi::OsStr>>(dir: &Path, args: &[S]) -> Result<Vec<u8>, Failure> {
    let output = git(dir)
        .args(args)
        .output()
        .map_err(|e| spawn_failure(&e))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let said = first_line(&output.stderr);
        Err(Failure::Git(if said.is_empty() {
            format!("git failed ({})", output.status)
        } else {
            said
        }))
    }
}

/// The first line git wrote on stderr that says something, without its
/// `fatal: ` or `error: `.
fn first_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let line = line
        .strip_prefix("fatal: ")
        .or_else(|| line.strip_prefix("error: "))
        .unwrap_or(line);
    crate::text::one_line(line).into_owned()
}

#[cfg(test)]
mod tests {
    use super::{Entry, parse_log};

    fn entry(commit: &str, path: &str, deleted: bool) -> Entry {
        Entry {
            commit: commit.to_string(),
            short: commit.get(..7).unwrap_or(commit).to_string(),
            path: path.as_bytes().to_vec(),
            deleted,
            mode: if deleted { "000000" } else { "100644" }.to_string(),
        }
    }

    #[test]
    fn a_log_with_a_merge_a_deletion_and_a_rename_reads_one_entry_per_commit() {
        let a = "a".repeat(40);
        let b = "b".repeat(40);
        let c = "c".repeat(40);
        let d = "d".repeat(40);
        let log = format!(
            "{a} aaaaaaa\0\n:100644 100644 1111111 2222222 M\0g.toml\0\
             {a} aaaaaaa\0\n:100644 100644 3333333 2222222 M\0g.toml\0\
             {b} bbbbbbb\0\n:100644 000000 4444444 0000000 D\0g.toml\0\
             {c} ccccccc\0\n:100644 100644 5555555 5555555 R100\0f.toml\0g.toml\0\
             {d} ddddddd\0\n:000000 100644 0000000 5555555 A\0f.toml\0"
        );
        assert_eq!(
            parse_log(log.as_bytes()),
            vec![
                entry(&a, "g.toml", false),
                entry(&b, "g.toml", true),
                entry(&c, "g.toml", false),
                entry(&d, "f.toml", false),
            ]
        );
    }

    #[test]
    fn a_combined_merge_line_reads_the_result_s_mode_and_object() {
        let a = "a".repeat(40);
        let log =
            format!("{a} aaaaaaa\0\n::100644 100644 100644 1111111 2222222 3333333 MM\0x.toml\0");
        assert_eq!(parse_log(log.as_bytes()), vec![entry(&a, "x.toml", false)]);
    }

    #[test]
    fn nothing_or_noise_reads_no_entry() {
        assert!(parse_log(b"").is_empty());
        assert!(parse_log(b"\0\0\n\0:\0").is_empty());
    }
}
