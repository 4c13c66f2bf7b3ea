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

/// `f` applied to each item, in order. Items are dealt out to the workers in turn (item
/// `i` to worker `i mod n`), so cheap and costly items mix in every share; there are only
/// as many workers as there are `min_chunk` items for each (a thread costs more than a few
/// small items).
pub fn map<T: Sync, R: Send>(items: &[T], min_chunk: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = workers().min(items.len() / min_chunk.max(1)).max(1);
    if threads == 1 {
        return items.iter().map(&f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|first| {
                scope.spawn(move || items.iter().skip(first).step_by(threads).map(f).collect())
            })
            .collect();
        // A panic in a worker is a bug; pass it on unchanged.
        let shares: Vec<Vec<R>> = handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect();
        let mut shares: Vec<_> = shares.into_iter().map(Vec::into_iter).collect();
        (0..items.len())
            .map(|i| {
                shares[i % threads]
                    .next()
                    .expect("each share has its items")
            })
            .collect()
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
