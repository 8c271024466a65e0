//! wc-rs: count lines, words, characters and bytes (a small `wc` clone).

use std::process::ExitCode;

fn main() -> ExitCode {
    todo!("implement wc-rs as described in the ticket")
}
