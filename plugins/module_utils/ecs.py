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


def set_argument_spec(**options):
    """The options of our modules that manage an environment's set of like resources (found by
    a name prefix and the owner's tags), plus the module's own."""
    return dict(options, purge=dict(type="bool", default=True), tags=dict(type="dict", required=True),
                state=dict(type="str", choices=["present", "absent"], default="present"))


def run_set_module(manager, failure, options):
    """The whole of such a module's main(): its options, check mode, and manager(module).run()."""
    from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule

    module = CoherenceAWSModule(argument_spec=set_argument_spec(**options), supports_check_mode=True)
    module.run(lambda: manager(module).run(), failure)


class EnvironmentSet(object):
    """An environment's set of like resources: its clients (with retries), the owner's tags, and
    the diff of what changed."""

    def __init__(self, module, *services):
        self.module = module
        self.params = module.params
        self.owner = module.params["tags"]
        self.check = module.check_mode
        self.changed = False
        self.diff = {"before": {}, "after": {}}
        self.clients = [self.client(s) for s in services]

    def client(self, service):
        from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

        return self.module.client(service, retry_decorator=AWSRetry.jittered_backoff())

    def note(self, what, before, after):
        """Record a change (what, before, after) for --diff."""
        self.changed = True
        self.diff["before"][what], self.diff["after"][what] = before, after

    def wanted(self, option):
        """The items of option the task lists (none with state=absent)."""
        return self.params[option] if self.params["state"] == "present" else []

    def converge(self, items, found):
        """self.ensure(item, its found resource or None) for each item, then (purge, or
        state=absent) self.remove(name) for what was found and is not listed: (what ensure
        returned by name, the names removed)."""
        done = dict((i["name"], self.ensure(i, found.get(i["name"]))) for i in items)
        removed = []
        if self.params["purge"] or self.params["state"] == "absent":
            removed = sorted(set(found) - set(done))
            for name in removed:
                self.remove(name)
        return done, removed

    def exit(self, **result):
        self.module.exit_json(changed=self.changed, diff=self.diff, **result)
