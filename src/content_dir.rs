//! Reads a content directory from disk (`ui.toml`, `calendar.toml`, `products/*.toml`) into
//! sources for `Content::load`. The only file IO of content loading lives here.

use std::fs;
use std::path::Path;

use crate::content::{Diagnostic, SourceFile, Sources};
use crate::regular_file::{self, Links};

pub fn read_sources(dir: &Path) -> Result<Sources, Vec<Diagnostic>> {
    let shown = |p: &Path| p.display().to_string();
    if !dir.is_dir() {
        return Err(vec![Diagnostic::file(
            &shown(dir),
            "not a directory (expected the layout of content/: products/*.toml)",
        )]);
    }
    let mut errors = Vec::new();
    let mut read = |path: &Path| read_source(path).map_err(|e| errors.push(e)).ok();
    let optional = |name: &str| Some(dir.join(name)).filter(|p| p.exists());
    let ui = optional("ui.toml").and_then(|p| read(&p));
    let calendar = optional("calendar.toml").and_then(|p| read(&p));
    let products_dir = dir.join("products");
    let mut paths = Vec::new();
    let mut folder_error = None;
    match fs::read_dir(&products_dir) {
        Ok(entries) => {
            // Every `*.toml`, whatever it is: one that is not a regular file (a FIFO, a
            // device, a folder) is named as a problem by `read_source`, not skipped.
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "toml") {
                    paths.push(path);
                }
            }
        }
        Err(e) => {
            folder_error = Some(Diagnostic::file(
                &shown(&products_dir),
                format!("cannot read the products folder: {e}"),
            ))
        }
    }
    paths.sort();
    if paths.is_empty() && folder_error.is_none() {
        folder_error = Some(Diagnostic::file(
            &shown(&products_dir),
            "no product files (*.toml) in this folder",
        ));
    }
    let products = paths.iter().filter_map(|p| read(p)).collect();
    errors.extend(folder_error);
    if errors.is_empty() {
        Ok(Sources {
            ui,
            calendar,
            products,
        })
    } else {
        Err(errors)
    }
}

/// The largest content file read. The built-in ones are at most 30 KB (`ui.toml`; a
/// product is 19–27 KB), so 1 MB is room for any real product, and a device or a planted
/// huge file is refused before it takes the memory.
pub const FILE_LIMIT: u64 = 1024 * 1024;

/// One content file: only a regular file (a FIFO would block `check` forever, `/dev/zero`
/// would never end), of at most `FILE_LIMIT` bytes. A link is followed: the directory is
/// the author's, and a link in it is theirs.
fn read_source(path: &Path) -> Result<SourceFile, Diagnostic> {
    let shown = path.display().to_string();
    let bytes = regular_file::read(path, FILE_LIMIT, Links::Follow)
        .map_err(|e| Diagnostic::file(&shown, format!("cannot read: {e}")))?;
    SourceFile::from_bytes(&shown, bytes)
}
