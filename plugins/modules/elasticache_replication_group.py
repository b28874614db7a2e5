#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: elasticache_replication_group
short_description: Manage an ElastiCache (Redis OSS) replication group
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Creates, updates and deletes an ElastiCache replication group (cluster mode disabled), with
    encryption at rest and in transit on by default, tags, and a wait for it to be available.
  - Only what the task sets is compared and changed. Encryption at rest, the engine, the subnet
    group and the number of shards cannot change on an existing group; asking for other values
    fails rather than replacing a cache that holds data.
  - community.aws.elasticache manages single cache clusters only (no replication groups, no TLS,
    no tags).
options:
  name:
    description: The replication group's id (1-40 lowercase letters, digits and hyphens).
    type: str
    required: true
    aliases: [replication_group_id]
  state:
    description: C(present) creates or updates the group; C(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  description:
    description: The group's description.
    type: str
  engine_version:
    description: The Redis OSS version, for example C(7.1). Compared only where AWS reports it.
    type: str
  cache_node_type:
    description: The node type.
    type: str
    default: cache.t4g.micro
  num_cache_clusters:
    description: Nodes in the group (1 primary plus replicas). Used when creating.
    type: int
    default: 1
  cache_subnet_group_name:
    description: The cache subnet group (in the private subnets). Required to create a group.
    type: str
  security_group_ids:
    description: VPC security groups of the nodes.
    type: list
    elements: str
  cache_parameter_group_name:
    description: A parameter group; the engine's default when not set.
    type: str
  at_rest_encryption:
    description: Encrypt data at rest. Cannot change after creation.
    type: bool
    default: true
  transit_encryption:
    description: Require TLS between clients and the cache.
    type: bool
    default: true
  automatic_failover:
    description: Fail over to a replica automatically (needs O(num_cache_clusters) of 2 or more).
    type: bool
  multi_az:
    description: Spread nodes over availability zones (needs O(automatic_failover)).
    type: bool
  snapshot_retention_limit:
    description: Days of automatic snapshots to keep; 0 keeps none.
    type: int
  final_snapshot_identifier:
    description: With O(state=absent), the name of a snapshot to take before deleting.
    type: str
  apply_immediately:
    description: Apply modifications now rather than in the maintenance window.
    type: bool
    default: true
  wait:
    description: Wait until the group is C(available) (or, with O(state=absent), gone).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait.
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports check mode and diff mode.
  - On the embedded AWS (moto), member clusters are not described (so the engine version and
    security groups of an existing group are not compared there), and creation is instant.
"""

EXAMPLES = r"""
- name: The environment's redis, started without waiting
  coherence.aws.elasticache_replication_group:
    name: shop-review-api-cache
    description: shop review redis
    engine_version: "7.1"
    cache_subnet_group_name: shop-review-api-cache
    security_group_ids: ["{{ coherence_network.security_groups.cache }}"]
    tags: {Application: shop}
    wait: false

- name: Later, where its endpoint is needed
  coherence.aws.elasticache_replication_group:
    name: shop-review-api-cache
  register: cache
"""

RETURN = r"""
replication_group:
  description: The group, as DescribeReplicationGroups returns it in snake_case, plus C(tags)
    (empty after deletion).
  returned: always
  type: dict
  contains:
    status:
      description: C(creating), C(available), C(modifying), C(deleting), ...
      type: str
    node_groups:
      description: The shard, with its C(primary_endpoint) (C(address), C(port)).
      type: list
      elements: dict
    transit_encryption_enabled:
      description: Whether clients must use TLS.
      type: bool
    at_rest_encryption_enabled:
      description: Whether data is encrypted at rest.
      type: bool
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule
from ansible_collections.coherence.aws.plugins.module_utils.tagging import resource_tags
from ansible_collections.coherence.aws.plugins.module_utils.tagging import sync_resource_tags
from ansible_collections.coherence.aws.plugins.module_utils.waiting import wait_for_status

ENABLED = {True: "enabled", False: "disabled"}


def changes(group, member, params):
    """(ModifyReplicationGroup kwargs, immutable differences) to reach params from group.

    ``member`` is the first member cache cluster (engine version, security groups), or None
    where it cannot be described. Only options the task set are compared."""
    modify, immutable = {}, []
    if params.get("at_rest_encryption") is not None and params["at_rest_encryption"] != group.get("AtRestEncryptionEnabled"):
        immutable.append("at_rest_encryption is %s" % group.get("AtRestEncryptionEnabled"))
    if params.get("description") is not None and params["description"] != group.get("Description"):
        modify["ReplicationGroupDescription"] = params["description"]
    if params.get("cache_node_type") and params["cache_node_type"] != group.get("CacheNodeType"):
        modify["CacheNodeType"] = params["cache_node_type"]
    if params.get("transit_encryption") is not None and params["transit_encryption"] != group.get("TransitEncryptionEnabled"):
        modify["TransitEncryptionEnabled"] = params["transit_encryption"]
        if params["transit_encryption"]:
            # Switching TLS on a live group goes through 'preferred' so clients can move over.
            modify["TransitEncryptionMode"] = "preferred"
    if params.get("snapshot_retention_limit") is not None and \
            params["snapshot_retention_limit"] != group.get("SnapshotRetentionLimit"):
        modify["SnapshotRetentionLimit"] = params["snapshot_retention_limit"]
    for option, have_key, api_key in (("automatic_failover", "AutomaticFailover", "AutomaticFailoverEnabled"),
                                      ("multi_az", "MultiAZ", "MultiAZEnabled")):
        if params.get(option) is not None and ENABLED[params[option]] != group.get(have_key):
            modify[api_key] = params[option]
    if member:
        if params.get("engine_version") and not str(member.get("EngineVersion", "")).startswith(params["engine_version"]):
            modify["EngineVersion"] = params["engine_version"]
        have_sgs = sorted(g["SecurityGroupId"] for g in member.get("SecurityGroups", []))
        if params.get("security_group_ids") is not None and sorted(params["security_group_ids"]) != have_sgs:
            modify["SecurityGroupIds"] = params["security_group_ids"]
        if params.get("cache_parameter_group_name") and \
                params["cache_parameter_group_name"] != (member.get("CacheParameterGroup") or {}).get("CacheParameterGroupName"):
            modify["CacheParameterGroupName"] = params["cache_parameter_group_name"]
    return modify, immutable


def describe(client, name):
    try:
        return client.describe_replication_groups(aws_retry=True, ReplicationGroupId=name)["ReplicationGroups"][0]
    except is_boto3_error_code("ReplicationGroupNotFoundFault"):
        return None


def first_member(client, group):
    for cluster_id in group.get("MemberClusters", [])[:1]:
        try:
            found = client.describe_cache_clusters(aws_retry=True, CacheClusterId=cluster_id)["CacheClusters"]
        except is_boto3_error_code("CacheClusterNotFound"):
            return None
        return found[0] if found else None
    return None


def wait_for(module, client, name, gone=False):
    return wait_for_status(module, lambda: describe(client, name), "replication group %s" % name, gone=gone,
                           failed_statuses=("create-failed", "deleting"), delay=15)


def output(client, group):
    if not group:
        return {}
    out = camel_dict_to_snake_dict(group)
    if group.get("ARN"):
        out["tags"] = resource_tags(client, group["ARN"])
    return out


def ensure_present(module, client):
    p = module.params
    name = p["name"]
    group = describe(client, name)
    diff = {"before": {}, "after": {}}
    if group is None:
        if not p["cache_subnet_group_name"]:
            module.fail_json(msg="replication group %s does not exist; creating it needs cache_subnet_group_name" % name)
        diff["after"] = {"name": name, "engine_version": p["engine_version"], "cache_node_type": p["cache_node_type"]}
        if module.check_mode:
            module.exit_json(changed=True, replication_group={"replication_group_id": name, "status": None}, diff=diff)
        kwargs = dict(ReplicationGroupId=name, ReplicationGroupDescription=p["description"] or name, Engine="redis",
                      CacheNodeType=p["cache_node_type"], NumCacheClusters=p["num_cache_clusters"],
                      CacheSubnetGroupName=p["cache_subnet_group_name"], AtRestEncryptionEnabled=p["at_rest_encryption"],
                      TransitEncryptionEnabled=p["transit_encryption"], Tags=ansible_dict_to_boto3_tag_list(p["tags"] or {}))
        for option, api_key in (("engine_version", "EngineVersion"), ("security_group_ids", "SecurityGroupIds"),
                                ("cache_parameter_group_name", "CacheParameterGroupName"),
                                ("automatic_failover", "AutomaticFailoverEnabled"), ("multi_az", "MultiAZEnabled"),
                                ("snapshot_retention_limit", "SnapshotRetentionLimit")):
            if p[option] is not None:
                kwargs[api_key] = p[option]
        group = client.create_replication_group(aws_retry=True, **kwargs)["ReplicationGroup"]
        changed = True
    else:
        modify, immutable = changes(group, first_member(client, group), p)
        if immutable:
            module.fail_json(msg="replication group %s cannot change: %s; delete it (state=absent) to recreate it"
                                 % (name, "; ".join(immutable)))
        changed = bool(modify)
        if modify:
            diff["before"] = dict((k, group.get(k)) for k in modify)
            diff["after"] = dict(modify)
            if not module.check_mode:
                client.modify_replication_group(aws_retry=True, ReplicationGroupId=name,
                                                ApplyImmediately=p["apply_immediately"], **modify)
        changed |= sync_resource_tags(module, client, group["ARN"])
    if p["wait"] and not module.check_mode:
        group = wait_for(module, client, name)
    elif not module.check_mode:
        group = describe(client, name)
    module.exit_json(changed=changed, replication_group=output(client, group), diff=diff)


def ensure_absent(module, client):
    name = module.params["name"]
    group = describe(client, name)
    if group is None:
        module.exit_json(changed=False, replication_group={})
    if module.check_mode:
        module.exit_json(changed=group["Status"] != "deleting", replication_group=output(client, group))
    changed = False
    if group["Status"] != "deleting":
        kwargs = {"FinalSnapshotIdentifier": module.params["final_snapshot_identifier"]} \
            if module.params["final_snapshot_identifier"] else {}
        try:
            client.delete_replication_group(aws_retry=True, ReplicationGroupId=name, RetainPrimaryCluster=False, **kwargs)
            changed = True
        except is_boto3_error_code("ReplicationGroupNotFoundFault"):
            module.exit_json(changed=False, replication_group={})
    if module.params["wait"]:
        wait_for(module, client, name, gone=True)
        module.exit_json(changed=changed, replication_group={})
    module.exit_json(changed=changed, replication_group=output(client, describe(client, name)))


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["replication_group_id"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str"),
        engine_version=dict(type="str"),
        cache_node_type=dict(type="str", default="cache.t4g.micro"),
        num_cache_clusters=dict(type="int", default=1),
        cache_subnet_group_name=dict(type="str"),
        security_group_ids=dict(type="list", elements="str"),
        cache_parameter_group_name=dict(type="str"),
        at_rest_encryption=dict(type="bool", default=True),
        transit_encryption=dict(type="bool", default=True),
        automatic_failover=dict(type="bool"),
        multi_az=dict(type="bool"),
        snapshot_retention_limit=dict(type="int"),
        final_snapshot_identifier=dict(type="str"),
        apply_immediately=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = CoherenceAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("elasticache", retry_decorator=AWSRetry.jittered_backoff(
        catch_extra_error_codes=["InvalidReplicationGroupState"]))
    module.run_state(client, ensure_present, ensure_absent, "ElastiCache request failed")


if __name__ == "__main__":
    main()
