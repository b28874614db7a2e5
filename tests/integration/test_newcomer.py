# -*- coding: utf-8 -*-
"""A newcomer's first ten minutes, on a fresh clone: README's first command sets up only what
running the collection needs and prints no warning; check mode on a new environment is the
plan of what the real run then makes; --diff names the variable that changes; the collection,
installed and run from another directory, is quiet too. And the embedded AWS's own manners:
a readiness probe that leaves no traceback, a `tagged` listing that leaves out what is gone.

The fresh-clone tests share one clone (module fixture): `tools/demo --check` first (set-up,
then check mode on the never-deployed demo environment), then `tools/demo` (the real run).
pip's cache makes the set-up affordable; without pip's index they are skipped."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

import embedded_aws
from conftest import FIXTURES, REPO, run


# The fresh-clone tests share one clone and one deploy: one xdist worker runs them all.
def on_the_fresh_clone(test):
    return pytest.mark.slow(pytest.mark.xdist_group("newcomer")(test))


WARNING = re.compile(r"^.*\[(?:WARNING|DEPRECATION WARNING)\]:.*$", re.M)
SUMMARY_LINE = re.compile(r"^  (\S.*?)\s{2,}(\d.*)$")


def clean_env(**extra):
    """The environment of a new shell: nothing of this test run's venv, Ansible or AWS settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ANSIBLE_", "AWS_", "COHERENCE_", "VIRTUAL_ENV", "PYTHON", "PIP_REQUIRE"))}
    venv_bin = os.path.dirname(sys.executable)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env.update(extra)
    return env


def summary(output, heading):
    """{kind: text} of the coherence.aws.plan callback's block that starts with heading."""
    lines = output.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(heading + ":")]
    assert starts, "no '%s:' summary at the end of the run:\n%s" % (heading, output[-3000:])
    block = {}
    for line in lines[starts[-1] + 1:]:
        match = SUMMARY_LINE.match(line)
        if not match:
            break
        block[match.group(1)] = match.group(2)
    return lines[starts[-1]], block


def pip_index_reachable():
    """None when pip can fetch a pinned package (its cache counts), else why not."""
    target = "/tmp/coherence-newcomer-pip-check-%d" % os.getpid()
    try:
        proc = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", target,
                               "six==1.17.0"], capture_output=True, text=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        return "pip download timed out"
    finally:
        shutil.rmtree(target, ignore_errors=True)
    return None if proc.returncode == 0 else (proc.stderr.strip().splitlines() or ["pip failed"])[-1]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A fresh clone of this repository, after `tools/demo --check` and then `tools/demo`."""
    why = pip_index_reachable()
    if why:
        pytest.skip("pip's package index is unreachable, a fresh clone cannot set up: " + why)
    top = tmp_path_factory.mktemp("newcomer")
    clone = str(top / "coherence.aws")
    cloned = run(["git", "clone", "--quiet", REPO, clone], env=clean_env(), cwd=str(top))
    assert cloned.returncode == 0, cloned.stderr
    env = clean_env()
    state = {"clone": clone, "env": env}
    # Before any set-up, the embedded AWS says how to get its environment.
    state["no_venv"] = run(["python3", "tools/embedded_aws.py", "start"], env=env, cwd=clone)
    try:
        started = time.time()
        state["check"] = run(["tools/demo", "--check"], env=env, cwd=clone, timeout=1200)
        state["first_command_seconds"] = time.time() - started
        # What the first command installed, before any test adds the test tools.
        state["freeze"] = run([os.path.join(clone, ".venv", "bin", "python"), "-m", "pip", "freeze", "--all"],
                              env=env, cwd=clone).stdout
        started = time.time()
        state["demo"] = run(["tools/demo"], env=env, cwd=clone, timeout=1200)
        state["demo_seconds"] = time.time() - started
        print("\nfresh clone: tools/demo --check (set-up included) %.0f s, then tools/demo %.0f s; %s"
              % (state["first_command_seconds"], state["demo_seconds"],
                 (re.findall(r"set up \.venv .*", state["check"].stderr) or ["no set-up line"])[0]))
        yield state
    finally:
        if os.path.exists(os.path.join(clone, ".venv", "bin", "python")):
            run([os.path.join(clone, ".venv", "bin", "python"), "tools/embedded_aws.py", "stop"], env=env, cwd=clone)


@on_the_fresh_clone
def test_first_command_sets_up_only_the_runtime_set(fresh):
    check = fresh["check"]
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
    setup_line = re.search(r"set up \.venv \(requirements-demo\.txt\) in (\d+) s", check.stderr)
    assert setup_line, check.stderr
    installed = {line.split("==")[0].lower().replace("_", "-") for line in fresh["freeze"].split() if "==" in line}
    with open(os.path.join(fresh["clone"], "requirements-demo.txt")) as handle:
        pinned = {line.split("==")[0].strip().lower().replace("_", "-") for line in handle if "==" in line}
    assert installed - {"pip", "setuptools", "wheel"} == pinned
    for dev_tool in ("pytest", "ansible-lint", "hypothesis", "cfn-lint", "black"):
        assert dev_tool not in installed
    print("set-up of the runtime set on a fresh clone: %s s (pip's cache warm); %d packages"
          % (setup_line.group(1), len(pinned)))


@on_the_fresh_clone
def test_setup_without_argument_adds_the_test_tools(fresh):
    """What tools/test runs first: the rest of requirements-dev.txt, once; the demo set stays."""
    clone, env = fresh["clone"], fresh["env"]
    added = run(["tools/setup"], env=env, cwd=clone, timeout=1200)
    assert added.returncode == 0, added.stderr
    took = re.search(r"set up \.venv \(requirements-dev\.txt\) in (\d+) s", added.stderr)
    assert took, added.stderr
    print("the test tools added on top of the runtime set: %s s (pip's cache warm)" % took.group(1))
    python = os.path.join(clone, ".venv", "bin", "python")
    assert run([python, "-c", "import pytest, hypothesis, ansiblelint"], env=env, cwd=clone).returncode == 0
    for args in (["tools/setup"], ["tools/setup", "--demo"]):
        again = run(args, env=env, cwd=clone)
        assert again.returncode == 0 and "set up" not in again.stderr, (args, again.stderr)


@on_the_fresh_clone
def test_embedded_aws_runs_with_the_project_environment(fresh):
    before = fresh["no_venv"]
    assert before.returncode != 0
    assert "tools/setup --demo" in before.stderr and ".venv" in before.stderr, before.stderr
    # Started with another python once .venv exists, it re-runs itself with .venv's.
    url = run(["python3", "tools/embedded_aws.py", "url"], env=fresh["env"], cwd=fresh["clone"])
    assert url.returncode == 0 and url.stdout.startswith("http://127.0.0.1:"), url.stderr


@on_the_fresh_clone
def test_the_demo_deploys_and_says_what_next(fresh):
    demo = fresh["demo"]
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    out = demo.stdout
    assert "set up .venv" not in demo.stderr, "the second run must not set up again"
    assert re.search(r"^Applied: \d+ created or changed, 0 deleted$", out, re.M), out[-3000:]
    assert re.search(r"^account 123456789012: \d+ resources tagged Application=shop$", out, re.M)
    assert "Next:" in out and "tools/demo --check --diff" in out and "teardown.yml" in out
    log = open(os.path.join(fresh["clone"], ".embedded-aws", "server.log")).read()
    assert "Traceback" not in log and "moto-api/reset-auth" not in log


@on_the_fresh_clone
def test_the_first_command_prints_no_warning(fresh):
    assert fresh["check"].returncode == 0 and fresh["demo"].returncode == 0
    found = WARNING.findall(fresh["check"].stdout + fresh["check"].stderr + fresh["demo"].stdout + fresh["demo"].stderr)
    assert not found, "warnings printed:\n" + "\n".join(found)


@on_the_fresh_clone
def test_check_mode_on_a_new_environment_plans_every_resource_the_run_makes(fresh):
    plan_line, plan = summary(fresh["check"].stdout, "Plan")
    _applied_line, applied = summary(fresh["demo"].stdout, "Applied")
    assert re.match(r"Plan: \d+ to create, 0 to change, 0 to delete$", plan_line), plan_line
    made = {kind: int(text.split()[0]) for kind, text in applied.items()}
    planned = {kind: int(text.split()[0]) for kind, text in plan.items() if text.endswith("to create")}
    assert planned == made


@on_the_fresh_clone
def test_diff_names_the_variable_that_changes_and_never_its_value(fresh):
    value = "do-not-print-4242"
    result = run(["tools/demo", "--check", "--diff", "-e", '{"env_vars": {"NEWCOMER_KEY": "%s"}}' % value],
                 env=fresh["env"], cwd=fresh["clone"])
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert value not in out
    plan_line, plan = summary(result.stdout, "Plan")
    assert plan.get("secret") == "1 to change", plan_line + repr(plan)
    assert re.search(r"^\+.*NEWCOMER_KEY", result.stdout, re.M), "no diff line names the new key:\n" + out[-3000:]


@on_the_fresh_clone
def test_installed_collection_run_elsewhere_is_quiet_with_readme_settings(fresh, tmp_path):
    clone, env = fresh["clone"], fresh["env"]
    bin_dir = os.path.join(clone, ".venv", "bin")
    built = run([os.path.join(bin_dir, "ansible-galaxy"), "collection", "build", "--output-path", str(tmp_path), clone],
                env=env, cwd=str(tmp_path))
    assert built.returncode == 0, built.stdout + built.stderr
    collections = str(tmp_path / "collections")
    installed = run([os.path.join(bin_dir, "ansible-galaxy"), "collection", "install", "--no-deps", "-p", collections,
                     glob.glob(str(tmp_path / "coherence-aws-*.tar.gz"))[0]], env=env, cwd=str(tmp_path))
    assert installed.returncode == 0, installed.stdout + installed.stderr
    work = tmp_path / "my-app"
    work.mkdir()
    shutil.copy(os.path.join(FIXTURES, "monorepo.yml"), str(work / "coherence.yml"))
    # The ansible.cfg README tells a user to put beside coherence.yml.
    readme = open(os.path.join(clone, "README.md")).read()
    cfg = re.search(r"```ini\n(\[defaults\].*?)```", readme, re.S)
    assert cfg, "README gives no ansible.cfg for runs from the user's own directory"
    (work / "ansible.cfg").write_text(cfg.group(1))
    url = run([os.path.join(bin_dir, "python"), os.path.join(clone, "tools", "embedded_aws.py"), "url"], env=env,
              cwd=clone).stdout.strip()
    run_env = dict(env, ANSIBLE_COLLECTIONS_PATH=collections, **embedded_aws.client_env(url))
    result = run([os.path.join(bin_dir, "ansible-playbook"), "coherence.aws.site", "--check", "-e", "plan_only=true",
                  "-e", "env=pr-3", "-e", "app_name=billing"], env=run_env, cwd=str(work))
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-3000:]
    assert collections in out or "database hooks-audit-db" in out
    assert not WARNING.findall(out), WARNING.findall(out)
    assert re.search(r"^Plan: 0 to create, 0 to change, 0 to delete$", result.stdout, re.M), out[-2000:]


def test_readiness_probe_leaves_no_traceback(tmp_path):
    directory = str(tmp_path)
    state = embedded_aws.start(directory)
    try:
        for _attempt in range(3):
            assert embedded_aws.answers(state["url"])
        assert embedded_aws.running(directory) == state
    finally:
        embedded_aws.stop(directory)
    log = open(os.path.join(directory, "server.log")).read()
    assert "/moto-api/config" in log
    assert "Traceback" not in log and " 500 " not in log


def test_tagged_shows_states_and_leaves_out_what_is_gone(moto_server, boto3_session, capsys):
    ec2 = boto3_session.client("ec2")
    tags = [{"ResourceType": "instance", "Tags": [{"Key": "Application", "Value": "gonetest"}]}]
    image = ec2.describe_images()["Images"][0]["ImageId"]
    launched = ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2, TagSpecifications=tags)["Instances"]
    kept, gone = [i["InstanceId"] for i in launched]
    ec2.terminate_instances(InstanceIds=[gone])
    kms = boto3_session.client("kms")
    key = kms.create_key(Tags=[{"TagKey": "Application", "TagValue": "gonetest"}])["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)

    embedded_aws.print_tagged(moto_server, "gonetest")
    out = capsys.readouterr().out
    assert "account 123456789012: 1 resource tagged Application=gonetest" in out
    assert ":instance/%s  [running]" % kept in out
    assert gone not in out and key not in out
    assert "(and 2 deleted but still listed by AWS for a while, not shown: --all shows them)" in out

    embedded_aws.print_tagged(moto_server, "gonetest", everything=True)
    out = capsys.readouterr().out
    assert ":instance/%s  [terminated]" % gone in out and "%s  [PendingDeletion]" % key in out
