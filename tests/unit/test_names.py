# -*- coding: utf-8 -*-
"""Properties of AWS names: within each service's limits and charset, deterministic, distinct."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.coherence.aws.plugins.plugin_utils import names
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model

# What validation lets through: app and environment names, service and resource names.
app_names = st.from_regex(r"[a-z][a-z0-9-]{0,61}[a-z0-9]", fullmatch=True)
service_names = st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,62}", fullmatch=True)
any_part = st.text(min_size=1, max_size=200)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(sorted(names.RULES)), parts=st.lists(any_part, min_size=1, max_size=5))
def test_every_kind_obeys_its_rule(kind, parts):
    max_len, pattern, _sep = names.RULES[kind]
    prefix = "alias/coherence/" if kind == "kms_alias" else ""
    value = names.make_name(kind, *parts, prefix=prefix)
    assert len(value) <= max_len
    assert re.match(pattern, value), value
    assert value == names.make_name(kind, *parts, prefix=prefix)


@settings(max_examples=300, deadline=None)
@given(a=st.lists(any_part, min_size=1, max_size=4), b=st.lists(any_part, min_size=1, max_size=4))
def test_long_names_that_differ_stay_distinct(a, b):
    # Cut names carry a hash of the whole name, so distinct inputs give distinct names
    # (up to slug folding, which validation rules out for user-given names).
    sa, sb = [names.slug(p) for p in a], [names.slug(p) for p in b]
    if sa != sb:
        assert names.make_name("target_group", *a) != names.make_name("target_group", *b) or \
            "-".join(sa) == "-".join(sb)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(any_part, min_size=1, max_size=4), scope=st.text(max_size=30))
def test_bucket_names_are_3_to_63_and_scoped(parts, scope):
    value = names.make_name("s3_bucket", *parts, suffix_hash=(scope,))
    assert 3 <= len(value) <= 63
    assert not value.startswith(("xn--", "sthree-", "amzn-s3-demo-"))
    assert not re.match(r"^\d+\.\d+\.\d+\.\d+$", value)


@settings(max_examples=60, deadline=None)
@given(app=app_names, env=app_names, svc=service_names, res=service_names)
def test_model_names_hold_for_any_valid_input(app, env, svc, res):
    text = ("%s:\n  type: backend\n  workers:\n  - name: w\n    command: [run]\n"
            "  scheduled_tasks:\n  - name: t\n    command: [run]\n    schedule: '@daily'\n"
            "  resources:\n  - name: %s\n    type: database\n    engine: postgres\n    version: 16\n"
            "  - name: %s-c\n    type: cache\n  - name: %s-s\n    type: object_storage\n") % (svc, res, res, res)
    model = build_app_model(text, app_name=app, env=env)
    svc_out = model["services"][0]
    checks = [("target_group", svc_out["names"]["target_group"]), ("ecs", svc_out["names"]["service"]),
              ("iam_role", svc_out["names"]["task_role"]), ("log_group", svc_out["names"]["log_group"]),
              ("ecr", svc_out["names"]["ecr"]), ("codebuild", svc_out["names"]["codebuild"]),
              ("event_rule", svc_out["scheduled_tasks"][0]["names"]["rule"]),
              ("ecs", svc_out["workers"][0]["names"]["service"]),
              ("alb", model["names"]["shared"]["alb"]), ("s3_bucket", model["names"]["shared"]["source_bucket"]),
              ("secret", model["names"]["environment"]["secret"]),
              ("iam_role", model["names"]["environment"]["execution_role"])]
    for res_out in model["resources"]:
        for key, value in res_out["names"].items():
            kind = {"instance": "rds_instance", "proxy": "rds_proxy", "replication_group": "elasticache",
                    "bucket": "s3_bucket", "proxy_role": "iam_role", "database": "db_name"}.get(key)
            if kind:
                checks.append((kind, value))
    for kind, value in checks:
        max_len, pattern, _sep = names.RULES[kind]
        assert len(value) <= max_len and re.match(pattern, value), (kind, value)
    assert model["names"]["shared"]["alb"] != "" and not model["names"]["shared"]["alb"].startswith("internal-")


def test_known_names():
    assert names.make_name("alb", "shop") == "shop"
    assert names.make_name("target_group", "shop", "pr-42", "api") == "shop-pr-42-api"
    long_tg = names.make_name("target_group", "a-very-long-application", "review", "backend-service")
    assert len(long_tg) == 32 and long_tg.startswith("a-very-long-application-r-")
    assert names.make_name("rds_instance", "1app", "x") == "c-1app-x"
    assert names.make_name("alb", "internal-tools") == "c-internal-tools"
    assert names.make_name("log_group", "coherence", "shop", "review", "api", prefix="/") == "/coherence/shop/review/api"
    assert names.upper_snake("payment-db") == "PAYMENT_DB"
    assert names.upper_snake("1files") == "R_1FILES"
