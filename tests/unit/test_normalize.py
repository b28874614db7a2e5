# -*- coding: utf-8 -*-
"""Cron, Fargate sizes, memory, commands, engine versions, build machines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.coherence.aws.plugins.plugin_utils import normalize


@pytest.mark.parametrize("cron,expected", [
    ("* * * * *", "cron(* * * * ? *)"),
    ("30 4 * * *", "cron(30 4 * * ? *)"),
    ("*/15 * * * *", "cron(0/15 * * * ? *)"),      # the form EventBridge documents
    ("5/20 * * * *", "cron(5/20 * * * ? *)"),
    ("0 */6 * * *", "cron(0 0/6 * * ? *)"),
    ("0 0 */2 * *", "cron(0 0 1/2 * ? *)"),        # day of month and month start at 1
    ("0 0 1 */3 *", "cron(0 0 1 1/3 ? *)"),
    ("0 0 10/5 * *", "cron(0 0 10/5 * ? *)"),
    ("0 9 * * 1/2", "cron(0 9 ? * 2,4,6 *)"),      # a step on one value runs to the field's end
    ("0 9 * * tue/3", "cron(0 9 ? * 3,6 *)"),
    ("15 10-20/5 * * *", "cron(15 10/5 * * ? *)"),   # the same hours
    ("15 10-19/5 * * *", "cron(15 10,15 * * ? *)"),
    ("0 0 1 jan,Jul *", "cron(0 0 1 1,7 ? *)"),    # names in any case
    ("0 0 1-31 * 1", "cron(0 0 * * ? *)"),         # both set: cron runs when either matches: every day
    ("0 0 * * sun-sat", "cron(0 0 * * ? *)"),
    ("0 9 * * 1", "cron(0 9 ? * 2 *)"),          # Monday: cron 1, EventBridge 2
    ("0 9 * * 0", "cron(0 9 ? * 1 *)"),          # Sunday 0 -> 1
    ("0 9 * * 7", "cron(0 9 ? * 1 *)"),          # Sunday 7 -> 1
    ("0 9 * * 1-5", "cron(0 9 ? * 2-6 *)"),
    ("0 9 * * 5-7", "cron(0 9 ? * 1,6,7 *)"),    # Fri, Sat, Sun
    ("0 9 * * MON-FRI", "cron(0 9 ? * 2-6 *)"),
    ("0 9 * * */2", "cron(0 9 ? * 1,3,5,7 *)"),  # no step allowed in EventBridge day-of-week
    ("0 0 1 * *", "cron(0 0 1 * ? *)"),
    ("0 0 1 JAN *", "cron(0 0 1 1 ? *)"),
    ("@daily", "cron(0 0 * * ? *)"),
    ("@hourly", "cron(0 * * * ? *)"),
    ("@weekly", "cron(0 0 ? * 1 *)"),
])
def test_cron_to_eventbridge(cron, expected):
    assert normalize.cron_to_eventbridge(cron) == expected


@pytest.mark.parametrize("cron", ["", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *",
                                  "* * * 13 *", "* * * * 8", "5-1 * * * *", "*/0 * * * *", "0 0 1 * 1", "a b c d e", 5])
def test_cron_rejects(cron):
    with pytest.raises(ValueError):
        normalize.cron_to_eventbridge(cron)


@pytest.mark.parametrize("cpu,memory,expected,rounded", [
    (None, None, (1024, 2048), False),
    (1, "2G", (1024, 2048), False),
    (0.25, "512M", (256, 512), False),
    (2, "2G", (2048, 4096), True),       # 2 vCPU needs at least 4 GiB
    (0.25, "8G", (1024, 8192), True),    # 8 GiB needs at least 1 vCPU
    (1, "3G", (1024, 3072), False),
    (1, "2500M", (1024, 3072), True),
    (3, None, (4096, 8192), True),
    (16, "120Gi", (16384, 122880), False),
    ("0.5", 1024, (512, 1024), False),
])
def test_fargate_size(cpu, memory, expected, rounded):
    units, mem, note = normalize.fargate_size(cpu, memory)
    assert (units, mem) == expected
    assert (note is not None) == rounded


@settings(max_examples=300, deadline=None)
@given(cpu=st.floats(min_value=0.01, max_value=16), memory=st.integers(min_value=1, max_value=122880))
def test_fargate_size_is_valid_and_sufficient(cpu, memory):
    units, mem, _note = normalize.fargate_size(cpu, memory)
    assert mem in normalize.FARGATE_SIZES[units]
    assert units >= cpu * 1024 - 1e-6 and mem >= memory


@pytest.mark.parametrize("value,mib", [("2G", 2048), ("512M", 512), ("1.5Gi", 1536), ("2gb", 2048), (1024, 1024),
                                       ("4096", 4096), ("1T", 1048576)])
def test_parse_memory(value, mib):
    assert normalize.parse_memory(value) == mib


@pytest.mark.parametrize("value", ["big", "-1G", "0", True, "2 G B"])
def test_parse_memory_rejects(value):
    with pytest.raises(ValueError):
        normalize.parse_memory(value)


def test_command_forms():
    assert normalize.command(["cd", "x", "&&", "yarn", "serve"]) == {
        "argv": ["cd", "x", "&&", "yarn", "serve"], "shell": "cd x && yarn serve",
        "ecs": ["/bin/sh", "-c", "cd x && yarn serve"]}
    assert normalize.command("bin/worker billing")["ecs"] == ["/bin/sh", "-c", "bin/worker billing"]
    assert normalize.command(["PORT=5000 python3", "-m", "flask"])["shell"] == "PORT=5000 python3 -m flask"
    assert normalize.command([]) is None and normalize.command("  ") is None
    with pytest.raises(ValueError):
        normalize.command({"run": "x"})
    with pytest.raises(ValueError):
        normalize.command([["nested"]])


def test_engine_versions():
    assert normalize.database_version("postgres", 13)["engine_version"] == "13"
    assert normalize.database_version("postgres", "15.4")["family"] == "postgres15"
    assert normalize.database_version("mysql", 8)["engine_version"] == "8.0"
    assert normalize.database_version("mysql", "8.4.3")["engine_version"] == "8.4"
    assert normalize.database_version("postgres", 16)["proxy"] is True
    for engine, version in (("postgres", 10), ("postgres", "9.6"), ("mysql", "5.6"), ("mysql", 9)):
        with pytest.raises(ValueError):
            normalize.database_version(engine, version)
    # Still created by RDS, under paid Extended Support.
    for engine, version, family in (("postgres", 11, "postgres11"), ("postgres", "12.19", "postgres12"),
                                    ("mysql", "5.7", "mysql5.7"), ("mysql", 5, "mysql5.7")):
        info = normalize.database_version(engine, version)
        assert (info["family"], info["extended_support"], info["proxy"]) == (family, True, True)
    assert normalize.database_version("postgres", 17)["extended_support"] is False
    assert normalize.redis_version(4) == {"engine_version": "4.0.10", "family": "redis4.0", "port": 6379,
                                          "extended_support": True, "note": None}
    assert normalize.redis_version("7.1")["engine_version"] == "7.1"
    assert normalize.redis_version("7.1")["note"] is None and normalize.redis_version("4.0")["note"] is None
    assert "using 7.1" in normalize.redis_version("7.2")["note"]
    with pytest.raises(ValueError):
        normalize.redis_version(3)


@pytest.mark.parametrize("machine,expected", [
    ("N1_HIGHCPU_8", "BUILD_GENERAL1_LARGE"), ("E2_HIGHCPU_32", "BUILD_GENERAL1_XLARGE"),
    ("n1_highcpu_2", "BUILD_GENERAL1_SMALL"), ("E2_STANDARD_4", "BUILD_GENERAL1_MEDIUM"),
    ("BUILD_GENERAL1_2XLARGE", "BUILD_GENERAL1_2XLARGE"), ("N2_HIGHCPU_96", "BUILD_GENERAL1_2XLARGE"),
])
def test_codebuild_compute_type(machine, expected):
    assert normalize.codebuild_compute_type(machine) == expected
