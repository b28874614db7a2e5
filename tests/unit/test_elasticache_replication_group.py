# -*- coding: utf-8 -*-
"""elasticache_replication_group's comparison: only what the task sets; at-rest encryption fixed."""

from __future__ import annotations

from ansible_collections.coherence.aws.plugins.modules import elasticache_replication_group as erg

GROUP = {"Description": "d", "CacheNodeType": "cache.t4g.micro", "AtRestEncryptionEnabled": True,
         "TransitEncryptionEnabled": True, "SnapshotRetentionLimit": 0, "AutomaticFailover": "disabled",
         "MultiAZ": "disabled"}
MEMBER = {"EngineVersion": "7.1.0", "SecurityGroups": [{"SecurityGroupId": "sg-1", "Status": "active"}],
          "CacheParameterGroup": {"CacheParameterGroupName": "default.redis7"}}
UNSET = dict.fromkeys(("at_rest_encryption", "description", "cache_node_type", "transit_encryption",
                       "snapshot_retention_limit", "automatic_failover", "multi_az", "engine_version",
                       "security_group_ids", "cache_parameter_group_name"))


def params(**kw):
    out = dict(UNSET)
    out.update(kw)
    return out


def test_unset_or_equal_is_no_change():
    assert erg.changes(GROUP, MEMBER, params()) == ([], [])
    same = params(at_rest_encryption=True, description="d", cache_node_type="cache.t4g.micro", transit_encryption=True,
                  snapshot_retention_limit=0, automatic_failover=False, multi_az=False, engine_version="7.1",
                  security_group_ids=["sg-1"], cache_parameter_group_name="default.redis7")
    assert erg.changes(GROUP, MEMBER, same) == ([], [])


def test_differences_become_one_modify_call():
    steps, immutable = erg.changes(GROUP, MEMBER, params(cache_node_type="cache.t4g.small", snapshot_retention_limit=7,
                                                         automatic_failover=True, engine_version="7.2",
                                                         security_group_ids=["sg-2"]))
    assert immutable == []
    assert steps == [{"CacheNodeType": "cache.t4g.small", "SnapshotRetentionLimit": 7, "AutomaticFailoverEnabled": True,
                      "EngineVersion": "7.2", "SecurityGroupIds": ["sg-2"]}]


def test_turning_tls_on_reaches_required_through_preferred():
    off = dict(GROUP, TransitEncryptionEnabled=False)
    steps, _immutable = erg.changes(off, MEMBER, params(transit_encryption=True, snapshot_retention_limit=1))
    # AWS takes 'required' only in a modification after the one that turned TLS on
    assert steps == [{"SnapshotRetentionLimit": 1, "TransitEncryptionEnabled": True, "TransitEncryptionMode": "preferred"},
                     {"TransitEncryptionMode": "required"}]


def test_a_group_left_at_preferred_is_taken_to_required():
    preferred = dict(GROUP, TransitEncryptionMode="preferred")
    assert erg.changes(preferred, MEMBER, params(transit_encryption=True)) == ([{"TransitEncryptionMode": "required"}], [])
    # a group from before TLS modes existed, TLS on: that was 'required'
    assert erg.changes(GROUP, MEMBER, params(transit_encryption=True)) == ([], [])
    assert erg.changes(dict(GROUP, TransitEncryptionMode="required"), MEMBER, params(transit_encryption=True)) == ([], [])


def test_turning_tls_off_goes_back_through_preferred():
    required = dict(GROUP, TransitEncryptionMode="required")
    assert erg.changes(required, MEMBER, params(transit_encryption=False))[0] == [
        {"TransitEncryptionMode": "preferred"}, {"TransitEncryptionEnabled": False}]
    assert erg.changes(dict(GROUP, TransitEncryptionMode="preferred"), MEMBER, params(transit_encryption=False))[0] == [
        {"TransitEncryptionEnabled": False}]


def test_at_rest_encryption_cannot_change():
    _modify, immutable = erg.changes(dict(GROUP, AtRestEncryptionEnabled=False), MEMBER, params(at_rest_encryption=True))
    assert immutable == ["at_rest_encryption is False"]


def test_without_a_described_member_its_settings_are_not_compared():
    assert erg.changes(GROUP, None, params(engine_version="6.2", security_group_ids=["sg-9"])) == ([], [])
