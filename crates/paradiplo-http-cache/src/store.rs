//! The compressed representations kept in memory: bounded by bytes, least
//! recently used first out. A representation being compressed has a slot
//! already, so concurrent requests for it wait for the one compression
//! instead of starting their own.

use bytes::Bytes;
use lru::LruCache;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// One compressed representation.
#[derive(Debug, Clone)]
pub struct Compressed {
    /// The compressed body; `None` when compressing did not make it smaller
    /// (the body is then sent as it is).
    pub body: Option<Bytes>,
    /// The length of the body it was made from: a response under the same
    /// tag with another length is not this one.
    pub source_len: u64,
}

pub type Cell = Arc<OnceCell<Compressed>>;

struct Slot {
    cell: Cell,
    /// Bytes counted against the capacity (0 while being compressed).
    size: usize,
}

struct Inner {
    map: LruCache<String, Slot>,
    bytes: usize,
}

/// What the cache did since it was made (for tests and benchmarks).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Answers served from a kept representation.
    pub hits: u64,
    /// Bodies compressed at the high level (one per representation, while it stays).
    pub compressions: u64,
    /// Answers compressed as they streamed, at the fast level.
    pub streamed: u64,
    /// Representations dropped to stay within the capacity.
    pub evictions: u64,
    /// Representations kept now, and their bytes.
    pub entries: u64,
    pub bytes: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    pub hits: AtomicU64,
    pub compressions: AtomicU64,
    pub streamed: AtomicU64,
    pub evictions: AtomicU64,
}

impl Counters {
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

pub(crate) struct Store {
    inner: Mutex<Inner>,
    capacity: usize,
    pub counters: Counters,
}

impl Store {
    pub fn new(capacity: usize) -> Store {
        Store {
            inner: Mutex::new(Inner {
                map: LruCache::unbounded(),
                bytes: 0,
            }),
            capacity,
            counters: Counters::default(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent data (every
        // change is one assignment), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The slot of `key`, made empty when missing.
    pub fn slot(&self, key: &str) -> Cell {
        let mut inner = self.lock();
        if let Some(slot) = inner.map.get(key) {
            return slot.cell.clone();
        }
        let cell = Cell::default();
        inner.map.put(
            key.to_string(),
            Slot {
                cell: cell.clone(),
                size: 0,
            },
        );
        cell
    }

    /// Replaces the slot of `key` with an empty one (its content was made
    /// from another body under the same tag).
    pub fn renew(&self, key: &str) -> Cell {
        let mut inner = self.lock();
        if let Some(old) = inner.map.pop(key) {
            inner.bytes -= old.size;
        }
        drop(inner);
        self.slot(key)
    }

    /// Counts a filled slot's bytes, then drops the least recently used
    /// slots until the total fits. A slot larger than the whole capacity is
    /// not kept.
    pub fn settle(&self, key: &str, cell: &Cell, size: usize) {
        let mut inner = self.lock();
        let Some(slot) = inner.map.peek_mut(key) else {
            return;
        };
        if !Arc::ptr_eq(&slot.cell, cell) || slot.size != 0 {
            return;
        }
        if size > self.capacity {
            inner.map.pop(key);
            return;
        }
        slot.size = size;
        inner.bytes += size;
        while inner.bytes > self.capacity {
            let Some((_, old)) = inner.map.pop_lru() else {
                break;
            };
            inner.bytes -= old.size;
            Counters::bump(&self.counters.evictions);
        }
    }

    pub fn stats(&self) -> Stats {
        let inner = self.lock();
        let c = &self.counters;
        Stats {
            hits: c.hits.load(Ordering::Relaxed),
            compressions: c.compressions.load(Ordering::Relaxed),
            streamed: c.streamed.load(Ordering::Relaxed),
            evictions: c.evictions.load(Ordering::Relaxed),
            entries: inner.map.len() as u64,
            bytes: inner.bytes as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(store: &Store, key: &str, size: usize) {
        let cell = store.slot(key);
        cell.set(Compressed {
            body: Some(Bytes::from(vec![0u8; size])),
            source_len: size as u64 * 4,
        })
        .unwrap();
        store.settle(key, &cell, size);
    }

    #[test]
    fn bytes_stay_within_the_capacity_least_recently_used_first_out() {
        let store = Store::new(100);
        fill(&store, "a", 40);
        fill(&store, "b", 40);
        // "a" used again: "b" is now the oldest.
        assert!(store.slot("a").initialized());
        fill(&store, "c", 40);
        let s = store.stats();
        assert_eq!((s.entries, s.bytes, s.evictions), (2, 80, 1));
        assert!(store.slot("a").initialized());
        assert!(store.slot("c").initialized());
        assert!(!store.slot("b").initialized(), "b was evicted");
    }

    #[test]
    fn a_body_larger_than_the_capacity_is_not_kept_and_renew_frees_bytes() {
        let store = Store::new(100);
        fill(&store, "big", 101);
        assert_eq!(store.stats().bytes, 0);
        assert!(!store.slot("big").initialized());
        fill(&store, "x", 30);
        assert_eq!(store.stats().bytes, 30);
        assert!(!store.renew("x").initialized());
        assert_eq!(store.stats().bytes, 0);
    }
}
