# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: ecs_roles
author: coherence.aws contributors (@coherence-aws)
version_added: 0.1.0
short_description: The IAM roles of an environment's ECS workloads, with their least-privilege policies
description:
  - Takes the app model and returns the task execution role, each service's task role and the
    events role (when the app has scheduled tasks), each with its trust policy (its service, this
    account only) and its policy, every resource named by ARN from the model's account, region and
    partition, as the iam_roles module takes them.
options:
  _input:
    description: The app model (C(coherence_app)).
    type: dict
    required: true
  key_arn:
    description: ARN of the environment's KMS key; unset names the key by its alias (a condition).
    type: str
"""

EXAMPLES = r"""
- name: The environment's roles
  coherence.aws.iam_roles:
    path: "{{ coherence_app.ecs.iam_path }}"
    roles: "{{ coherence_app | coherence.aws.ecs_roles(key_arn) }}"
    tags: "{{ coherence_app.tags.environment }}"
"""

RETURN = r"""
_value:
  description: Roles, each C({name, description, trust_policy, policy}) (policy none when the role needs none).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.coherence.aws.plugins.plugin_utils.ecs import iam_roles


def ecs_roles(model, key_arn=None):
    if not model.get("ecs"):
        raise AnsibleFilterError("ecs_roles: the app has no backend service")
    return iam_roles(model, key_arn or None)


class FilterModule(object):
    def filters(self):
        return {"ecs_roles": ecs_roles}
