# -*- coding: utf-8 -*-
"""roles/data through site.yml and teardown.yml against the embedded AWS.

create -> verify with boto3 -> re-run and check mode change nothing -> update (a new variable,
a second bucket) -> teardown leaves nothing of the app alive.
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import REPO, playbook
from test_network import alive_tagged, session_for, tags_of
from test_playbooks import recap

DEMO = os.path.join(REPO, "examples", "demo", "coherence.yml")
SECRET_VALUE = "sk_test_never_printed_1234"


@pytest.fixture(scope="module")
def env(moto_server):
    from conftest import embedded_aws

    environ = dict(os.environ, **embedded_aws.client_env(moto_server))
    environ["ANSIBLE_CONFIG"] = os.path.join(REPO, "ansible.cfg")
    settings = dict(env="review", app_name="datatest", base_domain="datatest.example.com", coherence_file=DEMO)
    extra = ("-e", json.dumps({"env_vars": {"STRIPE_KEY": SECRET_VALUE}}))
    first = playbook("site", *extra, environ=environ, **settings)
    assert first.returncode == 0, first.stdout[-6000:] + first.stderr[-3000:]
    return {"environ": environ, "settings": settings, "extra": extra, "first": first, "client": session_for(environ)}


def secret(client, name):
    return json.loads(client("secretsmanager").get_secret_value(SecretId=name)["SecretString"])


def test_database_private_encrypted_behind_its_proxy(env):
    client = env["client"]
    rds = client("rds")
    db = rds.describe_db_instances(DBInstanceIdentifier="datatest-review-api-db")["DBInstances"][0]
    assert db["StorageEncrypted"] is True and db["PubliclyAccessible"] is False
    assert (db["Engine"], db["DBInstanceClass"], db["BackupRetentionPeriod"], db["MultiAZ"]) == (
        "postgres", "db.t4g.micro", 0, False)
    assert db["DeletionProtection"] is False  # review
    assert db["DBSubnetGroup"]["DBSubnetGroupName"] == "datatest-review-api-db"
    groups = client("ec2").describe_security_groups(GroupIds=[g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]])
    assert [g["GroupName"] for g in groups["SecurityGroups"]] == ["datatest-review-database"]
    login = secret(client, "coherence/datatest/review/db/api/db")
    assert login["username"].startswith("master_") and len(login["password"]) == 32
    assert db["MasterUsername"] == login["username"]
    proxy = rds.describe_db_proxies(DBProxyName="datatest-review-api-db")["DBProxies"][0]
    assert proxy["RequireTLS"] is True and proxy["EngineFamily"] == "POSTGRESQL"
    db_secret_arn = client("secretsmanager").describe_secret(SecretId="coherence/datatest/review/db/api/db")["ARN"]
    assert [a["SecretArn"] for a in proxy["Auth"]] == [db_secret_arn]
    targets = rds.describe_db_proxy_targets(DBProxyName="datatest-review-api-db")["Targets"]
    assert [t["RdsResourceId"] for t in targets] == ["datatest-review-api-db"]
    # the proxy's role reads that one secret, nothing else
    policy = client("iam").get_role_policy(RoleName="datatest-review-api-db-proxy", PolicyName="read-database-secret")
    statements = policy["PolicyDocument"]["Statement"]
    assert statements[0]["Action"] == "secretsmanager:GetSecretValue" and statements[0]["Resource"] == db_secret_arn


def test_cache_and_bucket(env):
    client = env["client"]
    group = client("elasticache").describe_replication_groups(ReplicationGroupId="datatest-review-api-cache")[
        "ReplicationGroups"][0]
    assert group["AtRestEncryptionEnabled"] is True and group["TransitEncryptionEnabled"] is True
    s3 = client("s3")
    bucket = [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith("datatest-review-api-uploads-")]
    assert len(bucket) == 1
    bucket = bucket[0]
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    key = client("kms").describe_key(KeyId="alias/coherence/datatest-review")["KeyMetadata"]["Arn"]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    statement = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"][0]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == [
        {"AllowedMethods": ["GET", "PUT"], "AllowedOrigins": ["https://shop.example.com"]}]
    assert tags_of({"Tags": s3.get_bucket_tagging(Bucket=bucket)["TagSet"]})["EnvironmentName"] == "review"


def test_environment_secret_wires_everything_without_printing_it(env):
    client = env["client"]
    values = secret(client, "coherence/datatest/review")
    proxy = client("rds").describe_db_proxies(DBProxyName="datatest-review-api-db")["DBProxies"][0]["Endpoint"]
    password = secret(client, "coherence/datatest/review/db/api/db")["password"]
    user = secret(client, "coherence/datatest/review/db/api/db")["username"]
    assert values["api-db.DATABASE_URL"] == "postgresql://%s:%s@%s:5432/db" % (user, password, proxy)
    assert values["api-cache.REDIS_URL"].startswith("rediss://") and values["api-cache.REDIS_PORT"] == "6379"
    assert values["api-uploads.BUCKET"].startswith("datatest-review-api-uploads-")
    assert values["STRIPE_KEY"] == SECRET_VALUE and values["COHERENCE_ENVIRONMENT_NAME"] == "review"
    described = client("secretsmanager").describe_secret(SecretId="coherence/datatest/review")
    assert described["KmsKeyId"].endswith("alias/coherence/datatest-review") or "key/" in described["KmsKeyId"]
    output = env["first"].stdout + env["first"].stderr
    assert SECRET_VALUE not in output and password not in output


def test_rerun_and_check_mode_change_nothing(env):
    again = playbook("site", *env["extra"], environ=env["environ"], **env["settings"])
    assert again.returncode == 0, again.stdout[-4000:]
    assert recap(again.stdout)["changed"] == 0, [l for l in again.stdout.splitlines() if l.startswith("changed")]
    checked = playbook("site", "--check", *env["extra"], environ=env["environ"], **env["settings"])
    assert checked.returncode == 0, checked.stdout[-4000:]
    assert recap(checked.stdout)["changed"] == 0


def test_class_backups_and_multi_az_changed_outside_are_not_drift(env):
    rds = env["client"]("rds")
    rds.modify_db_instance(DBInstanceIdentifier="datatest-review-api-db", DBInstanceClass="db.t4g.small",
                           BackupRetentionPeriod=3, MultiAZ=True, ApplyImmediately=True)
    again = playbook("site", *env["extra"], environ=env["environ"], **env["settings"])
    assert again.returncode == 0, again.stdout[-4000:]
    assert recap(again.stdout)["changed"] == 0
    db = rds.describe_db_instances(DBInstanceIdentifier="datatest-review-api-db")["DBInstances"][0]
    assert (db["DBInstanceClass"], db["BackupRetentionPeriod"], db["MultiAZ"]) == ("db.t4g.small", 3, True)


def test_update_a_new_variable_and_a_second_bucket(env, tmp_path):
    text = open(DEMO).read().replace(
        "    - name: uploads\n", "    - name: assets\n      type: object_storage\n    - name: uploads\n", 1)
    changed_file = tmp_path / "coherence.yml"
    changed_file.write_text(text)
    settings = dict(env["settings"], coherence_file=str(changed_file))
    extra = ("-e", json.dumps({"env_vars": {"STRIPE_KEY": SECRET_VALUE, "FEATURE_FLAG": "on"}}))
    updated = playbook("site", *extra, environ=env["environ"], **settings)
    assert updated.returncode == 0, updated.stdout[-5000:]
    values = secret(env["client"], "coherence/datatest/review")
    assert values["FEATURE_FLAG"] == "on"
    assert values["api-assets.BUCKET"].startswith("datatest-review-api-assets-")
    assert values["api-uploads.BUCKET"].startswith("datatest-review-api-uploads-")
    buckets = [b["Name"] for b in env["client"]("s3").list_buckets()["Buckets"] if b["Name"].startswith("datatest-")]
    assert len(buckets) == 2
    env["settings"] = settings  # teardown removes the second bucket too


def test_teardown_leaves_nothing(env):
    client = env["client"]
    # a review bucket goes with what is in it
    s3 = client("s3")
    bucket = [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith("datatest-review-api-up")][0]
    # The embedded AWS speaks plain HTTP, and enforces the TLS-only policy: writes are refused.
    with pytest.raises(s3.exceptions.ClientError) as refused:
        s3.put_object(Bucket=bucket, Key="avatar.png", Body=b"x")
    assert refused.value.response["Error"]["Code"] in ("AccessDenied", "403")
    s3.delete_bucket_policy(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="avatar.png", Body=b"x")
    gone = playbook("teardown", environ=env["environ"], teardown_shared="true", **env["settings"])
    assert gone.returncode == 0, gone.stdout[-5000:]
    assert alive_tagged(client, "datatest") == []
    assert client("rds").describe_db_instances()["DBInstances"] == [] or not [
        d for d in client("rds").describe_db_instances()["DBInstances"] if d["DBInstanceIdentifier"].startswith("datatest-")]
    assert not [p for p in client("rds").describe_db_proxies()["DBProxies"] if p["DBProxyName"].startswith("datatest-")]
    assert not [g for g in client("elasticache").describe_replication_groups()["ReplicationGroups"]
                if g["ReplicationGroupId"].startswith("datatest-")]
    assert not [b for b in client("s3").list_buckets()["Buckets"] if b["Name"].startswith("datatest-")]
    assert not [s for s in client("secretsmanager").list_secrets()["SecretList"]
                if s["Name"].startswith("coherence/datatest/")]
    assert not [r for r in client("iam").list_roles()["Roles"] if r["RoleName"].startswith("datatest-")]
