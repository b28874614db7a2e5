# -*- coding: utf-8 -*-
"""The embedded AWS: starts on 127.0.0.1, is reused while running, stops by its pid."""

from __future__ import annotations

import os
import sys
import time

import boto3
import pytest
from botocore.exceptions import ClientError

import embedded_aws
from conftest import REPO, clients, run


def test_start_reuse_stop(tmp_path):
    directory = str(tmp_path)
    first = embedded_aws.start(directory)
    try:
        assert first["url"] == "http://127.0.0.1:%d" % first["port"]
        again = embedded_aws.start(directory)
        assert again == first, "a second start must reuse the running server"
        assert embedded_aws.running(directory) == first
    finally:
        assert embedded_aws.stop(directory) is True
    assert embedded_aws.running(directory) is None
    assert not embedded_aws.answers(first["url"])
    assert embedded_aws.stop(directory) is False  # idempotent


def test_aws_endpoint_url_reaches_it_over_http(moto_server, monkeypatch):
    for key, value in embedded_aws.client_env(moto_server).items():
        monkeypatch.setenv(key, value)
    s3 = boto3.client("s3")
    assert s3.meta.endpoint_url == moto_server
    s3.create_bucket(Bucket="embedded-aws-check")
    assert "embedded-aws-check" in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    s3.delete_bucket(Bucket="embedded-aws-check")
    # Production lives in its own account: AssumeRole into another account works here.
    creds = boto3.client("sts").assume_role(RoleArn="arn:aws:iam::222222222222:role/deploy",
                                            RoleSessionName="embedded-aws-test")["Credentials"]
    other = boto3.client("sts", aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"])
    assert other.get_caller_identity()["Account"] == "222222222222"


def test_command_line(tmp_path):
    env = dict(os.environ, COHERENCE_EMBEDDED_AWS_DIR=str(tmp_path))
    script = os.path.join(REPO, "tools", "embedded_aws.py")
    started = run([sys.executable, script, "start"], env=env)
    try:
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip()
        assert url.startswith("http://127.0.0.1:")
        assert run([sys.executable, script, "url"], env=env).stdout.strip() == url
        exports = run([sys.executable, script, "env"], env=env).stdout
        assert "export AWS_ENDPOINT_URL=%s" % url in exports
    finally:
        stopped = run([sys.executable, script, "stop"], env=env)
    assert stopped.stdout.strip() == "stopped"
    assert run([sys.executable, script, "url"], env=env).returncode == 1


def test_patches_describe_tags_types_and_nat_gateway_interfaces(boto3_session):
    ec2 = boto3_session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.0.0/24")["Subnet"]["SubnetId"]
    eip = ec2.allocate_address(Domain="vpc", TagSpecifications=[
        {"ResourceType": "elastic-ip", "Tags": [{"Key": "Name", "Value": "patch-check"}]}])["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eip, TagSpecifications=[
        {"ResourceType": "natgateway", "Tags": [{"Key": "Name", "Value": "patch-check"}]}])["NatGateway"]["NatGatewayId"]
    try:
        for rtype, rid in (("natgateway", nat), ("elastic-ip", eip)):
            tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [rid]},
                                              {"Name": "resource-type", "Values": [rtype]}])["Tags"]
            assert [(t["ResourceType"], t["Value"]) for t in tags] == [(rtype, "patch-check")]
    finally:
        ec2.delete_nat_gateway(NatGatewayId=nat)
        # patch: the NAT gateway's interface goes with it, and its address is free to release
        assert ec2.describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkInterfaces"] == []
        assert "AssociationId" not in ec2.describe_addresses(AllocationIds=[eip])["Addresses"][0]
        ec2.release_address(AllocationId=eip)
        ec2.delete_subnet(SubnetId=subnet)
        ec2.delete_vpc(VpcId=vpc)


def test_patch_kms_key_state_calls_take_an_id_or_arn_not_an_alias(boto3_session):
    kms = boto3_session.client("kms")
    key = kms.create_key(Description="patch-check")["KeyMetadata"]
    kms.create_alias(AliasName="alias/patch-check-" + key["KeyId"][:8], TargetKeyId=key["KeyId"])
    kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=7)
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    kms.cancel_key_deletion(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    kms.disable_key(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    # KMS takes a key id or key ARN here, not an alias: NotFoundException, and nothing changes
    for key_id in ("alias/patch-check-" + key["KeyId"][:8], "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(ClientError) as raised:
            kms.enable_key(KeyId=key_id)
        assert raised.value.response["Error"]["Code"] == "NotFoundException"
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"


def test_patch_elasticache_deletes_finish_and_subnet_groups_delete_when_unused(boto3_session):
    ec2, cache = boto3_session.client("ec2"), boto3_session.client("elasticache")
    vpc = ec2.create_vpc(CidrBlock="10.44.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.44.0.0/24")["Subnet"]["SubnetId"]
    cache.create_cache_subnet_group(CacheSubnetGroupName="patch-check", CacheSubnetGroupDescription="d",
                                    SubnetIds=[subnet])
    cache.create_replication_group(ReplicationGroupId="patch-check", ReplicationGroupDescription="d",
                                   CacheSubnetGroupName="patch-check", CacheNodeType="cache.t4g.micro")
    # a subnet group still in use is refused (CacheSubnetGroupInUse), and stays
    with pytest.raises(ClientError) as raised:
        cache.delete_cache_subnet_group(CacheSubnetGroupName="patch-check")
    assert raised.value.response["Error"]["Code"] == "CacheSubnetGroupInUse"
    assert "patch-check" in raised.value.response["Error"]["Message"]
    deleting = cache.delete_replication_group(ReplicationGroupId="patch-check")["ReplicationGroup"]
    assert deleting["Status"] == "deleting"
    ids = [g["ReplicationGroupId"] for g in cache.describe_replication_groups()["ReplicationGroups"]]
    assert "patch-check" not in ids
    cache.delete_cache_subnet_group(CacheSubnetGroupName="patch-check")
    names = [g["CacheSubnetGroupName"] for g in cache.describe_cache_subnet_groups()["CacheSubnetGroups"]]
    assert "patch-check" not in names


def test_patch_elasticache_tls_goes_on_through_preferred(boto3_session):
    ec2, cache = boto3_session.client("ec2"), boto3_session.client("elasticache")
    vpc = ec2.create_vpc(CidrBlock="10.45.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.45.0.0/24")["Subnet"]["SubnetId"]
    cache.create_cache_subnet_group(CacheSubnetGroupName="tls-check", CacheSubnetGroupDescription="d", SubnetIds=[subnet])
    cache.create_replication_group(ReplicationGroupId="tls-check", ReplicationGroupDescription="d",
                                   CacheSubnetGroupName="tls-check", TransitEncryptionEnabled=False)

    def tls():
        group = cache.describe_replication_groups(ReplicationGroupId="tls-check")["ReplicationGroups"][0]
        return group["TransitEncryptionEnabled"], group.get("TransitEncryptionMode")

    try:
        with pytest.raises(ClientError) as raised:  # 'required' only after 'preferred'
            cache.modify_replication_group(ReplicationGroupId="tls-check", TransitEncryptionEnabled=True,
                                           TransitEncryptionMode="required", ApplyImmediately=True)
        assert raised.value.response["Error"]["Code"] == "InvalidParameterCombination"
        assert tls() == (False, None)
        cache.modify_replication_group(ReplicationGroupId="tls-check", TransitEncryptionEnabled=True,
                                       TransitEncryptionMode="preferred", ApplyImmediately=True)
        assert tls() == (True, "preferred")
        cache.modify_replication_group(ReplicationGroupId="tls-check", TransitEncryptionMode="required",
                                       ApplyImmediately=True)
        assert tls() == (True, "required")
        with pytest.raises(ClientError):  # off goes back through 'preferred' too
            cache.modify_replication_group(ReplicationGroupId="tls-check", TransitEncryptionEnabled=False,
                                           ApplyImmediately=True)
        assert tls() == (True, "required")
    finally:
        cache.delete_replication_group(ReplicationGroupId="tls-check")
        cache.delete_cache_subnet_group(CacheSubnetGroupName="tls-check")


def test_patch_nat_gateway_with_an_address_in_use_fails(boto3_session):
    ec2 = boto3_session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.46.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.46.0.0/24")["Subnet"]["SubnetId"]
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    first = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eip)["NatGateway"]
    second = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eip)["NatGateway"]
    assert first["State"] == "available"
    described = ec2.describe_nat_gateways(NatGatewayIds=[second["NatGatewayId"]])["NatGateways"][0]
    assert described["State"] == "failed" and described["FailureCode"] == "Resource.AlreadyAssociated"
    assert eip in described["FailureMessage"]
    # the failed one holds no interface; the address stays with the first
    enis = ec2.describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkInterfaces"]
    assert len(enis) == 1
    for nat in (first, second):
        ec2.delete_nat_gateway(NatGatewayId=nat["NatGatewayId"])
    ec2.release_address(AllocationId=eip)


def test_patch_rds_modify_db_proxy(boto3_session):
    ec2, rds = boto3_session.client("ec2"), boto3_session.client("rds")
    vpc = ec2.create_vpc(CidrBlock="10.47.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock="10.47.%d.0/24" % i, AvailabilityZone="us-east-1" + az)
               ["Subnet"]["SubnetId"] for i, az in enumerate("ab")]
    sg = ec2.create_security_group(GroupName="proxy-patch", Description="p", VpcId=vpc)["GroupId"]
    secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:patch"
    rds.create_db_proxy(DBProxyName="patch-check", EngineFamily="POSTGRESQL", RoleArn="arn:aws:iam::123456789012:role/a",
                        Auth=[{"AuthScheme": "SECRETS", "SecretArn": secret, "IAMAuth": "DISABLED"}],
                        VpcSubnetIds=subnets, RequireTLS=True)
    try:
        modified = rds.modify_db_proxy(DBProxyName="patch-check", IdleClientTimeout=900, RequireTLS=False,
                                       DebugLogging=True, RoleArn="arn:aws:iam::123456789012:role/b",
                                       SecurityGroups=[sg],
                                       Auth=[{"AuthScheme": "SECRETS", "SecretArn": secret, "IAMAuth": "REQUIRED"}])
        assert modified["DBProxy"]["IdleClientTimeout"] == 900
        proxy = rds.describe_db_proxies(DBProxyName="patch-check")["DBProxies"][0]
        assert (proxy["IdleClientTimeout"], proxy["RequireTLS"], proxy["DebugLogging"]) == (900, False, True)
        assert proxy["RoleArn"].endswith("role/b") and proxy["VpcSecurityGroupIds"] == [sg]
        assert proxy["Auth"][0]["IAMAuth"] == "REQUIRED"
        with pytest.raises(ClientError) as raised:
            rds.modify_db_proxy(DBProxyName="no-such-proxy", IdleClientTimeout=900)
        assert raised.value.response["Error"]["Code"] == "DBProxyNotFoundFault"
    finally:
        rds.delete_db_proxy(DBProxyName="patch-check")


def test_patch_secret_marked_for_deletion_reads_as_aws_says(boto3_session):
    sm = boto3_session.client("secretsmanager")
    sm.create_secret(Name="embedded-aws/deleted", SecretString="x")
    sm.delete_secret(SecretId="embedded-aws/deleted", RecoveryWindowInDays=7)
    with pytest.raises(ClientError) as refused:
        sm.get_secret_value(SecretId="embedded-aws/deleted")
    error = refused.value.response["Error"]
    assert error["Code"] == "InvalidRequestException"
    assert "marked for deletion" in error["Message"]
    sm.restore_secret(SecretId="embedded-aws/deleted")
    assert sm.get_secret_value(SecretId="embedded-aws/deleted")["SecretString"] == "x"
    sm.delete_secret(SecretId="embedded-aws/deleted", ForceDeleteWithoutRecovery=True)


def _slow_things(client, name, cidr):
    """Make one of each resource the simulated waits hold; return a reader of their statuses and
    the distribution's id."""
    ec2, rds, cache = client("ec2"), client("rds"), client("elasticache")
    cloudfront, acm = client("cloudfront"), client("acm")
    # A fresh server makes each service's backend at its first call (seconds, on a busy machine):
    # made first, the resources below are made within a short delay of each other.
    ec2.describe_vpcs(), rds.describe_db_instances(), cache.describe_replication_groups()
    cloudfront.list_distributions(), acm.list_certificates()
    vpc = ec2.create_vpc(CidrBlock=cidr + ".0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock="%s.%d.0/24" % (cidr, i), AvailabilityZone="us-east-1" + az)
               ["Subnet"]["SubnetId"] for i, az in enumerate("ab")]
    nat = ec2.create_nat_gateway(SubnetId=subnets[0], AllocationId=ec2.allocate_address(Domain="vpc")["AllocationId"])[
        "NatGateway"]["NatGatewayId"]
    rds.create_db_instance(DBInstanceIdentifier=name, Engine="postgres", DBInstanceClass="db.t4g.micro",
                           MasterUsername="app", MasterUserPassword="not-a-secret-123", AllocatedStorage=20)
    rds.create_db_proxy(DBProxyName=name, EngineFamily="POSTGRESQL", RoleArn="arn:aws:iam::123456789012:role/p",
                        Auth=[{"AuthScheme": "SECRETS", "SecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:p"}],
                        VpcSubnetIds=subnets)
    cache.create_replication_group(ReplicationGroupId=name, ReplicationGroupDescription="d", CacheNodeType="cache.t4g.micro")
    certificate = acm.request_certificate(DomainName=name + ".example.com", ValidationMethod="DNS")["CertificateArn"]
    distribution = cloudfront.create_distribution(DistributionConfig={
        "CallerReference": name, "Comment": name, "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": name + ".s3.amazonaws.com",
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0,
                                 "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}}})["Distribution"]["Id"]

    def statuses():
        return {
            "nat": ec2.describe_nat_gateways(NatGatewayIds=[nat])["NatGateways"][0]["State"],
            "rds": rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]["DBInstanceStatus"],
            "rds_proxy": rds.describe_db_proxies(DBProxyName=name)["DBProxies"][0]["Status"],
            "elasticache": cache.describe_replication_groups(ReplicationGroupId=name)["ReplicationGroups"][0]["Status"],
            "acm": acm.describe_certificate(CertificateArn=certificate)["Certificate"]["Status"],
            "cloudfront": cloudfront.get_distribution(Id=distribution)["Distribution"]["Status"],
        }

    return statuses, distribution


READY = {"nat": "available", "rds": "available", "rds_proxy": "available", "elasticache": "available", "acm": "ISSUED",
         "cloudfront": "Deployed"}


def test_simulated_waits_hold_the_in_progress_status_then_release_it(tmp_path):
    delays = dict.fromkeys(embedded_aws.WAIT_KINDS, 2)
    state = embedded_aws.start(str(tmp_path), delays=delays)
    try:
        with pytest.raises(RuntimeError, match="stop it first"):  # a server is reused only with its own delays
            embedded_aws.start(str(tmp_path))
        client = clients(embedded_aws.client_env(state["url"]))
        statuses, distribution = _slow_things(client, "waits-on", "10.48")
        assert statuses() == {"nat": "pending", "rds": "creating", "rds_proxy": "creating", "elasticache": "creating",
                              "acm": "PENDING_VALIDATION", "cloudfront": "InProgress"}
        time.sleep(2.1)
        assert statuses() == READY
        # an update of a distribution is deployed again, as on AWS
        cloudfront = client("cloudfront")
        current = cloudfront.get_distribution_config(Id=distribution)
        cloudfront.update_distribution(Id=distribution, IfMatch=current["ETag"],
                                       DistributionConfig=dict(current["DistributionConfig"], Enabled=False))
        assert statuses()["cloudfront"] == "InProgress"
        # deletes proceed, whatever is held
        rds = client("rds")
        rds.create_db_instance(DBInstanceIdentifier="waits-deleted", Engine="postgres", DBInstanceClass="db.t4g.micro",
                               MasterUsername="app", MasterUserPassword="not-a-secret-123", AllocatedStorage=20)
        assert rds.delete_db_instance(DBInstanceIdentifier="waits-deleted", SkipFinalSnapshot=True)["DBInstance"][
            "DBInstanceStatus"] == "deleting"
    finally:
        embedded_aws.stop(str(tmp_path))


def test_simulated_waits_are_off_unless_asked_for(boto3_session):
    with pytest.raises(ValueError, match="unknown kind 'redis'"):
        embedded_aws.parse_delays("rds=60,redis=60")
    statuses, distribution = _slow_things(boto3_session.client, "waits-off", "10.49")
    # as moto has it: ready at once, but for the certificate (MOTO_ACM_VALIDATION_WAIT)
    assert statuses() == dict(READY, acm="PENDING_VALIDATION")
    boto3_session.client("rds").delete_db_instance(DBInstanceIdentifier="waits-off", SkipFinalSnapshot=True)
    boto3_session.client("rds").delete_db_proxy(DBProxyName="waits-off")
    boto3_session.client("elasticache").delete_replication_group(ReplicationGroupId="waits-off")
    boto3_session.client("cloudfront").delete_distribution(Id=distribution, IfMatch="any")
