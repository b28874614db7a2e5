# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What roles/ecs_service runs for an environment: every task family (web service, worker,
scheduled task, migration, seed) with its names, wiring and IAM scope, decided once here."""

from __future__ import annotations

from .names import make_name, short_hash

# ALB listener rule priorities (1-50000): each environment gets a slot of SLOT_SIZE priorities,
# chosen by a hash of (app, environment), so that a priority stays the same across runs and two
# environments on the shared load balancer do not take each other's. Inside the slot, the
# longest path comes first (ALB evaluates the lowest priority first).
SLOT_SIZE = 50
SLOTS = 49999 // SLOT_SIZE


def ecs(model):
    """The model's `ecs` part, from the assembled model (names, services, resources)."""
    app, env = model["app"], model["environment"]["name"]
    backends = [s for s in model["services"] if s["type"] == "backend"]
    if not backends:
        return None
    account, region, partition = model["account_id"], model["region"], model["partition"]
    env_names = model["names"]["environment"]

    def env_name(kind, *parts):
        return make_name(kind, app, env, *parts)

    def arn(service, resource, region_part=region, account_part=account):
        return "arn:%s:%s:%s:%s:%s" % (partition, service, region_part, account_part or "", resource)

    registry = "%s.dkr.ecr.%s.%s" % (account, region, model["dns_suffix"]) if account else None
    # Every role of the environment under one IAM path: teardown lists them by it.
    iam_path = "/coherence/%s/%s/" % (app, env)
    role_arn = "arn:%s:iam::%s:role%s" % (partition, account or "", iam_path)
    keys = model["secret"]["keys"]
    slot = int(short_hash(app, env), 16) % SLOTS
    ranked = [r["service"] for r in model["routes"] if r["type"] == "backend"]
    workloads = []
    for svc in backends:
        name = svc["name"]
        base = dict(service=name, cpu=svc["cpu"], memory=svc["memory"], port=svc["port"],
                    image=registry + "/" + svc["names"]["ecr"] if registry else None,
                    repository=svc["names"]["ecr"], task_role=svc["names"]["task_role"],
                    task_role_arn=role_arn + svc["names"]["task_role"],
                    # Values that are no secret (the environment's name, domain, PORT) go in plain;
                    # everything else is read from the environment's secret (valueFrom).
                    environment=dict((var, keys[key]["value"]) for var, key in svc["variables"].items()
                                     if keys[key]["source"] == "environment"),
                    secrets=dict((var, key) for var, key in svc["variables"].items()
                                 if keys[key]["source"] != "environment"))

        def workload(kind, label, family, command, log_group, **extra):
            item = dict(base, kind=kind, name=label, family=family, command=command, log_group=log_group,
                        ecs_service=None)
            item.update(extra)
            return item

        workloads.append(workload(
            "web", name, svc["names"]["task_family"], svc["command"], svc["names"]["log_group"],
            ecs_service=svc["names"]["service"], target_group=svc["names"]["target_group"],
            health_check=svc["health_check"], path=svc["url_path"],
            route={"target_group": svc["names"]["target_group"], "port": svc["port"],
                   "health_check_path": svc["health_check"] or "/",
                   "priority": slot * SLOT_SIZE + 1 + ranked.index(name),
                   "paths": ["/*"] if svc["url_path"] == "/" else [svc["url_path"], svc["url_path"].rstrip("/") + "/*"],
                   # Host-scoped: environments share the listener, each on its own domain.
                   "hosts": [model["environment"]["domain"]] if model["environment"]["domain"] else []},
            min_scale=svc["min_scale"], max_scale=svc["max_scale"],
            alarms={"5xx": env_name("alarm", name, "5xx"), "unhealthy": env_name("alarm", name, "unhealthy")},
            scaling_policies={"cpu": env_name("alarm", name, "cpu"), "memory": env_name("alarm", name, "memory")}))
        for worker in svc["workers"]:
            workloads.append(workload(
                "worker", "%s/%s" % (name, worker["name"]), worker["names"]["task_family"], worker["command"],
                make_name("log_group", "coherence", app, env, name, worker["name"], prefix="/"),
                ecs_service=worker["names"]["service"]))
        for task in svc["scheduled_tasks"]:
            workloads.append(workload(
                "cron", "%s/%s" % (name, task["name"]), task["names"]["task_family"], task["command"],
                make_name("log_group", "coherence", app, env, name, "cron", task["name"], prefix="/"),
                rule=task["names"]["rule"],
                # No revision: each run takes the family's latest active one (a deploy needs no change).
                schedule_target={"name": task["names"]["rule"], "schedule": task["schedule"],
                                 "task_definition_arn": arn("ecs", "task-definition/" + task["names"]["task_family"]),
                                 "container": task["names"]["task_family"], "command": task["command"]["ecs"],
                                 "description": "%s %s: %s (%s)" % (app, env, task["name"], task["cron"])}))
        for kind in ("migration", "seed"):
            if svc.get(kind):
                workloads.append(workload(
                    kind, "%s/%s" % (name, kind), svc["names"]["%s_family" % kind], svc[kind],
                    make_name("log_group", "coherence", app, env, name, kind, prefix="/")))
    task_roles = {}
    for svc in backends:
        buckets = [r["names"]["bucket"] for r in model["resources"]
                   if r["type"] == "object_storage" and svc["name"] in r["used_by"]]
        task_roles[svc["names"]["task_role"]] = {
            "service": svc["name"],
            "bucket_arns": ["arn:%s:s3:::%s" % (partition, b) for b in buckets],
            "object_arns": ["arn:%s:s3:::%s/*" % (partition, b) for b in buckets],
        }
    families = [w["family"] for w in workloads]
    return {
        "cluster": model["names"]["shared"]["cluster"],
        "cluster_arn": arn("ecs", "cluster/" + model["names"]["shared"]["cluster"]),
        "capacity_provider": model["environment"]["capacity_provider"],
        "registry": registry,
        "iam_path": iam_path,
        "execution_role": env_names["execution_role"],
        "execution_role_arn": role_arn + env_names["execution_role"],
        "events_role": env_names["events_role"],
        "events_role_arn": role_arn + env_names["events_role"],
        "alarm_topic": env_name("ecs", "alarms"),
        "log_group_prefix": env_names["log_group_prefix"] + "/",
        "family_prefix": make_name("ecs", app, env) + "-",
        # ARNs the IAM policies name (account and partition from the model, never a default).
        "arns": {
            "repositories": [arn("ecr", "repository/" + s["names"]["ecr"]) for s in backends],
            "log_groups": [arn("logs", "log-group:%s:*" % w["log_group"]) for w in workloads],
            "task_definitions": [arn("ecs", "task-definition/%s:*" % f) for f in families],
            "secret": arn("secretsmanager", "secret:%s-??????" % model["secret"]["name"]),
            "kms_alias": arn("kms", env_names["kms_alias"]),
            "role_prefix": "arn:%s:iam::%s:role/" % (partition, account or ""),
        },
        "task_roles": task_roles,
        "workloads": workloads,
        "key_statements": key_statements(model, env_names["log_group_prefix"] + "/"),
    }


def key_statements(model, log_group_prefix):
    """CloudWatch Logs' part of the environment's KMS key policy when it has ECS log groups: it may
    use the key for this environment's log groups only; AWS refuses a log group encrypted with a
    key whose policy does not let logs.<region> use it. A key policy's Resource is always "*"
    (the key itself)."""
    partition, region, account = model["partition"], model["region"], model["account_id"] or ""
    return [{"Sid": "CloudWatchLogsForTheEnvironmentLogs", "Effect": "Allow", "Resource": "*",
             "Principal": {"Service": "logs.%s.%s" % (region, model["dns_suffix"])},
             "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
             "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                       "arn:%s:logs:%s:%s:log-group:%s*" % (partition, region, account, log_group_prefix)}}}]


def iam_roles(model, key_arn=None):
    """The environment's roles as the iam_roles module takes them (name, description, trust_policy
    trusting the service for this account only, policy or none): the task execution role
    (pull the app's images, write its log groups, read its secret), one task role per service
    (its own buckets only), and the events role (run the scheduled tasks' definitions, pass their
    roles). `key_arn`: the environment's KMS key, when it exists (else the alias names it)."""
    part = model["ecs"]
    arns = part["arns"]
    region, suffix = model["region"], model["dns_suffix"]
    if key_arn:
        key = {"Resource": key_arn}
    else:
        # The key is not made yet (check mode, or the role alone): the alias names it.
        key = {"Resource": "arn:%s:kms:%s:%s:key/*" % (model["partition"], region, model["account_id"] or ""),
               "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": model["names"]["environment"]["kms_alias"]}}}

    def decrypt(actions, via):
        statement = dict(key, Sid="UseTheEnvironmentKey", Effect="Allow", Action=actions)
        condition = dict(statement.get("Condition", {}))
        condition["StringEquals"] = {"kms:ViaService": "%s.%s.%s" % (via, region, suffix)}
        statement["Condition"] = condition
        return statement

    ecs_tasks = "ecs-tasks.amazonaws.com"
    label = "%s %s" % (model["app"], model["environment"]["name"])
    roles = [{
        "name": part["execution_role"], "principal": ecs_tasks,
        "description": "%s: ECS task execution (pull images, write logs, read the secret)" % label,
        "statements": [
            # GetAuthorizationToken has no resource-level permission in IAM: "*" is the only resource.
            {"Sid": "LogInToEcr", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
            {"Sid": "PullTheAppImages", "Effect": "Allow", "Resource": arns["repositories"],
             "Action": ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]},
            {"Sid": "WriteTheEnvironmentLogs", "Effect": "Allow", "Resource": arns["log_groups"],
             "Action": ["logs:CreateLogStream", "logs:PutLogEvents"]},
            {"Sid": "ReadTheEnvironmentSecret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
             "Resource": arns["secret"]},
            decrypt("kms:Decrypt", "secretsmanager"),
        ]}]
    for name, scope in sorted(part["task_roles"].items()):
        statements = []
        if scope["bucket_arns"]:
            statements = [
                {"Sid": "ListItsBuckets", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": scope["bucket_arns"]},
                {"Sid": "UseItsObjects", "Effect": "Allow", "Resource": scope["object_arns"],
                 "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]},
                decrypt(["kms:Decrypt", "kms:GenerateDataKey"], "s3"),
            ]
        roles.append({"name": name, "principal": ecs_tasks, "statements": statements,
                      "description": "%s: the %s service's tasks (its own buckets only)" % (label, scope["service"])})
    crons = [w for w in part["workloads"] if w["kind"] == "cron"]
    if crons:
        roles.append({
            "name": part["events_role"], "principal": "events.amazonaws.com",
            "description": "%s: EventBridge runs the scheduled tasks" % label,
            "statements": [
                {"Sid": "RunTheScheduledTasks", "Effect": "Allow", "Action": "ecs:RunTask",
                 "Resource": sorted(set("arn:%s:ecs:%s:%s:task-definition/%s:*" % (
                     model["partition"], region, model["account_id"] or "", w["family"]) for w in crons)),
                 "Condition": {"ArnEquals": {"ecs:cluster": part["cluster_arn"]}}},
                {"Sid": "PassTheirRoles", "Effect": "Allow", "Action": "iam:PassRole",
                 "Resource": sorted(set([part["execution_role_arn"]] + [w["task_role_arn"] for w in crons])),
                 "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
            ]})
    return [{"name": r["name"], "description": r["description"], "trust_policy": _trust(r["principal"], model["account_id"]),
             "policy": {"Version": "2012-10-17", "Statement": r["statements"]} if r["statements"] else None}
            for r in roles]


def _trust(principal, account):
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole",
        # Only this account's tasks and rules (the confused deputy).
        "Condition": {"StringEquals": {"aws:SourceAccount": account or ""}}}]}
