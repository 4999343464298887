//! Webhooks end to end: registered by an admin, events written with the
//! changes they report, delivered signed to a receiver the test runs,
//! retried after failures, logged, redelivered, disabled after a day of
//! failures, kept off private addresses, and delivered once with two
//! instances on one database.

mod delivery;
mod manage;
mod receiver;
