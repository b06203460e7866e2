//! Command-line definitions (clap derive). Kept apart from `main` so that build
//! scripts and tests can reuse them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "mou",
    version,
    about = "Assemble School Resource Officer agreements from a TOML profile and a versioned clause library",
    after_help = "Examples:\n  mou build                         build every profile under profiles/ into out/\n  mou build profiles/tacoma-2021.toml -f md,pdf -o dist\n  mou clauses list\n  mou clauses show termination@1.0.0\n  mou new springfield-2026"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build agreements: OUT/<id>.md|.pdf|.docx and OUT/manifest.json
    #[command(
        after_help = "Examples:\n  mou build\n  mou build profiles/west-hartford-2022.toml -f md -o /tmp/out\n  mou build profiles/ -j 2"
    )]
    Build(BuildArgs),
    /// List or show the clauses of the library
    #[command(subcommand)]
    Clauses(ClausesCommand),
    /// Write a new profile from a commented template
    #[command(
        after_help = "Example:\n  mou new springfield-2026      writes profiles/springfield-2026.toml"
    )]
    New {
        /// Agreement id (lower-case letters, digits, '-') or a path ending in .toml
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Profiles, or folders searched recursively for *.toml
    #[arg(default_value = "profiles")]
    pub paths: Vec<PathBuf>,
    /// Output formats, comma-separated
    #[arg(
        short = 'f',
        long = "format",
        value_delimiter = ',',
        default_value = "md,pdf"
    )]
    pub formats: Vec<Format>,
    /// Output folder
    #[arg(short = 'o', long = "out", default_value = "out")]
    pub out: PathBuf,
    /// Clause library folder
    #[arg(long, default_value = "clauses")]
    pub library: PathBuf,
    /// Parallel jobs (default: all cores)
    #[arg(short = 'j', long = "jobs")]
    pub jobs: Option<usize>,
    /// PDF standard to conform to
    #[arg(long = "pdf-standard", value_enum, default_value = "ua1")]
    pub pdf_standard: PdfStandardArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum Format {
    Md,
    Pdf,
    Docx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfStandardArg {
    /// Tagged, accessible PDF/UA-1
    Ua1,
    /// Archival PDF/A-2b
    A2b,
}

#[derive(Debug, Subcommand)]
pub enum ClausesCommand {
    /// Every clause with its versions, states and title
    List {
        #[arg(long, default_value = "clauses")]
        library: PathBuf,
    },
    /// Print a clause file: ID (newest version) or ID@VERSION
    Show {
        spec: String,
        #[arg(long, default_value = "clauses")]
        library: PathBuf,
    },
}
