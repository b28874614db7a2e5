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
  - The certificate is identified by its C(Name) tag (O(name)). A certificate's domains cannot
    change; asking for other domains under the same name fails rather than replacing a
    certificate that may be in use.
  - C(community.aws.acm_certificate) only imports certificates; this module requests them.
options:
  name:
    description: The certificate's identity, kept in its C(Name) tag.
    type: str
    required: true
  domain_name:
    description: The certificate's main domain. Required with O(state=present).
    type: str
  subject_alternative_names:
    description: Further domains, for example the wildcard C(*.example.com).
    type: list
    elements: str
    default: []
  state:
    description: C(present) requests the certificate if there is none; C(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  wait:
    description: Wait until the certificate is issued (O(state=present)).
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for the certificate to be issued.
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Supports check mode; in check mode nothing is requested, deleted or waited for.
  - The certificates for a CloudFront distribution must be requested in C(us-east-1).
  - On the embedded AWS (moto) a requested certificate is issued after C(MOTO_ACM_VALIDATION_WAIT)
    seconds, whether or not the validation records exist.
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

import hashlib

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule
from ansible_collections.coherence.aws.plugins.module_utils.waiting import WaitTimeout
from ansible_collections.coherence.aws.plugins.module_utils.waiting import poll

FAILED_STATUSES = ("FAILED", "VALIDATION_TIMED_OUT", "REVOKED", "EXPIRED", "INACTIVE")
KEY_TYPES = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"]


@AWSRetry.jittered_backoff()
def _summaries(client):
    # Without Includes, ListCertificates returns RSA_2048 certificates only.
    paginator = client.get_paginator("list_certificates")
    return paginator.paginate(Includes={"keyTypes": KEY_TYPES}).build_full_result()["CertificateSummaryList"]


def find(client, name, domain=None):
    """The Amazon-issued certificate tagged Name=name (not failed), as describe returns it."""
    for summary in _summaries(client):
        if domain and summary.get("DomainName") != domain:
            continue
        arn = summary["CertificateArn"]
        tags = boto3_tag_list_to_ansible_dict(client.list_tags_for_certificate(aws_retry=True, CertificateArn=arn)["Tags"])
        if tags.get("Name") != name:
            continue
        cert = describe(client, arn)
        if cert and cert["Type"] == "AMAZON_ISSUED" and cert["Status"] not in FAILED_STATUSES:
            cert["Tags"] = tags
            return cert
    return None


def describe(client, arn):
    try:
        return client.describe_certificate(aws_retry=True, CertificateArn=arn)["Certificate"]
    except is_boto3_error_code("ResourceNotFoundException"):
        return None


def records(cert):
    """Distinct validation CNAMEs (the apex and its wildcard share one)."""
    out, seen = [], set()
    for option in cert.get("DomainValidationOptions", []):
        record = option.get("ResourceRecord")
        if record and record["Name"] not in seen:
            seen.add(record["Name"])
            out.append({"name": record["Name"], "type": record["Type"], "value": record["Value"]})
    return out


def result(cert, tags=None):
    if not cert:
        return {}
    return {"arn": cert["CertificateArn"], "domain_name": cert["DomainName"],
            "subject_alternative_names": cert.get("SubjectAlternativeNames", []), "status": cert["Status"],
            "validation_records": records(cert), "tags": tags if tags is not None else cert.get("Tags", {})}


def records_published(cert):
    options = cert.get("DomainValidationOptions", [])
    return bool(options) and all(o.get("ResourceRecord") for o in options)


def ensure_present(module, client):
    name = module.params["name"]
    domain = module.params["domain_name"]
    sans = sorted(set(module.params["subject_alternative_names"] + [domain]))
    want_tags = dict(module.params["tags"] or {}, Name=name)
    cert = find(client, name)
    changed = False
    if cert:
        have = sorted(set(cert.get("SubjectAlternativeNames", [])))
        if cert["DomainName"] != domain or have != sans:
            module.fail_json(msg="certificate %s (%s) covers %s, not %s; a certificate's domains cannot change: "
                                 "delete it (state=absent) or request one under another name"
                                 % (name, cert["CertificateArn"], ", ".join(have), ", ".join(sans)))
        to_add, to_remove = compare_aws_tags(cert["Tags"], want_tags, module.params["purge_tags"])
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
        if module.check_mode:
            module.exit_json(changed=True, certificate={"arn": None, "domain_name": domain, "status": None,
                                                        "subject_alternative_names": sans, "validation_records": [],
                                                        "tags": want_tags})
        arn = client.request_certificate(
            aws_retry=True, DomainName=domain, ValidationMethod="DNS", SubjectAlternativeNames=sans,
            IdempotencyToken=hashlib.sha256(name.encode("utf-8")).hexdigest()[:32], Tags=ansible_dict_to_boto3_tag_list(want_tags),
        )["CertificateArn"]
        # ACM publishes the validation records a few seconds after the request.
        try:
            cert = poll(lambda: describe(client, arn), lambda c: c and records_published(c), timeout=120, delay=2)
        except WaitTimeout as exc:
            cert = exc.last
            module.warn("ACM has not published the validation records of %s yet; run again to get them" % arn)
        cert["Tags"] = want_tags
    if module.params["wait"] and cert["Status"] != "ISSUED" and not module.check_mode:
        tags = cert["Tags"]
        try:
            cert = poll(lambda: describe(client, cert["CertificateArn"]), lambda c: c["Status"] == "ISSUED",
                        timeout=module.params["wait_timeout"], delay=10,
                        failed=lambda c: "certificate %s is %s" % (c["CertificateArn"], c["Status"])
                        if c["Status"] in FAILED_STATUSES else None)
        except WaitTimeout as exc:
            module.fail_json(msg="certificate %s is still %s after %d seconds; are its validation records in DNS?"
                                 % (exc.last["CertificateArn"], exc.last["Status"], module.params["wait_timeout"]),
                             certificate=result(exc.last, tags))
        except ValueError as exc:
            module.fail_json(msg=str(exc))
        cert["Tags"] = tags
    module.exit_json(changed=changed, certificate=result(cert))


def ensure_absent(module, client):
    cert = find(client, module.params["name"])
    if not cert:
        module.exit_json(changed=False, certificate={})
    if not module.check_mode:
        try:
            client.delete_certificate(aws_retry=True, CertificateArn=cert["CertificateArn"])
        except is_boto3_error_code("ResourceNotFoundException"):
            module.exit_json(changed=False, certificate={})
        except is_boto3_error_code("ResourceInUseException") as e:  # pylint: disable=duplicate-except
            module.fail_json_aws(e, msg="certificate %s is still in use (a load balancer listener or a CloudFront "
                                        "distribution); remove that first" % cert["CertificateArn"])
    module.exit_json(changed=True, certificate={})


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        domain_name=dict(type="str"),
        subject_alternative_names=dict(type="list", elements="str", default=[]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=1800),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = CoherenceAWSModule(argument_spec=argument_spec, supports_check_mode=True,
                                required_if=[("state", "present", ["domain_name"])])
    client = module.client("acm", retry_decorator=AWSRetry.jittered_backoff())
    module.run_state(client, ensure_present, ensure_absent, "ACM request failed")


if __name__ == "__main__":
    main()
