# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs on the controller: reads coherence.yml, validates it with the environment's settings and
publishes the app model.  No AWS call is made here; the playbooks run this first."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import CoherenceConfigError
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import SETTINGS_TABLE
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model

# The task's own options, then the model's settings (from the one table).  Settings are taken as
# given ('raw'): the model checks types, required ones and choices, so every problem, settings
# included, is one line of one list.
TASK_OPTIONS = dict(
    coherence_file=dict(type="str", default="coherence.yml"),
    fact_name=dict(type="str", default="coherence_app"),
)
ARGUMENT_SPEC = dict(TASK_OPTIONS)
ARGUMENT_SPEC.update((name, dict(type="raw", no_log=bool(spec.get("no_log")))) for name, spec in SETTINGS_TABLE.items())


class _Problems(AnsibleActionFail):
    """A coherence.yml (or settings) that cannot be deployed.

    Its message, the list of problems, is the whole story: no error summary is attached, which
    ansible-core 2.19 would print again as an ``[ERROR]`` with the origin of this role's task.
    """

    @property
    def omit_exception_key(self):
        return True


# ansible-core before 2.19 prints a failed result's message once by itself.
_SUMMARY_OMITTABLE = hasattr(AnsibleActionFail, "omit_exception_key")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        path = os.path.abspath(os.path.expanduser(args["coherence_file"]))
        try:
            with open(path, "rb") as handle:
                text = to_text(handle.read(), errors="surrogate_or_strict")
        except (IOError, OSError, UnicodeError) as exc:
            return self._fail(result, "cannot read coherence_file %s: %s (a relative path is taken from the "
                                      "directory ansible-playbook runs in)" % (path, getattr(exc, "strerror", None) or exc))
        settings = dict((name, args[name]) for name in SETTINGS_TABLE)
        if isinstance(settings["env_vars"], dict):
            settings["env_vars"] = [to_text(k) for k in settings["env_vars"]]  # names only; values stay out
        try:
            model = build_app_model(text, source=path, **settings)
        except CoherenceConfigError as exc:
            return self._fail(result, str(exc))
        result.update(changed=False, ansible_facts={args["fact_name"]: model}, plan=model["plan"])
        if model["warnings"]:
            result["warnings"] = list(model["warnings"])
        return result

    @staticmethod
    def _fail(result, message):
        if _SUMMARY_OMITTABLE:
            raise _Problems(message)
        result.update(failed=True, msg=message)
        return result
