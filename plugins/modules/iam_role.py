#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: iam_role
short_description: Manage an IAM role with its managed and inline policies
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Creates, updates and deletes an IAM role, the managed policies attached to it and its inline
    policies, in one call.
  - Only what the task sets is compared and changed.
  - "Why not M(amazon.aws.iam_role): it prints deprecation warnings on every call (its
    C(assume_role_policy_document_raw) return value, its instance-profile options), and a role's
    inline policy needs M(amazon.aws.iam_policy), which fails in check mode when the role does not
    exist yet. Instance profiles are M(amazon.aws.iam_instance_profile)'s."
options:
  name:
    description: The role's name.
    type: str
    required: true
    aliases: [role_name]
  description:
    description: The role's description.
    type: str
  assume_role_policy_document:
    description: Who may assume the role (the trust policy). Required to create a role.
    type: json
  managed_policies:
    description:
      - ARNs of the managed policies attached to the role; any other attached policy is detached.
      - Unset leaves the attached policies as they are.
    type: list
    elements: str
  inline_policies:
    description:
      - The role's inline policies, by name; any other inline policy is deleted.
      - Unset leaves the inline policies as they are.
    type: dict
  wait:
    description: After creating the role, wait until IAM's reads return it.
    type: bool
    default: true
notes:
  - With O(state=absent), the role leaves every instance profile it is in first, and the profile
    of the role's own name (the one M(amazon.aws.iam_role) made by default) is deleted.
extends_documentation_fragment: [coherence.aws.common, coherence.aws.common.resource, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
seealso:
  - name: IAM roles
    description: Roles, trust policies, managed and inline policies.
    link: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles.html
"""

EXAMPLES = r"""
- name: A role for RDS Proxy that reads one secret
  coherence.aws.iam_role:
    name: shop-review-api-db-proxy
    assume_role_policy_document:
      Version: "2012-10-17"
      Statement:
        - {Effect: Allow, Principal: {Service: rds.amazonaws.com}, Action: sts:AssumeRole}
    inline_policies:
      read-database-secret:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: "{{ secret_arn }}"}
    tags: {Application: shop}
  register: proxy_role

- name: Delete it
  coherence.aws.iam_role:
    name: shop-review-api-db-proxy
    state: absent
"""

RETURN = r"""
iam_role:
  description: The role (empty after deletion; C(arn) is null in check mode for a new role).
  returned: always
  type: dict
  contains:
    arn:
      description: The role's ARN.
      type: str
      sample: arn:aws:iam::123456789012:role/shop-review-api-db-proxy
    role_name:
      description: The role's name.
      type: str
    managed_policies:
      description: ARNs of the attached managed policies.
      type: list
      elements: str
    inline_policies:
      description: Names of the inline policies.
      type: list
      elements: str
    tags:
      description: The role's tags.
      type: dict
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.coherence.aws.plugins.module_utils.iam import MISSING
from ansible_collections.coherence.aws.plugins.module_utils.iam import delete_role
from ansible_collections.coherence.aws.plugins.module_utils.iam import document as _document
from ansible_collections.coherence.aws.plugins.module_utils.iam import listed as _listed
from ansible_collections.coherence.aws.plugins.module_utils.modules import run_resource_module
from ansible_collections.coherence.aws.plugins.module_utils.resources import delete
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_list
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_one


def current(client, name):
    """The role with its policies and tags, or None."""
    role = describe_one(client, "get_role", "Role", MISSING, RoleName=name)
    if role is None:
        return None
    inline = {}
    for policy in _listed(client, "list_role_policies", "PolicyNames", name):
        inline[policy] = _document(describe_one(client, "get_role_policy", "PolicyDocument", MISSING, RoleName=name,
                                                PolicyName=policy))
    return {
        "arn": role["Arn"], "role_name": name, "description": role.get("Description") or "",
        "assume_role_policy_document": _document(role.get("AssumeRolePolicyDocument")),
        "managed_policies": sorted(p["PolicyArn"] for p in _listed(client, "list_attached_role_policies",
                                                                   "AttachedPolicies", name)),
        "inline_policies": inline,
        "tags": boto3_tag_list_to_ansible_dict(describe_list(client, "list_role_tags", "Tags", MISSING, RoleName=name)),
    }


def output(role):
    if not role:
        return {}
    return dict(role, inline_policies=sorted(role["inline_policies"]))


def create(module, client, name):
    params = module.params
    if not params["assume_role_policy_document"]:
        module.fail_json(msg="role %s does not exist; creating it needs assume_role_policy_document" % name)
    want = {"arn": None, "role_name": name, "description": params["description"] or "",
            "assume_role_policy_document": _document(params["assume_role_policy_document"]),
            "managed_policies": sorted(params["managed_policies"] or []),
            "inline_policies": dict((k, _document(v)) for k, v in (params["inline_policies"] or {}).items()),
            "tags": params["tags"] or {}}
    if module.check_mode:
        return want
    kwargs = dict(RoleName=name, AssumeRolePolicyDocument=json.dumps(want["assume_role_policy_document"]),
                  Tags=ansible_dict_to_boto3_tag_list(want["tags"]))
    if params["description"]:
        kwargs["Description"] = params["description"]
    client.create_role(aws_retry=True, **kwargs)
    if params["wait"]:
        client.get_waiter("role_exists").wait(RoleName=name, WaiterConfig={
            "Delay": 2, "MaxAttempts": max(1, params["wait_timeout"] // 2)})
    for arn in want["managed_policies"]:
        client.attach_role_policy(aws_retry=True, RoleName=name, PolicyArn=arn)
    for policy, document in want["inline_policies"].items():
        client.put_role_policy(aws_retry=True, RoleName=name, PolicyName=policy, PolicyDocument=json.dumps(document))
    return current(client, name)


def update(module, client, role):
    """Bring the set options to the role; (changed, before, after) of what was compared."""
    params, name, write = module.params, role["role_name"], not module.check_mode
    before, after = {}, {}
    if params["description"] is not None and params["description"] != role["description"]:
        before["description"], after["description"] = role["description"], params["description"]
        if write:
            client.update_role(aws_retry=True, RoleName=name, Description=params["description"])
    trust = _document(params["assume_role_policy_document"])
    if trust is not None and compare_policies(role["assume_role_policy_document"], trust):
        before["assume_role_policy_document"], after["assume_role_policy_document"] = \
            role["assume_role_policy_document"], trust
        if write:
            client.update_assume_role_policy(aws_retry=True, RoleName=name, PolicyDocument=json.dumps(trust))
    if params["managed_policies"] is not None and sorted(set(params["managed_policies"])) != role["managed_policies"]:
        want = sorted(set(params["managed_policies"]))
        before["managed_policies"], after["managed_policies"] = role["managed_policies"], want
        if write:
            for arn in set(role["managed_policies"]) - set(want):
                client.detach_role_policy(aws_retry=True, RoleName=name, PolicyArn=arn)
            for arn in set(want) - set(role["managed_policies"]):
                client.attach_role_policy(aws_retry=True, RoleName=name, PolicyArn=arn)
    if params["inline_policies"] is not None:
        want = dict((k, _document(v)) for k, v in params["inline_policies"].items())
        have = role["inline_policies"]
        differ = sorted(k for k in want if k not in have or compare_policies(have[k], want[k]))
        extra = sorted(set(have) - set(want))
        if differ or extra:
            before["inline_policies"], after["inline_policies"] = have, want
            if write:
                for policy in differ:
                    client.put_role_policy(aws_retry=True, RoleName=name, PolicyName=policy,
                                           PolicyDocument=json.dumps(want[policy]))
                for policy in extra:
                    delete(client, "delete_role_policy", MISSING, RoleName=name, PolicyName=policy)
    if params["tags"] is not None:
        add, remove = compare_aws_tags(role["tags"], params["tags"], params["purge_tags"])
        if add or remove:
            before["tags"] = role["tags"]
            after["tags"] = dict((k, v) for k, v in dict(role["tags"], **add).items() if k not in remove)
            if write and add:
                client.tag_role(aws_retry=True, RoleName=name, Tags=ansible_dict_to_boto3_tag_list(add))
            if write and remove:
                client.untag_role(aws_retry=True, RoleName=name, TagKeys=remove)
    return bool(after), before, after


def ensure_present(module, client):
    name = module.params["name"]
    role = current(client, name)
    if role is None:
        made = create(module, client, name)
        module.exit_changed(True, {}, made, iam_role=output(made))
    changed, before, after = update(module, client, role)
    role = current(client, name) if changed and not module.check_mode else role
    module.exit_changed(changed, before, after, iam_role=output(role))


def ensure_absent(module, client):
    name = module.params["name"]
    role = current(client, name)
    if role is None:
        module.exit_changed(False, {}, {}, iam_role={})
    if not module.check_mode:
        delete_role(client, name, own_profile=True)
    module.exit_changed(True, output(role), {}, iam_role={})


def main():
    options = dict(
        name=dict(type="str", required=True, aliases=["role_name"]),
        description=dict(type="str"),
        assume_role_policy_document=dict(type="json"),
        managed_policies=dict(type="list", elements="str"),
        inline_policies=dict(type="dict"),
    )
    run_resource_module("iam", options, ensure_present, ensure_absent, "IAM role request failed",
                        retry_codes=["ConcurrentModification"])


if __name__ == "__main__":
    main()
