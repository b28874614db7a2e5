#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark site.yml and teardown.yml against a fresh embedded AWS: wall time, tasks and the
AWS API calls each run makes (counted from the server's request log).

    .venv/bin/python tools/benchmark.py [coherence.yml] [--env review] [--runs create,rerun,check,teardown]
                                        [--simulate-waits [KIND=SECONDS,...]]

Prints one line per run. Numbers are for this machine and moto; on AWS the waits (NAT gateway,
certificate validation) add their own minutes, which is why they are started early and
waited for once.

--simulate-waits makes the embedded AWS hold what AWS takes minutes to make in its "in
progress" status (tools/embedded_aws.py, simulate_waits), AWS_LIKE_DELAYS unless given: the
runs above then pay waits as on AWS, scaled down. A second cold deploy on a second fresh server
without them is the baseline, and the script prints:
- the waits this deploy met (each resource the example made that the delays hold) and their
  serial sum, what a run that waited for each in turn would pay;
- the slowest chain C: the longest path through AFTER (what AWS must finish before it can start
  the next) among the kinds the deploy made, each kind counting its delay once, as resources
  of one kind are made together: with the example's certificate (15 s) before its distribution
  (45 s), database (60 s), proxy (45 s), cache (60 s) and NAT gateway (20 s), C is 60 s;
- the time the waits added (cold deploy with them minus without) and its ratio to C: 1.0 is a
  run that overlaps every wait but the slowest chain's, the serial sum over C what a serial run
  would pay;
- where that time went: each task that waits, and how long it took (ansible.posix.profile_tasks);
- the re-run's time and API calls per managed resource (the create's "Applied: N created or
  changed", from the coherence.aws.plan callback), and teardown's time.
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

# Roughly AWS's waits, scaled down (seconds; tools/embedded_aws.py WAIT_KINDS): on AWS a database
# or a cache takes 5-10 minutes, a distribution 3-5, a NAT gateway about 2.
AWS_LIKE_DELAYS = {"rds": 60, "elasticache": 60, "rds_proxy": 45, "cloudfront": 45, "nat": 20, "acm": 15}
# What AWS must finish before it can start each kind (the slowest chain runs along these): a
# distribution serving the app's domains needs its certificate issued. A proxy is made beside
# its database; registering the database as its target waits for both, and takes no time itself.
AFTER = {"cloudfront": ("acm",)}
# How each kind reads in the summary, and how to list what the deploy made of it.
KINDS = {
    "nat": ("NAT gateway", "ec2", lambda c: [g["NatGatewayId"] for g in c.describe_nat_gateways()["NatGateways"]
                                            if g["State"] not in ("deleting", "deleted", "failed")]),
    "acm": ("certificate", "acm", lambda c: [x["CertificateArn"] for x in c.list_certificates()["CertificateSummaryList"]]),
    "rds": ("database", "rds", lambda c: [d["DBInstanceIdentifier"] for d in c.describe_db_instances()["DBInstances"]]),
    "rds_proxy": ("database proxy", "rds", lambda c: [p["DBProxyName"] for p in c.describe_db_proxies()["DBProxies"]]),
    "elasticache": ("cache", "elasticache",
                    lambda c: [g["ReplicationGroupId"] for g in c.describe_replication_groups()["ReplicationGroups"]]),
    "cloudfront": ("distribution", "cloudfront",
                   lambda c: [d["Id"] for d in (c.list_distributions()["DistributionList"].get("Items") or [])]),
}

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


def held(url):
    """{kind: [id, ...]} of what the simulated waits hold that exists now, in both of the
    embedded AWS's accounts (a fresh server: all of it is the benchmark's), in us-east-1, the
    example's region and CloudFront's certificates'."""
    found = dict((kind, []) for kind in KINDS)
    for _account, session in embedded_aws._sessions(url, "us-east-1"):
        for kind, (_label, service, listed) in KINDS.items():
            found[kind] += listed(session.client(service, endpoint_url=url))
    return found


def slowest_chain(kinds, delays):
    """(seconds, [[kind, ...], ...]): the length of the longest paths through AFTER among kinds,
    and those paths (several may be as long)."""
    def chain(kind):
        before = max((chain(k) for k in AFTER.get(kind, ()) if k in kinds), default=(0, []))
        return before[0] + delays.get(kind, 0), before[1] + [kind]

    chains = [chain(kind) for kind in kinds]
    longest = max([seconds for seconds, _path in chains] or [0])
    return longest, [path for seconds, path in chains if seconds == longest]


def waited(stdout, least=0.5):
    """[(task, seconds)] of the tasks that wait, in the order they ran, from profile_tasks's
    summary (its lines: "role : task name ------ 12.34s"); under `least` seconds, they only
    include the task that waits, or waited for nothing."""
    return [(m.group(1), float(m.group(2))) for m in re.finditer(r"^(.*?) -+ (\d+\.\d+)s$", stdout, re.M)
            if re.search(r"\bwait(?!ed)", m.group(1).split(" : ")[-1], re.I) and float(m.group(2)) >= least]


class Server(object):
    """A fresh embedded AWS of the benchmark's own, and running playbooks on it."""

    def __init__(self, args, delays=None):
        self.args = args
        self.directory = tempfile.mkdtemp(prefix="coherence-bench-")
        self.state = embedded_aws.start(self.directory, delays=delays)
        self.log = os.path.join(self.directory, "server.log")
        self.env = dict(os.environ, **embedded_aws.client_env(self.state["url"]))
        self.env["ANSIBLE_CONFIG"] = os.path.join(ROOT, "ansible.cfg")
        if args.simulate_waits is not None:  # each task's time, to say where the waits went
            self.env.update(ANSIBLE_CALLBACKS_ENABLED="coherence.aws.plan,ansible.posix.profile_tasks",
                            PROFILE_TASKS_TASK_OUTPUT_LIMIT="all", PROFILE_TASKS_SORT_ORDER="none")

    def run(self, name):
        """Run one of RUNS; print its line; return (wall seconds, API calls, stdout), None if it failed."""
        book, extra = RUNS[name]
        before = requests(self.log)
        start = time.time()
        proc = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), os.path.join(ROOT, "playbooks", book + ".yml"),
             "-e", "env=" + self.args.env, "-e", "app_name=" + self.args.app, "-e", "base_domain=%s.example.com" % self.args.app,
             "-e", "coherence_file=" + os.path.abspath(self.args.coherence_file),
             "-e", "outputs_dir=" + self.directory] + extra,  # site.yml's outputs file beside the server's log, not in the checkout
            env=self.env, capture_output=True, text=True, check=False)
        wall = time.time() - start
        with open(os.path.join(self.directory, name + ".out"), "w") as handle:  # kept, to read after
            handle.write(proc.stdout)
        time.sleep(0.5)  # let the server flush its log
        calls = requests(self.log) - before
        match = re.search(r"ok=(\d+)\s+changed=(\d+)", proc.stdout)
        ok, changed = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        print("%-9s %8.1f %6d %8d %10d%s" % (name, wall, ok, changed, calls,
                                            "" if proc.returncode == 0 else "  FAILED (rc %d)" % proc.returncode))
        sys.stdout.flush()
        if proc.returncode:
            print(proc.stdout[-3000:], file=sys.stderr)
            return None
        return wall, calls, proc.stdout

    def stop(self):
        embedded_aws.stop(self.directory)


def report(delays, made, runs, baseline):
    """The summary of a --simulate-waits benchmark (see the module's docstring)."""
    kinds = [kind for kind in KINDS if made[kind] and delays.get(kind)]
    print("\nsimulated waits this deploy met: %s" % ", ".join(
        "%d %s%s x %g s" % (len(made[k]), KINDS[k][0], "" if len(made[k]) == 1 else "s", delays[k]) for k in kinds))
    serial = sum(len(made[k]) * delays[k] for k in kinds)
    chain, paths = slowest_chain(kinds, delays)
    print("  serial sum %g s; slowest chain %g s (%s)" % (serial, chain, "; ".join(
        " then ".join("%s %g s" % (KINDS[k][0], delays[k]) for k in path) for path in paths)))
    if "create" in runs:
        wall = runs["create"][0]
        print("cold deploy: %.1f s with the waits" % wall)
        if baseline is not None:
            added = wall - baseline
            print("  %.1f s without them: the waits added %.1f s = %.2f x the slowest chain (%.2f x would be a serial run)"
                  % (baseline, added, added / chain if chain else 0, serial / chain if chain else 0))
        for task, seconds in waited(runs["create"][2]):
            print("  %6.1f s  %s" % (seconds, task))
        match = re.search(r"^Applied: (\d+) created or changed", runs["create"][2], re.M)
        if match and "rerun" in runs:
            managed = int(match.group(1))
            print("re-run: %.1f s, %d API calls for %d managed resources (%.1f per resource)"
                  % (runs["rerun"][0], runs["rerun"][1], managed, runs["rerun"][1] / float(managed)))
    if "teardown" in runs:
        print("teardown: %.1f s" % runs["teardown"][0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("coherence_file", nargs="?", default=os.path.join(ROOT, "examples", "demo", "coherence.yml"))
    parser.add_argument("--env", default="review")
    parser.add_argument("--app", default="bench")
    parser.add_argument("--runs", default="create,rerun,check,teardown")
    parser.add_argument("--simulate-waits", nargs="?", const=embedded_aws.format_delays(AWS_LIKE_DELAYS), metavar="KIND=SECONDS,...",
                        help="hold slow resources in progress as AWS does (default %(const)s), and compare with a cold deploy without")
    args = parser.parse_args()
    delays = embedded_aws.parse_delays(args.simulate_waits) if args.simulate_waits is not None else {}

    server = Server(args, delays)
    print("embedded AWS %s; %s, env %s%s" % (server.state["url"], os.path.relpath(args.coherence_file, ROOT), args.env,
                                             "; simulated waits %s" % embedded_aws.format_delays(delays) if delays else ""))
    print("%-9s %8s %6s %8s %10s" % ("run", "wall s", "tasks", "changed", "API calls"))
    runs, made = {}, None
    try:
        for name in args.runs.split(","):
            runs[name] = server.run(name)
            if runs[name] is None:
                return 1
            if name == "create" and delays:
                made = held(server.state["url"])
    finally:
        server.stop()
    if not delays:
        return 0

    baseline = None
    if "create" in runs:
        server = Server(args)
        print("embedded AWS %s, without simulated waits:" % server.state["url"])
        try:
            result = server.run("create")
        finally:
            server.stop()
        if result is None:
            return 1
        baseline = result[0]
    report(delays, made or dict((kind, []) for kind in KINDS), runs, baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
