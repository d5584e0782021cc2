//! Criterion benchmarks of each stage on the examples: TOML parse, load with
//! validation, derived figures, evaluation, and rendering. Run with
//! `cargo bench`; bench/batch.sh measures whole-process batches.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use usd1eval::cli::Format;
use usd1eval::eval::evaluate;
use usd1eval::facts::{Arrangement, Derived};
use usd1eval::rubric::load_rubric;
use usd1eval::source::SourceFile;

/// The allocator the binary uses, so that stage timings match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXAMPLES: &[&str] = &["strong-regulated", "middling", "weak"];

fn pipeline(c: &mut Criterion) {
    let rubric = load_rubric("milestones").unwrap();
    for name in EXAMPLES {
        let text = std::fs::read_to_string(format!("examples/{name}.toml")).unwrap();
        let source = SourceFile::new(format!("{name}.toml"), text.clone());
        let arrangement = Arrangement::from_source(&source).unwrap();
        let report = evaluate(&rubric, &[], &arrangement, arrangement.facts.as_of);

        c.bench_function(&format!("parse/{name}"), |b| {
            b.iter(|| toml::de::DeTable::parse(black_box(&text)).is_ok())
        });
        c.bench_function(&format!("load+validate/{name}"), |b| {
            b.iter(|| Arrangement::from_source(black_box(&source)).is_ok())
        });
        c.bench_function(&format!("derive/{name}"), |b| {
            b.iter(|| Derived::compute(black_box(&arrangement.facts), arrangement.facts.as_of))
        });
        c.bench_function(&format!("evaluate/{name}"), |b| {
            b.iter(|| {
                evaluate(
                    &rubric,
                    &[],
                    black_box(&arrangement),
                    arrangement.facts.as_of,
                )
            })
        });
        // What stress adds to `score` per file: the six built-in scenarios and
        // the reverse test, their figures recorded for the rubric, and the
        // report's stress section written as JSON.
        let scenarios = usd1eval::stress::builtin_scenarios();
        c.bench_function(&format!("stress/{name}"), |b| {
            b.iter(|| {
                let stress = usd1eval::stress::run(black_box(&arrangement.facts), scenarios);
                let mut derived = Derived::default();
                usd1eval::stress::record(&stress, &mut derived);
                (stress, derived)
            })
        });
        c.bench_function(&format!("stress-json/{name}"), |b| {
            b.iter(|| serde_json::to_string(black_box(&report.stress)).unwrap())
        });
        for (label, format) in [
            ("json", Format::Json),
            ("table", Format::Table),
            ("sarif", Format::Sarif),
        ] {
            c.bench_function(&format!("render-{label}/{name}"), |b| {
                b.iter(|| {
                    usd1eval::render::reports(
                        format,
                        std::slice::from_ref(black_box(&report)),
                        &rubric,
                        usd1eval::render::View {
                            several_inputs: true,
                            ..Default::default()
                        },
                    )
                })
            });
        }
    }
    c.bench_function("parse-scenarios/built-in", |b| {
        b.iter(|| {
            usd1eval::stress::scenario::BUILTIN
                .iter()
                .map(|(id, text)| {
                    let source = SourceFile::new(format!("{id}.toml"), *text);
                    usd1eval::stress::scenario::parse_scenario(&source, id).is_ok()
                })
                .count()
        })
    });
    let rubric_text = std::fs::read_to_string("rubrics/milestones.toml").unwrap();
    c.bench_function("parse/rubric-milestones", |b| {
        b.iter(|| toml::de::DeTable::parse(black_box(&rubric_text)).is_ok())
    });
    c.bench_function("load-rubric/milestones", |b| {
        b.iter(|| load_rubric(black_box("milestones")).is_ok())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = pipeline
}
criterion_main!(benches);
