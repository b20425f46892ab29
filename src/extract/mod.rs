//! Extraction: metadata (title, date, site) and boilerplate (lines and blocks that are not the
//! article). Metadata extraction only reads; removing lines is the boilerplate stage's job.

pub mod boilerplate;
pub mod classify;
pub mod comments;
pub mod dates;
pub mod features;
pub mod metadata;
pub mod phrases;
pub mod regions;
pub mod repetition;
pub mod teasers;
