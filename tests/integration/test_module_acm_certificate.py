# -*- coding: utf-8 -*-
"""coherence.aws.acm_certificate against the embedded AWS: check mode, apply, re-runs, wait, delete."""

from __future__ import annotations

import uuid

import pytest

from conftest import run_module

MODULE = "coherence.aws.acm_certificate"


@pytest.fixture
def cert_args():
    domain = "%s.example.com" % uuid.uuid4().hex[:8]
    return {"name": "test-" + domain.split(".", 1)[0], "domain_name": domain,
            "subject_alternative_names": ["*." + domain], "tags": {"Application": "acmtest", "ManagedBy": "coherence"}}


def arns(session, name):
    acm = session.client("acm")
    out = []
    for summary in acm.list_certificates()["CertificateSummaryList"]:
        tags = {t["Key"]: t["Value"] for t in acm.list_tags_for_certificate(CertificateArn=summary["CertificateArn"])["Tags"]}
        if tags.get("Name") == name:
            out.append(summary["CertificateArn"])
    return out


def test_request_is_idempotent_and_checks_first(aws_env, boto3_session, cert_args):
    checked = run_module(MODULE, cert_args, aws_env, check=True)
    assert checked["changed"] is True
    assert arns(boto3_session, cert_args["name"]) == [], "check mode requested a certificate"
    want_sans = sorted([cert_args["domain_name"], "*." + cert_args["domain_name"]])
    want_tags = dict(cert_args["tags"], Name=cert_args["name"])
    assert checked["diff"] == {"before": {}, "after": {"domain_name": cert_args["domain_name"],
                                                       "subject_alternative_names": want_sans, "tags": want_tags}}

    applied = run_module(MODULE, cert_args, aws_env)
    assert applied["changed"] is True
    cert = applied["certificate"]
    assert cert["status"] == "PENDING_VALIDATION"
    assert sorted(cert["subject_alternative_names"]) == sorted([cert_args["domain_name"], "*." + cert_args["domain_name"]])
    # the apex and its wildcard validate through one record
    assert len(cert["validation_records"]) == 1 and cert["validation_records"][0]["type"] == "CNAME"
    described = boto3_session.client("acm").describe_certificate(CertificateArn=cert["arn"])["Certificate"]
    assert described["DomainValidationOptions"][0]["ValidationMethod"] == "DNS"
    assert arns(boto3_session, cert_args["name"]) == [cert["arn"]]

    assert run_module(MODULE, cert_args, aws_env, check=True)["changed"] is False
    again = run_module(MODULE, cert_args, aws_env)
    assert again["changed"] is False and again["certificate"]["arn"] == cert["arn"]

    info = run_module(MODULE + "_info", {"name": cert_args["name"], "domain_name": cert_args["domain_name"]}, aws_env)
    assert info["changed"] is False and len(info["certificates"]) == 1
    assert dict(info["certificates"][0], status=None) == dict(cert, status=None)  # it may be ISSUED by now
    assert run_module(MODULE + "_info", {"name": "no-such-" + cert_args["name"]}, aws_env)["certificates"] == []

    retagged = run_module(MODULE, dict(cert_args, tags=dict(cert_args["tags"], Owner="ops")), aws_env)
    assert retagged["changed"] is True and retagged["certificate"]["tags"]["Owner"] == "ops"
    assert retagged["diff"]["before"]["tags"] == want_tags
    assert retagged["diff"]["after"]["tags"] == dict(want_tags, Owner="ops")
    tags = boto3_session.client("acm").list_tags_for_certificate(CertificateArn=cert["arn"])["Tags"]
    assert {"Key": "Owner", "Value": "ops"} in tags and {"Key": "Name", "Value": cert_args["name"]} in tags

    waited = run_module(MODULE, dict(cert_args, wait=True, wait_timeout=120), aws_env)
    assert waited["certificate"]["status"] == "ISSUED"

    changed_domains = run_module(MODULE, dict(cert_args, subject_alternative_names=[]), aws_env)
    assert changed_domains.get("failed") and "cannot change" in changed_domains["msg"]

    gone_check = run_module(MODULE, dict(cert_args, state="absent"), aws_env, check=True)
    assert gone_check["changed"] is True and arns(boto3_session, cert_args["name"]) == [cert["arn"]]
    gone = run_module(MODULE, dict(cert_args, state="absent"), aws_env)
    assert gone["changed"] is True and arns(boto3_session, cert_args["name"]) == []
    assert gone["diff"]["before"]["domain_name"] == cert_args["domain_name"] and gone["diff"]["after"] == {}
    assert run_module(MODULE, dict(cert_args, state="absent"), aws_env)["changed"] is False


def test_wait_times_out_with_a_clear_message(aws_env, cert_args):
    result = run_module(MODULE, dict(cert_args, wait=True, wait_timeout=1), aws_env)
    assert result.get("failed") and "is still PENDING_VALIDATION after 1 seconds" in result["msg"], result
    assert cert_args["name"] in result["msg"] and "Traceback" not in result.get("module_stderr", "")
    run_module(MODULE, dict(cert_args, state="absent"), aws_env)


def test_a_deleted_certificate_is_never_returned_on_redeploy(aws_env, boto3_session, cert_args):
    first = run_module(MODULE, cert_args, aws_env)["certificate"]["arn"]
    assert run_module(MODULE, dict(cert_args, state="absent"), aws_env)["changed"] is True
    again = run_module(MODULE, cert_args, aws_env)
    assert again["changed"] is True and again["certificate"]["arn"] != first, again
    assert arns(boto3_session, cert_args["name"]) == [again["certificate"]["arn"]]
    assert run_module(MODULE, dict(cert_args, state="absent"), aws_env)["changed"] is True


def test_reads_tags_of_its_domain_only_with_200_unrelated_certificates(aws_env, boto3_session, cert_args):
    """O(matching) calls: counted with a botocore event hook on the module's own lookup."""
    from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
    from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
    from ansible_collections.coherence.aws.plugins.module_utils import acm as acm_certificate

    acm = boto3_session.client("acm")
    unrelated = [acm.request_certificate(DomainName="other-%d-%s" % (i, cert_args["domain_name"]),
                                         ValidationMethod="DNS")["CertificateArn"] for i in range(200)]
    try:
        arn = run_module(MODULE, cert_args, aws_env)["certificate"]["arn"]
        calls = []
        acm.meta.events.register("before-call.acm", lambda model, **kwargs: calls.append(model.name))
        client = RetryingBotoClientWrapper(acm, AWSRetry.jittered_backoff())
        found = acm_certificate.find(client, cert_args["name"], cert_args["domain_name"])
        assert found["CertificateArn"] == arn
        assert calls == ["ListCertificates", "ListTagsForCertificate", "DescribeCertificate"], calls
        # the module's own run on that account is unchanged (and cheap)
        assert run_module(MODULE, cert_args, aws_env)["changed"] is False
    finally:
        for other in unrelated:
            acm.delete_certificate(CertificateArn=other)
        run_module(MODULE, dict(cert_args, state="absent"), aws_env)
