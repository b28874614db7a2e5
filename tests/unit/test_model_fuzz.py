# -*- coding: utf-8 -*-
"""Fuzz: whatever the file (random YAML, mutated real files), the model answers with a model or
with its own located error (CoherenceConfigError), never with another exception."""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, shared_examples

from ansible_collections.coherence.aws.plugins.plugin_utils import app_model
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import CoherenceConfigError
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10 ** 30, max_value=10 ** 400),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["", "/", "/api", "*/5 * * * *", "0 9 * * 1/2", "2G", "0.1", "postgres", "mysql", "redis",
                     "database", "cache", "object_storage", "backend", "frontend", "7.2", "11", "5.7", "yes",
                     "@daily", "61 * * * *", "0 0 30 feb *", "N1_HIGHCPU_8", "GET", ".nan", "1e400"]),
)
values = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)


def keyed(keys, extra=None):
    """A mapping with some of the format's keys (random values) and maybe a stray key."""
    known = st.fixed_dictionaries({}, optional=dict((k, (extra or {}).get(k, values)) for k in sorted(keys)))
    stray = st.dictionaries(st.text(max_size=6), values, max_size=1)
    return st.builds(lambda d, more: dict(d, **more), known, stray)


resource = keyed(app_model.RESOURCE_KEYS | {"use_sibling"}, {
    "type": st.sampled_from(app_model.RESOURCE_TYPES + ("queue",)),
    "engine": st.sampled_from(app_model.DATABASE_ENGINES + ("redis", "mongodb")),
    "version": st.sampled_from([11, 16, "8.0", "5.7", 7, "7.2", None, 3, "x"]),
    "name": st.sampled_from(["db", "cache", "files", "9bad", ""]),
    "use_sibling": st.fixed_dictionaries({"service_name": st.sampled_from(["api", "web", "nope"]),
                                          "resource_name": st.sampled_from(["db", "cache", "x"])}),
})
named_commands = st.lists(keyed({"name", "command", "schedule"}, {
    "name": st.sampled_from(["w", "t", "preview_environment", "dev_workspace"]),
    "command": st.one_of(st.text(max_size=8), st.lists(st.text(max_size=5), max_size=3)),
    "schedule": st.sampled_from(["*/5 * * * *", "0 9 * * 1/2", "0 0 1 * 1", "x", "@weekly", "0 0 31 2 *"]),
}), max_size=3)
service = keyed(app_model.COMMON_KEYS | app_model.BACKEND_KEYS | app_model.FRONTEND_KEYS | {"environment"}, {
    "type": st.sampled_from(["backend", "frontend", "backnd", None]),
    "resources": st.lists(resource, max_size=3),
    "system": keyed(app_model.SYSTEM_KEYS, {"platform_settings": keyed({"min_scale", "max_scale", "throttle_cpu"})}),
    "workers": named_commands, "scheduled_tasks": named_commands,
    "url_path": st.sampled_from(["/", "/api", "api", "/api/"]),
})
documents = st.dictionaries(st.sampled_from(["api", "web", "worker", "yes", "1", "build_settings",
                                             "vpc_sharing", "services"]), service, max_size=3)


def check(text, **kw):
    """The model's answer to text: a model, or its own located error (with something to say)."""
    kw.setdefault("app_name", "shop")
    kw.setdefault("env", "review")
    try:
        model = build_app_model(text, **kw)
    except CoherenceConfigError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        assert "Traceback" not in str(exc)
        return None
    assert isinstance(model, dict) and model["services"]
    return model


@FAST
@given(documents)
def test_random_documents_in_the_format(doc):
    check(yaml.safe_dump(doc, allow_unicode=True))


@FAST
@given(values)
def test_random_yaml(value):
    check(yaml.safe_dump(value, allow_unicode=True))


@FAST
@given(st.text(alphabet=st.sampled_from(list("ab:- \n[]{}!&*?|>'\"#%@`,.0123456789<=~\t")), max_size=60))
def test_random_text(text):
    check(text)


EXAMPLES = shared_examples() + ["%s/%s" % (FIXTURES, name) for name in ("full.yml", "monorepo.yml")]
TEXTS = [open(path).read() for path in EXAMPLES]

# Text-level mutations that real edits make: a tag, a lost or doubled line, a changed indentation,
# a value replaced.
TAGS = ["!Ref ", "!!python/object:os.system ", "!!int ", "!!float ", "!!binary ", "!!set ", "!custom ", "&a ", "*a "]


@st.composite
def mutated_example(draw):
    lines = draw(st.sampled_from(TEXTS)).splitlines()
    for _mutation in range(draw(st.integers(1, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["tag", "drop", "double", "indent", "value", "chars"]))
        line = lines[i]
        if kind == "tag" and ": " in line:
            key, _sep, rest = line.partition(": ")
            lines[i] = "%s: %s%s" % (key, draw(st.sampled_from(TAGS)), rest)
        elif kind == "drop":
            del lines[i]
        elif kind == "double":
            lines.insert(i, line)
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(0, 6)) + line.lstrip()
        elif kind == "value" and ":" in line:
            key = line.partition(":")[0]
            lines[i] = "%s: %s" % (key, draw(st.sampled_from([
                "", "~", ".nan", ".inf", "-1", "1e400", "9" * 50, "[a, [b]]", "{x: 1}", "'0 9 * * 1/2'", "yes",
                "'7.2'", "11", "backnd", "? [a, b]"])))
        else:
            pos = draw(st.integers(0, len(line)))
            lines[i] = line[:pos] + draw(st.text(max_size=3)) + line[pos:]
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(not TEXTS, reason="no examples")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_example(), st.sampled_from(["review", "production"]))
def test_mutated_examples(text, env):
    check(text, env=env, base_domain="shop.example.com")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.rsplit("/", 1)[-1])
@pytest.mark.parametrize("env", ["review", "production"])
def test_examples_and_fixtures_still_load(path, env):
    assert check(open(path).read(), env=env, base_domain="shop.example.com") is not None


@FAST
@given(st.fixed_dictionaries({}, optional={
    "env_type": values, "aws_region": values, "aws_account_id": values, "env_vars": values, "use_existing": values,
    "container_port": values, "vpc_cidr": values, "az_count": values, "nat_gateways": values,
    "base_domain": values, "environment_domain": values,
}))
def test_random_settings(kw):
    text = "api:\n  type: backend\n  resources:\n  - {name: db, type: database, engine: postgres, version: 16}\n"
    model = check(text, **kw)
    if model is not None:
        assert not any(isinstance(v, float) and math.isnan(v) for v in model["network"].values())
