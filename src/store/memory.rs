//! A case store in memory, with the file store's promises (unique ids, one holder per case,
//! only one's own cases replaced or discarded): for tests of everything above the store, and
//! the second implementation that keeps `CaseStore` honest. Clones share the same cases, as
//! two terminals share one data dir.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use super::{CaseStore, ReceiptPlace, StoreError};
use crate::wizard::case::{Case, CaseId, CaseSummary};

#[derive(Debug, Default)]
struct Shared {
    cases: BTreeMap<String, Case>,
    /// Held by some terminal.
    held: BTreeSet<String>,
    receipts: BTreeMap<String, String>,
    /// How many times each case was written, so a terminal can tell its write from another's.
    versions: BTreeMap<String, u64>,
}

/// One terminal's view of a shared in-memory case book.
#[derive(Debug, Default)]
pub struct MemoryStore {
    shared: Arc<Mutex<Shared>>,
    held: Option<String>,
    /// Cases this terminal wrote or opened, with the version it last saw.
    owned: BTreeMap<String, u64>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Another terminal on the same cases.
    pub fn another_terminal(&self) -> MemoryStore {
        MemoryStore {
            shared: Arc::clone(&self.shared),
            held: None,
            owned: BTreeMap::new(),
        }
    }

    /// A case as it is kept now, held by anyone or not: for tests to look at.
    pub fn peek(&self, id: &str) -> Option<Case> {
        self.lock().cases.get(id).cloned()
    }

    /// A receipt kept for a case, by `ID.EXT`.
    pub fn receipt(&self, name: &str) -> Option<String> {
        self.lock().receipts.get(name).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        // A panic elsewhere while holding it leaves the data as it was: keep using it.
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for MemoryStore {
    fn drop(&mut self) {
        self.release();
    }
}

impl CaseStore for MemoryStore {
    fn list(&mut self) -> (Vec<CaseSummary>, Vec<(String, String)>) {
        let cases = self.lock().cases.values().map(Case::summary).collect();
        (cases, Vec::new())
    }

    fn read(&mut self, id: &CaseId) -> Result<Case, StoreError> {
        self.peek(id.as_str())
            .ok_or_else(|| StoreError::NotFound(id.to_string()))
    }

    fn open(&mut self, id: &CaseId) -> Result<Case, StoreError> {
        let id = id.as_str();
        let mut shared = self.lock();
        let case = shared
            .cases
            .get(id)
            .cloned()
            .ok_or_else(|| StoreError::NotFound(id.to_owned()))?;
        if shared.held.contains(id) && self.held.as_deref() != Some(id) {
            return Err(StoreError::Locked(id.to_owned()));
        }
        shared.held.insert(id.to_owned());
        let version = shared.versions.get(id).copied().unwrap_or(0);
        drop(shared);
        self.release_other(id);
        self.held = Some(id.to_owned());
        self.owned.insert(id.to_owned(), version);
        Ok(case)
    }

    fn save(&mut self, case: &Case, hold: bool) -> Result<CaseId, StoreError> {
        let mut shared = self.lock();
        let own = case.id.as_str();
        let new_id = match self.owned.get(own) {
            Some(&seen) => {
                if shared.held.contains(own) && self.held.as_deref() != Some(own) {
                    return Err(StoreError::Locked(own.to_owned()));
                }
                if shared.versions.get(own).copied().unwrap_or(0) != seen {
                    return Err(StoreError::Changed {
                        path: own.to_owned(),
                    });
                }
                case.id.clone()
            }
            None => {
                let free = |id: &CaseId| {
                    !shared.cases.contains_key(id.as_str()) && !shared.held.contains(id.as_str())
                };
                let taken = || StoreError::BadId(format!("{}-…", case.id));
                std::iter::once(Some(case.id.clone()))
                    .chain((2..).map(|n| case.id.suffixed(n)))
                    .map(|id| id.ok_or_else(taken))
                    .find(|id| id.as_ref().map_or(true, free))
                    .unwrap_or_else(|| Err(taken()))?
            }
        };
        let mut written = case.clone();
        written.id = new_id.clone();
        let id = new_id.to_string();
        shared.cases.insert(id.clone(), written);
        let version = shared.versions.entry(id.clone()).or_insert(0);
        *version += 1;
        let version = *version;
        if hold {
            shared.held.insert(id.clone());
        }
        drop(shared);
        if hold {
            self.release_other(&id);
            self.held = Some(id.clone());
        }
        self.owned.insert(id, version);
        Ok(new_id)
    }

    fn release(&mut self) {
        if let Some(id) = self.held.take() {
            self.lock().held.remove(&id);
        }
    }

    fn discard(&mut self, id: &CaseId) -> Result<(), StoreError> {
        let id = id.as_str();
        let Some(seen) = self.owned.remove(id) else {
            return Ok(());
        };
        let mut shared = self.lock();
        if shared.versions.get(id).copied().unwrap_or(0) != seen {
            return Err(StoreError::Changed {
                path: id.to_owned(),
            });
        }
        shared.cases.remove(id);
        Ok(())
    }

    fn write_receipts(
        &mut self,
        id: &CaseId,
        receipts: &[(&str, String)],
    ) -> Result<ReceiptPlace, StoreError> {
        let mut shared = self.lock();
        let mut names = Vec::new();
        for (ext, text) in receipts {
            let name = format!("{id}.{ext}");
            shared.receipts.insert(name.clone(), text.clone());
            names.push(name);
        }
        Ok(ReceiptPlace {
            place: "memory".into(),
            names,
        })
    }

    fn location(&self, id: &CaseId) -> String {
        format!("memory:{id}")
    }
}

impl MemoryStore {
    /// Holding one case at a time: opening or holding another lets go of the first.
    fn release_other(&mut self, id: &str) {
        if self.held.as_deref().is_some_and(|h| h != id) {
            self.release();
        }
    }
}
