#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: secret_values
author: coherence.aws contributors (@coherence-aws)
version_added: 0.1.0
short_description: Write a Secrets Manager secret's JSON values, showing only their keys
description:
  - Writes O(values) as the secret's JSON with M(community.aws.secretsmanager_secret) (created
    when it does not exist; changed only when a value changes).
  - Returns whether it changed and, as its diff (C(--diff)), the secret's key names before and
    after, a key whose value changes marked C((new value)). No value is ever returned or shown,
    so the task needs no C(no_log), which would hide the diff too.
options:
  name:
    description: The secret's name.
    type: str
    required: true
  description:
    description: The secret's description.
    type: str
  kms_key_id:
    description: The KMS key (id, ARN or alias) that encrypts the secret.
    type: str
  tags:
    description: Tags of the secret.
    type: dict
  values:
    description: The secret's values, by key.
    type: dict
    required: true
  current:
    description:
      - The secret's JSON as it is (empty when it does not exist), to name the keys that change;
        read it with the P(amazon.aws.secretsmanager_secret#lookup) lookup.
    type: str
extends_documentation_fragment: [amazon.aws.common.modules, amazon.aws.region.modules]
notes:
  - An action plugin that runs M(community.aws.secretsmanager_secret) with the same connection
    options (C(module_defaults) of C(group/coherence.aws.aws) included).
  - Supports check mode and diff mode.
"""

EXAMPLES = r"""
- name: Write the environment's secret
  coherence.aws.secret_values:
    name: shop/review/env
    kms_key_id: alias/shop-review
    values: "{{ variables }}"
    current: "{{ lookup('amazon.aws.secretsmanager_secret', 'shop/review/env', on_missing='skip') }}"
"""

RETURN = r"""
secret:
  description: The secret's name.
  returned: success
  type: dict
  contains:
    name:
      description: The secret's name.
      type: str
diff:
  description: The secret's key names before and after, one a line.
  returned: success
  type: dict
"""
