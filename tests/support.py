# -*- coding: utf-8 -*-
"""What the tests share, importable without pytest: paths, running playbooks and modules, boto3
clients on the embedded AWS, the sweep for what an app left behind, the secret grep.

Test modules import it as `support` (tests/ is on sys.path through conftest.py); the molecule
scenarios run its sweep as a script:

    python tests/support.py sweep APP [ACCOUNT/REGION ...] [--domain D] [--final-snapshot NAME ...]
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(REPO, ".collections")
FIXTURES = os.path.join(REPO, "tests", "fixtures")
PLAYBOOKS = os.path.join(REPO, "tests", "integration", "playbooks")
DEMO = os.path.join(REPO, "examples", "demo", "coherence.yml")
EXAMPLES = os.environ.get("COHERENCE_EXAMPLES_DIR") or os.path.join(
    os.path.dirname(REPO), "shared", "coherence-examples")
# moto's default account, and the one production is assumed into in the demo and the tests.
DEFAULT_ACCOUNT = "123456789012"
PRODUCTION_ACCOUNT = "222222222222"
TEST_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_SESSION_TOKEN": "testing"}


def venv_bin(name):
    return os.path.join(os.path.dirname(sys.executable), name)


def run(cmd, env=None, cwd=REPO, timeout=900):
    """Run a command; return CompletedProcess with text output (never raises on failure)."""
    return subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def playbook(name, *extra, environ=None, cwd=REPO, **evars):
    """ansible-playbook <name> -e k=v ...: name is a playbook of playbooks/ ('site'), a path,
    or a collection playbook's FQCN ('coherence.aws.site')."""
    if os.path.isabs(name):
        target = name
    elif "." in name and "/" not in name:
        target = name
    else:
        target = os.path.join(REPO, "playbooks", name + ".yml")
    cmd = [venv_bin("ansible-playbook"), target]
    if target.endswith("site.yml") or target == "coherence.aws.site":
        # site.yml writes its outputs where it runs: one directory per worker, so that workers
        # deploying the same app and environment to their own embedded AWS never share a file.
        evars.setdefault("outputs_dir", os.path.join(tempfile.gettempdir(), "coherence-test-outputs-%d" % os.getpid()))
        os.makedirs(evars["outputs_dir"], exist_ok=True)
    for key, value in evars.items():
        cmd += ["-e", "%s=%s" % (key, value)]
    return run(cmd + list(extra), env=environ, cwd=cwd)


def role_playbook(role, operation, *extra, environ=None, **evars):
    """tests/integration/playbooks/<role>.yml: one role alone (with the model and the session),
    operation create (then wait) or delete."""
    return playbook(os.path.join(PLAYBOOKS, role + ".yml"), *extra, environ=environ, operation=operation, **evars)


def run_module(module, args, environ, check=False):
    """Run one module on localhost (ad hoc) and return its result dict."""
    env = dict(environ, ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="ansible.posix.json")
    cmd = [venv_bin("ansible"), "localhost", "-m", module, "-a", json.dumps(args)] + (["--check"] if check else [])
    proc = run(cmd, env=env)
    try:
        # The JSON document, then whatever other callbacks print (the plan's summary).
        result = json.JSONDecoder().raw_decode(proc.stdout.lstrip())[0]
        return result["plays"][0]["tasks"][0]["hosts"]["localhost"]
    except (ValueError, KeyError, IndexError):
        raise AssertionError("no result from %s: %s %s" % (module, proc.stdout[-3000:], proc.stderr[-3000:]))


def recap(output):
    """The PLAY RECAP counters of localhost: {ok, changed, unreachable, failed, skipped}."""
    match = re.search(r"localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)",
                      output)
    assert match, output[-3000:]
    return dict(zip(("ok", "changed", "unreachable", "failed", "skipped"), map(int, match.groups())))


def changed_tasks(output):
    """The 'changed:' lines with the task above each, to say what a run that should change
    nothing did change."""
    task, out = None, []
    for line in output.splitlines():
        if line.startswith("TASK ["):
            task = line
        elif line.startswith("changed:"):
            out.append("%s %s" % (task, line))
    return out


def assert_ok(proc, tail=5000):
    """A run that exited 0; else its output's end."""
    assert proc.returncode == 0, proc.stdout[-tail:] + proc.stderr[-3000:]
    return proc


def assert_unchanged(proc):
    """A run that exited 0 and changed nothing; else the tasks that changed."""
    assert_ok(proc)
    assert recap(proc.stdout)["changed"] == 0, changed_tasks(proc.stdout)
    return proc


def assert_secret_free(output, *values):
    """None of values (secrets) appears in output, not even once."""
    leaked = [v[:4] + "..." for v in values if v and v in output]
    assert not leaked, "secret values in the output (shown cut): %s" % leaked


# ansible-runner: how AWX and Automation Platform run a playbook ------------------------------

class RunnerRun(object):
    """What an ansible-runner run left: its status, rc, events and stats, and the attributes of
    subprocess.CompletedProcess the tests read (stdout, stderr, returncode), so that assert_ok,
    recap and changed_tasks work on it as on playbook()'s result."""

    def __init__(self, runner, executable, seconds):
        self.status, self.returncode = runner.status, runner.rc
        with runner.stdout as out, runner.stderr as err:
            # Ansible writes to a pty there: stderr (warnings) comes within stdout, lines may end in \r\n.
            self.stdout, self.stderr = out.read().replace("\r\n", "\n"), err.read().replace("\r\n", "\n")
        self.events = list(runner.events)
        self.stats = runner.stats
        self.command, self.executable, self.seconds = runner.config.command, executable, seconds

    def __repr__(self):
        return "<RunnerRun %s rc=%s %d events %.0f s>" % (self.status, self.returncode, len(self.events), self.seconds)


def runner_playbook(name, private_data_dir, environ, extravars=None):
    """A playbook of playbooks/ ('site') or a path, run with ansible_runner.run as AWX runs a job
    template's: from the project's directory, variables as extravars, the environment as envvars,
    events written under private_data_dir. What playbook() would pass as `-e k=v` goes in
    extravars (one dict); environ is playbook()'s (aws_env, complete). Returns a RunnerRun."""
    import ansible_runner

    target = name if os.path.isabs(name) else os.path.join(REPO, "playbooks", name + ".yml")
    extravars = dict(extravars or {})
    if target.endswith("site.yml"):
        # The same outputs directory as playbook()'s site runs in this process (see there).
        extravars.setdefault("outputs_dir", os.path.join(tempfile.gettempdir(), "coherence-test-outputs-%d" % os.getpid()))
        os.makedirs(extravars["outputs_dir"], exist_ok=True)
    # The runner finds ansible-playbook on PATH, as in an execution environment: the checkout's own.
    envvars = dict(environ, PATH=os.pathsep.join([os.path.dirname(sys.executable), environ.get("PATH", os.defpath)]))
    started = time.monotonic()
    with _only_these_aws_variables(environ):
        # cancel_callback: by default the runner sets its own SIGINT/SIGTERM handlers in this
        # process, for good; pytest's Ctrl-C would then no longer stop the suite.
        runner = ansible_runner.run(private_data_dir=private_data_dir, project_dir=REPO, playbook=target,
                                    extravars=extravars, envvars=envvars, quiet=True, timeout=900,
                                    cancel_callback=lambda: False)
    # pexpect looks the command up on the PATH of the environment it is given, as here.
    executable = shutil.which(runner.config.command[0], path=runner.config.env["PATH"])
    return RunnerRun(runner, executable, time.monotonic() - started)


@contextlib.contextmanager
def _only_these_aws_variables(environ):
    """The runner starts from this process's environment and adds envvars on top: an AWS_
    variable the shell set that environ leaves out (AWS_CA_BUNDLE, AWS_PROFILE) would reach
    the playbook, which playbook() never lets through. Hidden for the length of the run."""
    hidden = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("AWS_") and k not in environ}
    try:
        yield
    finally:
        os.environ.update(hidden)


# boto3 on the embedded AWS ------------------------------------------------------------------

def clients(environ, account=None, region="us-east-1"):
    """A client factory, client('ec2'), on the endpoint of environ (AWS_ENDPOINT_URL), in
    account (assumed, as production is) or moto's default one."""
    import boto3

    url = environ["AWS_ENDPOINT_URL"]
    base = dict(aws_access_key_id=environ.get("AWS_ACCESS_KEY_ID", "testing"),
                aws_secret_access_key=environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
                aws_session_token=environ.get("AWS_SESSION_TOKEN", "testing"), region_name=region)
    if account and account != DEFAULT_ACCOUNT:
        creds = boto3.client("sts", endpoint_url=url, **base).assume_role(
            RoleArn="arn:aws:iam::%s:role/check" % account, RoleSessionName="check")["Credentials"]
        base.update(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                    aws_session_token=creds["SessionToken"])
    session = boto3.session.Session(**base)
    return lambda service, **kw: session.client(service, endpoint_url=url, **kw)


def tags_of(item):
    return {t["Key"]: t["Value"] for t in item.get("Tags", [])}


def by_name(items, name):
    found = [i for i in items if tags_of(i).get("Name") == name]
    assert len(found) == 1, (name, items)
    return found[0]


def ingress(sg):
    """{(port, source)} where source is a CIDR or a group id."""
    out = set()
    for perm in sg["IpPermissions"]:
        for rng in perm.get("IpRanges", []):
            out.add((perm.get("FromPort"), rng["CidrIp"]))
        for rng in perm.get("Ipv6Ranges", []):
            out.add((perm.get("FromPort"), rng["CidrIpv6"]))
        for pair in perm.get("UserIdGroupPairs", []):
            out.add((perm.get("FromPort"), pair["GroupId"]))
    return out


def secret_values(client, name):
    return json.loads(client("secretsmanager").get_secret_value(SecretId=name)["SecretString"])


# The sweep -----------------------------------------------------------------------------------
# The collection's own (plugins/module_utils/sweep.py, what teardown.yml's closing sweep runs):
# one place that knows where each kind of thing hides. tests/integration/test_sweep.py proves it
# finds each kind the collection makes.

def _sweep():
    if COLLECTIONS not in sys.path:  # run as a script (molecule's verify and destroy)
        sys.path.insert(0, COLLECTIONS)
    from ansible_collections.coherence.aws.plugins.module_utils import sweep
    return sweep


def alive_tagged(client, app):
    """ARNs tagged Application=app that are not only the trace of something deleted."""
    return [arn for arn, _tags in _sweep().tagged(client, app)]


def ecs_inactive(client, arn):
    return _sweep().ecs_inactive(client, arn)


def untagged_leftovers(client, app, domain=None, global_services=True):
    """What the tagging API does not show, by each service's own listing (global services once
    per account): `<kind> <name>` each."""
    return ["%s %s" % (kind, name) for kind, name, _arn in
            _sweep().named(client, app, domains=[domain] if domain else [], global_services=global_services)]


def edge_leftovers(client, app):
    """What of app's edge is left: its distributions (by their comment), Origin Access Controls,
    load balancer and Lambda@Edge function (us-east-1)."""
    return ["%s %s" % (kind, name) for kind, name, _arn in _sweep().named(client, app)
            if kind in ("distribution", "origin access control", "load balancer", "function")]


# A final snapshot's ARN: ...:snapshot:<database>-final, or with a suffix that keeps it unique.
FINAL_SNAPSHOT = re.compile(r":snapshot:([^:]*-final[^:]*)$")


def leftovers(environ, app, places, domain=None, final_snapshots=()):
    """Everything of app still alive in each (account, region) of places: tagged resources
    first, then each service's own listing (global services once per account).
    final_snapshots: the names (or name prefixes) of the final database snapshots production
    keeps on purpose; each must be there, once, and is not a leftover."""
    out, seen, kept = [], set(), []
    for account, region in places:
        client = clients(environ, account=account, region=region)
        found = alive_tagged(client, app) + untagged_leftovers(client, app, domain, global_services=account not in seen)
        seen.add(account)
        for item in found:
            snapshot = FINAL_SNAPSHOT.search(item)
            if snapshot and any(snapshot.group(1).startswith(p) for p in final_snapshots):
                kept.append(snapshot.group(1))
            else:
                out.append("%s/%s: %s" % (account, region, item))
    for prefix in final_snapshots:
        count = len([k for k in kept if k.startswith(prefix)])
        if count != 1:
            out.append("final snapshot %s: %d found, 1 wanted" % (prefix, count))
    return out


# No AWS call ---------------------------------------------------------------------------------

class ConnectionCounter(object):
    """A listener on 127.0.0.1 that counts connections: the endpoint for 'no AWS call' checks."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.count = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop:
            try:
                conn, _addr = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.count += 1
            conn.close()

    def close(self):
        self._stop = True
        self._thread.join()
        self.sock.close()


def main(argv):
    """python tests/support.py sweep APP [ACCOUNT/REGION ...] [--domain D] [--final-snapshot NAME ...]
    with AWS_ENDPOINT_URL set: prints what of APP is still alive (and any final snapshot
    missing) and exits 1 if anything is."""
    import argparse

    parser = argparse.ArgumentParser(prog="support.py sweep", description=main.__doc__)
    parser.add_argument("command", choices=["sweep"])
    parser.add_argument("app")
    parser.add_argument("places", nargs="*", default=["%s/us-east-1" % DEFAULT_ACCOUNT])
    parser.add_argument("--domain")
    parser.add_argument("--final-snapshot", action="append", default=[], dest="final_snapshots",
                        help="a final snapshot kept on purpose (name or name prefix): must be there")
    args = parser.parse_args(argv[1:])
    if not os.environ.get("AWS_ENDPOINT_URL", "").startswith("http://127.0.0.1:"):
        print("AWS_ENDPOINT_URL must name the embedded AWS on 127.0.0.1", file=sys.stderr)
        return 2
    environ = dict(TEST_CREDENTIALS, **os.environ)
    places = [tuple(p.split("/", 1)) for p in args.places]
    left = leftovers(environ, args.app, places, domain=args.domain, final_snapshots=args.final_snapshots)
    for line in left:
        print(line)
    print("%s: %d left in %s" % (args.app, len(left), ", ".join("/".join(p) for p in places)))
    return 1 if left else 0


# Parametrizing over the shared examples ------------------------------------------------------

def shared_example_params():
    """Each shared real-world coherence.yml as a pytest param named after its file, or one
    skipped param when ../shared/coherence-examples is not beside this checkout:
    @pytest.mark.parametrize("path", shared_example_params())."""
    import pytest

    found = sorted(os.path.join(EXAMPLES, f) for f in os.listdir(EXAMPLES) if f.endswith(".yml")) \
        if os.path.isdir(EXAMPLES) else []
    if not found:
        return [pytest.param(None, id="absent", marks=pytest.mark.skip(
            reason="../shared/coherence-examples is not beside this checkout"))]
    return [pytest.param(p, id=os.path.basename(p)) for p in found]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
