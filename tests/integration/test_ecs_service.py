# -*- coding: utf-8 -*-
"""roles/ecs_service against the embedded AWS.

Read-only checks read the one shared deploy of examples/demo (fixture demo_review: site.yml, app
`shop`, review). The cases that change an environment (check mode on a new one, re-run, an
image-tag deploy, one-off tasks and a failing migration, a worker and a cron removed, teardown)
run on ONE small deploy of the role alone (tests/integration/playbooks/ecs_service.yml), app
`ecsapp` (one web service, a preview worker, a cron, migration and seed), in their own xdist
group, inside a network made with boto3 with what the roles before it make (the environment's
KMS key and secret, the edge role's load balancer and listener) made with boto3 too.

moto runs no container: services start no task and one-off tasks do not run a command. What is
tested is what ECS, IAM, ELB, CloudWatch and EventBridge store, and the orchestration.
"""

from __future__ import annotations

import json

import pytest

from conftest import make_network
from support import (DEFAULT_ACCOUNT, assert_ok, assert_unchanged, changed_tasks, clients, ecs_inactive, leftovers,
                     role_playbook)

SMALL = pytest.mark.xdist_group("ecs-service")
APP = "ecsapp"
PREFIX = APP + "-review-"
# The small app; SMALLER is it without its preview worker and its scheduled task.
WEB = """\
api:
  type: backend
  repo_path: api
  url_path: /api
  prod: ["gunicorn", "app.wsgi", "--bind", "0.0.0.0:$PORT"]
  migration: ["python", "manage.py", "migrate"]
  seed: ["python", "manage.py", "loaddata", "demo"]
  system:
    health_check: /api/health
"""
EXTRAS = """\
  workers:
    - name: preview_environment
      command: ["celery", "-A", "app", "worker"]
  scheduled_tasks:
    - name: nightly report
      command: ["python", "manage.py", "send_report"]
      schedule: "30 4 * * 1-5"
"""


def active_families(ecs, prefix):
    """Families named prefix... with an ACTIVE revision (moto's ListTaskDefinitionFamilies ignores
    its status filter; ListTaskDefinitions' familyPrefix is a whole family name, as in AWS)."""
    arns = [a for page in ecs.get_paginator("list_task_definitions").paginate(status="ACTIVE")
            for a in page["taskDefinitionArns"]]
    return sorted(set(f for f in (a.rsplit("/", 1)[1].rsplit(":", 1)[0] for a in arns) if f.startswith(prefix)))


def live_services(ecs, cluster):
    names = [a.rsplit("/", 1)[1] for a in ecs.list_services(cluster=cluster)["serviceArns"]]
    return sorted(s["serviceName"] for s in (ecs.describe_services(cluster=cluster, services=names)["services"]
                                             if names else []) if s["status"] == "ACTIVE")


def as_list(value):
    return value if isinstance(value, list) else [value]


# The shared deploy of examples/demo (site.yml, review) ----------------------------------------

def _demo(demo_review):
    client = demo_review["client"]
    ec2 = client("ec2")
    subnets = ec2.describe_subnets(Filters=[{"Name": "tag:Application", "Values": ["shop"]},
                                            {"Name": "tag:Tier", "Values": ["private"]}])["Subnets"]
    group = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["shop-review-services"]}])
    key = [a["TargetKeyId"] for a in client("kms").list_aliases()["Aliases"]
           if a["AliasName"] == "alias/coherence/shop-review"]
    return client, sorted(s["SubnetId"] for s in subnets), group["SecurityGroups"][0]["GroupId"], key[0]


def test_demo_services_network_capacity_and_circuit_breaker(demo_review):
    client, private, services_group, _key = _demo(demo_review)
    ecs = client("ecs")
    cluster = ecs.describe_clusters(clusters=["shop"], include=["TAGS"])["clusters"][0]
    assert sorted(cluster["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]
    # the app's tags only: the environments share the cluster
    assert {t["key"]: t["value"] for t in cluster["tags"]} == {"Application": "shop", "ManagedBy": "coherence"}
    # review: the web services and only the preview_environment worker (not `orders`)
    assert live_services(ecs, "shop") == ["shop-review-admin", "shop-review-api", "shop-review-api-preview-environment"]
    found = ecs.describe_services(cluster="shop", services=["shop-review-api", "shop-review-admin",
                                                            "shop-review-api-preview-environment"])["services"]
    for service in found:
        vpc = service["networkConfiguration"]["awsvpcConfiguration"]
        assert sorted(vpc["subnets"]) == private and vpc["securityGroups"] == [services_group]
        assert vpc["assignPublicIp"] == "DISABLED", service["serviceName"]
        assert "launchType" not in service
        assert service["capacityProviderStrategy"] == [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]
        assert service["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
        # no image was built: no task, no crash loop, and the run says so
        assert service["desiredCount"] == 0, service["serviceName"]
    assert "at tag latest yet: their services stay at 0 tasks" in " ".join(demo_review["first"].stdout.split())


def test_demo_task_definitions_secrets_by_reference_only(demo_review):
    client = demo_review["client"]
    ecs = client("ecs")
    account = client("sts").get_caller_identity()["Account"]
    secret = client("secretsmanager").describe_secret(SecretId="coherence/shop/review")["ARN"]
    definition = ecs.describe_task_definition(taskDefinition="shop-review-api")["taskDefinition"]
    container = definition["containerDefinitions"][0]
    secrets = {s["name"]: s["valueFrom"] for s in container["secrets"]}
    assert secrets["DATABASE_URL"] == secret + ":api-db.DATABASE_URL::"
    assert secrets["STRIPE_KEY"].startswith(secret + ":") and all(v.startswith(secret + ":") for v in secrets.values())
    environment = {e["name"]: e["value"] for e in container["environment"]}
    assert environment == {"PORT": "3000", "COHERENCE_ENVIRONMENT_NAME": "review", "ENVIRONMENT_NAME": "review",
                           "COHERENCE_ENVIRONMENT_DOMAIN": "review.shop.example.com"}
    assert demo_review["secret"] not in json.dumps(definition, default=str)
    assert (definition["cpu"], definition["memory"], definition["networkMode"]) == ("1024", "2048", "awsvpc")
    assert definition["requiresCompatibilities"] == ["FARGATE"]
    assert container["command"] == ["/bin/sh", "-c", "gunicorn shop.wsgi --bind 0.0.0.0:$PORT"]
    assert container["portMappings"][0]["containerPort"] == 3000
    assert container["image"] == "%s.dkr.ecr.us-east-1.amazonaws.com/shop-api:latest" % account
    assert container["logConfiguration"]["logDriver"] == "awslogs"
    assert container["logConfiguration"]["options"]["awslogs-group"] == "/coherence/shop/review/api"
    assert not container.get("privileged")
    # every family of the environment: its own log group, the same two roles' kinds
    families = active_families(ecs, "shop-review-")
    assert families == ["shop-review-admin", "shop-review-api", "shop-review-api-cron-nightly-report",
                        "shop-review-api-migration", "shop-review-api-preview-environment", "shop-review-api-seed"]
    admin = ecs.describe_task_definition(taskDefinition="shop-review-admin")["taskDefinition"]
    assert admin["executionRoleArn"] == definition["executionRoleArn"] and admin["taskRoleArn"] != definition["taskRoleArn"]


def test_demo_roles_distinct_and_least_privilege(demo_review):
    client, _private, _group, key = _demo(demo_review)
    iam = client("iam")
    account = client("sts").get_caller_identity()["Account"]
    definition = client("ecs").describe_task_definition(taskDefinition="shop-review-api")["taskDefinition"]
    execution, task = definition["executionRoleArn"], definition["taskRoleArn"]
    assert execution != task and execution.endswith("/shop-review-execution") and task.endswith("/shop-review-api-task")
    roles = {r["RoleName"]: r for r in iam.list_roles(PathPrefix="/coherence/shop/review/")["Roles"]}
    assert set(roles) == {"shop-review-execution", "shop-review-api-task", "shop-review-admin-task", "shop-review-events"}
    for name in ("shop-review-execution", "shop-review-api-task", "shop-review-admin-task"):
        trust = roles[name]["AssumeRolePolicyDocument"]["Statement"]
        assert trust == [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
                          "Condition": {"StringEquals": {"aws:SourceAccount": account}}}], name
    assert roles["shop-review-events"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "events.amazonaws.com"}

    def policy(name):
        document = iam.get_role_policy(RoleName=name, PolicyName=name)["PolicyDocument"]
        return {s["Sid"]: s for s in document["Statement"]}

    execution_policy = policy("shop-review-execution")
    assert execution_policy["ReadTheEnvironmentSecret"]["Resource"] == \
        "arn:aws:secretsmanager:us-east-1:%s:secret:coherence/shop/review-??????" % account
    assert execution_policy["UseTheEnvironmentKey"]["Resource"].endswith(":key/" + key)
    assert execution_policy["PullTheAppImages"]["Resource"] == [
        "arn:aws:ecr:us-east-1:%s:repository/shop-%s" % (account, s) for s in ("api", "admin")]
    assert sorted(execution_policy["WriteTheEnvironmentLogs"]["Resource"]) == sorted(
        "arn:aws:logs:us-east-1:%s:log-group:/coherence/shop/review/%s:*" % (account, g)
        for g in ("api", "api/preview-environment", "api/cron/nightly-report", "api/migration", "api/seed", "admin"))
    # "*" only where IAM has no narrower resource (ecr:GetAuthorizationToken)
    assert [s["Sid"] for s in execution_policy.values() if "*" in as_list(s["Resource"])] == ["LogInToEcr"]
    # the api's task role: its own bucket only (the demo's uploads), through the environment's key
    bucket = [b["Name"] for b in client("s3").list_buckets()["Buckets"] if b["Name"].startswith("shop-review-api-uploads")]
    api = policy("shop-review-api-task")
    assert (api["ListItsBuckets"]["Resource"], api["UseItsObjects"]["Resource"]) == (
        ["arn:aws:s3:::" + bucket[0]], ["arn:aws:s3:::%s/*" % bucket[0]])
    assert api["UseTheEnvironmentKey"]["Resource"].endswith(":key/" + key)
    assert iam.list_role_policies(RoleName="shop-review-admin-task")["PolicyNames"] == []  # nothing by default
    events = policy("shop-review-events")
    assert events["RunTheScheduledTasks"]["Resource"] == [
        "arn:aws:ecs:us-east-1:%s:task-definition/shop-review-api-cron-nightly-report:*" % account]
    assert events["RunTheScheduledTasks"]["Condition"] == {"ArnEquals": {"ecs:cluster": "arn:aws:ecs:us-east-1:%s:cluster/shop" % account}}
    assert events["PassTheirRoles"]["Resource"] == sorted([execution, task])


def test_demo_logs_encrypted_with_the_environment_key_it_lets_logs_use(demo_review):
    client, _private, _group, key = _demo(demo_review)
    groups = client("logs").describe_log_groups(logGroupNamePrefix="/coherence/shop/review/")["logGroups"]
    assert sorted(g["logGroupName"].rsplit("review/", 1)[1] for g in groups) == [
        "admin", "api", "api/cron/nightly-report", "api/migration", "api/preview-environment", "api/seed"]
    assert {g["retentionInDays"] for g in groups} == {30}
    assert {g["kmsKeyId"].rsplit("/", 1)[1] for g in groups} == {key}
    statements = json.loads(client("kms").get_key_policy(KeyId=key, PolicyName="default")["Policy"])["Statement"]
    logs = [s for s in statements if s["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}]
    assert len(logs) == 1 and logs[0]["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"].endswith(
        ":log-group:/coherence/shop/review/*")


def test_demo_cron_scaling_and_alarm_topic(demo_review):
    client, private, services_group, _key = _demo(demo_review)
    account = client("sts").get_caller_identity()["Account"]
    events = client("events")
    rule = events.describe_rule(Name="shop-review-api-nightly-report")
    assert rule["ScheduleExpression"] == "cron(30 4 ? * 2-6 *)" and rule["State"] == "ENABLED"
    target = events.list_targets_by_rule(Rule="shop-review-api-nightly-report")["Targets"][0]
    assert target["Arn"] == "arn:aws:ecs:us-east-1:%s:cluster/shop" % account
    assert target["RoleArn"].endswith("role/coherence/shop/review/shop-review-events")
    parameters = target["EcsParameters"]
    assert parameters["TaskDefinitionArn"].endswith(":task-definition/shop-review-api-cron-nightly-report")
    network = parameters["NetworkConfiguration"]["awsvpcConfiguration"]
    assert (sorted(network["Subnets"]), network["SecurityGroups"], network["AssignPublicIp"]) == (
        private, [services_group], "DISABLED")
    assert parameters["CapacityProviderStrategy"][0]["capacityProvider"] == "FARGATE_SPOT"
    assert json.loads(target["Input"])["containerOverrides"][0]["command"] == [
        "/bin/sh", "-c", "python manage.py send_report"]

    scaling = client("application-autoscaling")
    targets = {t["ResourceId"]: t for t in scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
               if t["ResourceId"].startswith("service/shop/shop-review-")}
    # the web services; no image yet: at least 0, so that the scaling does not raise them
    assert {k: (t["MinCapacity"], t["MaxCapacity"]) for k, t in targets.items()} == {
        "service/shop/shop-review-api": (0, 2), "service/shop/shop-review-admin": (0, 2)}
    policies = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId="service/shop/shop-review-api")
    tracking = [(p["PolicyType"], p["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"][
        "PredefinedMetricType"], p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"])
        for p in policies["ScalingPolicies"]]
    assert sorted(tracking) == [("TargetTrackingScaling", "ECSServiceAverageCPUUtilization", 70.0),
                                ("TargetTrackingScaling", "ECSServiceAverageMemoryUtilization", 80.0)]
    topics = [t["TopicArn"] for t in client("sns").list_topics()["Topics"]]
    assert "arn:aws:sns:us-east-1:%s:shop-review-alarms" % account in topics


def test_demo_routes_and_alarms_on_the_edge_listener(demo_review):
    """On the edge role's listener (its coherence_edge.listener_arn): each web service's
    target group and host-scoped rule, and its 5xx and unhealthy alarms on the topic."""
    client = demo_review["client"]
    elb = client("elbv2")
    groups = {g["TargetGroupName"]: g for g in elb.describe_target_groups()["TargetGroups"]
              if g["TargetGroupName"].startswith("shop-review-")}
    assert sorted(groups) == ["shop-review-admin", "shop-review-api"]
    api = groups["shop-review-api"]
    assert (api["TargetType"], api["Port"], api["HealthCheckPath"]) == ("ip", 3000, "/api/health")
    rules = [r for listener in elb.describe_listeners(LoadBalancerArn=api["LoadBalancerArns"][0])["Listeners"]
             for r in elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
             if not r["IsDefault"] and r["Actions"][0].get("TargetGroupArn")]
    conditions = {r["Actions"][0]["TargetGroupArn"]: {c["Field"]: sorted(c.get("PathPatternConfig", c.get(
        "HostHeaderConfig", {})).get("Values", [])) for c in r["Conditions"]} for r in rules}
    assert conditions[api["TargetGroupArn"]] == {"path-pattern": ["/api", "/api/*"],
                                                 "host-header": ["review.shop.example.com"]}
    alarms = {a["AlarmName"]: a for a in client("cloudwatch").describe_alarms(
        AlarmNamePrefix="shop-review-")["MetricAlarms"]}
    assert sorted(alarms) == ["shop-review-admin-5xx", "shop-review-admin-unhealthy", "shop-review-api-5xx",
                              "shop-review-api-unhealthy"]
    assert alarms["shop-review-api-5xx"]["AlarmActions"][0].endswith(":shop-review-alarms")


# The embedded AWS's ECS patch -----------------------------------------------------------------

def test_embedded_aws_capacity_provider_service_and_exit_code_hook(aws, network):
    """The embedded AWS's ECS patch (docs/embedded-aws.md) over HTTP: a capacity-provider service
    is described as created; a tagged task definition's task stops with that exit code."""
    ecs = aws("ecs")
    ecs.create_cluster(clusterName="hook", capacityProviders=["FARGATE", "FARGATE_SPOT"])
    definition = ecs.register_task_definition(
        family="hook", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=[{"name": "hook", "image": "busybox"}],  # the task's memory only (Fargate)
        tags=[{"key": "embedded-aws:exit-code", "value": "2"}])["taskDefinition"]["taskDefinitionArn"]
    vpc = {"awsvpcConfiguration": {"subnets": network["private_subnet_ids"],
                                   "securityGroups": [network["security_groups"]["database"]]}}
    ecs.create_service(cluster="hook", serviceName="hook", taskDefinition=definition, desiredCount=0,
                       capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1}],
                       deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}},
                       networkConfiguration=vpc)
    service = ecs.describe_services(cluster="hook", services=["hook"])["services"][0]
    assert "launchType" not in service
    assert service["capacityProviderStrategy"] == [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}]
    assert service["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    with pytest.raises(Exception, match="not both"):
        ecs.create_service(cluster="hook", serviceName="both", taskDefinition=definition, launchType="FARGATE",
                           capacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 1}],
                           networkConfiguration=vpc)
    task = ecs.run_task(cluster="hook", taskDefinition=definition, networkConfiguration=vpc,
                        capacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 1}])["tasks"][0]["taskArn"]
    found = ecs.describe_tasks(cluster="hook", tasks=[task])["tasks"][0]
    assert found["lastStatus"] == "STOPPED" and found["containers"][0]["exitCode"] == 2
    assert found["stopCode"] == "EssentialContainerExited"
    eni = [d["value"] for d in found["attachments"][0]["details"] if d["name"] == "networkInterfaceId"][0]
    assert aws("ec2").describe_network_interfaces(Filters=[{"Name": "network-interface-id", "Values": [eni]}])[
        "NetworkInterfaces"] == []  # deleted with the stopped task


# One small deploy of the role alone, changed step by step (its tests run in this order) --------

@pytest.fixture(scope="module")
def small(session_aws_env, tmp_path_factory):
    """What the role stands on for APP, made with boto3 (a network with a services group, the
    environment's KMS key and secret, a load balancer with an HTTPS listener), the app's
    coherence.yml with and without its worker and cron, and run(operations, ...)."""
    aws = clients(session_aws_env)
    network = make_network(aws, cidr_prefix="10.43")
    ec2, elb = aws("ec2"), aws("elbv2")
    services = ec2.create_security_group(GroupName="services-" + network["suffix"], Description="services",
                                         VpcId=network["vpc_id"])["GroupId"]
    network["security_groups"]["services"] = services
    key = aws("kms").create_key()["KeyMetadata"]["KeyId"]
    aws("kms").create_alias(AliasName="alias/coherence/%s-review" % APP, TargetKeyId=key)
    aws("secretsmanager").create_secret(Name="coherence/%s/review" % APP, SecretString="{}", KmsKeyId=key)
    lb = elb.create_load_balancer(Name="edge-" + network["suffix"], Subnets=network["private_subnet_ids"],
                                  Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    certificate = aws("acm").request_certificate(DomainName="*.%s.example.com" % APP)["CertificateArn"]
    listener = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=443,
                                   Certificates=[{"CertificateArn": certificate}],
                                   DefaultActions=[{"Type": "fixed-response",
                                                    "FixedResponseConfig": {"StatusCode": "404"}}])
    listener = listener["Listeners"][0]["ListenerArn"]
    directory = tmp_path_factory.mktemp("ecsapp")
    (directory / "full.yml").write_text(WEB + EXTRAS)
    (directory / "smaller.yml").write_text(WEB)
    extra = {"coherence_network": network, "ecs_service_listener_arn": listener}

    def run(operations, *args, coherence_file="full.yml"):
        return role_playbook("ecs_service", operations, "-e", json.dumps(extra), *args, environ=session_aws_env,
                             env="review", app_name=APP, base_domain=APP + ".example.com",
                             coherence_file=str(directory / coherence_file))

    return {"aws": aws, "run": run, "environ": session_aws_env, "network": network, "key": key, "listener": listener, "created": []}


@SMALL
def test_small_check_mode_on_a_new_environment_creates_nothing(small):
    aws = small["aws"]
    assert_ok(small["run"]("create", "--check"))
    assert [c for c in aws("ecs").describe_clusters(clusters=[APP])["clusters"] if c["status"] == "ACTIVE"] == []
    assert aws("logs").describe_log_groups(logGroupNamePrefix="/coherence/" + APP)["logGroups"] == []
    assert aws("iam").list_roles(PathPrefix="/coherence/%s/" % APP)["Roles"] == []
    assert active_families(aws("ecs"), PREFIX) == []
    assert aws("events").list_rules(NamePrefix=APP + "-")["Rules"] == []
    assert [g for g in aws("elbv2").describe_target_groups()["TargetGroups"] if g["TargetGroupName"].startswith(APP)] == []
    assert aws("elbv2").describe_rules(ListenerArn=small["listener"])["Rules"][0]["IsDefault"]


@SMALL
def test_small_create_routes_alarms_then_rerun_changes_nothing(small):
    aws, run = small["aws"], small["run"]
    assert_ok(run("create"))
    small["created"].append(True)
    elb = aws("elbv2")
    group = elb.describe_target_groups(Names=[PREFIX + "api"])["TargetGroups"][0]
    assert (group["TargetType"], group["Port"], group["HealthCheckPath"]) == ("ip", 3000, "/api/health")
    api = aws("ecs").describe_services(cluster=APP, services=[PREFIX + "api"])["services"][0]
    assert api["loadBalancers"] == [{"targetGroupArn": group["TargetGroupArn"], "containerName": PREFIX + "api",
                                     "containerPort": 3000}]
    rules = [r for r in elb.describe_rules(ListenerArn=small["listener"])["Rules"] if not r["IsDefault"]]
    assert len(rules) == 1 and rules[0]["Actions"][0]["TargetGroupArn"] == group["TargetGroupArn"]
    conditions = {c["Field"]: c.get("PathPatternConfig", c.get("HostHeaderConfig"))["Values"] for c in rules[0]["Conditions"]}
    assert conditions == {"path-pattern": ["/api", "/api/*"], "host-header": ["review.%s.example.com" % APP]}
    alarms = {a["AlarmName"]: a for a in aws("cloudwatch").describe_alarms(AlarmNamePrefix=PREFIX)["MetricAlarms"]}
    assert sorted(alarms) == [PREFIX + "api-5xx", PREFIX + "api-unhealthy"]
    topic = [t["TopicArn"] for t in aws("sns").list_topics()["Topics"] if t["TopicArn"].endswith(":" + PREFIX + "alarms")]
    assert alarms[PREFIX + "api-5xx"]["AlarmActions"] == topic and alarms[PREFIX + "api-unhealthy"]["AlarmActions"] == topic
    dimensions = {d["Name"]: d["Value"] for d in alarms[PREFIX + "api-unhealthy"]["Dimensions"]}
    assert dimensions["TargetGroup"] == group["TargetGroupArn"].split(":")[-1]
    assert dimensions["LoadBalancer"] == small["listener"].split(":listener/")[1].rsplit("/", 1)[0]
    priority = rules[0]["Priority"]

    assert_unchanged(run("create"))
    assert [r["Priority"] for r in elb.describe_rules(ListenerArn=small["listener"])["Rules"] if not r["IsDefault"]] == [priority]


@SMALL
def test_small_image_tag_deploy_changes_only_task_definitions_and_services(small):
    assert small["created"], "needs the create above"
    aws, run = small["aws"], small["run"]
    ecs, ecr = aws("ecs"), aws("ecr")
    before = {"roles": aws("iam").list_roles(PathPrefix="/coherence/%s/" % APP)["Roles"],
              "rules": aws("elbv2").describe_rules(ListenerArn=small["listener"])["Rules"],
              "schedule": aws("events").list_targets_by_rule(Rule=PREFIX + "api-nightly-report")["Targets"]}
    ecr.create_repository(repositoryName=APP + "-api")
    ecr.put_image(repositoryName=APP + "-api", imageTag="v1", imageManifest=json.dumps(
        {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
         "config": {"digest": "sha256:" + "ab" * 32, "size": 1, "mediaType": "application/vnd.docker.container.image.v1+json"},
         "layers": []}))
    # the deploy: the migration and seed on the new image (both exiting 0), then the services rolled
    deployed = assert_ok(run("deploy", "-e", "image_tag=v1"))
    changed = changed_tasks(deployed.stdout)
    assert changed and all("Bring the environment's log groups, task definitions and services" in c
                           or "Run the migrations" in c or "Run the seeds" in c for c in changed), changed
    assert len([c for c in changed if "Run the migrations" in c or "Run the seeds" in c]) == 2  # migration, seed
    assert (deployed.stdout.index("task definitions and services to the model, the migrations and seeds")
            < deployed.stdout.index("Run the migrations")
            < deployed.stdout.index("task definitions and services to the model, all"))
    # the fast path: no cluster, IAM, routes, scaling or schedule is even read
    assert not [t for t in ("Create the application's cluster", "Bring the environment's roles", "Route the environment",
                            "Scale the web services", "Schedule the scheduled tasks") if t in deployed.stdout]
    after = {"roles": aws("iam").list_roles(PathPrefix="/coherence/%s/" % APP)["Roles"],
             "rules": aws("elbv2").describe_rules(ListenerArn=small["listener"])["Rules"],
             "schedule": aws("events").list_targets_by_rule(Rule=PREFIX + "api-nightly-report")["Targets"]}
    assert after == before
    api = ecs.describe_services(cluster=APP, services=[PREFIX + "api"])["services"][0]
    assert api["taskDefinition"].endswith("/%sapi:2" % PREFIX) and api["desiredCount"] == 1
    assert ecs.describe_task_definition(taskDefinition=api["taskDefinition"])["taskDefinition"][
        "containerDefinitions"][0]["image"].endswith("/%s-api:v1" % APP)
    assert api["capacityProviderStrategy"][0]["capacityProvider"] == "FARGATE_SPOT"
    assert api["networkConfiguration"]["awsvpcConfiguration"]["subnets"]  # the deploy kept the network
    stopped = ecs.list_tasks(cluster=APP, desiredStatus="STOPPED")["taskArns"]
    assert sorted(t["taskDefinitionArn"].rsplit("/", 1)[1] for t in ecs.describe_tasks(cluster=APP, tasks=stopped)["tasks"]) \
        == [PREFIX + "api-migration:2", PREFIX + "api-seed:2"]


@SMALL
def test_small_failing_migration_fails_the_run_naming_its_log_stream(small):
    assert small["created"], "needs the create above"
    aws, run = small["aws"], small["run"]
    # moto runs no container: the embedded AWS's test hook stops the task with this exit code
    migration = aws("ecs").describe_task_definition(taskDefinition=PREFIX + "api-migration")["taskDefinition"]
    aws("ecs").tag_resource(resourceArn=migration["taskDefinitionArn"], tags=[{"key": "embedded-aws:exit-code", "value": "3"}])
    failed = run("run", "-e", "image_tag=v1")
    assert failed.returncode != 0
    assert "task %sapi-migration" % PREFIX in failed.stdout and "exit code 3" in failed.stdout
    assert "group /coherence/%s/review/api/migration, stream ecs/%sapi-migration/" % (APP, PREFIX) in failed.stdout
    assert "api-seed" not in failed.stdout.split("exit code 3", 1)[1]  # no seed after a failed migration
    aws("ecs").untag_resource(resourceArn=migration["taskDefinitionArn"], tagKeys=["embedded-aws:exit-code"])


@SMALL
def test_small_removed_worker_and_cron_leave_nothing_and_scaling_keeps_its_count(small):
    assert small["created"], "needs the create above"
    aws, run = small["aws"], small["run"]
    ecs = aws("ecs")
    # desired_count belongs to the scaling after creation: the run below leaves it alone
    ecs.update_service(cluster=APP, service=PREFIX + "api", desiredCount=2)
    assert_ok(run("create", "-e", "image_tag=v1", coherence_file="smaller.yml"))
    assert live_services(ecs, APP) == [PREFIX + "api"]
    assert ecs.describe_services(cluster=APP, services=[PREFIX + "api"])["services"][0]["desiredCount"] == 2
    assert active_families(ecs, PREFIX) == [PREFIX + "api", PREFIX + "api-migration", PREFIX + "api-seed"]
    names = [g["logGroupName"] for g in aws("logs").describe_log_groups(logGroupNamePrefix="/coherence/%s/" % APP)["logGroups"]]
    assert sorted(names) == ["/coherence/%s/review/api%s" % (APP, s) for s in ("", "/migration", "/seed")]
    assert aws("events").list_rules(NamePrefix=PREFIX)["Rules"] == []
    assert sorted(r["RoleName"] for r in aws("iam").list_roles(PathPrefix="/coherence/%s/" % APP)["Roles"]) == [
        PREFIX + "api-task", PREFIX + "execution"]  # no events role without a scheduled task
    # the image exists now: the scaling has the service from 1 task on
    assert aws("application-autoscaling").describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[
        "service/%s/%sapi" % (APP, PREFIX)])["ScalableTargets"][0]["MinCapacity"] == 1


@SMALL
def test_small_teardown_leaves_nothing(small):
    assert small["created"], "needs the create above"
    aws, run = small["aws"], small["run"]
    assert_ok(run("delete,delete_shared", coherence_file="smaller.yml"))
    ecs = aws("ecs")
    assert [c for c in ecs.describe_clusters(clusters=[APP])["clusters"] if c["status"] == "ACTIVE"] == []
    assert active_families(ecs, PREFIX) == []
    assert aws("logs").describe_log_groups(logGroupNamePrefix="/coherence/%s/" % APP)["logGroups"] == []
    assert aws("iam").list_roles(PathPrefix="/coherence/%s/" % APP)["Roles"] == []
    assert [g for g in aws("elbv2").describe_target_groups()["TargetGroups"] if g["TargetGroupName"].startswith(PREFIX)] == []
    assert [r for r in aws("elbv2").describe_rules(ListenerArn=small["listener"])["Rules"] if not r["IsDefault"]] == []
    assert not [t for t in aws("sns").list_topics()["Topics"] if t["TopicArn"].endswith(":" + PREFIX + "alarms")]
    assert aws("cloudwatch").describe_alarms(AlarmNamePrefix=PREFIX)["MetricAlarms"] == []
    assert aws("events").list_rules(NamePrefix=PREFIX)["Rules"] == []
    assert [t for t in aws("application-autoscaling").describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
            if t["ResourceId"].startswith("service/%s/" % APP)] == []
    # the sweep (tags, then each service's listing), once the stage's secret (the data role's) is gone
    aws("secretsmanager").delete_secret(SecretId="coherence/%s/review" % APP, ForceDeleteWithoutRecovery=True)
    # (deleted services and clusters, deregistered task definitions stay listed INACTIVE, as in AWS)
    client = clients(small["environ"])
    assert [item for item in leftovers(small["environ"], APP, [(DEFAULT_ACCOUNT, "us-east-1")])
            if not ecs_inactive(client, item.split(": ", 1)[1])] == []
