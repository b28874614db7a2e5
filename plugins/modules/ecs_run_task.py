#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecs_run_task
short_description: Run a one-off Fargate task, wait for it to stop, and fail with its exit code and log stream
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Runs one task of the active revision of a task definition family on Fargate (a migration, a
    seed), in private subnets without a public IP, and waits until it is C(STOPPED).
  - A task whose container did not exit 0 fails the task, with the exit code (or why ECS stopped
    it, when the container never ran) and the CloudWatch Logs group and stream of its output.
  - community.aws.ecs_task starts a task but neither waits for it nor reads its exit code.
options:
  cluster:
    description: The ECS cluster.
    type: str
    required: true
  task_definition:
    description: The task definition family (its latest active revision) or a revision's ARN.
    type: str
    required: true
  capacity_provider:
    description: C(FARGATE) or C(FARGATE_SPOT).
    type: str
    choices: [FARGATE, FARGATE_SPOT]
    default: FARGATE
  subnets:
    description: The task's subnets (no public IP is assigned).
    type: list
    elements: str
    required: true
  security_groups:
    description: The task's security groups.
    type: list
    elements: str
    required: true
  command:
    description: The container's command, instead of the task definition's.
    type: list
    elements: str
  wait:
    description: Wait until the task stops, and fail unless its container exited 0.
    type: bool
    default: true
  poll_interval:
    description: Seconds between two looks at the task.
    type: int
    default: 6
  tags:
    description: Tags of the task.
    type: dict
extends_documentation_fragment: [coherence.aws.common, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
notes:
  - In check mode nothing runs (the task reports changed).
  - On the embedded AWS no container runs; a test chooses a task's exit code (docs/embedded-aws.md).
"""

EXAMPLES = r"""
- name: Migrate the database before the services roll
  coherence.aws.ecs_run_task:
    cluster: shop
    task_definition: shop-review-api-migration
    subnets: "{{ coherence_network.private_subnet_ids }}"
    security_groups: ["{{ coherence_network.security_groups.services }}"]
    wait_timeout: 1800
"""

RETURN = r"""
task:
  description: The task as DescribeTasks returns it once stopped (or started, without O(wait)), in snake_case.
  returned: success, not in check mode
  type: dict
  contains:
    task_arn:
      description: Its ARN.
      type: str
    last_status:
      description: C(STOPPED) after a wait.
      type: str
exit_code:
  description: The container's exit code.
  returned: after a wait
  type: int
log_group:
  description: The container's log group.
  returned: when the container logs through awslogs
  type: str
log_stream:
  description: The container's log stream.
  returned: when the container logs through awslogs
  type: str
"""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.coherence.aws.plugins.module_utils.ecs import to_ecs_tags
from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule
from ansible_collections.coherence.aws.plugins.module_utils.modules import wait_argument_spec


def log_place(definition, task_arn):
    """(group, stream) of the first container's awslogs output (stream: prefix/container/task id)."""
    container = definition["containerDefinitions"][0]
    options = (container.get("logConfiguration") or {}).get("options") or {}
    if (container.get("logConfiguration") or {}).get("logDriver") != "awslogs":
        return None, None
    prefix = options.get("awslogs-stream-prefix")
    stream = "%s/%s/%s" % (prefix, container["name"], task_arn.rsplit("/", 1)[-1]) if prefix else None
    return options.get("awslogs-group"), stream


def outcome(task):
    """(exit code, why it failed or None) of a stopped task's essential container."""
    container = (task.get("containers") or [{}])[0]
    code = container.get("exitCode")
    if code is None:
        return None, "its container never ran: %s" % (task.get("stoppedReason") or container.get("reason") or "no reason given")
    if code != 0:
        return code, "exit code %d" % code
    return code, None


def run(module):
    ecs = module.client("ecs", retry_decorator=AWSRetry.jittered_backoff())
    params = module.params
    definition = ecs.describe_task_definition(aws_retry=True, taskDefinition=params["task_definition"])["taskDefinition"]
    label = "task %s" % definition["family"]
    if module.check_mode:
        module.exit_json(changed=True, msg="%s would run (check mode)" % label)
    request = dict(
        cluster=params["cluster"], taskDefinition=definition["taskDefinitionArn"], count=1,
        capacityProviderStrategy=[{"capacityProvider": params["capacity_provider"], "weight": 1}],
        networkConfiguration={"awsvpcConfiguration": {"subnets": params["subnets"],
                                                      "securityGroups": params["security_groups"],
                                                      "assignPublicIp": "DISABLED"}},
        startedBy="coherence.aws",
    )
    if params["command"]:
        request["overrides"] = {"containerOverrides": [{"name": definition["containerDefinitions"][0]["name"],
                                                        "command": params["command"]}]}
    if params["tags"]:
        request["tags"] = to_ecs_tags(params["tags"])
    started = ecs.run_task(aws_retry=True, **request)
    if started.get("failures") or not started.get("tasks"):
        module.fail_json(msg="%s could not start: %s" % (label, started.get("failures")))
    task = started["tasks"][0]
    group, stream = log_place(definition, task["taskArn"])
    result = dict(changed=True, log_group=group, log_stream=stream)
    if not params["wait"]:
        module.exit_json(task=camel_dict_to_snake_dict(task), **result)
    delay = max(1, params["poll_interval"])
    try:
        ecs.get_waiter("tasks_stopped").wait(cluster=params["cluster"], tasks=[task["taskArn"]], WaiterConfig=dict(
            Delay=delay, MaxAttempts=1 + params["wait_timeout"] // delay))
    except botocore.exceptions.WaiterError:
        module.fail_json(msg="%s (%s) had not stopped after %d seconds; its log: group %s, stream %s"
                             % (label, task["taskArn"], params["wait_timeout"], group, stream), **result)
    task = ecs.describe_tasks(aws_retry=True, cluster=params["cluster"], tasks=[task["taskArn"]])["tasks"][0]
    code, failure = outcome(task)
    result.update(task=camel_dict_to_snake_dict(task), exit_code=code)
    if failure:
        module.fail_json(msg="%s (%s) failed, %s; its log: group %s, stream %s"
                             % (label, task["taskArn"].rsplit("/", 1)[-1], failure, group, stream), **result)
    module.exit_json(**result)


def main():
    module = CoherenceAWSModule(argument_spec=wait_argument_spec(
        cluster=dict(type="str", required=True),
        task_definition=dict(type="str", required=True),
        capacity_provider=dict(type="str", choices=["FARGATE", "FARGATE_SPOT"], default="FARGATE"),
        subnets=dict(type="list", elements="str", required=True),
        security_groups=dict(type="list", elements="str", required=True),
        command=dict(type="list", elements="str"),
        wait=dict(type="bool", default=True),
        poll_interval=dict(type="int", default=6),
        tags=dict(type="dict"),
    ), supports_check_mode=True)
    module.run(lambda: run(module), "ECS RunTask request failed")


if __name__ == "__main__":
    main()
