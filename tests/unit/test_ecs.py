# -*- coding: utf-8 -*-
"""The model's ECS part (plugin_utils/ecs.py) and the comparisons of the ECS modules: what is
compared is what the task sets, never what AWS adds."""

from __future__ import annotations

import json

from conftest import REPO

from ansible_collections.coherence.aws.plugins.modules import alb_routes
from ansible_collections.coherence.aws.plugins.modules import ecs_run_task
from ansible_collections.coherence.aws.plugins.modules import ecs_scaling
from ansible_collections.coherence.aws.plugins.modules import ecs_workloads
from ansible_collections.coherence.aws.plugins.modules import event_schedules
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model
from ansible_collections.coherence.aws.plugins.plugin_utils.ecs import iam_roles

DEMO = open(REPO + "/examples/demo/coherence.yml").read()


def model(env="review", **kw):
    kw.setdefault("account_id", "123456789012")
    return build_app_model(DEMO, env=env, app_name="shop", base_domain="shop.example.com",
                           env_var_names=["STRIPE_KEY"], **kw)


def by_kind(m):
    out = {}
    for w in m["ecs"]["workloads"]:
        out.setdefault(w["kind"], []).append(w["family"])
    return out


def test_review_workloads_preview_worker_seed_and_spot():
    m = model()
    assert by_kind(m) == {
        "web": ["shop-review-api", "shop-review-admin"], "worker": ["shop-review-api-preview-environment"],
        "cron": ["shop-review-api-cron-nightly-report"], "migration": ["shop-review-api-migration"],
        "seed": ["shop-review-api-seed"]}
    assert m["ecs"]["capacity_provider"] == "FARGATE_SPOT"
    assert m["ecs"]["execution_role_arn"] == "arn:aws:iam::123456789012:role/coherence/shop/review/shop-review-execution"


def test_production_workloads_on_demand_no_seed_no_preview_worker():
    m = model("production")
    kinds = by_kind(m)
    assert kinds["worker"] == ["shop-production-api-orders"] and "seed" not in kinds
    assert m["ecs"]["capacity_provider"] == "FARGATE"
    api = m["ecs"]["workloads"][0]
    assert (api["min_scale"], api["max_scale"]) == (2, 6)


def test_secrets_by_key_plain_values_only_in_environment():
    api = model()["ecs"]["workloads"][0]
    assert api["environment"] == {"COHERENCE_ENVIRONMENT_NAME": "review", "ENVIRONMENT_NAME": "review",
                                  "COHERENCE_ENVIRONMENT_DOMAIN": "review.shop.example.com", "PORT": "3000"}
    assert api["secrets"]["DATABASE_URL"] == "api-db.DATABASE_URL" and api["secrets"]["STRIPE_KEY"] == "STRIPE_KEY"
    assert not set(api["secrets"]) & set(api["environment"])


def test_rule_priorities_stable_distinct_and_longest_path_first():
    review, again, other = model(), model(), model("pr-42")
    prio = {w["family"]: w["route"]["priority"] for w in review["ecs"]["workloads"] if w["kind"] == "web"}
    assert prio == {w["family"]: w["route"]["priority"] for w in again["ecs"]["workloads"] if w["kind"] == "web"}
    assert prio["shop-review-admin"] < prio["shop-review-api"]  # /admin is longer than /api
    others = {w["route"]["priority"] for w in other["ecs"]["workloads"] if w["kind"] == "web"}
    assert not others & set(prio.values()) and all(1 <= p <= 50000 for p in prio.values())
    route = review["ecs"]["workloads"][0]["route"]
    assert route["paths"] == ["/api", "/api/*"] and route["hosts"] == ["review.shop.example.com"]


def test_no_backend_no_ecs():
    m = build_app_model("web:\n  type: frontend\n  url_path: /\n", env="review", app_name="site")
    assert m["ecs"] is None


def test_roles_least_privilege_and_partition_from_the_region():
    roles = {r["name"]: r for r in iam_roles(model(), "arn:aws:kms:us-east-1:123456789012:key/k")}
    for role in roles.values():
        assert role["trust_policy"]["Statement"][0]["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert roles["shop-review-events"]["trust_policy"]["Statement"][0]["Principal"] == {"Service": "events.amazonaws.com"}
    statements = {name: (r["policy"] or {"Statement": []})["Statement"] for name, r in roles.items()}
    assert set(roles) == {"shop-review-execution", "shop-review-api-task", "shop-review-admin-task", "shop-review-events"}
    resources = [x for r in statements.values() for s in r
                 for x in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]) if x != "*"]
    # a wildcard only for a family's revisions, a log group's streams and a bucket's objects
    assert all(x.endswith(("-??????", ":*", "/*")) or "*" not in x for x in resources)
    assert [x for x in resources if "*" in x[:-2]] == []
    assert [s["Action"] for r in statements.values() for s in r if s["Resource"] == "*"] == [
        "ecr:GetAuthorizationToken"]
    assert roles["shop-review-admin-task"]["policy"] is None
    cn = iam_roles(model(region="cn-north-1"))
    text = json.dumps(cn)
    assert "arn:aws:" not in text and "arn:aws-cn:" in text and "amazonaws.com.cn" in text
    key = cn[0]["policy"]["Statement"][-1]
    assert key["Condition"]["ForAnyValue:StringEquals"] == {"kms:ResourceAliases": "alias/coherence/shop-review"}


def test_key_policy_lets_cloudwatch_logs_use_the_key_for_the_environment_logs_only():
    policy = model()["kms_key_policy"]
    root, logs = policy["Statement"][0], policy["Statement"][-1]
    assert root["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"} and root["Action"] == "kms:*"
    assert logs["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert logs["Condition"] == {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                             "arn:aws:logs:us-east-1:123456789012:log-group:/coherence/shop/review/*"}}
    assert all(w["log_group"].startswith("/coherence/shop/review/") for w in model()["ecs"]["workloads"])
    cn = json.dumps(model(region="cn-north-1")["kms_key_policy"])
    assert "arn:aws:" not in cn and "logs.cn-north-1.amazonaws.com.cn" in cn


def test_task_definition_compared_on_what_we_set():
    item = dict(family="f", image="i:1", command=["/bin/sh", "-c", "x"], cpu=256, memory=512, port=3000,
                environment={"B": "2", "A": "1"}, secrets={"S": "k"}, log_group="/g", execution_role_arn="e",
                task_role_arn="t", readonly_root_filesystem=False)
    wanted = ecs_workloads.task_definition(item, "arn:secret", "us-east-1")
    described = json.loads(json.dumps(wanted))
    container = described["containerDefinitions"][0]
    container.update(cpu=0, mountPoints=[], volumesFrom=[], environment=list(reversed(container["environment"])))
    described.update(revision=3, status="ACTIVE", compatibilities=["EC2", "FARGATE"])
    assert ecs_workloads.comparable(described) == ecs_workloads.comparable(wanted)
    assert container["secrets"] == [{"name": "S", "valueFrom": "arn:secret:k::"}]
    container["image"] = "i:2"
    assert ecs_workloads.comparable(described) != ecs_workloads.comparable(wanted)


def test_service_desired_count_is_never_compared_and_a_deploy_touches_the_image_only():
    item = {"family": "f", "port": 3000, "service": dict(
        name="s", capacity_provider="FARGATE_SPOT", subnets=["b", "a"], security_groups=["g"], target_group_arn="tg",
        minimum_count=1, health_check_grace_period=60)}
    wanted = ecs_workloads.service_request(item, "td:1", None)
    current = dict(json.loads(json.dumps(wanted)), desiredCount=5, runningCount=5, launchType=None)
    assert ecs_workloads.service_differences(current, wanted)[0] == {}
    deploy = dict(item, service=dict(item["service"], subnets=None, security_groups=None, target_group_arn=None,
                                     capacity_provider=None))
    assert ecs_workloads.service_differences(current, ecs_workloads.service_request(deploy, "td:2", None))[0] == {
        "taskDefinition": "td:2"}


def test_rule_conditions_target_and_alarm_compared_exactly():
    route = {"paths": ["/api", "/api/*"], "hosts": ["h"]}
    described = [{"Field": "host-header", "HostHeaderConfig": {"Values": ["h"]}, "Values": ["h"]},
                 {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*", "/api"]}}]
    assert alb_routes.comparable_conditions(described) == alb_routes.comparable_conditions(alb_routes.conditions(route))
    params = dict(cluster_arn="c", role_arn="r", capacity_provider="FARGATE", subnets=["b", "a"], security_groups=["g"])
    item = dict(task_definition_arn="td", container="x", command=["/bin/sh", "-c", "y"])
    target = event_schedules.target(params, item)
    described = json.loads(json.dumps(target))
    described["Input"] = json.dumps(json.loads(described["Input"]))  # other spacing, same JSON
    assert event_schedules.comparable_target(described) == event_schedules.comparable_target(target)
    alarm = dict(name="a", namespace="AWS/ApplicationELB", metric="m", dimensions={"B": "2", "A": "1"},
                 statistic="Sum", threshold=10, period=300, evaluation_periods=1, comparison="GreaterThanThreshold")
    wanted = ecs_scaling.alarm_request(alarm, ["topic"])
    described = dict(wanted, Threshold=10, AlarmArn="arn", StateValue="OK", Dimensions=list(reversed(wanted["Dimensions"])))
    assert ecs_scaling.comparable_alarm(described) == ecs_scaling.comparable_alarm(wanted)


def test_one_off_task_outcome_and_log_stream():
    definition = {"containerDefinitions": [{"name": "f", "logConfiguration": {"logDriver": "awslogs", "options": {
        "awslogs-group": "/g", "awslogs-stream-prefix": "ecs"}}}]}
    assert ecs_run_task.log_place(definition, "arn:aws:ecs:r:1:task/c/abc") == ("/g", "ecs/f/abc")
    assert ecs_run_task.outcome({"containers": [{"exitCode": 0}]}) == (0, None)
    assert ecs_run_task.outcome({"containers": [{"exitCode": 3}]}) == (3, "exit code 3")
    code, why = ecs_run_task.outcome({"containers": [{}], "stoppedReason": "CannotPullContainerError: no image"})
    assert code is None and "CannotPullContainerError" in why


def test_iam_roles_compares_documents_not_their_order():
    from ansible_collections.coherence.aws.plugins.modules.iam_roles import differs

    have = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["b", "a"], "Resource": "x"}]}
    wanted = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["a", "b"], "Resource": "x"}]}
    assert not differs(json.dumps(have), wanted) and not differs(have, wanted)
    assert differs(None, wanted) and differs(have, None) and not differs(None, None)
    assert differs(have, dict(wanted, Statement=[dict(wanted["Statement"][0], Resource="y")]))
