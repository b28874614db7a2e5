#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: iam_roles
short_description: Manage an environment's IAM roles (trust, one inline policy, tags) under its own path, in one call
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Brings the IAM roles under O(path) to what the task lists, in one invocation (an environment
    has several roles, and a task per role and another per policy cost a second each); for each
    role, its trust policy, description and tags, and exactly one inline policy named after the
    role (or none); other inline policies are deleted and managed policies detached.
  - Policies are compared as documents (the order of statements, actions and resources does not count).
  - With O(purge=true), roles under O(path) that carry every tag of O(tags) and that the task does
    not list are deleted (their policies and instance profile memberships first); with
    O(state=absent), all of them.
  - amazon.aws.iam_role and amazon.aws.iam_policy handle one role or policy per call.
options:
  path:
    description: The roles' IAM path (C(/coherence/<app>/<env>/)); what O(purge) and O(state=absent) look under.
    type: str
    required: true
  roles:
    description: The roles.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The role's name.
        type: str
        required: true
      description:
        description: The role's description.
        type: str
        default: ""
      trust_policy:
        description: The trust (assume role) policy document.
        type: dict
        required: true
      policy:
        description: The role's inline policy document (named after the role); none leaves the role without one.
        type: dict
extends_documentation_fragment: [coherence.aws.environment_set, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: The environment's roles (the ecs_roles filter gives name, description, trust_policy, policy)
  coherence.aws.iam_roles:
    path: /coherence/shop/review/
    roles: "{{ coherence_app | coherence.aws.ecs_roles(key_arn) }}"
    tags: {Application: shop, EnvironmentName: review, ManagedBy: coherence}

- name: Remove every role of the environment
  coherence.aws.iam_roles:
    path: /coherence/shop/review/
    state: absent
    tags: {Application: shop, EnvironmentName: review, ManagedBy: coherence}
"""

RETURN = r"""
roles:
  description: The roles' ARNs by name (none in check mode before creation).
  returned: always
  type: dict
removed:
  description: Names of the roles removed.
  returned: always
  type: list
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.coherence.aws.plugins.module_utils.ecs import EnvironmentSet
from ansible_collections.coherence.aws.plugins.module_utils.ecs import owned
from ansible_collections.coherence.aws.plugins.module_utils.ecs import paginate
from ansible_collections.coherence.aws.plugins.module_utils.ecs import run_set_module
from ansible_collections.coherence.aws.plugins.module_utils.ecs import tag_dict
from ansible_collections.coherence.aws.plugins.module_utils.iam import delete_role
from ansible_collections.coherence.aws.plugins.module_utils.iam import differs
from ansible_collections.coherence.aws.plugins.module_utils.iam import document
from ansible_collections.coherence.aws.plugins.module_utils.iam import strip_role


class Roles(EnvironmentSet):
    def __init__(self, module):
        super(Roles, self).__init__(module, "iam")
        self.iam = self.clients[0]

    def existing(self):
        out = {}
        for role in paginate(self.iam, "list_roles", "Roles", PathPrefix=self.params["path"]):
            if role["Path"] != self.params["path"]:
                continue  # a deeper path is someone else's
            role = self.iam.get_role(aws_retry=True, RoleName=role["RoleName"])["Role"]
            role["Tags"] = tag_dict(role.get("Tags"), "Key", "Value")
            if owned(role["Tags"], self.owner):
                out[role["RoleName"]] = role
        return out

    def policies(self, name):
        return paginate(self.iam, "list_role_policies", "PolicyNames", RoleName=name)

    def ensure(self, item, role):
        name, check = item["name"], self.check
        if role is None:
            self.note("role " + name, {}, {"trust_policy": item["trust_policy"], "policy": item["policy"]})
            if check:
                return None
            role = self.iam.create_role(aws_retry=True, RoleName=name, Path=self.params["path"],
                                        AssumeRolePolicyDocument=json.dumps(item["trust_policy"]),
                                        Description=item["description"],
                                        Tags=ansible_dict_to_boto3_tag_list(self.owner))["Role"]
            if item["policy"]:
                self.iam.put_role_policy(aws_retry=True, RoleName=name, PolicyName=name,
                                         PolicyDocument=json.dumps(item["policy"]))
            return role["Arn"]
        if differs(role.get("AssumeRolePolicyDocument"), item["trust_policy"]):
            self.note("role %s trust" % name, document(role.get("AssumeRolePolicyDocument")), item["trust_policy"])
            if not check:
                self.iam.update_assume_role_policy(aws_retry=True, RoleName=name, PolicyDocument=json.dumps(item["trust_policy"]))
        if role.get("Description", "") != item["description"]:
            self.note("role %s description" % name, role.get("Description", ""), item["description"])
            if not check:
                self.iam.update_role(aws_retry=True, RoleName=name, Description=item["description"])
        missing = dict((k, v) for k, v in self.owner.items() if role["Tags"].get(k) != v)
        if missing:
            self.note("role %s tags" % name, role["Tags"], dict(role["Tags"], **missing))
            if not check:
                self.iam.tag_role(aws_retry=True, RoleName=name, Tags=ansible_dict_to_boto3_tag_list(missing))
        names = self.policies(name)
        have = self.iam.get_role_policy(aws_retry=True, RoleName=name, PolicyName=name)["PolicyDocument"] \
            if name in names else None
        if differs(have, item["policy"]):
            self.note("role %s policy" % name, document(have) or {}, item["policy"] or {})
            if not check:
                if item["policy"]:
                    self.iam.put_role_policy(aws_retry=True, RoleName=name, PolicyName=name,
                                             PolicyDocument=json.dumps(item["policy"]))
                else:
                    self.iam.delete_role_policy(aws_retry=True, RoleName=name, PolicyName=name)
        self.strip(name, [n for n in names if n != name])
        return role["Arn"]

    def strip(self, name, inline):
        """Remove what the task does not give a role: other inline policies, managed policies."""
        attached = [p["PolicyArn"] for p in
                    paginate(self.iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name)]
        if inline or attached:
            self.note("role %s other policies" % name, {"inline": inline, "managed": attached}, {})
            if not self.check:
                strip_role(self.iam, name, inline, attached)

    def remove(self, name):
        self.note("role " + name, {"name": name}, {})
        if not self.check:
            delete_role(self.iam, name)

    def run(self):
        path = self.params["path"]
        if not (path.startswith("/") and path.endswith("/")):
            self.module.fail_json(msg="path: %r must begin and end with / (for example /coherence/shop/review/)" % path)
        roles, removed = self.converge(self.wanted("roles"), self.existing())
        self.exit(roles=roles, removed=removed)


def main():
    run_set_module(Roles, "IAM request failed", dict(
        path=dict(type="str", required=True),
        roles=dict(type="list", elements="dict", default=[], options=dict(
            name=dict(type="str", required=True),
            description=dict(type="str", default=""),
            trust_policy=dict(type="dict", required=True),
            policy=dict(type="dict"),
        )),
    ))


if __name__ == "__main__":
    main()
