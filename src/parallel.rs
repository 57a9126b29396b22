//! Work spread over the machine's cores with scoped threads: no thread pool to configure and
//! no dependency, and the results come back in input order.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many threads to use: one per core.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

thread_local! {
    /// The stack reserved for this thread when [`map_with_stack`] started it; 0 otherwise.
    static RESERVED_STACK: Cell<usize> = const { Cell::new(0) };
}

/// The stack reserved for the current thread, when it is a worker started with a known size.
pub(crate) fn reserved_stack() -> usize {
    RESERVED_STACK.with(Cell::get)
}

/// Applies `f` to every item on all cores; results are in the order of `items`.
/// Items are handed out one at a time, so uneven items (a huge file among small ones) still
/// keep every core busy.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if threads().min(items.len()) <= 1 {
        return items.iter().map(f).collect();
    }
    run(items, None, f)
}

/// Like `map`, on workers with `stack_bytes` of stack each (reserved, not used), for work
/// that recurses deeply; even with one core the work runs on such a worker.
pub fn map_with_stack<T: Sync, R: Send>(
    items: &[T],
    stack_bytes: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if items.is_empty() || reserved_stack() >= stack_bytes {
        return items.iter().map(f).collect();
    }
    run(items, Some(stack_bytes), f)
}

/// Runs `f` on a thread with `stack_bytes` of stack (reserved, not used), for work that
/// recurses as deeply as its input nests: at once when this thread already has such a stack,
/// else on a new thread; when no thread can be started, here with the stack there is.
pub(crate) fn with_stack<R: Send>(stack_bytes: usize, f: impl Fn() -> R + Sync) -> R {
    if reserved_stack() >= stack_bytes {
        return f();
    }
    let ran = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("align-deep".to_owned())
            .stack_size(stack_bytes)
            .spawn_scoped(scope, || {
                RESERVED_STACK.with(|r| r.set(stack_bytes));
                f()
            })
            .map(|handle| handle.join())
    });
    match ran {
        Ok(Ok(result)) => result,
        // A panic on the thread is a fault in align: it surfaces as it would have here.
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => f(),
    }
}

fn run<T: Sync, R: Send>(items: &[T], stack: Option<usize>, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = threads().min(items.len()).max(1);
    let next = AtomicUsize::new(0);
    let work = || {
        if let Some(bytes) = stack {
            RESERVED_STACK.with(|r| r.set(bytes));
        }
        let mut out = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            out.push((i, f(item)));
        }
        out
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .filter_map(|_| {
                let mut builder = std::thread::Builder::new().name("align-worker".to_owned());
                if let Some(bytes) = stack {
                    builder = builder.stack_size(bytes);
                }
                builder.spawn_scoped(scope, work).ok()
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    // Items no worker took (no thread could be started) are done here.
    let mut taken = vec![false; items.len()];
    for (i, _) in &done {
        if let Some(t) = taken.get_mut(*i) {
            *t = true;
        }
    }
    for (i, item) in items.iter().enumerate() {
        if !taken.get(i).copied().unwrap_or(true) {
            done.push((i, f(item)));
        }
    }
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(
            super::map(&items, |x| x * 2),
            items.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
    }

    #[test]
    fn workers_know_their_stack() {
        let items: Vec<u32> = (0..10).collect();
        let stacks = super::map_with_stack(&items, 16 << 20, |_| super::reserved_stack());
        assert!(stacks.iter().all(|s| *s == 16 << 20));
        assert_eq!(super::reserved_stack(), 0);
    }

    #[test]
    fn deep_work_runs_on_a_deep_stack() {
        assert_eq!(super::with_stack(32 << 20, super::reserved_stack), 32 << 20);
        assert_eq!(super::reserved_stack(), 0);
    }
}
