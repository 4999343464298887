//! What one request may ask of the database: at most so many calls in all
//! and two at a time. A GraphQL document of a thousand aliased fields then
//! stops at its ceiling instead of running a thousand statements, and while
//! it runs it holds two connections, never the whole pool: the pool's queue
//! is first come, first served, so everyone else's requests take their turn
//! between its calls. The budget travels with the request's task, like
//! [`super::freshness::Shown`].

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{AppError, AppResult};

tokio::task_local! {
    static BUDGET: Budget;
}

/// Database calls one GraphQL operation may make. The richest screen an app
/// shows (a home feed with sections, threads and replies) makes under 10.
pub const CALLS_PER_REQUEST: u32 = 200;
/// Database calls one request may have running at once.
const CONCURRENT_CALLS: usize = 2;

#[derive(Clone)]
pub struct Budget {
    left: Arc<AtomicU32>,
    running: Arc<Semaphore>,
}

impl Budget {
    pub fn new(calls: u32) -> Self {
        Self { left: Arc::new(AtomicU32::new(calls)), running: Arc::new(Semaphore::new(CONCURRENT_CALLS)) }
    }

    /// The budget of the request running on this task, if it has one.
    pub fn current() -> Option<Budget> {
        BUDGET.try_with(Clone::clone).ok()
    }

    /// Takes one call from the budget, waiting while the request has its
    /// share running; refused once the budget is spent.
    pub async fn spend(&self) -> AppResult<OwnedSemaphorePermit> {
        let spent = self.left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(1));
        if spent.is_err() {
            return Err(AppError::BadRequest(format!(
                "this operation needs more than {CALLS_PER_REQUEST} database calls: ask for less at once"
            )));
        }
        self.running.clone().acquire_owned().await.map_err(AppError::internal)
    }
}

/// Runs `work` within `budget`.
pub async fn within<F: std::future::Future>(budget: Budget, work: F) -> F::Output {
    BUDGET.scope(budget, work).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_spent_budget_refuses_and_two_calls_run_at_once() {
        let budget = Budget::new(3);
        let (a, b) = (budget.spend().await.unwrap(), budget.spend().await.unwrap());
        let waiting = tokio::spawn({
            let budget = budget.clone();
            async move { budget.spend().await.map(drop) }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "a third call waits for one of the two");
        drop(a);
        waiting.await.unwrap().unwrap();
        drop(b);
        assert!(matches!(budget.spend().await, Err(AppError::BadRequest(_))), "three calls, then no more");
    }

    #[tokio::test]
    async fn the_budget_travels_with_its_task() {
        assert!(Budget::current().is_none());
        within(Budget::new(1), async { assert!(Budget::current().is_some()) }).await;
    }
}
