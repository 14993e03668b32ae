//! Placeholder until the event loop lands.
use crate::content::{Content, Lang};
use crate::store::Store;
pub enum Start { Welcome, Product(String), Resume(String) }
pub struct Options { pub content: Content, pub lang: Lang, pub demo: bool, pub store: Option<Store>, pub start: Start }
pub fn run(_o: Options) -> Result<(), String> { Err("not yet".into()) }
