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
options:
  name:
    description: The pipeline's name.
    type: str
    required: true
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
  - Always changed (an execution is started); in check mode nothing is started.
  - The embedded AWS (moto) runs no pipeline; its executions succeed at once, and it lacks
    C(GetPipelineState), so no stage detail is returned there.
"""

EXAMPLES = r"""
- name: Ship what was uploaded
  coherence.aws.codepipeline_execution:
    name: shop-review
    wait_timeout: 3600
  register: shipped
"""

RETURN = r"""
execution_id:
  description: The execution's id (none in check mode).
  returned: always
  type: str
status:
  description: C(InProgress) (without O(wait)), C(Succeeded), C(Failed), C(Stopped), C(Superseded), ...
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


def run(module, client):
    name = module.params["name"]
    if module.check_mode:
        module.exit_json(changed=True, execution_id=None, status=None, stages=[])
    execution_id = client.start_pipeline_execution(aws_retry=True, name=name)["pipelineExecutionId"]
    status = "InProgress"
    deadline = time.time() + module.params["wait_timeout"]
    while module.params["wait"]:
        status = client.get_pipeline_execution(aws_retry=True, pipelineName=name, pipelineExecutionId=execution_id)[
            "pipelineExecution"]["status"]
        if status not in RUNNING:
            break
        if time.time() > deadline:
            module.fail_json(msg="pipeline %s, execution %s still %s after %d s" % (
                name, execution_id, status, module.params["wait_timeout"]), execution_id=execution_id, status=status,
                stages=stage_states(client, name))
        time.sleep(module.params["poll_interval"])
    stages = stage_states(client, name)
    if module.params["wait"] and status != "Succeeded":
        module.fail_json(msg="pipeline %s, execution %s %s: %s" % (name, execution_id, status, failure(stages)),
                         execution_id=execution_id, status=status, stages=stages)
    module.exit_json(changed=True, execution_id=execution_id, status=status, stages=stages)


def main():
    module = CoherenceAWSModule(argument_spec=wait_argument_spec(
        name=dict(type="str", required=True), wait=dict(type="bool", default=True),
        poll_interval=dict(type="int", default=15)), supports_check_mode=True)
    client = module.client("codepipeline", retry_decorator=AWSRetry.jittered_backoff())
    module.run(lambda: run(module, client), "CodePipeline request failed")


if __name__ == "__main__":
    main()
