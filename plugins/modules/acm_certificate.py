#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: acm_certificate
short_description: Request an ACM certificate validated through DNS, and wait for it
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Requests an Amazon-issued certificate from AWS Certificate Manager with DNS validation,
    returns the CNAME records that validate it, and optionally waits until it is issued.
  - Request early with O(wait=false), create the returned RV(certificate.validation_records) in
    DNS, do other work, then call again with O(wait=true) where the certificate is needed. The
    validation (minutes on AWS) then runs alongside the rest of the run.
  - The certificate is identified by its C(Name) tag (O(name)) and its main domain. Its other
    domains cannot change; asking for others fails rather than replacing a certificate that may
    be in use.
  - C(community.aws.acm_certificate) only imports certificates; this module requests them.
options:
  name:
    description: The certificate's identity, kept in its C(Name) tag.
    type: str
    required: true
  domain_name:
    description:
      - The certificate's main domain. Required with O(state=present).
      - Only certificates for this domain are considered (and only their tags read), so the
        module makes a handful of calls however many certificates the account holds. With
        O(state=absent) it narrows the search the same way; without it every certificate's
        tags are read.
    type: str
  subject_alternative_names:
    description: Further domains, for example the wildcard C(*.example.com).
    type: list
    elements: str
    default: []
  wait:
    description: Wait until the certificate is issued (O(state=present)).
    type: bool
    default: false
notes:
  - In check mode nothing is requested, deleted or waited for.
  - Each request carries an idempotency token of its own invocation, so retries of one request
    never make two certificates, and a certificate deleted and requested again within the hour
    AWS keeps a token is a new request, not the deleted one's.
  - The certificates for a CloudFront distribution must be requested in C(us-east-1).
  - On the embedded AWS (moto) a requested certificate is issued after C(MOTO_ACM_VALIDATION_WAIT)
    seconds, whether or not the validation records exist.
extends_documentation_fragment: [coherence.aws.common, coherence.aws.common.resource, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
seealso:
  - name: ACM DNS validation
    description: How the validation records prove the domain.
    link: https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
"""

EXAMPLES = r"""
- name: Request the certificate, without waiting
  coherence.aws.acm_certificate:
    name: shop
    domain_name: shop.example.com
    subject_alternative_names: ["*.shop.example.com"]
    tags: {Application: shop}
  register: cert

- name: Create its validation records
  amazon.aws.route53:
    state: present
    zone: shop.example.com
    record: "{{ item.name }}"
    type: "{{ item.type }}"
    value: "{{ item.value }}"
    ttl: 300
    overwrite: true
  loop: "{{ cert.certificate.validation_records }}"

- name: Later, where the certificate is needed
  coherence.aws.acm_certificate:
    name: shop
    domain_name: shop.example.com
    subject_alternative_names: ["*.shop.example.com"]
    wait: true
"""

RETURN = r"""
certificate:
  description: The certificate (empty after deletion).
  returned: always
  type: dict
  contains:
    arn:
      description: The certificate's ARN.
      type: str
      sample: arn:aws:acm:us-east-1:123456789012:certificate/2b1e5c4c-0000-4000-8000-000000000000
    domain_name:
      description: The main domain.
      type: str
    subject_alternative_names:
      description: Every domain the certificate covers.
      type: list
      elements: str
    status:
      description: C(PENDING_VALIDATION), C(ISSUED), ...
      type: str
    validation_records:
      description: The DNS records that validate it, one per distinct record.
      type: list
      elements: dict
      sample: [{"name": "_x1.shop.example.com.", "type": "CNAME", "value": "_x2.acm-validations.aws."}]
    tags:
      description: The certificate's tags.
      type: dict
"""

import uuid

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.coherence.aws.plugins.module_utils.acm import MISSING
from ansible_collections.coherence.aws.plugins.module_utils.acm import compared
from ansible_collections.coherence.aws.plugins.module_utils.acm import describe
from ansible_collections.coherence.aws.plugins.module_utils.acm import find
from ansible_collections.coherence.aws.plugins.module_utils.acm import found
from ansible_collections.coherence.aws.plugins.module_utils.acm import result
from ansible_collections.coherence.aws.plugins.module_utils.modules import run_resource_module
from ansible_collections.coherence.aws.plugins.module_utils.resources import delete
from ansible_collections.coherence.aws.plugins.module_utils.waiting import WaitFailed
from ansible_collections.coherence.aws.plugins.module_utils.waiting import wait


def request(module, client, domain, sans, tags):
    """Request the certificate; its description once ACM has published the validation records."""
    arn = client.request_certificate(
        aws_retry=True, DomainName=domain, ValidationMethod="DNS", SubjectAlternativeNames=sans,
        # One token per invocation: the retries of this request are idempotent, and a later run
        # (after a teardown within the hour ACM keeps tokens) never gets the deleted certificate.
        IdempotencyToken=uuid.uuid4().hex, Tags=ansible_dict_to_boto3_tag_list(tags),
    )["CertificateArn"]
    try:
        wait(client, "certificate_records_published", "certificate %s" % arn, 120, CertificateArn=arn)
    except WaitFailed:
        module.warn("ACM has not published the validation records of %s yet; run again to get them" % arn)
    return describe(client, arn)


def ensure_present(module, client):
    name = module.params["name"]
    domain = module.params["domain_name"]
    sans = sorted(set(module.params["subject_alternative_names"] + [domain]))
    want_tags = dict(module.params["tags"] or {}, Name=name)
    cert = find(client, name, domain)
    before = compared(cert)
    changed = False
    if cert:
        have = sorted(set(cert.get("SubjectAlternativeNames", [])))
        if have != sans:
            module.fail_json(msg="certificate %s (%s) covers %s, not %s; a certificate's domains cannot change: "
                                 "delete it (state=absent) or request one under another name"
                                 % (name, cert["CertificateArn"], ", ".join(have), ", ".join(sans)))
        # tags left unset are left alone (but for Name, the certificate's identity)
        purge = module.params["purge_tags"] and module.params["tags"] is not None
        to_add, to_remove = compare_aws_tags(cert["Tags"], want_tags, purge)
        if to_add or to_remove:
            changed = True
            if not module.check_mode:
                if to_remove:
                    client.remove_tags_from_certificate(
                        aws_retry=True, CertificateArn=cert["CertificateArn"],
                        Tags=[{"Key": k, "Value": cert["Tags"][k]} for k in to_remove])
                if to_add:
                    client.add_tags_to_certificate(aws_retry=True, CertificateArn=cert["CertificateArn"],
                                                   Tags=ansible_dict_to_boto3_tag_list(to_add))
            cert["Tags"] = dict((k, v) for k, v in cert["Tags"].items() if k not in to_remove)
            cert["Tags"].update(to_add)
    else:
        changed = True
        after = {"domain_name": domain, "subject_alternative_names": sans, "tags": want_tags}
        if module.check_mode:
            module.exit_changed(True, before, after, certificate={
                "arn": None, "domain_name": domain, "status": None, "subject_alternative_names": sans,
                "validation_records": [], "tags": want_tags})
        cert = request(module, client, domain, sans, want_tags)
        cert["Tags"] = want_tags
    if module.params["wait"] and cert["Status"] != "ISSUED" and not module.check_mode:
        try:
            wait(client, "certificate_issued", "certificate %s (%s)" % (name, cert["CertificateArn"]),
                 module.params["wait_timeout"], CertificateArn=cert["CertificateArn"])
        except WaitFailed as e:
            hint = "; are its validation records in DNS?" if cert["Status"] == "PENDING_VALIDATION" else ""
            module.fail_json(msg=e.message + hint, certificate=result(cert))
        cert = dict(describe(client, cert["CertificateArn"]), Tags=cert["Tags"])
    module.exit_changed(changed, before, compared(cert), certificate=result(cert))


def ensure_absent(module, client):
    """Delete every certificate of this name (and domain, when given): a run that requested a
    second one under the same name leaves nothing behind."""
    certs = list(found(client, module.params["name"], module.params["domain_name"]))
    changed = False
    for cert in certs:
        if module.check_mode:
            changed = True
            continue
        try:
            changed |= delete(client, "delete_certificate", MISSING, CertificateArn=cert["CertificateArn"])
        except AnsibleAWSError as e:
            if not isinstance(e.exception, is_boto3_error_code("ResourceInUseException", e=e.exception)):
                raise
            module.fail_json_aws(e.exception, msg="certificate %s is still in use (a load balancer listener or a "
                                                  "CloudFront distribution); remove that first" % cert["CertificateArn"])
    module.exit_changed(changed, compared(certs[0]) if certs else {}, {}, certificate={})


def main():
    options = dict(
        name=dict(type="str", required=True),
        domain_name=dict(type="str"),
        subject_alternative_names=dict(type="list", elements="str", default=[]),
    )
    run_resource_module("acm", options, ensure_present, ensure_absent, "ACM request failed", wait=False,
                        required_if=[("state", "present", ["domain_name"])])


if __name__ == "__main__":
    main()
