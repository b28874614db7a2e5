# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What our ECS, ELB, EventBridge and scaling modules share: an environment's resources are
found by a name prefix and its tags (teardown removes what exists, not what today's inputs
name), and tags are compared as plain dicts."""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict


def tag_dict(tags, key="key", value="value"):
    """ECS / ELB / EventBridge tag lists (their spellings differ) -> {key: value}."""
    if isinstance(tags, dict):
        return dict(tags)
    return boto3_tag_list_to_ansible_dict(tags or [], key, value) if tags and key in tags[0] else \
        boto3_tag_list_to_ansible_dict(tags or [])


def owned(tags, owner):
    """Whether a resource carrying `tags` belongs to the owner (every owner tag, same value)."""
    return bool(owner) and all(tags.get(k) == v for k, v in owner.items())


def to_ecs_tags(tags):
    return [{"key": k, "value": v} for k, v in sorted((tags or {}).items())]


def paginate(client, operation, key, **params):
    """Every item of a paginated List/Describe call."""
    out = []
    for page in client.get_paginator(operation).paginate(**params):
        out.extend(page.get(key, []))
    return out
