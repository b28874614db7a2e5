# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conversions from coherence.yml values to what AWS accepts.

Each function takes the user's value and returns the AWS value, raising ``ValueError`` with a
message that says what is allowed; the caller adds the key path.
"""

from __future__ import annotations

import math
import re

# --------------------------------------------------------------------------- Fargate sizes
# Valid task sizes (cpu units -> memory MiB choices), from the ECS developer guide
# "Task CPU and memory" table for Fargate on Linux.
FARGATE_SIZES = {
    256: [512, 1024, 2048],
    512: list(range(1024, 4096 + 1, 1024)),
    1024: list(range(2048, 8192 + 1, 1024)),
    2048: list(range(4096, 16384 + 1, 1024)),
    4096: list(range(8192, 30720 + 1, 1024)),
    8192: list(range(16384, 61440 + 1, 4096)),
    16384: list(range(32768, 122880 + 1, 8192)),
}
_MEMORY_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B?|[kmgt]i?b?)?\s*$")
_MEMORY_UNITS = {"k": 1.0 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}


def parse_memory(value):
    """`2G`, `512M`, `1.5Gi`, `2048` (MiB) -> MiB (int, rounded up)."""
    if isinstance(value, bool):
        raise ValueError("must be a size like 512M or 2G")
    if isinstance(value, (int, float)):
        mib = _finite(value, "a size like 512M or 2G")
    else:
        match = _MEMORY_RE.match(str(value))
        if not match:
            raise ValueError("must be a size like 512M or 2G, got %r" % (value,))
        unit = (match.group(2) or "m")[0].lower()
        mib = _finite(match.group(1), "a size like 512M or 2G") * _MEMORY_UNITS[unit]
    if mib <= 0:
        raise ValueError("must be greater than zero")
    if mib > _MAX_MIB:
        raise ValueError("%s is more memory than any Fargate task has (120 GiB)" % (value,))
    return int(math.ceil(mib))


def parse_cpu(value):
    """vCPU (1, 0.5, '2') -> CPU units (int, rounded up)."""
    if isinstance(value, bool):
        raise ValueError("must be a number of vCPU such as 0.25, 0.5, 1, 2, 4, 8 or 16")
    vcpu = _finite(value, "a number of vCPU such as 0.25, 0.5, 1, 2, 4, 8 or 16")
    if vcpu <= 0:
        raise ValueError("must be greater than zero")
    if vcpu > _MAX_VCPU:
        raise ValueError("%s vCPU is more than any Fargate task has (16 vCPU)" % (value,))
    return int(math.ceil(vcpu * 1024))


# Far above any Fargate size; bounds keep arithmetic on user numbers finite.
_MAX_VCPU = 1024
_MAX_MIB = 1024 * 1024 * 1024


def _finite(value, what):
    """float(value) for a finite number; ValueError naming what is wanted otherwise (.nan, .inf, 1e400)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError("must be %s, got %s" % (what, _shown(value)))
    if not math.isfinite(number):
        raise ValueError("must be %s, got %s" % (what, _shown(value)))
    return number


def _shown(value):
    """A user's value in a message, cut when very long (a 400-digit number)."""
    text = repr(value) if isinstance(value, str) else str(value) if not isinstance(value, float) else "%g" % value
    return text if len(text) <= 40 else text[:20] + "..." + text[-8:]


def fargate_size(cpu=None, memory=None):
    """The smallest valid Fargate (cpu units, memory MiB) that gives at least what was asked.

    Returns ``(cpu, memory, note)``; ``note`` says what was rounded, or is None.
    """
    asked_cpu = cpu if cpu is not None else 1  # shown as written: 0.1, not the 0.100586 of its units
    want_cpu = parse_cpu(asked_cpu)
    want_mem = parse_memory(memory) if memory is not None else None
    for units in sorted(FARGATE_SIZES):
        if units < want_cpu:
            continue
        choices = FARGATE_SIZES[units]
        if want_mem is None:
            mem = choices[0]
        else:
            fitting = [m for m in choices if m >= want_mem]
            if not fitting:
                continue
            mem = fitting[0]
        note = None
        if units != want_cpu or (want_mem is not None and mem != want_mem):
            note = "%s vCPU / %s is not a Fargate size; using %s vCPU / %s MiB" % (
                "%g" % float(asked_cpu), "%s MiB" % want_mem if want_mem else "default memory",
                _fmt_vcpu(units), mem)
        return units, mem, note
    raise ValueError(
        "%s vCPU with %s is larger than the largest Fargate task (16 vCPU, 120 GiB)"
        % ("%g" % float(asked_cpu), "%s MiB" % want_mem if want_mem else "default memory"))


def _fmt_vcpu(units):
    return "%g" % (units / 1024.0)


# --------------------------------------------------------------------------- cron
_DOW_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
_MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_MACROS = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
# (field name, low, high, names, EventBridge's low): a field's values as cron numbers them.
_FIELDS = [
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day of month", 1, 31, None),
    ("month", 1, 12, _MONTH_NAMES),
    ("day of week", 0, 7, _DOW_NAMES),
]
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29 February: leap years
_PART_RE = re.compile(r"^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:/(\d+))?$")


def cron_field(text, index):
    """The set of values one cron field selects (day of week: 0-6, Sunday 0), as cron reads it.

    ``*/n`` and ``a-b/n`` step through the range; ``a/n`` steps from a to the field's end (day of
    week: to Saturday, as croniter and Vixie cron's successors read it).  Names in any case.
    """
    fname, low, high, names = _FIELDS[index]
    top = 6 if fname == "day of week" else high
    values = set()
    for part in text.split(","):
        match = _PART_RE.match(part)
        if not match:
            raise ValueError("%s field %r is not valid cron" % (fname, text))
        rng, step = match.group(1), match.group(2)
        if rng == "*":
            start, end = low, top
        else:
            bounds = [_value(b, low, high, names, fname) for b in rng.split("-")]
            start, end = bounds[0], bounds[-1]
            if start > end:
                raise ValueError("%s range %r goes backwards" % (fname, rng))
            if step is not None and len(bounds) == 1:
                start, end = start % (top + 1), top  # 'a/n': from a to the end of the field (7/n: Sunday on)
        if step is not None and not 1 <= int(step) <= high:
            raise ValueError("%s step %s must be from 1 to %d" % (fname, step, high))
        values.update(range(start, end + 1, int(step) if step else 1))
    if fname == "day of week":
        values = set(v % 7 for v in values)  # 7 is Sunday too
    return values


def _value(token, low, high, names, fname):
    if token.isdigit():
        number = int(token)
        if not low <= number <= high:
            raise ValueError("%s %s is out of range %d-%d" % (fname, number, low, high))
        return number
    if names and token.upper() in names:
        index = names.index(token.upper())
        return index if fname == "day of week" else index + 1
    raise ValueError("%s value %r is not valid" % (fname, token))


def cron_to_eventbridge(expression):
    """A 5-field cron expression (or @daily-style macro) -> EventBridge ``cron(...)``.

    Each field is expanded as cron reads it and written in the forms EventBridge documents
    (``*``, ``a/n``, lists of values and ranges; day of week 1-7 from Sunday; ``?`` in the day
    field not used), so the rule fires at the same minutes as cron would.  EventBridge cannot
    say "this day of month or that day of week" (cron's rule when both are set): rejected.
    """
    if not isinstance(expression, str):
        raise ValueError("must be a 5-field cron expression such as '30 4 * * *'")
    text = _MACROS.get(expression.strip().lower(), expression.strip())
    fields = text.split()
    if len(fields) != 5:
        raise ValueError(
            "must be a 5-field cron expression (minute hour day-of-month month day-of-week), got %r"
            % expression)
    sets = [cron_field(f, i) for i, f in enumerate(fields)]
    minute, hour, dom, month, dow = sets
    dom_all, dow_all = dom == set(range(1, 32)), dow == set(range(7))
    # cron: when either day field starts with '*', a day must match both; otherwise either.
    if fields[2].startswith("*") or fields[4].startswith("*"):
        by_week = dom_all and not dow_all
        if not dom_all and not dow_all:
            raise ValueError("restricts both day of month (%s) and day of week (%s); EventBridge can schedule on "
                             "one of them only, so set the other to *" % (fields[2], fields[4]))
    else:
        if not dom_all and not dow_all:
            raise ValueError("sets both day of month (%s) and day of week (%s); EventBridge can schedule on one "
                             "of them only, so set the other to *" % (fields[2], fields[4]))
        by_week = False
        dom = set(range(1, 32))  # one of them is every day, so cron runs every day
    if not by_week and not any(day <= _MONTH_DAYS[m - 1] for m in month for day in dom):
        raise ValueError("never runs: no month in %r has a day %r" % (fields[3], fields[2]))
    if by_week:
        dom_out, dow_out = "?", _compress([d + 1 for d in sorted(dow)])
    else:
        dom_out, dow_out = _field_out(dom, 1, 31), "?"
    return "cron(%s %s %s %s %s *)" % (_field_out(minute, 0, 59), _field_out(hour, 0, 23), dom_out,
                                       _field_out(month, 1, 12), dow_out)


def _field_out(values, low, high):
    """A set of values -> '*', 'a/n' (a, a+n, ... up to the end of the field) or '1-5,8'."""
    ordered = sorted(values)
    if ordered == list(range(low, high + 1)):
        return "*"
    if len(ordered) > 2:
        step = ordered[1] - ordered[0]
        if ordered == list(range(ordered[0], high + 1, step)):
            return "%d/%d" % (ordered[0], step)
    return _compress(ordered)


def _compress(numbers):
    """[2, 3, 4, 6] -> '2-4,6'."""
    out, run = [], [numbers[0]]
    for n in numbers[1:]:
        if n == run[-1] + 1:
            run.append(n)
        else:
            out.append(run)
            run = [n]
    out.append(run)
    return ",".join("%d-%d" % (r[0], r[-1]) if len(r) > 2 else ",".join(str(x) for x in r) for r in out)


# --------------------------------------------------------------------------- commands
def command(value):
    """A command as written (list of words, or one string) -> {argv, shell, ecs}.

    Coherence joins the words with spaces and runs them in a shell (files use ``&&`` and
    ``$PORT`` inside lists), so the ECS command is ``/bin/sh -c <joined>``.
    """
    if isinstance(value, str):
        shell = value.strip()
        argv = [shell] if shell else []
    elif isinstance(value, list) and all(isinstance(w, (str, int, float)) and not isinstance(w, bool) for w in value):
        argv = [str(w) for w in value]
        shell = " ".join(argv).strip()
    else:
        raise ValueError("must be a command: a list of words or one string")
    if not shell:
        return None
    return {"argv": argv, "shell": shell, "ecs": ["/bin/sh", "-c", shell]}


# --------------------------------------------------------------------------- engines
# Major versions RDS creates, and the family for parameter groups.  The older ones still run
# under RDS Extended Support, billed per vCPU-hour on top of the instance (RDS pricing page).
POSTGRES_VERSIONS = ["13", "14", "15", "16", "17"]
POSTGRES_EXTENDED_SUPPORT = ["11", "12"]
MYSQL_VERSIONS = ["8.0", "8.4"]
MYSQL_EXTENDED_SUPPORT = ["5.7"]
RECOMMENDED = {"postgres": "17", "mysql": "8.4"}
# RDS Proxy supports PostgreSQL 11-17 and MySQL 5.7, 8.0 and 8.4 (RDS Proxy user guide).
PROXY_SUPPORTED = {"postgres": set(POSTGRES_EXTENDED_SUPPORT + POSTGRES_VERSIONS),
                   "mysql": set(MYSQL_EXTENDED_SUPPORT + MYSQL_VERSIONS)}
# ElastiCache for Redis OSS versions; 4 and 5 are in extended support (extra cost) since 2026.
REDIS_VERSIONS = {"4": ("4.0.10", "redis4.0"), "5": ("5.0.6", "redis5.0"), "6": ("6.2", "redis6.x"),
                  "7": ("7.1", "redis7")}
REDIS_EXTENDED_SUPPORT = {"4", "5"}
DEFAULT_REDIS = 7


def database_version(engine, version):
    """(engine, version as written) -> dict(engine_version, family, port, proxy, extended_support, recommended)."""
    text = str(version).strip()
    if engine == "postgres":
        major = text.split(".", 1)[0]
        offered, older = POSTGRES_VERSIONS, POSTGRES_EXTENDED_SUPPORT
        info = {"engine_version": major, "family": "postgres" + major, "port": 5432, "proxy_engine_family": "POSTGRESQL"}
    else:
        major = text if text in MYSQL_VERSIONS else {"8": "8.0", "5": "5.7"}.get(text, ".".join(text.split(".")[:2]))
        offered, older = MYSQL_VERSIONS, MYSQL_EXTENDED_SUPPORT
        info = {"engine_version": major, "family": "mysql" + major, "port": 3306, "proxy_engine_family": "MYSQL"}
    if major not in offered + older:
        raise ValueError("%s %s is not offered by RDS; use one of %s (%s only under paid Extended Support)"
                         % (engine, _shown_text(text), ", ".join(offered), ", ".join(older)))
    info.update(proxy=major in PROXY_SUPPORTED[engine], extended_support=major in older,
                recommended=RECOMMENDED[engine])
    return info


def redis_version(version):
    """Redis version as written (4, '6.2', 7) -> dict(engine_version, family, port, extended_support, note).

    ``note`` says when the version written is not the one ElastiCache gives (redis '7.2': 7.1).
    """
    text = str(version).strip()
    major = text.split(".", 1)[0]
    if major not in REDIS_VERSIONS:
        raise ValueError("redis %s is not offered by ElastiCache; use one of %s"
                         % (_shown_text(text), ", ".join(sorted(REDIS_VERSIONS))))
    engine_version, family = REDIS_VERSIONS[major]
    note = None
    if "." in text and not engine_version.startswith(text):
        note = "redis %s is not an ElastiCache for Redis OSS version; using %s, its newest redis %s" % (
            text, engine_version, major)
    return {"engine_version": engine_version, "family": family, "port": 6379,
            "extended_support": major in REDIS_EXTENDED_SUPPORT, "note": note}


def _shown_text(text):
    return text if len(text) <= 40 else text[:20] + "..." + text[-8:]


# --------------------------------------------------------------------------- build machines
CODEBUILD_TYPES = [(2, "BUILD_GENERAL1_SMALL"), (4, "BUILD_GENERAL1_MEDIUM"), (8, "BUILD_GENERAL1_LARGE"),
                   (36, "BUILD_GENERAL1_XLARGE"), (72, "BUILD_GENERAL1_2XLARGE")]
DEFAULT_CODEBUILD_TYPE = "BUILD_GENERAL1_MEDIUM"


def codebuild_compute_type(machine_type):
    """A machine type (Coherence's GCP-style `N1_HIGHCPU_8`, or a CodeBuild type) -> CodeBuild type.

    GCP-style names end in their vCPU count; the smallest CodeBuild type with at least that
    many vCPU is chosen.
    """
    text = str(machine_type).strip().upper()
    if text in dict((v, k) for k, v in CODEBUILD_TYPES):
        return text
    match = re.match(r"^[A-Z0-9]+_[A-Z]+CPU_(\d+)$|^[A-Z0-9]+_STANDARD_(\d+)$", text)
    if not match:
        raise ValueError("must be a machine type such as N1_HIGHCPU_8 or a CodeBuild compute type (%s)"
                         % ", ".join(t for _n, t in CODEBUILD_TYPES))
    vcpu = int(match.group(1) or match.group(2))
    for count, name in CODEBUILD_TYPES:
        if vcpu <= count:
            return name
    return CODEBUILD_TYPES[-1][1]
