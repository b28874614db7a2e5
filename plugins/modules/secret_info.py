#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: secret_info
short_description: Describe a Secrets Manager secret, never its value
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Returns a secret's ARN, key, tags and dates from DescribeSecret; its value is never read.
  - Where an ARN comes from. A task that writes the secret's values masks each value wherever it
    appears in its result (Ansible's C(no_log)), and the environment's name, one of the values,
    is part of the ARN; this task takes no value, so what it returns is intact.
options:
  name:
    description: The secret's name or ARN.
    type: str
    required: true
notes:
  - Supports check mode (it only reads).
extends_documentation_fragment: [amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
seealso:
  - module: coherence.aws.secret_values
"""

EXAMPLES = r"""
- name: Find the environment secret's ARN
  coherence.aws.secret_info:
    name: coherence/shop/review
  register: secret
"""

RETURN = r"""
secret:
  description: The secret as DescribeSecret returns it in snake_case (tags as a dict); empty when it does not exist.
  returned: always
  type: dict
  contains:
    arn:
      description: Its ARN, with the suffix Secrets Manager adds.
      type: str
    name:
      description: Its name.
      type: str
    kms_key_id:
      description: The key that encrypts it.
      type: str
    deleted_date:
      description: When it was scheduled for deletion, when it is.
      type: str
    tags:
      description: Its tags.
      type: dict
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule


def main():
    module = CoherenceAWSModule(argument_spec=dict(name=dict(type="str", required=True)), supports_check_mode=True)
    client = module.client("secretsmanager", retry_decorator=AWSRetry.jittered_backoff())
    found = {}

    def run():
        try:
            secret = client.describe_secret(aws_retry=True, SecretId=module.params["name"])
        except is_boto3_error_code("ResourceNotFoundException"):
            return
        tags = boto3_tag_list_to_ansible_dict(secret.pop("Tags", []))
        secret.pop("ResponseMetadata", None)
        found.update(camel_dict_to_snake_dict(secret), tags=tags)

    module.run(run, "describing secret %s failed" % module.params["name"])
    module.exit_json(changed=False, secret=found)


if __name__ == "__main__":
    main()
