//! Values derived from the whole shop, kept between calls: the shop's insight and the suggestion
//! list are computed from every customer, and Today, segments and profiles ask for them again and
//! again. Each kind of value has one `Memo`, which keeps it per store under the store's change
//! stamp (`Store::stamp`) and a tag (the minute it was computed for): it is used again only while
//! both are the same, so a change anywhere in the database (here or by another process) computes
//! it afresh. The storage layer knows nothing of what is kept.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::error::Result;
use crate::store::{Stamp, Store};

/// How many stores' values a memo holds at once (the app has one store; tests open many).
const STORES: usize = 8;

/// The kept value of one kind, per store.
pub struct Memo<T> {
    kept: Mutex<Vec<Kept<T>>>,
}

struct Kept<T> {
    stamp: Stamp,
    tag: u64,
    value: Arc<T>,
}

impl<T> Memo<T> {
    pub const fn new() -> Memo<T> {
        Memo { kept: Mutex::new(Vec::new()) }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Kept<T>>> {
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The value kept for `store` under `tag`, if the store has not changed since it was kept.
    pub fn get(&self, store: &Store, tag: u64) -> Result<Option<Arc<T>>> {
        let stamp = store.stamp()?;
        Ok(self.lock().iter().find(|k| k.stamp == stamp && k.tag == tag).map(|k| k.value.clone()))
    }

    /// What is kept for `store` whatever has changed since, with the stamp and tag it was kept
    /// under: for a holder that can bring it up to date rather than compute it afresh.
    pub fn latest(&self, store: &Store) -> Result<Option<(Stamp, u64, Arc<T>)>> {
        let stamp = store.stamp()?;
        Ok(self.lock().iter().find(|k| k.stamp.store == stamp.store).map(|k| (k.stamp, k.tag, k.value.clone())))
    }

    /// Keeps `value` for `store` under `tag`, as of the store's content now (in place of what was
    /// kept for it).
    pub fn put(&self, store: &Store, tag: u64, value: Arc<T>) -> Result<()> {
        let stamp = store.stamp()?;
        let mut kept = self.lock();
        kept.retain(|k| k.stamp.store != stamp.store);
        if kept.len() >= STORES {
            kept.remove(0);
        }
        kept.push(Kept { stamp, tag, value });
        Ok(())
    }

    /// Lets go of what is kept for `store`, so that its holder can change it in place.
    pub fn forget(&self, store: &Store) {
        if let Ok(stamp) = store.stamp() {
            self.lock().retain(|k| k.stamp.store != stamp.store);
        }
    }
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_kept_until_the_store_changes_and_per_store() {
        let memo: Memo<u32> = Memo::new();
        let mut one = Store::open_in_memory().unwrap();
        let two = Store::open_in_memory().unwrap();
        let mut computed = 0;
        let mut ask = |store: &Store, tag| match memo.get(store, tag).unwrap() {
            Some(kept) => *kept,
            None => {
                computed += 1;
                memo.put(store, tag, Arc::new(computed)).unwrap();
                computed
            }
        };
        assert_eq!(ask(&one, 1), 1);
        assert_eq!(ask(&one, 1), 1, "kept");
        assert_eq!(ask(&two, 1), 2, "another store has its own");
        assert_eq!(ask(&one, 1), 1, "the first store's is still kept");
        assert_eq!(ask(&one, 2), 3, "another tag");
        crate::settings::set(&mut one, "shop_name", "Corner Shop").unwrap();
        assert_eq!(ask(&one, 2), 4, "a change in the store");
    }
}
