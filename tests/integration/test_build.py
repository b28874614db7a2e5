# -*- coding: utf-8 -*-
"""roles/build against the embedded AWS, run alone (model, session, build) under its own app
name: check mode on a never-deployed environment, create, re-run unchanged, a new backend
service, delete. moto runs no builds nor pipelines: what is checked is what AWS stores
(repositories, projects, pipeline stages and actions, roles and policies)."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile

import yaml

from support import DEMO, assert_ok, assert_unchanged, playbook, recap, role_playbook

APP = "bld"
ACCOUNT = "123456789012"


def stored(aws):
    """What the embedded AWS holds of app bld's build."""
    ecr, codebuild, pipelines = aws("ecr"), aws("codebuild"), aws("codepipeline")
    repos = dict((r["repositoryName"], r) for r in ecr.describe_repositories()["repositories"]
                 if r["repositoryName"].startswith(APP + "-"))
    names = [n for n in codebuild.list_projects()["projects"] if n.startswith(APP + "-")]
    projects = dict((p["name"], p) for p in codebuild.batch_get_projects(names=names)["projects"]) if names else {}
    found = [p["name"] for p in pipelines.list_pipelines()["pipelines"] if p["name"].startswith(APP + "-")]
    return repos, projects, dict((n, pipelines.get_pipeline(name=n)["pipeline"]) for n in found)


def policy(aws, role, name):
    return aws("iam").get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]


def resources(doc):
    out = []
    for stmt in doc["Statement"]:
        out += stmt["Resource"] if isinstance(stmt["Resource"], list) else [stmt["Resource"]]
    return out


def test_build_role_create_rerun_new_service_and_delete(aws_env, aws, network, tmp_path):
    extra = ("-e", json.dumps({"coherence_network": network, "coherence_edge": {"distribution_id": "E2EXAMPLE"}}))
    settings = dict(env="review", app_name=APP, coherence_file=DEMO)
    more = tmp_path / "coherence.yml"
    more.write_text(open(DEMO).read() + "\nreports:\n  type: backend\n  repo_path: reports\n  url_path: /reports\n"
                    "  prod: [\"python\", \"serve.py\"]\n")

    # check mode on a never-deployed environment: nothing is made
    checked = assert_ok(role_playbook("build", "create", "--check", *extra, environ=aws_env, **settings))
    assert stored(aws) == ({}, {}, {}), checked.stdout[-2000:]

    assert_ok(role_playbook("build", "create", *extra, environ=aws_env, **settings))
    try:
        repos, projects, pipelines = stored(aws)
        assert sorted(repos) == ["bld-admin", "bld-api"]
        assert all(r["imageScanningConfiguration"]["scanOnPush"] and r["encryptionConfiguration"]["encryptionType"] == "KMS"
                   for r in repos.values())
        assert sorted(projects) == ["bld-review-admin", "bld-review-api", "bld-review-migrate",
                                    "bld-review-storefront", "bld-review-storefront-publish"]
        api = projects["bld-review-api"]
        assert api["environment"]["privilegedMode"] is True and api["environment"]["computeType"] == "BUILD_GENERAL1_LARGE"
        assert projects["bld-review-storefront"]["environment"]["privilegedMode"] is False
        assert api["serviceRole"] == "arn:aws:iam::%s:role/bld-review-build" % ACCOUNT
        assert api["logsConfig"]["cloudWatchLogs"]["groupName"] == "/coherence/bld/review/build"
        spec = yaml.safe_load(api["source"]["buildspec"])
        assert "docker push $COHERENCE_REGISTRY/bld-api:$(cat .coherence/revision)" in spec["phases"]["post_build"]["commands"]
        migrate = projects["bld-review-migrate"]["environment"]["environmentVariables"]
        assert {"name": "COHERENCE_SUBNETS", "value": ",".join(network["private_subnet_ids"]), "type": "PLAINTEXT"} in migrate
        assert aws("logs").describe_log_groups(logGroupNamePrefix="/coherence/bld/review/build")["logGroups"][0][
            "retentionInDays"] == 30

        pipeline = pipelines["bld-review"]
        assert [s["name"] for s in pipeline["stages"]] == ["Source", "Build", "Migrate", "Deploy"]
        assert pipeline["roleArn"] == "arn:aws:iam::%s:role/bld-review-pipeline" % ACCOUNT
        source = pipeline["stages"][0]["actions"][0]
        assert source["actionTypeId"]["provider"] == "S3" and source["configuration"]["S3ObjectKey"] == "bld/review/source.zip"
        deploy = dict((a["name"], a) for a in pipeline["stages"][3]["actions"])
        assert sorted(deploy) == ["bld-review-admin", "bld-review-api", "bld-review-api-preview-environment",
                                  "publish-storefront"]
        assert deploy["bld-review-api"]["configuration"] == {
            "ClusterName": "bld", "ServiceName": "bld-review-api", "FileName": "imagedefinitions-bld-review-api.json"}

        # the source bucket: SSE-KMS, versioned, TLS only, no public access
        s3 = aws("s3")
        bucket = source["configuration"]["S3Bucket"]
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
        assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
        assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
        assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"][0]["Condition"] == {
            "Bool": {"aws:SecureTransport": "false"}}

        # least privilege: every resource is this app's, and the environment's where it is not shared
        build = policy(aws, "bld-review-build", "build")
        assert "arn:aws:cloudfront::%s:distribution/E2EXAMPLE" % ACCOUNT in resources(build)
        for res in resources(build) + resources(policy(aws, "bld-review-pipeline", "pipeline")):
            assert res == "*" or "bld" in res or res.endswith(":distribution/E2EXAMPLE"), res
        pushes = [s for s in build["Statement"] if "ecr:PutImage" in s["Action"]][0]
        assert sorted(pushes["Resource"]) == ["arn:aws:ecr:us-east-1:%s:repository/bld-admin" % ACCOUNT,
                                              "arn:aws:ecr:us-east-1:%s:repository/bld-api" % ACCOUNT]

        assert_unchanged(role_playbook("build", "create", *extra, environ=aws_env, **settings))

        # a new backend service: its repository, its build project and its pipeline actions; nothing else moves
        grown = assert_ok(role_playbook("build", "create", *extra, environ=aws_env, **dict(settings, coherence_file=str(more))))
        repos2, projects2, pipelines2 = stored(aws)
        assert sorted(repos2) == ["bld-admin", "bld-api", "bld-reports"]
        assert sorted(set(projects2) - set(projects)) == ["bld-review-reports"]
        assert all(projects2[n] == p for n, p in projects.items())  # the others are as they were
        assert "reports" in [a["name"] for a in pipelines2["bld-review"]["stages"][1]["actions"]]
        # changed: the repositories, the new project, the pipeline, the two policies (new ARNs)
        assert recap(grown.stdout)["changed"] == 5, grown.stdout[-3000:]

        # ship a git ref: a shallow archive with the generated buildspecs, uploaded; an execution started
        repo = tmp_path / "repo"
        (repo / "api").mkdir(parents=True)
        (repo / "api" / "Dockerfile").write_text("FROM scratch\n")
        git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
        for cmd in (["init", "-q"], ["add", "."], ["commit", "-qm", "first"], ["tag", "v1"]):
            subprocess.run(git + cmd, check=True)
        commit = subprocess.run(git + ["rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
        shipped = assert_ok(playbook("deploy", *extra, environ=aws_env, git_ref="v1", repo_path=str(repo),
                                     **dict(settings, coherence_file=str(more))))
        assert "execution" in shipped.stdout and "Succeeded" in shipped.stdout  # moto's executions succeed at once
        body = aws("s3").get_object(Bucket=bucket, Key="bld/review/source.zip")
        assert body["Metadata"]["git-commit"] == commit
        archive = zipfile.ZipFile(io.BytesIO(body["Body"].read()))
        assert archive.read(".coherence/revision").decode().strip() == commit
        assert "api/Dockerfile" in archive.namelist() and not [n for n in archive.namelist() if n.startswith(".git/")]
        assert yaml.safe_load(archive.read(".coherence/bld-review-reports.yml"))["phases"]["build"]["commands"][0].startswith(
            "docker build -f reports/Dockerfile")
        executions = aws("codepipeline").list_pipeline_executions(pipelineName="bld-review")["pipelineExecutionSummaries"]
        assert len(executions) == 1
        quick = assert_ok(playbook("deploy", *extra, environ=aws_env, git_ref=commit, repo_path=str(repo), wait="false",
                                   **dict(settings, coherence_file=str(more))))
        assert "InProgress" in quick.stdout
        assert len(aws("codepipeline").list_pipeline_executions(pipelineName="bld-review")[
            "pipelineExecutionSummaries"]) == 2
    finally:
        # with today's coherence.yml (no reports service): what exists goes, found through the pipeline and tags
        assert_ok(role_playbook("build", "delete", *extra, environ=aws_env, **settings))
    repos, projects, pipelines = stored(aws)
    assert (repos, projects, pipelines) == ({}, {}, {})
    assert not [r for r in aws("iam").list_roles()["Roles"] if r["RoleName"].startswith("bld-")]
    assert not [b for b in aws("s3").list_buckets()["Buckets"] if b["Name"].startswith("bld-")]
    assert not aws("logs").describe_log_groups(logGroupNamePrefix="/coherence/bld/")["logGroups"]
