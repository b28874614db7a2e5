# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tags of RDS and ElastiCache resources, through amazon.aws's RDS helpers (both services share
the ListTagsForResource / AddTagsToResource / RemoveTagsFromResource shape, keyed by ARN)."""

from ansible_collections.amazon.aws.plugins.module_utils import rds


class _NoWait(object):
    """The module as rds.ensure_tags should see it: it looks up a waiter for each call when
    `wait` is set, and knows none for tagging calls (which need none)."""

    def __init__(self, module):
        self._module = module
        self.params = dict(module.params, wait=False)

    def __getattr__(self, name):
        return getattr(self._module, name)


def resource_tags(module, client, arn):
    return rds.get_tags(client, module, arn)


def sync_resource_tags(module, client, arn, existing=None):
    """Bring the resource's tags to the task's `tags` (and `purge_tags`); (changed, before, after).
    Nothing is written in check mode; unset `tags` leaves them alone."""
    before = resource_tags(module, client, arn) if existing is None else existing
    if module.params["tags"] is None:
        return False, before, before
    changed = rds.ensure_tags(client, _NoWait(module), arn, before, module.params["tags"], module.params["purge_tags"])
    after = dict(module.params["tags"]) if module.params["purge_tags"] else dict(before, **module.params["tags"])
    if module.params["purge_tags"]:
        after.update(dict((k, v) for k, v in before.items() if k.startswith("aws:")))
    return changed, before, after
