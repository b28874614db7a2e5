# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: environment_secret
author: coherence.aws contributors (@coherence-aws)
version_added: 0.1.0
short_description: The values of an environment's secret, as the app model wired them
description:
  - Takes the app model and returns every key of the environment's Secrets Manager secret with
    its value - environment values from the model, the user's variables, and the endpoints,
    logins and bucket names of the environment's resources.
  - Fails, naming what is missing, when a wired value is not there.
options:
  _input:
    description: The app model (C(coherence_app)).
    type: dict
    required: true
  found:
    description:
      - By resource key, what the data role found of each resource. Databases
        C({host, port, username, password, database}), caches C({host, port}), object storage
        C({bucket}).
    type: dict
    required: true
  user_values:
    description: The user's environment variables (C(env_vars)).
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Write the environment's secret
  community.aws.secretsmanager_secret:
    name: "{{ coherence_app.secret.name }}"
    json_secret: "{{ coherence_app | coherence.aws.environment_secret(found, env_vars) }}"
  no_log: true
"""

RETURN = r"""
_value:
  description: Secret key to value.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.coherence.aws.plugins.plugin_utils.secret import render


def environment_secret(model, found, user_values=None):
    try:
        return render(model, found, user_values or {})
    except (ValueError, KeyError) as exc:
        raise AnsibleFilterError("environment_secret: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"environment_secret": environment_secret}
