//! The `usd1eval` binary: parse the command line, run it, map the outcome to
//! an exit code. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: scoring a batch allocates many
/// short-lived strings on every core, and glibc's malloc spent about a fifth of
/// the batch benchmark's time in allocation, freeing and page faults.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match usd1eval::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are successes, when they could be written
            // (`--help >/dev/full` is not); every other parse error is a
            // usage error, which is exit 2 like any input we cannot evaluate.
            let printed = e.print();
            return if e.use_stderr() || printed.is_err() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let mut out = usd1eval::render::Output::stdio();
    usd1eval::app::run(cli, &mut out).into()
}
