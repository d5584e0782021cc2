//! The HTML scorecard in a real browser: headless Chromium renders the page,
//! the rendered DOM holds the SVG chart with one bar per bucket, and a
//! screenshot is not blank. Without Chromium on the machine the tests say they
//! were skipped, except under CI (`CI` set), where they fail; CI installs it
//! (.ci/run). `UPDATE_SCREENSHOT=1` refreshes
//! docs/scorecard.png and docs/history.png, the README's pictures.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("USD1EVAL_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Without a browser the tests say so and pass, except under CI (the `CI`
/// variable set, as `.ci/run` runs), where a missing browser is a failure:
/// a run that tested nothing must not look green.
fn skipped() {
    let why = "chromium not found (install Debian's `chromium`, or set USD1EVAL_CHROMIUM)";
    assert!(std::env::var_os("CI").is_none(), "under CI: {why}");
    eprintln!("skipped: {why}");
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("usd1eval-browser-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs headless Chromium with the flags this sandbox needs (root, no
/// network), a fresh profile, and a time limit.
fn run_chromium(browser: &Path, dir: &Path, args: &[String]) -> String {
    let profile = dir.join("profile");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Read what it prints while it runs: a page larger than the pipe's
    // buffer would otherwise block chromium on its write, and the wait below
    // would never end.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut out).map(|_| out)
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap().unwrap()
}

fn write_page(dir: &Path, args: &[&str]) -> PathBuf {
    let out = assert_cmd::Command::cargo_bin("usd1eval")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = dir.join("page.html");
    std::fs::write(&page, out.stdout).unwrap();
    page
}

#[test]
fn the_scorecard_renders_its_chart_in_a_real_browser() {
    let Some(browser) = chromium() else {
        return skipped();
    };
    let dir = scratch("scorecard");
    let page = write_page(
        &dir,
        &[
            "score",
            "--format",
            "html",
            "--profile",
            "genius-2025",
            "examples/middling.toml",
        ],
    );
    let url = format!("file://{}", page.display());

    let dom = run_chromium(&browser, &dir, &["--dump-dom".into(), url.clone()]);
    assert!(
        dom.contains("<svg class=\"bucket-chart\""),
        "the chart is in the rendered DOM"
    );
    assert_eq!(
        dom.matches("class=\"bucket-bar\"").count(),
        7,
        "one mark per bucket"
    );
    assert!(dom.contains("Growth outruns strength"));
    assert!(dom.contains("Profile genius-2025"));
    assert_eq!(
        dom.matches("<svg class=\"stress-chart\"").count(),
        10,
        "one day-by-day chart per built-in stress scenario"
    );
    assert!(dom.contains("class=\"demand\"") && dom.contains("class=\"liquidity\""));

    screenshot(&browser, &dir, &url, "1100,1500", "docs/scorecard.png");
}

/// Takes a screenshot of the page, checks that it is not blank, and copies
/// it to `docs` when `UPDATE_SCREENSHOT` is set.
fn screenshot(browser: &Path, dir: &Path, url: &str, size: &str, docs: &str) {
    let shot = dir.join("shot.png");
    run_chromium(
        browser,
        dir,
        &[
            format!("--screenshot={}", shot.display()),
            format!("--window-size={size}"),
            url.to_string(),
        ],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let pixels = &pixels[..info.buffer_size()];
    let first = &pixels[..info.line_size.min(4)];
    let differing = pixels.chunks(4).filter(|p| *p != first).count();
    assert!(
        differing > pixels.len() / 4 / 50,
        "the screenshot is not blank ({differing} pixels differ)"
    );
    if std::env::var_os("UPDATE_SCREENSHOT").is_some() {
        std::fs::copy(&shot, docs).unwrap();
    }
}

#[test]
fn the_comparison_page_renders_a_chart_per_arrangement() {
    let Some(browser) = chromium() else {
        return skipped();
    };
    let dir = scratch("compare");
    let page = write_page(
        &dir,
        &[
            "compare",
            "--format",
            "html",
            "examples/strong-regulated.toml",
            "examples/middling.toml",
            "examples/weak.toml",
        ],
    );
    let dom = run_chromium(
        &browser,
        &dir,
        &["--dump-dom".into(), format!("file://{}", page.display())],
    );
    assert_eq!(dom.matches("<svg class=\"bucket-chart\"").count(), 3);
    assert_eq!(dom.matches("class=\"bucket-bar\"").count(), 21);
}

#[test]
fn the_history_page_charts_each_figure_and_marks_the_alerts() {
    let Some(browser) = chromium() else {
        return skipped();
    };
    let dir = scratch("history");
    let mut files: Vec<String> = std::fs::read_dir("examples/history")
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    files.sort();
    let mut args = vec!["history", "--format", "html"];
    args.extend(files.iter().map(String::as_str));
    let page = write_page(&dir, &args);
    let url = format!("file://{}", page.display());
    let dom = run_chromium(&browser, &dir, &["--dump-dom".into(), url.clone()]);
    assert!(dom.contains("<svg class=\"alert-timeline\""));
    let charts = dom.matches("<svg class=\"history-chart").count();
    assert!(charts >= 10, "a chart per story figure ({charts})");
    // Six disclosures: six points on the score's chart.
    let score_chart = dom
        .split("data-figure=\"score\"")
        .nth(1)
        .and_then(|rest| rest.split("</svg>").next())
        .unwrap();
    assert_eq!(score_chart.matches("class=\"point\"").count(), 6);
    // The volatile share's chart is flagged, and its alert's span shaded.
    assert!(dom.contains(
        "<svg class=\"history-chart alerted\" data-figure=\"derived.volatile_share_pct\""
    ));
    assert!(dom.contains("class=\"alert-span\" data-alert=\"volatile-share-rising\""));
    assert!(dom.contains("class=\"alert-mark\" data-alert=\"growth-outruns-strength\""));
    // The change of report firm is an event: a diamond on the date that shows it.
    assert!(dom.contains(
        "class=\"event-mark\" data-alert=\"assurance-lagging\" data-date=\"2026-09-30\""
    ));
    assert!(dom.contains("Tidewater Dollar"));
    screenshot(&browser, &dir, &url, "1100,1400", "docs/history.png");
}
