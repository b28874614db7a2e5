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
  app_name:
    description:
      - The application's name, 1-63 lowercase letters, digits and hyphens, starting with a letter. It is
        part of every AWS name and the C(Application) tag.
    type: str
    required: true
  env:
    description:
      - The environment's name, for example C(review), C(production) or C(pr-42) (the same rule as O(app_name)).
    type: str
    required: true
  env_type:
    description:
      - C(review) (Fargate Spot, deletable, scale 1) or C(production) (on-demand Fargate, deletion protection,
        final snapshots, scaling from C(platform_settings)).
      - Default C(production) when O(env=production), otherwise C(review).
    type: str
    choices:
      - review
      - production
  base_domain:
    description:
      - The application's DNS domain; the hosted zone and certificates are made for it.
    type: str
  environment_domain:
    description:
      - The environment's domain. Default C(<env>.<base_domain>).
    type: str
  aws_region:
    description:
      - The AWS region.
    type: str
    default: us-east-1
  aws_account_id:
    description:
      - The AWS account id (12 digits); mixed into globally unique names (S3 buckets) when given.
    type: str
  env_vars:
    description:
      - The user's environment variables, a mapping of names to values (values may be vault-encrypted).
        Only their names are read here, to decide which service receives what; values are never read, returned
        or logged by the model.
      - The filter also takes a list of names.
    type: raw
  use_existing:
    description:
      - Production only. Maps a database resource name (or C(<service>.<resource>)) to C({db_instance_identifier
        | db_cluster_identifier, secret_arn, database_name}). That database is used instead of creating
        one, and teardown never touches it.
      - The key C(vpc) takes C({vpc_id, private_subnet_ids, public_subnet_ids}) to deploy into a VPC the
        team owns.
    type: dict
  container_port:
    description:
      - The port backend containers listen on; services receive it as C(PORT).
    type: int
    default: 3000
  vpc_cidr:
    description:
      - The VPC's IPv4 CIDR, /16 to /24; it is cut into 16 equal blocks for the subnets.
    type: str
    default: 10.0.0.0/16
  az_count:
    description:
      - How many availability zones the subnets span (2 to 6).
    type: int
    default: 2
  nat_gateways:
    description:
      - C(single) (one NAT gateway for the VPC; cheaper, but private subnets lose the internet if its availability
        zone fails) or C(one_per_az) (one per availability zone).
      - Default C(one_per_az) for production, C(single) for review.
    type: str
    choices:
      - single
      - one_per_az
  source:
    description:
      - The file's name, used in messages.
    type: str
    default: coherence.yml
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
