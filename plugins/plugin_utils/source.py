# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading coherence.yml: YAML with the line of every key, and problems with their key paths."""

from __future__ import annotations

import difflib
import re

import yaml


_LAST_STEP = re.compile(r"(\.[^.\[]+|\[\d+\])$")


class CoherenceConfigError(ValueError):
    """A coherence.yml (or its settings) that cannot be deployed; carries every problem found."""

    def __init__(self, source, problems):
        self.source = source
        self.problems = list(problems)
        super().__init__(self.format())

    def format(self):
        count = len(self.problems)
        head = "%s: %d problem%s found, nothing was changed:" % (self.source, count, "" if count == 1 else "s")
        return "\n".join([head] + ["  - " + p for p in self.problems])


def path_join(path, key):
    if isinstance(key, int):
        return "%s[%d]" % (path, key)
    key = str(key)
    return key if not path else "%s.%s" % (path, key)


class Located(object):
    """The parsed document plus the line of each key path, and the problems found so far."""

    def __init__(self, source, data, lines):
        self.source = source
        self.data = data
        self.lines = lines
        self.errors = []
        self.warnings = []
        self._unused = {}
        self._order = []

    def line_of(self, path):
        """The line of path, or of its nearest parent that has one (0 if none)."""
        while path and path not in self.lines:
            parent = _LAST_STEP.sub("", path)
            path = parent if parent != path else ""
        return self.lines.get(path, 0)

    def error(self, path, message):
        line = self.line_of(path)
        self.errors.append("%s%s: %s" % (path or "(top level)", " (line %d)" % line if line else "", message))
        self._order.append(line)

    def setting(self, name, message):
        """A problem with a playbook variable rather than the file."""
        self.errors.append("%s (playbook variable): %s" % (name, message))
        self._order.append(0)

    def warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)

    def unused(self, reason, path):
        """Record a key that is accepted but has no effect on AWS; reported once per reason."""
        self._unused.setdefault(reason, [])
        if path not in self._unused[reason]:
            self._unused[reason].append(path)

    def unknown_key(self, path, key, allowed):
        close = difflib.get_close_matches(str(key), list(allowed), n=1)
        hint = " (did you mean '%s'?)" % close[0] if close else ""
        self.error(path_join(path, key), "unknown key%s; allowed here: %s" % (hint, ", ".join(sorted(allowed))))

    def finish(self):
        for reason, paths in self._unused.items():
            self.warn("not used on AWS (%s): %s" % (reason, ", ".join(paths)))
        if self.errors:
            # In file order; settings problems (no line) first.
            ranked = sorted(zip(self._order, range(len(self.errors)), self.errors))
            raise CoherenceConfigError(self.source, [text for _line, _i, text in ranked])


def load(text, source="coherence.yml"):
    """Parse YAML text; return a Located.  Syntax errors and duplicate keys raise with their line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = " at line %d, column %d" % (mark.line + 1, mark.column + 1) if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CoherenceConfigError(source, ["YAML syntax error%s: %s" % (where, problem)])
    lines = {}
    duplicates = []
    constructor = yaml.SafeLoader("")
    data = _construct(constructor, node, "", lines, duplicates) if node is not None else None
    if duplicates:
        raise CoherenceConfigError(source, duplicates)
    return Located(source, data, lines)


def _construct(constructor, node, path, lines, duplicates):
    if node.start_mark is not None and path not in lines:
        lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        constructor.flatten_mapping(node)  # resolves '<<' merge keys
        out = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            child = path_join(path, key)
            if key in out:
                duplicates.append("%s (line %d): duplicate key; YAML would silently keep only the last one"
                                  % (child, key_node.start_mark.line + 1))
            lines[child] = key_node.start_mark.line + 1
            out[key] = _construct(constructor, value_node, child, lines, duplicates)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(constructor, item, path_join(path, i), lines, duplicates)
                for i, item in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)
