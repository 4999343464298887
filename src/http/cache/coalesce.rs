//! One read per missing page. When a comment makes a popular page stale,
//! the many readers asking for it at that moment would each run its query
//! until the first answer is kept; instead the first reads it and the rest
//! wait for that answer (and read it themselves only if it was not kept:
//! an error, or an answer that varies on a header they sent differently).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

/// The pages being read right now, each with the signal its reader gives
/// when done.
#[derive(Default)]
pub(super) struct Readings {
    now: Arc<Mutex<HashMap<String, watch::Receiver<()>>>>,
}

/// Either this request reads the page, or another already does.
pub(super) enum Turn {
    Read(Reading),
    Wait(watch::Receiver<()>),
}

/// Held by the one request reading a page; dropping it (answer kept, error,
/// or the request cancelled) lets the waiting requests go on.
pub struct Reading {
    now: Arc<Mutex<HashMap<String, watch::Receiver<()>>>>,
    key: String,
    done: watch::Sender<()>,
}

impl Readings {
    /// Whose turn it is to read `key`.
    pub(super) fn turn(&self, key: &str) -> Turn {
        let Ok(mut now) = self.now.lock() else {
            // A poisoned map coalesces nothing: every request reads.
            let (done, _) = watch::channel(());
            return Turn::Read(Reading { now: self.now.clone(), key: String::new(), done });
        };
        if let Some(reading) = now.get(key) {
            return Turn::Wait(reading.clone());
        }
        let (done, waiting) = watch::channel(());
        now.insert(key.to_owned(), waiting);
        Turn::Read(Reading { now: self.now.clone(), key: key.to_owned(), done })
    }
}

/// Until the reader of the page is done: its `Reading` dropped.
pub(super) async fn finished(mut reading: watch::Receiver<()>) {
    // Nothing is ever sent: the channel closes when the reader is done.
    while reading.changed().await.is_ok() {}
}

impl Drop for Reading {
    fn drop(&mut self) {
        if let Ok(mut now) = self.now.lock()
            && now.get(&self.key).is_some_and(|r| r.same_channel(&self.done.subscribe()))
        {
            now.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_first_request_reads_and_the_rest_wait_until_it_is_done() {
        let readings = Readings::default();
        let Turn::Read(first) = readings.turn("/a") else { panic!("the first request reads") };
        let Turn::Wait(waiting) = readings.turn("/a") else { panic!("a second request waits") };
        assert!(matches!(readings.turn("/b"), Turn::Read(_)), "another page is read at once");
        let waiter = tokio::spawn(finished(waiting));
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "waits while the page is read");
        drop(first);
        waiter.await.expect("the waiter goes on once the reader is done");
        assert!(matches!(readings.turn("/a"), Turn::Read(_)), "the next miss reads again");
    }
}
