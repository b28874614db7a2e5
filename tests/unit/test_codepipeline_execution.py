# -*- coding: utf-8 -*-
"""codepipeline_execution's follow loop against execution states set here: the embedded AWS
(moto) runs no pipeline and its executions succeed at once, so the states a real execution goes
through (InProgress, then Succeeded or Failed with a failing action) are played by a client
that answers them in order."""

from __future__ import annotations

import pytest

from ansible_collections.coherence.aws.plugins.modules import codepipeline_execution as mod


class Exit(Exception):
    def __init__(self, failed, **result):
        super(Exit, self).__init__(result.get("msg"))
        self.failed, self.result = failed, result


class Module(object):
    def __init__(self, check_mode=False, **params):
        self.check_mode = check_mode
        self.params = dict(name="shop-review", wait=True, wait_timeout=60, poll_interval=0, execution_id=None,
                           known_stages=None)
        self.params.update(params)

    def exit_json(self, **result):
        raise Exit(False, **result)

    def fail_json(self, **result):
        raise Exit(True, **result)


class Client(object):
    """Answers the execution's statuses in order (the last one repeats) and a stage state."""

    def __init__(self, statuses, stages=None):
        self.statuses, self.stages, self.calls = list(statuses), stages, []

    def start_pipeline_execution(self, aws_retry, name):
        self.calls.append("start")
        return {"pipelineExecutionId": "e-1"}

    def get_pipeline_execution(self, aws_retry, pipelineName, pipelineExecutionId):
        self.calls.append("get")
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return {"pipelineExecution": {"status": status}}

    def get_pipeline_state(self, aws_retry, name):
        self.calls.append("state")
        stages = self.stages.pop(0) if self.stages and isinstance(self.stages[0], list) else self.stages
        return {"stageStates": stages or []}


FAILED_STAGES = [
    {"stageName": "Build", "latestExecution": {"status": "Succeeded"},
     "actionStates": [{"actionName": "api", "latestExecution": {"status": "Succeeded"}}]},
    {"stageName": "Migrate", "latestExecution": {"status": "Failed"},
     "actionStates": [{"actionName": "migrate", "latestExecution": {
         "status": "Failed", "summary": "Build terminated with state: FAILED",
         "externalExecutionUrl": "https://console.aws.amazon.com/codesuite/codebuild/projects/shop-review-migrate"}}]},
]


def run(module, client):
    with pytest.raises(Exit) as done:
        mod.run(module, client)
    return done.value


def test_follows_until_it_succeeds():
    client = Client(["InProgress", "InProgress", "Succeeded"], [
        {"stageName": "Source", "latestExecution": {"status": "Succeeded"}, "actionStates": []}])
    done = run(Module(), client)
    assert not done.failed and done.result["status"] == "Succeeded" and done.result["execution_id"] == "e-1"
    assert client.calls == ["start", "get", "get", "get", "state"]
    assert done.result["stages"] == [{"name": "Source", "status": "Succeeded", "actions": []}]


def test_a_failed_execution_names_its_stage_action_summary_and_log():
    done = run(Module(), Client(["InProgress", "Failed"], FAILED_STAGES))
    assert done.failed and done.result["status"] == "Failed"
    assert done.result["msg"] == (
        "pipeline shop-review, execution e-1 Failed: stage Migrate, action migrate failed: Build terminated with "
        "state: FAILED (log: https://console.aws.amazon.com/codesuite/codebuild/projects/shop-review-migrate)")


def test_still_running_at_the_deadline_fails_with_what_it_waited_for():
    done = run(Module(wait_timeout=0), Client(["InProgress"]))
    assert done.failed and done.result["msg"] == "pipeline shop-review, execution e-1 still InProgress after 0 s"


def test_without_wait_it_returns_at_once_and_check_mode_starts_nothing():
    client = Client(["Succeeded"])
    done = run(Module(wait=False), client)
    assert not done.failed and done.result["status"] == "InProgress" and client.calls == ["start", "state"]
    client = Client(["Succeeded"])
    done = run(Module(check_mode=True), client)
    assert done.result["changed"] is True and done.result["execution_id"] is None and client.calls == []


def stage(name, status):
    return {"stageName": name, "latestExecution": {"status": status}, "actionStates": []}


def test_following_an_execution_returns_at_each_stage_change_and_starts_nothing():
    client = Client(["InProgress"], [[stage("Source", "Succeeded"), stage("Build", "Succeeded")],
                                     [stage("Source", "Succeeded"), stage("Build", "Succeeded")],
                                     [stage("Source", "Succeeded"), stage("Build", "InProgress")]])
    known = [{"name": "Source", "status": "Succeeded"}, {"name": "Build", "status": "Succeeded"}]
    done = run(Module(execution_id="e-7", known_stages=known), client)
    assert not done.failed and done.result["changed"] is False and done.result["execution_id"] == "e-7"
    assert done.result["status"] == "InProgress"
    assert [(s["name"], s["status"]) for s in done.result["stages"]] == [("Source", "Succeeded"), ("Build", "InProgress")]
    assert "start" not in client.calls and client.calls == ["get", "state", "get", "state", "get", "state"]


def test_following_fails_naming_the_failed_action_when_the_execution_fails():
    done = run(Module(execution_id="e-7", known_stages=[]), Client(["Failed"], FAILED_STAGES))
    assert done.failed and "stage Migrate, action migrate failed" in done.result["msg"]
