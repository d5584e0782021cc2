//! `check`: validation only.

use super::{Exit, load_arrangement_quietly};
use std::path::PathBuf;

use crate::cli::CheckArgs;
use crate::render::Output;

pub(super) fn run(args: &CheckArgs, out: &mut Output) -> Exit {
    if !super::stdin_read_once(args.files.iter().map(PathBuf::as_path), out) {
        return Exit::Invalid;
    }
    let mut exit = Exit::Ok;
    out.start_progress("checking", args.files.len());
    // Checking writes only to stderr, which cannot fail here.
    let Ok(()) = crate::batch::for_each_in_order(
        &args.files,
        |path| {
            let (arrangement, mut lines) = load_arrangement_quietly(path);
            let valid = arrangement.is_some();
            if let Some(a) = arrangement {
                lines.push(format!(
                    "{}: ok ({} as of {})",
                    crate::text::path(path),
                    crate::text::one_line(&a.facts.name),
                    a.facts.as_of
                ));
            }
            (valid, lines)
        },
        |(valid, lines)| {
            out.advance();
            for line in &lines {
                out.stderr(line);
            }
            if !valid {
                exit = Exit::Invalid;
            }
            Ok::<(), std::convert::Infallible>(())
        },
    );
    out.end_progress();
    exit
}
