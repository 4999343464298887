"""oha, the load generator of choice."""

import json
from pathlib import Path

from .common import Failure
from .loadgen import result_row
from .processes import run


class Oha:
    """Drives oha and turns its JSON report into one result row."""

    # One request, repeated (or one URL list): no mix of methods and bodies.
    mixes = False

    def __init__(self, path, version, help_text, workdir, timeout):
        self.path, self.version, self.workdir = path, version, Path(workdir)
        self.timeout = timeout
        self.json_flags = (["--output-format", "json"] if "--output-format" in help_text
                           else ["--json"])
        # Let requests in flight at the deadline finish instead of counting
        # them as "aborted due to deadline" errors.
        self.wait_flag = (["-w"] if "--wait-ongoing-requests-after-deadline" in help_text
                          else [])
        self.rotates_urls = "--urls-from-file" in help_text
        # oha asks for gzip/brotli by default; clients of the benchmark ask
        # for identity unless --compressed adds Accept-Encoding itself.
        self.identity = ["--disable-compression"] if "--disable-compression" in help_text else []

    def command(self, port, spec, seconds, connections):
        cmd = [self.path, "--no-tui", *self.json_flags, *self.wait_flag, *self.identity,
               "-z", f"{int(seconds * 1000)}ms", "-c", str(connections),
               "-t", f"{int(self.timeout * 1000)}ms",
               "-m", spec["method"]]
        for name, value in spec.get("headers", {}).items():
            cmd += ["-H", f"{name}: {value}"]
        if spec.get("body") is not None:
            cmd += ["-T", "application/json", "-d", spec["body"]]
        paths = spec.get("paths") or [spec["path"]]
        if len(paths) > 1 and self.rotates_urls:
            urls = self.workdir / "urls.txt"
            urls.write_text("".join(f"http://127.0.0.1:{port}{p}\n" for p in paths))
            cmd += ["--urls-from-file", str(urls)]  # a flag: the file is the URL argument
        else:
            cmd.append(f"http://127.0.0.1:{port}{paths[0]}")
        return cmd

    def load(self, port, spec, seconds, connections):
        res = run(self.command(port, spec, seconds, connections), check=False)
        if res.returncode != 0:
            raise Failure(f"oha exited {res.returncode}: {res.stderr.strip()[-500:]}")
        report = json.loads(res.stdout)
        ok_statuses = spec.get("ok", (200,))
        statuses = {int(k): v for k, v in report.get("statusCodeDistribution", {}).items()}
        ok = sum(n for s, n in statuses.items() if s in ok_statuses)
        failed = {str(s): n for s, n in statuses.items() if s not in ok_statuses}
        failed.update({k: v for k, v in report.get("errorDistribution", {}).items()
                       if "deadline" not in k})
        pct = report.get("latencyPercentiles", {})
        return result_row(ok, report["summary"]["total"], pct.get("p50"), pct.get("p99"), failed)
