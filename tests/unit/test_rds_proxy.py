# -*- coding: utf-8 -*-
"""rds_proxy's comparison: only what the task sets, immutable attributes refused."""

from __future__ import annotations

from ansible_collections.coherence.aws.plugins.modules import rds_proxy

CURRENT = {
    "DBProxyName": "p", "EngineFamily": "POSTGRESQL", "VpcSubnetIds": ["s-1", "s-2"], "VpcSecurityGroupIds": ["sg-1"],
    "Auth": [{"AuthScheme": "SECRETS", "SecretArn": "arn:secret:a", "IAMAuth": "DISABLED"}],
    "RoleArn": "arn:role:r", "RequireTLS": True, "IdleClientTimeout": 1800, "DebugLogging": False,
}
UNSET = dict.fromkeys(("engine_family", "vpc_subnet_ids", "vpc_security_group_ids", "auth", "role_arn",
                       "require_tls", "idle_client_timeout", "debug_logging"))


def params(**kw):
    out = dict(UNSET)
    out.update(kw)
    return out


def test_nothing_set_nothing_changed():
    assert rds_proxy.changes(CURRENT, params()) == ({}, [])


def test_same_values_in_another_order_are_no_change():
    same = params(engine_family="POSTGRESQL", vpc_subnet_ids=["s-2", "s-1"], vpc_security_group_ids=["sg-1"],
                  auth=[{"secret_arn": "arn:secret:a", "iam_auth": "DISABLED"}], role_arn="arn:role:r",
                  require_tls=True, idle_client_timeout=1800, debug_logging=False)
    assert rds_proxy.changes(CURRENT, same) == ({}, [])


def test_mutable_differences_become_one_modify_call():
    modify, immutable = rds_proxy.changes(CURRENT, params(
        idle_client_timeout=900, require_tls=False, vpc_security_group_ids=["sg-2"],
        auth=[{"secret_arn": "arn:secret:b", "iam_auth": "REQUIRED"}]))
    assert immutable == []
    assert modify == {"IdleClientTimeout": 900, "RequireTLS": False, "SecurityGroups": ["sg-2"],
                      "Auth": [{"AuthScheme": "SECRETS", "SecretArn": "arn:secret:b", "IAMAuth": "REQUIRED"}]}


def test_immutable_differences_are_refused():
    _modify, immutable = rds_proxy.changes(CURRENT, params(engine_family="MYSQL", vpc_subnet_ids=["s-3", "s-4"]))
    assert immutable == ["engine_family is POSTGRESQL, not MYSQL", "vpc_subnet_ids are s-1, s-2"]


def test_auth_to_api():
    assert rds_proxy.auth_to_api([{"secret_arn": "a", "iam_auth": None, "description": "d"}]) == [
        {"AuthScheme": "SECRETS", "SecretArn": "a", "IAMAuth": "DISABLED", "Description": "d"}]
