# Newsdesk: a release build in a full Rust image, run from a slim one as a
# non-root user. SQLite and libpq are compiled in (bundled), so the runtime
# needs no database client libraries.

FROM rust:1.95-bookworm AS build
WORKDIR /src
# The whole workspace: the service and the benchmark's ceiling (a few lines,
# but a member the manifest names). Only the service is built.
COPY Cargo.toml Cargo.lock ./
COPY .cargo .cargo
COPY bench/ceiling bench/ceiling
COPY migrations migrations
COPY assets assets
COPY src src
RUN cargo build --release --locked -p newsdesk --bin newsdesk

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data newsdesk \
    && mkdir /data && chown newsdesk /data
COPY --from=build /src/target/release/newsdesk /usr/local/bin/newsdesk
USER newsdesk
WORKDIR /data
ENV NEWSDESK_BIND=0.0.0.0:8080 \
    NEWSDESK_LOG_FORMAT=json \
    DATABASE_URL=sqlite:///data/newsdesk.db
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s CMD ["newsdesk", "healthcheck"]
ENTRYPOINT ["newsdesk"]
CMD ["serve"]
