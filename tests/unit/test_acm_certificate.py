# -*- coding: utf-8 -*-
"""acm_certificate's pure parts: validation records and the returned shape."""

from __future__ import annotations

from ansible_collections.coherence.aws.plugins.module_utils import acm

CERT = {
    "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x", "DomainName": "shop.example.com",
    "SubjectAlternativeNames": ["shop.example.com", "*.shop.example.com"], "Status": "PENDING_VALIDATION",
    "DomainValidationOptions": [
        {"DomainName": "shop.example.com", "ResourceRecord": {"Name": "_a.shop.example.com.", "Type": "CNAME", "Value": "_b."}},
        {"DomainName": "*.shop.example.com", "ResourceRecord": {"Name": "_a.shop.example.com.", "Type": "CNAME", "Value": "_b."}},
    ],
}


def test_apex_and_wildcard_share_one_record():
    assert acm.records(CERT) == [{"name": "_a.shop.example.com.", "type": "CNAME", "value": "_b."}]


def test_records_published_only_when_every_domain_has_one():
    assert acm.records_published(CERT)
    pending = dict(CERT, DomainValidationOptions=[{"DomainName": "shop.example.com"}] + CERT["DomainValidationOptions"][1:])
    assert not acm.records_published(pending)
    assert not acm.records_published(dict(CERT, DomainValidationOptions=[]))
    assert acm.records(pending) == [{"name": "_a.shop.example.com.", "type": "CNAME", "value": "_b."}]


def test_result_shape():
    out = acm.result(CERT, {"Name": "shop"})
    assert out == {"arn": CERT["CertificateArn"], "domain_name": "shop.example.com",
                   "subject_alternative_names": ["shop.example.com", "*.shop.example.com"],
                   "status": "PENDING_VALIDATION", "validation_records": acm.records(CERT), "tags": {"Name": "shop"}}
    assert acm.result(None) == {}
