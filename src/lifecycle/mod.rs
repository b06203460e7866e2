//! After signature (SPEC §8): the amendment that makes one agreement read as another,
//! the next term's profile, and the calendar of every dated obligation.

pub mod amend;
pub mod amend_doc;
pub mod calendar;
pub mod ics;
pub mod obligations;
pub mod pair;
pub mod renew;
pub mod text;
