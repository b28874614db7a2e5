# -*- coding: utf-8 -*-
"""roles/data against the embedded AWS.

Read-only checks read the one shared deploy of examples/demo (fixture demo_review). Tests that
change an environment (drift, update) run the data role alone, under their own app name, in a
network made with boto3 and given to the role as coherence_network. Teardown is
test_network.py's (one deploy of the whole site); re-runs that change nothing and the sweep
after teardown are the molecule scenarios'.
"""

from __future__ import annotations

import json

import pytest

from support import (DEMO, assert_ok, assert_secret_free, assert_unchanged, role_playbook, secret_values, tags_of)


def test_database_private_encrypted_behind_its_proxy(demo_review):
    client = demo_review["client"]
    rds = client("rds")
    db = rds.describe_db_instances(DBInstanceIdentifier="shop-review-api-db")["DBInstances"][0]
    assert db["StorageEncrypted"] is True and db["PubliclyAccessible"] is False
    assert (db["Engine"], db["DBInstanceClass"], db["BackupRetentionPeriod"], db["MultiAZ"]) == (
        "postgres", "db.t4g.micro", 0, False)
    assert db["DeletionProtection"] is False  # review
    assert db["DBSubnetGroup"]["DBSubnetGroupName"] == "shop-review-api-db"
    groups = client("ec2").describe_security_groups(GroupIds=[g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]])
    assert [g["GroupName"] for g in groups["SecurityGroups"]] == ["shop-review-database"]
    login = secret_values(client, "coherence/shop/review/db/api/db")
    assert login["username"].startswith("master_") and len(login["password"]) == 32
    assert db["MasterUsername"] == login["username"]
    proxy = rds.describe_db_proxies(DBProxyName="shop-review-api-db")["DBProxies"][0]
    assert proxy["RequireTLS"] is True and proxy["EngineFamily"] == "POSTGRESQL"
    db_secret_arn = client("secretsmanager").describe_secret(SecretId="coherence/shop/review/db/api/db")["ARN"]
    assert [a["SecretArn"] for a in proxy["Auth"]] == [db_secret_arn]
    targets = rds.describe_db_proxy_targets(DBProxyName="shop-review-api-db")["Targets"]
    assert [t["RdsResourceId"] for t in targets] == ["shop-review-api-db"]
    # the proxy's role reads that one secret, nothing else
    policy = client("iam").get_role_policy(RoleName="shop-review-api-db-proxy", PolicyName="read-database-secret")
    statements = policy["PolicyDocument"]["Statement"]
    assert statements[0]["Action"] == "secretsmanager:GetSecretValue" and statements[0]["Resource"] == db_secret_arn


def test_cache_and_bucket(demo_review):
    client = demo_review["client"]
    group = client("elasticache").describe_replication_groups(ReplicationGroupId="shop-review-api-cache")[
        "ReplicationGroups"][0]
    assert group["AtRestEncryptionEnabled"] is True and group["TransitEncryptionEnabled"] is True
    s3 = client("s3")
    bucket = [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith("shop-review-api-uploads-")]
    assert len(bucket) == 1
    bucket = bucket[0]
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    key = client("kms").describe_key(KeyId="alias/coherence/shop-review")["KeyMetadata"]["Arn"]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    statement = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"][0]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == [
        {"AllowedMethods": ["GET", "PUT"], "AllowedOrigins": ["https://shop.example.com"]}]
    assert tags_of({"Tags": s3.get_bucket_tagging(Bucket=bucket)["TagSet"]})["EnvironmentName"] == "review"


def test_environment_secret_wires_everything_without_printing_it(demo_review):
    client = demo_review["client"]
    values = secret_values(client, "coherence/shop/review")
    proxy = client("rds").describe_db_proxies(DBProxyName="shop-review-api-db")["DBProxies"][0]["Endpoint"]
    login = secret_values(client, "coherence/shop/review/db/api/db")
    assert values["api-db.DATABASE_URL"] == "postgresql://%s:%s@%s:5432/db" % (login["username"], login["password"], proxy)
    assert values["api-cache.REDIS_URL"].startswith("rediss://") and values["api-cache.REDIS_PORT"] == "6379"
    assert values["api-uploads.BUCKET"].startswith("shop-review-api-uploads-")
    assert values["STRIPE_KEY"] == demo_review["secret"] and values["COHERENCE_ENVIRONMENT_NAME"] == "review"
    described = client("secretsmanager").describe_secret(SecretId="coherence/shop/review")
    assert described["KmsKeyId"].endswith("alias/coherence/shop-review") or "key/" in described["KmsKeyId"]
    assert_secret_free(demo_review["first"].stdout + demo_review["first"].stderr, demo_review["secret"], login["password"])


@pytest.fixture
def data_alone(aws_env, network):
    """Arguments for the data role alone (its own app name per test), inside the boto3-made
    network; deleted afterwards."""
    def deploy(app, coherence_file=DEMO, env_vars=None):
        settings = dict(env="review", app_name=app, coherence_file=coherence_file)
        extra = ("-e", json.dumps({"coherence_network": network, "env_vars": env_vars or {}}))
        made.append((extra, settings))
        return role_playbook("data", "create", *extra, environ=aws_env, **settings), extra, settings

    made = []
    yield deploy
    for extra, settings in made[-1:]:
        role_playbook("data", "delete", *extra, environ=aws_env, **settings)


def test_class_backups_and_multi_az_changed_outside_are_not_drift(aws_env, aws, data_alone):
    """A database's class, backups and Multi-AZ, and a cache's node type, resized outside, are kept."""
    built, extra, settings = data_alone("drift")
    assert_ok(built)
    rds = aws("rds")
    rds.modify_db_instance(DBInstanceIdentifier="drift-review-api-db", DBInstanceClass="db.t4g.small",
                           BackupRetentionPeriod=3, MultiAZ=True, ApplyImmediately=True)
    elasticache = aws("elasticache")
    before = elasticache.describe_replication_groups(ReplicationGroupId="drift-review-api-cache")
    assert before["ReplicationGroups"][0]["CacheNodeType"] != "cache.t4g.small"
    elasticache.modify_replication_group(ReplicationGroupId="drift-review-api-cache", CacheNodeType="cache.t4g.small",
                                         ApplyImmediately=True)
    assert_unchanged(role_playbook("data", "create", *extra, environ=aws_env, **settings))
    db = rds.describe_db_instances(DBInstanceIdentifier="drift-review-api-db")["DBInstances"][0]
    assert (db["DBInstanceClass"], db["BackupRetentionPeriod"], db["MultiAZ"]) == ("db.t4g.small", 3, True)
    group = elasticache.describe_replication_groups(ReplicationGroupId="drift-review-api-cache")["ReplicationGroups"][0]
    assert group["CacheNodeType"] == "cache.t4g.small"


def test_update_a_new_variable_and_a_second_bucket(aws_env, aws, data_alone, tmp_path):
    assert_ok(data_alone("grow", env_vars={"STRIPE_KEY": "sk_test_grow"})[0])
    text = open(DEMO).read().replace(
        "    - name: uploads\n", "    - name: assets\n      type: object_storage\n    - name: uploads\n", 1)
    changed_file = tmp_path / "coherence.yml"
    changed_file.write_text(text)
    assert_ok(data_alone("grow", coherence_file=str(changed_file),
                         env_vars={"STRIPE_KEY": "sk_test_grow", "FEATURE_FLAG": "on"})[0])
    values = secret_values(aws, "coherence/grow/review")
    assert values["FEATURE_FLAG"] == "on" and values["STRIPE_KEY"] == "sk_test_grow"
    assert values["api-assets.BUCKET"].startswith("grow-review-api-assets-")
    assert values["api-uploads.BUCKET"].startswith("grow-review-api-uploads-")
    buckets = [b["Name"] for b in aws("s3").list_buckets()["Buckets"] if b["Name"].startswith("grow-")]
    assert len(buckets) == 2
