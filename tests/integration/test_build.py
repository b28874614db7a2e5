# -*- coding: utf-8 -*-
"""roles/build changing a build, run alone (model, session, build) on a small app of its own
(`bld`, one backend with a migration): create, re-run unchanged, a new backend service in check
mode (nothing written) then for real (its repository, project and actions, nothing else), the
deploy playbook (a test git repository archived, uploaded, an execution started), delete
(nothing left). What the build of the bundled example holds is read in test_build_demo.py.

moto runs no builds nor pipelines: what is checked is what AWS stores."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile

import pytest
import yaml

from support import assert_ok, assert_unchanged, playbook, recap, role_playbook

APP = "bld"
SMALL = """api:
  type: backend
  repo_path: api
  url_path: /api
  prod: ["python", "serve.py"]
  migration: ["python", "migrate.py"]
"""
REPORTS = """reports:
  type: backend
  repo_path: reports
  url_path: /reports
  prod: ["python", "report.py"]
"""


def stored(aws):
    """What the embedded AWS holds of app bld's build."""
    ecr, codebuild, pipelines = aws("ecr"), aws("codebuild"), aws("codepipeline")
    repos = dict((r["repositoryName"], r) for r in ecr.describe_repositories()["repositories"]
                 if r["repositoryName"].startswith(APP + "-"))
    names = [n for n in codebuild.list_projects()["projects"] if n.startswith(APP + "-")]
    projects = dict((p["name"], p) for p in codebuild.batch_get_projects(names=names)["projects"]) if names else {}
    found = [p["name"] for p in pipelines.list_pipelines()["pipelines"] if p["name"].startswith(APP + "-")]
    return repos, projects, dict((n, pipelines.get_pipeline(name=n)["pipeline"]) for n in found)


def git_repository(path):
    """A test git repository with a tag v1; its commit."""
    (path / "api").mkdir(parents=True)
    (path / "api" / "Dockerfile").write_text("FROM scratch\n")
    git = ["git", "-C", str(path), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    for cmd in (["init", "-q"], ["add", "."], ["commit", "-qm", "first"], ["tag", "v1"]):
        subprocess.run(git + cmd, check=True)
    return subprocess.run(git + ["rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()


@pytest.mark.xdist_group("build-role")
def test_build_role_rerun_new_service_deploy_and_delete(aws_env, aws, network, tmp_path):
    extra = ("-e", json.dumps({"coherence_network": network}))
    small, grown = tmp_path / "coherence.yml", tmp_path / "grown.yml"
    small.write_text(SMALL)
    grown.write_text(SMALL + REPORTS)
    settings = dict(env="review", app_name=APP, coherence_file=str(small))
    grown_settings = dict(env="review", app_name=APP, coherence_file=str(grown))

    assert_ok(role_playbook("build", "create", *extra, environ=aws_env, **settings))
    try:
        repos, projects, pipelines = stored(aws)
        assert sorted(repos) == ["bld-api"] and sorted(projects) == ["bld-review-api", "bld-review-migrate"]
        assert [s["name"] for s in pipelines["bld-review"]["stages"]] == ["Source", "Build", "Migrate", "Deploy"]
        migrate = projects["bld-review-migrate"]["environment"]["environmentVariables"]
        assert {"name": "COHERENCE_SUBNETS", "value": ",".join(network["private_subnet_ids"]), "type": "PLAINTEXT"} in migrate

        assert_unchanged(role_playbook("build", "create", *extra, environ=aws_env, **settings))

        # a new backend service: check mode says what would change and writes nothing
        checked = assert_ok(role_playbook("build", "create", "--check", *extra, environ=aws_env,
                                          **grown_settings))
        # repositories, both roles' policies (the new repository, its project and service), projects, pipeline
        assert recap(checked.stdout)["changed"] == 4, checked.stdout[-3000:]
        assert "IAM role                     2 to change" in checked.stdout, checked.stdout[-3000:]
        assert stored(aws) == (repos, projects, pipelines)

        # then for real: its repository, its build project and its pipeline actions; nothing else moves
        more = assert_ok(role_playbook("build", "create", *extra, environ=aws_env, **grown_settings))
        repos2, projects2, pipelines2 = stored(aws)
        assert sorted(repos2) == ["bld-api", "bld-reports"] and all(repos2[n] == r for n, r in repos.items())
        assert sorted(set(projects2) - set(projects)) == ["bld-review-reports"]
        assert all(projects2[n] == p for n, p in projects.items())  # the others are as they were
        stages = dict((s["name"], [a["name"] for a in s["actions"]]) for s in pipelines2["bld-review"]["stages"])
        assert stages["Build"] == ["api", "reports"] and stages["Deploy"] == ["bld-review-api", "bld-review-reports"]
        # changed: the repositories, the new project, the pipeline, the two policies (new ARNs)
        assert recap(more.stdout)["changed"] == 4, more.stdout[-3000:]

        # ship a git ref: a shallow archive with the generated buildspecs, uploaded; an execution started
        commit = git_repository(tmp_path / "repo")
        shipped = assert_ok(playbook("deploy", *extra, environ=aws_env, git_ref="v1", repo_path=str(tmp_path / "repo"),
                                     **grown_settings))
        assert "execution" in shipped.stdout and "Succeeded" in shipped.stdout  # moto's executions succeed at once
        # followed stage by stage: one wait (moto's execution has ended by then; it keeps no stage state)
        assert shipped.stdout.count("Wait for the execution's next stage change") == 1, shipped.stdout[-3000:]
        bucket = pipelines2["bld-review"]["stages"][0]["actions"][0]["configuration"]["S3Bucket"]
        body = aws("s3").get_object(Bucket=bucket, Key="bld/review/source.zip")
        assert body["Metadata"]["git-commit"] == commit
        archive = zipfile.ZipFile(io.BytesIO(body["Body"].read()))
        assert archive.read(".coherence/revision").decode().strip() == commit
        assert "api/Dockerfile" in archive.namelist() and not [n for n in archive.namelist() if n.startswith(".git/")]
        assert yaml.safe_load(archive.read(".coherence/bld-review-reports.yml"))["phases"]["build"]["commands"][0].startswith(
            "docker build -f reports/Dockerfile")
        executions = aws("codepipeline").list_pipeline_executions(pipelineName="bld-review")["pipelineExecutionSummaries"]
        assert len(executions) == 1
    finally:
        # with the first coherence.yml (no reports service): what exists goes, found through the pipeline and tags
        assert_ok(role_playbook("build", "delete", *extra, environ=aws_env, **settings))
    assert stored(aws) == ({}, {}, {})
    assert not [r for r in aws("iam").list_roles()["Roles"] if r["RoleName"].startswith("bld-")]
    assert not [b for b in aws("s3").list_buckets()["Buckets"] if b["Name"].startswith("bld-")]
    assert not aws("logs").describe_log_groups(logGroupNamePrefix="/coherence/bld/")["logGroups"]
