use crate::cli::RenewArgs;
use crate::failure::{Failure, Result};
pub fn renew(_args: &RenewArgs) -> Result {
    Err(Failure::Usage("WIP".into()))
}
