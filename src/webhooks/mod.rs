//! Sending webhook deliveries: signed as Standard Webhooks defines, over a
//! client that refuses private addresses (unless allowed), follows no
//! redirect and gives up after its timeouts.

mod guard;
mod sender;

pub use sender::{Attempt, Sender};
