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
