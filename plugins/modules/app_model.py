#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: app_model
author: coherence.aws contributors (@coherence-aws)
version_added: 0.1.0
short_description: Validate a coherence.yml and publish the app model
description:
  - Reads a C(coherence.yml) on the controller, validates every key and the environment's
    settings, and publishes the app model as a fact (C(coherence_app) by default).
  - Every problem is reported at once, each with its key path and line, and the task fails
    before anything talks to AWS. Keys that are accepted but have no effect on AWS are reported
    once each as warnings.
  - The model decides every AWS name, tag, size, schedule and variable wiring; the roles of
    this collection read it and never rebuild a name. See C(docs/app-model.md).
  - The filter P(coherence.aws.app_model#filter) builds the same model from text.
options:
  coherence_file:
    description:
      - Path of the coherence.yml. A relative path is taken from the directory C(ansible-playbook) runs
        in.
    type: str
    default: coherence.yml
  fact_name:
    description:
      - Name of the fact the model is published as.
    type: str
    default: coherence_app
extends_documentation_fragment:
  - coherence.aws.app_model_settings
notes:
  - Runs on the controller only (an action plugin); it makes no AWS call.
  - Supports check mode.
"""

EXAMPLES = r"""
- name: Validate coherence.yml and build the app model
  coherence.aws.app_model:
    coherence_file: "{{ playbook_dir }}/coherence.yml"
    app_name: shop
    env: pr-42
    base_domain: shop.example.com
    env_vars: "{{ shop_env_vars }}"

- name: Show the plan
  ansible.builtin.debug:
    msg: "{{ coherence_app.plan }}"
"""

RETURN = r"""
plan:
  description: What the environment will have, one line per item.
  returned: success
  type: list
  elements: str
msg:
  description:
    - On failure, every problem found, one line each with its key path (and line), after a line
      naming the file. It is the task's only output then, so the list is printed once.
  returned: failure
  type: str
  sample: "coherence.yml: 1 problem found, nothing was changed:\n  - backend.resources[0].engine (line 12): must be one of postgres, mysql, got 'mongodb'"
ansible_facts:
  description: The app model, under O(fact_name).
  returned: success
  type: dict
"""
