# -*- coding: utf-8 -*-
"""coherence.aws.elasticache_replication_group against the embedded AWS."""

from __future__ import annotations


import pytest

from conftest import run_module

MODULE = "coherence.aws.elasticache_replication_group"


@pytest.fixture
def group_args(boto3_session, network):
    suffix = network["suffix"]
    boto3_session.client("elasticache").create_cache_subnet_group(
        CacheSubnetGroupName="sub-" + suffix, CacheSubnetGroupDescription="t", SubnetIds=network["private_subnet_ids"])
    return {"name": "cache-" + suffix, "description": "test cache", "engine_version": "7.1",
            "cache_subnet_group_name": "sub-" + suffix, "security_group_ids": [network["security_groups"]["cache"]],
            "tags": {"Application": "cachetest", "ManagedBy": "coherence"}}


def groups(session, name):
    return [g for g in session.client("elasticache").describe_replication_groups()["ReplicationGroups"]
            if g["ReplicationGroupId"] == name]


def test_four_steps_update_tags_and_delete(aws_env, boto3_session, group_args):
    name = group_args["name"]
    checked = run_module(MODULE, group_args, aws_env, check=True)
    assert checked["changed"] is True and groups(boto3_session, name) == []

    applied = run_module(MODULE, group_args, aws_env)
    assert applied["changed"] is True, applied
    group = applied["replication_group"]
    assert group["status"] == "available"
    assert group["at_rest_encryption_enabled"] is True and group["transit_encryption_enabled"] is True
    assert group["node_groups"][0]["primary_endpoint"]["port"] == 6379
    assert group["tags"] == group_args["tags"]

    assert run_module(MODULE, group_args, aws_env, check=True)["changed"] is False
    assert run_module(MODULE, group_args, aws_env)["changed"] is False

    planned = run_module(MODULE, dict(group_args, snapshot_retention_limit=3), aws_env, check=True)
    assert planned["changed"] is True
    assert planned["diff"] == {"before": {"SnapshotRetentionLimit": 0, "Tags": group_args["tags"]},
                               "after": {"SnapshotRetentionLimit": 3, "Tags": group_args["tags"]}}
    assert groups(boto3_session, name)[0]["SnapshotRetentionLimit"] == 0
    updated = run_module(MODULE, dict(group_args, snapshot_retention_limit=3), aws_env)
    assert updated["changed"] is True and groups(boto3_session, name)[0]["SnapshotRetentionLimit"] == 3
    assert run_module(MODULE, dict(group_args, snapshot_retention_limit=3), aws_env)["changed"] is False

    retagged = run_module(MODULE, dict(group_args, tags={"Application": "cachetest"}), aws_env)
    assert retagged["changed"] is True and retagged["replication_group"]["tags"] == {"Application": "cachetest"}
    assert retagged["diff"]["before"]["Tags"] == group_args["tags"]
    assert retagged["diff"]["after"]["Tags"] == {"Application": "cachetest"}

    immutable = run_module(MODULE, dict(group_args, at_rest_encryption=False), aws_env)
    assert immutable.get("failed") and "at_rest_encryption is True" in immutable["msg"]

    gone_check = run_module(MODULE, {"name": name, "state": "absent"}, aws_env, check=True)
    assert gone_check["changed"] is True and groups(boto3_session, name)[0]["Status"] == "available"
    assert gone_check["diff"] == {"before": {"ReplicationGroupId": name, "Status": "available"}, "after": {}}
    gone = run_module(MODULE, {"name": name, "state": "absent"}, aws_env)
    assert gone["changed"] is True and gone["replication_group"] == {}
    assert groups(boto3_session, name) == []
    assert run_module(MODULE, {"name": name, "state": "absent"}, aws_env)["changed"] is False


def test_creating_needs_a_subnet_group(aws_env):
    result = run_module(MODULE, {"name": "cache-missing"}, aws_env)
    assert result.get("failed") and "cache_subnet_group_name" in result["msg"]


def test_only_name_and_state_change_nothing_and_keep_a_resize_made_outside(aws_env, boto3_session, group_args):
    name = group_args["name"]
    run_module(MODULE, group_args, aws_env)
    try:
        cache = boto3_session.client("elasticache")
        cache.modify_replication_group(ReplicationGroupId=name, CacheNodeType="cache.r7g.large", ApplyImmediately=True)
        for check in (True, False):
            read = run_module(MODULE, {"name": name, "state": "present"}, aws_env, check=check)
            assert read["changed"] is False, read
            assert read["diff"]["before"] == read["diff"]["after"]
        group = groups(boto3_session, name)[0]
        assert group["CacheNodeType"] == "cache.r7g.large" and group["TransitEncryptionEnabled"] is True
        assert run_module(MODULE, {"name": name}, aws_env)["replication_group"]["node_groups"][0]["primary_endpoint"]
    finally:
        run_module(MODULE, {"name": name, "state": "absent"}, aws_env)


def test_turning_tls_on_reaches_required(aws_env, boto3_session, group_args):
    name = group_args["name"]
    created = run_module(MODULE, dict(group_args, transit_encryption=False), aws_env)
    assert created["replication_group"]["transit_encryption_enabled"] is False
    try:
        planned = run_module(MODULE, {"name": name, "transit_encryption": True}, aws_env, check=True)
        assert planned["changed"] is True
        assert planned["diff"]["after"] == {"TransitEncryptionEnabled": True, "TransitEncryptionMode": "required",
                                            "Tags": group_args["tags"]}
        on = run_module(MODULE, {"name": name, "transit_encryption": True}, aws_env)
        assert on["changed"] is True, on
        group = groups(boto3_session, name)[0]
        assert group["TransitEncryptionEnabled"] is True and group["TransitEncryptionMode"] == "required"
        assert run_module(MODULE, {"name": name, "transit_encryption": True}, aws_env)["changed"] is False
    finally:
        run_module(MODULE, {"name": name, "state": "absent"}, aws_env)
