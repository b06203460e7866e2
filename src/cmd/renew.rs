//! `mou renew PROFILE`: the next term's profile, comments and layout kept.

use crate::cli::RenewArgs;
use crate::failure::Result;
use crate::profile::Profile;
use std::io::Write;

pub fn renew(args: &RenewArgs) -> Result {
    let profile = Profile::from_file(&args.profile)?;
    let text = crate::lifecycle::renew::renew(&profile, args.years)?;
    match &args.out {
        Some(path) => {
            crate::write::atomic_write(path, text.as_bytes())?;
            if !args.verbosity.quiet {
                crate::say!("wrote {}", path.display());
            }
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(())
}
