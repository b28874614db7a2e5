# -*- coding: utf-8 -*-
"""roles/ecs_service against the embedded AWS, alone (role-scoped playbook), under its own app
name, inside a network made with boto3, with what the roles before it make (the environment's
KMS key and secret, the edge role's load balancer and HTTPS listener) made with boto3 too.

moto runs no container: services start no task and one-off tasks do not run a command. What is
tested is what ECS, IAM, ELB, CloudWatch and EventBridge store, and the orchestration.
"""

from __future__ import annotations

import json

import pytest

from support import DEMO, assert_ok, assert_unchanged, changed_tasks, recap, role_playbook, tags_of

APP = "ecsapp"
PREFIX = APP + "-review-"


@pytest.fixture
def stage(aws, network):
    """What the ecs_service role stands on for app `app`, made with boto3: a services security
    group, the environment's KMS key and secret (the data role's), a load balancer with an HTTPS
    listener (the edge role's). Returns the role's extra variables and the key's id."""
    return lambda app=APP: _stage(aws, network, app)


def _stage(aws, network, app):
    ec2, elb = aws("ec2"), aws("elbv2")
    services = ec2.create_security_group(GroupName="services-" + network["suffix"], Description="services",
                                         VpcId=network["vpc_id"])["GroupId"]
    net = dict(network, security_groups=dict(network["security_groups"], services=services))
    key = aws("kms").create_key()["KeyMetadata"]["KeyId"]
    aws("kms").create_alias(AliasName="alias/coherence/%s-review" % app, TargetKeyId=key)
    aws("secretsmanager").create_secret(Name="coherence/%s/review" % app, SecretString="{}", KmsKeyId=key)
    lb = elb.create_load_balancer(Name="edge-" + network["suffix"], Subnets=network["private_subnet_ids"],
                                  Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    certificate = aws("acm").request_certificate(DomainName="*.ecsapp.example.com")["CertificateArn"]
    listener = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=443,
                                   Certificates=[{"CertificateArn": certificate}],
                                   DefaultActions=[{"Type": "fixed-response",
                                                    "FixedResponseConfig": {"StatusCode": "404"}}])
    extra = {"coherence_network": net, "ecs_service_listener_arn": listener["Listeners"][0]["ListenerArn"]}
    return {"extra": extra, "key": key}


def active_families(ecs, prefix=PREFIX):
    """Families with an ACTIVE revision (moto's ListTaskDefinitionFamilies ignores its status filter)."""
    arns = ecs.list_task_definitions(familyPrefix=prefix, status="ACTIVE")["taskDefinitionArns"]
    return sorted(set(a.rsplit("/", 1)[1].rsplit(":", 1)[0] for a in arns))


def run(aws_env, operation, extra, *args, coherence_file=DEMO, app=APP):
    return role_playbook("ecs_service", operation, "-e", json.dumps(extra), *args, environ=aws_env, env="review",
                         app_name=app, base_domain="ecsapp.example.com", coherence_file=coherence_file)


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


def test_check_mode_on_a_new_environment_creates_nothing(aws_env, aws, stage):
    app = "ecsdry"
    assert_ok(run(aws_env, "create", stage(app)["extra"], "--check", app=app))
    assert [c for c in aws("ecs").describe_clusters(clusters=[app])["clusters"] if c["status"] == "ACTIVE"] == []
    assert aws("logs").describe_log_groups(logGroupNamePrefix="/coherence/" + app)["logGroups"] == []
    assert aws("iam").list_roles(PathPrefix="/coherence/%s/" % app)["Roles"] == []
    assert active_families(aws("ecs"), app + "-") == []
    assert aws("events").list_rules(NamePrefix=app + "-")["Rules"] == []
    assert [g for g in aws("elbv2").describe_target_groups()["TargetGroups"] if g["TargetGroupName"].startswith(app)] == []


def test_services_read_back_rerun_deploy_removal_and_delete(aws_env, aws, stage, tmp_path):
    stage = stage()
    extra = stage["extra"]
    assert_ok(run(aws_env, "create", extra))
    ecs, iam = aws("ecs"), aws("iam")
    account = aws("sts").get_caller_identity()["Account"]

    # the cluster: shared, tagged with the app's tags only, FARGATE and FARGATE_SPOT
    cluster = ecs.describe_clusters(clusters=[APP], include=["TAGS"])["clusters"][0]
    assert sorted(cluster["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]
    assert tags_of({"Tags": [{"Key": t["key"], "Value": t["value"]} for t in cluster["tags"]]}) == {
        "Application": APP, "ManagedBy": "coherence"}

    # the web service: private subnets, no public IP, the services group, FARGATE_SPOT in review,
    # circuit breaker with rollback, its target group; no image yet: no task
    api = ecs.describe_services(cluster=APP, services=[PREFIX + "api"])["services"][0]
    vpc = api["networkConfiguration"]["awsvpcConfiguration"]
    assert sorted(vpc["subnets"]) == sorted(extra["coherence_network"]["private_subnet_ids"])
    assert vpc["securityGroups"] == [extra["coherence_network"]["security_groups"]["services"]]
    assert vpc["assignPublicIp"] == "DISABLED"
    assert api["capacityProviderStrategy"][0]["capacityProvider"] == "FARGATE_SPOT" and not api.get("launchType")
    assert api["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert api["desiredCount"] == 0  # before the first build: no image, no crash loop
    group = aws("elbv2").describe_target_groups(Names=[PREFIX + "api"])["TargetGroups"][0]
    assert (group["TargetType"], group["Port"], group["HealthCheckPath"]) == ("ip", 3000, "/api/health")
    assert api["loadBalancers"] == [{"targetGroupArn": group["TargetGroupArn"], "containerName": PREFIX + "api",
                                     "containerPort": 3000}]
    rules = aws("elbv2").describe_rules(ListenerArn=extra["ecs_service_listener_arn"])["Rules"]
    rule = next(r for r in rules if r["Actions"][0].get("TargetGroupArn") == group["TargetGroupArn"])
    conditions = {c["Field"]: c.get("PathPatternConfig", c.get("HostHeaderConfig"))["Values"] for c in rule["Conditions"]}
    assert conditions == {"path-pattern": ["/api", "/api/*"], "host-header": ["review.ecsapp.example.com"]}
    admin_rule = next(r for r in rules if not r["IsDefault"] and r is not rule)
    assert int(admin_rule["Priority"]) < int(rule["Priority"])  # /admin is longer than /api: first

    # the task definition: secrets by valueFrom with the JSON key, none in environment
    definition = ecs.describe_task_definition(taskDefinition=PREFIX + "api")["taskDefinition"]
    container = definition["containerDefinitions"][0]
    secret_arn = aws("secretsmanager").describe_secret(SecretId="coherence/%s/review" % APP)["ARN"]
    secrets = {s["name"]: s["valueFrom"] for s in container["secrets"]}
    assert secrets["DATABASE_URL"] == secret_arn + ":api-db.DATABASE_URL::"
    environment = {e["name"]: e["value"] for e in container["environment"]}
    assert environment == {"PORT": "3000", "COHERENCE_ENVIRONMENT_NAME": "review", "ENVIRONMENT_NAME": "review",
                           "COHERENCE_ENVIRONMENT_DOMAIN": "review.ecsapp.example.com"}
    assert not set(environment) & set(secrets)
    assert (definition["cpu"], definition["memory"], definition["networkMode"]) == ("1024", "2048", "awsvpc")
    assert container["command"] == ["/bin/sh", "-c", "gunicorn shop.wsgi --bind 0.0.0.0:$PORT"]
    assert container["image"] == "%s.dkr.ecr.us-east-1.amazonaws.com/%s-api:latest" % (account, APP)
    assert container["logConfiguration"]["options"]["awslogs-group"] == "/coherence/%s/review/api" % APP
    assert container.get("privileged") in (None, False)

    # distinct execution and task roles, trusted by ECS tasks of this account only
    execution, task = definition["executionRoleArn"], definition["taskRoleArn"]
    assert execution != task and execution.endswith("/%s-review-execution" % APP)
    roles = {r["RoleName"]: r for r in iam.list_roles(PathPrefix="/coherence/%s/review/" % APP)["Roles"]}
    assert set(roles) == {PREFIX + "execution", PREFIX + "api-task", PREFIX + "admin-task", PREFIX + "events"}
    trust = roles[PREFIX + "api-task"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": account}}
    policy = iam.get_role_policy(RoleName=PREFIX + "execution", PolicyName=PREFIX + "execution")["PolicyDocument"]
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["ReadTheEnvironmentSecret"]["Resource"] == \
        "arn:aws:secretsmanager:us-east-1:%s:secret:coherence/%s/review-??????" % (account, APP)
    assert by_sid["UseTheEnvironmentKey"]["Resource"].endswith(":key/" + stage["key"])
    assert by_sid["PullTheAppImages"]["Resource"] == [
        "arn:aws:ecr:us-east-1:%s:repository/%s-%s" % (account, APP, s) for s in ("api", "admin")]
    assert [s for s in policy["Statement"] if s["Resource"] == "*"] == [by_sid["LogInToEcr"]]
    api_policy = iam.get_role_policy(RoleName=PREFIX + "api-task", PolicyName=PREFIX + "api-task")["PolicyDocument"]
    assert all(APP + "-review-api-uploads-" in r for s in api_policy["Statement"][:2]
               for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]))
    assert iam.list_role_policies(RoleName=PREFIX + "admin-task")["PolicyNames"] == []  # nothing by default
    events = iam.get_role_policy(RoleName=PREFIX + "events", PolicyName=PREFIX + "events")["PolicyDocument"]
    assert {s["Sid"]: s["Resource"] for s in events["Statement"]} == {
        "RunTheScheduledTasks": ["arn:aws:ecs:us-east-1:%s:task-definition/%sapi-cron-nightly-report:*" % (account, PREFIX)],
        "PassTheirRoles": sorted([execution, task])}

    # log groups: each service, worker, scheduled and one-off task; 30 days; the environment's key
    groups = aws("logs").describe_log_groups(logGroupNamePrefix="/coherence/%s/review/" % APP)["logGroups"]
    assert sorted(g["logGroupName"].rsplit("review/", 1)[1] for g in groups) == [
        "admin", "api", "api/cron/nightly-report", "api/migration", "api/preview-environment", "api/seed"]
    assert {g["retentionInDays"] for g in groups} == {30}
    assert {g["kmsKeyId"].rsplit("/", 1)[1] for g in groups} == {stage["key"]}

    # the review worker: only the preview_environment one, no load balancer
    worker = ecs.describe_services(cluster=APP, services=[PREFIX + "api-preview-environment"])["services"][0]
    assert worker["loadBalancers"] == [] and worker["status"] == "ACTIVE"
    assert ecs.describe_services(cluster=APP, services=[PREFIX + "api-orders"])["services"] == []

    # scheduled task: the model's cron, a Fargate RunTask target with its network and command
    events = aws("events")
    rule = events.describe_rule(Name=PREFIX + "api-nightly-report")
    assert rule["ScheduleExpression"] == "cron(30 4 ? * 2-6 *)" and rule["State"] == "ENABLED"
    target = events.list_targets_by_rule(Rule=PREFIX + "api-nightly-report")["Targets"][0]
    assert target["Arn"] == cluster["clusterArn"] and target["RoleArn"].endswith("/" + PREFIX + "events")
    parameters = target["EcsParameters"]
    assert parameters["TaskDefinitionArn"].endswith(":task-definition/%sapi-cron-nightly-report" % PREFIX)
    assert parameters["NetworkConfiguration"]["awsvpcConfiguration"]["AssignPublicIp"] == "DISABLED"
    assert parameters["CapacityProviderStrategy"][0]["capacityProvider"] == "FARGATE_SPOT"
    assert json.loads(target["Input"])["containerOverrides"][0]["command"] == [
        "/bin/sh", "-c", "python manage.py send_report"]

    # scaling (no image yet: at least 0, so that nothing raises the service) and alarms on the topic
    scaling = aws("application-autoscaling")
    targets = {t["ResourceId"]: t for t in scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]}
    assert (targets["service/%s/%sapi" % (APP, PREFIX)]["MinCapacity"],
            targets["service/%s/%sapi" % (APP, PREFIX)]["MaxCapacity"]) == (0, 2)
    policies = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId="service/%s/%sapi" % (APP, PREFIX))
    assert sorted(p["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]["PredefinedMetricType"]
                  for p in policies["ScalingPolicies"]) == ["ECSServiceAverageCPUUtilization",
                                                            "ECSServiceAverageMemoryUtilization"]
    alarms = {a["AlarmName"]: a for a in aws("cloudwatch").describe_alarms(AlarmNamePrefix=PREFIX)["MetricAlarms"]}
    assert sorted(alarms) == [PREFIX + "admin-5xx", PREFIX + "admin-unhealthy", PREFIX + "api-5xx", PREFIX + "api-unhealthy"]
    topic = [t["TopicArn"] for t in aws("sns").list_topics()["Topics"] if t["TopicArn"].endswith(":" + PREFIX + "alarms")]
    assert alarms[PREFIX + "api-5xx"]["AlarmActions"] == topic
    assert {d["Name"]: d["Value"] for d in alarms[PREFIX + "api-unhealthy"]["Dimensions"]}["TargetGroup"] == \
        group["TargetGroupArn"].split(":")[-1]

    # re-run: nothing changes
    assert_unchanged(run(aws_env, "create", extra))

    # the first image: a deploy changes only task definitions and services, and raises the services
    ecr = aws("ecr")
    for name in ("api", "admin"):
        ecr.create_repository(repositoryName="%s-%s" % (APP, name))
        ecr.put_image(repositoryName="%s-%s" % (APP, name), imageTag="v1", imageManifest=json.dumps(
            {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "config": {"digest": "sha256:" + "ab" * 32, "size": 1, "mediaType": "application/vnd.docker.container.image.v1+json"},
             "layers": []}))
    deployed = assert_ok(run(aws_env, "deploy", extra, "-e", "image_tag=v1"))
    changed = changed_tasks(deployed.stdout)
    assert changed and all("Bring the environment's log groups, task definitions and services" in c for c in changed), changed
    assert recap(deployed.stdout)["ok"] < 20  # the fast path: no cluster, IAM, routes
    api = ecs.describe_services(cluster=APP, services=[PREFIX + "api"])["services"][0]
    assert api["taskDefinition"].endswith(":2") and api["desiredCount"] == 1
    assert ecs.describe_task_definition(taskDefinition=api["taskDefinition"])["taskDefinition"][
        "containerDefinitions"][0]["image"].endswith("-api:v1")
    assert api["capacityProviderStrategy"][0]["capacityProvider"] == "FARGATE_SPOT"
    # the next create run lets the scaling have the service from 1 task on (the image exists now)
    assert_ok(run(aws_env, "create", extra, "-e", "image_tag=v1"))
    assert scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[
        "service/%s/%sapi" % (APP, PREFIX)])["ScalableTargets"][0]["MinCapacity"] == 1

    # one-off tasks: migration then seed, waited for; a failing migration fails the run, naming
    # its exit code and log stream (moto runs no container: the embedded AWS's test hook sets it)
    assert_ok(run(aws_env, "run", extra))
    migration = ecs.describe_task_definition(taskDefinition=PREFIX + "api-migration", include=["TAGS"])
    ecs.tag_resource(resourceArn=migration["taskDefinition"]["taskDefinitionArn"],
                     tags=[{"key": "embedded-aws:exit-code", "value": "3"}])
    failed = run(aws_env, "run", extra)
    assert failed.returncode != 0
    assert "task %sapi-migration" % PREFIX in failed.stdout and "exit code 3" in failed.stdout
    assert "group /coherence/%s/review/api/migration, stream ecs/%sapi-migration/" % (APP, PREFIX) in failed.stdout

    # desired_count is the scaling's after creation: a re-run leaves a scaled service alone
    ecs.update_service(cluster=APP, service=PREFIX + "api", desiredCount=2)
    assert_unchanged(run(aws_env, "create", extra, "-e", "image_tag=v1"))
    assert ecs.describe_services(cluster=APP, services=[PREFIX + "api"])["services"][0]["desiredCount"] == 2

    # a worker and a scheduled task dropped from coherence.yml leave nothing behind
    text = open(DEMO).read()
    text = text.replace("    - name: preview_environment\n      command: [\"celery\", \"-A\", \"shop\", \"worker\", "
                        "\"-Q\", \"orders,emails\"]\n", "")
    start = text.index("  scheduled_tasks:")
    text = text[:start] + text[text.index("  resources:", start):]
    smaller = tmp_path / "coherence.yml"
    smaller.write_text(text)
    assert_ok(run(aws_env, "create", extra, "-e", "image_tag=v1", coherence_file=str(smaller)))
    services = [a.rsplit("/", 1)[1] for a in ecs.list_services(cluster=APP)["serviceArns"]]
    live = [s["serviceName"] for s in ecs.describe_services(cluster=APP, services=services)["services"]
            if s["status"] == "ACTIVE"]
    assert sorted(live) == [PREFIX + "admin", PREFIX + "api", PREFIX + "api-orders"]  # review: no preview worker now
    families = active_families(ecs)
    assert PREFIX + "api-cron-nightly-report" not in families and PREFIX + "api-preview-environment" not in families
    names = [g["logGroupName"] for g in aws("logs").describe_log_groups(logGroupNamePrefix="/coherence/%s/" % APP)["logGroups"]]
    assert not [n for n in names if "nightly" in n or "preview" in n]
    assert PREFIX + "events" not in [r["RoleName"] for r in iam.list_roles(PathPrefix="/coherence/%s/" % APP)["Roles"]]

    # delete: nothing of the environment is left; the cluster goes with the last environment
    assert_ok(run(aws_env, "delete", extra))
    services = [a.rsplit("/", 1)[1] for a in ecs.list_services(cluster=APP)["serviceArns"]]
    assert not services or not [s for s in ecs.describe_services(cluster=APP, services=services)["services"]
                                if s["status"] == "ACTIVE"]
    assert active_families(ecs) == []
    assert aws("logs").describe_log_groups(logGroupNamePrefix="/coherence/%s/" % APP)["logGroups"] == []
    assert iam.list_roles(PathPrefix="/coherence/%s/" % APP)["Roles"] == []
    assert [g for g in aws("elbv2").describe_target_groups()["TargetGroups"]
            if g["TargetGroupName"].startswith(PREFIX)] == []
    assert [r for r in aws("elbv2").describe_rules(ListenerArn=extra["ecs_service_listener_arn"])["Rules"]
            if not r["IsDefault"]] == []
    assert not [t for t in aws("sns").list_topics()["Topics"] if t["TopicArn"].endswith(":" + PREFIX + "alarms")]
    assert aws("cloudwatch").describe_alarms(AlarmNamePrefix=PREFIX)["MetricAlarms"] == []
    assert aws("events").list_rules(NamePrefix=PREFIX)["Rules"] == []
    assert [t for t in scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
            if t["ResourceId"].startswith("service/%s/%s" % (APP, PREFIX))] == []
    assert_ok(run(aws_env, "delete_shared", extra))
    assert [c for c in ecs.describe_clusters(clusters=[APP])["clusters"] if c["status"] == "ACTIVE"] == []
