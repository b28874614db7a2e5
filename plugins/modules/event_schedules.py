#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: event_schedules
short_description: Manage an environment's scheduled Fargate tasks (EventBridge rules with ECS RunTask targets), in one call
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - For each schedule, an EventBridge rule with its C(cron(...)) expression and one target that
    runs a Fargate task (capacity provider, private subnets without public IP, security groups)
    with the schedule's command as a container override.
  - The target names the task definition family without a revision, so that each run takes its
    latest active revision (a deploy of a new image needs no change here).
  - With O(purge=true), rules whose names start with O(name_prefix), carrying every tag of
    O(tags), that the task does not list are removed with their targets; with O(state=absent), all of them.
  - community.aws.cloudwatchevent_rule cannot express a Fargate target's network configuration
    or capacity provider, and takes no tags.
options:
  schedules:
    description: The environment's scheduled tasks.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The rule's name.
        type: str
        required: true
      schedule:
        description: The schedule expression, C(cron(...)) or C(rate(...)).
        type: str
        required: true
      description:
        description: The rule's description.
        type: str
        default: ""
      task_definition_arn:
        description: The task definition to run (an ARN without revision runs the latest active one).
        type: str
        required: true
      container:
        description: The container the command override is for.
        type: str
        required: true
      command:
        description: The command the task runs.
        type: list
        elements: str
        required: true
  cluster_arn:
    description: The cluster the tasks run on.
    type: str
  role_arn:
    description: The role EventBridge runs the tasks with (ecs:RunTask, iam:PassRole).
    type: str
  capacity_provider:
    description: C(FARGATE) or C(FARGATE_SPOT).
    type: str
    choices: [FARGATE, FARGATE_SPOT]
    default: FARGATE
  subnets:
    description: The tasks' subnets.
    type: list
    elements: str
    default: []
  security_groups:
    description: The tasks' security groups.
    type: list
    elements: str
    default: []
  name_prefix:
    description: Prefix of the environment's rule names (what O(purge) and O(state=absent) look at).
    type: str
    required: true
extends_documentation_fragment: [coherence.aws.environment_set, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: The environment's scheduled tasks
  coherence.aws.event_schedules:
    cluster_arn: arn:aws:ecs:us-east-1:123456789012:cluster/shop
    role_arn: arn:aws:iam::123456789012:role/coherence/shop/review/shop-review-events
    capacity_provider: FARGATE_SPOT
    subnets: [subnet-1, subnet-2]
    security_groups: [sg-1]
    name_prefix: shop-review-
    tags: {Application: shop, EnvironmentName: review}
    schedules:
      - name: shop-review-api-nightly-report
        schedule: cron(30 4 ? * 2-6 *)
        task_definition_arn: arn:aws:ecs:us-east-1:123456789012:task-definition/shop-review-api-cron-nightly-report
        container: shop-review-api-cron-nightly-report
        command: [/bin/sh, -c, python manage.py send_report]
"""

RETURN = r"""
rules:
  description: The rules' ARNs by name (none in check mode before creation).
  returned: always
  type: dict
removed:
  description: Names of the rules removed.
  returned: always
  type: list
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.coherence.aws.plugins.module_utils.ecs import EnvironmentSet
from ansible_collections.coherence.aws.plugins.module_utils.ecs import owned
from ansible_collections.coherence.aws.plugins.module_utils.ecs import paginate
from ansible_collections.coherence.aws.plugins.module_utils.ecs import run_set_module
from ansible_collections.coherence.aws.plugins.module_utils.ecs import tag_dict

TARGET_ID = "fargate-task"


def target(params, item):
    return {
        "Id": TARGET_ID, "Arn": params["cluster_arn"], "RoleArn": params["role_arn"],
        "EcsParameters": {
            "TaskDefinitionArn": item["task_definition_arn"], "TaskCount": 1,
            "CapacityProviderStrategy": [{"capacityProvider": params["capacity_provider"], "weight": 1, "base": 0}],
            "NetworkConfiguration": {"awsvpcConfiguration": {
                "Subnets": sorted(params["subnets"]), "SecurityGroups": sorted(params["security_groups"]),
                "AssignPublicIp": "DISABLED"}},
        },
        "Input": json.dumps({"containerOverrides": [{"name": item["container"], "command": item["command"]}]},
                            sort_keys=True),
    }


def comparable_target(found):
    if not found:
        return None
    out = dict((k, found.get(k)) for k in ("Id", "Arn", "RoleArn"))
    ecs = dict(found.get("EcsParameters") or {})
    vpc = dict((ecs.get("NetworkConfiguration") or {}).get("awsvpcConfiguration") or {})
    out["EcsParameters"] = {
        "TaskDefinitionArn": ecs.get("TaskDefinitionArn"), "TaskCount": ecs.get("TaskCount", 1),
        "CapacityProviderStrategy": [dict({"base": 0, "weight": 1}, **s) for s in ecs.get("CapacityProviderStrategy") or []],
        "NetworkConfiguration": {"awsvpcConfiguration": {
            "Subnets": sorted(vpc.get("Subnets") or []), "SecurityGroups": sorted(vpc.get("SecurityGroups") or []),
            "AssignPublicIp": vpc.get("AssignPublicIp", "DISABLED")}},
    }
    try:
        out["Input"] = json.dumps(json.loads(found.get("Input") or "null"), sort_keys=True)
    except ValueError:
        out["Input"] = found.get("Input")
    return out


class Schedules(EnvironmentSet):
    def __init__(self, module):
        super(Schedules, self).__init__(module, "events")
        self.events = self.clients[0]

    def existing(self):
        rules = paginate(self.events, "list_rules", "Rules", NamePrefix=self.params["name_prefix"])
        out = {}
        for rule in rules:
            tags = tag_dict(self.events.list_tags_for_resource(aws_retry=True, ResourceARN=rule["Arn"]).get("Tags"))
            if owned(tags, self.owner):
                out[rule["Name"]] = dict(rule, Tags=tags)
        return out

    def ensure(self, item, rule):
        name, check = item["name"], self.module.check_mode
        wanted_rule = {"ScheduleExpression": item["schedule"], "State": "ENABLED", "Description": item["description"]}
        have_rule = dict((k, (rule or {}).get(k, "" if k == "Description" else None)) for k in wanted_rule)
        arn = rule["Arn"] if rule else None
        if have_rule != wanted_rule:
            self.note("rule " + name, have_rule if rule else {}, wanted_rule)
            if not check:
                kwargs = {} if rule else {"Tags": [{"Key": k, "Value": v} for k, v in sorted(self.owner.items())]}
                arn = self.events.put_rule(aws_retry=True, Name=name, **dict(wanted_rule, **kwargs))["RuleArn"]
        if rule:
            missing = dict((k, v) for k, v in self.owner.items() if rule["Tags"].get(k) != v)
            if missing:
                self.note("rule %s tags" % name, rule["Tags"], dict(rule["Tags"], **missing))
                if not check:
                    self.events.tag_resource(aws_retry=True, ResourceARN=arn,
                                             Tags=[{"Key": k, "Value": v} for k, v in sorted(missing.items())])
        wanted = target(self.params, item)
        targets = paginate(self.events, "list_targets_by_rule", "Targets", Rule=name) if rule else []
        have = comparable_target(next((t for t in targets if t["Id"] == TARGET_ID), None))
        if have != comparable_target(wanted) or len(targets) != 1:
            self.note("rule %s target" % name, have or {}, comparable_target(wanted))
            if not check:
                others = [t["Id"] for t in targets if t["Id"] != TARGET_ID]
                if others:
                    self.events.remove_targets(aws_retry=True, Rule=name, Ids=others)
                self.events.put_targets(aws_retry=True, Rule=name, Targets=[wanted])
        return arn

    def remove(self, name):
        self.note("rule " + name, {"name": name}, {})
        if self.module.check_mode:
            return
        try:
            ids = [t["Id"] for t in paginate(self.events, "list_targets_by_rule", "Targets", Rule=name)]
            if ids:
                self.events.remove_targets(aws_retry=True, Rule=name, Ids=ids)
            self.events.delete_rule(aws_retry=True, Name=name)
        except is_boto3_error_code("ResourceNotFoundException"):
            pass

    def run(self):
        items = self.wanted("schedules")
        if items and not (self.params["cluster_arn"] and self.params["role_arn"] and self.params["subnets"]):
            self.module.fail_json(msg="schedules need cluster_arn, role_arn and subnets")
        rules, removed = self.converge(items, self.existing())
        self.exit(rules=rules, removed=removed)


def main():
    run_set_module(Schedules, "EventBridge request failed", dict(
        schedules=dict(type="list", elements="dict", default=[], options=dict(
            name=dict(type="str", required=True),
            schedule=dict(type="str", required=True),
            description=dict(type="str", default=""),
            task_definition_arn=dict(type="str", required=True),
            container=dict(type="str", required=True),
            command=dict(type="list", elements="str", required=True),
        )),
        cluster_arn=dict(type="str"),
        role_arn=dict(type="str"),
        capacity_provider=dict(type="str", choices=["FARGATE", "FARGATE_SPOT"], default="FARGATE"),
        subnets=dict(type="list", elements="str", default=[]),
        security_groups=dict(type="list", elements="str", default=[]),
        name_prefix=dict(type="str", required=True),
    ))


if __name__ == "__main__":
    main()
