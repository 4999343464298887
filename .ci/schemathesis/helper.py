#!/usr/bin/env python3
"""Helpers of .ci/schemathesis/run (standard library only).

  helper.py free-port
  helper.py wait-ready BASE_URL PID [SECONDS]
  helper.py login BASE_URL EMAIL PASSWORD          -> prints the access token
  helper.py config BASE_URL TOKEN OUT.toml         -> schemathesis.toml with the
                                                      identifiers of the live demo data
  helper.py summarize OUT_DIR LABEL=NDJSON_OR_MISSING...
"""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import socket
import sys
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from datetime import datetime, timedelta, timezone

# The gate: a 5xx is a bug whatever the request was.
GATE_CHECKS = {"not_a_server_error"}
# The contract: what the answers look like against openapi/openapi.json.
# Gating too: an answer the contract does not describe is a contract bug.
CONFORMANCE_CHECKS = {
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
}


def free_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])


def _get(url: str, token: str | None = None, timeout: float = 10) -> tuple[int, bytes]:
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_ready(base: str, pid: str, seconds: str = "60") -> None:
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        try:
            os.kill(int(pid), 0)
        except OSError:
            sys.exit("the service exited before it was ready")
        try:
            if _get(f"{base}/readyz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"the service did not become ready within {seconds} s")


def login(base: str, email: str, password: str) -> None:
    body = json.dumps({"email": email, "password": password}).encode()
    req = urllib.request.Request(
        f"{base}/api/v1/auth/login", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            print(json.load(resp)["access_token"])
    except urllib.error.HTTPError as exc:
        sys.exit(f"sign-in as {email} failed: {exc.code} {exc.read()[:300]!r}")


def _pages(base: str, path: str, token: str, limit: int = 100, pages: int = 5) -> list[dict]:
    items: list[dict] = []
    sep = "&" if "?" in path else "?"
    url = f"{base}{path}{sep}limit={limit}"
    for _ in range(pages):
        status, raw = _get(url, token)
        if status != 200:
            break
        data = json.loads(raw)
        items.extend(data.get("data", []))
        cursor = data.get("next_cursor")
        if not cursor:
            break
        url = f"{base}{path}{sep}limit={limit}&cursor={cursor}"
    return items


def _toml_list(values) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def config(base: str, token: str, out: str) -> None:
    """Dictionaries of real identifiers, so that generated requests reach past the 404s."""
    _, me_raw = _get(f"{base}/api/v1/me", token)
    me = json.loads(me_raw)["id"]
    articles: list[dict] = []
    for status in ("published", "draft", "in_review", "scheduled", "archived"):
        articles.extend(_pages(base, f"/api/v1/articles?status={status}", token, pages=2))
    if not articles:
        articles = _pages(base, "/api/v1/articles", token)
    article_refs = sorted({a["id"] for a in articles} | {a["slug"] for a in articles})
    _, cats_raw = _get(f"{base}/api/v1/categories", token)
    cats = json.loads(cats_raw)
    cats = cats.get("data", cats) if isinstance(cats, dict) else cats
    section_slugs = sorted({c["slug"] for c in cats})
    tag_slugs = sorted({t["slug"] for t in _pages(base, "/api/v1/tags", token)})
    users = _pages(base, "/api/v1/users", token)
    # Never the signed-in admin: a generated PATCH must not lock the run out
    # (the service refuses self-demotion anyway; this keeps the token usable).
    user_ids = sorted({u["id"] for u in users if u["id"] != me})
    staff_ids = sorted({u["id"] for u in users if u.get("role") in ("author", "editor", "admin")})
    comment_ids: set[str] = set()
    for a in articles[:15]:
        for c in _pages(base, f"/api/v1/articles/{a['id']}/comments", token, pages=1):
            comment_ids.add(c["id"])
    dictionaries = OrderedDict(
        article_refs=article_refs,
        section_slugs=section_slugs,
        tag_slugs=tag_slugs,
        user_ids=user_ids,
        staff_ids=staff_ids or user_ids,
        comment_ids=sorted(comment_ids),
        # Demo articles start at version 1; an edit moves one on.
        versions=['"1"', '"2"', '"3"'],
        emails=[u["email"] for u in users if u.get("email")][:4] + [f"fuzz{i}@example.org" for i in range(1, 4)],
        passwords=["newsdesk-demo", "correct-horse-battery"],
        # Schedules must lie ahead, within a year.
        future_times=[
            (datetime.now(timezone.utc) + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")
            for delta in ({"hours": 2}, {"days": 3}, {"days": 90})
        ],
    )
    for name in ("article_refs", "section_slugs", "tag_slugs", "user_ids", "comment_ids"):
        dictionaries["doomed_" + name] = dictionaries[name][-3:]
    empty = [name for name, values in dictionaries.items() if not values]
    if empty:
        sys.exit(f"no demo data found for: {', '.join(empty)}")
    lines = ["# Generated by .ci/schemathesis/helper.py from the live demo data.", ""]
    for name, values in dictionaries.items():
        lines += [f"[dictionaries.{name}]", f"values = {_toml_list(values)}", ""]

    def bind(dictionary: str, probability: float = 0.5) -> str:
        return f'{{ dictionary = "{dictionary}", probability = {probability} }}'

    # Fields shared by many operations.
    lines += [
        "[parameters]",
        f'"query.category" = {bind("section_slugs")}',
        f'"query.tag" = {bind("tag_slugs")}',
        f'"query.author" = {bind("staff_ids")}',
        f'"query.parent" = {bind("comment_ids")}',
        f'"header.If-Match" = {bind("versions")}',
        f'"body.category" = {bind("section_slugs")}',
        f'"body.tags[*]" = {bind("tag_slugs")}',
        f'"body.authors[*]" = {bind("staff_ids")}',
        f'"body.parent_id" = {bind("comment_ids")}',
        f'"body.parent" = {bind("section_slugs")}',
        # Sign-ins and accounts that pass validation now and then.
        f'"body.email" = {bind("emails", 0.3)}',
        f'"body.password" = {bind("passwords", 0.5)}',
        f'"body.at" = {bind("future_times")}',
        "",
    ]
    # Deletes get a few of each kind only, so the rest of the newsroom
    # survives for the operations tested after them.
    per_path = [
        (r"^/api/v1/articles/\{id_or_slug\}", "path.id_or_slug", "article_refs"),
        (r"^/api/v1/categories/\{slug\}", "path.slug", "section_slugs"),
        (r"^/api/v1/tags/\{slug\}", "path.slug", "tag_slugs"),
        (r"^/api/v1/comments/\{id\}", "path.id", "comment_ids"),
        (r"^/api/v1/users/\{id\}", "path.id", "user_ids"),
    ]
    for regex, key, dictionary in per_path:
        lines += [
            "[[operations]]",
            f"include-path-regex = {json.dumps(regex)}",
            'exclude-method = "DELETE"',
            f'parameters = {{ "{key}" = {bind(dictionary)} }}',
            "",
            "[[operations]]",
            f"include-path-regex = {json.dumps(regex)}",
            'include-method = "DELETE"',
            f'parameters = {{ "{key}" = {bind("doomed_" + dictionary)} }}',
            "",
        ]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(
        f"dictionaries: {len(article_refs)} article refs, {len(section_slugs)} sections, {len(tag_slugs)} tags, "
        f"{len(user_ids)} users, {len(comment_ids)} comments"
    )


# --- summary -----------------------------------------------------------------


def _b64(payload) -> bytes:
    if not payload:
        return b""
    if isinstance(payload, dict):
        if "$base64" in payload:
            return base64.b64decode(payload["$base64"])
        if "string" in payload:
            return payload["string"].encode()
    if isinstance(payload, str):
        return payload.encode()
    return b""


def _curl(request: dict) -> str:
    parts = ["curl", "-i", "-X", request.get("method", "GET")]
    for name, values in (request.get("headers") or {}).items():
        if isinstance(values, str):
            values = [values]
        for value in values:
            if name.lower() == "authorization" and value.lower().startswith("bearer "):
                parts += ["-H", '"Authorization: Bearer $TOKEN"']
                continue
            if name.lower() in ("user-agent", "accept-encoding", "accept", "connection", "content-length", "x-schemathesis-testcaseid"):
                continue
            parts += ["-H", shlex.quote(f"{name}: {value}" if value != "" else f"{name};")]
    body = _b64(request.get("body"))
    if body:
        try:
            parts += ["--data-raw", shlex.quote(body.decode("utf-8"))]
        except UnicodeDecodeError:
            parts += ["--data-binary", "@<(printf %b " + shlex.quote("".join(f"\\x{b:02x}" for b in body)) + ")"]
    uri = request.get("uri", "")
    match = re.match(r"^https?://[^/]+", uri)
    # The service ran on a throwaway port: name where yours runs instead.
    parts.append('"$NEWSDESK_URL"' + shlex.quote(uri[match.end():]) if match else shlex.quote(uri))
    return " ".join(parts)


def _category(check: str) -> str:
    if check in GATE_CHECKS:
        return "server_error"
    if check in CONFORMANCE_CHECKS:
        return "conformance"
    return "other"


def _read(label: str, path: str, findings: "OrderedDict", errors: list, stats: dict) -> None:
    stats.setdefault(label, {"cases": 0, "scenarios": 0, "complete": False})
    if not os.path.isfile(path):
        errors.append((label, "no schemathesis report (the run did not start or was killed)"))
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue  # a run cut short leaves half a line
            kind, data = next(iter(event.items()))
            if kind == "EngineFinished":
                stats[label]["complete"] = True
            if kind == "NonFatalError" or kind == "FatalError":
                info = data.get("info") or {}
                message = info.get("message") or data.get("value") or json.dumps(data)[:400]
                errors.append((label, f"{kind} in {data.get('label', '?')}: {str(message)[:400]}"))
                continue
            if kind != "ScenarioFinished":
                continue
            recorder = data.get("recorder") or {}
            operation = recorder.get("label", "?")
            stats[label]["scenarios"] += 1
            stats[label]["cases"] += len(recorder.get("cases") or {})
            interactions = recorder.get("interactions") or {}
            for case_id, checks in (recorder.get("checks") or {}).items():
                interaction = interactions.get(case_id) or {}
                case = ((recorder.get("cases") or {}).get(case_id) or {}).get("value") or {}
                if case.get("method") and case.get("path"):
                    # Stateful scenarios carry one label for every step.
                    operation = f"{case['method']} {case['path']}"
                response = interaction.get("response") or {}
                request = interaction.get("request") or {}
                for check in checks:
                    if check.get("status") == "success":
                        continue
                    name = check.get("name", "?")
                    failure = ((check.get("failure_info") or {}).get("failure")) or {}
                    title = failure.get("title") or check.get("status")
                    status = response.get("status_code")
                    message = (failure.get("message") or "").strip()
                    # One entry per check, operation, status and kind of failure.
                    key = (name, operation, status, title, message.splitlines()[0] if message and name != "response_schema_conformance" else "")
                    entry = findings.get(key)
                    if entry is None:
                        body = _b64(response.get("content"))
                        findings[key] = entry = {
                            "category": _category(name),
                            "check": name,
                            "code": failure.get("code"),
                            "title": title,
                            "operation": operation,
                            "status": status,
                            "message": message[:600],
                            "response": body[:400].decode("utf-8", "replace"),
                            "curl": _curl(request) if request else "(no request recorded)",
                            "runs": [],
                            "count": 0,
                        }
                    entry["count"] += 1
                    if label not in entry["runs"]:
                        entry["runs"].append(label)


def summarize(out_dir: str, *specs: str) -> None:
    findings: OrderedDict = OrderedDict()
    errors: list = []
    stats: dict = {}
    # Problems the runner saw ("!DB: message") first: a database that never
    # ran has no reports to miss.
    failed_dbs = set()
    for spec in specs:
        if spec.startswith("!"):
            label, _, message = spec[1:].partition(": ")
            errors.append((label, message))
            failed_dbs.add(label)
    for spec in specs:
        if spec.startswith("!"):
            continue
        label, _, path = spec.partition("=")
        if label.split("/")[0] in failed_dbs and not os.path.isfile(path):
            stats.setdefault(label, {"cases": 0, "scenarios": 0, "complete": False})
            continue
        _read(label, path, findings, errors, stats)
    by_cat = {"server_error": [], "conformance": [], "other": []}
    for entry in findings.values():
        if entry["category"] == "conformance" and (entry["status"] or 0) >= 500:
            continue  # a 5xx is listed once, under the gate
        by_cat[entry["category"]].append(entry)
    for entries in by_cat.values():
        entries.sort(key=lambda e: (e["check"], e["operation"], e["status"] or 0))
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "summary.json"), "w", encoding="utf-8") as f:
        json.dump({"runs": stats, "errors": errors, **by_cat}, f, indent=2)

    def show(entry: dict, full: bool) -> None:
        print(f"\n* {entry['operation']}  ->  {entry['status']}  [{entry['check']}] {entry['title']}")
        print(f"  seen {entry['count']}x in: {', '.join(entry['runs'])}")
        if not full:
            return
        if entry["message"]:
            for line in entry["message"].splitlines()[:8]:
                print(f"    {line}")
        print(f"  response: {entry['response'][:300]}")
        print(f"  reproduce: {entry['curl']}")

    bar = "=" * 78
    print(f"\n{bar}\nSCHEMATHESIS SUMMARY\n{bar}")
    for label, s in stats.items():
        print(f"  {label:<18} {s['cases']:>6} test cases, {'complete' if s['complete'] else 'INCOMPLETE'}")
    print(f"\n--- server errors (5xx): {len(by_cat['server_error'])} (the gate)")
    for entry in by_cat["server_error"]:
        show(entry, True)
    print(f"\n--- conformance failures: {len(by_cat['conformance'])} (the gate too)")
    for entry in by_cat["conformance"]:
        show(entry, True)
    print(f"\n--- other checks: {len(by_cat['other'])} (reported, not gating; details in {out_dir}/summary.json)")
    for entry in by_cat["other"]:
        show(entry, False)
    if errors:
        print(f"\n--- errors while testing: {len(errors)}")
        for label, message in errors:
            print(f"  {label}: {message}")
    incomplete = [label for label, s in stats.items() if not s["complete"]]
    print("\nTo reproduce: NEWSDESK_URL is where a service with the demo newsroom listens (`newsdesk serve --demo`),")
    print("TOKEN an admin's access token: POST $NEWSDESK_URL/api/v1/auth/login with")
    print('{"email": "admin@newsdesk.example", "password": "newsdesk-demo"}, then .access_token.')
    print(bar)
    failed = bool(by_cat["server_error"] or by_cat["conformance"] or errors or incomplete)
    print(f"gate: {len(by_cat['server_error'])} server errors, {len(by_cat['conformance'])} conformance failures, "
          f"{len(errors)} errors, {len(incomplete)} incomplete runs -> {'FAILED' if failed else 'passed'}")
    # One verdict per database (the part of a label before the slash).
    databases = list(OrderedDict.fromkeys([label.split("/")[0] for label in stats] + [label.split("/")[0] for label, _ in errors]))
    bad = set(label.split("/")[0] for label, _ in errors)
    bad |= set(label.split("/")[0] for label in incomplete)
    for entry in by_cat["server_error"] + by_cat["conformance"]:
        bad |= set(label.split("/")[0] for label in entry["runs"])
    print(f"schemathesis: {len([d for d in databases if d not in bad])} passed, {len([d for d in databases if d in bad])} failed")
    sys.exit(1 if failed else 0)


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    command, args = sys.argv[1], sys.argv[2:]
    commands = {
        "free-port": free_port,
        "wait-ready": wait_ready,
        "login": login,
        "config": config,
        "summarize": summarize,
    }
    if command not in commands:
        sys.exit(__doc__)
    commands[command](*args)


if __name__ == "__main__":
    main()
