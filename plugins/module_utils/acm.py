# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding our ACM certificates (by their Name tag and domain) and how modules return them."""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_list
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_one

FAILED_STATUSES = ("FAILED", "VALIDATION_TIMED_OUT", "REVOKED", "EXPIRED", "INACTIVE")
KEY_TYPES = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"]
MISSING = "ResourceNotFoundException"


@AWSRetry.jittered_backoff()
def _summaries(client):
    # Without Includes, ListCertificates returns RSA_2048 certificates only.
    paginator = client.get_paginator("list_certificates")
    return paginator.paginate(Includes={"keyTypes": KEY_TYPES}).build_full_result()["CertificateSummaryList"]


def found(client, name, domain=None):
    """The Amazon-issued certificates tagged Name=name (not failed), as describe returns them
    plus their Tags. With domain, only that domain's certificates are candidates: tags (one
    call per certificate) are read of those alone."""
    for summary in _summaries(client):
        if domain and summary.get("DomainName") != domain:
            continue
        if summary.get("Status") in FAILED_STATUSES or summary.get("Type", "AMAZON_ISSUED") != "AMAZON_ISSUED":
            continue
        arn = summary["CertificateArn"]
        tags = boto3_tag_list_to_ansible_dict(describe_list(client, "list_tags_for_certificate", "Tags", MISSING,
                                                            CertificateArn=arn))
        if tags.get("Name") != name:
            continue
        cert = describe(client, arn)
        if cert and cert["Type"] == "AMAZON_ISSUED" and cert["Status"] not in FAILED_STATUSES:
            cert["Tags"] = tags
            yield cert


def find(client, name, domain=None):
    return next(found(client, name, domain), None)


def describe(client, arn):
    return describe_one(client, "describe_certificate", "Certificate", MISSING, CertificateArn=arn)


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


def compared(cert):
    """What the task compares, for --diff."""
    return {"domain_name": cert["DomainName"], "subject_alternative_names": sorted(cert.get("SubjectAlternativeNames", [])),
            "tags": cert.get("Tags", {})} if cert else {}
