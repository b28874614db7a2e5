# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling for states botocore has no waiter for (or one that treats throttling as success)."""

import time


class WaitTimeout(Exception):
    def __init__(self, last):
        super(WaitTimeout, self).__init__("timed out")
        self.last = last


def poll(read, done, timeout, delay=5, failed=None):
    """Call read() until done(value) is true; return that value.

    failed(value) returning a message stops early with ValueError(message). A timeout raises
    WaitTimeout carrying the last value read. read() is expected to carry its own retries
    (AWSRetry.jittered_backoff) so throttling is retried, never taken as a state.
    """
    deadline = time.time() + timeout
    while True:
        value = read()
        if done(value):
            return value
        message = failed(value) if failed else None
        if message:
            raise ValueError(message)
        if time.time() + delay > deadline:
            raise WaitTimeout(value)
        time.sleep(delay)


def wait_for_status(module, read, label, gone=False, failed_statuses=(), delay=10):
    """Wait until read() returns a resource whose Status is 'available' (or, with gone, None);
    fail the task on a status in failed_statuses or at module.params['wait_timeout']."""
    try:
        return poll(read, (lambda r: r is None) if gone else (lambda r: r is not None and r["Status"] == "available"),
                    timeout=module.params["wait_timeout"], delay=delay,
                    failed=None if gone else lambda r: "%s is %s" % (label, r["Status"])
                    if r and r["Status"] in failed_statuses else None)
    except WaitTimeout as exc:
        module.fail_json(msg="%s did not become %s within %d seconds (now %s)" % (
            label, "gone" if gone else "available", module.params["wait_timeout"],
            exc.last["Status"] if exc.last else "gone"))
    except ValueError as exc:
        module.fail_json(msg=str(exc))
