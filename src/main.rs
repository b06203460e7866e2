//! The `mou` binary: parse arguments, dispatch, print what failed, choose exit codes
//! (0 success, 1 a profile or the library failed, 2 usage error, 128 + N a build
//! stopped by signal N). The only place exit codes are chosen.

use clap::Parser;
use mou::cli::{ClausesCommand, Cli, Command, RulesCommand};
use mou::failure::Failure;
use std::process::ExitCode;

/// Caps the memory one clause render may take (see `mou::template::budget`).
#[global_allocator]
static ALLOC: mou::template::budget::BudgetAlloc = mou::template::budget::BudgetAlloc;

fn main() -> ExitCode {
    // `COMPLETE=bash mou` prints the shell's dynamic completion script; with the shell's
    // arguments it prints candidates (clause ids, codes) and exits.
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command).complete();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let code = failure.exit_code();
            match failure {
                Failure::Usage(message) => mou::say!("error: {message}"),
                Failure::Invalid {
                    diagnostics,
                    message,
                } => {
                    mou::report::eprint(&diagnostics);
                    if let Some(message) = message {
                        mou::say!("error: {message}");
                    }
                }
                Failure::Reported | Failure::Interrupted(_) => {}
                Failure::Other(e) => mou::say!("error: {e:#}"),
            }
            ExitCode::from(code)
        }
    }
}

fn run(cli: Cli) -> mou::failure::Result {
    match cli.command {
        Command::Build(args) => mou::cmd::build(&args),
        Command::Check(args) => mou::cmd::check(&args),
        Command::Diff(args) => mou::cmd::diff(&args),
        Command::Amend(args) => mou::cmd::amend(&args),
        Command::Renew(args) => mou::cmd::renew(&args),
        Command::Calendar(args) => mou::cmd::calendar(&args),
        Command::Review(args) => mou::cmd::review(&args),
        Command::Clauses(ClausesCommand::List {
            library,
            profiles,
            verbosity,
        }) => mou::cmd::clauses_list(&library, &profiles, verbosity),
        Command::Clauses(ClausesCommand::Show {
            spec,
            library,
            verbosity,
        }) => mou::cmd::clauses_show(&library, &spec, verbosity),
        Command::Clauses(ClausesCommand::UsedBy {
            spec,
            paths,
            library,
            verbosity,
        }) => mou::cmd::used_by(&library, &spec, &paths, verbosity),
        Command::Rules(RulesCommand::List { library, verbosity }) => {
            mou::cmd::rules_list(&library, verbosity)
        }
        Command::Rules(RulesCommand::Show {
            state,
            library,
            verbosity,
        }) => mou::cmd::rules_show(&library, &state, verbosity),
        Command::Lock(args) => mou::cmd::lock(&args),
        Command::Watch(args) => mou::cmd::watch(&args),
        Command::Serve(args) => mou::cmd::serve(&args),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "mou", &mut std::io::stdout());
            Ok(())
        }
        Command::Man(args) => mou::cmd::man(&args),
        Command::New { name, verbosity } => mou::cmd::new_profile(&name, verbosity),
    }
}
