//! Splitting independent work across the cores, with results in input order so that output
//! never depends on scheduling.

use std::sync::OnceLock;

/// How many threads to use: the cores this process may use, at most 8. Asked once: the
/// standard library reads cgroup files each time.
pub fn workers() -> usize {
    static WORKERS: OnceLock<usize> = OnceLock::new();
    *WORKERS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8)
    })
}

/// `f` applied to each item, in order. Items are split into one chunk per worker, none
/// smaller than `min_chunk` (a thread costs more than a few small items).
pub fn map<T: Sync, R: Send>(items: &[T], min_chunk: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let chunk = items.len().div_ceil(workers()).max(min_chunk.max(1));
    if items.len() <= chunk {
        return items.iter().map(&f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for handle in handles {
            // A panic in a worker is a bug; pass it on unchanged.
            out.extend(
                handle
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            );
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order_for_any_split() {
        let items: Vec<u32> = (0..1_000).collect();
        for min_chunk in [1, 7, 64, 500, 2_000] {
            let doubled = map(&items, min_chunk, |x| x * 2);
            assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
        assert!(map(&[] as &[u32], 1, |x| *x).is_empty());
    }
}
