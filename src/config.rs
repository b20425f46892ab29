//! The one configuration of a run: typed, with documented defaults, loadable from TOML and
//! overridable by CLI flags. Each stage owns its section's type; this file only assembles them.
//! `Config::validate` checks it once before any work starts.

use crate::correct::CorrectConfig;
use crate::dedup::DedupConfig;
use crate::error::{Error, Result};
use crate::extract::boilerplate::BoilerplateConfig;
use crate::extract::metadata::MetadataConfig;
use crate::ingest::IngestConfig;
use crate::normalize::NormalizeConfig;
use crate::output::OutputConfig;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A cleaning stage that can be switched on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Unicode and whitespace normalization.
    Normalize,
    /// Boilerplate stripping (and removal of the title/date/site lines from the body).
    Boilerplate,
    /// Typo and broken-year correction.
    Correct,
    /// Deduplication.
    Dedup,
}

impl Stage {
    /// All stages, in pipeline order.
    pub const ALL: [Stage; 4] = [
        Stage::Normalize,
        Stage::Boilerplate,
        Stage::Correct,
        Stage::Dedup,
    ];

    /// Parses a stage name.
    pub fn parse(name: &str) -> Result<Stage> {
        match name.trim() {
            "normalize" => Ok(Stage::Normalize),
            "boilerplate" => Ok(Stage::Boilerplate),
            "correct" => Ok(Stage::Correct),
            "dedup" => Ok(Stage::Dedup),
            other => Err(Error::Config(format!(
                "unknown stage `{other}` (expected normalize, boilerplate, correct, dedup)"
            ))),
        }
    }
}

/// An output file format for the articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputFormat {
    /// `articles.csv`.
    Csv,
    /// `articles.jsonl`.
    Jsonl,
    /// `articles.json`.
    Json,
}

impl OutputFormat {
    /// Parses a format name.
    pub fn parse(name: &str) -> Result<OutputFormat> {
        match name.trim() {
            "csv" => Ok(OutputFormat::Csv),
            "jsonl" => Ok(OutputFormat::Jsonl),
            "json" => Ok(OutputFormat::Json),
            other => Err(Error::Config(format!(
                "unknown format `{other}` (expected csv, jsonl, json)"
            ))),
        }
    }
}

/// Everything a run needs to know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Input files or directories (directories are walked recursively in sorted order).
    pub input: Vec<PathBuf>,
    /// Output directory.
    pub output: PathBuf,
    /// Worker threads; 0 means one per core. With 1, reading, cleaning and reducing take turns
    /// on one thread; with more, reading and each chunk's reduce also get threads of their own.
    pub threads: usize,
    /// Stages to run, in pipeline order.
    pub stages: Vec<Stage>,
    /// Article output formats.
    pub formats: Vec<OutputFormat>,
    /// No progress bar and no summary on stderr.
    pub quiet: bool,
    /// Run everything but write nothing: the report says what would change.
    pub dry_run: bool,
    /// Records processed together in one parallel step; bounds memory.
    pub chunk_size: usize,
    /// Input reading.
    pub ingest: IngestConfig,
    /// Unicode and whitespace normalization.
    pub normalize: NormalizeConfig,
    /// Title, date and site extraction.
    pub metadata: MetadataConfig,
    /// Boilerplate stripping.
    pub boilerplate: BoilerplateConfig,
    /// Typo and year correction.
    pub correct: CorrectConfig,
    /// Deduplication.
    pub dedup: DedupConfig,
    /// Output writing.
    #[serde(rename = "output_files")]
    pub output_files: OutputConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            input: vec![PathBuf::from("input")],
            output: PathBuf::from("output"),
            threads: 0,
            stages: Stage::ALL.to_vec(),
            formats: vec![OutputFormat::Csv, OutputFormat::Jsonl, OutputFormat::Json],
            quiet: false,
            dry_run: false,
            chunk_size: 2048,
            ingest: IngestConfig::default(),
            normalize: NormalizeConfig::default(),
            metadata: MetadataConfig::default(),
            boilerplate: BoilerplateConfig::default(),
            correct: CorrectConfig::default(),
            dedup: DedupConfig::default(),
            output_files: OutputConfig::default(),
        }
    }
}

impl Config {
    /// Parses a TOML configuration (missing keys take their defaults).
    pub fn from_toml(text: &str) -> Result<Config> {
        toml::from_str(text).map_err(|e| Error::Config(e.to_string()))
    }

    /// The configuration as TOML, as `--print-config` shows it.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string_pretty(self).map_err(|e| Error::Config(e.to_string()))
    }

    /// Whether `stage` is switched on.
    pub fn has_stage(&self, stage: Stage) -> bool {
        self.stages.contains(&stage)
    }

    /// Checks the configuration once, before any work.
    pub fn validate(&self) -> Result<()> {
        if self.input.is_empty() {
            return Err(Error::Config("no input path given".into()));
        }
        if self.chunk_size == 0 {
            return Err(Error::Config("chunk_size must be at least 1".into()));
        }
        if self.formats.is_empty() {
            return Err(Error::Config("at least one output format is needed".into()));
        }
        self.dedup.validate()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_round_trip_and_defaults() {
        let cfg = Config::default();
        let text = cfg.to_toml().expect("serializes");
        assert_eq!(Config::from_toml(&text).expect("parses"), cfg);
        let partial = Config::from_toml("threads = 3\n[boilerplate]\n").expect("parses");
        assert_eq!(partial.threads, 3);
        assert_eq!(partial.boilerplate, BoilerplateConfig::default());
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(Config::from_toml("thread = 3").is_err());
    }
}
