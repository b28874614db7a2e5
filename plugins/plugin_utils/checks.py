# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generic checkers of coherence.yml values: each records a located problem and returns a usable value.

Each takes the Located document and the key path, records an error there when the value is
wrong, and returns the value (or None) so checking goes on and every problem is reported.
"""

from __future__ import annotations

import re

from . import normalize
from .names import slug
from .source import path_join

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
PATH_RE = re.compile(r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$")


def kind(value):
    return {dict: "mapping", list: "list", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def mapping(doc, path, value, allowed, required=(), open_keys=False):
    if not isinstance(value, dict):
        doc.error(path, "must be a mapping with keys %s, got a %s" % (", ".join(sorted(allowed)), kind(value)))
        return False
    ok = True
    if not open_keys:
        for key in value:
            if key not in allowed:
                doc.unknown_key(path, key, allowed)
                ok = False
    for key in sorted(required):
        if value.get(key) is None:
            doc.error(path_join(path, key), "required")
            ok = False
    return ok


def string(doc, path, value, default=None):
    if value is None:
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        doc.error(path, "must be a non-empty string, got %s" % (repr(value) if isinstance(value, str) else "a " + kind(value)))
        return None
    return value


def str_list(doc, path, value):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        doc.error(path, "must be a list of strings, got a %s" % kind(value))
        return []
    return list(value)


def whole_number(doc, path, value, minimum=None, optional=False):
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        doc.error(path, "must be a whole number, got %r" % (value,))
        return None
    if minimum is not None and value < minimum:
        doc.error(path, "must be at least %d, got %d" % (minimum, value))
        return None
    return value


def boolean(doc, path, value):
    if not isinstance(value, bool):
        doc.error(path, "must be true or false, got %r" % (value,))
        return None
    return value


def command(doc, path, value, required=False):
    if value is None or value == []:
        if required:
            doc.error(path, "required: a command (a list of words or one string)")
        return None
    cmd = convert(doc, path, value, normalize.command)
    if cmd and any(q in cmd["shell"] for q in ("\u201c", "\u201d", "\u2018", "\u2019")):
        doc.warn("%s: contains typographic quotes (\u201c \u201d); a shell will not treat them as quotes" % path)
    return cmd


def convert(doc, path, value, func):
    try:
        return func(value)
    except ValueError as exc:
        doc.error(path, str(exc))
        return None


def items(doc, path, value, shape):
    """(path, item) for each item of a list; an error when value is there but not a list."""
    if value is None:
        return []
    if not isinstance(value, list):
        doc.error(path, "must be a list of %s, got a %s" % (shape, kind(value)))
        return []
    return [(path_join(path, i), item) for i, item in enumerate(value)]


def unique_slugs(doc, items, what):
    seen = {}
    for item in items:
        key = slug(item["name"])
        if key in seen:
            doc.error(item["path"] + ".name", "%s name %r clashes with %r (names must differ after lowercasing "
                      "and turning other characters into -)" % (what, item["name"], seen[key]))
        seen[key] = item["name"]
