# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: plan
type: aggregate
short_description: End a run with what it would create, change and delete, per kind of AWS resource
version_added: 0.1.0
description:
  - "At the end of a check-mode run (C(--check)), prints C(Plan: N to create, M to change, K to delete)
    and the same per kind of resource (VPC, subnet, security group, database, ...), read from the
    results of the AWS modules' tasks (amazon.aws, community.aws and coherence.aws)."
  - "After a real run, prints C(Applied: N created or changed, K deleted) per kind in the same way."
  - It adds to the output of the stdout callback in use (default, yaml, AWX's), never replaces it.
  - Each resource counts once, however many tasks touched it (a bucket and its CORS rules, a
    certificate requested then waited for).
  - A result's C(diff) (with C(--diff)) says best whether a resource is new, changed or removed;
    without it, a task's C(state=absent) means a deletion, and a module's check-mode message
    (C(would be created)) or the absence of the resource's id in its result means a creation.
  - "In check mode, a task whose arguments hold a placeholder id (all zeros: C(vpc-00000000000000000),
    C(sg-00000000000000001), a KMS key C(key/00000000-0000-0000-0000-000000000000)) acts on what
    is not made yet: the roles pass these where a resource they would create has no id yet, so
    the resource that names it is new as well, a creation."
  - "A module without check mode (amazon.aws.s3_bucket) is skipped in check mode: such a task
    counts as a creation when its arguments hold a placeholder id (a bucket encrypted with a key
    not made yet), and is otherwise left out, as what it would do is not known."
  - "ACM's DNS validation records (their value ends in C(.acm-validations.aws.)) count as part of
    their certificate, not as DNS records of their own: ACM decides them, and check mode cannot
    know them before the certificate is requested."
  - Tasks whose results are hidden by C(no_log) count one resource per loop item.
  - "A coherence.aws module that handles a set of resources in one task (an environment's IAM roles,
    services, log groups, target groups, scaling, schedules; the app's container repositories)
    counts each resource of its diff: its before and after are keyed by resource (C(<kind> <name>),
    or C(<kind> <name> <setting>) for a setting of one that exists, a change)."
requirements:
  - enabled in ansible.cfg (C(callbacks_enabled = coherence.aws.plan)) or with
    C(ANSIBLE_CALLBACKS_ENABLED=coherence.aws.plan)
"""

EXAMPLES = r"""
# ansible.cfg beside your coherence.yml
# [defaults]
# callbacks_enabled = coherence.aws.plan
#
# $ ansible-playbook coherence.aws.site -e env=pr-7 -e app_name=shop --check --diff
# ...
# Plan: 24 to create, 1 to change, 0 to delete
#   VPC                        1 to create
#   subnet                     4 to create
#   secret                     1 to change
"""

import re

from ansible import context
from ansible.plugins.callback import CallbackBase

CREATE = "create"
CHANGE = "change"
DELETE = "delete"

# The collections whose modules manage AWS resources; their *_info modules only read.
COLLECTIONS = ("amazon.aws.", "community.aws.", "coherence.aws.")
# What runs something rather than managing a resource: a one-off ECS task, a pipeline execution.
NOT_RESOURCES = frozenset(("app_model", "ecs_run_task", "codepipeline_execution"))

# Module -> (kind shown in the plan, where the resource's own id is in its result). A module
# that is not listed shows as its name; one without an id path relies on diff, state and message.
MODULES = {
    "ec2_vpc_net": ("VPC", "vpc.id"),
    "ec2_vpc_subnet": ("subnet", "subnet.id"),
    "ec2_vpc_igw": ("internet gateway", "gateway_id"),
    "ec2_vpc_nat_gateway": ("NAT gateway", "nat_gateway_id"),
    "ec2_eip": ("Elastic IP", "allocation_id"),
    "ec2_tag": ("tags", None),
    "ec2_vpc_route_table": ("route table", "route_table.id"),
    "ec2_security_group": ("security group", "group_id"),
    "route53_zone": ("DNS zone", "zone_id"),
    "route53": ("DNS record", None),
    "acm_certificate": ("certificate", "certificate.arn"),
    "iam_role": ("IAM role", "iam_role.arn"),
    "iam_policy": ("IAM inline policy", None),
    "iam_managed_policy": ("IAM policy", "policy.arn"),
    "iam_instance_profile": ("instance profile", "iam_instance_profile.arn"),
    "ec2_instance": ("EC2 instance", "instance_ids"),
    "kms_key": ("KMS key", "key_arn"),
    "secretsmanager_secret": ("secret", "secret.arn"),
    "secret_values": ("secret", None),
    "ssm_parameter": ("SSM parameter", "parameter_metadata.name"),
    "rds_subnet_group": ("database subnet group", None),
    "rds_instance": ("database", "db_instance_arn"),
    "rds_proxy": ("database proxy", "proxy.db_proxy_arn"),
    "elasticache_subnet_group": ("cache subnet group", None),
    "elasticache_replication_group": ("cache", "replication_group.arn"),
    "s3_bucket": ("bucket", None),
    "s3_cors": ("bucket", None),
    "s3_object": ("bucket", None),  # an object counts as (a change of) its bucket
    "ecs_cluster": ("ECS cluster", None),
    "ecs_service": ("ECS service", None),
    "ecs_taskdefinition": ("task definition", None),
    "ecs_ecr": ("container repository", None),
    "elb_application_lb": ("load balancer", None),
    "elb_target_group": ("target group", None),
    "cloudfront_distribution": ("CloudFront distribution", None),
    "lambda": ("Lambda function", None),
    "cloudwatchlogs_log_group": ("log group", None),
    "cloudwatch_metric_alarm": ("alarm", None),
    "application_autoscaling_policy": ("scaling policy", None),
    "cloudwatchevent_rule": ("schedule", None),
    "codebuild_project": ("build project", None),
    "codepipeline": ("pipeline", None),
    # coherence.aws's modules that handle an environment's set in one task count as one each.
    "route53_aliases": ("DNS record", None),
    "elb_listener_certificates": ("listener certificate", None),
    "lambda_edge": ("Lambda function", None),
    "iam_roles": ("IAM role", None),
    "ecs_workloads": ("ECS service", None),
    "alb_routes": ("target group", None),
    "ecs_scaling": ("scaling policy", None),
    "event_schedules": ("schedule", None),
}
# Modules that act on a set in one task (module_utils/ecs.py EnvironmentSet, and the app's
# repositories and build projects): their diff is keyed by resource. The environment sets' keys
# are "<kind> <name>[ <setting>]" (kind as below, else the word); the others' the name alone.
SET_MODULES = {"iam_roles": None, "ecs_workloads": None, "alb_routes": None, "ecs_scaling": None,
               "event_schedules": None, "ecr_repositories": "container repository",
               "codebuild_project": "build project"}  # with its `projects` option
SET_KINDS = {"role": "IAM role", "log_group": "log group", "task_definition": "task definition",
             "service": "ECS service", "target_group": "target group", "scalable_target": "scaling target",
             "scaling_policy": "scaling policy", "alarm": "alarm", "alarms": "alarm", "topic": "SNS topic",
             ("alb_routes", "rule"): "listener rule", ("event_schedules", "rule"): "schedule"}
# ec2_tag acts on another resource: it counts as that resource, known by its id's prefix.
TAGGED_KINDS = {"eipalloc-": "Elastic IP", "vpc-": "VPC", "subnet-": "subnet", "sg-": "security group",
                "i-": "EC2 instance", "nat-": "NAT gateway", "igw-": "internet gateway", "rtb-": "route table",
                "vol-": "EBS volume"}
# Arguments that name the resource a task acts on, in the order they are looked for; then its
# Name tag; then the parent it belongs to (an internet gateway's VPC).
NAME_ARGUMENTS = ("name", "id", "alias", "domain_name", "zone", "record", "iam_name", "resource", "cidr", "arn",
                  "role_name", "instance_ids")
PARENT_ARGUMENTS = ("subnet_id", "vpc_id")
DELETE_STATES = frozenset(("absent", "deleted", "terminated"))
# The ids the roles give in check mode to what is not made yet (network and data roles).
PLACEHOLDER = re.compile(r"\b[a-z]+-0{16}\d\b|\bkey/0{8}-0{4}-0{4}-0{4}-0{12}\b")
NO_CHECK_MODE = re.compile(r"does not support check mode")
ACM_VALIDATION = re.compile(r"\.acm-validations\.aws\.?$")
CHECK_MODE_CREATE = re.compile(r"\bwould (?:have |be )?(?:been )?(?:created?|launch(?:ed)?)\b", re.I)
CHECK_MODE_DELETE = re.compile(r"\bwould (?:have |be )?(?:been )?(?:deleted?|terminated?|removed?)\b", re.I)


def _absent(value):
    return not value or (isinstance(value, dict) and value.get("state") == "absent")


def _dig(result, path):
    for key in path.split("."):
        if not isinstance(result, dict):
            return None
        result = result.get(key)
    return result


def _holds_placeholder(value):
    if isinstance(value, dict):
        return any(_holds_placeholder(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_placeholder(v) for v in value)
    return isinstance(value, str) and bool(PLACEHOLDER.search(value))


def classify(module, args, result, check_mode):
    """CREATE, CHANGE or DELETE for a changed result of module (its short name) called with args."""
    if check_mode and str(args.get("state") or "").lower() not in DELETE_STATES and _holds_placeholder(args):
        return CREATE
    diff = result.get("diff")
    if isinstance(diff, list):
        diff = diff[0] if diff else None
    if isinstance(diff, dict) and ("before" in diff or "after" in diff):
        before, after = diff.get("before"), diff.get("after")
        if _absent(before) and not _absent(after):
            return CREATE
        if _absent(after) and not _absent(before):
            return DELETE
        if not _absent(before):
            return CHANGE
    if str(args.get("state") or "").lower() in DELETE_STATES:
        return DELETE
    if check_mode:
        message = str(result.get("msg") or "")
        if CHECK_MODE_DELETE.search(message):
            return DELETE
        if CHECK_MODE_CREATE.search(message):
            return CREATE
        id_path = MODULES.get(module, (None, None))[1]
        if id_path and not result.get("censored") and not _dig(result, id_path):
            return CREATE
    return CHANGE


def set_actions(module, args, result):
    """((kind, name), action) for each resource a set module's result changed, from its diff;
    None when the result has no diff to read (a no_log result, or a single project)."""
    diff = result.get("diff")
    if (module not in SET_MODULES or not isinstance(diff, dict)
            or (module == "codebuild_project" and not args.get("projects"))):
        return None
    before, after = diff.get("before") or {}, diff.get("after") or {}
    out = []
    for key in sorted(set(before) | set(after)):
        if SET_MODULES[module]:
            kind, name, setting = SET_MODULES[module], key, False
        else:
            word, _sep, rest = key.partition(" ")
            kind = SET_KINDS.get((module, word)) or SET_KINDS.get(word) or word.replace("_", " ")
            name, _sep, setting = rest.partition(" ")
            if not name:  # "alarms": several deleted at once, named in `before`
                out.extend(((kind, n), DELETE) for n in (before.get(key) or {}).get("names") or [])
                continue
        if setting:
            action = CHANGE
        elif _absent(before.get(key)):
            action = CREATE
        elif _absent(after.get(key)):
            action = DELETE
        else:
            action = CHANGE
        out.append(((kind, name), action))
    return out


def _as_list(value):
    return value if isinstance(value, (list, tuple)) else [value]


def resource_name(args, result):
    """What the task acted on, to count each resource once; None when nothing names it."""
    tags = args.get("tags") if isinstance(args.get("tags"), dict) else {}
    candidates = ([args.get(key) for key in NAME_ARGUMENTS] + [args.get("bucket"), tags.get("Name")]
                  + [args.get(key) for key in PARENT_ARGUMENTS])
    for value in candidates:
        if value and not isinstance(value, bool):  # route53's `alias: true` names nothing
            value = value if isinstance(value, str) else " ".join(sorted(map(str, value)))
            # the region: a certificate of one name in two regions is two certificates
            return " ".join(str(part) for part in (args.get("region"), value, args.get("type")) if part)
    label = result.get("_ansible_item_label")
    return str(label) if label else None


class Plan(object):
    """What a run did, or would do, per kind of resource, each resource once."""

    # When several tasks touch one resource, it counts as its most telling action.
    RANK = {CHANGE: 0, DELETE: 1, CREATE: 2}

    def __init__(self):
        self.plan = {}  # check mode: (kind, resource) -> action
        self.applied = {}  # real run
        self._anonymous = 0

    def add(self, action_name, args, result, check_mode, skipped=False):
        """Count one task result (one loop item) of the module action_name (its FQCN); skipped
        when the task was (callbacks do not see the result's own `skipped`)."""
        if skipped or result.get("skipped"):
            if not (check_mode and NO_CHECK_MODE.search(str(result.get("msg") or "")) and _holds_placeholder(args)):
                return
            result = dict(result, changed=True)
        if not result.get("changed") or result.get("failed"):
            return
        if not action_name or not action_name.startswith(COLLECTIONS):
            return
        module = action_name.split(".", 2)[2]
        if module.endswith("_info") or module in NOT_RESOURCES:
            return
        args = args if isinstance(args, dict) else {}
        if module == "route53" and any(ACM_VALIDATION.search(str(v)) for v in _as_list(args.get("value"))):
            return
        counts = self.plan if check_mode else self.applied
        actions = set_actions(module, args, result)
        if actions is not None:
            for key, action in actions:
                self._count(counts, key, action)
            return
        kind = MODULES.get(module, (module.replace("_", " "), None))[0]
        if module == "ec2_tag":
            kind = next((k for prefix, k in TAGGED_KINDS.items() if str(args.get("resource")).startswith(prefix)), kind)
        name = None if result.get("censored") else resource_name(args, result)
        if name is None:
            self._anonymous += 1
            name = "#%d" % self._anonymous
        self._count(counts, (kind, name), classify(module, args, result, check_mode))

    def _count(self, counts, key, action):
        known = counts.get(key)
        if known is None or self.RANK[action] > self.RANK[known]:
            counts[key] = action

    # How each summary words its counts: check mode plans, a real run cannot always tell a
    # creation from a change (once a resource exists, its id is in every result).
    PLAN_WORDS = (((CREATE,), "%d to create"), ((CHANGE,), "%d to change"), ((DELETE,), "%d to delete"))
    APPLIED_WORDS = (((CREATE, CHANGE), "%d created or changed"), ((DELETE,), "%d deleted"))

    @staticmethod
    def _block(heading, actions, words):
        by_kind = {}
        for (kind, _name), action in actions.items():
            by_kind.setdefault(kind, dict.fromkeys((CREATE, CHANGE, DELETE), 0))[action] += 1
        total = dict((a, sum(counts[a] for counts in by_kind.values())) for a in (CREATE, CHANGE, DELETE))

        def say(counts, all_words):
            numbers = [(sum(counts[a] for a in group), text) for group, text in words]
            return ", ".join(text % number for number, text in numbers if number or all_words)

        return ["%s: %s" % (heading, say(total, True))] + [
            "  %-28s %s" % (kind, say(by_kind[kind], False)) for kind in sorted(by_kind, key=str.lower)]

    def lines(self, check_mode, failed=False):
        """The summary: a first line with the totals, then one per kind. After a failure, only
        what was counted until then, said to be so."""
        until = ", until the run failed" if failed else ""
        out = []
        if self.plan or (check_mode and not failed):
            out += self._block("Plan" + until, self.plan, self.PLAN_WORDS)
        if self.applied:
            out += self._block("Applied" + until, self.applied, self.APPLIED_WORDS)
        return out


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "coherence.aws.plan"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._plan = Plan()

    @staticmethod
    def _parts(result):
        # `task` and `result` since ansible-core 2.19, `_task` and `_result` before.
        task = getattr(result, "task", None) or result._task
        payload = getattr(result, "result", None)
        return task, payload if payload is not None else result._result

    @staticmethod
    def _check_mode(task):
        mode = getattr(task, "check_mode", None)
        return bool(mode) if isinstance(mode, bool) else bool(context.CLIARGS.get("check"))

    def _count(self, result, skipped=False):
        task, payload = self._parts(result)
        args = (payload.get("invocation") or {}).get("module_args") or task.args
        self._plan.add(task.resolved_action, args, payload, self._check_mode(task), skipped)

    def v2_runner_on_ok(self, result, skipped=False):
        task, payload = self._parts(result)
        if task.loop is None and not isinstance(payload.get("results"), list):
            self._count(result, skipped)

    def v2_runner_item_on_ok(self, result):
        self._count(result)

    # Only a module without check mode's skipped result can count (Plan.add).
    def v2_runner_on_skipped(self, result):
        self.v2_runner_on_ok(result, skipped=True)

    def v2_runner_item_on_skipped(self, result):
        self._count(result, skipped=True)

    def v2_playbook_on_stats(self, stats):
        failed = any(stats.failures.values()) or any(stats.dark.values())
        lines = self._plan.lines(bool(context.CLIARGS.get("check")), failed)
        if lines:
            self._display.display("\n" + "\n".join(lines))
