# -*- coding: utf-8 -*-
"""coherence.aws.codebuild_project and coherence.aws.codepipeline against the embedded AWS: an
update in place with its diff and tags (check mode, re-runs and delete run in the role test,
test_build.py); and the embedded AWS's patches over HTTP."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import run_module


def role(boto3_session, service, name):
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": service},
                                                     "Action": "sts:AssumeRole"}]}
    return boto3_session.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))[
        "Role"]["Arn"]


def test_patch_codebuild_update_project(boto3_session):
    """CodeBuild UpdateProject replaces each setting given (tags included) and keeps the rest
    (CodeBuild API Reference, UpdateProject); moto lacks it. And CreateProject takes a
    CODEPIPELINE source and artifact without a location."""
    codebuild = boto3_session.client("codebuild")
    arn = role(boto3_session, "codebuild.amazonaws.com", "patch-" + uuid.uuid4().hex[:6])
    name = "patch-" + uuid.uuid4().hex[:6]
    # A CODEPIPELINE source and artifact have no location (ProjectSource, ProjectArtifacts).
    codebuild.create_project(name=name, source={"type": "CODEPIPELINE", "buildspec": "version: 0.2"},
                             artifacts={"type": "CODEPIPELINE"}, serviceRole=arn,
                             environment={"type": "LINUX_CONTAINER", "image": "img", "computeType": "BUILD_GENERAL1_SMALL"},
                             tags=[{"key": "a", "value": "1"}])
    updated = codebuild.update_project(name=name, environment={"type": "LINUX_CONTAINER", "image": "img2",
                                                               "computeType": "BUILD_GENERAL1_LARGE"},
                                       tags=[{"key": "b", "value": "2"}])["project"]
    assert updated["environment"]["image"] == "img2"
    got = codebuild.batch_get_projects(names=[name])["projects"][0]
    assert got["environment"]["computeType"] == "BUILD_GENERAL1_LARGE"
    assert got["source"]["buildspec"] == "version: 0.2" and got["serviceRole"] == arn
    assert got["tags"] == [{"key": "b", "value": "2"}]
    with pytest.raises(ClientError) as err:
        codebuild.update_project(name=name + "-none", description="x")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_codebuild_project_update_in_place_with_diff(aws_env, boto3_session):
    """Create, then change the compute type and a tag: one UpdateProject, the diff names what
    changed, the ARN stays, a re-run is unchanged. (Check mode, re-runs and delete of the
    role's projects: test_build.py.)"""
    codebuild = boto3_session.client("codebuild")
    name = "cb-" + uuid.uuid4().hex[:6]
    args = {"name": name, "service_role": role(boto3_session, "codebuild.amazonaws.com", name),
            "source": {"type": "CODEPIPELINE", "buildspec": "version: 0.2\nphases: {build: {commands: [make]}}\n"},
            "artifacts": {"type": "CODEPIPELINE"},
            "environment": {"type": "LINUX_CONTAINER", "image": "aws/codebuild/amazonlinux2-x86_64-standard:5.0",
                            "compute_type": "BUILD_GENERAL1_MEDIUM", "privileged_mode": True,
                            "environment_variables": [{"name": "COHERENCE_REGISTRY", "value": "r.example"}]},
            "logs_config": {"cloud_watch_logs": {"status": "ENABLED", "group_name": "/coherence/t/build"}},
            "tags": {"Application": "t", "ManagedBy": "coherence"}}
    applied = run_module("coherence.aws.codebuild_project", args, aws_env)
    assert applied["changed"] is True and applied["project"]["name"] == name, json.dumps(applied)[:3000]
    bigger = dict(args, environment=dict(args["environment"], compute_type="BUILD_GENERAL1_LARGE"),
                  tags={"Application": "t", "ManagedBy": "coherence", "Team": "x"})
    updated = run_module("coherence.aws.codebuild_project", bigger, aws_env)
    assert updated["changed"] is True and sorted(updated["diff"]["after"]) == ["environment", "tags"]
    assert updated["diff"]["before"]["environment"]["computeType"] == "BUILD_GENERAL1_MEDIUM"
    got = codebuild.batch_get_projects(names=[name])["projects"][0]
    assert got["environment"]["computeType"] == "BUILD_GENERAL1_LARGE" and got["arn"] == applied["project"]["arn"]
    assert got["environment"]["privilegedMode"] is True and got["source"]["buildspec"] == args["source"]["buildspec"]
    assert {t["key"]: t["value"] for t in got["tags"]} == bigger["tags"]
    assert run_module("coherence.aws.codebuild_project", bigger, aws_env)["changed"] is False


def test_codepipeline_update_in_place_with_diff(aws_env, boto3_session):
    """Create, then add a stage: one UpdatePipeline (version 2), the diff names the stages, a
    re-run is unchanged. (Check mode, re-runs and delete of the role's pipeline: test_build.py.)"""
    client = boto3_session.client("codepipeline")
    name = "cp-" + uuid.uuid4().hex[:6]
    source = {"name": "Source", "actions": [{
        "name": "source", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
        "configuration": {"S3Bucket": "src", "S3ObjectKey": "a/source.zip", "PollForSourceChanges": False},
        "outputArtifacts": [{"name": "source"}]}]}
    build = {"name": "Build", "actions": [{
        "name": "api", "actionTypeId": {"category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1"},
        "configuration": {"ProjectName": "p-api"}, "inputArtifacts": [{"name": "source"}],
        "outputArtifacts": [{"name": "build-api"}]}]}
    args = {"name": name, "role_arn": role(boto3_session, "codepipeline.amazonaws.com", name),
            "artifact_store": {"type": "S3", "location": "artifacts"}, "stages": [source, build],
            "tags": {"Application": "t"}}
    applied = run_module("coherence.aws.codepipeline", args, aws_env)
    assert applied["changed"] is True and applied["pipeline"]["tags"] == {"Application": "t"}
    got = client.get_pipeline(name=name)["pipeline"]
    assert got["stages"][0]["actions"][0]["configuration"]["PollForSourceChanges"] == "false"
    deploy = {"name": "Deploy", "actions": [{
        "name": "web", "actionTypeId": {"category": "Deploy", "owner": "AWS", "provider": "ECS", "version": "1"},
        "configuration": {"ClusterName": "c", "ServiceName": "web", "FileName": "imagedefinitions-web.json"},
        "inputArtifacts": [{"name": "build-api"}]}]}
    more = dict(args, stages=[source, build, deploy])
    updated = run_module("coherence.aws.codepipeline", more, aws_env)
    assert updated["changed"] is True and list(updated["diff"]["after"]) == ["stages"]
    got = client.get_pipeline(name=name)
    assert [s["name"] for s in got["pipeline"]["stages"]] == ["Source", "Build", "Deploy"]
    assert got["pipeline"]["version"] == 2
    assert run_module("coherence.aws.codepipeline", more, aws_env)["changed"] is False


def test_patch_s3_requests_count_as_tls(boto3_session):
    """A TLS-only bucket policy (Deny when aws:SecureTransport is false) lets requests through
    AWS's HTTPS endpoints, which the embedded AWS stands for; moto denied every object request."""
    s3 = boto3_session.client("s3")
    bucket = "tls-" + uuid.uuid4().hex[:6]
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::%s/*" % bucket],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"v"
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::%s/*" % bucket]}]}))
    with pytest.raises(ClientError):  # other denials still apply
        s3.get_object(Bucket=bucket, Key="k")
