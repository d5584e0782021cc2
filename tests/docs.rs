//! The generated reference pages in docs/ match the code. Regenerate with
//! `UPDATE_DOCS=1 cargo test --test docs`.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use usd1eval::render::reference;

fn check(path: &str, expected: &str) {
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "{path} is out of date with the code; run `UPDATE_DOCS=1 cargo test --test docs` and commit it"
    );
}

#[test]
fn fields_reference_is_current() {
    check("docs/fields.md", &reference::fields_markdown());
}

#[test]
fn derived_reference_is_current() {
    check("docs/derived.md", &reference::derived_markdown());
}

#[test]
fn stress_reference_is_current() {
    let current = std::fs::read_to_string("docs/stress.md").unwrap();
    let fresh = reference::stress_markdown(&current);
    assert!(fresh.contains("| `cash` |") && fresh.contains("| `svb-2023` |"));
    check("docs/stress.md", &fresh);
}

#[test]
fn json_schemas_are_current() {
    let pretty = |v: serde_json::Value| format!("{}\n", serde_json::to_string_pretty(&v).unwrap());
    check(
        "docs/schema/arrangement.schema.json",
        &pretty(reference::arrangement_json_schema()),
    );
    check(
        "docs/schema/report.schema.json",
        &pretty(reference::report_json_schema()),
    );
    check(
        "docs/schema/history.schema.json",
        &pretty(reference::history_json_schema()),
    );
    check(
        "docs/schema/stress.schema.json",
        &pretty(reference::stress_json_schema()),
    );
}

/// The manual pages: `usd1eval.1` and one per subcommand (`usd1eval-score.1`,
/// `usd1eval-rubric-show.1`…), rendered by clap_mangen from the same
/// command-line definition as `--help`, with their file names.
fn man_pages() -> Vec<(String, Vec<u8>)> {
    fn collect(cmd: clap::Command, pages: &mut Vec<(String, Vec<u8>)>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            collect(sub, pages);
        }
        let man = clap_mangen::Man::new(cmd).manual("usd1eval manual");
        let mut text = Vec::new();
        man.render(&mut text).unwrap();
        pages.push((man.get_filename(), text));
    }
    use clap::CommandFactory;
    let mut cmd = usd1eval::cli::Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    collect(cmd, &mut pages);
    pages.sort();
    pages
}

#[test]
fn man_pages_are_current() {
    let pages = man_pages();
    assert!(pages.iter().any(|(name, _)| name == "usd1eval.1"));
    assert!(pages.iter().any(|(name, _)| name == "usd1eval-score.1"));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let _ = std::fs::remove_dir_all("docs/man");
        std::fs::create_dir_all("docs/man").unwrap();
    }
    for (name, text) in &pages {
        check(
            &format!("docs/man/{name}"),
            &String::from_utf8(text.clone()).unwrap(),
        );
    }
    // No page left over from a command that is gone.
    let mut on_disk: Vec<String> = std::fs::read_dir("docs/man")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let names: Vec<String> = pages.into_iter().map(|(name, _)| name).collect();
    assert_eq!(
        on_disk, names,
        "docs/man holds other pages than the commands; run `UPDATE_DOCS=1 cargo test --test docs`"
    );
}

/// `man` renders the page (where man-db is installed; else the test says so).
#[test]
fn man_renders_the_page() {
    let Ok(out) = std::process::Command::new("man")
        .args(["-l", "docs/man/usd1eval-score.1"])
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
    else {
        eprintln!("note: `man` is not installed; the man page was not rendered");
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("NAME"), "{text}");
    assert!(text.contains("usd1eval-score"), "{text}");
    assert!(text.contains("--fail-on-cap"), "{text}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
}
