# -*- coding: utf-8 -*-
"""Malformed coherence.yml files and settings: each rejected with a located message."""

from __future__ import annotations

import textwrap

import pytest

from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import CoherenceConfigError
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model

GOOD_API = """
api:
  type: backend
  url_path: /api
"""

# (id, coherence.yml, a substring of one problem, including its key path and line)
MALFORMED = [
    ("yaml-syntax", "api:\n  type: backend\n  url_path: [/api\n", "YAML syntax error at line"),
    ("yaml-tab", "api:\n\ttype: backend\n", "YAML syntax error at line 2"),
    ("empty", "", "the file is empty"),
    ("top-level-list", "- api\n- web\n", "(top level) (line 1): must be a mapping of service names"),
    ("no-services", "preview_inactivity_timeout_hours: 4\n", "defines no service"),
    ("duplicate-service", "api:\n  type: backend\napi:\n  type: frontend\n", "api (line 3): duplicate key"),
    ("missing-type", "api:\n  url_path: /api\n", "api (line 1): a service needs 'type: backend' or 'type: frontend'"),
    ("bad-type", "api:\n  type: lambda\n", "api.type (line 2): must be 'backend' or 'frontend', got 'lambda'"),
    ("unknown-top-level", GOOD_API + "colour: blue\n", "colour (line 5): is neither a service"),
    ("unknown-service-key", GOOD_API + "  replicas: 3\n", "api.replicas (line 5): unknown key; allowed here:"),
    ("typo-suggestion", GOOD_API + "  resorces: []\n", "api.resorces (line 5): unknown key (did you mean 'resources'?)"),
    ("backend-key-on-frontend", "web:\n  type: frontend\n  workers: []\n",
     "web.workers (line 3): applies to backend services only"),
    ("bad-engine", GOOD_API + "  resources:\n  - name: db\n    type: database\n    engine: mongodb\n    version: 5\n",
     "api.resources[0].engine (line 8): must be one of postgres, mysql, got 'mongodb'"),
    ("missing-db-version", GOOD_API + "  resources:\n  - name: db\n    type: database\n    engine: postgres\n",
     "api.resources[0].version (line 6): required for a database"),
    ("old-postgres", GOOD_API + "  resources:\n  - name: db\n    type: database\n    engine: postgres\n    version: 9.6\n",
     "api.resources[0].version (line 9): postgres 9.6 is not offered by RDS"),
    ("bad-resource-type", GOOD_API + "  resources:\n  - name: q\n    type: queue\n",
     "api.resources[0].type (line 7): must be one of database, cache, object_storage"),
    ("resource-not-list", GOOD_API + "  resources:\n    name: db\n", "api.resources (line 5): must be a list of resources"),
    ("missing-resource-name", GOOD_API + "  resources:\n  - type: cache\n", "api.resources[0].name (line 6): required"),
    ("bad-redis", GOOD_API + "  resources:\n  - name: c\n    type: cache\n    engine: redis\n    version: 3\n",
     "api.resources[0].version (line 9): redis 3 is not offered by ElastiCache"),
    ("sibling-missing-service", GOOD_API + "  resources:\n  - name: db\n    type: database\n    use_sibling:\n"
     "      service_name: nope\n      resource_name: db\n",
     "api.resources[0].use_sibling.service_name (line 9): no service named 'nope'"),
    ("sibling-missing-resource", GOOD_API + "  resources:\n  - name: db\n    type: database\n    use_sibling:\n"
     "      service_name: api\n      resource_name: other\n",
     "api.resources[0].use_sibling.resource_name (line 10): service 'api' has no resource named 'other'"),
    ("bad-cron", GOOD_API + "  scheduled_tasks:\n  - name: t\n    command: [x]\n    schedule: '61 * * * *'\n",
     "api.scheduled_tasks[0].schedule (line 8): minute 61 is out of range 0-59"),
    ("cron-four-fields", GOOD_API + "  scheduled_tasks:\n  - name: t\n    command: [x]\n    schedule: '* * * *'\n",
     "api.scheduled_tasks[0].schedule (line 8): must be a 5-field cron expression"),
    ("cron-both-days", GOOD_API + "  scheduled_tasks:\n  - name: t\n    command: [x]\n    schedule: '0 0 1 * 1'\n",
     "sets both day of month (1) and day of week (1)"),
    ("worker-without-command", GOOD_API + "  workers:\n  - name: w\n", "api.workers[0].command (line 6): required"),
    ("bad-cpu", GOOD_API + "  system:\n    cpu: lots\n", "api.system.cpu (line 6): must be a number of vCPU"),
    ("bad-memory", GOOD_API + "  system:\n    memory: big\n", "api.system.memory (line 6): must be a size like 512M or 2G"),
    ("too-big", GOOD_API + "  system:\n    cpu: 32\n", "larger than the largest Fargate task"),
    ("scale-backwards", GOOD_API + "  system:\n    platform_settings:\n      min_scale: 5\n      max_scale: 2\n",
     "api.system.platform_settings.max_scale (line 8): must be at least min_scale (5), got 2"),
    ("bad-health-check", GOOD_API + "  system:\n    health_check: health\n",
     "api.system.health_check (line 6): must be a URL path starting with '/'"),
    ("duplicate-url-path", GOOD_API + "web:\n  type: frontend\n  url_path: /api/\n",
     "web.url_path (line 7): url_path '/api' is also used by api"),
    ("bad-url-path", "api:\n  type: backend\n  url_path: api\n", "api.url_path (line 3): must be a URL path starting with '/'"),
    ("command-not-list", GOOD_API + "  migration: {run: x}\n", "api.migration (line 5): must be a command"),
    ("bad-service-name", "9api:\n  type: backend\n", "9api (line 1): service names are 1-63 letters"),
    ("clashing-service-names", "my_api:\n  type: backend\n  url_path: /a\nmy-api:\n  type: backend\n  url_path: /b\n",
     "my-api (line 4): name 'my-api' is also used by my_api"),
    ("bad-machine-type", GOOD_API + "build_settings:\n  platform_settings:\n    machine_type: huge\n",
     "build_settings.platform_settings.machine_type (line 7): must be a machine type"),
    ("bad-vpc-sharing", GOOD_API + "vpc_sharing:\n  fallback_environment: main\n", "vpc_sharing.app_name (line 5): required"),
    ("bad-allow-vpc-sharing", GOOD_API + "allow_vpc_sharing: sometimes\n", "allow_vpc_sharing (line 5): must be true or false"),
    ("bad-cors-method", GOOD_API + "  resources:\n  - name: files\n    type: object_storage\n    cors:\n"
     "    - allowed_methods: [GET, PATCH]\n      allowed_origins: ['*']\n",
     "api.resources[0].cors[0].allowed_methods (line 9): PATCH not allowed"),
    ("cors-on-database", GOOD_API + "  resources:\n  - name: db\n    type: database\n    engine: mysql\n    version: '8.0'\n"
     "    cors: []\n", "api.resources[0].cors (line 10): only object_storage resources take cors"),
    ("mixed-test", GOOD_API + "  test: [[a], b]\n", "api.test (line 5): mixes commands and words"),
]


@pytest.mark.parametrize("text,expected", [pytest.param(t, e, id=i) for i, t, e in MALFORMED])
def test_malformed_rejected_with_location(text, expected):
    with pytest.raises(CoherenceConfigError) as info:
        build_app_model(text, app_name="shop", env="review", source="coherence.yml")
    message = str(info.value)
    assert expected in message, message
    assert message.startswith("coherence.yml: ")


def test_at_least_twenty_malformed_inputs():
    assert len(MALFORMED) >= 20


def test_every_problem_reported_at_once_in_file_order():
    text = textwrap.dedent("""\
        api:
          type: backend
          url_path: /api
          system:
            cpu: lots
          resources:
          - name: db
            type: database
            engine: oracle
        web:
          type: frontend
          workers: []
          url_path: /api/
        """)
    with pytest.raises(CoherenceConfigError) as info:
        build_app_model(text, app_name="Bad Name", env="review")
    problems = info.value.problems
    assert len(problems) == 5, problems
    assert problems[0].startswith("app_name (playbook variable)")
    assert [p.split(" ")[0] for p in problems[1:]] == ["api.system.cpu", "api.resources[0].engine", "web.workers",
                                                       "web.url_path"]


SETTINGS = [
    ({"app_name": None}, "app_name (playbook variable): required: the application's name"),
    ({"app_name": "Shop"}, "app_name (playbook variable): invalid: 1-63 lowercase"),
    ({"app_name": "My_Shop"}, "app_name (playbook variable): invalid: 1-63 lowercase letters, digits and hyphens, "
                              "starting with a letter, got 'My_Shop'"),
    ({"env": None}, "env (playbook variable): required: the environment's name"),
    ({"container_port": "http"}, "container_port (playbook variable): must be a port number 1-65535, got 'http'"),
    ({"env": "PR 42"}, "env (playbook variable)"),
    ({"env_type": "staging"}, "env_type (playbook variable): must be one of review, production"),
    ({"base_domain": "not a domain"}, "base_domain (playbook variable): must be a DNS domain"),
    ({"aws_region": "mars-1"}, "aws_region (playbook variable): must be an AWS region"),
    ({"env_vars": ["OK", "NOT-OK"]}, "env_vars (playbook variable): 'NOT-OK' is not a valid variable name"),
    ({"aws_account_id": "12"}, "aws_account_id (playbook variable): must be a 12-digit AWS account id"),
    ({"use_existing": {"db": {"db_instance_identifier": "x", "secret_arn": "arn:aws:x"}}},
     "use_existing.db (playbook variable): reusing a database is for production environments only"),
    ({"env": "production", "use_existing": {"nope": {"db_instance_identifier": "x", "secret_arn": "arn:x"}}},
     "use_existing.nope (playbook variable): no database resource named 'nope'; databases: db"),
    ({"env": "production", "use_existing": {"db": {"db_instance_identifier": "x"}}},
     "use_existing.db.secret_arn (playbook variable): required"),
    ({"env": "production",
      "use_existing": {"db": {"db_instance_identifier": "x", "db_cluster_identifier": "y", "secret_arn": "arn:x"}}},
     "give exactly one of db_instance_identifier, db_cluster_identifier"),
    ({"vpc_cidr": "10.0.0.0/8"}, "vpc_cidr (playbook variable): must be an IPv4 network from /16 to /24"),
    ({"vpc_cidr": "10.0.0.1/16"}, "vpc_cidr (playbook variable)"),
    ({"az_count": 1}, "az_count (playbook variable): must be a whole number from 2 to 6"),
    ({"nat_gateways": "none"}, "nat_gateways (playbook variable): must be one of single, one_per_az"),
    ({"use_existing": {"vpc": {"vpc_id": "vpc-1", "private_subnet_ids": ["a"], "public_subnet_ids": ["b", "c"]}}},
     "use_existing.vpc.private_subnet_ids (playbook variable): must list at least two subnet ids"),
]


@pytest.mark.parametrize("override,expected", SETTINGS, ids=[e.split(" ")[0] + str(i) for i, (_o, e) in enumerate(SETTINGS)])
def test_bad_settings_rejected(override, expected):
    """Each setting's problem says which setting, and 'required' only when it is missing."""
    text = GOOD_API + "  resources:\n  - name: db\n    type: database\n    engine: postgres\n    version: 16\n"
    kwargs = dict(app_name="shop", env="review")
    kwargs.update(override)
    with pytest.raises(CoherenceConfigError) as info:
        build_app_model(text, **kwargs)
    assert expected in str(info.value), str(info.value)


def test_settings_as_strings_from_the_command_line():
    model = build_app_model(GOOD_API, app_name="shop", env="review", container_port="8080", az_count="3")
    assert model["services"][0]["port"] == 8080 and model["network"]["az_count"] == 3
