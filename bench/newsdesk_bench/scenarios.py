"""Scenarios: one request description each, for the probe and for the load
generator.
"""

import json
import urllib.parse

from .client import http
from .common import GRAPHQL_FEED, PASSWORD, SEARCHES, SECTION, Failure
from .fixtures import register_persisted_query
from .mixed import spec as mixed_spec


def scenario(name, fx, port, mixes=False):
    """The request of scenario `name`, or a string saying why it is skipped.
    `mixes`: the load generator can send a mix of different requests."""
    slug = fx["slugs"][0]
    get = lambda path, **kw: {"method": "GET", "path": path, **kw}
    if name == "list":
        return get("/api/v1/articles?limit=20")
    if name == "list-deep":
        return get(f"/api/v1/articles?limit=20&cursor={fx['deep_cursor']}")
    if name == "list-section":
        return get(f"/api/v1/articles?limit=20&category={SECTION}")
    if name == "search":
        paths = [f"/api/v1/articles?limit=20&q={urllib.parse.quote(q)}" for q in SEARCHES]
        return get(paths[0], paths=paths)
    if name == "article":
        return get(f"/api/v1/articles/{slug}",
                   paths=[f"/api/v1/articles/{s}" for s in fx["slugs"]])
    if name == "comments":
        return get(f"/api/v1/articles/{slug}/comments")
    if name == "conditional":
        if not fx["etag"]:
            return "the list has no ETag"
        return get("/api/v1/articles?limit=20", headers={"If-None-Match": fx["etag"]},
                   ok=(304,))
    if name == "feed":
        # A feed reader's poll: the site's feed in each format, in turn.
        paths = [f"/feeds/{f}" for f in ("rss.xml", "atom.xml", "feed.json")]
        return get(paths[0], paths=paths)
    if name == "sitemap":
        # A crawler reading the index and the first page of articles (the
        # full 50,000 addresses at the benchmark's size).
        return get(fx["sitemap"], paths=["/sitemap.xml", fx["sitemap"]])
    if name in ("graphql-feed", "graphql-apq"):
        if not fx["graphql"]:
            return "POST /graphql answers 404: GraphQL is not in this build"
        query = GRAPHQL_FEED % 20
        if name == "graphql-feed":
            return {"method": "POST", "path": "/graphql", "body": json.dumps({"query": query})}
        return get(register_persisted_query(port, query))
    if name in ("mixed", "mixed-no-writes"):
        if not mixes:
            return "needs a load generator that sends a mix of requests (--load-generator wrk)"
        if not fx["graphql"]:
            return "POST /graphql answers 404: GraphQL is not in this build"
        return mixed_spec(fx, register_persisted_query(port, GRAPHQL_FEED % 20))
    if name == "write-comment":
        # Many readers, each posting in turn on article after article (the
        # per-user limit is off); with a load generator that sends one
        # request, one reader's token for the whole run.
        body = json.dumps({"body": "Benchmark comment: a reader agrees."})
        spec = {"method": "POST", "path": f"/api/v1/articles/{slug}/comments",
                "paths": [f"/api/v1/articles/{s}/comments" for s in fx["slugs"]],
                "headers": {"Authorization": f"Bearer {fx['tokens'][0]}"},
                "body": body, "ok": (201,)}
        if mixes:
            tokens = fx["tokens"]
            spec["mix"] = [{"method": "POST", "path": path, "body": body,
                            "headers": {"Authorization": f"Bearer {tokens[i % len(tokens)]}",
                                        "Content-Type": "application/json"}}
                           for i, path in enumerate(spec["paths"])]
        return spec
    if name == "login":
        return {"method": "POST", "path": "/api/v1/auth/login",
                "body": json.dumps({"email": "reader1@bench.newsdesk.example",
                                    "password": PASSWORD})}
    raise ValueError(name)


def probe(port, spec, timeout):
    """One request before the load: a broken scenario fails loudly, not as noise."""
    path = spec["path"]
    status, _, body = http(port, spec["method"], path, headers={
        **spec.get("headers", {}),
        **({"Content-Type": "application/json"} if spec.get("body") else {}),
    }, body=spec.get("body"), timeout=timeout)
    if status not in spec.get("ok", (200,)):
        raise Failure(f"{spec['method']} {path[:80]} answered {status}: {body[:300]!r}")
    if path.startswith("/graphql") and b'"errors"' in body:
        raise Failure(f"GraphQL answered errors: {body[:300]!r}")
