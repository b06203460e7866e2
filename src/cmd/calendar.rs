use crate::cli::CalendarArgs;
use crate::failure::{Failure, Result};
pub fn calendar(_args: &CalendarArgs) -> Result {
    Err(Failure::Usage("WIP".into()))
}
