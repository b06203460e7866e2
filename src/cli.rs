//! Command-line definitions (clap derive). Kept apart from `main` so that build
//! scripts and tests can reuse them.

use crate::render::{Format, PdfStandard};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use std::path::PathBuf;

/// Dynamic completion (`source <(COMPLETE=bash mou)`): clause ids and `ID@VERSION` of
/// the library in `./clauses`, read as folder and file names only (fast, and nothing
/// is parsed while a user presses Tab).
fn clause_candidates() -> Vec<CompletionCandidate> {
    let mut out = Vec::new();
    let Ok(ids) = std::fs::read_dir("clauses") else {
        return out;
    };
    let mut ids: Vec<_> = ids.filter_map(Result::ok).collect();
    ids.sort_by_key(|e| e.file_name());
    for entry in ids.into_iter().take(10_000) {
        let id = entry.file_name().to_string_lossy().into_owned();
        if crate::ids::ClauseId::parse(&id).is_none() || !entry.path().is_dir() {
            continue;
        }
        out.push(CompletionCandidate::new(&id));
        versions_of(&entry.path(), &id, &mut out);
        // Variants (`appointment/agency-selects`) and their versions.
        let Ok(subs) = std::fs::read_dir(entry.path()) else {
            continue;
        };
        let mut variants: Vec<_> = subs
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|v| crate::ids::ClauseId::parse(v).is_some())
            .collect();
        variants.sort();
        for v in variants {
            let name = format!("{id}/{v}");
            out.push(CompletionCandidate::new(&name));
            versions_of(&entry.path().join(&v), &name, &mut out);
        }
    }
    out
}

/// `NAME@VERSION` for each version file in `folder`, in order.
fn versions_of(folder: &std::path::Path, name: &str, out: &mut Vec<CompletionCandidate>) {
    let Ok(files) = std::fs::read_dir(folder) else {
        return;
    };
    let mut versions: Vec<String> = files
        .filter_map(Result::ok)
        .filter_map(|f| {
            let file = f.file_name().to_string_lossy().into_owned();
            let v = file.strip_suffix(".md")?;
            semver::Version::parse(v).ok().map(|_| v.to_string())
        })
        .collect();
    versions.sort();
    out.extend(
        versions
            .into_iter()
            .map(|v| CompletionCandidate::new(format!("{name}@{v}"))),
    );
}

/// Dynamic completion of `--explain`: every diagnostic code with its name.
fn code_candidates() -> Vec<CompletionCandidate> {
    crate::check::codes::CODES
        .iter()
        .map(|c| CompletionCandidate::new(c.id).help(Some(c.name.into())))
        .collect()
}

/// `-f`: the names of the writer registry, any case (`-f PDF` is `-f pdf`).
fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(crate::render::WRITERS.iter().map(|w| w.name()))
        .try_map(|name| Format::from_name(&name).ok_or_else(|| format!("no format `{name}`")))
}

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
    /// Lint profiles, the library and the assembled text without writing files
    #[command(
        after_help = "Examples:\n  mou check\n  mou check profiles/ --format json\n  mou check --explain E0103"
    )]
    Check(CheckArgs),
    /// Redline two profiles, or two versions of a clause (ID@V1 ID@V2)
    #[command(
        after_help = "Examples:\n  mou diff profiles/tehachapi-2017.toml profiles/tehachapi-2018.toml\n  mou diff profiles/tehachapi-2017.toml profiles/tehachapi-2018.toml -f pdf -o redline.pdf\n  mou diff termination@1.0.0 termination@1.1.0 --stat"
    )]
    Diff(DiffArgs),
    /// Write "Amendment No. N" to the agreement OLD that makes it read as NEW
    #[command(
        after_help = "Examples:\n  mou amend profiles/tehachapi-2017.toml profiles/tehachapi-2018.toml\n  mou amend profiles/tehachapi-2017.toml profiles/tehachapi-2018.toml --number 2 -f md,pdf,docx -o out"
    )]
    Amend(AmendArgs),
    /// Write the next term's profile: dates rolled forward, prices for the new term
    #[command(
        after_help = "Examples:\n  mou renew profiles/tehachapi-2018.toml\n  mou renew profiles/bayshore-2023.toml --years 2 -o profiles/bayshore-2025.toml"
    )]
    Renew(RenewArgs),
    /// Every dated obligation of each agreement, as iCalendar (RFC 5545) or JSON
    #[command(
        after_help = "Examples:\n  mou calendar profiles/ -o obligations.ics\n  mou calendar profiles/tacoma-2021.toml --format json"
    )]
    Calendar(CalendarArgs),
    /// Report what the other side changed in a returned DOCX, clause by clause
    #[command(
        after_help = "Exit status: 0 when their text is what the profile builds, 1 when it differs (or on an error), 2 for a usage error.\n\nExamples:\n  mou review theirs.docx --profile profiles/tehachapi-2018.toml\n  mou review theirs.docx --profile profiles/tehachapi-2018.toml --format json\n  mou review theirs.docx --profile profiles/tehachapi-2018.toml --propose proposal/"
    )]
    Review(ReviewArgs),
    /// List or show the clauses of the library
    #[command(subcommand)]
    Clauses(ClausesCommand),
    /// List or show the jurisdiction rules of the library, with citations
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Write mou.lock: the clause versions and hashes each profile uses now
    #[command(after_help = "Example:\n  mou lock && git add mou.lock")]
    Lock(LockArgs),
    /// Build, then rebuild what each saved change touches, until Ctrl-C
    #[command(
        after_help = "Examples:\n  mou watch\n  mou watch profiles/tacoma-2021.toml -f md,pdf -o /tmp/out"
    )]
    Watch(WatchArgs),
    /// Watch, and preview the agreements with their diagnostics on 127.0.0.1
    #[command(
        after_help = "Examples:\n  mou serve                       then open http://127.0.0.1:3000/\n  mou serve profiles/tacoma-2021.toml --port 8080"
    )]
    Serve(ServeArgs),
    /// Print shell completions
    Completions { shell: clap_complete::Shell },
    /// Print a manual page (roff), or write them all with --out
    #[command(
        after_help = "Examples:\n  mou man | man -l -\n  mou man build | man -l -\n  mou man clauses list\n  mou man --out /usr/local/share/man/man1"
    )]
    Man(ManArgs),
    /// Write a new profile from a commented template
    #[command(
        after_help = "Example:\n  mou new springfield-2026      writes profiles/springfield-2026.toml"
    )]
    New {
        /// Agreement id (lower-case letters, digits, '-') or a path ending in .toml
        name: String,
        #[command(flatten)]
        verbosity: Verbosity,
    },
}

/// What a build writes and how: shared by `build`, `watch` and `serve`.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output formats, comma-separated (default: `[build] formats` of mou.toml, else
    /// md,pdf)
    #[arg(
        short = 'f',
        long = "format",
        value_delimiter = ',',
        ignore_case = true,
        value_parser = format_parser()
    )]
    pub formats: Option<Vec<Format>>,
    /// Output folder (default: `[build] out` of mou.toml, else out)
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// Clause library folder
    #[arg(long, default_value = "clauses")]
    pub library: PathBuf,
    /// Parallel jobs (default, and 0: all cores; at most 4 per core)
    #[arg(short = 'j', long = "jobs")]
    pub jobs: Option<usize>,
    /// PDF standard to conform to
    #[arg(long = "pdf-standard", value_enum, default_value = "ua1")]
    pub pdf_standard: PdfStandardArg,
    /// PDF: invisible (white) anchor strings for e-signature services (DocuSign
    /// anchor text, Adobe Sign): \s1\ on the first signature line, \d1\ on its blank
    /// date line, \s2\ on the next, and so on in reading order
    #[arg(long)]
    pub esign_anchors: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Profiles, or folders searched recursively for *.toml
    #[arg(default_value = "profiles")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Fail when the clause versions chosen differ from mou.lock
    #[arg(long)]
    pub locked: bool,
    /// Lock file checked by --locked
    #[arg(long = "lockfile", default_value = "mou.lock")]
    pub lockfile: PathBuf,
    /// Rebuild every agreement, also those whose inputs and files are as the manifest
    /// records them (a skipped agreement is not checked again: its warnings are not
    /// printed)
    #[arg(long)]
    pub force: bool,
    /// Build only shard K of N (1-based), a stable subset by id hash: a CI matrix of N
    /// jobs covers every profile exactly once
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
    /// Print only errors
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print each agreement as it is written
    #[arg(short, long)]
    pub verbose: bool,
    /// Warnings: each one, a count per code after the batch, or none (default: each
    /// one for up to 20 agreements, a summary above that)
    #[arg(long, value_enum, value_name = "HOW")]
    pub warnings: Option<WarningsArg>,
    /// Most bytes one rendered clause may have (a runaway template stops there)
    #[arg(long, value_name = "BYTES", default_value_t = crate::template::MAX_CLAUSE_OUTPUT)]
    pub max_clause_output: usize,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Profiles, or folders searched recursively for *.toml
    #[arg(default_value = "profiles")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Milliseconds without a file event before a batch of changes is built (an
    /// editor's save is several events)
    #[arg(long, value_name = "MS", default_value_t = 30)]
    pub debounce: u64,
    /// Most bytes one rendered clause may have (a runaway template stops there)
    #[arg(long, value_name = "BYTES", default_value_t = crate::template::MAX_CLAUSE_OUTPUT)]
    pub max_clause_output: usize,
    /// Print only errors and the summary of each rebuild
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub watch: WatchArgs,
    /// Port on 127.0.0.1 (0: any free port; the address is printed)
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
}

fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| "expected K/N, e.g. 2/4".to_string())?;
    let k: u32 = k
        .trim()
        .parse()
        .map_err(|_| format!("`{k}` is not a number"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: K must be from 1 to N"));
    }
    Ok((k, n))
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (`build`, `clauses list`); none: `mou` itself
    pub command: Vec<String>,
    /// Write every page (mou.1, mou-build.1, …) into this folder instead
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub out: Option<PathBuf>,
    /// Print nothing but errors
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct LockArgs {
    /// Profiles, or folders searched recursively for *.toml
    #[arg(default_value = "profiles")]
    pub paths: Vec<PathBuf>,
    #[arg(long, default_value = "clauses")]
    pub library: PathBuf,
    /// Where to write the lock file
    #[arg(short = 'o', long = "out", default_value = "mou.lock")]
    pub out: PathBuf,
    #[command(flatten)]
    pub verbosity: Verbosity,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Profiles, or folders searched recursively for *.toml
    #[arg(default_value = "profiles")]
    pub paths: Vec<PathBuf>,
    /// Output style
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Clause library folder
    #[arg(long, default_value = "clauses")]
    pub library: PathBuf,
    /// Exit 1 on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print, for each agreement, every clause that departs from the model (overlay
    /// text, a variant, an inserted clause) with a word-level redline against the
    /// standard text, instead of checking
    #[arg(long)]
    pub deviations: bool,
    /// Print the long explanation of a diagnostic code and exit
    #[arg(long, value_name = "CODE", add = ArgValueCandidates::new(code_candidates))]
    pub explain: Option<String>,
    /// Most bytes one rendered clause may have (a runaway template stops there)
    #[arg(long, value_name = "BYTES", default_value_t = crate::template::MAX_CLAUSE_OUTPUT)]
    pub max_clause_output: usize,
    #[command(flatten)]
    pub verbosity: Verbosity,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier profile (or ID@VERSION)
    pub old: String,
    /// The later profile (or ID@VERSION)
    pub new: String,
    /// Output format
    #[arg(
        short = 'f',
        long = "format",
        default_value = "md",
        ignore_case = true,
        value_parser = format_parser()
    )]
    pub format: Format,
    /// Output file (default: Markdown on stdout)
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// Clause library folder
    #[arg(long, default_value = "clauses")]
    pub library: PathBuf,
    /// Profile to render clause versions with (ID@V mode); default: a built-in sample
    #[arg(long)]
    pub profile: Option<PathBuf>,
    /// Print only which articles changed and by how many words
    #[arg(long)]
    pub stat: bool,
    /// Exit 1 when there are differences, as `git diff --exit-code` does
    #[arg(long)]
    pub exit_code: bool,
    /// PDF standard to conform to
    #[arg(long = "pdf-standard", value_enum, default_value = "ua1")]
    pub pdf_standard: PdfStandardArg,
    #[command(flatten)]
    pub verbosity: Verbosity,
}

#[derive(Debug, Args)]
pub struct AmendArgs {
    /// The agreement as signed (a profile)
    pub old: PathBuf,
    /// The agreement as it is to read (a profile with the same parties)
    pub new: PathBuf,
    /// The amendment's number ("Amendment No. N"), from 1
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub number: u32,
    /// Output formats, comma-separated
    #[arg(
        short = 'f',
        long = "format",
        value_delimiter = ',',
        ignore_case = true,
        default_value = "md",
        value_parser = format_parser()
    )]
    pub formats: Vec<Format>,
    /// Output folder: writes <OLD id>-amendment-<N>.<ext> there (default: Markdown on
    /// stdout)
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// Clause library folder
    #[arg(long, default_value = "clauses")]
    pub library: PathBuf,
    /// PDF standard to conform to
    #[arg(long = "pdf-standard", value_enum, default_value = "ua1")]
    pub pdf_standard: PdfStandardArg,
    /// PDF: invisible (white) anchor strings for e-signature services (DocuSign
    /// anchor text, Adobe Sign): \s1\ on the first signature line, \d1\ on its blank
    /// date line, \s2\ on the next, and so on in reading order
    #[arg(long)]
    pub esign_anchors: bool,
    #[command(flatten)]
    pub verbosity: Verbosity,
}

#[derive(Debug, Args)]
pub struct RenewArgs {
    /// The profile of the term now running
    pub profile: PathBuf,
    /// Length of the next term in years (default: as long as the current term)
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub years: Option<u32>,
    /// Where to write the new profile (default: stdout)
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub verbosity: Verbosity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CalendarFormat {
    Ics,
    Json,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// Profiles, or folders searched recursively for *.toml
    #[arg(default_value = "profiles")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "ics")]
    pub format: CalendarFormat,
    /// Output file (default: stdout)
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
    /// Clause library folder
    #[arg(long, default_value = "clauses")]
    pub library: PathBuf,
    #[command(flatten)]
    pub verbosity: Verbosity,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The DOCX the other side returned (tracked changes, comments, edits)
    pub theirs: PathBuf,
    /// The profile the agreement was built from
    #[arg(long)]
    pub profile: PathBuf,
    /// Write their edits into DIR: overlay clause files, and the profile with the values they changed
    #[arg(long, value_name = "DIR")]
    pub propose: Option<PathBuf>,
    /// Output style
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Clause library folder
    #[arg(long, default_value = "clauses")]
    pub library: PathBuf,
    #[command(flatten)]
    pub verbosity: Verbosity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WarningsArg {
    All,
    Summary,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PdfStandardArg {
    /// Tagged, accessible PDF/UA-1
    Ua1,
    /// Archival PDF/A-2b
    A2b,
}

impl From<PdfStandardArg> for PdfStandard {
    fn from(arg: PdfStandardArg) -> PdfStandard {
        match arg {
            PdfStandardArg::Ua1 => PdfStandard::Ua1,
            PdfStandardArg::A2b => PdfStandard::A2b,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ClausesCommand {
    /// Every clause with its layer, versions, variants, states and title
    List {
        #[arg(long, default_value = "clauses")]
        library: PathBuf,
        /// Also list the overlay clauses of these profiles (or folders of profiles)
        profiles: Vec<PathBuf>,
        #[command(flatten)]
        verbosity: Verbosity,
    },
    /// Print a clause file: ID (newest version) or ID@VERSION
    Show {
        #[arg(add = ArgValueCandidates::new(clause_candidates))]
        spec: String,
        #[arg(long, default_value = "clauses")]
        library: PathBuf,
        #[command(flatten)]
        verbosity: Verbosity,
    },
    /// Profiles whose agreements use a clause: ID (any version) or ID@VERSION
    UsedBy {
        #[arg(add = ArgValueCandidates::new(clause_candidates))]
        spec: String,
        /// Profiles, or folders searched recursively for *.toml
        #[arg(default_value = "profiles")]
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "clauses")]
        library: PathBuf,
        #[command(flatten)]
        verbosity: Verbosity,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Each state with rules: rule count, confidence and citations
    #[command(after_help = "Example:\n  mou rules list")]
    List {
        #[arg(long, default_value = "clauses")]
        library: PathBuf,
        #[command(flatten)]
        verbosity: Verbosity,
    },
    /// One state's rules in full: what each checks, its citation, source and window
    #[command(after_help = "Example:\n  mou rules show FL")]
    Show {
        /// Two-letter state code (any case)
        state: String,
        #[arg(long, default_value = "clauses")]
        library: PathBuf,
        #[command(flatten)]
        verbosity: Verbosity,
    },
}

/// `-q` and `-v`, on every subcommand.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Verbosity {
    /// Print only errors
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say more about what is done
    #[arg(short, long)]
    pub verbose: bool,
}
