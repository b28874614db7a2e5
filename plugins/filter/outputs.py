# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: outputs
author: coherence.aws contributors (@coherence-aws)
version_added: 0.1.0
short_description: An environment's outputs (URLs, endpoints, bastion, name servers, secret, pipeline)
description:
  - Takes the app model and the facts the roles published and returns what a deploy tells its
    user, as one dict (what site.yml writes as JSON), with C(summary) the lines it prints.
  - Only ids, names, endpoints and commands; no secret value is in any of the facts it reads.
options:
  _input:
    description: The app model (C(coherence_app)).
    type: dict
    required: true
  network:
    description: C(coherence_network).
    type: dict
  data:
    description: C(coherence_data).
    type: dict
  edge:
    description: C(coherence_edge).
    type: dict
  build:
    description: C(coherence_build).
    type: dict
"""

EXAMPLES = r"""
- name: The environment's outputs
  ansible.builtin.set_fact:
    outputs: >-
      {{ coherence_app | coherence.aws.outputs(network=coherence_network, data=coherence_data,
                                               edge=coherence_edge, build=coherence_build) }}
"""

RETURN = r"""
_value:
  description:
    - C(app), C(environment), C(account_id), C(region), C(urls), C(cloudfront) (id, domain),
      C(load_balancer), C(data) (each database's and cache's host, port, database and port-forward
      command), C(bastion), C(delegate) (zone, name servers), C(secret), C(pipeline), C(deploy),
      and C(summary), the lines to print.
  type: dict
"""

from ansible_collections.coherence.aws.plugins.plugin_utils.outputs import outputs as build_outputs
from ansible_collections.coherence.aws.plugins.plugin_utils.outputs import summary_lines


def outputs(model, network=None, data=None, edge=None, build=None):
    out = build_outputs(model, network, data, edge, build)
    return dict(out, summary=summary_lines(out))


class FilterModule(object):
    def filters(self):
        return {"outputs": outputs}
