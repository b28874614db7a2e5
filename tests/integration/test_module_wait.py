# -*- coding: utf-8 -*-
"""coherence.aws.wait against the embedded AWS: a set of resources in one task; failed ones fail
the wait at the first poll (a NAT gateway made with an address in use, a stopped database)."""

from __future__ import annotations

import time
import uuid

import embedded_aws
from conftest import run_module
from support import clients

MODULE = "coherence.aws.wait"


def database(session, suffix, subnets):
    rds = session.client("rds")
    rds.create_db_subnet_group(DBSubnetGroupName="wait-" + suffix, DBSubnetGroupDescription="t", SubnetIds=subnets)
    rds.create_db_instance(DBInstanceIdentifier="wait-" + suffix, Engine="postgres", DBInstanceClass="db.t4g.micro",
                           MasterUsername="coherence", MasterUserPassword="not-a-real-one-1", AllocatedStorage=20,
                           DBSubnetGroupName="wait-" + suffix)
    return "wait-" + suffix


def test_waits_for_a_set_in_one_task_and_returns_each(aws_env, boto3_session, network):
    suffix = uuid.uuid4().hex[:6]
    ec2, cache, acm = (boto3_session.client(s) for s in ("ec2", "elasticache", "acm"))
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=network["private_subnet_ids"][0], AllocationId=eip)["NatGateway"]["NatGatewayId"]
    db = database(boto3_session, suffix, network["private_subnet_ids"])
    cache.create_cache_subnet_group(CacheSubnetGroupName="wait-" + suffix, CacheSubnetGroupDescription="t",
                                    SubnetIds=network["private_subnet_ids"])
    cache.create_replication_group(ReplicationGroupId="wait-" + suffix, ReplicationGroupDescription="t",
                                   CacheSubnetGroupName="wait-" + suffix)
    cert = acm.request_certificate(DomainName="wait-%s.example.com" % suffix, ValidationMethod="DNS")["CertificateArn"]
    args = {"nat_gateway_ids": [nat], "db_instance_identifiers": [db], "replication_group_ids": ["wait-" + suffix],
            "certificate_arns": [cert], "wait_timeout": 120}
    try:
        planned = run_module(MODULE, args, aws_env, check=True)
        # check mode describes without waiting (moto may have issued the certificate meanwhile)
        assert planned["changed"] is False and planned["certificates"][0]["status"] in ("PENDING_VALIDATION", "ISSUED")
        assert planned["instances"][0]["db_instance_identifier"] == db
        ready = run_module(MODULE, args, aws_env)
        assert ready["changed"] is False and not ready.get("failed"), ready
        assert [g["state"] for g in ready["nat_gateways"]] == ["available"]
        assert ready["instances"][0]["db_instance_status"] == "available" and ready["instances"][0]["endpoint"]["address"]
        assert ready["replication_groups"][0]["status"] == "available"
        assert ready["certificates"][0]["status"] == "ISSUED"  # moto issues after MOTO_ACM_VALIDATION_WAIT (5 s)
    finally:
        cache.delete_replication_group(ReplicationGroupId="wait-" + suffix)
        boto3_session.client("rds").delete_db_instance(DBInstanceIdentifier=db, SkipFinalSnapshot=True)
        ec2.delete_nat_gateway(NatGatewayId=nat)
        ec2.release_address(AllocationId=eip)
        acm.delete_certificate(CertificateArn=cert)


def test_a_failed_nat_gateway_fails_the_wait_at_the_first_poll(aws_env, boto3_session, network):
    ec2 = boto3_session.client("ec2")
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    good = ec2.create_nat_gateway(SubnetId=network["private_subnet_ids"][0], AllocationId=eip)["NatGateway"]["NatGatewayId"]
    # AWS makes a gateway whose address is in use, and it goes to 'failed' (embedded AWS patch)
    bad = ec2.create_nat_gateway(SubnetId=network["private_subnet_ids"][1], AllocationId=eip)["NatGateway"]["NatGatewayId"]
    try:
        started = time.time()
        result = run_module(MODULE, {"nat_gateway_ids": [good, bad], "wait_timeout": 1800}, aws_env)
        elapsed = time.time() - started
        assert result.get("failed"), result
        assert "is failed" in result["msg"] and bad in result["msg"] and "already associated" in result["msg"]
        assert elapsed < 15, "the wait polled again (every 15 s) instead of failing at once: %.1f s" % elapsed
    finally:
        for nat in (good, bad):
            ec2.delete_nat_gateway(NatGatewayId=nat)
        ec2.release_address(AllocationId=eip)


def test_a_stopped_database_fails_the_wait_at_the_first_poll(aws_env, boto3_session, network):
    rds = boto3_session.client("rds")
    db = database(boto3_session, uuid.uuid4().hex[:6], network["private_subnet_ids"])
    rds.stop_db_instance(DBInstanceIdentifier=db)
    try:
        started = time.time()
        result = run_module(MODULE, {"db_instance_identifiers": [db], "wait_timeout": 1800}, aws_env)
        elapsed = time.time() - started
        assert result.get("failed") and "DB instance %s is stopped" % db in result["msg"], result
        assert elapsed < 30, "the wait polled again (every 30 s) instead of failing at once: %.1f s" % elapsed
        gone = run_module(MODULE, {"db_instance_identifiers": ["no-such-db"], "wait_timeout": 1800}, aws_env)
        assert gone.get("failed") and "DBInstanceNotFound" in gone["msg"]
    finally:
        rds.delete_db_instance(DBInstanceIdentifier=db, SkipFinalSnapshot=True)


def test_bad_certificate_arn_fails_before_any_call(aws_env):
    result = run_module(MODULE, {"certificate_arns": ["not-an-arn"]}, aws_env)
    assert result.get("failed") and "certificate_arns: not-an-arn is not a certificate ARN" in result["msg"]


def test_report_after_returns_what_is_still_starting_then_waits_on(aws_env, tmp_path):
    """On an embedded AWS that holds databases and distributions in progress for a few seconds
    (tools/embedded_aws.py's simulated waits): a round with report_after returns what is still
    starting, in its state, without failing; the next round finds it ready."""
    state = embedded_aws.start(str(tmp_path), delays={"rds": 5, "cloudfront": 5})
    try:
        environ = dict(aws_env, **embedded_aws.client_env(state["url"]))
        rds, cloudfront = (clients(environ)(s) for s in ("rds", "cloudfront"))
        rds.create_db_instance(DBInstanceIdentifier="rounds", Engine="postgres", DBInstanceClass="db.t4g.micro",
                               MasterUsername="app", MasterUserPassword="not-a-real-one-1", AllocatedStorage=20)
        distribution = cloudfront.create_distribution(DistributionConfig={
            "CallerReference": "rounds", "Comment": "rounds", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "rounds.s3.amazonaws.com",
                                                  "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0,
                                     "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}}})["Distribution"]["Id"]
        args = {"db_instance_identifiers": ["rounds"], "distribution_ids": [distribution], "wait_timeout": 600}
        first = run_module(MODULE, dict(args, report_after=0), environ)
        assert not first.get("failed"), first
        assert first["pending"] == [{"resource": "DB instance rounds", "state": "creating"},
                                    {"resource": "CloudFront distribution " + distribution, "state": "InProgress"}]
        time.sleep(5.5)
        ready = run_module(MODULE, dict(args, report_after=0), environ)
        assert ready["pending"] == [] and ready["distributions"][0]["status"] == "Deployed"
        assert ready["instances"][0]["db_instance_status"] == "available"
        # Without report_after, the deadline fails the task naming what was not ready.
        rds.create_db_instance(DBInstanceIdentifier="late", Engine="postgres", DBInstanceClass="db.t4g.micro",
                               MasterUsername="app", MasterUserPassword="not-a-real-one-1", AllocatedStorage=20)
        late = run_module(MODULE, {"db_instance_identifiers": ["late"], "wait_timeout": 0}, environ)
        assert late.get("failed") and "DB instance late is still creating after 0 seconds" in late["msg"], late
    finally:
        embedded_aws.stop(str(tmp_path))
