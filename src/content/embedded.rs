//! The built-in content in a form that needs no parsing: what the start page draws (every
//! UI string in both word sets, the calendar's days, each product's heading) as Rust
//! statics in `embedded/form.rs`, and each product's steps read from its TOML when the
//! product is first opened.
//!
//! The form is made by this crate's own loader: `XIAOHU_BLESS=1 cargo test --test forms`
//! loads and validates `content/` exactly as `xiaohu check` does and writes what it
//! loaded; without the variable that test fails whenever the form is not what the sources
//! give, so CI refuses a stale form. The form records a hash of the sources it was
//! made from, and the binary compares it with a hash of the sources it embeds, computed by
//! the compiler (`SOURCES_HASH`): a form of other sources is never used, the TOML is read
//! and validated at start-up instead. So the shipped content can never be one that did
//! not pass the validator.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::schema::{Closing, Platform, ProductInfo};
use super::{Content, Product, Source, Text, UiStrings, builtin};
use crate::calendar::HolidayCalendar;

#[rustfmt::skip]
mod form;
mod render;

/// Where the form is, in the source tree.
pub const FORM_PATH: &str = "src/content/embedded/form.rs";

/// What the form must hold: the built-in sources loaded and validated as `xiaohu check`
/// does, written out (`tests/forms.rs` compares it with the file).
pub fn form_source() -> String {
    let content = Content::load(builtin::sources()).expect("the built-in content is valid");
    render::render(&content, SOURCES_HASH)
}

/// A product's heading as the form holds it: everything of `[product]`, and which
/// built-in file its steps are in.
pub struct Heading {
    pub source: usize,
    pub id: &'static str,
    pub name: [&'static str; 2],
    pub provider: [&'static str; 2],
    pub platform: (&'static str, [&'static str; 2], i32),
    pub summary: [&'static str; 2],
    pub hotline: &'static str,
    pub hotline_check: bool,
    pub order: i32,
    pub closing: Closing,
}

/// FNV-1a, in a `const fn` so the compiler hashes the embedded sources: a change of any
/// byte or path of them is seen without any work at run time (it is not a defence against
/// forgery, only against a form left behind by an edit).
pub(crate) const fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

/// FNV-1a's starting value.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

pub(crate) const fn file_hash(hash: u64, (path, text): (&str, &str)) -> u64 {
    // A 0xff byte between the parts, which UTF-8 never has, so no two lists hash alike by
    // moving text from one file into the next.
    let hash = fnv1a(hash, path.as_bytes());
    let hash = fnv1a(hash, &[0xff]);
    let hash = fnv1a(hash, text.as_bytes());
    fnv1a(hash, &[0xff])
}

const fn sources_hash() -> u64 {
    let mut hash = file_hash(FNV_OFFSET, builtin::UI);
    hash = file_hash(hash, builtin::CALENDAR);
    let mut i = 0;
    while i < builtin::PRODUCTS.len() {
        hash = file_hash(hash, builtin::PRODUCTS[i]);
        i += 1;
    }
    hash
}

/// The hash of the sources this binary embeds.
const SOURCES_HASH: u64 = sources_hash();

/// The built-in content from the form, or `None` if the form is not of these sources.
pub fn content() -> Option<Content> {
    content_of(SOURCES_HASH)
}

/// The built-in UI strings (closing) from the form, or `None` if the form is not of these
/// sources: the command line's own messages, without the products.
pub fn ui() -> Option<Box<UiStrings>> {
    if form::SOURCES_HASH != SOURCES_HASH {
        return None;
    }
    UiStrings::from_table(form::UI_CLOSE)
}

/// The content from the form, if it was made from sources of hash `sources`.
fn content_of(sources: u64) -> Option<Content> {
    if form::SOURCES_HASH != sources {
        return None;
    }
    let ui = UiStrings::from_table(form::UI_CLOSE)?;
    let cancel_changes = form::UI_CANCEL_CHANGES;
    if cancel_changes
        .iter()
        .any(|(i, _, _)| *i >= UiStrings::COUNT)
    {
        return None;
    }
    let products = form::PRODUCTS
        .iter()
        .map(product)
        .collect::<Option<Vec<_>>>()?;
    Some(Content {
        products,
        ui,
        ui_cancel: OnceLock::new(),
        cancel_changes,
        calendar: HolidayCalendar::from_bits(form::CALENDAR),
        by_id: OnceLock::new(),
    })
}

fn text([zh, en]: [&'static str; 2]) -> Text {
    Text {
        zh: Cow::Borrowed(zh),
        en: Cow::Borrowed(en),
    }
}

fn product(h: &Heading) -> Option<Product> {
    let (path, source) = *builtin::PRODUCTS.get(h.source)?;
    let (platform, platform_name, platform_order) = h.platform;
    Some(Product {
        path: path.to_owned(),
        info: ProductInfo {
            id: toml::Spanned::new(0..0, h.id.to_owned()),
            name: text(h.name),
            provider: text(h.provider),
            platform: Platform {
                id: platform.to_owned(),
                name: text(platform_name),
                order: platform_order,
            },
            summary: text(h.summary),
            hotline: h.hotline.to_owned(),
            hotline_check: h.hotline_check,
            order: h.order,
            closing: h.closing,
        },
        body: OnceLock::new(),
        source: Source::Builtin(source),
        fingerprints: OnceLock::new(),
    })
}

#[cfg(test)]
mod tests;
