//! Whether the test suite's PostgreSQL variants can run: they need
//! `NEWSDESK_TEST_POSTGRES_URL`. Without it they are compiled as ignored,
//! with the reason, so `cargo test` reports them as not run instead of
//! passing them empty.

fn main() {
    println!("cargo::rerun-if-env-changed=NEWSDESK_TEST_POSTGRES_URL");
    println!("cargo::rustc-check-cfg=cfg(newsdesk_postgres_tests)");
    if std::env::var_os("NEWSDESK_TEST_POSTGRES_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=newsdesk_postgres_tests");
    }
}
