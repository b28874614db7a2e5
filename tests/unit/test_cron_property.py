# -*- coding: utf-8 -*-
"""Property: the EventBridge schedule the model writes fires at the minutes cron would, over a year.

The oracle is croniter (tests only).  A cron schedule fires at every (day, hour, minute) with
the day in its day set, the hour in its hour set and the minute in its minute set, so the
three sets are compared one by one: minutes over an hour, hours over a day, days over a leap
year (2028, so 29 February and every weekday of every date is covered).  The EventBridge
side is read by the small evaluator below, written from the EventBridge cron documentation
(fields, ``*``, ``?``, ``a/n``, lists and ranges, day of week 1-7 from Sunday).
"""

from __future__ import annotations

import datetime
import re

import pytest
from croniter import CroniterBadDateError, croniter
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.coherence.aws.plugins.plugin_utils.normalize import cron_to_eventbridge

YEAR = 2028
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


# --------------------------------------------------------------------------- EventBridge reader
def eventbridge_field(text, low, high):
    """The values an EventBridge field selects: '*', 'a/n', or a list of values and ranges."""
    if text == "*":
        return set(range(low, high + 1))
    match = re.match(r"^(\d+)/(\d+)$", text)
    if match:
        return set(range(int(match.group(1)), high + 1, int(match.group(2))))
    out = set()
    for part in text.split(","):
        assert re.match(r"^\d+(-\d+)?$", part), "not a documented EventBridge form: %r" % text
        bounds = [int(b) for b in part.split("-")]
        assert low <= bounds[0] <= bounds[-1] <= high, text
        out.update(range(bounds[0], bounds[-1] + 1))
    return out


def eventbridge_sets(expression):
    match = re.match(r"^cron\((\S+) (\S+) (\S+) (\S+) (\S+) \*\)$", expression)
    assert match, expression
    minute, hour, dom, month, dow = match.groups()
    assert (dom == "?") != (dow == "?"), "EventBridge needs ? in exactly one day field: %s" % expression
    days = set()
    months = eventbridge_field(month, 1, 12)
    dom_set = eventbridge_field(dom, 1, 31) if dom != "?" else None
    dow_set = eventbridge_field(dow, 1, 7) if dow != "?" else None
    day = datetime.date(YEAR, 1, 1)
    while day.year == YEAR:
        weekday = (day.weekday() + 1) % 7 + 1  # Python: Monday 0; EventBridge: Sunday 1
        if day.month in months and (dom_set is None or day.day in dom_set) and (dow_set is None or weekday in dow_set):
            days.add(day)
        day += datetime.timedelta(days=1)
    return eventbridge_field(minute, 0, 59), eventbridge_field(hour, 0, 23), days


# --------------------------------------------------------------------------- cron oracle
def _fires(expression, start, end, unit):
    it = croniter(expression, start - datetime.timedelta(minutes=1))
    out = set()
    while True:
        when = it.get_next(datetime.datetime)
        if when >= end:
            return out
        out.add(unit(when))


def cron_sets(expression):
    minute, hour, dom, month, dow = expression.split()
    hour_start = datetime.datetime(YEAR, 1, 1)
    minutes = _fires("%s * * * *" % minute, hour_start, hour_start + datetime.timedelta(hours=1), lambda t: t.minute)
    hours = _fires("0 %s * * *" % hour, hour_start, hour_start + datetime.timedelta(days=1), lambda t: t.hour)
    days = _fires("0 0 %s %s %s" % (dom, month, dow), hour_start, datetime.datetime(YEAR + 1, 1, 1),
                  lambda t: t.date())
    return minutes, hours, days


def assert_same_schedule(cron):
    try:
        expected = cron_sets(cron)
    except CroniterBadDateError:  # a day that no month has ('30 FEB'): cron never runs it
        with pytest.raises(ValueError, match="never runs"):
            cron_to_eventbridge(cron)
        return
    assert eventbridge_sets(cron_to_eventbridge(cron)) == expected, cron


# --------------------------------------------------------------------------- random expressions
def _number(low, high, names=None):
    plain = st.integers(low, high).map(str)
    if not names:
        return plain
    # Names in any case (day names are 0-6 from Sunday, month names 1-12).
    named = st.tuples(st.sampled_from(names), st.sampled_from([str.upper, str.lower, str.title])).map(
        lambda t: t[1](t[0]))
    return st.one_of(plain, named)


def _value_of(token, names):
    if token.isdigit():
        return int(token)
    return names.index(token.upper()) + (0 if len(names) == 7 else 1)


@st.composite
def cron_part(draw, low, high, names=None):
    kind = draw(st.sampled_from(["*", "*/n", "a", "a-b", "a-b/n", "a/n"]))
    step = draw(st.integers(1, min(high, 12)))
    if kind == "*":
        return "*"
    if kind == "*/n":
        return "*/%d" % step
    a = draw(_number(low, high, names))
    if kind == "a":
        return a
    if kind == "a/n":
        return "%s/%d" % (a, step)
    b = draw(_number(low, high, names))
    if _value_of(a, names or []) > _value_of(b, names or []):
        a, b = b, a
    if _value_of(a, names or []) == _value_of(b, names or []):
        return a  # croniter 7 reads 'a-a' as '*' (cron: a); not what is tested here
    return "%s-%s" % (a, b) + ("/%d" % step if kind == "a-b/n" else "")


def cron_field(low, high, names=None):
    return st.lists(cron_part(low, high, names), min_size=1, max_size=3).map(",".join)


@st.composite
def cron_expressions(draw):
    minute = draw(cron_field(0, 59))
    hour = draw(cron_field(0, 23))
    month = draw(cron_field(1, 12, MONTHS))
    # EventBridge takes one day field: the other is '*' (both set is rejected; tested below).
    if draw(st.booleans()):
        dom, dow = draw(cron_field(1, 31)), "*"
    else:
        dom, dow = "*", draw(cron_field(0, 7, DAYS))
    return " ".join((minute, hour, dom, month, dow))


@settings(max_examples=60, deadline=None)
@given(cron_expressions())
def test_eventbridge_fires_when_cron_does(cron):
    assert_same_schedule(cron)


@pytest.mark.parametrize("cron", [
    "*/10 * * * *", "0 9 * * 1/2", "0 9 * * 1-5", "0 9 * * 5-7", "0 0 */2 * *", "0 0 1 */3 *", "0 0 10/5 * *",
    "15 10-20/5 * * *", "0 0 1 jan,Jul *", "0 0 * * sun-sat", "0 0 29 feb *", "0 0 31 * *", "7 3 * * Tue/3",
    "@daily", "@weekly", "@monthly", "@yearly", "@hourly",
])
def test_eventbridge_fires_when_cron_does_known_cases(cron):
    expanded = {"@daily": "0 0 * * *", "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *",
                "@hourly": "0 * * * *"}.get(cron, cron)
    assert eventbridge_sets(cron_to_eventbridge(cron)) == cron_sets(expanded)


@pytest.mark.parametrize("cron,expected", [
    ("0 0 1-31 * 1", "cron(0 0 * * ? *)"),   # both set, one every day: cron ORs them, so every day
    ("0 0 * * *", "cron(0 0 * * ? *)"),
])
def test_both_day_fields_where_expressible(cron, expected):
    assert cron_to_eventbridge(cron) == expected


@pytest.mark.parametrize("cron", ["0 0 1 * 1", "0 0 */2 * 1", "0 0 1-15 * mon-fri"])
def test_both_day_fields_restricted_rejected(cron):
    with pytest.raises(ValueError, match="EventBridge can schedule on one of them only"):
        cron_to_eventbridge(cron)
