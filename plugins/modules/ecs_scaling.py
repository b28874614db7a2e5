#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecs_scaling
short_description: Manage an environment's ECS service scaling and alarms, in one call
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - For each service, its Application Auto Scaling target (minimum and maximum tasks), target
    tracking policies on average CPU and memory, and its CloudWatch alarms (each notifying
    the topic O(alarm_topic)).
  - Compared exactly, field by field (application_autoscaling_policy and
    cloudwatch_metric_alarm report changes on runs that change nothing, and take no tags).
  - With O(purge=true), scalable targets of services whose names start with O(name_prefix) and
    alarms with that prefix carrying every tag of O(tags) that the task does not list are
    removed; with O(state=absent), all of them.
options:
  cluster:
    description: The ECS cluster.
    type: str
    required: true
  services:
    description: The services to scale.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The service's name.
        type: str
        required: true
      min_capacity:
        description: Fewest tasks.
        type: int
        required: true
      max_capacity:
        description: Most tasks.
        type: int
        required: true
      policies:
        description: Target tracking policies, each C(name), C(metric) (C(cpu) or C(memory)) and C(target) (percent).
        type: list
        elements: dict
        default: []
      alarms:
        description:
          - Alarms, each C(name), C(namespace), C(metric), C(dimensions) (dict), C(statistic),
            C(threshold), C(comparison), C(period) (seconds), C(evaluation_periods) and C(description).
        type: list
        elements: dict
        default: []
  alarm_topic:
    description:
      - Name of the SNS topic the alarms notify, made (with O(tags)) when missing; removed with
        O(state=absent) when it carries every tag of O(tags).
    type: str
  alarm_email:
    description: An e-mail address subscribed to O(alarm_topic) (the subscription waits for its confirmation).
    type: str
  name_prefix:
    description: Prefix of the environment's service and alarm names (what O(purge) and O(state=absent) look at).
    type: str
    required: true
notes:
  - The services' desired count is Application Auto Scaling's; nothing here sets it.
extends_documentation_fragment: [coherence.aws.environment_set, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: Scale the web services and watch them
  coherence.aws.ecs_scaling:
    cluster: shop
    name_prefix: shop-review-
    tags: {Application: shop, EnvironmentName: review}
    alarm_topic: shop-review-alarms
    services:
      - name: shop-review-api
        min_capacity: 1
        max_capacity: 2
        policies:
          - {name: shop-review-api-cpu, metric: cpu, target: 70}
        alarms:
          - name: shop-review-api-unhealthy
            namespace: AWS/ApplicationELB
            metric: UnHealthyHostCount
            dimensions: {LoadBalancer: app/shop/123, TargetGroup: targetgroup/shop-review-api/456}
            statistic: Maximum
            threshold: 1
            comparison: GreaterThanOrEqualToThreshold
            period: 60
            evaluation_periods: 5
            description: unhealthy targets
"""

RETURN = r"""
topic_arn:
  description: The alarm topic's ARN (none in check mode before it exists).
  returned: when O(alarm_topic) is set
  type: str
removed:
  description: What was removed, C(targets) (service names) and C(alarms) (alarm names).
  returned: always
  type: dict
"""


from ansible_collections.coherence.aws.plugins.module_utils.ecs import EnvironmentSet
from ansible_collections.coherence.aws.plugins.module_utils.ecs import owned
from ansible_collections.coherence.aws.plugins.module_utils.ecs import paginate
from ansible_collections.coherence.aws.plugins.module_utils.ecs import run_set_module
from ansible_collections.coherence.aws.plugins.module_utils.ecs import tag_dict

DIMENSION = "ecs:service:DesiredCount"
METRICS = {"cpu": "ECSServiceAverageCPUUtilization", "memory": "ECSServiceAverageMemoryUtilization"}
COOLDOWNS = {"ScaleInCooldown": 300, "ScaleOutCooldown": 60}


def policy_configuration(policy):
    return dict(COOLDOWNS, TargetValue=float(policy["target"]), DisableScaleIn=False,
                PredefinedMetricSpecification={"PredefinedMetricType": METRICS[policy["metric"]]})


def alarm_request(alarm, actions):
    return {
        "AlarmName": alarm["name"], "AlarmDescription": alarm.get("description", ""), "ActionsEnabled": True,
        "AlarmActions": sorted(actions), "OKActions": [], "Namespace": alarm["namespace"], "MetricName": alarm["metric"],
        "Dimensions": [{"Name": k, "Value": v} for k, v in sorted(alarm["dimensions"].items())],
        "Statistic": alarm["statistic"], "Period": int(alarm["period"]),
        "EvaluationPeriods": int(alarm["evaluation_periods"]), "Threshold": float(alarm["threshold"]),
        "ComparisonOperator": alarm["comparison"], "TreatMissingData": "notBreaching",
    }


def comparable_alarm(found):
    keys = ("AlarmName", "Namespace", "MetricName", "Statistic", "Period", "EvaluationPeriods", "ComparisonOperator",
            "TreatMissingData", "ActionsEnabled")
    out = dict((k, found.get(k)) for k in keys)
    out["AlarmDescription"] = found.get("AlarmDescription") or ""
    out["AlarmActions"] = sorted(found.get("AlarmActions") or [])
    out["OKActions"] = sorted(found.get("OKActions") or [])
    out["Dimensions"] = sorted(found.get("Dimensions") or [], key=lambda d: d["Name"])
    out["Threshold"] = float(found.get("Threshold") or 0)
    return out


class Scaling(EnvironmentSet):
    def __init__(self, module):
        super(Scaling, self).__init__(module, "application-autoscaling", "cloudwatch")
        self.aas, self.cw = self.clients

    def resource(self, service):
        return "service/%s/%s" % (self.params["cluster"], service)

    def ensure_target(self, svc, targets):
        rid = self.resource(svc["name"])
        have = targets.get(rid)
        want = {"MinCapacity": svc["min_capacity"], "MaxCapacity": svc["max_capacity"]}
        if have is None or dict((k, have.get(k)) for k in want) != want:
            self.note("scalable_target " + svc["name"], dict((k, have.get(k)) for k in want) if have else {}, want)
            if not self.module.check_mode:
                self.aas.register_scalable_target(aws_retry=True, ServiceNamespace="ecs", ResourceId=rid,
                                                  ScalableDimension=DIMENSION, **want)
        policies = dict((p["PolicyName"], p) for p in paginate(
            self.aas, "describe_scaling_policies", "ScalingPolicies", ServiceNamespace="ecs", ResourceId=rid,
            ScalableDimension=DIMENSION)) if have else {}
        for policy in svc["policies"]:
            wanted = policy_configuration(policy)
            found = (policies.get(policy["name"]) or {}).get("TargetTrackingScalingPolicyConfiguration")
            found = dict((k, (found or {}).get(k)) for k in wanted) if found else None
            if found != wanted:
                self.note("scaling_policy " + policy["name"], found or {}, wanted)
                if not self.module.check_mode:
                    self.aas.put_scaling_policy(aws_retry=True, PolicyName=policy["name"], ServiceNamespace="ecs",
                                                ResourceId=rid, ScalableDimension=DIMENSION,
                                                PolicyType="TargetTrackingScaling",
                                                TargetTrackingScalingPolicyConfiguration=wanted)
        for name in sorted(set(policies) - set(p["name"] for p in svc["policies"])):
            self.note("scaling_policy " + name, {"name": name}, {})
            if not self.module.check_mode:
                self.aas.delete_scaling_policy(aws_retry=True, PolicyName=name, ServiceNamespace="ecs",
                                               ResourceId=rid, ScalableDimension=DIMENSION)

    def ensure_alarm(self, alarm, found, actions):
        wanted = alarm_request(alarm, actions)
        have = found.get(alarm["name"])
        if have is None or comparable_alarm(have["alarm"]) != comparable_alarm(wanted):
            self.note("alarm " + alarm["name"], comparable_alarm(have["alarm"]) if have else {}, comparable_alarm(wanted))
            if not self.module.check_mode:
                self.cw.put_metric_alarm(aws_retry=True, Tags=[{"Key": k, "Value": v} for k, v in sorted(self.owner.items())],
                                         **wanted)
        elif not owned(have["tags"], self.owner):
            self.note("alarm %s tags" % alarm["name"], have["tags"], self.owner)
            if not self.module.check_mode:
                self.cw.tag_resource(aws_retry=True, ResourceARN=have["alarm"]["AlarmArn"],
                                     Tags=[{"Key": k, "Value": v} for k, v in sorted(self.owner.items())])

    def topic(self):
        """The alarm topic's ARN, made when missing (with its e-mail subscription)."""
        name = self.params["alarm_topic"]
        if not name:
            return None
        sns = self.client("sns")
        arn = next((t["TopicArn"] for t in paginate(sns, "list_topics", "Topics")
                    if t["TopicArn"].rsplit(":", 1)[-1] == name), None)
        if self.params["state"] == "absent":
            if arn and owned(tag_dict(sns.list_tags_for_resource(aws_retry=True, ResourceArn=arn).get("Tags")), self.owner):
                self.note("topic " + name, {"arn": arn}, {})
                if not self.module.check_mode:
                    sns.delete_topic(aws_retry=True, TopicArn=arn)
            return None
        if arn is None:
            self.note("topic " + name, {}, {"name": name})
            if self.module.check_mode:
                return None
            arn = sns.create_topic(aws_retry=True, Name=name, Tags=[
                {"Key": k, "Value": v} for k, v in sorted(self.owner.items())])["TopicArn"]
        email = self.params["alarm_email"]
        if email:
            subscribed = [s["Endpoint"] for s in paginate(sns, "list_subscriptions_by_topic", "Subscriptions", TopicArn=arn)
                          if s["Protocol"] == "email"] if arn else []
            if email not in subscribed:
                self.note("topic %s subscription" % name, {}, {"email": email})
                if not self.module.check_mode:
                    sns.subscribe(aws_retry=True, TopicArn=arn, Protocol="email", Endpoint=email)
        return arn

    def others(self, rids):
        """Of these scalable targets, those of another environment's live services (a longer
        environment name can share the prefix): their service carries other tags."""
        if not rids:
            return set()
        ecs = self.client("ecs")
        names = sorted(r.rsplit("/", 1)[-1] for r in rids)
        out = set()
        for start in range(0, len(names), 10):
            for svc in ecs.describe_services(aws_retry=True, cluster=self.params["cluster"], services=names[start:start + 10],
                                             include=["TAGS"]).get("services", []):
                if svc.get("status") != "INACTIVE" and not owned(tag_dict(svc.get("tags"), "key", "value"), self.owner):
                    out.add(self.resource(svc["serviceName"]))
        return out

    def alarms(self):
        out = {}
        for alarm in paginate(self.cw, "describe_alarms", "MetricAlarms", AlarmNamePrefix=self.params["name_prefix"]):
            tags = tag_dict(self.cw.list_tags_for_resource(aws_retry=True, ResourceARN=alarm["AlarmArn"]).get("Tags"))
            out[alarm["AlarmName"]] = {"alarm": alarm, "tags": tags}
        return out

    def run(self):
        items = self.params["services"] if self.params["state"] == "present" else []
        prefix = self.resource(self.params["name_prefix"])
        targets = dict((t["ResourceId"], t) for t in paginate(
            self.aas, "describe_scalable_targets", "ScalableTargets", ServiceNamespace="ecs")
            if t["ResourceId"].startswith(prefix) and t["ScalableDimension"] == DIMENSION)
        found = self.alarms()
        topic = self.topic() if self.params["state"] == "present" else None
        for svc in items:
            self.ensure_target(svc, targets)
            for alarm in svc["alarms"]:
                self.ensure_alarm(alarm, found, [topic] if topic else [])
        removed = {"targets": [], "alarms": []}
        if self.params["purge"] or self.params["state"] == "absent":
            keep = set(self.resource(s["name"]) for s in items)
            for rid in sorted(set(targets) - keep - self.others(set(targets) - keep)):
                removed["targets"].append(rid.rsplit("/", 1)[-1])
                self.note("scalable_target " + rid, {"resource": rid}, {})
                if not self.module.check_mode:
                    self.aas.deregister_scalable_target(aws_retry=True, ServiceNamespace="ecs", ResourceId=rid,
                                                        ScalableDimension=DIMENSION)
            keep = set(a["name"] for s in items for a in s["alarms"])
            gone = sorted(n for n, a in found.items() if n not in keep and owned(a["tags"], self.owner))
            if gone:
                removed["alarms"] = gone
                self.note("alarms", {"names": gone}, {})
                if not self.module.check_mode:
                    self.cw.delete_alarms(aws_retry=True, AlarmNames=gone)
        if self.params["state"] == "absent":
            self.topic()
        self.exit(removed=removed, topic_arn=topic)


def main():
    run_set_module(Scaling, "scaling request failed", dict(
        cluster=dict(type="str", required=True),
        services=dict(type="list", elements="dict", default=[], options=dict(
            name=dict(type="str", required=True),
            min_capacity=dict(type="int", required=True),
            max_capacity=dict(type="int", required=True),
            policies=dict(type="list", elements="dict", default=[]),
            alarms=dict(type="list", elements="dict", default=[]),
        )),
        alarm_topic=dict(type="str"),
        alarm_email=dict(type="str"),
        name_prefix=dict(type="str", required=True),
    ))


if __name__ == "__main__":
    main()
