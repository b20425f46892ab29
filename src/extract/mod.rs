//! Extraction: metadata (title, date, site) and boilerplate (lines and blocks that are not the
//! article). Metadata extraction only reads; removing lines is the boilerplate stage's job.

pub mod boilerplate;
pub mod metadata;
