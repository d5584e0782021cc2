//! `usd1eval`: scores USD1 stablecoin arrangements against a milestone rubric.
//!
//! The pipeline, one module each: [`facts`] (load and validate an arrangement,
//! derive figures) → [`eval`] (run the rubric's checks into findings and
//! scores) → [`report`] (the result) → [`render`] (tables, JSON). [`rubric`]
//! holds the rubric model and the built-in rubrics; [`app`] wires the commands.

pub mod app;
pub mod batch;
pub mod cli;
pub mod diff;
pub mod eval;
pub mod facts;
pub mod figures;
pub mod gate;
pub mod history;
pub mod number;
pub mod outputs;
pub mod render;
pub mod report;
pub mod rubric;
pub mod source;
pub mod stress;
pub mod text;
