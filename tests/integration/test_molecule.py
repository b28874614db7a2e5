# -*- coding: utf-8 -*-
"""The molecule scenarios (extensions/molecule), each `molecule test` on its own xdist worker:
an embedded AWS of the scenario's own, site.yml, a re-run with changed=0, verify, teardown and
the sweep. The user's variable values never appear in molecule's output."""

from __future__ import annotations

import os
import re

import pytest

from support import REPO, assert_secret_free, run, venv_bin

SCENARIOS = {"default": "sk_test_molecule_never_printed", "production": "sk_live_molecule_never_printed"}


def molecule(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANSIBLE_", "MOLECULE_"))}
    env.update(PATH=os.path.dirname(venv_bin("python")) + os.pathsep + env.get("PATH", ""), NO_COLOR="1",
               ANSIBLE_NOCOLOR="1")
    return run([venv_bin("molecule")] + list(args), env=env, cwd=REPO, timeout=1800)


@pytest.mark.parametrize("scenario", [pytest.param(name, marks=pytest.mark.xdist_group("molecule-" + name))
                                      for name in SCENARIOS])
def test_molecule_scenario(scenario):
    result = molecule("test", "--scenario-name", scenario)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    for step in ("converge", "idempotence", "verify", "destroy"):
        assert re.search(r"%s > %s\]? *:? Executed: Successful" % (scenario, step), output), step
    assert_secret_free(output, SCENARIOS[scenario])
