# -*- coding: utf-8 -*-
"""coherence.aws.rds_proxy against the embedded AWS: check mode, apply, re-runs, tags, targets, delete."""

from __future__ import annotations

import uuid

import pytest

from conftest import run_module

MODULE = "coherence.aws.rds_proxy"


@pytest.fixture
def proxy_args(boto3_session, network):
    """A database in two private subnets, and the arguments of a proxy in front of it."""
    rds = boto3_session.client("rds")
    suffix = network["suffix"]
    subnets, sg = network["private_subnet_ids"], network["security_groups"]["database"]
    rds.create_db_subnet_group(DBSubnetGroupName="sub-" + suffix, DBSubnetGroupDescription="t", SubnetIds=subnets)
    rds.create_db_instance(DBInstanceIdentifier="db-" + suffix, Engine="postgres", DBInstanceClass="db.t4g.micro",
                           MasterUsername="coherence", MasterUserPassword="not-a-real-one-1", AllocatedStorage=20,
                           DBSubnetGroupName="sub-" + suffix)
    yield {"name": "proxy-" + suffix, "engine_family": "POSTGRESQL",
           "auth": [{"secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-" + suffix}],
           "role_arn": "arn:aws:iam::123456789012:role/proxy-" + suffix, "vpc_subnet_ids": subnets,
           "vpc_security_group_ids": [sg], "db_instance_identifier": "db-" + suffix, "idle_client_timeout": 1800,
           "tags": {"Application": "proxytest", "ManagedBy": "coherence"}}
    rds.delete_db_instance(DBInstanceIdentifier="db-" + suffix, SkipFinalSnapshot=True)


def proxies(session, name):
    return [p for p in session.client("rds").describe_db_proxies()["DBProxies"] if p["DBProxyName"] == name]


def test_four_steps_then_tags_targets_and_delete(aws_env, boto3_session, proxy_args):
    name = proxy_args["name"]
    checked = run_module(MODULE, proxy_args, aws_env, check=True)
    assert checked["changed"] is True and proxies(boto3_session, name) == []
    assert checked["diff"]["before"] == {} and checked["diff"]["after"]["DBProxyName"] == name
    assert checked["diff"]["after"]["Targets"] == [proxy_args["db_instance_identifier"]]

    applied = run_module(MODULE, proxy_args, aws_env)
    assert applied["changed"] is True, applied
    proxy = applied["proxy"]
    assert proxy["status"] == "available" and proxy["require_tls"] is True and proxy["engine_family"] == "POSTGRESQL"
    assert proxy["tags"] == proxy_args["tags"]
    assert sorted(proxy["vpc_subnet_ids"]) == sorted(proxy_args["vpc_subnet_ids"])
    assert proxy["vpc_security_group_ids"] == proxy_args["vpc_security_group_ids"]
    assert [t["rds_resource_id"] for t in applied["targets"]] == [proxy_args["db_instance_identifier"]]
    described = proxies(boto3_session, name)[0]
    assert described["Auth"][0]["SecretArn"] == proxy_args["auth"][0]["secret_arn"]
    assert described["Auth"][0]["IAMAuth"] == "DISABLED"

    assert run_module(MODULE, proxy_args, aws_env, check=True)["changed"] is False
    again = run_module(MODULE, proxy_args, aws_env)
    assert again["changed"] is False, again

    retagged = run_module(MODULE, dict(proxy_args, tags=dict(proxy_args["tags"], Owner="ops")), aws_env)
    assert retagged["changed"] is True and retagged["proxy"]["tags"]["Owner"] == "ops"

    immutable = run_module(MODULE, dict(proxy_args, engine_family="MYSQL"), aws_env)
    assert immutable.get("failed") and "engine_family is POSTGRESQL" in immutable["msg"]

    gone_check = run_module(MODULE, {"name": name, "state": "absent"}, aws_env, check=True)
    assert gone_check["changed"] is True and proxies(boto3_session, name)
    assert gone_check["diff"]["before"]["DBProxyName"] == name and gone_check["diff"]["after"] == {}
    gone = run_module(MODULE, {"name": name, "state": "absent"}, aws_env)
    assert gone["changed"] is True and proxies(boto3_session, name) == []
    assert run_module(MODULE, {"name": name, "state": "absent"}, aws_env)["changed"] is False


def test_update_check_mode_then_apply(aws_env, boto3_session, proxy_args):
    name = proxy_args["name"]
    run_module(MODULE, proxy_args, aws_env)
    try:
        planned = run_module(MODULE, dict(proxy_args, idle_client_timeout=900), aws_env, check=True)
        assert planned["changed"] is True
        target = [proxy_args["db_instance_identifier"]]
        assert planned["diff"] == {"before": {"IdleClientTimeout": 1800, "Tags": proxy_args["tags"], "Targets": target},
                                   "after": {"IdleClientTimeout": 900, "Tags": proxy_args["tags"], "Targets": target}}
        assert proxies(boto3_session, name)[0]["IdleClientTimeout"] == 1800
        # ModifyDBProxy through the embedded AWS's fidelity patch (moto lacks the call)
        applied = run_module(MODULE, dict(proxy_args, idle_client_timeout=900, require_tls=False), aws_env)
        assert applied["changed"] is True, applied
        assert applied["proxy"]["idle_client_timeout"] == 900 and applied["proxy"]["require_tls"] is False
        described = proxies(boto3_session, name)[0]
        assert described["IdleClientTimeout"] == 900 and described["RequireTLS"] is False
        assert run_module(MODULE, dict(proxy_args, idle_client_timeout=900, require_tls=False), aws_env)["changed"] is False
        # options left unset are left alone: only the name changes nothing
        assert run_module(MODULE, {"name": name}, aws_env)["changed"] is False
        assert proxies(boto3_session, name)[0]["RequireTLS"] is False
    finally:
        run_module(MODULE, {"name": name, "state": "absent"}, aws_env)


def test_creating_needs_its_settings(aws_env):
    result = run_module(MODULE, {"name": "proxy-missing-" + uuid.uuid4().hex[:6]}, aws_env)
    assert result.get("failed") and "engine_family, auth, role_arn, vpc_subnet_ids" in result["msg"]
