//! The `supportbench` binary: parse the command line, run it, map the outcome to an exit code.
fn main() {
    std::process::exit(supportbench::main_with_args(std::env::args_os()));
}
