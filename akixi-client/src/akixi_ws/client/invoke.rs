//! InvokeIDs: zero-padded, incrementing, wrapping to zero after the largest value of their width
//! (`00000`…`99999`, then `00000`), as the documentation recommends.

use std::sync::atomic::{AtomicU64, Ordering};

/// The InvokeID counter of one client, shared by its clones.
#[derive(Debug)]
pub(crate) struct InvokeIds {
    next: AtomicU64,
    modulus: u64,
    width: usize,
}

impl InvokeIds {
    /// A counter of `width` digits starting at `first` (taken modulo 10^width).
    pub(crate) fn new(width: usize, first: u64) -> Self {
        let modulus = u32::try_from(width)
            .ok()
            .and_then(|w| 10u64.checked_pow(w))
            .unwrap_or(u64::MAX)
            .max(1);
        InvokeIds {
            next: AtomicU64::new(first % modulus),
            modulus,
            width,
        }
    }

    /// The next InvokeID.
    pub(crate) fn next(&self) -> String {
        let m = self.modulus;
        // fetch_update cannot fail with a closure that always returns Some.
        let n = match self
            .next
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| Some((n + 1) % m))
        {
            Ok(n) | Err(n) => n,
        };
        format!("{n:0width$}", width = self.width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_padded_incrementing_and_wrapping() {
        let ids = InvokeIds::new(5, 99_998);
        assert_eq!(ids.next(), "99998");
        assert_eq!(ids.next(), "99999");
        assert_eq!(ids.next(), "00000");
        assert_eq!(ids.next(), "00001");
        let ids = InvokeIds::new(5, 123_456);
        assert_eq!(ids.next(), "23456");
    }

    #[test]
    fn unique_across_threads() {
        let ids = std::sync::Arc::new(InvokeIds::new(5, 0));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let ids = ids.clone();
                std::thread::spawn(move || (0..1000).map(|_| ids.next()).collect::<Vec<_>>())
            })
            .collect();
        let mut all: Vec<String> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 4000);
    }
}
