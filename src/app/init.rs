//! `init`: the annotated template.

use super::Exit;
use crate::cli::InitArgs;
use crate::render::Output;
use crate::source::{Code, Diagnostic};
use std::path::Path;

pub(super) fn run(args: &InitArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let template = crate::facts::template::template();
    let Some(path) = &args.out else {
        out.stdout(&template)?;
        return Ok(Exit::Ok);
    };
    // A new disclosure folder is the usual place for a first file: create it.
    let parent = path.parent().unwrap_or(Path::new(""));
    let created = !parent.as_os_str().is_empty() && !parent.exists();
    if created && let Err(e) = std::fs::create_dir_all(parent) {
        out.diagnostics(&[Diagnostic::file_error(
            Code::Usage,
            &path.display().to_string(),
            format!("cannot create the directory {}: {e}", parent.display()),
        )
        .with_help("choose another --out, or create the directory yourself")]);
        return Ok(Exit::Invalid);
    }
    let target = match crate::outputs::Target::new(path) {
        Ok(target) => target,
        Err(d) => {
            out.diagnostics(&[d]);
            return Ok(Exit::Invalid);
        }
    };
    if target.replaces_something() && !args.force {
        out.diagnostics(&[Diagnostic::file_error(
            Code::Usage,
            &crate::text::path(path),
            "already exists; not overwritten",
        )
        .with_help("pass --force to overwrite it, or choose another --out")]);
        return Ok(Exit::Invalid);
    }
    crate::outputs::write_all(&[(&target, template.as_bytes())])?;
    // Beside the file; a stream or a device has no "beside", so the
    // schema goes next to wherever the template is saved.
    let schema = if target.is_file() {
        parent.join(crate::facts::template::SCHEMA_FILE)
    } else {
        Path::new(crate::facts::template::SCHEMA_FILE).to_path_buf()
    };
    let beside = if target.is_file() {
        ""
    } else {
        " in the directory where the template is saved"
    };
    let created = if created {
        format!(" (created the directory {})", crate::text::path(parent))
    } else {
        String::new()
    };
    out.stderr(&format!(
        "wrote {}{created}
  note: for completion and checks in an editor, write the schema its first line names{beside}: \
         usd1eval schema arrangement > {}",
        crate::text::path(path),
        crate::text::path(&schema)
    ));
    Ok(Exit::Ok)
}
