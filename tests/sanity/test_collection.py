# -*- coding: utf-8 -*-
"""The collection as users get it: built, installed, run from elsewhere; linted; sanity-tested."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import tarfile

import pytest
import yaml

from conftest import FIXTURES, REPO, playbook, run, venv_bin

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The collection built with ansible-galaxy and installed into a directory of its own."""
    top = tmp_path_factory.mktemp("galaxy")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    built = run([venv_bin("ansible-galaxy"), "collection", "build", "--output-path", str(top), REPO], env=env, cwd=str(top))
    assert built.returncode == 0, built.stdout + built.stderr
    tarball = glob.glob(str(top / "coherence-aws-*.tar.gz"))[0]
    # Run from a neutral directory: the checkout's ansible.cfg would show coherence.aws as installed.
    done = run([venv_bin("ansible-galaxy"), "collection", "install", "-p", str(top / "collections"), tarball],
               env=env, cwd=str(top))
    assert done.returncode == 0, done.stdout + done.stderr
    return {"tarball": tarball, "path": str(top / "collections"),
            "root": str(top / "collections" / "ansible_collections" / "coherence" / "aws"), "env": env}


def test_tarball_holds_the_collection_and_no_development_files(installed):
    with tarfile.open(installed["tarball"]) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("MANIFEST.json"))["collection_info"]
    for wanted in ("MANIFEST.json", "FILES.json", "meta/runtime.yml", "playbooks/site.yml", "playbooks/teardown.yml",
                   "plugins/filter/app_model.py", "roles/model/tasks/main.yml", "LICENSE", "README.md"):
        assert wanted in names, wanted
    # galaxy.yml is not shipped: the build turns it into MANIFEST.json, which must say what it says.
    galaxy = yaml.safe_load(open(os.path.join(REPO, "galaxy.yml")))
    for key in ("namespace", "name", "version", "dependencies", "license"):
        assert manifest[key] == galaxy[key], key
    for unwanted in (".venv", ".collections", ".embedded-aws", "tools", "ansible.cfg", ".ci"):
        assert not any(n == unwanted or n.startswith(unwanted + "/") for n in names), unwanted


def test_installed_playbook_runs_from_another_directory(installed, aws_env, tmp_path):
    shutil.copy(os.path.join(FIXTURES, "monorepo.yml"), str(tmp_path / "coherence.yml"))
    env = {k: v for k, v in aws_env.items() if not k.startswith("ANSIBLE_")}
    env["ANSIBLE_COLLECTIONS_PATH"] = installed["path"]
    # -vv prints each task's path: the roles ran from the installed copy, never from the checkout.
    result = playbook("coherence.aws.site", "-vv", "-e", "plan_only=true", environ=env, cwd=str(tmp_path), env="pr-3",
                      app_name="billing")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "AWS account 123456789012" in result.stdout
    assert "database hooks-audit-db: RDS mysql 8.0 + RDS Proxy" in result.stdout
    task_paths = re.findall(r"^task path: (.+):\d+$", result.stdout, re.M)
    assert os.path.join(installed["root"], "roles", "model", "tasks", "main.yml") in task_paths, task_paths
    assert not [p for p in task_paths if p.startswith(REPO + os.sep)], task_paths
    docs = run([venv_bin("ansible-doc"), "-t", "filter", "coherence.aws.app_model"], env=env, cwd=str(tmp_path))
    assert docs.returncode == 0 and installed["root"] in docs.stdout, docs.stdout + docs.stderr
    docs = run([venv_bin("ansible-doc"), "coherence.aws.app_model"], env=env, cwd=str(tmp_path))
    assert docs.returncode == 0 and "coherence_file" in docs.stdout, docs.stdout + docs.stderr


def test_ansible_lint_production_profile():
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    # About 35 s on two busy cores.
    result = run([venv_bin("ansible-lint"), "--profile", "production", "--nocolor"], env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def ansible_test_pip_version():
    """The pip version ansible-test bootstraps its venvs with (pinned in its own source)."""
    import ansible_test

    source = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
    match = re.search(r"pip='([0-9.]+)'", open(source).read())
    assert match, "ansible-test no longer pins pip where this test looks: " + source
    return match.group(1)


def test_ansible_test_sanity(installed, tmp_path):
    # ansible-test downloads a pip bootstrap script from a host this machine cannot reach; its
    # cache takes ours (tools/ansible_test_get_pip.py), in a HOME of the test's own.
    home = tmp_path / "home"
    cache = home / ".ansible" / "test" / "cache"
    cache.mkdir(parents=True)
    shutil.copy(os.path.join(REPO, "tools", "ansible_test_get_pip.py"),
                str(cache / ("get_pip_%s.py" % ansible_test_pip_version().replace(".", "_"))))
    # ansible-test finds the collections ours depends on beside it, under the same root.
    import ansible_collections.amazon.aws as amazon_aws
    import ansible_collections.community.aws as community_aws

    root = os.path.dirname(os.path.dirname(installed["root"]))
    for package, (namespace, name) in ((amazon_aws, ("amazon", "aws")), (community_aws, ("community", "aws"))):
        target = os.path.join(root, namespace, name)
        if not os.path.exists(target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.symlink(list(package.__path__)[0], target)
    env = dict(installed["env"], HOME=str(home))
    # About 2.5 min on two busy cores, most of it setting up the linters' own environments.
    result = run([venv_bin("ansible-test"), "sanity", "--python", "3.11", "--color", "no"], env=env,
                 cwd=installed["root"], timeout=900)
    output = result.stdout + result.stderr
    problems = [line for line in output.splitlines() if line.startswith(("ERROR:", "FATAL:"))]
    assert result.returncode == 0, "\n".join(problems) + "\n...\n" + output[-3000:]
