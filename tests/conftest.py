# -*- coding: utf-8 -*-
"""Shared test set-up: the collection on sys.path, the shared examples, the embedded AWS."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(REPO, ".collections")
FIXTURES = os.path.join(REPO, "tests", "fixtures")
EXAMPLES = os.environ.get("COHERENCE_EXAMPLES_DIR") or os.path.join(
    os.path.dirname(REPO), "shared", "coherence-examples")

# The checkout, importable as ansible_collections.coherence.aws (tools/setup makes the link).
_link = os.path.join(COLLECTIONS, "ansible_collections", "coherence", "aws")
if not os.path.lexists(_link):
    os.makedirs(os.path.dirname(_link), exist_ok=True)
    os.symlink(os.path.join("..", "..", ".."), _link)
sys.path.insert(0, COLLECTIONS)
sys.path.insert(0, os.path.join(REPO, "tools"))

import embedded_aws  # noqa: E402  (tools/, added above)


def shared_examples():
    """The real coherence.yml files in ../shared/coherence-examples (not copied here)."""
    if not os.path.isdir(EXAMPLES):
        return []
    return sorted(os.path.join(EXAMPLES, f) for f in os.listdir(EXAMPLES) if f.endswith(".yml"))


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory):
    """A moto server of the tests' own on 127.0.0.1 (not the demo's); its URL."""
    directory = str(tmp_path_factory.mktemp("embedded-aws"))
    state = embedded_aws.start(directory)
    assert state["url"].startswith("http://127.0.0.1:")
    # boto3 in the tests themselves reaches this server only, never AWS.
    saved = {k: os.environ.get(k) for k in embedded_aws.client_env(state["url"])}
    os.environ.update(embedded_aws.client_env(state["url"]))
    yield state["url"]
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    embedded_aws.stop(directory)


@pytest.fixture
def aws_env(moto_server):
    """Environment that points botocore (boto3, every AWS module) at the test server only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(embedded_aws.client_env(moto_server))
    env["ANSIBLE_CONFIG"] = os.path.join(REPO, "ansible.cfg")
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_FORCE_COLOR"] = "0"
    return env


@pytest.fixture
def boto3_session(aws_env):
    """A boto3 session bound to the test server (its endpoint is set on every client)."""
    import boto3

    class Session(boto3.session.Session):
        def client(self, *args, **kwargs):
            kwargs.setdefault("endpoint_url", aws_env["AWS_ENDPOINT_URL"])
            return super(Session, self).client(*args, **kwargs)

    return Session(aws_access_key_id=aws_env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=aws_env["AWS_SECRET_ACCESS_KEY"],
                   aws_session_token=aws_env["AWS_SESSION_TOKEN"], region_name="us-east-1")


def venv_bin(name):
    return os.path.join(os.path.dirname(sys.executable), name)


def run(cmd, env=None, cwd=REPO, timeout=600):
    """Run a command; return CompletedProcess with text output (never raises on failure)."""
    return subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def playbook(name, *extra, environ=None, cwd=REPO, **evars):
    """ansible-playbook playbooks/<name>.yml -e k=v ... (or a collection playbook FQCN)."""
    target = name if "." in name and "/" not in name else os.path.join(REPO, "playbooks", name + ".yml")
    cmd = [venv_bin("ansible-playbook"), target]
    for key, value in evars.items():
        cmd += ["-e", "%s=%s" % (key, value)]
    return run(cmd + list(extra), env=environ, cwd=cwd)


def run_module(module, args, environ, check=False):
    """Run one module on localhost (ad hoc) and return its result dict."""
    import json

    env = dict(environ, ANSIBLE_LOAD_CALLBACK_PLUGINS="1", ANSIBLE_STDOUT_CALLBACK="ansible.posix.json")
    cmd = [venv_bin("ansible"), "localhost", "-m", module, "-a", json.dumps(args)] + (["--check"] if check else [])
    proc = run(cmd, env=env)
    try:
        return json.loads(proc.stdout)["plays"][0]["tasks"][0]["hosts"]["localhost"]
    except (ValueError, KeyError, IndexError):
        raise AssertionError("no result from %s: %s %s" % (module, proc.stdout[-3000:], proc.stderr[-3000:]))
