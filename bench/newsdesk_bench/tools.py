"""Tools: the release build and the load generator."""

import os
import shutil
import subprocess
from pathlib import Path

from .common import REPO, Failure, log
from .oha import Oha
from .processes import run
from .wrk import Wrk


def build(args):
    if args.no_build:
        log("skipping the build (--no-build)")
    else:
        log(f"building {args.profile} binaries into {args.target_dir}")
        env = {**os.environ, "CARGO_TARGET_DIR": args.target_dir}
        res = subprocess.run(
            ["cargo", "build", "--profile", args.profile, "-p", "newsdesk", "-p", "bench-ceiling"],
            cwd=REPO, env=env,
        )
        if res.returncode != 0:
            raise Failure(f"cargo build --profile {args.profile} failed")
    # Cargo's output folder for the dev profile is called `debug`.
    built = Path(args.target_dir) / ("debug" if args.profile == "dev" else args.profile)
    bins = built / "newsdesk", built / "bench-ceiling"
    for b in bins:
        if not b.exists():
            raise Failure(f"{b} is missing")
    # bench-photo draws the media scenarios' upload; checked when they run.
    return (*bins, built / "bench-photo")


def find_oha():
    found = shutil.which("oha")
    cargo_bin = Path.home() / ".cargo" / "bin" / "oha"
    return found or (str(cargo_bin) if cargo_bin.exists() else None)


def install_load_generator(workdir, wanted, timeout):
    """oha, installed with cargo if missing; wrk from apt only if that fails."""
    oha = find_oha() if wanted == "oha" else None
    if not oha and wanted == "oha":
        log("installing oha (cargo install oha --locked); this takes a few minutes once")
        subprocess.run(["cargo", "install", "oha", "--locked"])
        oha = find_oha()
    if oha:
        return Oha(oha, run([oha, "--version"]).stdout.strip(), run([oha, "--help"]).stdout,
                   workdir, timeout)
    if not shutil.which("wrk"):
        log("oha could not be installed: falling back to wrk from apt")
        run(["apt-get", "update", "-qq"], check=False)
        run(["apt-get", "install", "-y", "-qq", "wrk"])
    return Wrk(shutil.which("wrk") or "wrk", workdir, timeout)
