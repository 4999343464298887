//! Whether the test suite's PostgreSQL and S3 variants can run: they need
//! `NEWSDESK_TEST_POSTGRES_URL` and `NEWSDESK_TEST_MOTO_SERVER` (an S3
//! server to start, which `.ci/s3/install` provides). Without them they are
//! compiled as ignored, with the reason, so `cargo test` reports them as
//! not run instead of passing them empty.

fn main() {
    for (variable, cfg) in [
        ("NEWSDESK_TEST_POSTGRES_URL", "newsdesk_postgres_tests"),
        ("NEWSDESK_TEST_MOTO_SERVER", "newsdesk_s3_tests"),
    ] {
        println!("cargo::rerun-if-env-changed={variable}");
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if std::env::var_os(variable).is_some_and(|value| !value.is_empty()) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}
