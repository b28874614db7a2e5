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
  fact_name:
    description:
      - Name of the fact the model is published as.
    type: str
    default: coherence_app
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
problems:
  description: Every problem found, each with its key path (and line).
  returned: failure
  type: list
  elements: str
  sample: ["backend.resources[0].engine (line 12): must be one of postgres, mysql, got 'mongodb'"]
ansible_facts:
  description: The app model, under O(fact_name).
  returned: success
  type: dict
"""
