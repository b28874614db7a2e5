# -*- coding: utf-8 -*-
"""What real files and probes found: located problems instead of tracebacks, warnings that help,
and no knock-on problem (each problem once, where it is written)."""

from __future__ import annotations

import os

import pytest

from conftest import EXAMPLES

from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import CoherenceConfigError
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model

API = "api:\n  type: backend\n  url_path: /api\n"


def problems(text, **settings):
    settings.setdefault("app_name", "shop")
    settings.setdefault("env", "review")
    with pytest.raises(CoherenceConfigError) as info:
        build_app_model(text, **settings)
    return info.value.problems


def warnings(text, **settings):
    settings.setdefault("app_name", "shop")
    settings.setdefault("env", "review")
    return build_app_model(text, **settings)["warnings"]


# --------------------------------------------------------------------------- tracebacks -> problems
@pytest.mark.parametrize("text,expected", [
    pytest.param(API + "  prod: !Ref foo\n", "api.prod (line 4): the YAML tag !Ref is not part of coherence.yml",
                 id="tag-on-scalar"),
    pytest.param(API + "  system:\n    cpu: !!int abc\n", "api.system.cpu (line 5): 'abc' is not a whole number (!!int)",
                 id="core-tag-bad-value"),
    pytest.param(API + "  prod: !!python/object:os.system [ls]\n",
                 "api.prod (line 4): the YAML tag !!python/object:os.system is not part of coherence.yml",
                 id="tag-on-list"),
    pytest.param(API + "  system: !!python/object:x {cpu: 1}\n", "api.system (line 4): the YAML tag", id="tag-on-map"),
    pytest.param(API + "  system: !!set {cpu}\n", "api.system (line 4): the YAML tag !!set", id="set"),
    pytest.param(API + "  system:\n    cpu: .inf\n", "api.system.cpu (line 5): must be a number of vCPU", id="inf"),
    pytest.param(API + "  system:\n    cpu: 1.0e+400\n", "api.system.cpu (line 5): must be a number of vCPU",
                 id="float-overflow"),
    pytest.param(API + "  system:\n    cpu: " + "9" * 400 + "\n", "api.system.cpu (line 5): must be a number of vCPU",
                 id="huge-int"),
    pytest.param(API + "  system:\n    memory: '1" + "0" * 400 + "G'\n",
                 "api.system.memory (line 5): must be a size like 512M or 2G", id="huge-memory"),
    pytest.param(API + "  system:\n    cpu: .nan\n", "api.system.cpu (line 5): must be a number of vCPU such as 0.25, "
                 "0.5, 1, 2, 4, 8 or 16, got nan", id="nan"),
    pytest.param(API + "? [a, b]\n: 1\n", "(top level) (line 4): a key must be a name, not a list", id="complex-key"),
    pytest.param(API + "  system:\n    ? {a: 1}\n    : 1\n", "api.system (line 5): a key must be a name, not a mapping",
                 id="complex-key-nested"),
    pytest.param(API + "  scheduled_tasks:\n  - {name: t, command: [x], schedule: '0 0 30 feb *'}\n",
                 "api.scheduled_tasks[0].schedule (line 5): never runs", id="cron-never"),
])
def test_unreadable_values_are_located_problems(text, expected):
    found = problems(text)
    assert any(p.startswith(expected) for p in found), found
    assert not any("Traceback" in p or "invalid literal" in p or "cannot convert" in p for p in found), found


@pytest.mark.parametrize("text,expected", [
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "its aliases expand to more than 100000 values"),
    ("a: &a [*a]\n", "YAML"),
    ("[" * 5000 + "]" * 5000, "YAML"),
])
def test_pathological_yaml_is_a_problem(text, expected):
    found = problems(text)
    assert len(found) == 1 and expected in found[0], found


def test_tag_problems_are_reported_with_the_others():
    text = API + "  prod: !Ref foo\n  system:\n    cpu: lots\nweb:\n  type: frontend\n  workers: []\n"
    found = problems(text)
    assert [p.split(" ")[0] for p in found] == ["api.prod", "api.system.cpu", "web.workers"], found


def test_tagged_value_says_nothing_more():
    # The tag is the problem; the text under it is not checked again (no knock-on).
    found = problems(API + "  system:\n    cpu: !Ref lots\n")
    assert len(found) == 1 and "YAML tag !Ref" in found[0], found


# --------------------------------------------------------------------------- accepted, with a warning
def test_older_postgres_and_mysql_accepted_with_the_cost():
    text = API + ("  resources:\n  - {name: pg, type: database, engine: postgres, version: 11}\n"
                  "  - {name: old, type: database, engine: postgres, version: '12.19'}\n"
                  "  - {name: my, type: database, engine: mysql, version: 5.7}\n")
    model = build_app_model(text, app_name="shop", env="review")
    found = model["warnings"]
    assert len([w for w in found if "Extended Support" in w and "per vCPU-hour" in w]) == 3, found
    assert "api.resources[0].version: postgres 11 runs on RDS only under paid Extended Support" in found[0]
    families = {r["name"]: r["family"] for r in model["resources"]}
    assert families == {"pg": "postgres11", "old": "postgres12", "my": "mysql5.7"}
    assert "database api-pg: RDS postgres 11 (Extended Support, billed extra) + RDS Proxy (shop-review-api-pg)" \
        in model["plan"], model["plan"]


def test_older_test_form_accepted():
    model = build_app_model(API + "  test: {image: 'node:18', command: [npm, test]}\n", app_name="shop", env="review")
    (test,) = model["services"][0]["test"]
    assert test["shell"] == "npm test" and test["image"] == "node:18"


def test_cpu_shown_as_written():
    assert "api.system: 0.1 vCPU / default memory is not a Fargate size; using 0.25 vCPU / 512 MiB" in \
        warnings(API + "  system:\n    cpu: 0.1\n")


def test_cache_without_version_is_the_default():
    model = build_app_model(API + "  resources:\n  - name: c\n    type: cache\n    version:\n", app_name="shop",
                            env="review")
    assert model["resources"][0]["engine_version"] == "7.1"
    assert not [w for w in model["warnings"] if "None" in w]


def test_redis_minor_that_elasticache_lacks_is_warned():
    found = warnings(API + "  resources:\n  - {name: c, type: cache, version: '7.2'}\n")
    assert found == ["api.resources[0].version: redis 7.2 is not an ElastiCache for Redis OSS version; using 7.1, "
                     "its newest redis 7"]


def test_keys_are_names_as_written():
    model = build_app_model("yes:\n  type: backend\n", app_name="shop", env="review")
    assert model["services"][0]["name"] == "yes"
    found = problems("1:\n  type: backend\n  replicas: 2\n")
    assert found[0].startswith("1 (line 1): service names are"), found
    assert found[1].startswith("1.replicas (line 3): unknown key"), found
    assert not any("[1]" in p for p in found), found


@pytest.mark.parametrize("key", ["environment", "variables"])
def test_variables_in_the_file_say_where_they_go(key):
    (found,) = problems(API + "  %s:\n    STRIPE_KEY: x\n" % key)
    assert found.startswith("api.%s (line 4): variables are not read from coherence.yml" % key)
    assert "env_vars" in found and "Secrets Manager" in found


def test_docker_compose_format_named():
    path = os.path.join(EXAMPLES, "cnc", "coherenceplatformdemos__django-gke-cnc-demo-1__cnc.yml")
    text = open(path).read() if os.path.exists(path) else (
        "services:\n  app:\n    command: run\n    x-cnc:\n      type: backend\n  db:\n    x-cnc:\n      type: database\n")
    (found,) = problems(text)
    assert found.startswith("services (line 1): this file is in the newer docker-compose format (services with "
                            "x-cnc), which coherence.aws does not read yet"), found


def test_frontend_with_a_database_or_without_build_warned():
    text = ("web:\n  type: frontend\n  resources:\n  - {name: db, type: database, engine: postgres, version: 16}\n"
            "  - {name: c, type: cache}\n")
    found = warnings(text)
    assert "web: a frontend without a build command (or prod.dockerfile); the files in build are uploaded as " \
           "they are in the repository" in found
    assert [w.split(":")[0] for w in found if "a frontend is static files" in w] == ["web.resources[0]",
                                                                                     "web.resources[1]"]
    for built in ("  build: [npm, run, build]\n", "  prod: {dockerfile: Dockerfile.web}\n"):
        assert not any("without a build" in w for w in warnings("web:\n  type: frontend\n" + built))


# --------------------------------------------------------------------------- no knock-on problems
def test_misspelled_url_path_does_not_also_clash():
    found = problems(API.replace("url_path", "url_pth") + "web:\n  type: frontend\n  build: [x]\n")
    assert len(found) == 1 and found[0].startswith("api.url_pth (line 3): unknown key (did you mean 'url_path'?)")


def test_bad_engine_in_one_service_no_false_sibling_error_in_another():
    text = (API + "  resources:\n  - {name: db, type: database, engine: mongodb, version: 5}\n"
            "worker:\n  type: backend\n  url_path: /w\n  resources:\n"
            "  - name: db\n    type: database\n    engine: oracle\n"
            "    use_sibling: {service_name: api, resource_name: db}\n")
    found = problems(text)
    assert [p.split(" ")[0] for p in found] == ["api.resources[0].engine", "worker.resources[0].engine"], found
    assert "got 'oracle'" in found[1]


def test_bad_type_does_not_hide_the_service_other_problems():
    found = problems("api:\n  type: backnd\n  system:\n    cpu: lots\n  resources:\n  - {name: q, type: queue}\n")
    assert [p.split(" ")[0] for p in found] == ["api.type", "api.system.cpu", "api.resources[0].type"], found


def test_bad_service_name_does_not_hide_its_other_problems():
    found = problems("9api:\n  type: backend\n  system:\n    cpu: lots\n")
    assert [p.split(" ")[0] for p in found] == ["9api", "9api.system.cpu"], found
