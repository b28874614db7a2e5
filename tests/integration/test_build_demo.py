# -*- coding: utf-8 -*-
"""What the build role made for the review environment of examples/demo, read back from the
one shared deploy (fixture demo_review, app `shop`): repositories, projects, the pipeline's
stages and actions, the roles and their policies, the source bucket. Read only: the tests that
change a build (re-run, new service, check mode, deploy, teardown) are in test_build.py, on
their own app.

moto runs no builds nor pipelines: what is checked is what AWS stores."""

from __future__ import annotations

import json

import yaml

from support import DEFAULT_ACCOUNT

APP, ENV = "shop", "review"
ARN = "arn:aws:"
WHERE = "us-east-1:%s" % DEFAULT_ACCOUNT


def statements(doc):
    for stmt in doc["Statement"]:
        actions = stmt["Action"] if isinstance(stmt["Action"], list) else [stmt["Action"]]
        resources = stmt["Resource"] if isinstance(stmt["Resource"], list) else [stmt["Resource"]]
        yield actions, resources, stmt


def pipeline(client):
    return client("codepipeline").get_pipeline(name="shop-review")["pipeline"]


def distribution_of(client):
    """The environment's CloudFront distribution when the edge role made one (None before)."""
    cloudfront = client("cloudfront")
    for item in cloudfront.list_distributions()["DistributionList"].get("Items", []):
        tags = {t["Key"]: t["Value"] for t in cloudfront.list_tags_for_resource(Resource=item["ARN"])["Tags"]["Items"]}
        if tags.get("Application") == APP and ENV in tags.values():
            return item["Id"]
    return None


def test_repositories_shared_scanned_encrypted_kept_short(demo_review):
    ecr = demo_review["client"]("ecr")
    repos = dict((r["repositoryName"], r) for r in ecr.describe_repositories()["repositories"]
                 if r["repositoryName"].startswith(APP + "-"))
    assert sorted(repos) == ["shop-admin", "shop-api"]  # backends only: the storefront has no image
    for name, repo in repos.items():
        assert repo["imageScanningConfiguration"]["scanOnPush"] is True
        assert repo["encryptionConfiguration"]["encryptionType"] == "KMS"
        rule = json.loads(ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"])["rules"][0]
        assert rule["selection"]["countType"] == "imageCountMoreThan" and rule["selection"]["countNumber"] == 30
        tags = {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]}
        assert tags["Application"] == APP and "Environment" not in tags, tags  # the app's, not an environment's


def test_projects_from_the_model_with_their_logs(demo_review):
    client = demo_review["client"]
    codebuild = client("codebuild")
    names = [n for n in codebuild.list_projects()["projects"] if n.startswith("shop-review-")]
    projects = dict((p["name"], p) for p in codebuild.batch_get_projects(names=names)["projects"])
    assert sorted(projects) == ["shop-review-admin", "shop-review-api", "shop-review-migrate",
                                "shop-review-storefront", "shop-review-storefront-publish"]
    api, store = projects["shop-review-api"], projects["shop-review-storefront"]
    # docker builds only are privileged; the machine type of build_settings decides the compute type
    assert api["environment"]["privilegedMode"] is True and store["environment"]["privilegedMode"] is False
    assert set(p["environment"]["computeType"] for p in projects.values()) == {"BUILD_GENERAL1_LARGE"}
    assert set(p["serviceRole"] for p in projects.values()) == {ARN + "iam::%s:role/shop-review-build" % DEFAULT_ACCOUNT}
    assert api["source"]["type"] == "CODEPIPELINE" and api["artifacts"]["type"] == "CODEPIPELINE"
    spec = yaml.safe_load(api["source"]["buildspec"])
    assert spec["phases"]["build"]["commands"][0].startswith("docker build -f api/Dockerfile")
    assert "docker push $COHERENCE_REGISTRY/shop-api:$(cat .coherence/revision)" in spec["phases"]["post_build"]["commands"]
    registry = {"name": "COHERENCE_REGISTRY", "value": "%s.dkr.ecr.us-east-1.amazonaws.com" % DEFAULT_ACCOUNT,
                "type": "PLAINTEXT"}
    assert api["environment"]["environmentVariables"] == [registry]
    # the migrate runner: the environment's private subnets and services group, from the network role
    ec2 = client("ec2")
    migrate = dict((v["name"], v["value"]) for v in projects["shop-review-migrate"]["environment"]["environmentVariables"])
    subnets = migrate["COHERENCE_SUBNETS"].split(",")
    assert len(subnets) >= 2 and all(not s["MapPublicIpOnLaunch"] for s in ec2.describe_subnets(SubnetIds=subnets)["Subnets"])
    assert ec2.describe_security_groups(GroupIds=[migrate["COHERENCE_SECURITY_GROUPS"]])["SecurityGroups"]
    for project in projects.values():
        assert project["logsConfig"]["cloudWatchLogs"] == {"status": "ENABLED", "groupName": "/coherence-build/shop/review",
                                                           "streamName": project["name"]}
        tags = {t["key"]: t["value"] for t in project["tags"]}
        assert tags["Application"] == APP and tags["Environment"] == "review", tags
        # nothing secret in a project: the user's variable is read from the secret by reference
        assert demo_review["secret"] not in json.dumps(project, default=str)
    groups = client("logs").describe_log_groups(logGroupNamePrefix="/coherence-build/shop/review")["logGroups"]
    assert [(g["logGroupName"], g["retentionInDays"]) for g in groups] == [("/coherence-build/shop/review", 30)]


def test_pipeline_stages_and_actions(demo_review):
    client = demo_review["client"]
    got = pipeline(client)
    assert got["roleArn"] == ARN + "iam::%s:role/shop-review-pipeline" % DEFAULT_ACCOUNT
    assert [s["name"] for s in got["stages"]] == ["Source", "Build", "Migrate", "Deploy"]
    stages = dict((s["name"], dict((a["name"], a) for a in s["actions"])) for s in got["stages"])
    source = stages["Source"]["source"]
    assert source["actionTypeId"]["provider"] == "S3"
    assert source["configuration"]["S3ObjectKey"] == "shop/review/source.zip"
    assert source["configuration"]["S3Bucket"].startswith("shop-source-")
    assert sorted(stages["Build"]) == ["admin", "api", "storefront"]
    assert stages["Build"]["api"]["configuration"] == {"ProjectName": "shop-review-api"}
    assert stages["Migrate"]["migrate"]["configuration"] == {"ProjectName": "shop-review-migrate"}
    edge = distribution_of(client)
    assert sorted(stages["Deploy"]) == sorted(["shop-review-admin", "shop-review-api", "shop-review-api-preview-environment"] + (
        ["publish-storefront"] if edge else []))
    assert stages["Deploy"]["shop-review-api-preview-environment"]["configuration"] == {
        "ClusterName": "shop", "ServiceName": "shop-review-api-preview-environment",
        "FileName": "imagedefinitions-shop-review-api-preview-environment.json"}
    assert stages["Deploy"]["shop-review-api"]["inputArtifacts"] == [{"name": "build-api"}]
    store = got["artifactStore"]
    assert store["type"] == "S3" and store["location"].startswith("shop-review-artifacts-")


def test_buckets_private_encrypted_versioned_tls_only(demo_review):
    client = demo_review["client"]
    s3 = client("s3")
    got = pipeline(client)
    for bucket in (got["stages"][0]["actions"][0]["configuration"]["S3Bucket"], got["artifactStore"]["location"]):
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
        assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
        deny = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"][0]
        assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        assert deny["Resource"] == ["arn:aws:s3:::%s" % bucket, "arn:aws:s3:::%s/*" % bucket]


def test_roles_and_policies_limited_to_the_app_and_environment(demo_review):
    client = demo_review["client"]
    iam = client("iam")
    edge = distribution_of(client)
    for role, service, policy in (("shop-review-build", "codebuild.amazonaws.com", "build"),
                                  ("shop-review-pipeline", "codepipeline.amazonaws.com", "pipeline")):
        trust = iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
        assert [s["Principal"] for s in trust["Statement"]] == [{"Service": service}]
        assert iam.list_role_policies(RoleName=role)["PolicyNames"] == [policy]
        assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []
        doc = iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
        for actions, resources, stmt in statements(doc):
            for res in resources:
                if res == "*":  # no resource-level permission, or KMS limited to the environment's key
                    assert set(actions) <= {"ecr:GetAuthorizationToken", "ecs:DescribeTaskDefinition"} or (
                        actions == ["kms:Decrypt"] and stmt["Condition"]["ForAnyValue:StringEquals"][
                            "kms:ResourceAliases"] == "alias/coherence/shop-review"), (role, stmt)
                    continue
                assert res.startswith(ARN), res
                shared = (":repository/shop-" in res or res.startswith("arn:aws:s3:::shop-source-")
                          or ":task/shop/" in res)
                assert (shared or "shop-review" in res or "/shop/review" in res
                        or (edge and res.endswith(":distribution/" + edge))), (role, res)
    build = iam.get_role_policy(RoleName="shop-review-build", PolicyName="build")["PolicyDocument"]
    by_action = dict((tuple(a), r) for a, r, _condition in statements(build))
    pushes = [r for a, r in by_action.items() if "ecr:PutImage" in a][0]
    assert sorted(pushes) == [ARN + "ecr:%s:repository/shop-admin" % WHERE, ARN + "ecr:%s:repository/shop-api" % WHERE]
    assert sorted(by_action[("ecs:RunTask",)]) == [
        ARN + "ecs:%s:task-definition/shop-review-api-migration:*" % WHERE,
        ARN + "ecs:%s:task-definition/shop-review-api-seed:*" % WHERE]
    invalidation = by_action.get(("cloudfront:CreateInvalidation",))
    assert invalidation == ([ARN + "cloudfront::%s:distribution/%s" % (DEFAULT_ACCOUNT, edge)] if edge else None)
    pipeline_doc = iam.get_role_policy(RoleName="shop-review-pipeline", PolicyName="pipeline")["PolicyDocument"]
    starts = [r for a, r, _condition in statements(pipeline_doc) if "codebuild:StartBuild" in a][0]
    assert sorted(r.rsplit("/", 1)[1] for r in starts) == sorted(
        ["shop-review-admin", "shop-review-api", "shop-review-migrate", "shop-review-storefront",
         "shop-review-storefront-publish"])
