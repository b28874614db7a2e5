#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: elb_listener_certificates
short_description: Add or remove the SNI certificates of a load balancer's HTTPS listener
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Adds the given ACM certificates to an HTTPS or TLS listener's certificate list (served by SNI
    beside the listener's default certificate), or removes them; certificates the task does not
    name are left alone, so each environment manages its own on a shared listener.
  - amazon.aws.elb_application_lb manages the default certificate only.
options:
  listener_arn:
    description: The listener.
    type: str
    required: true
  certificate_arns:
    description: The certificates to add (C(present)) or remove (C(absent)).
    type: list
    elements: str
    required: true
  state:
    description: C(present) adds them; C(absent) removes them.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode and diff mode. The listener's default certificate is never removed.
"""

EXAMPLES = r"""
- name: Serve the environment's own domain by SNI
  coherence.aws.elb_listener_certificates:
    listener_arn: "{{ coherence_edge.https_listener_arn }}"
    certificate_arns: ["{{ environment_certificate_arn }}"]
"""

RETURN = r"""
certificate_arns:
  description: The listener's certificates after the task (the default one included).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_list


def main():
    module = CoherenceAWSModule(argument_spec=dict(
        listener_arn=dict(type="str", required=True), certificate_arns=dict(type="list", elements="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present")), supports_check_mode=True)
    client = module.client("elbv2", retry_decorator=AWSRetry.jittered_backoff())
    arn, wanted = module.params["listener_arn"], [c for c in module.params["certificate_arns"] if c]

    def run():
        found = describe_list(client, "describe_listener_certificates", "Certificates", "ListenerNotFound", ListenerArn=arn)
        have = sorted(c["CertificateArn"] for c in found)
        default = [c["CertificateArn"] for c in found if c.get("IsDefault")]
        if module.params["state"] == "present":
            change = [c for c in wanted if c not in have]
            after = sorted(have + change)
        else:
            change = [c for c in wanted if c in have and c not in default]
            after = sorted(c for c in have if c not in change)
        if change and not module.check_mode:
            call = client.add_listener_certificates if module.params["state"] == "present" else client.remove_listener_certificates
            call(aws_retry=True, ListenerArn=arn, Certificates=[{"CertificateArn": c} for c in change])
        module.exit_changed(bool(change), {"certificate_arns": have}, {"certificate_arns": after}, certificate_arns=after)

    module.run(run, "certificates of listener %s" % arn)


if __name__ == "__main__":
    main()
