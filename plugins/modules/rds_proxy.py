#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: rds_proxy
short_description: Manage an RDS Proxy and the database behind it
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Creates, updates and deletes an Amazon RDS Proxy, and registers the DB instance or cluster it
    pools connections for in the proxy's default target group.
  - Only what the task sets is compared and changed. The engine family and the subnets cannot
    change on an existing proxy; asking for other values fails rather than replacing it.
  - amazon.aws has no module for RDS Proxy.
options:
  name:
    description: The proxy's name (1-63 letters, digits and hyphens, starting with a letter).
    type: str
    required: true
    aliases: [db_proxy_name]
  engine_family:
    description: The database's engine family. Required to create a proxy.
    type: str
    choices: [POSTGRESQL, MYSQL, SQLSERVER]
  auth:
    description:
      - How the proxy logs in to the database; each item names a Secrets Manager secret holding
        C(username) and C(password). Required to create a proxy.
    type: list
    elements: dict
    suboptions:
      secret_arn:
        description: ARN of the secret.
        type: str
        required: true
      iam_auth:
        description: Whether clients must use IAM authentication.
        type: str
        choices: [DISABLED, REQUIRED, ENABLED]
        default: DISABLED
      description:
        description: A description of this login.
        type: str
  role_arn:
    description:
      - The IAM role the proxy uses to read the secrets (C(secretsmanager:GetSecretValue) on
        them, and C(kms:Decrypt) when they use a customer key). Required to create a proxy.
    type: str
  vpc_subnet_ids:
    description: Subnets of the proxy, in at least two availability zones. Required to create a proxy.
    type: list
    elements: str
  vpc_security_group_ids:
    description: Security groups of the proxy.
    type: list
    elements: str
  require_tls:
    description: Whether clients must connect with TLS; on when a new proxy is created without it.
    type: bool
  idle_client_timeout:
    description: Seconds a client connection may be idle before the proxy closes it.
    type: int
  debug_logging:
    description: Whether the proxy logs SQL statements (never in production; they may hold secrets).
    type: bool
  db_instance_identifier:
    description: The DB instance to register as the proxy's target. Mutually exclusive with O(db_cluster_identifier).
    type: str
  db_cluster_identifier:
    description: The DB (Aurora) cluster to register as the proxy's target.
    type: str
  wait:
    description: Wait until the proxy is C(available) (or, with O(state=absent), gone).
    type: bool
    default: true
notes:
  - Targets are registered, not waited for; a target is C(REGISTERING) and becomes C(AVAILABLE)
    once its database is (on the embedded AWS, the first read says C(REGISTERING), later ones
    C(AVAILABLE)).
  - The embedded AWS (moto) lacks C(ModifyDBProxy); its fidelity patch applies it as AWS
    documents (docs/embedded-aws.md).
extends_documentation_fragment: [coherence.aws.common, coherence.aws.common.resource, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
seealso:
  - name: Amazon RDS Proxy
    description: The proxy, its target group and its logins.
    link: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.html
"""

EXAMPLES = r"""
- name: Pool connections to the environment's database
  coherence.aws.rds_proxy:
    name: shop-review-api-db
    engine_family: POSTGRESQL
    auth:
      - secret_arn: "{{ db_secret.secret.arn }}"
    role_arn: "{{ proxy_role.iam_role.arn }}"
    vpc_subnet_ids: "{{ coherence_network.private_subnet_ids }}"
    vpc_security_group_ids: ["{{ coherence_network.security_groups.database }}"]
    db_instance_identifier: shop-review-api-db
    tags: {Application: shop}
  register: proxy

- name: Delete it
  coherence.aws.rds_proxy:
    name: shop-review-api-db
    state: absent
"""

RETURN = r"""
proxy:
  description: The proxy, as DescribeDBProxies returns it in snake_case (empty after deletion).
  returned: always
  type: dict
  contains:
    db_proxy_arn:
      description: The proxy's ARN.
      type: str
    endpoint:
      description: The host name clients connect to.
      type: str
      sample: shop-review-api-db.proxy-abcdefghijkl.us-east-1.rds.amazonaws.com
    status:
      description: C(creating), C(available), C(modifying), ...
      type: str
    tags:
      description: The proxy's tags.
      type: dict
targets:
  description: The registered targets, as DescribeDBProxyTargets returns them in snake_case.
  returned: success and state is present
  type: list
  elements: dict
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.coherence.aws.plugins.module_utils.modules import run_resource_module
from ansible_collections.coherence.aws.plugins.module_utils.resources import delete
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_list
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_one
from ansible_collections.coherence.aws.plugins.module_utils.tagging import resource_tags
from ansible_collections.coherence.aws.plugins.module_utils.tagging import sync_resource_tags
from ansible_collections.coherence.aws.plugins.module_utils.waiting import wait_or_fail

CREATE_REQUIRED = ("engine_family", "auth", "role_arn", "vpc_subnet_ids")
# option -> (DescribeDBProxies key, ModifyDBProxy key)
MUTABLE = {
    "role_arn": ("RoleArn", "RoleArn"),
    "require_tls": ("RequireTLS", "RequireTLS"),
    "idle_client_timeout": ("IdleClientTimeout", "IdleClientTimeout"),
    "debug_logging": ("DebugLogging", "DebugLogging"),
}


def auth_to_api(auth):
    out = []
    for item in auth or []:
        entry = {"AuthScheme": "SECRETS", "SecretArn": item["secret_arn"], "IAMAuth": item.get("iam_auth") or "DISABLED"}
        if item.get("description"):
            entry["Description"] = item["description"]
        out.append(entry)
    return out


def _auth_key(entry):
    return (entry.get("SecretArn"), entry.get("IAMAuth", "DISABLED"), entry.get("Description") or "")


def changes(current, params):
    """What ModifyDBProxy must change to reach params: (modify kwargs, immutable differences).

    Only options the task set are compared (None means "leave as it is")."""
    modify, immutable = {}, []
    if params.get("engine_family") and params["engine_family"] != current.get("EngineFamily"):
        immutable.append("engine_family is %s, not %s" % (current.get("EngineFamily"), params["engine_family"]))
    if params.get("vpc_subnet_ids") is not None and sorted(params["vpc_subnet_ids"]) != sorted(current.get("VpcSubnetIds", [])):
        immutable.append("vpc_subnet_ids are %s" % ", ".join(sorted(current.get("VpcSubnetIds", []))))
    for option, (have_key, api_key) in MUTABLE.items():
        if params.get(option) is not None and params[option] != current.get(have_key):
            modify[api_key] = params[option]
    if params.get("vpc_security_group_ids") is not None and \
            sorted(params["vpc_security_group_ids"]) != sorted(current.get("VpcSecurityGroupIds", [])):
        modify["SecurityGroups"] = params["vpc_security_group_ids"]
    if params.get("auth") is not None:
        want = auth_to_api(params["auth"])
        if sorted(map(_auth_key, want)) != sorted(map(_auth_key, current.get("Auth", []))):
            modify["Auth"] = want
    return modify, immutable


# ModifyDBProxy key -> DescribeDBProxies key, for the diff's "before".
DESCRIBED = dict((api_key, have_key) for have_key, api_key in MUTABLE.values())
DESCRIBED.update(SecurityGroups="VpcSecurityGroupIds", Auth="Auth")


def describe(client, name):
    return describe_one(client, "describe_db_proxies", "DBProxies", "DBProxyNotFoundFault", DBProxyName=name)


def targets(client, name):
    return describe_list(client, "describe_db_proxy_targets", "Targets",
                         ["DBProxyTargetGroupNotFoundFault", "DBProxyNotFoundFault"], DBProxyName=name,
                         TargetGroupName="default")


def wait_for(module, client, name, gone=False):
    wait_or_fail(module, client, "db_proxy_deleted" if gone else "db_proxy_available", "proxy %s" % name,
                 DBProxyName=name)


def ensure_targets(module, client, name, have):
    """Register the wanted instance or cluster; deregister any other instance.
    (changed, registered ids before, registered ids after)."""
    registered = sorted(set(t.get("RdsResourceId") for t in have if t.get("Type") in ("RDS_INSTANCE", "TRACKED_CLUSTER")))
    want_instance, want_cluster = module.params["db_instance_identifier"], module.params["db_cluster_identifier"]
    wanted = want_instance or want_cluster
    if not wanted:
        return False, registered, registered
    extra_instances = [t["RdsResourceId"] for t in have if t.get("Type") == "RDS_INSTANCE" and t["RdsResourceId"] != wanted
                       and not want_cluster]
    after = sorted(set(registered) - set(extra_instances) | set([wanted]))
    if wanted in registered and not extra_instances:
        return False, registered, after
    if not module.check_mode:
        if extra_instances:
            client.deregister_db_proxy_targets(aws_retry=True, DBProxyName=name, TargetGroupName="default",
                                               DBInstanceIdentifiers=extra_instances)
        if wanted not in registered:
            kwargs = {"DBInstanceIdentifiers": [want_instance]} if want_instance else {"DBClusterIdentifiers": [want_cluster]}
            client.register_db_proxy_targets(aws_retry=True, DBProxyName=name, TargetGroupName="default", **kwargs)
    return True, registered, after


def output(module, client, proxy):
    if not proxy:
        return {}
    out = camel_dict_to_snake_dict(proxy)
    out["tags"] = resource_tags(module, client, proxy["DBProxyArn"]) if proxy.get("DBProxyArn") else {}
    return out


def create(module, client, name):
    # In check mode the values may come from resources not made yet (a role, a secret).
    missing = [o for o in CREATE_REQUIRED if not module.params[o]]
    if missing and not module.check_mode:
        module.fail_json(msg="proxy %s does not exist; creating it needs %s" % (name, ", ".join(missing)))
    kwargs = dict(DBProxyName=name, EngineFamily=module.params["engine_family"],
                  Auth=auth_to_api(module.params["auth"]), RoleArn=module.params["role_arn"],
                  VpcSubnetIds=module.params["vpc_subnet_ids"], RequireTLS=module.params["require_tls"] is not False)
    for option, api_key in (("vpc_security_group_ids", "VpcSecurityGroupIds"),
                            ("idle_client_timeout", "IdleClientTimeout"), ("debug_logging", "DebugLogging")):
        if module.params[option] is not None:
            kwargs[api_key] = module.params[option]
    after = dict(kwargs, Tags=module.params["tags"] or {})
    if not module.check_mode:
        client.create_db_proxy(aws_retry=True, Tags=ansible_dict_to_boto3_tag_list(module.params["tags"] or {}), **kwargs)
    return after


def ensure_present(module, client):
    name = module.params["name"]
    proxy = describe(client, name)
    if proxy is None:
        before, after = {}, create(module, client, name)
        if module.check_mode:
            wanted = module.params["db_instance_identifier"] or module.params["db_cluster_identifier"]
            after["Targets"] = [wanted] if wanted else []
            module.exit_changed(True, before, after, proxy={"db_proxy_name": name, "status": None}, targets=[])
        changed = True
    else:
        modify, immutable = changes(proxy, module.params)
        if immutable:
            module.fail_json(msg="proxy %s cannot change: %s; delete it (state=absent) to recreate it"
                                 % (name, "; ".join(immutable)))
        before = dict((k, proxy.get(DESCRIBED[k])) for k in modify)
        after = dict(modify)
        if modify and not module.check_mode:
            client.modify_db_proxy(aws_retry=True, DBProxyName=name, **modify)
        tags_changed, before["Tags"], after["Tags"] = sync_resource_tags(module, client, proxy["DBProxyArn"])
        changed = bool(modify) or tags_changed
    if module.params["wait"] and not module.check_mode:
        wait_for(module, client, name)
    targets_changed, before["Targets"], after["Targets"] = ensure_targets(module, client, name, targets(client, name))
    changed |= targets_changed
    proxy = describe(client, name) if not module.check_mode else proxy
    module.exit_changed(changed, before, after, proxy=output(module, client, proxy),
                        targets=[camel_dict_to_snake_dict(t) for t in targets(client, name)])


def ensure_absent(module, client):
    name = module.params["name"]
    proxy = describe(client, name)
    if proxy is None:
        module.exit_changed(False, {}, {}, proxy={})
    before = {"DBProxyName": name, "Status": proxy["Status"], "Endpoint": proxy.get("Endpoint")}
    changed = True
    if not module.check_mode:
        if proxy["Status"] != "deleting":
            changed = delete(client, "delete_db_proxy", "DBProxyNotFoundFault", DBProxyName=name)
        if module.params["wait"]:
            wait_for(module, client, name, gone=True)
    module.exit_changed(changed, before, {}, proxy={})


def main():
    options = dict(
        name=dict(type="str", required=True, aliases=["db_proxy_name"]),
        engine_family=dict(type="str", choices=["POSTGRESQL", "MYSQL", "SQLSERVER"]),
        auth=dict(type="list", elements="dict", no_log=False, options=dict(
            secret_arn=dict(type="str", required=True, no_log=False),
            iam_auth=dict(type="str", choices=["DISABLED", "REQUIRED", "ENABLED"], default="DISABLED"),
            description=dict(type="str"),
        )),
        role_arn=dict(type="str"),
        vpc_subnet_ids=dict(type="list", elements="str"),
        vpc_security_group_ids=dict(type="list", elements="str"),
        require_tls=dict(type="bool"),
        idle_client_timeout=dict(type="int"),
        debug_logging=dict(type="bool"),
        db_instance_identifier=dict(type="str"),
        db_cluster_identifier=dict(type="str"),
    )
    run_resource_module("rds", options, ensure_present, ensure_absent, "RDS Proxy request failed",
                        retry_codes=["InvalidDBProxyStateFault"],
                        mutually_exclusive=[("db_instance_identifier", "db_cluster_identifier")])


if __name__ == "__main__":
    main()
