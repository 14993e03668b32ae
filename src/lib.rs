//! xiaohu (销户): a terminal wizard that walks a person through closing a consumer-credit
//! product. See ARCHITECTURE.md for the map.

pub mod app;
pub mod calendar;
pub mod cli;
pub mod content;
pub mod content_dir;
pub mod keymap;
pub mod plain;
pub mod regular_file;
pub mod report;
pub mod safe_text;
pub mod sessions;
pub mod steps;
pub mod store;
pub mod ui;
pub mod wizard;
