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
        self._final = []

    def line_of(self, path):
        """The line of path, or of its nearest parent that has one (0 if none)."""
        while path and path not in self.lines:
            parent = _LAST_STEP.sub("", path)
            path = parent if parent != path else ""
        return self.lines.get(path, 0)

    def error(self, path, message, line=None, final=False):
        """Record a problem at path.  ``final``: nothing more is said about path or below it
        (its value could not be read, so any further problem there would be a knock-on)."""
        if self.reported(path):
            return
        if final:
            self._final.append(path)
        line = line or self.line_of(path)
        self.errors.append("%s%s: %s" % (path or "(top level)", " (line %d)" % line if line else "", message))
        self._order.append(line)

    def reported(self, path):
        """True when a problem already covers path (it is, or is under, a path marked final)."""
        return any(path == p or path.startswith(p + ".") or path.startswith(p + "[") or not p
                   for p in self._final)

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
        """Record an unknown key; return the allowed key it is probably a misspelling of (or None)."""
        close = difflib.get_close_matches(str(key), list(allowed), n=1)
        hint = " (did you mean '%s'?)" % close[0] if close else ""
        self.error(path_join(path, key), "unknown key%s; allowed here: %s" % (hint, ", ".join(sorted(allowed))))
        return close[0] if close else None

    def finish(self):
        for reason, paths in self._unused.items():
            self.warn("not used on AWS (%s): %s" % (reason, ", ".join(paths)))
        if self.errors:
            # In file order; settings problems (no line) first.
            ranked = sorted(zip(self._order, range(len(self.errors)), self.errors))
            raise CoherenceConfigError(self.source, [text for _line, _i, text in ranked])


# The tags YAML gives plain values; coherence.yml uses no other (a tag such as !Ref or
# !!python/object belongs to another format, and dropping it silently would change the meaning).
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = set(_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge"))


def load(text, source="coherence.yml"):
    """Parse YAML text; return a Located.

    A syntax error raises at once with its line.  Duplicate keys, tags, keys that are lists or
    mappings and values YAML cannot build are recorded as located problems, reported with the
    others by Located.finish(); the value at such a path is the text as written (or None).
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = " at line %d, column %d" % (mark.line + 1, mark.column + 1) if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CoherenceConfigError(source, ["YAML syntax error%s: %s" % (where, problem)])
    except (ValueError, TypeError, RecursionError) as exc:
        # Reader/scanner failures that PyYAML does not wrap (a document nested too deeply).
        raise CoherenceConfigError(source, ["YAML that cannot be read: %s" % (exc,)])
    reader = _Reader(yaml.SafeLoader(""))
    try:
        data = reader.build(node, "") if node is not None else None
    except RecursionError:
        raise CoherenceConfigError(source, ["YAML that cannot be read: nested too deeply"])
    except _TooLarge:
        raise CoherenceConfigError(source, ["YAML that cannot be read: its aliases expand to more than %d values"
                                            % _Reader.MAX_VALUES])
    doc = Located(source, data, reader.lines)
    for path, line, message, final in reader.problems:
        doc.error(path, message, line=line, final=final)
    return doc


class _TooLarge(Exception):
    pass


class _Reader(object):
    """Builds plain Python values from the node tree, recording the line of every key path."""

    # Aliases can repeat a node many times over ('billion laughs'); no real file comes near this.
    MAX_VALUES = 100000

    def __init__(self, constructor):
        self.constructor = constructor
        self.lines = {}
        self.problems = []
        self.count = 0

    def build(self, node, path):
        self.count += 1
        if self.count > self.MAX_VALUES:
            raise _TooLarge()
        if node.start_mark is not None and path not in self.lines:
            self.lines[path] = node.start_mark.line + 1
        line = node.start_mark.line + 1
        if node.tag not in _ALLOWED_TAGS:
            self.problems.append((path, line, "the YAML tag %s is not part of coherence.yml; remove it"
                                  % _tag(node.tag), True))
            if isinstance(node, yaml.ScalarNode):
                return node.value
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path_join(path, i)) for i, item in enumerate(node.value)]
        if node.tag not in _ALLOWED_TAGS:
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            what = {"int": "a whole number", "float": "a number", "bool": "true or false", "null": "null",
                    "timestamp": "a date"}.get(node.tag[len(_CORE):], "valid")
            self.problems.append((path, line, "%r is not %s (%s)" % (node.value, what, _tag(node.tag)), True))
            return node.value

    def _mapping(self, node, path):
        try:
            self.constructor.flatten_mapping(node)  # resolves '<<' merge keys
        except yaml.YAMLError as exc:
            self.problems.append((path, node.start_mark.line + 1, "cannot merge: %s" % _short(exc), True))
            return {}
        out = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append((path, line, "a key must be a name, not a %s" % (
                    "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"), False))
                continue
            # Keys are names as written: `yes`, `1` or `null` name a service, not a boolean,
            # a list index or nothing.
            key = key_node.value
            child = path_join(path, key)
            if key_node.tag not in _ALLOWED_TAGS:
                self.problems.append((child, line, "the YAML tag %s is not part of coherence.yml; remove it"
                                      % _tag(key_node.tag), False))
            if key in out:
                self.problems.append((child, line, "duplicate key; YAML would silently keep only the last one", False))
            self.lines[child] = line
            out[key] = self.build(value_node, child)
        return out


def _tag(tag):
    """A tag as written: !!int, !!python/object:os.system, !Ref."""
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


def _short(exc):
    text = getattr(exc, "problem", None) or str(exc)
    return text.splitlines()[0] if text else type(exc).__name__
