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
    assert erg.changes(GROUP, MEMBER, params()) == ({}, [])
    same = params(at_rest_encryption=True, description="d", cache_node_type="cache.t4g.micro", transit_encryption=True,
                  snapshot_retention_limit=0, automatic_failover=False, multi_az=False, engine_version="7.1",
                  security_group_ids=["sg-1"], cache_parameter_group_name="default.redis7")
    assert erg.changes(GROUP, MEMBER, same) == ({}, [])


def test_differences_become_one_modify_call():
    modify, immutable = erg.changes(GROUP, MEMBER, params(cache_node_type="cache.t4g.small", snapshot_retention_limit=7,
                                                          automatic_failover=True, engine_version="7.2",
                                                          security_group_ids=["sg-2"]))
    assert immutable == []
    assert modify == {"CacheNodeType": "cache.t4g.small", "SnapshotRetentionLimit": 7, "AutomaticFailoverEnabled": True,
                      "EngineVersion": "7.2", "SecurityGroupIds": ["sg-2"]}


def test_turning_tls_on_goes_through_preferred():
    modify, _immutable = erg.changes(dict(GROUP, TransitEncryptionEnabled=False), MEMBER, params(transit_encryption=True))
    assert modify == {"TransitEncryptionEnabled": True, "TransitEncryptionMode": "preferred"}


def test_at_rest_encryption_cannot_change():
    _modify, immutable = erg.changes(dict(GROUP, AtRestEncryptionEnabled=False), MEMBER, params(at_rest_encryption=True))
    assert immutable == ["at_rest_encryption is False"]


def test_without_a_described_member_its_settings_are_not_compared():
    assert erg.changes(GROUP, None, params(engine_version="6.2", security_group_ids=["sg-9"])) == ({}, [])
