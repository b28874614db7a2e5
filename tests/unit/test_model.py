# -*- coding: utf-8 -*-
"""The app model against real coherence.yml files and our own fixtures."""

from __future__ import annotations

import os
import re

import pytest

from conftest import FIXTURES, REPO, shared_examples

from ansible_collections.coherence.aws.plugins.plugin_utils import names as naming
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model
from ansible_collections.coherence.aws.plugins.plugin_utils.normalize import FARGATE_SIZES


def model(path_or_text, env="review", **kw):
    text = open(path_or_text).read() if os.path.exists(path_or_text) else path_or_text
    kw.setdefault("app_name", "shop")
    kw.setdefault("base_domain", "shop.example.com")
    return build_app_model(text, env=env, **kw)


def fixture(name):
    return os.path.join(FIXTURES, name)


def service(m, name):
    return next(s for s in m["services"] if s["name"] == name)


def all_names(m):
    """Every AWS name in the model, with the rule it must follow."""
    out = []

    def walk(names_map, parent=None):
        for key, value in names_map.items():
            if isinstance(value, dict):
                walk(value, key)
            elif isinstance(value, str):
                out.append(("security_group" if parent == "security_groups" else key, value))
    walk(m["names"]["shared"])
    walk(m["names"]["environment"])
    for svc in m["services"]:
        walk(svc["names"])
        for item in svc.get("workers", []) + svc.get("scheduled_tasks", []):
            walk(item["names"])
    for res in m["resources"]:
        walk(res["names"])
    return out


KIND_OF = {"alb": "alb", "target_group": "target_group", "bucket": "s3_bucket", "source_bucket": "s3_bucket",
           "instance": "rds_instance", "proxy": "rds_proxy", "replication_group": "elasticache",
           "task_role": "iam_role", "execution_role": "iam_role", "proxy_role": "iam_role",
           "service": "ecs", "task_family": "ecs", "cluster": "ecs", "rule": "event_rule",
           "lambda_edge": "lambda", "codebuild": "codebuild", "pipeline": "codepipeline",
           "secret": "secret", "log_group": "log_group", "database": "db_name", "ecr": "ecr",
           "security_group": "security_group", "kms_alias": "kms_alias", "session": "iam_role"}


def assert_names_valid(m):
    seen = {}
    for key, value in all_names(m):
        kind = KIND_OF.get(key)
        if kind:
            max_len, pattern, _sep = naming.RULES[kind]
            assert len(value) <= max_len and re.match(pattern, value), (key, value)
        if key in ("bucket", "instance", "replication_group", "target_group", "task_family", "rule"):
            assert (key, value) not in seen, "two %s named %s" % (key, value)
            seen[(key, value)] = True


# ---------------------------------------------------------------- the shared real-world files
@pytest.mark.parametrize("path", shared_examples() or [pytest.param(None, marks=pytest.mark.skip(
    reason="../shared/coherence-examples is not beside this checkout"))],
    ids=lambda p: os.path.basename(p) if p else "absent")
@pytest.mark.parametrize("env", ["review", "production"])
def test_every_shared_example_loads(path, env):
    m = model(path, env=env, app_name="exampleapp")
    assert m["services"], "no service found"
    for svc in m["services"]:
        if svc["type"] == "backend":
            assert svc["memory"] in FARGATE_SIZES[svc["cpu"]]
    assert_names_valid(m)
    assert m["tags"]["environment"]["Environment"] == env
    assert m["plan"][0].startswith("app exampleapp, environment %s" % env)


def _shared(name):
    path = os.path.join(os.path.dirname(shared_examples()[0]), name) if shared_examples() else None
    if not path or not os.path.exists(path):
        pytest.skip("%s is not in ../shared/coherence-examples" % name)
    return path


def test_shared_sibling_database_is_one_database():
    m = model(_shared("BurnedChris__monorepo-demo__coherence.yml"))
    dbs = [r for r in m["resources"] if r["type"] == "database"]
    assert [r["key"] for r in dbs] == ["payments-payment-db"]
    assert dbs[0]["used_by"] == ["payments", "webhooks"]
    assert service(m, "webhooks")["variables"]["DATABASE_URL"] == service(m, "payments")["variables"]["DATABASE_URL"]
    assert any("version 13 ignored" in w for w in m["warnings"])
    assert m["build"]["compute_type"] == "BUILD_GENERAL1_LARGE"


def test_shared_frontend_keys_on_backend_are_warned_not_rejected():
    m = model(_shared("adamaziz15__flask-api-template__coherence.yml"))
    assert any("backend.index_file_name" in w and "frontend-only" in w for w in m["warnings"])
    assert any("backend.integrations" in w for w in m["warnings"])


# ---------------------------------------------------------------- our fixtures
def test_full_fixture_review():
    m = model(fixture("full.yml"))
    app = service(m, "app")
    # review: the preview worker alone; dev_workspace never
    assert [w["name"] for w in app["workers"]] == ["preview_environment"]
    assert app["min_scale"] == app["max_scale"] == 1
    assert app["seed"]["shell"] == "bin/seed"
    assert m["environment"]["capacity_provider"] == "FARGATE_SPOT"
    assert app["cpu"] == 1024 and app["memory"] == 3072
    assert [t["schedule"] for t in app["scheduled_tasks"]] == ["cron(0/15 * * * ? *)", "cron(0 9 ? * 2 *)"]
    assert app["command"]["ecs"] == ["/bin/sh", "-c", "bin/serve --port $PORT"]
    assert app["dockerfile"] == "Dockerfile.prod"
    assert app["compile"] == {"image": "node:20", "entrypoint": "sh",
                              "command": {"argv": ["yarn", "compile"], "shell": "yarn compile",
                                          "ecs": ["/bin/sh", "-c", "yarn compile"]}}
    assert m["build"]["compute_type"] == "BUILD_GENERAL1_XLARGE"
    assert m["build"]["integration_test"]["image"].startswith("mcr.microsoft.com/playwright")
    assert m["network"]["allow_vpc_sharing"] is True
    assert m["network"]["vpc_sharing"] == {"app_name": "platform", "fallback_environment": "main"}
    assert m["network"]["nat_mode"] == "single" and m["network"]["bastion"] is True
    assert (m["edge"]["cloudfront"], m["edge"]["lambda_edge"]) == (True, True)
    web = service(m, "web")
    assert web["assets_path"] == "build" and web["cors_allowed_origins"] == ["www.example.org"]
    assert [t["shell"] for t in web["test"]] == ["yarn lint", "yarn test"]
    assert app["test"][0]["shell"] == "bin/test"
    assert web["build_config"]["included_paths"] == ["web/**"]
    assert [r["path"] for r in m["routes"]] == ["/app", "/"]
    assert_names_valid(m)


def test_full_fixture_production():
    m = model(fixture("full.yml"), env="production")
    app = service(m, "app")
    assert [w["name"] for w in app["workers"]] == ["mail queue", "billing queue"]
    assert app["workers"][1]["command"]["ecs"] == ["/bin/sh", "-c", "bin/worker billing"]
    assert (app["min_scale"], app["max_scale"]) == (2, 6)
    assert app["seed"] is None
    assert m["environment"]["capacity_provider"] == "FARGATE"
    assert m["network"]["nat_mode"] == "one_per_az"
    assert m["build"]["integration_test"] is None
    db = next(r for r in m["resources"] if r["type"] == "database")
    assert db["deletion_protection"] and db["final_snapshot"]
    bucket = next(r for r in m["resources"] if r["type"] == "object_storage")
    assert bucket["force_destroy"] is False
    assert bucket["cors"][0]["allowed_methods"] == ["GET", "PUT"]


def test_full_fixture_unused_keys_reported_once_each():
    m = model(fixture("full.yml"))
    unused = [w for w in m["warnings"] if w.startswith("not used on AWS")]
    assert len(unused) == len(set(w.split(":")[0] for w in unused)), "a reason reported twice"
    text = "\n".join(unused)
    for path in ("web.dev", "web.local_packages", "web.system.dev", "app.dev", "app.integrations", "app.docs",
                 "app.system.platform_settings.throttle_cpu", "preview_inactivity_timeout_hours",
                 "app.workers[0] (dev_workspace)"):
        assert path in text, path
    assert text.count("app.dev,") + text.count("app.dev\n") + text.endswith("app.dev") <= 1


def test_wiring_prefixes_with_several_resources_of_a_kind():
    m = model(fixture("monorepo.yml"))
    hooks = service(m, "hooks")["variables"]
    # two databases -> prefixed with the resource name
    assert hooks["BILLING_DB_DATABASE_URL"] == "billing-billing-db.DATABASE_URL"
    assert hooks["AUDIT_DB_DB_HOST"] == "hooks-audit-db.DB_HOST"
    assert "DATABASE_URL" not in hooks
    billing = service(m, "billing")["variables"]
    assert billing["DATABASE_URL"] == "billing-billing-db.DATABASE_URL"
    assert billing["EXPORTS_BUCKET"] == "billing-exports.BUCKET" and billing["INVOICES_BUCKET"] == "billing-invoices.BUCKET"
    assert "DATABASE_URL" not in service(m, "accounts")["variables"]
    secret_keys = m["secret"]["keys"]
    for svc in m["services"]:
        for var, key in svc["variables"].items():
            assert key in secret_keys, (svc["name"], var, key)
    audit = next(r for r in m["resources"] if r["key"] == "hooks-audit-db")
    assert (audit["engine"], audit["engine_version"], audit["port"], audit["proxy"]) == ("mysql", "8.0", 3306, True)


def test_user_variables_by_name_only():
    m = model(fixture("monorepo.yml"), env_vars=["STRIPE_KEY", "DATABASE_URL"])
    assert m["secret"]["keys"]["STRIPE_KEY"] == {"source": "user"}
    billing = service(m, "billing")["variables"]
    assert billing["STRIPE_KEY"] == "STRIPE_KEY"
    assert billing["DATABASE_URL"] == "DATABASE_URL"  # the user's value wins, with a warning
    assert any("env_vars.DATABASE_URL overrides" in w for w in m["warnings"])


def test_use_existing_database_in_production():
    existing = {"billing-db": {"db_instance_identifier": "legacy-billing",
                               "secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:legacy"}}
    m = model(fixture("monorepo.yml"), env="production", use_existing=existing)
    db = next(r for r in m["resources"] if r["key"] == "billing-billing-db")
    assert db["existing"]["db_instance_identifier"] == "legacy-billing"
    assert db["proxy"] is False
    assert any("existing db_instance_identifier=legacy-billing" in line for line in m["plan"])


def test_names_deterministic_and_per_environment():
    a = model(fixture("monorepo.yml"), env="pr-1")
    b = model(fixture("monorepo.yml"), env="pr-1")
    c = model(fixture("monorepo.yml"), env="pr-2")
    assert a == b
    assert a["names"]["shared"] == c["names"]["shared"]
    assert a["names"]["environment"]["secret"] != c["names"]["environment"]["secret"]
    assert a["tags"]["app"] == {"ManagedBy": "coherence", "Application": "shop"}
    assert a["tags"]["environment"] == dict(a["tags"]["app"], Environment="review", EnvironmentName="pr-1")


def test_long_names_stay_within_limits():
    text = open(fixture("monorepo.yml")).read().replace("billing", "billing-and-invoicing-service-for-europe")
    m = model(text, app_name="a-rather-long-application-name-for-testing", env="pr-123456-feature-branch")
    assert_names_valid(m)
    tg = service(m, "billing-and-invoicing-service-for-europe")["names"]["target_group"]
    assert len(tg) == 32


def test_demo_example_plan():
    m = model(os.path.join(REPO, "examples", "demo", "coherence.yml"), env_vars=["STRIPE_KEY"])
    kinds = sorted(r["type"] for r in m["resources"])
    assert kinds == ["cache", "database", "object_storage"]
    assert [s["type"] for s in m["services"]] == ["frontend", "backend", "backend"]
    assert_names_valid(m)


def test_network_layout():
    review = model(fixture("monorepo.yml"))["network"]
    assert review["mode"] == "create" and review["cidr"] == "10.0.0.0/16"
    assert [s["cidr"] for s in review["public_subnets"]] == ["10.0.0.0/20", "10.0.16.0/20"]
    assert [s["cidr"] for s in review["private_subnets"]] == ["10.0.128.0/20", "10.0.144.0/20"]
    assert [n["public_subnet"] for n in review["nat_gateways"]] == [0]
    assert review["private_route_tables"] == [{"name": "shop-private-1", "nat": 0, "subnets": [0, 1]}]
    assert review["database_ports"] == [3306, 5432] and review["cache_ports"] == []
    prod = model(fixture("monorepo.yml"), env="production", az_count=3, vpc_cidr="10.20.0.0/20")["network"]
    assert [s["cidr"] for s in prod["private_subnets"]] == ["10.20.8.0/24", "10.20.9.0/24", "10.20.10.0/24"]
    assert len(prod["nat_gateways"]) == 3
    assert [t["subnets"] for t in prod["private_route_tables"]] == [[0], [1], [2]]
    cheap = model(fixture("monorepo.yml"), env="production", nat_gateways="single")["network"]
    assert len(cheap["nat_gateways"]) == 1
    existing = {"vpc": {"vpc_id": "vpc-1", "private_subnet_ids": ["a", "b"], "public_subnet_ids": ["c", "d"]}}
    assert model(fixture("monorepo.yml"), use_existing=existing)["network"]["mode"] == "existing"
    assert model(fixture("full.yml"))["network"]["mode"] == "shared"


def test_dns_and_certificates():
    dns = model(fixture("monorepo.yml"))["dns"]
    assert dns["zone"] == "shop.example.com" and dns["environment_zone"] is None
    assert dns["certificates"] == [{"name": "shop", "domain_name": "shop.example.com",
                                    "subject_alternative_names": ["*.shop.example.com"], "region": "us-east-1",
                                    "zone": "shop.example.com", "scope": "shared", "serves": ["alb", "cloudfront"]}]
    eu = model(fixture("monorepo.yml"), aws_region="eu-west-1", environment_domain="preview.shop.dev")["dns"]
    assert eu["environment_zone"] == "preview.shop.dev"
    assert [(c["name"], c["region"], c["serves"]) for c in eu["certificates"]] == [
        ("shop", "eu-west-1", ["alb"]), ("shop-cloudfront", "us-east-1", ["cloudfront"]),
        ("shop-review", "eu-west-1", ["alb"]), ("shop-review-cloudfront", "us-east-1", ["cloudfront"])]
    assert model(fixture("monorepo.yml"), base_domain=None)["dns"] is None
