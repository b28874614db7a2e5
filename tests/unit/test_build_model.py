# -*- coding: utf-8 -*-
"""The build part of the app model: generated buildspecs, projects and pipeline stages, against
examples/demo and every shared real-world coherence.yml."""

from __future__ import annotations

import os

import pytest
import yaml

from support import REPO, shared_example_params

from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model
from ansible_collections.coherence.aws.plugins.plugin_utils.build import REVISION_FILE

DEMO = os.path.join(REPO, "examples", "demo", "coherence.yml")
ACCOUNT = "123456789012"


def model(path_or_text, env="review", **kw):
    text = open(path_or_text).read() if os.path.exists(path_or_text) else path_or_text
    kw.setdefault("app_name", "shop")
    kw.setdefault("account_id", ACCOUNT)
    return build_app_model(text, env=env, **kw)


def commands(spec):
    return [c for phase in spec["phases"].values() for c in phase["commands"]]


def check_build(m):
    """What every app's build must be, whatever its coherence.yml: the invariants the unit tests
    hold every shared example to."""
    build = m["build"]
    projects = dict((p["name"], p) for p in build["projects"])
    assert len(projects) == len(build["projects"]), "two projects share a name"
    backends = [s for s in m["services"] if s["type"] == "backend"]
    frontends = [s for s in m["services"] if s["type"] == "frontend"]
    assert build["repositories"] == dict((s["name"], s["names"]["ecr"]) for s in backends)
    for svc in backends:
        spec = projects[svc["names"]["codebuild"]]
        assert spec["privileged"] is True  # docker build needs it
        steps = commands(spec["buildspec"])
        image = "$COHERENCE_REGISTRY/%s:$(cat %s)" % (svc["names"]["ecr"], REVISION_FILE)
        assert any(c.startswith("docker build -f ") and image in c and c.endswith(svc["repo_path"] if svc["repo_path"] != "." else " .")
                   for c in steps), steps
        assert "docker push %s" % image in steps
        assert len([c for c in steps if c.startswith("docker run")]) == len(svc["test"]) + bool(svc.get("compile"))
        for test in svc["test"]:
            assert any(test["shell"] in c or repr(test["shell"]) in c for c in steps), test
        # the web service and each worker get the new image
        files = spec["buildspec"]["artifacts"]["files"]
        assert sorted(files) == sorted("imagedefinitions-%s.json" % n for n in
                                       [svc["names"]["service"]] + [w["names"]["service"] for w in svc["workers"]])
    for svc in frontends:
        spec = projects[svc["names"]["codebuild"]]
        assert spec["privileged"] is False  # no docker: no privileged mode
        steps = commands(spec["buildspec"])
        for cmd in [svc["install"], svc["build"]] + svc["test"]:
            if cmd:
                assert any(c.endswith(cmd["shell"]) or cmd["shell"] in c for c in steps), (cmd, steps)
        if svc["install"] and svc["build"]:
            assert steps.index(next(c for c in steps if c.endswith(svc["install"]["shell"]))) < \
                steps.index(next(c for c in steps if c.endswith(svc["build"]["shell"])))
        assert spec["buildspec"]["artifacts"]["base-directory"].endswith(svc["assets_path"].strip("/") or ".")
        publish = [p for p in build["projects"] if p["stage"] == "publish" and p["service"] == svc["name"]]
        assert len(publish) == 1
        assert "aws s3 sync . s3://%s/" % svc["names"]["bucket"] in commands(publish[0]["buildspec"])[0]
        refs = spec["buildspec"].get("env", {}).get("secrets-manager", {})
        assert sorted(refs) == sorted(svc["variables"])
    # one-off tasks: each migration (and each seed outside production), in the environment's cluster
    runs = [s["names"]["migration_family"] for s in backends if s["migration"]] + \
        [s["names"]["seed_family"] for s in backends if s.get("seed")]
    migrate = [p for p in build["projects"] if p["stage"] == "migrate"]
    if runs:
        steps = commands(migrate[0]["buildspec"])
        started = [c for c in steps if "aws ecs run-task" in c]
        assert [c.split("--task-definition ")[1].split()[0] for c in started] == runs
        assert all("--cluster %s " % m["names"]["shared"]["cluster"] in c for c in started)
    else:
        assert migrate == []
    # the pipeline: Source -> Build -> (Migrate) -> Deploy, every build project used once
    stages = build["pipeline"]["stages"]
    names = [s["name"] for s in stages]
    assert names[:2] == ["Source", "Build"] and names[2:] in (["Migrate", "Deploy"], ["Deploy"], ["Migrate"], [])
    used = [a["configuration"]["ProjectName"] for s in stages for a in s["actions"]
            if a["actionTypeId"]["provider"] == "CodeBuild"]
    assert sorted(used) == sorted(projects)
    deployed = [a["configuration"]["ServiceName"] for s in stages for a in s["actions"]
                if a["actionTypeId"]["provider"] == "ECS"]
    assert all(a["configuration"]["ClusterName"] == m["names"]["shared"]["cluster"] for s in stages
               for a in s["actions"] if a["actionTypeId"]["provider"] == "ECS")
    source = stages[0]["actions"][0]["configuration"]
    assert source == {"S3Bucket": m["names"]["shared"]["source_bucket"], "S3ObjectKey": build["source_key"],
                      "PollForSourceChanges": "false"}
    assert sorted(deployed) == sorted(n for s in backends for n in
                                      [s["names"]["service"]] + [w["names"]["service"] for w in s["workers"]])
    # nothing secret: no plain variables, only references into the environment's secret; the
    # registry login reads its token from stdin
    for project in build["projects"]:
        env = project["buildspec"].get("env", {})
        assert set(env) <= {"secrets-manager"}, project["name"]
        assert all(v.startswith(m["secret"]["name"] + ":") for v in env.get("secrets-manager", {}).values())
        text = yaml.safe_dump(project["buildspec"])
        assert "AWS_SECRET_ACCESS_KEY" not in text and " -p " not in text and "--password " not in text
    return projects


@pytest.mark.parametrize("path", shared_example_params())
@pytest.mark.parametrize("env", ["review", "production"])
def test_every_shared_example_gets_the_right_steps(path, env):
    m = model(path, env=env, app_name="app")
    if m.get("errors"):
        pytest.skip("the example does not validate: %s" % m["errors"][:1])
    check_build(m)


def test_demo_buildspecs():
    m = model(DEMO, env_var_names=["STRIPE_KEY"])
    projects = check_build(m)
    assert sorted(projects) == ["shop-review-admin", "shop-review-api", "shop-review-migrate",
                                "shop-review-storefront", "shop-review-storefront-publish"]
    api = commands(projects["shop-review-api"]["buildspec"])
    assert api[1] == "docker build -f api/Dockerfile -t $COHERENCE_REGISTRY/shop-api:$(cat .coherence/revision) api"
    assert api[2] == ("docker run --rm --entrypoint /bin/sh $COHERENCE_REGISTRY/shop-api:$(cat .coherence/revision) "
                      "-c 'pytest -q'")
    store = projects["shop-review-storefront"]["buildspec"]
    assert commands(store) == ["cd storefront && npm ci", "cd storefront && npm test", "cd storefront && npm run build"]
    # build-time variables are references into the secret, never values
    assert store["env"]["secrets-manager"]["COHERENCE_ENVIRONMENT_NAME"] == "coherence/shop/review:COHERENCE_ENVIRONMENT_NAME"
    assert store["env"]["secrets-manager"]["STRIPE_KEY"] == "coherence/shop/review:STRIPE_KEY"
    assert m["build"]["repository_uris"]["api"] == "%s.dkr.ecr.us-east-1.amazonaws.com/shop-api" % ACCOUNT
    # the container of each task definition is named after its family (roles/ecs_service)
    assert m["build"]["containers"] == {"shop-review-api": "shop-review-api", "shop-review-api-preview-environment":
                                        "shop-review-api-preview-environment", "shop-review-admin": "shop-review-admin"}
    assert m["build"]["compute_type"] == "BUILD_GENERAL1_LARGE"  # N1_HIGHCPU_8
    # production: no seed, no preview worker
    prod = check_build(model(DEMO, env="production"))
    migrate = commands(prod["shop-production-migrate"]["buildspec"])
    assert not any("seed" in c for c in migrate)


def test_repositories_are_shared_and_pipelines_are_not():
    review, prod = model(DEMO), model(DEMO, env="production")
    assert review["build"]["repositories"] == prod["build"]["repositories"]
    assert review["build"]["pipeline"]["name"] != prod["build"]["pipeline"]["name"]
    assert not set(p["name"] for p in review["build"]["projects"]) & set(p["name"] for p in prod["build"]["projects"])


def test_a_new_backend_adds_a_repository_and_its_build_step_and_nothing_else():
    text = open(DEMO).read()
    more = text + "\nworker2:\n  type: backend\n  repo_path: worker2\n  url_path: /w2\n  prod: [\"python\", \"w.py\"]\n"
    before, after = model(text), model(more)
    assert set(after["build"]["repositories"]) - set(before["build"]["repositories"]) == {"worker2"}
    new = set(p["name"] for p in after["build"]["projects"]) - set(p["name"] for p in before["build"]["projects"])
    assert new == {"shop-review-worker2"}
    old_specs = dict((p["name"], p["buildspec"]) for p in before["build"]["projects"])
    assert all(p["buildspec"] == old_specs[p["name"]] for p in after["build"]["projects"] if p["name"] in old_specs)
    stage = dict((s["name"], s) for s in after["build"]["pipeline"]["stages"])
    assert "worker2" in [a["name"] for a in stage["Build"]["actions"]]
    assert "shop-review-worker2" in [a["name"] for a in stage["Deploy"]["actions"]]


def test_frontend_only_app_has_no_repository_nor_migrate_stage():
    m = model("site:\n  type: frontend\n  install: [yarn]\n  build: [yarn, build]\n  assets_path: out\n")
    check_build(m)
    assert m["build"]["repositories"] == {}
    assert [s["name"] for s in m["build"]["pipeline"]["stages"]] == ["Source", "Build", "Deploy"]
    assert m["build"]["projects"][0]["buildspec"]["artifacts"]["base-directory"] == "out"


def test_policies_limited_to_the_app_and_environment():
    from ansible_collections.coherence.aws.plugins.plugin_utils.build import ACCOUNT_LEVEL

    m = model(DEMO)
    for which, policy in m["build"]["policies"].items():
        for stmt in policy["Statement"]:
            actions = stmt["Action"] if isinstance(stmt["Action"], list) else [stmt["Action"]]
            resources = stmt["Resource"] if isinstance(stmt["Resource"], list) else [stmt["Resource"]]
            for res in resources:
                if res == "*":
                    # account-level actions, or KMS limited by conditions to the environment's key via a service
                    assert set(actions) <= set(ACCOUNT_LEVEL) or (
                        actions == ["kms:Decrypt"] and stmt["Condition"]["ForAnyValue:StringEquals"][
                            "kms:ResourceAliases"] == "alias/coherence/shop-review"), (which, stmt)
                    continue
                assert res.startswith("arn:aws:") and ("shop" in res), (which, res)
                shared = (":repository/shop-" in res or res.startswith("arn:aws:s3:::shop-source-")
                          or res.endswith(":task/shop/*"))
                assert shared or "review" in res, (which, res)
    build = dict((tuple(s["Action"]) if isinstance(s["Action"], list) else s["Action"], s)
                 for s in m["build"]["policies"]["build"]["Statement"])
    assert sorted(build["ecs:RunTask"]["Resource"]) == [
        "arn:aws:ecs:us-east-1:%s:task-definition/shop-review-api-migration:*" % ACCOUNT,
        "arn:aws:ecs:us-east-1:%s:task-definition/shop-review-api-seed:*" % ACCOUNT]
    assert model(DEMO, account_id=None)["build"]["policies"] is None  # before STS: no ARNs guessed
