//! `usd1eval history`: successive disclosures of one arrangement. A drifting
//! series raises its alerts although its snapshot scores barely move, a
//! declining one raises its own, a steadily growing one none; order by date,
//! exit codes, waivers of alerts, the rubric's `[history]` section.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{scratch, usd1eval};
use predicates::prelude::*;
use serde_json::Value;

fn series(name: &str) -> Vec<String> {
    let dir = format!("tests/fixtures/history/{name}");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{dir} holds five quarters or more");
    files
}

fn history_json(files: &[String]) -> Value {
    let out = usd1eval()
        .args(["history", "--format", "json"])
        .args(files)
        .output()
        .unwrap();
    common::assert_succeeded(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

fn alert_ids(h: &Value) -> Vec<String> {
    h["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

/// Asserts that every one of `expected` is among the alerts raised.
fn assert_raised(h: &Value, expected: &[&str]) {
    let ids = alert_ids(h);
    for id in expected {
        assert!(ids.iter().any(|i| i == id), "{id} in {ids:?}");
    }
}

/// The first alert whose `key` is `value`.
fn alert<'h>(h: &'h Value, key: &str, value: &str) -> &'h Value {
    h["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a[key] == value)
        .unwrap_or_else(|| panic!("an alert with {key} = {value}"))
}

fn scores(h: &Value) -> Vec<f64> {
    h["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["score"].as_f64().unwrap())
        .collect()
}

#[test]
fn drift_raises_its_alerts_although_the_snapshot_scores_stay_flat() {
    let h = history_json(&series("drift"));
    // Each quarter's scorecard looks much like the one before: the rubric's
    // volatile-beyond-buffer penalty moves the score a little every quarter,
    // never by as much as `score-falling` asks, and `diff` of two quarters
    // shows a point or so.
    let scores = scores(&h);
    for pair in scores.windows(2) {
        assert!(
            (pair[1] - pair[0]).abs() <= 1.5,
            "quarter to quarter the score barely moves: {scores:?}"
        );
    }
    assert_raised(
        &h,
        &[
            "volatile-share-rising",
            "buffer-shrinking",
            "growth-outruns-strength",
        ],
    );
    assert!(!alert_ids(&h).contains(&"score-falling".to_string()));
    let volatile = alert(&h, "id", "volatile-share-rising");
    assert_eq!(volatile["figure"], "derived.volatile_share_pct");
    assert_eq!(volatile["from"], "2025-09-30");
    assert_eq!(volatile["to"], "2026-09-30");
    assert_eq!(volatile["before"], 12.5);
    assert_eq!(volatile["after"], 19.0);
    assert!(
        volatile["message"]
            .as_str()
            .unwrap()
            .contains("rose from 12.5% on 2025-09-30 to 19% on 2026-09-30")
    );
    let growth = alert(&h, "id", "growth-outruns-strength");
    assert_eq!(growth["figure"], "supply.outstanding_usd");
    assert!(growth["message"].as_str().unwrap().contains("grew 50%"));
}

#[test]
fn decline_raises_assurance_concentration_and_score_alerts() {
    let h = history_json(&series("decline"));
    assert_raised(
        &h,
        &[
            "assurance-lagging",
            "concentration-rising",
            "score-falling",
            "reporting-cadence-slipping",
        ],
    );
    // The supply did not grow: a decline is not growth outrunning strength.
    assert!(!alert_ids(&h).contains(&"growth-outruns-strength".to_string()));
    // The firm changed to an unregistered one.
    let firm = alert(&h, "figure", "derived.latest_report_registered_firm");
    assert_eq!(firm["id"], "assurance-lagging");
    assert_eq!(
        (firm["before"].as_f64(), firm["after"].as_f64()),
        (Some(1.0), Some(0.0))
    );
}

#[test]
fn steady_growth_raises_nothing() {
    let files = series("steady");
    let h = history_json(&files);
    assert_eq!(alert_ids(&h), Vec::<String>::new());
    let outstanding: Vec<f64> = h["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["facts"]["supply.outstanding_usd"].as_f64().unwrap())
        .collect();
    assert!(
        outstanding.last().unwrap() / outstanding[0] >= 2.0,
        "supply doubles"
    );
    usd1eval()
        .args(["history", "--fail-on-deterioration"])
        .args(&files)
        .assert()
        .success()
        .stdout(predicate::str::contains("No alert"));
}

#[test]
fn a_disclosure_without_a_grade_is_a_point_without_one() {
    let dir = scratch("history-not-graded");
    let mut files = series("steady");
    // The legal structure of the reserves is a core fact: without it, no grade.
    let text = std::fs::read_to_string(&files[2])
        .unwrap()
        .replace("legal_structure = \"bankruptcy-remote-trust\"\n", "");
    let ungraded = dir.join("2026-03-31.toml");
    std::fs::write(&ungraded, text).unwrap();
    files[2] = ungraded.to_str().unwrap().to_string();
    let h = history_json(&files);
    assert_eq!(h["points"][2]["grade"], Value::Null);
    assert!(h["points"][2]["score"].is_number());
    assert_eq!(h["points"][1]["grade"], "A");
    for format in ["table", "markdown", "html"] {
        usd1eval()
            .args(["history", "--format", format])
            .args(&files)
            .assert()
            .success()
            .stdout(predicate::str::contains("not graded"));
    }
}

#[test]
fn the_example_history_tells_its_story() {
    let files: Vec<String> = (std::fs::read_dir("examples/history").unwrap())
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    assert!(files.len() >= 6);
    assert_raised(
        &history_json(&files),
        &[
            "growth-outruns-strength",
            "volatile-share-rising",
            "buffer-shrinking",
            "assurance-lagging",
            "concentration-rising",
            "redemption-time-rising",
        ],
    );
}

#[test]
fn points_are_in_date_order_whatever_the_argument_order() {
    let files = series("drift");
    let mut reversed = files.clone();
    reversed.reverse();
    let mut shuffled = files.clone();
    shuffled.swap(0, 3);
    shuffled.swap(1, 4);
    let forward = history_json(&files);
    let dates: Vec<&str> = forward["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["as_of"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted);
    assert_eq!(history_json(&reversed), forward);
    assert_eq!(history_json(&shuffled), forward);
}

#[test]
fn exit_codes() {
    let drift = series("drift");
    usd1eval().arg("history").args(&drift).assert().success();
    usd1eval()
        .args(["history", "--fail-on-deterioration"])
        .args(&drift)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "deterioration: volatile-share-rising:",
        ));
    // The exit code is the same whatever the format.
    for format in ["json", "markdown", "html"] {
        usd1eval()
            .args(["history", "--fail-on-deterioration", "--format", format])
            .args(&drift)
            .assert()
            .code(1);
    }
}

#[test]
fn two_arrangements_are_refused_naming_the_files() {
    let mut files = series("drift");
    let other = series("decline");
    files.push(other[0].clone());
    usd1eval()
        .arg("history")
        .args(&files)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains(format!(
                "describes arrangement `Fenwick Bay Dollar`, but {} and 4 other file(s) describe `Sloane Harbor Dollar`",
                files[0]
            ))
                .and(predicate::str::contains(format!("--> {}", other[0])))
                .and(predicate::str::contains("a history follows one arrangement")),
        );
}

#[test]
fn two_files_of_one_date_are_refused_naming_both() {
    let dir = scratch("history-same-date");
    let files = series("drift");
    let copy = dir.join("copy.toml");
    std::fs::copy(&files[2], &copy).unwrap();
    let copy = copy.to_str().unwrap().to_string();
    usd1eval()
        .arg("history")
        .args(&files)
        .arg(&copy)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("has the same [arrangement].as_of (2026-03-31)")
                .and(predicate::str::contains(files[2].as_str()))
                .and(predicate::str::contains(copy.as_str())),
        );
}

#[test]
fn an_unreadable_disclosure_is_exit_2() {
    let mut files = series("steady");
    files.push("tests/fixtures/history/missing.toml".into());
    usd1eval()
        .arg("history")
        .args(&files)
        .assert()
        .code(2)
        .stdout("");
}

/// `history` of the drift series with a waiver file of `text` and `options`.
fn drift_with_waivers(text: &str, options: &[&str]) -> assert_cmd::assert::Assert {
    let dir = scratch(&format!("history-waivers-{}", text.len()));
    let waivers = dir.join("waivers.toml");
    std::fs::write(&waivers, text).unwrap();
    usd1eval()
        .arg("history")
        .args(options)
        .arg("--waivers")
        .arg(&waivers)
        .args(series("drift"))
        .assert()
}

#[test]
fn a_waiver_accepts_a_known_alert() {
    let all = "[[waiver]]\nalert = \"volatile-share-rising\"\nreason = \"commercial paper approved by the board until Q1\"\n\
        [[waiver]]\nalert = \"buffer-shrinking\"\nreason = \"capital raise closing in October\"\n\
        [[waiver]]\nalert = \"stress-weakening\"\nreason = \"the same raise restores the T+1 share\"\n\
        [[waiver]]\nalert = \"growth-outruns-strength\"\nreason = \"same\"\n";
    let out = drift_with_waivers(all, &["--format", "json", "--fail-on-deterioration"]).success();
    let h: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(
        h["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["waived"].is_string())
    );
    // One waiver fewer: the rest still fails.
    let fewer = all.split("[[waiver]]\nalert = \"growth").next().unwrap();
    drift_with_waivers(fewer, &["--fail-on-deterioration"])
        .code(1)
        .stderr(predicate::str::contains(
            "deterioration: growth-outruns-strength",
        ));
    // A waiver that matches no raised alert is a warning, or an error when denied.
    let unused = "[[waiver]]\nalert = \"uptime-falling\"\nreason = \"maintenance window\"\n";
    drift_with_waivers(unused, &[])
        .success()
        .stderr(predicate::str::contains(
            "waiver for `uptime-falling` matches no raised alert",
        ));
    drift_with_waivers(unused, &["--deny-unused-waivers"]).code(2);
    // An unknown alert id is refused with a hint.
    drift_with_waivers(
        "[[waiver]]\nalert = \"volatile-share-risng\"\nreason = \"typo\"\n",
        &[],
    )
    .code(2)
    .stderr(
        predicate::str::contains("waiver names unknown alert `volatile-share-risng`").and(
            predicate::str::contains("did you mean `volatile-share-rising`?"),
        ),
    );
}

#[test]
fn alert_waivers_do_not_disturb_score() {
    let dir = scratch("history-waivers-score");
    let waivers = dir.join("waivers.toml");
    std::fs::write(
        &waivers,
        "[[waiver]]\nalert = \"buffer-shrinking\"\nreason = \"capital raise\"\n",
    )
    .unwrap();
    usd1eval()
        .args(["score", "--quiet", "--deny-unused-waivers", "--waivers"])
        .arg(&waivers)
        .arg("examples/middling.toml")
        .assert()
        .success();
}

#[test]
fn table_and_markdown_show_trends_and_alerts() {
    let drift = series("drift");
    usd1eval()
        .arg("history")
        .args(&drift)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("history of Sloane Harbor Dollar · 5 disclosure(s)")
                .and(predicate::str::contains("⚠ Volatile share"))
                .and(predicate::str::contains("▁"))
                .and(predicate::str::contains(
                    "⚠ growth-outruns-strength 2025-09-30 → 2026-09-30",
                )),
        );
    usd1eval()
        .args(["history", "--format", "markdown"])
        .args(&drift)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("## usd1eval history: 5 alert(s)")
                .and(predicate::str::contains(":warning: `buffer-shrinking`")),
        );
}

#[test]
fn the_history_section_of_a_rubric_is_validated() {
    let dir = scratch("history-rubric");
    let rubric = dir.join("rubric.toml");
    std::fs::write(
        &rubric,
        "id = \"mine\"\ntitle = \"Mine\"\nextends = \"milestones\"\n\n\
         [history.growth]\nfigure = \"supply.outstanding_usd\"\nmin_growth_pct = 0\nstrength = [\"volatile-share-risin\"]\n\n\
         [[history.alert]]\nid = \"volatile-share-rising\"\nfigure = \"derived.volatile_shar_pct\"\nworse = \"higher\"\nby = 3\n\n\
         [[history.alert]]\nid = \"Bad Id\"\nfigure = \"score\"\nworse = \"up\"\nby = -1\n\n\
         [[history.alert]]\nid = \"chains\"\nfigure = \"chain[].monitored\"\nworse = \"lower\"\nby = 1\nlimit = 2\n\n\
         [[history.alert]]\nid = \"both\"\nfigure = \"derived.overcollateral_pct\"\nworse = \"lower\"\nby = 1\nlevel = 0\n\n\
         [[history.alert]]\nid = \"neither\"\nfigure = \"derived.overcollateral_pct\"\nworse = \"lower\"\n\n\
         [[history.alert]]\nid = \"wild\"\nfigure = \"stress.*.surviv\"\nworse = \"lower\"\nby = 1\n\n\
         [[history.alert]]\nid = \"share-of-yes\"\nfigure = \"stress.*.survives\"\nworse = \"lower\"\nby_pct = 50\n\n\
         [[history.event]]\nid = \"custody\"\nevent = \"custodian\"\n\n\
         [[history.event]]\nid = \"firm\"\nevent = \"report-firm\"\ngrace_days = 10\n",
    )
    .unwrap();
    usd1eval()
        .args(["rubric", "check"])
        .arg(&rubric)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown key `limit` in [[history.alert]]",
        ));
    let text = std::fs::read_to_string(&rubric)
        .unwrap()
        .replace("limit = 2\n", "");
    std::fs::write(&rubric, text).unwrap();
    usd1eval()
        .args(["rubric", "check"])
        .arg(&rubric)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("watches unknown figure `derived.volatile_shar_pct`")
                .and(predicate::str::contains(
                    "did you mean `derived.volatile_share_pct`?",
                ))
                .and(predicate::str::contains(
                    "alert `Bad Id`: ids are kebab-case",
                ))
                .and(predicate::str::contains("has worse = \"up\""))
                .and(predicate::str::contains("has by = -1"))
                .and(predicate::str::contains(
                    "watches unknown figure `chain[].monitored`",
                ))
                .and(predicate::str::contains("min_growth_pct = 0"))
                .and(predicate::str::contains(
                    "alert `both` has both a `level` and a `by` or `by_pct`",
                ))
                .and(predicate::str::contains(
                    "alert `neither` has no `by`, `by_pct` or `level`",
                ))
                .and(predicate::str::contains(
                    "alert `wild` watches unknown figure `stress.*.surviv`",
                ))
                .and(predicate::str::contains(
                    "did you mean `stress.*.survives`?",
                ))
                .and(predicate::str::contains(
                    "watches yes/no `stress.run-30-5.survives` other than with `by = 1`",
                ))
                .and(predicate::str::contains(
                    "event `custody` watches unknown event `custodian`",
                ))
                .and(predicate::str::contains("did you mean `custodians`?"))
                .and(predicate::str::contains(
                    "event `firm`: `grace_days` applies to the `report-pause` event only",
                ))
                .and(predicate::str::contains(
                    "counts unknown alert `volatile-share-risin`",
                )),
        );
}

#[test]
fn a_rubric_may_set_its_own_thresholds() {
    let dir = scratch("history-thresholds");
    let rubric = dir.join("rubric.toml");
    std::fs::write(
        &rubric,
        "id = \"lenient\"\ntitle = \"Lenient\"\nextends = \"milestones\"\n\n\
         [[history.alert]]\nid = \"volatile-share-rising\"\nfigure = \"derived.volatile_share_pct\"\nworse = \"higher\"\nby = 10\n",
    )
    .unwrap();
    let out = usd1eval()
        .args(["history", "--format", "json", "--rubric"])
        .arg(&rubric)
        .args(series("drift"))
        .output()
        .unwrap();
    common::assert_succeeded(&out);
    let h: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Its own section replaces the base's: a rise of 6.5 points is within 10.
    assert_eq!(alert_ids(&h), Vec::<String>::new());
}

#[test]
fn an_alert_on_a_stress_figure_fires() {
    // The base run's lowest coverage falls from 1.040 to 1.008 over the
    // Tidewater quarters: an alert on it must see that, not silence.
    let dir = scratch("history-stress-figure");
    let rubric = dir.join("rubric.toml");
    std::fs::write(
        &rubric,
        "id = \"stress-watch\"\ntitle = \"Stress watch\"\nextends = \"milestones\"\n\n\
         [[history.alert]]\nid = \"stress-weakening\"\nfigure = \"stress.run-30-5.min_coverage_ratio\"\nworse = \"lower\"\nby = 0.02\n",
    )
    .unwrap();
    let mut files: Vec<String> = std::fs::read_dir("examples/history")
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    files.sort();
    let out = usd1eval()
        .args(["history", "--format", "json", "--rubric"])
        .arg(&rubric)
        .args(&files)
        .output()
        .unwrap();
    common::assert_succeeded(&out);
    let h: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(alert_ids(&h), vec!["stress-weakening".to_string()], "{h}");
}

#[test]
fn explain_describes_an_alert() {
    usd1eval()
        .args(["explain", "buffer-shrinking"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("buffer-shrinking (history alert)").and(
                predicate::str::contains(
                    "Over-collateral (`derived.overcollateral_pct`) falls by 1.5 or more",
                ),
            ),
        );
    usd1eval()
        .args(["explain", "buffer-shrinkin"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `buffer-shrinking`?"));
}

#[test]
fn the_history_json_validates_against_its_schema() {
    let validator =
        jsonschema::validator_for(&usd1eval::render::reference::history_json_schema()).unwrap();
    for name in ["drift", "decline", "steady"] {
        let h = history_json(&series(name));
        let errors: Vec<String> = validator
            .iter_errors(&h)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{name}");
    }
}

/// The alerts of `id` on `figure`.
fn alerts_on<'h>(h: &'h Value, id: &str, figure: &str) -> Vec<&'h Value> {
    h["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["id"] == id && a["figure"] == figure)
        .collect()
}

/// The files of a series written from the record (two points or more).
fn record(name: &str) -> Vec<String> {
    let dir = format!("tests/fixtures/history/{name}");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .filter(|p| p.ends_with(".toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_november_2025_trigger_thins_the_buffer_by_a_quarter_of_itself() {
    // The largest offshore token, Q3 2024 and Q3 2025 as published: the
    // buffer fell 1.2 points, less than `by`, but lost 24 % of itself.
    let h = history_json(&record("trigger-2025"));
    let buffer = alerts_on(&h, "buffer-shrinking", "derived.overcollateral_pct");
    assert_eq!(buffer.len(), 1, "{h}");
    assert_eq!(buffer[0]["kind"], "change");
    assert_eq!(buffer[0]["threshold_pct"], 20.0);
    let message = buffer[0]["message"].as_str().unwrap();
    assert!(message.contains("(−24%)"), "{message}");
}

#[test]
fn a_year_of_a_buffer_thinning_by_a_fifth_shrinks_it() {
    let h = history_json(&record("thinning-year"));
    // No quarter moved the buffer by as much as `by`.
    let buffers: Vec<f64> = h["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["derived"]["overcollateral_pct"].as_f64().unwrap())
        .collect();
    assert!(buffers.windows(2).all(|w| w[0] - w[1] < 1.5), "{buffers:?}");
    let buffer = alerts_on(&h, "buffer-shrinking", "derived.overcollateral_pct");
    assert_eq!(buffer.len(), 1, "{h}");
    assert_eq!(
        (&buffer[0]["from"], &buffer[0]["to"]),
        (&Value::from("2025-09-30"), &Value::from("2026-09-30"))
    );
}

#[test]
fn the_2023_decline_raises_the_events_a_snapshot_cannot_see() {
    let h = history_json(&record("decline-2023"));
    let custody = alerts_on(&h, "custodian-changed", "reserves.custodian[].name");
    // The Swiss account opened, the failed US custodian dropped out, then
    // everything but the Hong Kong trust company.
    assert_eq!(
        custody
            .iter()
            .map(|a| a["to"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["2023-06-23", "2023-12-31", "2024-09-24"]
    );
    assert!(
        custody
            .iter()
            .all(|a| a["kind"] == "event" && a["waived"].is_null())
    );
    let failed = custody[1]["message"].as_str().unwrap();
    assert!(
        failed.contains("Prime Trust (US) no longer listed"),
        "{failed}"
    );
    let offshore = custody[2]["message"].as_str().unwrap();
    assert!(
        offshore.contains("custody now in HK (was BS, CH, HK)"),
        "{offshore}"
    );
    // Units outstanding collapsed.
    let supply = alerts_on(&h, "supply-falling", "supply.outstanding_usd");
    assert_eq!(supply.len(), 1);
    assert!(supply[0]["after"].as_f64().unwrap() < supply[0]["before"].as_f64().unwrap() * 0.27);
    // The firm change to one declared not registered, at that disclosure;
    // the real-time claim of that firm; the pause before it.
    let firm = alerts_on(&h, "assurance-lagging", "attestation[].firm");
    assert_eq!(firm.len(), 1);
    assert_eq!(
        (&firm[0]["from"], &firm[0]["to"]),
        (&Value::from("2024-01-15"), &Value::from("2024-01-16"))
    );
    let realtime = alerts_on(
        &h,
        "assurance-lagging",
        "transparency.reserve_report_frequency",
    );
    assert_eq!(realtime.len(), 1);
    assert_eq!(realtime[0]["to"], "2024-01-16");
    let pause = alerts_on(
        &h,
        "assurance-lagging",
        "derived.latest_attestation_age_days",
    );
    assert!(
        pause
            .iter()
            .any(|a| a["kind"] == "event" && a["to"] == "2024-01-15"),
        "{pause:?}"
    );
    // Each point says who held the reserves and whose report was newest.
    let last = h["points"].as_array().unwrap().last().unwrap();
    assert_eq!(last["custodians"].as_array().unwrap().len(), 1);
    assert!(last["report_firm"].is_string());
}

#[test]
fn an_older_event_is_shown_but_fails_no_gate() {
    // The last two disclosures of the 2023 decline: their events fail the
    // gate; the first three disclosures' events are history by then.
    let files = record("decline-2023");
    let early: Vec<String> = files[..3].to_vec();
    let h = history_json(&early);
    assert!(!alerts_on(&h, "custodian-changed", "reserves.custodian[].name").is_empty());
    // Add a disclosure that changes nothing the events watch.
    let dir = scratch("history-old-event");
    let copy = dir.join("later.toml");
    let text = std::fs::read_to_string(&files[2])
        .unwrap()
        .replace("as_of = 2023-12-31", "as_of = 2024-01-01");
    std::fs::write(&copy, text).unwrap();
    let out = usd1eval()
        .args(["history", "--format", "json", "--fail-on-deterioration"])
        .args(&early)
        .arg(&copy)
        .output()
        .unwrap();
    let h: Value = serde_json::from_slice(&out.stdout).unwrap();
    let gating: Vec<&Value> = h["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["to"] == "2024-01-01")
        .collect();
    assert!(
        !alerts_on(&h, "custodian-changed", "reserves.custodian[].name").is_empty(),
        "the event stays in the history"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("custodian-changed"), "{stderr}");
    assert_eq!(
        out.status.code(),
        Some(if gating.is_empty() { 0 } else { 1 }),
        "{stderr}"
    );
}

#[test]
fn every_point_carries_its_stress_results_and_confidence() {
    let h = history_json(&series("drift"));
    for p in h["points"].as_array().unwrap() {
        let stress = p["stress"].as_object().unwrap();
        for measure in ["survives", "min_coverage_ratio", "unpaid_usd"] {
            assert!(
                stress.contains_key(&format!("run-march-2023.{measure}")),
                "{measure}"
            );
        }
        assert!(stress.contains_key("max_redeemable_pct.t1"));
        assert!(["high", "medium", "low"].contains(&p["confidence"].as_str().unwrap()));
    }
}

#[test]
fn every_alert_id_of_the_default_rubric_is_documented_and_in_the_schema() {
    let rubric = usd1eval::rubric::load_rubric("milestones").unwrap();
    let docs = std::fs::read_to_string("docs/history.md").unwrap();
    let schema = usd1eval::render::reference::history_json_schema().to_string();
    let help = usd1eval().args(["history", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout).replace('\n', " ");
    let ids = rubric.history.ids();
    assert!(ids.len() >= 16, "{ids:?}");
    for id in ids {
        assert!(
            docs.contains(&format!("| `{id}` |")),
            "docs/history.md lists `{id}`"
        );
        assert!(
            schema.contains(&format!("`{id}`")),
            "the history schema names `{id}`"
        );
        assert!(help.contains(id), "`history --help` names `{id}`");
    }
}
