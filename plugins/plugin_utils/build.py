# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The build part of the app model: ECR repositories, CodeBuild projects, the pipeline and the
buildspecs they run, all decided from the model (never written by hand per app).

Buildspecs hold names and shell steps only. Values that exist only once the environment does
(the registry, subnets, security group, CloudFront distribution) come from the project's
environment variables, which the build role sets; a service's build-time variables are
references into the environment's Secrets Manager secret (``env.secrets-manager``), never values.
"""

from __future__ import annotations

import shlex

from .names import make_name

BUILDSPEC_DIR = ".coherence"
# Names of the environment variables the build role gives every project.
ENV_REGISTRY = "COHERENCE_REGISTRY"
ENV_SUBNETS = "COHERENCE_SUBNETS"
ENV_SECURITY_GROUPS = "COHERENCE_SECURITY_GROUPS"
ENV_DISTRIBUTION = "COHERENCE_DISTRIBUTION_ID"
# The file the deploy playbook adds to the source archive: the git commit being shipped.
REVISION_FILE = BUILDSPEC_DIR + "/revision"
IMAGE_TAG = "$(cat %s)" % REVISION_FILE


def build_model(model):
    """What the build role and the deploy playbook need: names, projects (each with its
    buildspec) and the pipeline's stages, from the assembled model."""
    app, env = model["app"], model["environment"]["name"]
    backends = [s for s in model["services"] if s["type"] == "backend"]
    frontends = [s for s in model["services"] if s["type"] == "frontend"]
    registry = ("%s.dkr.ecr.%s.%s" % (model["account_id"], model["region"], model["dns_suffix"])
                if model["account_id"] else None)
    repositories = dict((s["name"], s["names"]["ecr"]) for s in backends)
    projects = []
    for svc in backends:
        projects.append(_project(svc["names"]["codebuild"], "build", svc["name"], _backend_build(svc), privileged=True))
    for svc in frontends:
        projects.append(_project(svc["names"]["codebuild"], "build", svc["name"],
                                 _frontend_build(svc, model["secret"]["name"])))
    source_key = "%s/%s/source.zip" % (app, env)
    runs = _one_off_runs(model, backends)
    if runs:
        projects.append(_project(make_name("codebuild", app, env, "migrate"), "migrate", None,
                                 _migrate(model, runs)))
    for svc in frontends:
        projects.append(_project(make_name("codebuild", app, env, svc["name"], "publish"), "publish", svc["name"],
                                 _frontend_publish(svc)))
    out = {
        "registry": registry,
        "repositories": repositories,
        "containers": dict(item for svc in backends for item in containers(svc).items()),
        "repository_uris": dict((k, "%s/%s" % (registry, v) if registry else None) for k, v in repositories.items()),
        "projects": projects,
        "pipeline": _pipeline(model, projects, backends, source_key),
        "source_key": source_key,
        "artifact_bucket": make_name("s3_bucket", app, env, "artifacts",
                                     suffix_hash=(model["account_id"] or "", app, env, model["region"])),
        # Outside /coherence/<app>/<env>/, which the services' log groups own (ecs_workloads
        # removes what it does not list there).
        "log_group": make_name("log_group", "coherence-build", app, env, prefix="/"),
    }
    out["policies"] = _policies(model, out, backends, frontends) if model["account_id"] else None
    return out


def _project(name, stage, service, spec, privileged=False):
    return {"name": name, "stage": stage, "service": service, "privileged": privileged,
            "buildspec_file": "%s/%s.yml" % (BUILDSPEC_DIR, name), "buildspec": spec}


def _in_dir(path, command):
    """A step that runs `command` (the service's shell text, as Coherence runs it) in `path`."""
    return "cd %s && %s" % (shlex.quote(path), command) if path not in (".", "") else command


def _image(svc):
    return "$%s/%s:%s" % (ENV_REGISTRY, svc["names"]["ecr"], IMAGE_TAG)


def _in_image(image, path, command, entrypoint=None):
    """Run a shell command in a container of `image` with the service's directory mounted."""
    mount = "-v \"$CODEBUILD_SRC_DIR/%s\":/workspace -w /workspace" % path.strip("/")
    if entrypoint:
        return "docker run --rm %s --entrypoint %s %s %s" % (mount, shlex.quote(entrypoint), image, command)
    return "docker run --rm %s --entrypoint /bin/sh %s -c %s" % (mount, image, shlex.quote(command))


def containers(svc):
    """ECS service name -> the name of its container, for a backend and its workers (the ECS
    deploy action replaces the image of the container so named): roles/ecs_service names each
    task definition's one container after its family."""
    out = {svc["names"]["service"]: svc["names"]["task_family"]}
    out.update((w["names"]["service"], w["names"]["task_family"]) for w in svc.get("workers", []))
    return out


def _backend_build(svc):
    """Build the service's image, run its tests in it, push it, and say which image each of its
    ECS services (web and workers) runs next (imagedefinitions for the ECS deploy action)."""
    path = svc["repo_path"]
    image = _image(svc)
    dockerfile = "%s/%s" % (path.rstrip("/"), svc["dockerfile"]) if path not in (".", "") else svc["dockerfile"]
    pre = ["aws ecr get-login-password | docker login --username AWS --password-stdin $%s" % ENV_REGISTRY]
    build = []
    if svc.get("compile"):
        comp = svc["compile"]
        build.append(_in_image(comp["image"], path, comp["command"]["shell"] if comp["command"] else "",
                               comp.get("entrypoint")))
    build.append("docker build -f %s -t %s %s" % (shlex.quote(dockerfile), image, shlex.quote(path)))
    for test in svc.get("test") or []:
        if test.get("image"):
            build.append(_in_image(test["image"], path, test["shell"]))
        else:
            build.append("docker run --rm --entrypoint /bin/sh %s -c %s" % (image, shlex.quote(test["shell"])))
    post = ["docker push %s" % image]
    files = []
    for service, container in containers(svc).items():
        post.append("printf '[{\"name\":\"%s\",\"imageUri\":\"%%s\"}]' %s > imagedefinitions-%s.json"
                    % (container, image, service))
        files.append("imagedefinitions-%s.json" % service)
    return {"version": 0.2,
            "phases": {"pre_build": {"commands": pre}, "build": {"commands": build}, "post_build": {"commands": post}},
            "artifacts": {"files": files}}


def _secret_env(svc, secret_name):
    """Build-time variables: references to the environment's secret (name:key), never values."""
    return dict((var, "%s:%s" % (secret_name, key)) for var, key in sorted(svc["variables"].items()))


def _frontend_build(svc, secret_name):
    """Install, test, build; the assets become the artifact the publish step uploads."""
    path = svc["repo_path"]
    build = [_in_dir(path, c["shell"]) for c in [svc.get("install")] if c]
    for test in svc.get("test") or []:
        build.append(_in_image(test["image"], path, test["shell"]) if test.get("image") else _in_dir(path, test["shell"]))
    if svc.get("build"):
        build.append(_in_dir(path, svc["build"]["shell"]))
    assets = "%s/%s" % (path.rstrip("/"), svc["assets_path"].strip("/")) if path not in (".", "") else svc["assets_path"]
    spec = {"version": 0.2, "phases": {"build": {"commands": build}},
            "artifacts": {"base-directory": assets.strip("/") or ".", "files": ["**/*"]}}
    refs = _secret_env(svc, secret_name)
    if refs:
        spec["env"] = {"secrets-manager": refs}
    return spec


def _frontend_publish(svc):
    """Upload the built assets to the frontend's bucket and invalidate its paths on CloudFront."""
    bucket = svc["names"]["bucket"]
    paths = "/*" if svc["url_path"] == "/" else "%s/*" % svc["url_path"].rstrip("/")
    prefix = "" if svc["url_path"] == "/" else svc["url_path"].strip("/") + "/"
    cmds = ["aws s3 sync . s3://%s/%s --delete" % (bucket, prefix),
            'if [ -n "$%s" ]; then aws cloudfront create-invalidation --distribution-id "$%s" --paths %s; '
            'else echo "no CloudFront distribution given: nothing invalidated"; fi'
            % (ENV_DISTRIBUTION, ENV_DISTRIBUTION, shlex.quote(paths))]
    return {"version": 0.2, "phases": {"build": {"commands": cmds}}}


def _one_off_runs(model, backends):
    """The migration (and, outside production, seed) one-off tasks, in order."""
    runs = []
    for svc in backends:
        if svc.get("migration"):
            runs.append(("migration", svc["name"], svc["names"]["migration_family"]))
    for svc in backends:
        if svc.get("seed"):
            runs.append(("seed", svc["name"], svc["names"]["seed_family"]))
    return runs


def _migrate(model, runs):
    """Start each one-off task on Fargate in the environment's private subnets, wait for it to
    stop, and fail the build when its container did not exit 0."""
    cluster = model["names"]["shared"]["cluster"]
    cmds = []
    for kind, service, family in runs:
        net = "awsvpcConfiguration={subnets=[$%s],securityGroups=[$%s],assignPublicIp=DISABLED}" % (
            ENV_SUBNETS, ENV_SECURITY_GROUPS)
        cmds += [
            'echo "%s of %s: starting task %s"' % (kind, service, family),
            "TASK=$(aws ecs run-task --cluster %s --task-definition %s --launch-type FARGATE "
            "--network-configuration \"%s\" --query 'tasks[0].taskArn' --output text)" % (cluster, family, net),
            "aws ecs wait tasks-stopped --cluster %s --tasks \"$TASK\"" % cluster,
            "CODE=$(aws ecs describe-tasks --cluster %s --tasks \"$TASK\" --query 'tasks[0].containers[0].exitCode' "
            "--output text)" % cluster,
            'if [ "$CODE" != "0" ]; then echo "%s of %s failed (exit $CODE): see its log group"; exit 1; fi'
            % (kind, service),
        ]
    return {"version": 0.2, "phases": {"build": {"commands": cmds}}}


def _action(name, category, provider, configuration, inputs=(), outputs=()):
    """A pipeline action as the CodePipeline API spells it."""
    return {"name": name, "actionTypeId": {"category": category, "owner": "AWS", "provider": provider, "version": "1"},
            "configuration": configuration, "runOrder": 1,
            "inputArtifacts": [{"name": a} for a in inputs], "outputArtifacts": [{"name": a} for a in outputs]}


def _pipeline(model, projects, backends, source_key):
    """Source (S3) -> Build (each service's build and tests) -> Migrate -> Deploy (each ECS
    service and worker, each frontend's publish), as the CodePipeline API spells the stages."""
    cluster = model["names"]["shared"]["cluster"]
    by_stage = dict((s, [p for p in projects if p["stage"] == s]) for s in ("build", "migrate", "publish"))
    source_at = {"S3Bucket": model["names"]["shared"]["source_bucket"], "S3ObjectKey": source_key,
                 "PollForSourceChanges": "false"}
    source = _action("source", "Source", "S3", source_at, outputs=["source"])
    stages = [{"name": "Source", "actions": [source]},
              {"name": "Build", "actions": [_action(p["service"], "Build", "CodeBuild", {"ProjectName": p["name"]},
                                                    ["source"], ["build-%s" % p["service"]])
                                            for p in by_stage["build"]]}]
    if by_stage["migrate"]:
        stages.append({"name": "Migrate", "actions": [
            _action("migrate", "Build", "CodeBuild", {"ProjectName": by_stage["migrate"][0]["name"]}, ["source"])]})
    deploy = []
    for svc in backends:
        for service in containers(svc):
            deploy.append(_action(service, "Deploy", "ECS", {"ClusterName": cluster, "ServiceName": service,
                                                             "FileName": "imagedefinitions-%s.json" % service},
                                  ["build-%s" % svc["name"]]))
    for p in by_stage["publish"]:
        deploy.append(_action("publish-%s" % p["service"], "Build", "CodeBuild", {"ProjectName": p["name"]},
                              ["build-%s" % p["service"]]))
    if deploy:
        stages.append({"name": "Deploy", "actions": deploy})
    return {"name": model["names"]["environment"]["pipeline"], "stages": stages}


# Actions AWS authorizes on "*" only (no resource-level permissions): the registry login and
# reading a task definition.
ACCOUNT_LEVEL = ("ecr:GetAuthorizationToken", "ecs:DescribeTaskDefinition")


def _policies(model, build, backends, frontends):
    """The inline policies of the environment's build role and pipeline role: each statement
    limited to this app's repositories and this environment's objects, projects, buckets,
    services, task definitions and roles. The role adds CloudFront invalidation of the
    environment's distribution, which exists only once the edge role has run."""
    arn = "arn:%s" % model["partition"]
    where = "%s:%s" % (model["region"], model["account_id"])
    names, shared = model["names"]["environment"], model["names"]["shared"]
    cluster = shared["cluster"]
    source_object = "%s:s3:::%s/%s" % (arn, shared["source_bucket"], build["source_key"])
    artifacts = "%s:s3:::%s" % (arn, build["artifact_bucket"])
    roles = ["%s:iam::%s:role/%s" % (arn, model["account_id"], r) for r in
             [names["execution_role"]] + [s["names"]["task_role"] for s in backends]]
    pass_roles = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": roles,
                  "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}
    logs = "%s:logs:%s:log-group:%s" % (arn, where, build["log_group"])
    build_stmts = [
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": [logs, logs + ":*"]},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": [source_object]},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
         "Resource": [artifacts + "/*"]},
    ]
    if backends:
        build_stmts += [
            {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {"Effect": "Allow", "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                                           "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
                                           "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"],
             "Resource": ["%s:ecr:%s:repository/%s" % (arn, where, r) for r in build["repositories"].values()]},
        ]
    runs = [p for p in build["projects"] if p["stage"] == "migrate"]
    if runs:
        families = [s["names"][k] for s in backends for k in ("migration_family", "seed_family")
                    if s.get("migration" if k == "migration_family" else "seed")]
        build_stmts += [
            {"Effect": "Allow", "Action": "ecs:RunTask",
             "Resource": ["%s:ecs:%s:task-definition/%s:*" % (arn, where, f) for f in families],
             "Condition": {"ArnEquals": {"ecs:cluster": "%s:ecs:%s:cluster/%s" % (arn, where, cluster)}}},
            {"Effect": "Allow", "Action": "ecs:DescribeTasks", "Resource": "%s:ecs:%s:task/%s/*" % (arn, where, cluster)},
            pass_roles,
        ]
    if frontends:
        buckets = ["%s:s3:::%s" % (arn, s["names"]["bucket"]) for s in frontends]
        secret = "%s:secretsmanager:%s:secret:%s-??????" % (arn, where, model["secret"]["name"])
        build_stmts += [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": buckets},
            {"Effect": "Allow", "Action": ["s3:PutObject", "s3:DeleteObject"], "Resource": [b + "/*" for b in buckets]},
            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secret},
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
             "Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.%s.%s" % (model["region"], model["dns_suffix"])},
                           "ForAnyValue:StringEquals": {"kms:ResourceAliases": names["kms_alias"]}}},
        ]
    services = [n for s in backends for n in containers(s)]
    families = [s["names"]["task_family"] for s in backends] + [w["names"]["task_family"] for s in backends
                                                                for w in s.get("workers", [])]
    pipeline_stmts = [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": [source_object]},
        {"Effect": "Allow", "Action": "s3:GetBucketVersioning",
         "Resource": ["%s:s3:::%s" % (arn, shared["source_bucket"]), artifacts]},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], "Resource": [artifacts + "/*"]},
        {"Effect": "Allow", "Action": ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
         "Resource": ["%s:codebuild:%s:project/%s" % (arn, where, p["name"]) for p in build["projects"]]},
    ]
    if services:
        pipeline_stmts += [
            {"Effect": "Allow", "Action": ["ecs:DescribeServices", "ecs:UpdateService"],
             "Resource": ["%s:ecs:%s:service/%s/%s" % (arn, where, cluster, n) for n in services]},
            {"Effect": "Allow", "Action": ["ecs:RegisterTaskDefinition", "ecs:TagResource"],
             "Resource": ["%s:ecs:%s:task-definition/%s:*" % (arn, where, f) for f in families]},
            {"Effect": "Allow", "Action": "ecs:DescribeTaskDefinition", "Resource": "*"},
            pass_roles,
        ]
    return {"build": {"Version": "2012-10-17", "Statement": build_stmts},
            "pipeline": {"Version": "2012-10-17", "Statement": pipeline_stmts}}
