//! A small cache of the most recent results by what they were made from. Both users of it
//! see the same inputs again and again: `serve` gets the whole form after every change (typing
//! "8", then "80", then "8" again), and a batch often holds groups that answered alike.

use std::collections::VecDeque;
use std::sync::Mutex;

/// At most `capacity` results, the most recently used first.
pub struct Recent<T> {
    capacity: usize,
    entries: Mutex<VecDeque<(String, T)>>,
}

impl<T: Clone> Recent<T> {
    /// An empty cache that keeps at most `capacity` results.
    pub fn new(capacity: usize) -> Recent<T> {
        Recent {
            capacity,
            entries: Mutex::new(VecDeque::new()),
        }
    }

    /// The result for `key`, if it is among the recent ones (it moves to the front).
    pub fn get(&self, key: &str) -> Option<T> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let at = entries.iter().position(|(k, _)| k == key)?;
        let entry = entries.remove(at)?;
        let value = entry.1.clone();
        entries.push_front(entry);
        Some(value)
    }

    /// Keeps a result, forgetting the oldest beyond the capacity.
    pub fn put(&self, key: String, value: T) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|(k, _)| *k != key);
        entries.push_front((key, value));
        entries.truncate(self.capacity);
    }

    /// The result for `key`, made by `make` and kept when it is not there yet. Two threads
    /// asking at once may both make it; the results are equal, so either may be kept.
    pub fn get_or_try_insert<E>(
        &self,
        key: String,
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if let Some(hit) = self.get(&key) {
            return Ok(hit);
        }
        let value = make()?;
        self.put(key, value.clone());
        Ok(value)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_results_are_kept_newest_first_up_to_the_capacity() {
        let recent: Recent<usize> = Recent::new(4);
        assert!(recent.get("a").is_none());
        for i in 0..=4 {
            recent.put(i.to_string(), i);
        }
        // The oldest is forgotten, the others are there; asking moves one to the front.
        assert!(recent.get("0").is_none());
        assert_eq!(recent.get("1"), Some(1));
        recent.put("new".into(), 9);
        assert_eq!(
            recent.get("1"),
            Some(1),
            "1 was asked for, so 2 went instead"
        );
        assert!(recent.get("2").is_none());
        recent.put("1".into(), 1);
        assert_eq!(recent.len(), 4);
    }

    #[test]
    fn a_result_is_made_once_and_a_failure_is_not_kept() {
        let recent: Recent<usize> = Recent::new(4);
        let mut made = 0;
        for _ in 0..3 {
            let value = recent.get_or_try_insert("k".into(), || -> Result<usize, ()> {
                made += 1;
                Ok(7)
            });
            assert_eq!(value, Ok(7));
        }
        assert_eq!(made, 1);
        assert_eq!(
            recent.get_or_try_insert("e".into(), || Err::<usize, _>("no")),
            Err("no")
        );
        assert!(recent.get("e").is_none());
    }
}
