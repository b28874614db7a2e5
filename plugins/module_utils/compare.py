# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Comparing what a task asks for with what AWS answers, for APIs that take a whole structure
and add their own defaults to it (CodeBuild projects, CodePipeline pipelines)."""


def covers(have, want):
    """Whether `have` (as AWS describes it) already holds everything `want` sets: dicts key by
    key (keys AWS added are ignored), lists item by item in order, anything else equal."""
    if isinstance(want, dict):
        return isinstance(have, dict) and all(covers(have.get(k), v) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(have, list) and len(have) == len(want) and all(covers(h, w) for h, w in zip(have, want))
    if isinstance(want, (int, float)) and not isinstance(want, bool) and isinstance(have, str):
        return str(want) == have
    return have == want


def wanted_tags(have, tags, purge):
    """The tags a resource should end with: `tags`, plus its `aws:` ones, plus (without purge)
    the ones it has; None when the task leaves tags alone."""
    if tags is None:
        return None
    kept = dict((k, v) for k, v in (have or {}).items() if k.startswith("aws:") or not purge)
    return dict(kept, **tags)
