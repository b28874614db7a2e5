#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecs_workloads
short_description: Manage an environment's Fargate workloads (log groups, task definitions, services) in one call
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Brings an environment's set of Fargate workloads to what the task lists, in one invocation
    (each task costs about a second; an environment has many workloads); for each, its
    CloudWatch Logs group (retention, KMS key, tags), its task definition (a new revision only
    when what the task sets differs from the latest active one), and for web services and
    workers its ECS service.
  - A service's C(desiredCount) is set when the service is created and raised to
    O(workloads[].service.minimum_count) when below it; otherwise it is never compared, so that
    Application Auto Scaling owns it (a re-run never fights the scaling).
  - Before an image exists (checked in ECR), a new service is created with no task and not
    raised; a deploy with the image raises it. Nothing crash-loops on a missing image.
  - With O(purge=true), services, task definition families and log groups that carry every
    tag of O(tags), whose names start with O(family_prefix) (families, services) or
    O(log_group_prefix) (log groups), and that the task does not list, are removed (services
    scaled to zero and deleted, task definitions deregistered, log groups deleted unless
    O(keep_log_groups)). With O(state=absent), all of them are removed.
  - amazon.aws and community.aws have per-resource modules (ecs_taskdefinition, ecs_service,
    cloudwatchlogs_log_group); ecs_service reports changes on every run for capacity-provider
    services with a scaled desired count, and ecs_taskdefinition takes no tags.
options:
  cluster:
    description: The ECS cluster's name.
    type: str
    required: true
  workloads:
    description: The environment's workloads.
    type: list
    elements: dict
    default: []
    suboptions:
      family:
        description: The task definition family (also the container's name).
        type: str
        required: true
      image:
        description: The image, C(<repository URI>:<tag>). An ECR image that does not exist keeps a new service at zero tasks.
        type: str
        required: true
      command:
        description: The container's command.
        type: list
        elements: str
      cpu:
        description: Task CPU units (a Fargate size).
        type: int
        required: true
      memory:
        description: Task memory in MiB (a Fargate size).
        type: int
        required: true
      port:
        description: The container port (and C(PORT) in its environment); none for tasks that serve nothing.
        type: int
      environment:
        description: Plain environment variables (never secrets).
        type: dict
        default: {}
      secrets:
        description: Variable name -> JSON key in O(secret_id); each becomes a C(valueFrom) reference.
        type: dict
        default: {}
      log_group:
        description: The container's CloudWatch Logs group (awslogs driver, stream prefix C(ecs)).
        type: str
        required: true
      execution_role_arn:
        description: The task execution role.
        type: str
        required: true
      task_role_arn:
        description: The task role.
        type: str
        required: true
      readonly_root_filesystem:
        description: Whether the container's root file system is read-only.
        type: bool
        default: false
      service:
        description: The ECS service that runs it (none for scheduled and one-off tasks).
        type: dict
        suboptions:
          name:
            description: The service's name.
            type: str
            required: true
          capacity_provider:
            description: C(FARGATE) or C(FARGATE_SPOT). Required to create the service; unset leaves it.
            type: str
            choices: [FARGATE, FARGATE_SPOT]
          subnets:
            description:
              - Its subnets (no public IP is assigned). Required to create the service.
              - Unset on an existing service updates its task definition only (a deploy), leaving its
                network, load balancer and deployment settings as they are.
            type: list
            elements: str
          security_groups:
            description: Its security groups (with O(workloads[].service.subnets)).
            type: list
            elements: str
          target_group_arn:
            description: The target group its container port registers in; none for workers.
            type: str
          minimum_count:
            description: Tasks it runs at least, once its image exists (its desired count on creation).
            type: int
            default: 1
          health_check_grace_period:
            description: Seconds load balancer health checks are ignored after a task starts.
            type: int
            default: 60
  secret_id:
    description: The Secrets Manager secret holding the variables (name or ARN); its full ARN is looked up.
    type: str
  log_retention_days:
    description: Retention of the log groups, in days.
    type: int
    default: 30
  log_kms_key:
    description: KMS key (id, ARN or alias) that encrypts the log groups; its ARN is looked up.
    type: str
  family_prefix:
    description: Prefix of the environment's task families and service names (what O(purge) and O(state=absent) look at).
    type: str
    required: true
  log_group_prefix:
    description: Prefix of the environment's log groups (what O(purge) and O(state=absent) look at).
    type: str
    required: true
  keep_log_groups:
    description: Keep log groups when removing workloads (production keeps its logs).
    type: bool
    default: false
notes:
  - On the embedded AWS (moto) services start no task; what is checked is what ECS stores.
extends_documentation_fragment: [coherence.aws.environment_set, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: The environment's web service and worker
  coherence.aws.ecs_workloads:
    cluster: shop
    family_prefix: shop-review-
    log_group_prefix: /coherence/shop/review/
    secret_id: coherence/shop/review
    log_kms_key: alias/coherence/shop-review
    tags: {Application: shop, EnvironmentName: review, ManagedBy: coherence, Environment: review}
    workloads:
      - family: shop-review-api
        image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-api:v1
        command: [/bin/sh, -c, gunicorn shop.wsgi --bind 0.0.0.0:$PORT]
        cpu: 1024
        memory: 2048
        port: 3000
        environment: {PORT: "3000"}
        secrets: {DATABASE_URL: api-db.DATABASE_URL}
        log_group: /coherence/shop/review/api
        execution_role_arn: arn:aws:iam::123456789012:role/shop-review-execution
        task_role_arn: arn:aws:iam::123456789012:role/shop-review-api-task
        service:
          name: shop-review-api
          capacity_provider: FARGATE_SPOT
          subnets: [subnet-1, subnet-2]
          security_groups: [sg-1]
          target_group_arn: "{{ tg_arn }}"
"""

RETURN = r"""
workloads:
  description: Each listed workload as it now is.
  returned: always
  type: list
  elements: dict
  contains:
    family:
      description: The task definition family.
      type: str
    task_definition_arn:
      description: The active revision (none in check mode before the first registration).
      type: str
    service_arn:
      description: The service's ARN, for workloads with a service.
      type: str
    image_ready:
      description: Whether the image exists (false keeps a new service at zero tasks).
      type: bool
    registered:
      description: Whether this run registered a new revision (a new image or setting).
      type: bool
    log_group:
      description: The log group's name.
      type: str
removed:
  description: What was removed (services, task definition families, log groups), by name.
  returned: always
  type: dict
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.coherence.aws.plugins.module_utils.ecs import EnvironmentSet
from ansible_collections.coherence.aws.plugins.module_utils.ecs import owned
from ansible_collections.coherence.aws.plugins.module_utils.ecs import paginate
from ansible_collections.coherence.aws.plugins.module_utils.ecs import tag_dict
from ansible_collections.coherence.aws.plugins.module_utils.ecs import run_set_module
from ansible_collections.coherence.aws.plugins.module_utils.ecs import to_ecs_tags
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_one

# What a task definition is compared on: the keys we set, nothing AWS adds.
CONTAINER_KEYS = ("name", "image", "command", "essential", "portMappings", "environment", "secrets",
                  "logConfiguration", "readonlyRootFilesystem", "privileged")
TASK_KEYS = ("family", "cpu", "memory", "networkMode", "requiresCompatibilities", "executionRoleArn", "taskRoleArn")
ECR_IMAGE = re.compile(r"^(\d{12})\.dkr\.ecr\.[^/]+/([^:@]+)[:@](.+)$")


def _sorted_named(items):
    return sorted(items or [], key=lambda i: i["name"])


def task_definition(item, secret_arn, region):
    """The RegisterTaskDefinition request for a workload (keys of TASK_KEYS and a container)."""
    container = {
        "name": item["family"], "image": item["image"], "essential": True,
        "environment": _sorted_named({"name": k, "value": str(v)} for k, v in (item["environment"] or {}).items()),
        "secrets": _sorted_named({"name": k, "valueFrom": "%s:%s::" % (secret_arn, key)}
                                 for k, key in (item["secrets"] or {}).items()),
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": item["log_group"], "awslogs-region": region, "awslogs-stream-prefix": "ecs"}},
        "readonlyRootFilesystem": bool(item["readonly_root_filesystem"]),
        "privileged": False,
        "portMappings": [{"containerPort": item["port"], "hostPort": item["port"], "protocol": "tcp"}]
        if item["port"] else [],
    }
    if item["command"]:
        container["command"] = list(item["command"])
    return {
        "family": item["family"], "cpu": str(item["cpu"]), "memory": str(item["memory"]), "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"], "executionRoleArn": item["execution_role_arn"],
        "taskRoleArn": item["task_role_arn"], "containerDefinitions": [container],
    }


def comparable(definition):
    """A task definition reduced to what task_definition() sets (lists of names sorted)."""
    if not definition:
        return {}
    out = dict((k, definition.get(k)) for k in TASK_KEYS)
    out["requiresCompatibilities"] = sorted(out["requiresCompatibilities"] or [])
    containers = []
    for c in definition.get("containerDefinitions", []):
        one = dict((k, c.get(k)) for k in CONTAINER_KEYS)
        one["environment"] = _sorted_named(one["environment"])
        one["secrets"] = _sorted_named(one["secrets"])
        one["portMappings"] = [dict(p, hostPort=p.get("hostPort", p["containerPort"]), protocol=p.get("protocol", "tcp"))
                               for p in one["portMappings"] or []]
        one["readonlyRootFilesystem"] = bool(one["readonlyRootFilesystem"])
        one["privileged"] = bool(one["privileged"])
        containers.append(one)
    out["containerDefinitions"] = containers
    return out


def service_request(item, definition_arn, count):
    """The CreateService / UpdateService request; on a deploy (no subnets given) only the
    task definition (and the count), so that nothing else of the service is touched."""
    svc = item["service"]
    request = {"serviceName": svc["name"], "taskDefinition": definition_arn}
    if svc["capacity_provider"]:
        request["capacityProviderStrategy"] = [{"capacityProvider": svc["capacity_provider"], "weight": 1, "base": 0}]
    if svc["subnets"] is not None:
        request.update({
            "networkConfiguration": {"awsvpcConfiguration": {
                "subnets": sorted(svc["subnets"]), "securityGroups": sorted(svc["security_groups"] or []),
                "assignPublicIp": "DISABLED"}},
            "deploymentConfiguration": {"deploymentCircuitBreaker": {"enable": True, "rollback": True},
                                        "maximumPercent": 200, "minimumHealthyPercent": 100},
            "loadBalancers": [{"targetGroupArn": svc["target_group_arn"], "containerName": item["family"],
                               "containerPort": item["port"]}] if svc["target_group_arn"] else [],
        })
        if svc["target_group_arn"]:
            request["healthCheckGracePeriodSeconds"] = svc["health_check_grace_period"]
    if count is not None:
        request["desiredCount"] = count
    return request


def service_differences(current, wanted):
    """The UpdateService keys whose value differs from the service as it is (desiredCount aside)."""
    have = {
        "taskDefinition": current.get("taskDefinition"),
        "capacityProviderStrategy": [dict({"base": 0, "weight": 1}, **s) for s in current.get("capacityProviderStrategy") or []],
        "networkConfiguration": {"awsvpcConfiguration": dict(
            (current.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {})},
        "deploymentConfiguration": dict((k, (current.get("deploymentConfiguration") or {}).get(k))
                                        for k in ("deploymentCircuitBreaker", "maximumPercent", "minimumHealthyPercent")),
        "loadBalancers": current.get("loadBalancers") or [],
        "healthCheckGracePeriodSeconds": current.get("healthCheckGracePeriodSeconds"),
    }
    vpc = have["networkConfiguration"]["awsvpcConfiguration"]
    for key in ("subnets", "securityGroups"):
        vpc[key] = sorted(vpc.get(key) or [])
    vpc.setdefault("assignPublicIp", "DISABLED")
    return dict((k, v) for k, v in wanted.items()
                if k in have and k != "serviceName" and have[k] != v), have


class Workloads(EnvironmentSet):
    def __init__(self, module):
        super(Workloads, self).__init__(module, "ecs", "logs")
        self.ecs, self.logs = self.clients
        self.removed = {"services": [], "families": [], "log_groups": []}
        self.images = {}

    # --- lookups
    def arn_of(self, option, service, operation, key, missing, param, why):
        """The full ARN of what option names (a secret, a key), looked up; in check mode the
        name itself when it does not exist yet (the data role makes it); else a failure saying why."""
        name = self.params[option]
        if not name:
            return None
        found = describe_one(self.client(service), operation, key, missing, **{param: name})
        if found:
            return found if isinstance(found, str) else found["Arn"]
        if self.check:
            return name
        self.module.fail_json(msg="%s %s does not exist: %s" % (option, name, why))

    def secret_arn(self):
        return self.arn_of("secret_id", "secretsmanager", "describe_secret", "ARN", "ResourceNotFoundException",
                           "SecretId", "the data role writes it (data_operation: wait) before the services are deployed")

    def kms_arn(self):
        return self.arn_of("log_kms_key", "kms", "describe_key", "KeyMetadata", "NotFoundException", "KeyId",
                           "the data role makes it")

    def image_ready(self, image):
        """Whether the image exists; images outside ECR are taken as existing."""
        match = ECR_IMAGE.match(image)
        if not match:
            return True
        cache = self.images
        if image not in cache:
            ecr = self.client("ecr")
            registry, repository, ref = match.groups()
            ids = [{"imageDigest": ref}] if ref.startswith("sha256:") else [{"imageTag": ref}]
            try:
                cache[image] = bool(ecr.describe_images(aws_retry=True, registryId=registry, repositoryName=repository,
                                                        imageIds=ids).get("imageDetails"))
            except is_boto3_error_code(["ImageNotFoundException", "RepositoryNotFoundException"]):
                cache[image] = False
        return cache[image]

    # --- log groups
    def log_groups(self):
        found = {}
        for group in paginate(self.logs, "describe_log_groups", "logGroups",
                              logGroupNamePrefix=self.params["log_group_prefix"]):
            found[group["logGroupName"]] = group
        return found

    def log_group_tags(self, name):
        return self.logs.list_tags_log_group(aws_retry=True, logGroupName=name).get("tags", {})

    def ensure_log_group(self, name, found, kms):
        retention = self.params["log_retention_days"]
        group = found.get(name)
        if group is None:
            self.note("log_group " + name, {}, {"retention": retention, "kms": kms, "tags": self.owner})
            if not self.check:
                kwargs = {"kmsKeyId": kms} if kms else {}
                self.logs.create_log_group(aws_retry=True, logGroupName=name, tags=self.owner, **kwargs)
                self.logs.put_retention_policy(aws_retry=True, logGroupName=name, retentionInDays=retention)
            return
        if group.get("retentionInDays") != retention:
            self.note("log_group %s retention" % name, group.get("retentionInDays"), retention)
            if not self.check:
                self.logs.put_retention_policy(aws_retry=True, logGroupName=name, retentionInDays=retention)
        if kms and group.get("kmsKeyId") != kms:
            self.note("log_group %s kms" % name, group.get("kmsKeyId"), kms)
            if not self.check:
                self.logs.associate_kms_key(aws_retry=True, logGroupName=name, kmsKeyId=kms)
        tags = self.log_group_tags(name)
        missing = dict((k, v) for k, v in self.owner.items() if tags.get(k) != v)
        if missing:
            self.note("log_group %s tags" % name, tags, dict(tags, **missing))
            if not self.check:
                self.logs.tag_log_group(aws_retry=True, logGroupName=name, tags=missing)

    # --- task definitions
    def latest(self, family):
        try:
            found = self.ecs.describe_task_definition(aws_retry=True, taskDefinition=family, include=["TAGS"])
        except is_boto3_error_code("ClientException"):
            return None, {}
        definition = found["taskDefinition"]
        if definition.get("status") != "ACTIVE":
            return None, {}
        return definition, tag_dict(found.get("tags"), "key", "value")

    def ensure_task_definition(self, item, secret_arn):
        """The active revision's ARN, and whether this run registers it."""
        wanted = task_definition(item, secret_arn, self.module.region)
        current, tags = self.latest(item["family"])
        if current and comparable(current) == comparable(wanted) and owned(tags, self.owner):
            return current["taskDefinitionArn"], False
        before, after = comparable(current), comparable(wanted)
        changed_keys = sorted(k for k in after if before.get(k) != after.get(k)) or ["tags"]
        # A new family has no before (a creation); a new revision of one shows what it changes.
        self.note("task_definition " + item["family"], dict((k, before.get(k)) for k in changed_keys) if current else {},
                  dict((k, after.get(k)) for k in changed_keys))
        if self.check:
            return (current["taskDefinitionArn"] if current else None), True
        return self.ecs.register_task_definition(aws_retry=True, tags=to_ecs_tags(self.owner),
                                                 **wanted)["taskDefinition"]["taskDefinitionArn"], True

    # --- services
    def cluster_active(self):
        found = self.ecs.describe_clusters(aws_retry=True, clusters=[self.params["cluster"]]).get("clusters", [])
        return any(c.get("status") == "ACTIVE" for c in found)

    def describe_service(self, name):
        if not self.has_cluster:  # check mode before the cluster exists: every service is new
            return None
        found = self.ecs.describe_services(aws_retry=True, cluster=self.params["cluster"], services=[name],
                                           include=["TAGS"]).get("services", [])
        return next((s for s in found if s.get("status") != "INACTIVE"), None)

    def ensure_service(self, item, definition_arn, ready):
        svc = item["service"]
        current = self.describe_service(svc["name"])
        floor = svc["minimum_count"] if ready else 0
        if current is None:
            if svc["subnets"] is None or not svc["capacity_provider"]:
                self.module.fail_json(msg="service %s does not exist: creating it needs subnets, security_groups and "
                                          "capacity_provider (a deploy only updates existing services)" % svc["name"])
            request = service_request(item, definition_arn, floor)
            self.note("service " + svc["name"], {}, request)
            if self.check:
                return None
            return self.ecs.create_service(
                aws_retry=True, cluster=self.params["cluster"], tags=to_ecs_tags(self.owner), propagateTags="SERVICE",
                enableECSManagedTags=True, **request)["service"]["serviceArn"]
        update, have = service_differences(current, service_request(item, definition_arn, None))
        if current.get("desiredCount", 0) < floor:
            update["desiredCount"] = floor
            have["desiredCount"] = current.get("desiredCount", 0)
        if update:
            self.note("service " + svc["name"], dict((k, have.get(k)) for k in update), update)
            if not self.check:
                if "capacityProviderStrategy" in update:
                    update["forceNewDeployment"] = True  # AWS requires it to change the strategy
                self.ecs.update_service(aws_retry=True, cluster=self.params["cluster"], service=svc["name"], **update)
        tags = tag_dict(current.get("tags"), "key", "value")
        missing = dict((k, v) for k, v in self.owner.items() if tags.get(k) != v)
        if missing:
            self.note("service %s tags" % svc["name"], tags, dict(tags, **missing))
            if not self.check:
                self.ecs.tag_resource(aws_retry=True, resourceArn=current["serviceArn"], tags=to_ecs_tags(missing))
        return current["serviceArn"]

    # --- removal
    def remove_services(self, keep):
        if not self.has_cluster:
            return
        arns = paginate(self.ecs, "list_services", "serviceArns", cluster=self.params["cluster"])
        prefix = self.params["family_prefix"]
        names = [a.rsplit("/", 1)[-1] for a in arns]
        mine = [n for n in names if n.startswith(prefix) and n not in keep]
        for start in range(0, len(mine), 10):
            found = self.ecs.describe_services(aws_retry=True, cluster=self.params["cluster"],
                                               services=mine[start:start + 10], include=["TAGS"]).get("services", [])
            for svc in found:
                if svc.get("status") == "INACTIVE" or not owned(tag_dict(svc.get("tags"), "key", "value"), self.owner):
                    continue
                self.removed["services"].append(svc["serviceName"])
                self.note("service " + svc["serviceName"], {"desiredCount": svc.get("desiredCount")}, {})
                if not self.check:
                    if svc.get("desiredCount"):
                        self.ecs.update_service(aws_retry=True, cluster=self.params["cluster"],
                                                service=svc["serviceName"], desiredCount=0)
                    self.ecs.delete_service(aws_retry=True, cluster=self.params["cluster"], service=svc["serviceName"],
                                            force=True)

    def remove_families(self, keep):
        families = paginate(self.ecs, "list_task_definition_families", "families",
                            familyPrefix=self.params["family_prefix"], status="ACTIVE")
        for family in families:
            if family in keep:
                continue
            definition, tags = self.latest(family)
            if definition is None or not owned(tags, self.owner):
                continue
            arns = [a for a in paginate(self.ecs, "list_task_definitions", "taskDefinitionArns", familyPrefix=family,
                                        status="ACTIVE") if a.rsplit("/", 1)[-1].rsplit(":", 1)[0] == family]
            self.removed["families"].append(family)
            self.note("task_definition " + family, {"revisions": len(arns)}, {})
            if not self.check:
                for arn in arns:
                    self.ecs.deregister_task_definition(aws_retry=True, taskDefinition=arn)

    def remove_log_groups(self, keep, found):
        if self.params["keep_log_groups"]:
            return
        for name in sorted(found):
            if name in keep or not owned(self.log_group_tags(name), self.owner):
                continue
            self.removed["log_groups"].append(name)
            self.note("log_group " + name, {"name": name}, {})
            if not self.check:
                self.logs.delete_log_group(aws_retry=True, logGroupName=name)

    def run(self):
        items = self.params["workloads"] if self.params["state"] == "present" else []
        found_groups = self.log_groups()
        self.has_cluster = self.cluster_active()
        if not self.has_cluster and not self.check and any(i["service"] for i in items):
            self.module.fail_json(msg="cluster %s does not exist: create it first (coherence.aws.ecs_cluster)"
                                      % self.params["cluster"])
        out = []
        if items:
            secret_arn = self.secret_arn() if any(i["secrets"] for i in items) else None
            kms = self.kms_arn()
            for item in items:
                self.ensure_log_group(item["log_group"], found_groups, kms)
            for item in items:
                arn, registered = self.ensure_task_definition(item, secret_arn)
                ready = self.image_ready(item["image"])
                entry = {"family": item["family"], "task_definition_arn": arn, "image_ready": ready, "registered": registered,
                         "log_group": item["log_group"], "service_arn": None}
                if item["service"]:
                    entry["service_arn"] = self.ensure_service(item, arn, ready)
                    entry["service"] = item["service"]["name"]
                out.append(entry)
        if self.params["purge"] or self.params["state"] == "absent":
            self.remove_services(set(i["service"]["name"] for i in items if i["service"]))
            self.remove_families(set(i["family"] for i in items))
            self.remove_log_groups(set(i["log_group"] for i in items), found_groups)
        self.exit(workloads=out, removed=self.removed)


def main():
    service = dict(
        name=dict(type="str", required=True),
        capacity_provider=dict(type="str", choices=["FARGATE", "FARGATE_SPOT"]),
        subnets=dict(type="list", elements="str"),
        security_groups=dict(type="list", elements="str"),
        target_group_arn=dict(type="str"),
        minimum_count=dict(type="int", default=1),
        health_check_grace_period=dict(type="int", default=60),
    )
    workload = dict(
        family=dict(type="str", required=True),
        image=dict(type="str", required=True),
        command=dict(type="list", elements="str"),
        cpu=dict(type="int", required=True),
        memory=dict(type="int", required=True),
        port=dict(type="int"),
        environment=dict(type="dict", default={}),
        secrets=dict(type="dict", default={}, no_log=False),
        log_group=dict(type="str", required=True),
        execution_role_arn=dict(type="str", required=True),
        task_role_arn=dict(type="str", required=True),
        readonly_root_filesystem=dict(type="bool", default=False),
        service=dict(type="dict", options=service),
    )
    run_set_module(Workloads, "ECS workloads request failed", dict(
        cluster=dict(type="str", required=True),
        workloads=dict(type="list", elements="dict", default=[], options=workload),
        secret_id=dict(type="str"),
        log_retention_days=dict(type="int", default=30),
        log_kms_key=dict(type="str", no_log=False),
        family_prefix=dict(type="str", required=True),
        log_group_prefix=dict(type="str", required=True),
        keep_log_groups=dict(type="bool", default=False),
    ))


if __name__ == "__main__":
    main()
