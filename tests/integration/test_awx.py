# -*- coding: utf-8 -*-
"""AWX and Automation Platform run playbooks with ansible-runner and show its events: the
shared demo deploy (fixture demo_review) goes through it, and these tests read what a job's
page would show. The first run: every task ok, changed or skipped, no warning. A second run of
the same job on the same environment: nothing changed."""

from __future__ import annotations

import re

from support import assert_ok, runner_playbook, venv_bin

# Failures a run tolerates on purpose (ignore_errors), by task name: none today. A task that
# probes by failing would go here, named, rather than the test accepting any ignored failure.
IGNORED_FAILURES = frozenset()

WARNING = re.compile(r"\[(DEPRECATION )?WARNING\]")


def _task(event):
    data = event["event_data"]
    return "%s (%s)" % (data.get("task"), data.get("task_path") or data.get("task_action"))


def test_the_demo_deploy_through_ansible_runner_is_clean(demo_review):
    run = demo_review["first"]
    assert (run.status, run.returncode) == ("successful", 0), run
    # ansible-playbook from the checkout's own .venv, as tools/test and playbook() run it.
    assert run.executable == venv_bin("ansible-playbook"), (run.command, run.executable)
    names = {e["event"] for e in run.events}
    assert {"playbook_on_start", "playbook_on_task_start", "runner_on_ok", "playbook_on_stats"} <= names, names
    host_events = [e for e in run.events if e["event"].startswith("runner_on_")]
    # runner_on_ok covers "changed" too (res.changed); anything else is a failure or unreachable.
    bad = [(e["event"], _task(e)) for e in host_events
           if e["event"] not in ("runner_on_start", "runner_on_ok", "runner_on_skipped")
           and not (e["event"] == "runner_on_failed" and e["event_data"].get("ignore_errors")
                    and e["event_data"].get("task") in IGNORED_FAILURES)]
    assert not bad, bad
    # Items of a loop fail inside a task only where that task fails: checked above, but say which.
    assert not [_task(e) for e in run.events if e["event"] in ("runner_item_on_failed", "runner_on_async_failed")]
    stats = run.stats
    assert stats["failures"] == {} and stats["dark"] == {}, stats
    assert stats["ok"].get("localhost", 0) > 0 and stats["processed"] == {"localhost": 1}, stats
    assert set(stats["ignored"]) <= ({"localhost"} if IGNORED_FAILURES else set()), stats
    # A clean run prints no warning: in AWX they are the job output's yellow lines nobody reads.
    warnings = [line for e in run.events for line in (e.get("stdout") or "").splitlines() if WARNING.search(line)]
    assert not warnings, warnings


def test_second_run_through_ansible_runner_changes_nothing(demo_review, tmp_path):
    """The same job launched again (same variables and environment, its own private data
    directory, as AWX gives each job): every task ok or skipped, changed=0."""
    second = assert_ok(runner_playbook("site", str(tmp_path), demo_review["environ"], demo_review["extravars"]))
    assert second.status == "successful", second
    changed = [_task(e) for e in second.events if e["event"] == "runner_on_ok" and e["event_data"]["res"].get("changed")]
    assert not changed, changed
    assert second.stats["changed"].get("localhost", 0) == 0 and second.stats["failures"] == {}, second.stats
    assert not [_task(e) for e in second.events if e["event"] in ("runner_on_failed", "runner_on_unreachable")]
