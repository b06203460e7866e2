//! `mou man`: the manual pages, one for `mou` and one per subcommand (`mou-build(1)`,
//! `mou-clauses-list(1)`…), as the main page's SEE ALSO promises, each with the exit
//! status section clap_mangen does not write.

use crate::cli::{Cli, ManArgs};
use crate::failure::{Failure, Result};
use clap::CommandFactory;
use std::io::Write;

const EXIT_STATUS: &str = ".SH \"EXIT STATUS\"
.TP
\\fB0\\fR
Success: everything asked for was done (for \\fBcheck\\fR, no errors; for \\fBdiff
\\-\\-exit\\-code\\fR, no differences).
.TP
\\fB1\\fR
A profile, a clause file or the library failed, \\fBcheck\\fR found errors (or warnings
with \\fB\\-\\-deny\\-warnings\\fR), a build differs from \\fBmou.lock\\fR under
\\fB\\-\\-locked\\fR, or \\fBdiff \\-\\-exit\\-code\\fR found differences. Every problem is
printed with its file, line and column; \\fBmou check \\-\\-explain CODE\\fR explains a code.
.TP
\\fB2\\fR
Usage error: an unknown option or format, a missing argument, a binary format with
nowhere to write it.
";

/// Every page: `mou` first, then each subcommand depth-first, named as clap names them.
fn pages() -> Vec<clap::Command> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(cmd) = stack.pop() {
        let mut subs: Vec<clap::Command> = cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .cloned()
            .collect();
        subs.reverse();
        out.push(cmd);
        stack.extend(subs);
    }
    out
}

fn render(cmd: &clap::Command) -> Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut bytes = Vec::new();
    man.render(&mut bytes)?;
    bytes.extend_from_slice(EXIT_STATUS.as_bytes());
    Ok(bytes)
}

/// The page's name without the section: `mou`, `mou-build`, `mou-clauses-list`.
fn page_name(cmd: &clap::Command) -> String {
    cmd.get_display_name().unwrap_or(cmd.get_name()).to_string()
}

pub fn man(args: &ManArgs) -> Result {
    let pages = pages();
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
        for cmd in &pages {
            let path = dir.join(format!("{}.1", page_name(cmd)));
            crate::write::atomic_write(&path, &render(cmd)?)?;
            if !args.quiet {
                crate::say!("wrote {}", path.display());
            }
        }
        return Ok(());
    }
    let wanted = if args.command.is_empty() {
        "mou".to_string()
    } else {
        format!("mou-{}", args.command.join("-"))
    };
    let Some(cmd) = pages.iter().find(|c| page_name(c) == wanted) else {
        let names: Vec<String> = pages.iter().skip(1).map(page_name).collect();
        return Err(Failure::Usage(format!(
            "no manual page `{wanted}`; there are: mou, {}",
            names.join(", ")
        )));
    };
    std::io::stdout().lock().write_all(&render(cmd)?)?;
    Ok(())
}
