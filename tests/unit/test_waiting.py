# -*- coding: utf-8 -*-
"""module_utils/waiting: failure states stop a wait at the first poll, throttling is retried,
a timeout names the last state; botocore's stubber stands in for AWS (no network)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.coherence.aws.plugins.module_utils import waiting


@pytest.fixture
def no_sleep(monkeypatch):
    slept = []
    monkeypatch.setattr("botocore.waiter.time.sleep", slept.append)
    return slept


def client(service):
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x",
                        endpoint_url="http://127.0.0.1:9")  # never reached: the stubber answers


def nat(state, **extra):
    return {"NatGateways": [dict({"NatGatewayId": "nat-1", "State": state}, **extra)]}


def test_a_failed_nat_gateway_stops_the_wait_at_the_first_poll(no_sleep):
    ec2 = client("ec2")
    with Stubber(ec2) as stub:
        stub.add_response("describe_nat_gateways", nat("failed", FailureMessage="Elastic IP address [e-1] is already associated"))
        with pytest.raises(waiting.WaitFailed) as failed:
            waiting.wait(ec2, "nat_gateway_available", "NAT gateway nat-1", 1800, NatGatewayIds=["nat-1"])
    assert failed.value.message == ("NAT gateway nat-1 is failed, a state it does not leave by itself: "
                                    "Elastic IP address [e-1] is already associated")
    assert no_sleep == []


def test_throttling_is_a_retry_not_a_state(no_sleep):
    ec2 = client("ec2")
    with Stubber(ec2) as stub:
        stub.add_client_error("describe_nat_gateways", service_error_code="RequestLimitExceeded", http_status_code=400)
        stub.add_response("describe_nat_gateways", nat("pending"))
        stub.add_response("describe_nat_gateways", nat("available"))
        waiting.wait(ec2, "nat_gateway_available", "NAT gateway nat-1", 1800, NatGatewayIds=["nat-1"])
    assert no_sleep == [15, 15]


def test_a_timeout_names_the_last_state(no_sleep):
    rds = client("rds")
    with Stubber(rds) as stub:
        for _attempt in range(3):
            stub.add_response("describe_db_instances", {"DBInstances": [{"DBInstanceStatus": "creating"}]})
        with pytest.raises(waiting.WaitFailed) as failed:
            waiting.wait(rds, "db_instance_available", "DB instance db-1", 60, DBInstanceIdentifier="db-1")
    assert failed.value.message == "DB instance db-1 is still creating after 60 seconds"
    assert failed.value.state == "creating"  # a timeout, which a wait with report_after reports as pending
    assert no_sleep == [30, 30]


@pytest.mark.parametrize("status", ["stopped", "incompatible-parameters", "inaccessible-encryption-credentials",
                                    "storage-full", "deleting", "failed"])
def test_database_states_it_does_not_leave_by_itself(no_sleep, status):
    rds = client("rds")
    with Stubber(rds) as stub:
        stub.add_response("describe_db_instances", {"DBInstances": [{"DBInstanceStatus": status}]})
        with pytest.raises(waiting.WaitFailed) as failed:
            waiting.wait(rds, "db_instance_available", "DB instance db-1", 1800, DBInstanceIdentifier="db-1")
    assert "is %s" % status in failed.value.message and no_sleep == []


def test_a_missing_resource_fails_with_what_aws_said(no_sleep):
    cache = client("elasticache")
    with Stubber(cache) as stub:
        stub.add_client_error("describe_replication_groups", service_error_code="ReplicationGroupNotFoundFault",
                              service_message="ReplicationGroup c-1 not found.", http_status_code=404)
        with pytest.raises(waiting.WaitFailed) as failed:
            waiting.wait(cache, "replication_group_available", "replication group c-1", 1800, ReplicationGroupId="c-1")
    assert failed.value.message == "replication group c-1: ReplicationGroup c-1 not found. (ReplicationGroupNotFoundFault)"


def test_gone_is_success_for_deletes(no_sleep):
    rds = client("rds")
    with Stubber(rds) as stub:
        stub.add_response("describe_db_proxies", {"DBProxies": [{"DBProxyName": "p", "Status": "deleting"}]})
        stub.add_client_error("describe_db_proxies", service_error_code="DBProxyNotFoundFault", http_status_code=404)
        waiting.wait(rds, "db_proxy_deleted", "proxy p", 1800, DBProxyName="p")
    assert no_sleep == [10]


def test_certificate_records_published_needs_every_domain(no_sleep):
    acm = client("acm")
    option = {"DomainName": "a.example.com", "ResourceRecord": {"Name": "_x", "Type": "CNAME", "Value": "_y"}}
    with Stubber(acm) as stub:
        stub.add_response("describe_certificate", {"Certificate": {"Status": "PENDING_VALIDATION", "DomainValidationOptions": [
            option, {"DomainName": "b.example.com"}]}})
        stub.add_response("describe_certificate", {"Certificate": {"Status": "PENDING_VALIDATION",
                                                                   "DomainValidationOptions": [option]}})
        waiting.wait(acm, "certificate_records_published", "certificate c", 10, CertificateArn="arn:aws:acm:us-east-1:1:certificate/c")
