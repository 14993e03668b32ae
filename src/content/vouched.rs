//! What a product file was found to be when it last passed every check of its own: its
//! `[product]` table and how many steps it has. `crate::content_dir` keeps these in the
//! data dir beside the file's identity, so a catalogue of thousands of unchanged files
//! is not parsed and validated again on every start (`Content::load_vouched`).
//!
//! A record is a cache, never the last word: its header is taken only if it could have
//! come from a valid file (ids an id may be, no character that commands a terminal), the
//! cross-file rules run on every start, and the file's steps are parsed and validated
//! again, from the text read on this start, the first time the product is opened.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::schema::{Closing, Platform, ProductInfo};
use super::text::Text;
use super::validate;

/// A product file that passed its own checks: what the product list needs of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vouched {
    pub product: Header,
    pub steps: usize,
}

/// A product file not read on this start, because its record vouches for it: the record,
/// and how to read the file when its steps are needed.
#[derive(Clone)]
pub struct Deferred {
    pub checked: Vouched,
    pub read: Reader,
}

/// Reads a deferred product file's text. The file IO it does is `crate::content_dir`'s,
/// handed in: this layer only calls it, the first time the product's steps are needed.
#[derive(Clone)]
pub struct Reader(Arc<dyn Fn() -> Result<String, String> + Send + Sync>);

impl Reader {
    pub fn new(read: impl Fn() -> Result<String, String> + Send + Sync + 'static) -> Reader {
        Reader(Arc::new(read))
    }

    pub fn read(&self) -> Result<String, String> {
        (self.0)()
    }
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reader")
    }
}

/// `ProductInfo` without spans, every field written (`closing` too, which the product's
/// fingerprint leaves out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub id: String,
    pub name: Text,
    pub provider: Text,
    pub platform_id: String,
    pub platform_name: Text,
    pub platform_order: i32,
    pub summary: Text,
    pub hotline: String,
    pub hotline_check: bool,
    pub order: i32,
    pub closing: Closing,
}

impl Header {
    pub fn of(info: &ProductInfo) -> Header {
        Header {
            id: info.id.get_ref().clone(),
            name: info.name.clone(),
            provider: info.provider.clone(),
            platform_id: info.platform.id.clone(),
            platform_name: info.platform.name.clone(),
            platform_order: info.platform.order,
            summary: info.summary.clone(),
            hotline: info.hotline.clone(),
            hotline_check: info.hotline_check,
            order: info.order,
            closing: info.closing,
        }
    }

    pub fn into_info(self) -> ProductInfo {
        ProductInfo {
            // No span: a problem found at the start with a vouched file (a duplicate id) is
            // reported from the file itself, read again for its positions.
            id: Spanned::new(0..0, self.id),
            name: self.name,
            provider: self.provider,
            platform: Platform {
                id: self.platform_id,
                name: self.platform_name,
                order: self.platform_order,
            },
            summary: self.summary,
            hotline: self.hotline,
            hotline_check: self.hotline_check,
            order: self.order,
            closing: self.closing,
        }
    }
}

/// More steps than any product file of at most 1 MB can hold.
const MAX_STEPS: usize = 65_536;

impl Vouched {
    /// Whether a valid file of `file_size` bytes could have given this: a record someone
    /// wrote by hand is not believed past what the product list shows, and the list shows
    /// nothing a file could not hold (a file holds its own header, so a name of megabytes
    /// from a file of a few kilobytes is not believed either).
    pub fn plausible(&self, file_size: u64) -> bool {
        let h = &self.product;
        let texts = [&h.name, &h.provider, &h.platform_name, &h.summary];
        let header_bytes = [&h.id, &h.platform_id, &h.hotline]
            .iter()
            .map(|s| s.len())
            .chain(texts.iter().map(|t| t.zh.len() + t.en.len()))
            .sum::<usize>();
        // Twice the file, for what loading fills in (a verb for `{act}`); an entry not
        // believed only costs reading its file.
        u64::try_from(header_bytes).is_ok_and(|n| n <= file_size.saturating_mul(2))
            && validate::is_valid_id(&h.id)
            && validate::is_valid_id(&h.platform_id)
            // A 1 MB file holds far fewer steps; a count past this was written by hand.
            && (1..=MAX_STEPS).contains(&self.steps)
            && !h.hotline.trim().is_empty()
            && validate::refused_char(&h.hotline).is_none()
            && texts.iter().all(|t| {
                !t.is_blank()
                    && validate::refused_char(&t.zh).is_none()
                    && validate::refused_char(&t.en).is_none()
            })
    }
}

/// The one step a vouched product has when, opened, its file no longer reads as the
/// record said (the record was edited, or the file changed in a way its identity did not
/// show): an end screen that says so, instead of a flow nobody checked.
pub const NOT_AS_CHECKED: &str = r#"
[[steps]]
id = "not-as-checked"
kind = "outcome"
result = "needs_service"
title = { zh = "这个产品的文件和检查过的不一样", en = "This product's file is not the one that was checked" }
body = { zh = "这个产品的内容文件在上次检查之后变了，现在没有通过检查，所以不能按它办理。请对 --content 的文件夹运行 xiaohu check 查看问题，改好后再打开它。", en = "This product's content file changed after it was last checked and does not pass the checks now, so it cannot be followed. Run xiaohu check on the --content folder to see the problems, fix them, and open it again." }
"#;
