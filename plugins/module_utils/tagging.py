# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tags through the ListTagsForResource / AddTagsToResource / RemoveTagsFromResource shape that
RDS and ElastiCache share (ResourceName = the ARN)."""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


def resource_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(aws_retry=True, ResourceName=arn)["TagList"])


def sync_resource_tags(module, client, arn):
    """Bring the resource's tags to the task's `tags` (and `purge_tags`); True when they changed.
    Nothing is written in check mode."""
    if module.params["tags"] is None:
        return False
    to_add, to_remove = compare_aws_tags(resource_tags(client, arn), module.params["tags"], module.params["purge_tags"])
    if (to_add or to_remove) and not module.check_mode:
        if to_remove:
            client.remove_tags_from_resource(aws_retry=True, ResourceName=arn, TagKeys=to_remove)
        if to_add:
            client.add_tags_to_resource(aws_retry=True, ResourceName=arn, Tags=ansible_dict_to_boto3_tag_list(to_add))
    return bool(to_add or to_remove)
