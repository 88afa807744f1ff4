//! One analysis thread per open document.
//!
//! A document's analyses (and the rendering of their diagnostics) run on a dedicated thread
//! rather than on tokio's blocking pool: the async threads stay free for messages, a document's
//! jobs run in the order they were queued, one slow document never holds up another, and all
//! the memory a document's analyses allocate comes from one thread's allocator arena. (With glibc's allocator every thread of the blocking pool that
//! allocated keeps an arena of its own, so the pool's threads together held several times the
//! memory one analysis needs.)
//!
//! Contract: [`Worker::run`] runs its closure on the worker thread and returns its result; a
//! panic inside the closure is caught there (the thread lives on) and reported as
//! [`WorkerGone`]. If the thread cannot be started, closures run on tokio's blocking pool.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

type Task = Box<dyn FnOnce() + Send>;

/// The handle of the analysis thread; the thread ends when the handle is dropped.
pub struct Worker {
    tasks: Option<mpsc::Sender<Task>>,
    /// Closures queued or running.
    pending: Arc<AtomicUsize>,
}

/// The closure panicked, or its thread is gone: no result.
#[derive(Debug)]
pub struct WorkerGone;

/// Counts one closure as pending from its creation until it has run or was dropped unrun.
struct Pending(Arc<AtomicUsize>);

impl Pending {
    fn new(count: &Arc<AtomicUsize>) -> Pending {
        count.fetch_add(1, Ordering::SeqCst);
        Pending(Arc::clone(count))
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Worker {
    /// Starts the thread.
    pub fn spawn() -> Worker {
        let (tx, rx) = mpsc::channel::<Task>();
        let started = std::thread::Builder::new()
            .name("copydesk-analysis".to_string())
            .spawn(move || {
                for task in rx {
                    task();
                }
            });
        match started {
            Ok(_) => Worker {
                tasks: Some(tx),
                pending: Arc::default(),
            },
            Err(e) => {
                tracing::warn!(error = %e, "no analysis thread; using the blocking pool");
                Worker {
                    tasks: None,
                    pending: Arc::default(),
                }
            }
        }
    }

    /// Runs `f` on the analysis thread, after the closures queued before it.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, WorkerGone> {
        let pending = Pending::new(&self.pending);
        let Some(tasks) = &self.tasks else {
            let result = tokio::task::spawn_blocking(f).await.map_err(|_| WorkerGone);
            drop(pending);
            return result;
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        let task: Task = Box::new(move || {
            // The result goes back even if the caller has stopped waiting; a panic drops
            // `tx`, which the caller sees as `WorkerGone`.
            let result = catch_unwind(AssertUnwindSafe(f));
            drop(pending);
            if let Ok(value) = result {
                let _ = tx.send(value);
            }
        });
        tasks.send(task).map_err(|_| WorkerGone)?;
        rx.await.map_err(|_| WorkerGone)
    }

    /// Runs `f` on the analysis thread after the closures queued before it, without waiting
    /// for it: for housekeeping that must happen in the thread's order (freeing a document's
    /// previous results before its next analysis, say). A panic in `f` is caught and logged.
    pub fn post(&self, f: impl FnOnce() + Send + 'static) {
        let pending = Pending::new(&self.pending);
        let task: Task = Box::new(move || {
            if catch_unwind(AssertUnwindSafe(f)).is_err() {
                tracing::error!("housekeeping task panicked");
            }
            drop(pending);
        });
        match &self.tasks {
            Some(tasks) => {
                // The thread is gone only if it could not be started (handled below) or the
                // process is ending: the task is then dropped, which frees what it holds.
                let _ = tasks.send(task);
            }
            None => {
                tokio::task::spawn_blocking(task);
            }
        }
    }

    /// Whether no closure is queued or running.
    pub fn is_idle(&self) -> bool {
        self.pending.load(Ordering::SeqCst) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_in_order_on_one_thread_and_survives_a_panic() {
        let worker = Worker::spawn();
        let a = worker.run(|| std::thread::current().id()).await.unwrap();
        assert!(worker.run(|| panic!("boom")).await.is_err());
        let b = worker.run(|| std::thread::current().id()).await.unwrap();
        assert_eq!(a, b, "the same thread, still alive after the panic");
        assert_ne!(a, std::thread::current().id());
        let (first, second) = tokio::join!(worker.run(|| 1), worker.run(|| 2));
        assert_eq!((first.unwrap(), second.unwrap()), (1, 2));
        assert!(worker.is_idle());
    }

    #[tokio::test]
    async fn posted_tasks_run_in_queue_order_on_the_thread() {
        let worker = Worker::spawn();
        let thread = worker.run(|| std::thread::current().id()).await.unwrap();
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let s = Arc::clone(&seen);
        worker.post(move || s.lock().unwrap().push((1, std::thread::current().id())));
        let s = Arc::clone(&seen);
        worker.post(move || {
            let n = s.lock().unwrap().len();
            panic!("boom after {n}");
        });
        let s = Arc::clone(&seen);
        let last = worker
            .run(move || s.lock().unwrap().push((2, std::thread::current().id())))
            .await;
        assert!(
            last.is_ok(),
            "a panicking posted task does not end the thread"
        );
        assert_eq!(*seen.lock().unwrap(), vec![(1, thread), (2, thread)]);
        assert!(worker.is_idle());
    }
}
