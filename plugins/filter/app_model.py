# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: app_model
author: coherence.aws contributors (@coherence-aws)
version_added: 0.1.0
short_description: Validate a coherence.yml and build the app model
description:
  - Parses the text of a C(coherence.yml), validates every key and the environment's settings,
    and returns the app model the roles of this collection read, the same one the
    M(coherence.aws.app_model) task publishes as C(coherence_app).
  - Every problem is reported at once, each with its key path and line.
  - The model decides every AWS name, tag, size, schedule and variable wiring; see the
    collection's C(docs/app-model.md).
options:
  _input:
    description:
      - The text of a coherence.yml.
    type: str
    required: true
  source:
    description:
      - The file's name, used in messages.
    type: str
    default: coherence.yml
extends_documentation_fragment:
  - coherence.aws.app_model_settings
"""

EXAMPLES = r"""
- name: Build the model from a file next to the playbook
  ansible.builtin.set_fact:
    app: "{{ lookup('ansible.builtin.file', 'coherence.yml') | coherence.aws.app_model(app_name='shop', env='pr-42') }}"

- name: Names the roles will use
  ansible.builtin.debug:
    msg: "{{ app.names.environment.secret }} {{ app.services | map(attribute='name') }}"
"""

RETURN = r"""
_value:
  description: The app model (see docs/app-model.md).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import CoherenceConfigError
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model


def app_model(text, source="coherence.yml", **settings):
    if not isinstance(text, str):
        raise AnsibleFilterError("app_model: the input must be the text of a coherence.yml")
    if isinstance(settings.get("env_vars"), dict):
        settings["env_vars"] = list(settings["env_vars"])  # names only; values stay out of the model
    try:
        return build_app_model(text, source=source, **settings)
    except CoherenceConfigError as exc:
        raise AnsibleFilterError(str(exc))
    except TypeError as exc:
        raise AnsibleFilterError("app_model: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"app_model": app_model}
