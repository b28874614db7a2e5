# -*- coding: utf-8 -*-
"""What ansible-playbook prints for a broken coherence.yml: each problem once, nothing else.

The run fails in the model role, before any AWS call, so no embedded AWS is needed.
"""

from __future__ import annotations

import pytest

from conftest import playbook

BROKEN = """\
api:
  type: backnd
  url_pth: /api
  system:
    cpu: lots
  resources:
  - {name: db, type: database, engine: mongodb, version: 5}
web:
  type: frontend
  build: [npm, run, build]
  resources:
  - name: db
    type: database
    use_sibling: {service_name: api, resource_name: db}
"""

PROBLEMS = [
    "api.type (line 2): must be 'backend' or 'frontend', got 'backnd'",
    "api.url_pth (line 3): unknown key (did you mean 'url_path'?)",
    "api.system.cpu (line 5): must be a number of vCPU",
    "api.resources[0].engine (line 7): must be one of postgres, mysql, got 'mongodb'",
]


@pytest.fixture(scope="module")
def broken_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("broken") / "coherence.yml"
    path.write_text(BROKEN)
    return str(path)


def test_problems_printed_once_and_nothing_else(broken_file):
    proc = playbook("site", env="review", app_name="My_Shop", coherence_file=broken_file)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    for problem in PROBLEMS + ["app_name (playbook variable): invalid: 1-63 lowercase letters"]:
        assert out.count(problem) == 1, (problem, out)
    assert "5 problems found, nothing was changed" in out, out
    # No knock-on problem: the misspelled url_path claims no clash, the sibling of a bad resource no error.
    assert "is also used by" not in out and "use_sibling" not in out, out
    # Once: not again as an [ERROR] with the origin of our role's task, not as a dump of the result.
    assert "[ERROR]" not in out and "Origin:" not in out and "problems:" not in out, out
    assert "required" not in out, out  # My_Shop is given, and invalid
    assert "TASK [Open the AWS session]" not in out, out


def test_missing_app_name_is_one_problem_without_the_argument_spec(broken_file):
    proc = playbook("site", env="review", coherence_file=broken_file)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert out.count("app_name (playbook variable): required: the application's name") == 1, out
    assert "argument_spec" not in out and "Validation of arguments failed" not in out, out
    for problem in PROBLEMS:
        assert out.count(problem) == 1, (problem, out)
