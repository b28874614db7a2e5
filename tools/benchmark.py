#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark site.yml and teardown.yml against a fresh embedded AWS: wall time, tasks and the
AWS API calls each run makes (counted from the server's request log).

    .venv/bin/python tools/benchmark.py [coherence.yml] [--env review] [--runs create,rerun,check,teardown]

Prints one line per run. Numbers are for this machine and moto; on AWS the waits (NAT gateway,
certificate validation) add their own minutes, which is why they are started early and
waited for once.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import embedded_aws  # noqa: E402

RUNS = {
    "create": ("site", []),
    "rerun": ("site", []),
    "check": ("site", ["--check"]),
    "teardown": ("teardown", ["-e", "keep_shared=false"]),
}


def requests(log_path):
    """Requests the server has answered so far (its access log, one line each)."""
    try:
        with open(log_path) as handle:
            return sum(1 for line in handle if re.search(r'"(GET|POST|PUT|DELETE|HEAD|PATCH) ', line))
    except IOError:
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("coherence_file", nargs="?", default=os.path.join(ROOT, "examples", "demo", "coherence.yml"))
    parser.add_argument("--env", default="review")
    parser.add_argument("--app", default="bench")
    parser.add_argument("--runs", default="create,rerun,check,teardown")
    args = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="coherence-bench-")
    state = embedded_aws.start(directory)
    log = os.path.join(directory, "server.log")
    env = dict(os.environ, **embedded_aws.client_env(state["url"]))
    env["ANSIBLE_CONFIG"] = os.path.join(ROOT, "ansible.cfg")
    playbook_bin = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    print("embedded AWS %s; %s, env %s" % (state["url"], os.path.relpath(args.coherence_file, ROOT), args.env))
    print("%-9s %8s %6s %8s %10s" % ("run", "wall s", "tasks", "changed", "API calls"))
    try:
        for name in args.runs.split(","):
            book, extra = RUNS[name]
            before = requests(log)
            start = time.time()
            proc = subprocess.run(
                [playbook_bin, os.path.join(ROOT, "playbooks", book + ".yml"), "-e", "env=" + args.env,
                 "-e", "app_name=" + args.app, "-e", "base_domain=%s.example.com" % args.app,
                 "-e", "coherence_file=" + os.path.abspath(args.coherence_file)] + extra,
                env=env, capture_output=True, text=True, check=False)
            wall = time.time() - start
            time.sleep(0.5)  # let the server flush its log
            match = re.search(r"ok=(\d+)\s+changed=(\d+)", proc.stdout)
            ok, changed = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
            print("%-9s %8.1f %6d %8d %10d%s" % (name, wall, ok, changed, requests(log) - before,
                                                "" if proc.returncode == 0 else "  FAILED (rc %d)" % proc.returncode))
            if proc.returncode:
                print(proc.stdout[-3000:], file=sys.stderr)
                return 1
    finally:
        embedded_aws.stop(directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
