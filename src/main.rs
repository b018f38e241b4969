//! `regulars`: the command line over the same core as the desktop app (see `cli`).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
