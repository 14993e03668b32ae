//! The summary journal: `case-summaries.jsonl` in the data dir, beside `cases/`, so a
//! listing of 10,000 cases need not parse 10,000 TOML files. Every save appends one line
//! (`{"v":1,"schema":1,"stamp":[dev,ino,size,mtime_s,mtime_ns,ctime_s,ctime_ns],"case":{…}}`,
//! the case being its `CaseSummary`);
//! a listing that had to read files whole rewrites it as one line per case.
//!
//! It is a cache and is never believed on its own word: a line is used only while the case
//! file is still exactly the file it describes (same device, inode, size, mtime and ctime,
//! a regular file), and its summary is checked as one read from the file would be.
//! Anything else (a file edited by hand, restored, replaced; a torn or forged line; a
//! link, FIFO or folder at the journal's path) means the file is read whole, as without
//! a journal. Nothing here may fail or slow a save: every error is ignored.

use std::collections::HashMap;
use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::MAX_CASE_BYTES;
use crate::regular_file::{self, Links};
use crate::wizard::case::{CASE_SCHEMA, CaseSummary};

/// Not in `cases/`, and not a dot file with `.tmp-`: nothing takes it for a case, a case's
/// temp file or a lock.
const JOURNAL_NAME: &str = "case-summaries.jsonl";

/// A rewrite's temp file, in the data dir beside the journal (a rename within one folder).
const REWRITE_PREFIX: &str = ".case-summaries.jsonl.rewrite-";

/// Bumped when a line's shape or meaning changes: lines of another format are skipped.
const FORMAT: u32 = 1;

/// A journal of one line per case of the largest book a desk keeps is a few MB; one larger
/// than this was not grown by saves alone and is ignored (then rewritten) rather than read.
const MAX_JOURNAL_BYTES: u64 = 64 * 1024 * 1024;

pub use crate::regular_file::ContentStamp;

#[derive(Serialize, Deserialize)]
struct Line {
    v: u32,
    /// The case schema of the file summarized: a newer xiaohu's line is not taken for a
    /// case this one reads (its file is read, and reported as newer).
    schema: u32,
    stamp: ContentStamp,
    case: CaseSummary,
}

/// The journal as a listing found it: each case's last line, and how many lines it held.
#[derive(Default)]
pub struct Journal {
    last: HashMap<String, Line>,
    lines: usize,
    /// Over the size cap: ignored, and due for a rewrite.
    oversized: bool,
}

fn path_in(root: &Path) -> PathBuf {
    root.join(JOURNAL_NAME)
}

impl Journal {
    /// Reads the journal in `root` (the data dir). Missing, unreadable or not a regular
    /// file (never followed, never blocked on): empty, so every file is read.
    pub fn read(root: &Path) -> Journal {
        let mut journal = Journal::default();
        let Ok(file) = regular_file::open(&path_in(root), Links::Refuse) else {
            return journal;
        };
        let bytes = match regular_file::read_open(&file, MAX_JOURNAL_BYTES) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                journal.oversized = true;
                return journal;
            }
            Err(_) => return journal,
        };
        for text in bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            journal.lines += 1;
            // A torn last line, garbage or another format is skipped: its case is read.
            let Ok(line) = serde_json::from_slice::<Line>(text) else {
                continue;
            };
            if line.v == FORMAT && line.schema == CASE_SCHEMA {
                journal.last.insert(line.case.id.to_string(), line);
            }
        }
        journal
    }

    /// The summary of the case file `id.toml`, if the journal's last line for `id`
    /// describes exactly the file as it is now (`meta`, not following a link) and says
    /// nothing a file could not.
    pub fn summary_of(
        &self,
        id: &str,
        meta: &fs::Metadata,
    ) -> Option<(&CaseSummary, ContentStamp)> {
        if !meta.file_type().is_file() {
            return None;
        }
        let stamp = ContentStamp::of(meta)?;
        let line = self.last.get(id)?;
        (line.stamp == stamp && line.case.id == id && could_be_read_from(&line.case, stamp))
            .then_some((&line.case, stamp))
    }

    /// Whether a listing that found `cases` sound case files, `new_lines` of them read
    /// whole and worth a line (a damaged file is not: it would be rewritten for nothing
    /// every time), should rewrite the journal.
    pub fn wants_rewrite(&self, cases: usize, new_lines: usize) -> bool {
        new_lines > 0 || self.oversized || self.lines > 2 * cases + 64
    }
}

/// What a case file's own reading would also have allowed: the id is a case id (serde
/// made it one) equal to the file's name (checked by the caller), and the file is one
/// `read_case_as_is` reads (at most `MAX_CASE_BYTES`). `Case::check` only bounds amounts, which a
/// summary has none of; a summary's text is part of its file, so it cannot be longer.
fn could_be_read_from(summary: &CaseSummary, stamp: ContentStamp) -> bool {
    let text = [
        Some(summary.id.as_str()),
        Some(summary.product.as_str()),
        Some(summary.step.as_str()),
        summary.customer.as_deref(),
        summary.agent.as_deref(),
    ];
    let text_bytes: u64 = text.iter().flatten().map(|s| s.len() as u64).sum();
    stamp.size() <= MAX_CASE_BYTES && text_bytes <= stamp.size()
}

fn line_bytes(summary: &CaseSummary, stamp: ContentStamp) -> Option<Vec<u8>> {
    let line = Line {
        v: FORMAT,
        schema: CASE_SCHEMA,
        stamp,
        case: summary.clone(),
    };
    let mut bytes = serde_json::to_vec(&line).ok()?;
    bytes.push(b'\n');
    Some(bytes)
}

/// Appends the line of a case file just saved. One `write` on an `O_APPEND` file, so lines
/// of processes saving at once never interleave; no fsync: a line lost in a crash only
/// costs reading that file next time. The path is opened without following a link and
/// without blocking on a FIFO, and only a regular file is written.
pub fn append(root: &Path, summary: &CaseSummary, stamp: ContentStamp) {
    let Some(line) = line_bytes(summary, stamp) else {
        return;
    };
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let Ok(mut file) = options.open(path_in(root)) else {
        return;
    };
    match file.metadata() {
        // Past the cap a listing ignores it anyway; growing it further helps nobody.
        Ok(meta) if meta.file_type().is_file() && meta.len() < MAX_JOURNAL_BYTES => {}
        _ => return,
    }
    // A short write (a full disk) leaves a torn line, which readers skip.
    let _written = file.write(&line);
}

/// Replaces the journal with one line per case (`entries`: each listed case's summary and
/// the stamp it was read at), through a temp file renamed into place; no fsync. A line
/// another process appends meanwhile may be lost with the old file: its case is then read
/// whole next time, never listed wrong, since every line is checked against its file.
/// Something other than a regular file at the path is left alone.
pub fn rewrite<'a>(
    root: &Path,
    entries: impl IntoIterator<Item = (&'a CaseSummary, ContentStamp)>,
) {
    regular_file::rewrite_cache(root, JOURNAL_NAME, REWRITE_PREFIX, |out| {
        for (summary, stamp) in entries {
            if let Some(line) = line_bytes(summary, stamp) {
                out.write_all(&line)?;
            }
        }
        Ok(())
    });
}

/// The journal's path, for tests that plant things there.
#[cfg(test)]
pub fn journal_path(root: &Path) -> PathBuf {
    path_in(root)
}
