#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: acm_certificate_info
short_description: Find the ACM certificates coherence.aws.acm_certificate requested
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Returns the Amazon-issued certificates tagged C(Name=name) (not failed), with their DNS
    validation records, as coherence.aws.acm_certificate returns one. It only reads, so teardown finds the
    validation records to remove here, instead of running the request module in check mode.
  - With O(domain_name), only that domain's certificates are candidates, and only their tags are
    read.
options:
  name:
    description: The certificates' C(Name) tag.
    type: str
    required: true
  domain_name:
    description: The certificates' main domain.
    type: str
notes:
  - Supports check mode (it only reads).
extends_documentation_fragment: [amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: Find the certificate and its validation records
  coherence.aws.acm_certificate_info:
    name: shop
    domain_name: shop.example.com
    region: us-east-1
  register: found
"""

RETURN = r"""
certificates:
  description: The certificates found, each as coherence.aws.acm_certificate returns its RV(ignore:certificate).
  returned: always
  type: list
  elements: dict
  contains:
    arn:
      description: The certificate's ARN.
      type: str
    domain_name:
      description: The main domain.
      type: str
    status:
      description: C(PENDING_VALIDATION), C(ISSUED), ...
      type: str
    validation_records:
      description: The DNS records that validate it, one per distinct record (C(name), C(type), C(value)).
      type: list
      elements: dict
    tags:
      description: The certificate's tags.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.coherence.aws.plugins.module_utils.acm import found
from ansible_collections.coherence.aws.plugins.module_utils.acm import result
from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule


def main():
    module = CoherenceAWSModule(argument_spec=dict(name=dict(type="str", required=True), domain_name=dict(type="str")),
                                supports_check_mode=True)
    client = module.client("acm", retry_decorator=AWSRetry.jittered_backoff())
    certificates = []
    module.run(lambda: certificates.extend(result(c) for c in found(client, module.params["name"], module.params["domain_name"])),
               "ACM request failed")
    module.exit_json(changed=False, certificates=certificates)


if __name__ == "__main__":
    main()
