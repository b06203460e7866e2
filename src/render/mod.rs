//! Writers: each turns a [`crate::document::Document`] into the bytes of one format.
pub mod pdf;
