# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The app model's settings, shared by the app_model task and filter.  They follow the one table,
    # plugins/plugin_utils/settings.py SETTINGS_TABLE (tests/unit/test_settings_table.py checks it).
    DOCUMENTATION = r"""
options:
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
"""
