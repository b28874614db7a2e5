# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs on the controller: reads coherence.yml, validates it with the environment's settings and
publishes the app model.  No AWS call is made here; the playbooks run this first."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import CoherenceConfigError
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model

ARGUMENT_SPEC = dict(
    coherence_file=dict(type="str", default="coherence.yml"),
    app_name=dict(type="str", required=True),
    env=dict(type="str", required=True),
    env_type=dict(type="str", choices=["review", "production"]),
    base_domain=dict(type="str"),
    environment_domain=dict(type="str"),
    aws_region=dict(type="str", default="us-east-1", aliases=["region"]),
    env_vars=dict(type="raw", no_log=True),
    use_existing=dict(type="dict"),
    aws_account_id=dict(type="str"),
    container_port=dict(type="int", default=3000),
    vpc_cidr=dict(type="str", default="10.0.0.0/16"),
    az_count=dict(type="int", default=2),
    nat_gateways=dict(type="str", choices=["single", "one_per_az"]),
    fact_name=dict(type="str", default="coherence_app"),
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        # env_vars is checked by the model (names only), so its own check is skipped here.
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        path = os.path.abspath(os.path.expanduser(args["coherence_file"]))
        try:
            with open(path, "rb") as handle:
                text = to_text(handle.read(), errors="surrogate_or_strict")
        except (IOError, OSError) as exc:
            result.update(failed=True, msg="cannot read coherence_file %s: %s (a relative path is taken from "
                                           "the directory ansible-playbook runs in)" % (path, exc.strerror or exc))
            return result
        env_vars = args["env_vars"] or {}
        if not isinstance(env_vars, dict):
            result.update(failed=True, msg="env_vars (playbook variable): must be a mapping of variable names to "
                                           "values, got a %s" % type(env_vars).__name__)
            return result
        try:
            model = build_app_model(
                text, source=path, region=args["aws_region"], account_id=args["aws_account_id"],
                env_var_names=[to_text(k) for k in env_vars],
                **dict((k, args[k]) for k in ("app_name", "env", "env_type", "base_domain", "environment_domain",
                                              "use_existing", "container_port", "vpc_cidr", "az_count",
                                              "nat_gateways")))
        except CoherenceConfigError as exc:
            result.update(failed=True, msg=str(exc), problems=exc.problems)
            return result
        result.update(changed=False, ansible_facts={args["fact_name"]: model}, plan=model["plan"])
        if model["warnings"]:
            result["warnings"] = list(model["warnings"])
        return result
