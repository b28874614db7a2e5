# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes a secret's JSON values with community.aws.secretsmanager_secret, and returns only what
may be shown: whether it changed, and a diff of its key names. The task needs no no_log (which
would hide the diff and what the plan reads); no value leaves this plugin."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible.plugins.action import ActionBase

from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec

from ansible_collections.coherence.aws.plugins.plugin_utils.secret import key_diff

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    description=dict(type="str"),
    kms_key_id=dict(type="str"),
    tags=dict(type="dict"),
    values=dict(type="dict", required=True, no_log=True),
    current=dict(type="str", no_log=True),
)
# The connection options of every AWS module, from module_defaults (group/coherence.aws.aws),
# passed on to the module.
CONNECTION = aws_argument_spec()
ARGUMENT_SPEC.update(CONNECTION)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        _spec, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        try:
            now = json.loads(args["current"]) if args["current"] else None
        except ValueError:
            now = {}  # not JSON: every key is new
        _changed, before, after = key_diff(now, args["values"])
        module_args = dict((k, args[k]) for k in ("name", "description", "kms_key_id", "tags") + tuple(CONNECTION)
                           if args.get(k) is not None)
        written = self._execute_module(module_name="community.aws.secretsmanager_secret",
                                       module_args=dict(module_args, json_secret=args["values"]), task_vars=task_vars)
        if written.get("failed"):
            # The module masks its secret's values in its own message.
            result.update(failed=True, msg="%s: %s" % (args["name"], written.get("msg")))
            return result
        result.update(changed=bool(written.get("changed")), secret={"name": args["name"]},
                      diff=dict(before=before, after=after, before_header="%s (keys)" % args["name"],
                                after_header="%s (keys)" % args["name"]))
        return result
