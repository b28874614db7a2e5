# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the IAM role modules share (iam_role: one role with its managed and inline policies;
iam_roles: an environment's roles under its path): reading a policy document and a role's
policies, and deleting a role with what holds on to it."""

import json

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.coherence.aws.plugins.module_utils.resources import delete

MISSING = "NoSuchEntity"


def document(value):
    """A policy document as IAM returns it (a dict; a URL-decoded JSON string in some answers)."""
    return json.loads(value) if isinstance(value, str) else value


def differs(have, wanted):
    """Whether two policy documents (either one possibly none) differ, statement order aside."""
    return bool(have) != bool(wanted) or (bool(wanted) and compare_policies(document(have), wanted))


def listed(client, operation, key, name):
    """Every item of a role's paginated listing (its policies, attached policies, profiles)."""
    return client.get_paginator(operation).paginate(RoleName=name).build_full_result()[key]


def strip_role(client, name, inline=None, attached=None):
    """Delete a role's inline policies and detach its managed ones (those given, else all)."""
    for policy in listed(client, "list_role_policies", "PolicyNames", name) if inline is None else inline:
        delete(client, "delete_role_policy", MISSING, RoleName=name, PolicyName=policy)
    attached = [p["PolicyArn"] for p in listed(client, "list_attached_role_policies", "AttachedPolicies", name)] \
        if attached is None else attached
    for arn in attached:
        client.detach_role_policy(aws_retry=True, RoleName=name, PolicyArn=arn)


def delete_role(client, name, own_profile=False):
    """Delete a role: out of every instance profile (the one of its own name deleted too with
    `own_profile`, as amazon.aws.iam_role made one by default), its policies, then itself."""
    for profile in listed(client, "list_instance_profiles_for_role", "InstanceProfiles", name):
        client.remove_role_from_instance_profile(aws_retry=True, RoleName=name,
                                                 InstanceProfileName=profile["InstanceProfileName"])
        if own_profile and profile["InstanceProfileName"] == name:
            delete(client, "delete_instance_profile", MISSING, InstanceProfileName=name)
    strip_role(client, name)
    delete(client, "delete_role", MISSING, RoleName=name)
