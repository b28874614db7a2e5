# -*- coding: utf-8 -*-
"""The environment's secret: every wired key gets its value; URLs are well formed."""

from __future__ import annotations

import os

import pytest

from conftest import FIXTURES

from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model
from ansible_collections.coherence.aws.plugins.plugin_utils.secret import render

MODEL = build_app_model(open(os.path.join(FIXTURES, "monorepo.yml")).read(), app_name="shop", env="pr-1",
                        base_domain="shop.example.com", env_var_names=["STRIPE_KEY"])
FOUND = {
    "billing-billing-db": {"host": "proxy.example", "port": 5432, "username": "coherence", "password": "p@ss/w:rd",
                           "database": "billing_db"},
    "hooks-audit-db": {"host": "mysql.example", "port": 3306, "username": "coherence", "password": "x",
                       "database": "audit_db"},
    "billing-exports": {"bucket": "shop-pr-1-billing-exports-abc123"},
    "billing-invoices": {"bucket": "shop-pr-1-billing-invoices-def456"},
}


def test_every_key_gets_its_value():
    values = render(MODEL, FOUND, {"STRIPE_KEY": "sk_test", "UNWIRED": "ignored"})
    assert set(values) == set(MODEL["secret"]["keys"])
    assert values["billing-billing-db.DATABASE_URL"] == "postgresql://coherence:p%40ss%2Fw%3Ard@proxy.example:5432/billing_db"
    assert values["billing-billing-db.DB_PASSWORD"] == "p@ss/w:rd"
    assert values["hooks-audit-db.DATABASE_URL"].startswith("mysql://coherence:x@mysql.example:3306/")
    assert values["billing-exports.BUCKET"] == "shop-pr-1-billing-exports-abc123"
    assert values["STRIPE_KEY"] == "sk_test" and "UNWIRED" not in values
    assert values["COHERENCE_ENVIRONMENT_DOMAIN"] == "pr-1.shop.example.com" and values["PORT"] == "3000"
    # each service's variables point at keys that now have values
    for svc in MODEL["services"]:
        for key in svc["variables"].values():
            assert key in values


def test_redis_url_speaks_tls():
    model = build_app_model("api:\n  type: backend\n  resources:\n  - {name: c, type: cache}\n", app_name="a", env="r")
    values = render(model, {"api-c": {"host": "master.example", "port": 6379}}, {})
    assert values["api-c.REDIS_URL"] == "rediss://master.example:6379"


def test_missing_values_are_named():
    with pytest.raises(ValueError) as info:
        render(MODEL, {}, {})
    assert "env_vars.STRIPE_KEY" in str(info.value) and "resource billing-exports" in str(info.value)
