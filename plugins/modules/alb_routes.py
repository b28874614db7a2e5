#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: alb_routes
short_description: Manage an environment's target groups and their rules on a shared ALB listener, in one call
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - For each route, an C(ip) target group (HTTP, the service's port and health check path) and
    the listener rule that forwards its paths (and, when given, its host names) to it, at a fixed
    priority.
  - The load balancer and its listener belong to someone else (they are shared by the
    application's environments); only the rules that forward to the routes' target groups are
    touched. A priority another rule already holds fails the task and names that rule.
  - With O(purge=true), target groups carrying every tag of O(tags) whose names start with
    O(name_prefix) and that the task does not list are removed, with the rules forwarding to
    them. With O(state=absent), all of them are.
  - amazon.aws has no module for a listener rule alone (elb_application_lb owns the whole load balancer).
options:
  listener_arn:
    description: The listener the rules go on. Unset manages target groups only (no rule).
    type: str
  vpc_id:
    description: The VPC of the target groups. Required with O(state=present) and routes.
    type: str
  routes:
    description: The environment's routes.
    type: list
    elements: dict
    default: []
    suboptions:
      target_group:
        description: The target group's name.
        type: str
        required: true
      port:
        description: The targets' port.
        type: int
        required: true
      health_check_path:
        description: The health check's path.
        type: str
        default: /
      priority:
        description: The rule's priority (1-50000).
        type: int
        required: true
      paths:
        description: Path patterns the rule forwards.
        type: list
        elements: str
        required: true
      hosts:
        description: Host names the rule is limited to (none means any host).
        type: list
        elements: str
        default: []
  name_prefix:
    description: Prefix of the environment's target group names (what O(purge) and O(state=absent) look at).
    type: str
    required: true
extends_documentation_fragment: [coherence.aws.environment_set, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: The environment's web services on the shared listener
  coherence.aws.alb_routes:
    listener_arn: "{{ coherence_edge.listener_arn }}"
    vpc_id: "{{ coherence_network.vpc_id }}"
    name_prefix: shop-review-
    tags: {Application: shop, EnvironmentName: review}
    routes:
      - {target_group: shop-review-api, port: 3000, health_check_path: /api/health, priority: 4101,
         paths: [/api, /api/*], hosts: [review.shop.example.com]}
"""

RETURN = r"""
routes:
  description: Each route with its target group's and rule's ARNs (none in check mode before creation).
  returned: always
  type: list
  elements: dict
  contains:
    target_group:
      description: The target group's name.
      type: str
    target_group_arn:
      description: Its ARN.
      type: str
    rule_arn:
      description: The listener rule's ARN (none without a listener).
      type: str
removed:
  description: Names of the target groups removed.
  returned: always
  type: list
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.coherence.aws.plugins.module_utils.ecs import EnvironmentSet
from ansible_collections.coherence.aws.plugins.module_utils.ecs import owned
from ansible_collections.coherence.aws.plugins.module_utils.ecs import paginate
from ansible_collections.coherence.aws.plugins.module_utils.ecs import run_set_module
from ansible_collections.coherence.aws.plugins.module_utils.ecs import tag_dict


def conditions(route):
    out = [{"Field": "path-pattern", "PathPatternConfig": {"Values": list(route["paths"])}}]
    if route["hosts"]:
        out.append({"Field": "host-header", "HostHeaderConfig": {"Values": list(route["hosts"])}})
    return out


def comparable_conditions(items):
    out = {}
    for c in items or []:
        config = c.get("PathPatternConfig") or c.get("HostHeaderConfig") or {}
        out[c["Field"]] = sorted(config.get("Values") or c.get("Values") or [])
    return out


def forwards_to(rule):
    arns = set()
    for action in rule.get("Actions", []):
        if action.get("TargetGroupArn"):
            arns.add(action["TargetGroupArn"])
        for tg in (action.get("ForwardConfig") or {}).get("TargetGroups", []):
            arns.add(tg["TargetGroupArn"])
    return arns


class Routes(EnvironmentSet):
    def __init__(self, module):
        super(Routes, self).__init__(module, "elbv2")
        self.elb = self.clients[0]

    def tags_of(self, arns):
        found = {}
        for start in range(0, len(arns), 20):
            for d in self.elb.describe_tags(aws_retry=True, ResourceArns=arns[start:start + 20])["TagDescriptions"]:
                found[d["ResourceArn"]] = tag_dict(d.get("Tags"))
        return found

    def target_groups(self):
        """The environment's target groups by name: those with the prefix and the owner's tags."""
        groups = [g for g in paginate(self.elb, "describe_target_groups", "TargetGroups")
                  if g["TargetGroupName"].startswith(self.params["name_prefix"])]
        tags = self.tags_of([g["TargetGroupArn"] for g in groups])
        return dict((g["TargetGroupName"], g) for g in groups if owned(tags.get(g["TargetGroupArn"], {}), self.owner))

    def rules(self):
        if not self.params["listener_arn"]:
            return []
        try:
            return paginate(self.elb, "describe_rules", "Rules", ListenerArn=self.params["listener_arn"])
        except is_boto3_error_code(["ListenerNotFound", "ValidationError"]):
            if not self.module.check_mode:
                raise
            return []  # check mode: the load balancer is not made yet (a placeholder ARN); every rule is new

    def ensure_group(self, route, group):
        name = route["target_group"]
        if group is None:
            self.note("target_group " + name, {}, {"port": route["port"], "health_check_path": route["health_check_path"]})
            if self.module.check_mode:
                return None
            return self.elb.create_target_group(
                aws_retry=True, Name=name, Protocol="HTTP", Port=route["port"], VpcId=self.params["vpc_id"],
                TargetType="ip", HealthCheckPath=route["health_check_path"], HealthCheckProtocol="HTTP",
                Matcher={"HttpCode": "200-399"},
                Tags=[{"Key": k, "Value": v} for k, v in sorted(self.owner.items())])["TargetGroups"][0]["TargetGroupArn"]
        if group.get("Port") != route["port"] or group.get("TargetType") != "ip" or group.get("VpcId") != self.params["vpc_id"]:
            self.module.fail_json(msg="target group %s has port %s, type %s in %s; it cannot change to port %s, type ip in "
                                      "%s: delete it (state=absent) to recreate it"
                                      % (name, group.get("Port"), group.get("TargetType"), group.get("VpcId"),
                                         route["port"], self.params["vpc_id"]))
        if group.get("HealthCheckPath") != route["health_check_path"]:
            self.note("target_group %s health_check_path" % name, group.get("HealthCheckPath"), route["health_check_path"])
            if not self.module.check_mode:
                self.elb.modify_target_group(aws_retry=True, TargetGroupArn=group["TargetGroupArn"],
                                             HealthCheckPath=route["health_check_path"])
        return group["TargetGroupArn"]

    def ensure_rule(self, route, group_arn, rules):
        mine = next((r for r in rules if group_arn and group_arn in forwards_to(r)), None)
        taken = next((r for r in rules if r["Priority"] == str(route["priority"]) and r is not mine), None)
        if taken:
            self.module.fail_json(msg="listener rule priority %s for %s is taken by the rule %s; nothing was changed for it"
                                      % (route["priority"], route["target_group"], taken["RuleArn"]))
        wanted = conditions(route)
        if mine is None:
            self.note("rule " + route["target_group"], {}, {"priority": route["priority"], "conditions": wanted})
            if self.module.check_mode:
                return None
            return self.elb.create_rule(
                aws_retry=True, ListenerArn=self.params["listener_arn"], Priority=route["priority"], Conditions=wanted,
                Actions=[{"Type": "forward", "TargetGroupArn": group_arn}],
                Tags=[{"Key": k, "Value": v} for k, v in sorted(self.owner.items())])["Rules"][0]["RuleArn"]
        if comparable_conditions(mine["Conditions"]) != comparable_conditions(wanted):
            self.note("rule %s conditions" % route["target_group"], mine["Conditions"], wanted)
            if not self.module.check_mode:
                self.elb.modify_rule(aws_retry=True, RuleArn=mine["RuleArn"], Conditions=wanted)
        if mine["Priority"] != str(route["priority"]):
            self.note("rule %s priority" % route["target_group"], mine["Priority"], route["priority"])
            if not self.module.check_mode:
                self.elb.set_rule_priorities(aws_retry=True, RulePriorities=[
                    {"RuleArn": mine["RuleArn"], "Priority": route["priority"]}])
        return mine["RuleArn"]

    def remove(self, keep, groups, rules):
        removed = []
        for name, group in sorted(groups.items()):
            if name in keep:
                continue
            removed.append(name)
            self.note("target_group " + name, {"arn": group["TargetGroupArn"]}, {})
            if self.module.check_mode:
                continue
            for rule in rules:
                if group["TargetGroupArn"] in forwards_to(rule) and not rule.get("IsDefault"):
                    self.elb.delete_rule(aws_retry=True, RuleArn=rule["RuleArn"])
            try:
                self.elb.delete_target_group(aws_retry=True, TargetGroupArn=group["TargetGroupArn"])
            except is_boto3_error_code("TargetGroupNotFound"):
                pass
        return removed

    def run(self):
        routes = self.params["routes"] if self.params["state"] == "present" else []
        if routes and not self.params["vpc_id"]:
            self.module.fail_json(msg="vpc_id is required to create target groups")
        groups, rules = self.target_groups(), self.rules()
        out = []
        for route in routes:
            arn = self.ensure_group(route, groups.get(route["target_group"]))
            rule = self.ensure_rule(route, arn, rules) if self.params["listener_arn"] else None
            out.append({"target_group": route["target_group"], "target_group_arn": arn, "rule_arn": rule})
        removed = []
        if self.params["purge"] or self.params["state"] == "absent":
            # The rules of another listener forward to a group too: look them up on the group's load balancers.
            removed = self.remove(set(r["target_group"] for r in routes), groups, rules or self.all_rules(groups))
        self.exit(routes=out, removed=removed)

    def all_rules(self, groups):
        rules = []
        for lb in sorted(set(a for g in groups.values() for a in g.get("LoadBalancerArns", []))):
            for listener in paginate(self.elb, "describe_listeners", "Listeners", LoadBalancerArn=lb):
                rules += paginate(self.elb, "describe_rules", "Rules", ListenerArn=listener["ListenerArn"])
        return rules


def main():
    run_set_module(Routes, "load balancer routes request failed", dict(
        listener_arn=dict(type="str"),
        vpc_id=dict(type="str"),
        routes=dict(type="list", elements="dict", default=[], options=dict(
            target_group=dict(type="str", required=True),
            port=dict(type="int", required=True),
            health_check_path=dict(type="str", default="/"),
            priority=dict(type="int", required=True),
            paths=dict(type="list", elements="str", required=True),
            hosts=dict(type="list", elements="str", default=[]),
        )),
        name_prefix=dict(type="str", required=True),
    ))


if __name__ == "__main__":
    main()
