//! Finds input files: walks directories recursively in sorted (byte) order, follows symlinks
//! once (a loop is reported, not followed), and classifies each file by extension. Files it
//! cannot use are listed as skipped with the reason, never ignored silently.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Record format of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// One article per file.
    Text,
    /// One JSON object per line.
    Jsonl,
    /// A JSON array of objects (`.json`; read as JSON Lines when it is no array).
    Json,
    /// CSV with a header row (comma-, semicolon- or tab-separated: `.csv`, `.tsv`).
    Csv,
}

/// Compression of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Plain.
    None,
    /// gzip (`.gz`).
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

/// An input file to read.
#[derive(Debug, Clone, PartialEq)]
pub struct InputFile {
    /// Its path.
    pub path: PathBuf,
    /// Its record format.
    pub format: Format,
    /// Its compression.
    pub compression: Compression,
    /// Size on disk in bytes (for progress and throughput).
    pub bytes: u64,
}

impl InputFile {
    /// The path as shown in sources and messages.
    pub fn display(&self) -> String {
        self.path.to_string_lossy().into_owned()
    }

    /// File name without the format and compression extensions: the id of a `.txt` article.
    pub fn stem(&self) -> String {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut stem = name.as_str();
        for ext in [".gz", ".zst"] {
            if let Some(s) = stem.strip_suffix(ext) {
                stem = s;
            }
        }
        match stem.rfind('.') {
            Some(dot) if dot > 0 => stem[..dot].to_string(),
            _ => stem.to_string(),
        }
    }
}

/// A file that was found but not read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedFile {
    /// Its path.
    pub path: String,
    /// Why (`unknown_extension`, `hidden`, `symlink_loop`, `listed_twice`, `not_found`,
    /// `newsclean_output`, `io:...`).
    pub reason: String,
}

impl std::fmt::Display for SkippedFile {
    /// `path: reason`, as messages name a skipped file.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// The result of looking at the input paths.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Files to read, in order.
    pub files: Vec<InputFile>,
    /// Files found but skipped.
    pub skipped: Vec<SkippedFile>,
}

impl Discovery {
    /// Total bytes on disk of the files to read.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }
}

/// Classifies a file name by its extensions, or `None` when the format is unknown.
pub fn classify(path: &Path) -> Option<(Format, Compression)> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let (rest, compression) = if let Some(r) = name.strip_suffix(".gz") {
        (r, Compression::Gzip)
    } else if let Some(r) = name.strip_suffix(".zst") {
        (r, Compression::Zstd)
    } else {
        (name.as_str(), Compression::None)
    };
    let format = if rest.ends_with(".txt") {
        Format::Text
    } else if rest.ends_with(".jsonl") || rest.ends_with(".ndjson") {
        Format::Jsonl
    } else if rest.ends_with(".json") {
        Format::Json
    } else if rest.ends_with(".csv") || rest.ends_with(".tsv") {
        Format::Csv
    } else {
        return None;
    };
    Some((format, compression))
}

/// The files a run writes, which a run must not read back: an output folder inside an input
/// folder (`--input data --output data/clean`, or the same folder) would otherwise feed each
/// run's articles, audit and duplicates to the next as input.
#[derive(Debug, Clone, Copy)]
pub struct OwnOutputs<'a> {
    /// The output folder (it may not exist yet).
    pub dir: &'a Path,
    /// The names of the files written there.
    pub names: &'a [&'a str],
}

/// What the walk carries from folder to folder.
struct Walk<'a> {
    /// Every folder walked so far, canonical.
    visited: HashSet<PathBuf>,
    /// The folders the walk is inside now, canonical: one of them met again is a symlink loop
    /// (any other folder met again was walked through another input path).
    ancestors: Vec<PathBuf>,
    /// Every file listed so far, by device and inode (Unix): the same file reached through two
    /// input paths (`--input data --input data/feed.jsonl`) is read once.
    files: HashSet<(u64, u64)>,
    /// The output folder, canonical, if it exists.
    output_dir: Option<PathBuf>,
    output_names: &'a [&'a str],
}

/// Looks at each input path (file or directory) and lists what to read and what was skipped.
/// Inside the output folder, the files a run writes there (`outputs`) are skipped as
/// `newsclean_output`; an input named explicitly is read whatever it is.
pub fn discover(inputs: &[PathBuf], outputs: OwnOutputs<'_>) -> Discovery {
    let mut found = Discovery::default();
    let mut walk = Walk {
        visited: HashSet::new(),
        ancestors: Vec::new(),
        files: HashSet::new(),
        output_dir: std::fs::canonicalize(outputs.dir).ok(),
        output_names: outputs.names,
    };
    for input in inputs {
        visit(input, true, false, &mut walk, &mut found);
    }
    found
}

/// Visits `path`; `in_output` tells that its folder is the output folder.
fn visit(path: &Path, explicit: bool, in_output: bool, walk: &mut Walk, found: &mut Discovery) {
    let skip = |found: &mut Discovery, reason: String| {
        found.skipped.push(SkippedFile {
            path: path.to_string_lossy().into_owned(),
            reason,
        })
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let broken_link = std::fs::symlink_metadata(path).is_ok();
            skip(
                found,
                if broken_link {
                    "broken_symlink".into()
                } else {
                    "not_found".into()
                },
            );
            return;
        }
        Err(e) => {
            // A loop of symlinks shows up as ELOOP here.
            skip(found, format!("io:{}", e.kind()).to_lowercase());
            return;
        }
    };
    if meta.is_dir() {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let is_output = walk.output_dir.as_ref() == Some(&canonical);
        if walk.ancestors.contains(&canonical) {
            skip(found, "symlink_loop".into());
            return;
        }
        if !walk.visited.insert(canonical.clone()) {
            skip(found, "listed_twice".into());
            return;
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                skip(found, format!("io:{}", e.kind()).to_lowercase());
                return;
            }
        };
        entries.sort();
        walk.ancestors.push(canonical);
        for entry in entries {
            visit(&entry, false, is_output, walk, found);
        }
        walk.ancestors.pop();
        return;
    }
    let own_output = in_output
        && path
            .file_name()
            .is_some_and(|n| walk.output_names.iter().any(|o| n == *o));
    if own_output && !explicit {
        skip(found, "newsclean_output".into());
        return;
    }
    let hidden = path
        .file_name()
        .map(|n| n.to_string_lossy().starts_with('.'))
        .unwrap_or(false);
    if hidden && !explicit {
        skip(found, "hidden".into());
        return;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if !walk.files.insert((meta.dev(), meta.ino())) {
            skip(found, "listed_twice".into());
            return;
        }
    }
    match classify(path) {
        Some((format, compression)) => found.files.push(InputFile {
            path: path.to_path_buf(),
            format,
            compression,
            bytes: meta.len(),
        }),
        None => skip(found, "unknown_extension".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_extensions() {
        let c = |p: &str| classify(Path::new(p));
        assert_eq!(c("a.txt"), Some((Format::Text, Compression::None)));
        assert_eq!(c("a.JSONL.gz"), Some((Format::Jsonl, Compression::Gzip)));
        assert_eq!(c("a.ndjson.zst"), Some((Format::Jsonl, Compression::Zstd)));
        assert_eq!(c("a.csv"), Some((Format::Csv, Compression::None)));
        assert_eq!(c("a.html"), None);
        assert_eq!(c("a.gz"), None);
    }

    #[test]
    fn stem_drops_all_extensions() {
        let f = InputFile {
            path: PathBuf::from("d/000_abc.txt.gz"),
            format: Format::Text,
            compression: Compression::Gzip,
            bytes: 0,
        };
        assert_eq!(f.stem(), "000_abc");
    }
}
