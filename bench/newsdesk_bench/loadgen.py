"""What every load generator returns: one result row per run."""


def result_row(ok, elapsed, p50, p99, failed):
    """One scenario's figures, whatever the load generator (latencies in s)."""
    ms = lambda v: None if v is None else round(v * 1000, 2)
    return {"rps": round(ok / elapsed, 1) if elapsed else 0.0, "p50_ms": ms(p50),
            "p99_ms": ms(p99), "requests": ok, "errors": sum(failed.values()),
            "error_kinds": failed}
