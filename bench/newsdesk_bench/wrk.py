"""wrk, the fallback load generator (Debian's package)."""

import json
import os
from pathlib import Path

from .common import Failure
from .loadgen import result_row
from .processes import run


# wrk reports through a Lua script: statuses are counted per thread and
# printed, with the latency percentiles, as one JSON line.
WRK_SCRIPT = """
wrk.method = %(method)s
wrk.body = %(body)s
%(headers)s
local paths = { %(paths)s }
local mix = { %(mix)s }
local threads = {}
local requests = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  statuses = {}
  -- A mix of requests, each formatted once: method, path, headers, body.
  for _, r in ipairs(mix) do table.insert(requests, wrk.format(r[1], r[2], r[3], r[4])) end
  i = math.random(math.max(#paths, #requests))
end
function request()
  if #requests > 0 then i = i %% #requests + 1; return requests[i] end
  i = i %% #paths + 1; return wrk.format(nil, paths[i])
end
function response(status) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local counts = {}
  for _, t in ipairs(threads) do
    for s, n in pairs(t:get("statuses")) do counts[s] = (counts[s] or 0) + n end
  end
  local parts = {}
  for s, n in pairs(counts) do table.insert(parts, string.format('"%%d": %%d', s, n)) end
  local e = summary.errors
  io.write(string.format('WRKJSON {"p50": %%g, "p99": %%g, "duration_us": %%d, ' ..
    '"socket_errors": %%d, "timeouts": %%d, "statuses": {%%s}}\\n',
    latency:percentile(50), latency:percentile(99), summary.duration,
    e.connect + e.read + e.write, e.timeout, table.concat(parts, ", ")))
end
"""


def lua_request(r):
    """One request of a mix as a Lua table: {method, path, headers, body}."""
    lua = json.dumps  # a JSON string is a valid Lua string literal
    headers = ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in r.get("headers", {}).items())
    body = lua(r["body"]) if r.get("body") is not None else "nil"
    return f"{{{lua(r['method'])}, {lua(r['path'])}, {{{headers}}}, {body}}}"


class Wrk:
    """The fallback load generator, for machines where oha cannot be built."""

    rotates_urls = True
    # Sends a mix of different requests (methods, headers, bodies) in one run.
    mixes = True

    def __init__(self, path, workdir, timeout):
        self.path, self.workdir, self.timeout = path, Path(workdir), timeout
        res = run([path, "--version"], check=False)
        self.version = (res.stdout or res.stderr).strip().splitlines()[0]

    def load(self, port, spec, seconds, connections):
        lua = lambda v: json.dumps(v)  # a JSON string is a valid Lua string literal
        headers = {**spec.get("headers", {}),
                   **({"Content-Type": "application/json"} if spec.get("body") else {})}
        script = WRK_SCRIPT % {
            "method": lua(spec["method"]),
            "body": lua(spec["body"]) if spec.get("body") is not None else "nil",
            "headers": "\n".join(f"wrk.headers[{lua(k)}] = {lua(v)}" for k, v in headers.items()),
            "paths": ", ".join(lua(p) for p in (spec.get("paths") or [spec["path"]])),
            "mix": ",\n".join(lua_request(r) for r in spec.get("mix", [])),
        }
        script_file = self.workdir / "scenario.lua"
        script_file.write_text(script)
        res = run([self.path, "-t", str(min(connections, os.cpu_count() or 2)),
                   "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
                   "--timeout", f"{max(1, round(self.timeout))}s",
                   "-s", str(script_file), f"http://127.0.0.1:{port}/"], check=False)
        line = next((l for l in res.stdout.splitlines() if l.startswith("WRKJSON ")), None)
        if res.returncode != 0 or line is None:
            raise Failure(f"wrk exited {res.returncode}: {(res.stderr or res.stdout)[-500:]}")
        report = json.loads(line.removeprefix("WRKJSON "))
        ok_statuses = spec.get("ok", (200,))
        statuses = {int(k): v for k, v in report["statuses"].items()}
        ok = sum(n for s, n in statuses.items() if s in ok_statuses)
        failed = {str(s): n for s, n in statuses.items() if s not in ok_statuses}
        for kind in ("socket_errors", "timeouts"):
            if report[kind]:
                failed[kind] = report[kind]
        us = lambda v: v / 1e6
        return result_row(ok, us(report["duration_us"]), us(report["p50"]), us(report["p99"]),
                          failed)
