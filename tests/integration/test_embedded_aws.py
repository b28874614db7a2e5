# -*- coding: utf-8 -*-
"""The embedded AWS: starts on 127.0.0.1, is reused while running, stops by its pid."""

from __future__ import annotations

import os
import sys

import boto3

import embedded_aws
from conftest import REPO, run


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


def test_patch_kms_key_deletion_calls_take_an_arn(boto3_session):
    kms = boto3_session.client("kms")
    key = kms.create_key(Description="patch-check")["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=7)
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
    kms.cancel_key_deletion(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    kms.disable_key(KeyId=key["Arn"])
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"


def test_patch_elasticache_deletes_finish_and_subnet_groups_delete(boto3_session):
    ec2, cache = boto3_session.client("ec2"), boto3_session.client("elasticache")
    vpc = ec2.create_vpc(CidrBlock="10.44.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.44.0.0/24")["Subnet"]["SubnetId"]
    cache.create_cache_subnet_group(CacheSubnetGroupName="patch-check", CacheSubnetGroupDescription="d",
                                    SubnetIds=[subnet])
    cache.create_replication_group(ReplicationGroupId="patch-check", ReplicationGroupDescription="d",
                                   CacheSubnetGroupName="patch-check", CacheNodeType="cache.t4g.micro")
    deleting = cache.delete_replication_group(ReplicationGroupId="patch-check")["ReplicationGroup"]
    assert deleting["Status"] == "deleting"
    ids = [g["ReplicationGroupId"] for g in cache.describe_replication_groups()["ReplicationGroups"]]
    assert "patch-check" not in ids
    cache.delete_cache_subnet_group(CacheSubnetGroupName="patch-check")
    names = [g["CacheSubnetGroupName"] for g in cache.describe_cache_subnet_groups()["CacheSubnetGroups"]]
    assert "patch-check" not in names
