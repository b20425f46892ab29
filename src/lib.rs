//! newsclean turns raw scraped news articles into clean, deduplicated datasets with an audit of
//! every change. The library does all the work; the `newsclean` binary only parses arguments.
//!
//! ```no_run
//! let config = newsclean::Config::default();
//! let report = newsclean::run(&config)?;
//! println!("{}", report.summary());
//! # Ok::<(), newsclean::Error>(())
//! ```

// Library code must not panic on data: no unwrap/expect outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod article;
pub mod audit;
pub mod config;
pub mod correct;
pub mod dedup;
pub mod error;
pub mod explain;
pub mod extract;
pub mod ingest;
pub mod language;
pub mod lines;
pub mod normalize;
pub mod output;
pub mod pipeline;
mod swar;

pub use config::Config;
pub use error::{Error, Result};
pub use output::Report;
pub use pipeline::{abandon, run, run_with};
