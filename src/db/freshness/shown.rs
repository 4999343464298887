//! What a request's reads showed, collected while it runs: the response
//! cache keeps the answer under those keys. The collector travels with the
//! request's task; work spawned for it (GraphQL batch loads) carries it
//! along with [`Shown::current`] and [`showing`].

use std::sync::{Arc, Mutex};

use super::Key;

tokio::task_local! {
    static SHOWN: Shown;
}

/// The keys shown so far by one request.
#[derive(Clone, Default)]
pub struct Shown(Arc<Mutex<Vec<Key>>>);

impl Shown {
    /// The collector of the request running on this task, if it has one.
    pub fn current() -> Option<Shown> {
        SHOWN.try_with(Clone::clone).ok()
    }

    /// Adds what a read showed to the current request's collector; a no-op
    /// outside one (writes, authenticated reads, background work).
    pub fn record(keys: impl IntoIterator<Item = Key>) {
        let _ = SHOWN.try_with(|shown| {
            if let Ok(mut all) = shown.0.lock() {
                all.extend(keys);
            }
        });
    }

    /// Every key shown, each once, in a stable order.
    pub fn keys(&self) -> Vec<Key> {
        let mut keys = self.0.lock().map(|k| k.clone()).unwrap_or_else(|_| vec![Key::Everything]);
        keys.sort_unstable();
        keys.dedup();
        if keys.contains(&Key::Everything) {
            return vec![Key::Everything];
        }
        keys
    }
}

/// Runs `work` collecting what its reads show into `shown`.
pub async fn showing<F: std::future::Future>(shown: Shown, work: F) -> F::Output {
    SHOWN.scope(shown, work).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ArticleId;

    #[tokio::test]
    async fn reads_inside_the_scope_are_collected_and_outside_ignored() {
        let a = Key::Article(ArticleId::generate());
        Shown::record([Key::Sections]);
        let shown = Shown::default();
        showing(shown.clone(), async {
            Shown::record([a, Key::Sections, a]);
            let carried = Shown::current().expect("inside");
            tokio::spawn(showing(carried, async { Shown::record([Key::Search]) })).await.unwrap();
        })
        .await;
        let mut expected = vec![a, Key::Search, Key::Sections];
        expected.sort_unstable();
        assert_eq!(shown.keys(), expected);
    }

    #[tokio::test]
    async fn everything_swallows_the_rest() {
        let shown = Shown::default();
        showing(shown.clone(), async { Shown::record([Key::Sections, Key::Everything]) }).await;
        assert_eq!(shown.keys(), vec![Key::Everything]);
    }
}
