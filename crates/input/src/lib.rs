//! The input layer of `usd1eval`: a loaded file (name, text, byte offsets to
//! line and column) and its diagnostics as data ([`source`]), untrusted text
//! made safe to show ([`text`]), numbers as every output writes them
//! ([`number`]), and the reader of TOML tables that names each key it accepts
//! ([`table`]). It knows nothing of arrangements, rubrics or reports: every
//! other crate of the workspace builds on it, and it on none of them.

#![warn(missing_docs)]

pub mod number;
pub mod source;
pub mod table;
pub mod text;

/// The tool's name, as reports and pages give it.
pub const TOOL_NAME: &str = "usd1eval";

/// The tool's version: the workspace's, shared by every crate of it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
