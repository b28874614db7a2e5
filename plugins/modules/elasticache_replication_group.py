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
  description:
    description: The group's description (the group's id when creating without one).
    type: str
  engine_version:
    description: The Redis OSS version, for example C(7.1). Compared only where AWS reports it.
    type: str
  cache_node_type:
    description:
      - The node type. A new group gets C(cache.t4g.micro) when this is unset; an existing
        group's node type is then left as it is (a resize made outside is kept).
    type: str
  num_cache_clusters:
    description: Nodes in the group (1 primary plus replicas), used when creating; 1 when unset.
    type: int
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
    description: Encrypt data at rest. Cannot change after creation; on when a new group is created without it.
    type: bool
  transit_encryption:
    description:
      - Require TLS between clients and the cache; on when a new group is created without it.
      - Turning it on for an existing group takes two modifications, as AWS requires
        (C(preferred), then C(required)), with a wait between them; turning it off goes through
        C(preferred) too.
    type: bool
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
notes:
  - On the embedded AWS (moto), member clusters are not described (so the engine version and
    security groups of an existing group are not compared there), and creation is instant.
extends_documentation_fragment: [coherence.aws.common, coherence.aws.common.resource, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
seealso:
  - name: ElastiCache in-transit encryption
    description: Why TLS goes on through C(preferred).
    link: https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption-enable-existing.html
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

- name: Later, where its endpoint is needed (changes nothing; waits until it is available)
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
      description: Whether TLS is on.
      type: bool
    transit_encryption_mode:
      description: C(required) (clients must use TLS) or C(preferred) (both, while clients move over).
      type: str
    at_rest_encryption_enabled:
      description: Whether data is encrypted at rest.
      type: bool
"""


from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.coherence.aws.plugins.module_utils.modules import run_resource_module
from ansible_collections.coherence.aws.plugins.module_utils.resources import delete
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_one
from ansible_collections.coherence.aws.plugins.module_utils.tagging import resource_tags
from ansible_collections.coherence.aws.plugins.module_utils.tagging import sync_resource_tags
from ansible_collections.coherence.aws.plugins.module_utils.waiting import wait_or_fail

ENABLED = {True: "enabled", False: "disabled"}
# Each option of the group: its type, and its CreateReplicationGroup parameter.
GROUP_OPTIONS = {
    "description": ("str", "ReplicationGroupDescription"),
    "engine_version": ("str", "EngineVersion"),
    "cache_node_type": ("str", "CacheNodeType"),
    "num_cache_clusters": ("int", "NumCacheClusters"),
    "cache_subnet_group_name": ("str", "CacheSubnetGroupName"),
    "security_group_ids": ("list", "SecurityGroupIds"),
    "cache_parameter_group_name": ("str", "CacheParameterGroupName"),
    "at_rest_encryption": ("bool", "AtRestEncryptionEnabled"),
    "transit_encryption": ("bool", "TransitEncryptionEnabled"),
    "automatic_failover": ("bool", "AutomaticFailoverEnabled"),
    "multi_az": ("bool", "MultiAZEnabled"),
    "snapshot_retention_limit": ("int", "SnapshotRetentionLimit"),
}
# What a new group gets for an option the task leaves unset; an existing group keeps its own.
CREATE_DEFAULTS = {"cache_node_type": "cache.t4g.micro", "num_cache_clusters": 1, "at_rest_encryption": True,
                   "transit_encryption": True}


def _tls_steps(group, want):
    """The ModifyReplicationGroup steps from the group's TLS setting to `want` (AWS: TLS goes on
    as 'preferred' and only a later modification makes it 'required'; off goes back the same way)."""
    enabled = bool(group.get("TransitEncryptionEnabled"))
    # Groups from before TLS modes existed report no mode: TLS on meant required.
    mode = group.get("TransitEncryptionMode") or ("required" if enabled else None)
    if want is None:
        return []
    if want:
        if not enabled:
            return [{"TransitEncryptionEnabled": True, "TransitEncryptionMode": "preferred"},
                    {"TransitEncryptionMode": "required"}]
        return [{"TransitEncryptionMode": "required"}] if mode != "required" else []
    if not enabled:
        return []
    if mode == "required":
        return [{"TransitEncryptionMode": "preferred"}, {"TransitEncryptionEnabled": False}]
    return [{"TransitEncryptionEnabled": False}]


def changes(group, member, params):
    """(ModifyReplicationGroup steps, immutable differences) to reach params from group.

    The steps are kwargs of successive calls (more than one only where AWS wants the group to
    settle in between). ``member`` is the first member cache cluster (engine version, security
    groups), or None where it cannot be described. Only options the task set are compared."""
    modify, immutable = {}, []
    if params.get("at_rest_encryption") is not None and params["at_rest_encryption"] != group.get("AtRestEncryptionEnabled"):
        immutable.append("at_rest_encryption is %s" % group.get("AtRestEncryptionEnabled"))
    if params.get("description") is not None and params["description"] != group.get("Description"):
        modify["ReplicationGroupDescription"] = params["description"]
    if params.get("cache_node_type") and params["cache_node_type"] != group.get("CacheNodeType"):
        modify["CacheNodeType"] = params["cache_node_type"]
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
    tls = _tls_steps(group, params.get("transit_encryption"))
    if tls:
        modify.update(tls[0])
    steps = ([modify] if modify else []) + tls[1:]
    return steps, immutable


def describe(client, name):
    return describe_one(client, "describe_replication_groups", "ReplicationGroups", "ReplicationGroupNotFoundFault",
                        ReplicationGroupId=name)


def first_member(client, group):
    for cluster_id in group.get("MemberClusters", [])[:1]:
        return describe_one(client, "describe_cache_clusters", "CacheClusters", "CacheClusterNotFound",
                            CacheClusterId=cluster_id)
    return None


def wait_for(module, client, name, gone=False):
    wait_or_fail(module, client, "replication_group_deleted" if gone else "replication_group_available",
                 "replication group %s" % name, ReplicationGroupId=name)


def output(module, client, group):
    if not group:
        return {}
    out = camel_dict_to_snake_dict(group)
    if group.get("ARN"):
        out["tags"] = resource_tags(module, client, group["ARN"])
    return out


def create(module, client):
    p = dict(CREATE_DEFAULTS, **dict((k, v) for k, v in module.params.items() if v is not None))
    kwargs = dict((api_key, p[option]) for option, (_type, api_key) in GROUP_OPTIONS.items() if option in p)
    kwargs.update(ReplicationGroupId=p["name"], Engine="redis")
    kwargs.setdefault("ReplicationGroupDescription", p["name"])
    if p["transit_encryption"]:
        kwargs["TransitEncryptionMode"] = "required"
    after = dict(kwargs, Tags=p.get("tags") or {})
    if not module.check_mode:
        client.create_replication_group(aws_retry=True, Tags=ansible_dict_to_boto3_tag_list(p.get("tags") or {}), **kwargs)
    return after


def ensure_present(module, client):
    p = module.params
    name = p["name"]
    group = describe(client, name)
    if group is None:
        if not p["cache_subnet_group_name"]:
            module.fail_json(msg="replication group %s does not exist; creating it needs cache_subnet_group_name" % name)
        before, after = {}, create(module, client)
        if module.check_mode:
            module.exit_changed(True, before, after, replication_group={"replication_group_id": name, "status": None})
        changed = True
    else:
        steps, immutable = changes(group, first_member(client, group), p)
        if immutable:
            module.fail_json(msg="replication group %s cannot change: %s; delete it (state=absent) to recreate it"
                                 % (name, "; ".join(immutable)))
        after = {}
        for step in steps:
            after.update(step)
        before = dict((k, group.get(k)) for k in after)
        for index, step in enumerate(steps):
            if not module.check_mode:
                if index:
                    wait_for(module, client, name)  # AWS takes the next step once the group settled
                client.modify_replication_group(aws_retry=True, ReplicationGroupId=name,
                                                ApplyImmediately=p["apply_immediately"], **step)
        tags_changed, before["Tags"], after["Tags"] = sync_resource_tags(module, client, group["ARN"])
        changed = bool(steps) or tags_changed
    if not module.check_mode:
        if p["wait"]:
            wait_for(module, client, name)
        group = describe(client, name)
    module.exit_changed(changed, before, after, replication_group=output(module, client, group))


def ensure_absent(module, client):
    name = module.params["name"]
    group = describe(client, name)
    if group is None:
        module.exit_changed(False, {}, {}, replication_group={})
    before = {"ReplicationGroupId": name, "Status": group["Status"]}
    changed = group["Status"] != "deleting"
    if changed and not module.check_mode:
        kwargs = {"FinalSnapshotIdentifier": module.params["final_snapshot_identifier"]} \
            if module.params["final_snapshot_identifier"] else {}
        changed = delete(client, "delete_replication_group", "ReplicationGroupNotFoundFault",
                         ReplicationGroupId=name, RetainPrimaryCluster=False, **kwargs)
    if module.check_mode:
        module.exit_changed(changed, before, {}, replication_group=output(module, client, group))
    if module.params["wait"]:
        wait_for(module, client, name, gone=True)
        module.exit_changed(changed, before, {}, replication_group={})
    module.exit_changed(changed, before, {}, replication_group=output(module, client, describe(client, name)))


def main():
    options = dict((option, dict(type=kind, elements="str") if kind == "list" else dict(type=kind))
                   for option, (kind, _api_key) in GROUP_OPTIONS.items())
    options.update(
        name=dict(type="str", required=True, aliases=["replication_group_id"]),
        final_snapshot_identifier=dict(type="str"),
        apply_immediately=dict(type="bool", default=True),
    )
    run_resource_module("elasticache", options, ensure_present, ensure_absent, "ElastiCache request failed",
                        retry_codes=["InvalidReplicationGroupState"])


if __name__ == "__main__":
    main()
