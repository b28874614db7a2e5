#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: codepipeline_execution
short_description: Start an AWS CodePipeline execution and follow it to its end
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Starts an execution of a pipeline and, with O(wait), polls it until it succeeds, fails or is
    stopped. A failed execution fails the task, naming the failing stage and action, its summary
    and the link to its log.
  - With O(execution_id), follows that execution instead of starting one; with O(known_stages)
    too, it returns as soon as a stage's status differs from those, so that a loop of tasks can
    print each stage's state as it changes (the build role's C(ship) does).
options:
  name:
    description: The pipeline's name.
    type: str
    required: true
  execution_id:
    description: An execution to follow (nothing is started; the task reports no change).
    type: str
  known_stages:
    description:
      - With O(execution_id) and O(wait), the stages as last seen (RV(stages) of the previous call);
        the task returns when one's status changes, or when the execution ends.
    type: list
    elements: dict
  wait:
    description: Follow the execution to its end; V(false) returns at once with its id.
    type: bool
    default: true
  poll_interval:
    description: Seconds between two reads of the execution.
    type: int
    default: 15
extends_documentation_fragment: [coherence.aws.common, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
notes:
  - Changed when it starts an execution (not when it follows one); in check mode nothing is started.
  - The embedded AWS (moto) runs no pipeline; its executions succeed at once, and it lacks
    C(GetPipelineState), so no stage detail is returned there.
"""

EXAMPLES = r"""
- name: Ship what was uploaded
  coherence.aws.codepipeline_execution:
    name: shop-review
    wait_timeout: 3600
  register: shipped

- name: Or start it, then follow it one stage change at a time
  coherence.aws.codepipeline_execution:
    name: shop-review
    wait: false
  register: run
- name: Until the next stage change
  coherence.aws.codepipeline_execution:
    name: shop-review
    execution_id: "{{ run.execution_id }}"
    known_stages: "{{ run.stages }}"
  register: run
"""

RETURN = r"""
execution_id:
  description: The execution's id (none in check mode, unless given).
  returned: always
  type: str
status:
  description: C(InProgress) (without O(wait), or at a stage change), C(Succeeded), C(Failed), C(Stopped), C(Superseded), ...
  returned: always
  type: str
stages:
  description: Each stage's name and latest status, as GetPipelineState returns them (empty where it is not available).
  returned: always
  type: list
  elements: dict
"""

import time

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule
from ansible_collections.coherence.aws.plugins.module_utils.modules import wait_argument_spec

RUNNING = ("InProgress", "Stopping")


def stage_states(client, name):
    try:
        states = client.get_pipeline_state(aws_retry=True, name=name).get("stageStates", [])
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError):
        return []  # not available (the embedded AWS lacks it): the execution's status says enough
    out = []
    for stage in states:
        latest = stage.get("latestExecution") or {}
        actions = [{"name": a.get("actionName"), "status": (a.get("latestExecution") or {}).get("status"),
                    "summary": (a.get("latestExecution") or {}).get("summary"),
                    "log": (a.get("latestExecution") or {}).get("externalExecutionUrl")}
                   for a in stage.get("actionStates", [])]
        out.append({"name": stage.get("stageName"), "status": latest.get("status"), "actions": actions})
    return out


def failure(stages):
    for stage in stages:
        for action in stage["actions"]:
            if action["status"] == "Failed":
                return "stage %s, action %s failed: %s (log: %s)" % (
                    stage["name"], action["name"], action["summary"] or "no summary", action["log"])
    return "no stage detail available"


def _statuses(stages):
    return [(stage.get("name"), stage.get("status")) for stage in stages or []]


def run(module, client):
    name, execution_id = module.params["name"], module.params["execution_id"]
    if module.check_mode:
        module.exit_json(changed=not execution_id, execution_id=execution_id, status=None, stages=[])
    if not execution_id:
        execution_id = client.start_pipeline_execution(aws_retry=True, name=name)["pipelineExecutionId"]
    # Following one stage change at a time: return once the stages differ from those known.
    known = _statuses(module.params["known_stages"]) if module.params["known_stages"] is not None else None
    status, stages = "InProgress", None
    deadline = time.time() + module.params["wait_timeout"]
    while module.params["wait"]:
        status = client.get_pipeline_execution(aws_retry=True, pipelineName=name, pipelineExecutionId=execution_id)[
            "pipelineExecution"]["status"]
        if status not in RUNNING:
            break
        if known is not None:
            stages = stage_states(client, name)
            if _statuses(stages) != known:
                break
        if time.time() > deadline:
            module.fail_json(msg="pipeline %s, execution %s still %s after %d s" % (
                name, execution_id, status, module.params["wait_timeout"]), execution_id=execution_id, status=status,
                stages=stage_states(client, name))
        time.sleep(module.params["poll_interval"])
    if status not in RUNNING or stages is None:
        stages = stage_states(client, name)
    if module.params["wait"] and status not in RUNNING and status != "Succeeded":
        module.fail_json(msg="pipeline %s, execution %s %s: %s" % (name, execution_id, status, failure(stages)),
                         execution_id=execution_id, status=status, stages=stages)
    module.exit_json(changed=not module.params["execution_id"], execution_id=execution_id, status=status, stages=stages)


def main():
    module = CoherenceAWSModule(argument_spec=wait_argument_spec(
        name=dict(type="str", required=True), wait=dict(type="bool", default=True),
        execution_id=dict(type="str"), known_stages=dict(type="list", elements="dict"),
        poll_interval=dict(type="int", default=15)), supports_check_mode=True)
    client = module.client("codepipeline", retry_decorator=AWSRetry.jittered_backoff())
    module.run(lambda: run(module, client), "CodePipeline request failed")


if __name__ == "__main__":
    main()
