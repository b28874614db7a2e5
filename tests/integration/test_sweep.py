# -*- coding: utf-8 -*-
"""coherence.aws.app_resources_info (teardown.yml's closing sweep, and the tests' own) against the
embedded AWS: it finds each kind of thing by its tags or its service's listing, leaves out the
traces of deleted things and other apps' and environments' resources, and keeps what it is told
to keep."""

from __future__ import annotations

import json

from support import run_module

APP = "swept"
TAGS = {"Application": APP, "ManagedBy": "coherence"}


def tag_list(**extra):
    return [{"Key": k, "Value": v} for k, v in dict(TAGS, **extra).items()]


def found(result):
    return sorted("%s %s" % (r["kind"], r["name"]) for r in result["resources"])


def test_sweep_finds_each_kind_and_only_ours(aws, aws_env):
    ec2, s3, iam = aws("ec2"), aws("s3"), aws("iam")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": tag_list(Name=APP)}])["Vpc"]["VpcId"]
    ec2.create_security_group(GroupName="swept-review-services", Description="d", VpcId=vpc, TagSpecifications=[
        {"ResourceType": "security-group", "Tags": tag_list(EnvironmentName="review")}])
    ec2.create_security_group(GroupName="swept-pr-services", Description="d", VpcId=vpc, TagSpecifications=[
        {"ResourceType": "security-group", "Tags": tag_list(EnvironmentName="pr")}])
    # Found by name only (the tagging API never shows IAM; a bucket made before its tags).
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    iam.create_role(RoleName="swept-review-api", AssumeRolePolicyDocument=trust, Tags=tag_list(EnvironmentName="review"))
    iam.create_role(RoleName="swept-pr-api", AssumeRolePolicyDocument=trust, Tags=tag_list(EnvironmentName="pr"))
    s3.create_bucket(Bucket="swept-review-uploads-0a1b2c")
    # Another app whose name starts like ours: never ours.
    iam.create_role(RoleName="swept-admin-api", AssumeRolePolicyDocument=trust,
                    Tags=[{"Key": "Application", "Value": "swept-admin"}])
    s3.create_bucket(Bucket="swept-admin-uploads-3d4e5f")
    s3.put_bucket_tagging(Bucket="swept-admin-uploads-3d4e5f", Tagging={"TagSet": [{"Key": "Application", "Value": "swept-admin"}]})
    # Traces of deleted things: a key pending deletion, a secret in its recovery window.
    kms = aws("kms")
    key = kms.create_key(Tags=[{"TagKey": k, "TagValue": v} for k, v in dict(TAGS, EnvironmentName="review").items()])
    kms.schedule_key_deletion(KeyId=key["KeyMetadata"]["KeyId"], PendingWindowInDays=7)
    secrets = aws("secretsmanager")
    secrets.create_secret(Name="coherence/swept/review", SecretString="{}", Tags=tag_list(EnvironmentName="review"))
    secrets.delete_secret(SecretId="coherence/swept/review", RecoveryWindowInDays=7)
    secrets.create_secret(Name="coherence/swept/review/db/api/db", SecretString="{}")

    everything = run_module("coherence.aws.app_resources_info", {"app": APP}, aws_env)
    assert everything["changed"] is False
    assert found(everything) == sorted([
        "IAM role swept-pr-api", "IAM role swept-review-api", "bucket swept-review-uploads-0a1b2c",
        "ec2 security-group " + sg_id(ec2, "swept-pr-services"), "ec2 security-group " + sg_id(ec2, "swept-review-services"),
        "ec2 vpc " + vpc, "secret coherence/swept/review/db/api/db"]), everything["resources"]
    assert all(r["region"] == "us-east-1" and r["summary"].endswith("(us-east-1)") for r in everything["resources"])

    # One environment: what is tagged or named as review's, not the app's shared VPC nor pr's.
    review = run_module("coherence.aws.app_resources_info", {"app": APP, "environment": "review",
                                                             "keep": ["arn:*:s3:::swept-review-uploads-*"]}, aws_env)
    assert found(review) == sorted(["IAM role swept-review-api", "ec2 security-group " + sg_id(ec2, "swept-review-services"),
                                    "secret coherence/swept/review/db/api/db"]), review["resources"]
    assert [r["name"] for r in review["kept"]] == ["swept-review-uploads-0a1b2c"]


def sg_id(ec2, name):
    return ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [name]}])["SecurityGroups"][0]["GroupId"]
