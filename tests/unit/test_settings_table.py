# -*- coding: utf-8 -*-
"""One settings table (plugin_utils/settings.py SETTINGS_TABLE), one name per setting everywhere.

The action plugin's argument spec is built from the table; the documentation the module and the
filter share (doc_fragments/app_model_settings.py), the model role's argument specs, tasks and
README are checked against it here.
On a mismatch the message shows the YAML the file should have.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

from conftest import REPO

from ansible_collections.coherence.aws.plugins.action import app_model as action
from ansible_collections.coherence.aws.plugins.doc_fragments import app_model_settings as fragment
from ansible_collections.coherence.aws.plugins.filter import app_model as filter_plugin
from ansible_collections.coherence.aws.plugins.modules import app_model as module
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model
from ansible_collections.coherence.aws.plugins.plugin_utils.settings import SETTINGS, SETTINGS_TABLE

COHERENCE_FILE = {"description": ["Path of the coherence.yml. A relative path is taken from the directory "
                                  "C(ansible-playbook) runs in."], "type": "str", "default": "coherence.yml"}


def documented(spec, role=False):
    """A setting as documentation shows it.  The role's argument specs leave types, required and
    choices to the model (Ansible's own role check would print the whole spec on a missing or
    wrong-typed variable; the model names it, says what is allowed, and fails before any AWS call)."""
    out = {"description": (["Required."] if role and spec.get("required") else []) + list(spec["description"]),
           "type": "raw" if role else spec["type"]}
    if spec.get("required") and not role:
        out["required"] = True
    if "default" in spec:
        out["default"] = spec["default"]
    if "choices" in spec and not role:
        out["choices"] = list(spec["choices"])
    return out


def _same(actual, expected, where):
    if actual != expected:
        pytest.fail("%s does not follow SETTINGS_TABLE; it should read:\n%s" % (
            where, yaml.safe_dump(expected, sort_keys=False, width=100)))


def _read(*parts):
    with open(os.path.join(REPO, *parts)) as handle:
        return handle.read()


def test_shared_documentation_follows_the_table():
    options = yaml.safe_load(fragment.ModuleDocFragment.DOCUMENTATION)["options"]
    expected = dict((name, documented(spec)) for name, spec in SETTINGS_TABLE.items())
    _same(options, expected, "plugins/doc_fragments/app_model_settings.py options")


@pytest.mark.parametrize("plugin,own", [
    (module, {"coherence_file": COHERENCE_FILE,
              "fact_name": {"description": ["Name of the fact the model is published as."], "type": "str",
                            "default": "coherence_app"}}),
    (filter_plugin, {"_input": {"description": ["The text of a coherence.yml."], "type": "str", "required": True},
                     "source": {"description": ["The file's name, used in messages."], "type": "str",
                                "default": "coherence.yml"}}),
], ids=["module", "filter"])
def test_task_and_filter_take_the_settings_from_the_shared_documentation(plugin, own):
    doc = yaml.safe_load(plugin.DOCUMENTATION)
    assert doc["extends_documentation_fragment"] == ["coherence.aws.app_model_settings"]
    _same(doc["options"], own, plugin.__name__ + " DOCUMENTATION options (besides the shared settings)")


def test_role_argument_specs_follow_the_table():
    options = yaml.safe_load(_read("roles", "model", "meta", "argument_specs.yml"))["argument_specs"]["main"]["options"]
    expected = {"coherence_file": COHERENCE_FILE}
    expected.update((name, documented(spec, role=True)) for name, spec in SETTINGS_TABLE.items())
    _same(options, expected, "roles/model/meta/argument_specs.yml options")


def test_role_task_passes_every_setting_under_its_name():
    (task,) = yaml.safe_load(_read("roles", "model", "tasks", "main.yml"))
    args = task["coherence.aws.app_model"]
    expected = dict((name, "{{ %s | default(omit) }}" % name) for name in ["coherence_file"] + list(SETTINGS_TABLE))
    _same(args, expected, "roles/model/tasks/main.yml")


def test_role_readme_lists_every_setting():
    readme = _read("roles", "model", "README.md")
    listed = re.findall(r"^\| `(\w+)` \|", readme, re.M)
    assert listed == ["coherence_file"] + list(SETTINGS_TABLE), listed


def test_action_argument_spec_is_the_table():
    assert list(action.ARGUMENT_SPEC) == list(action.TASK_OPTIONS) + list(SETTINGS_TABLE)
    assert [n for n, s in action.ARGUMENT_SPEC.items() if s.get("no_log")] == ["env_vars"]


def test_model_takes_the_same_names():
    assert list(SETTINGS) == list(SETTINGS_TABLE)
    text = "api:\n  type: backend\n"
    model = build_app_model(text, app_name="shop", env="review", aws_region="eu-west-1",
                            aws_account_id="123456789012", env_vars={"STRIPE_KEY": "sk_live_x"})
    assert model["region"] == "eu-west-1" and "STRIPE_KEY" in model["secret"]["keys"]
    assert "sk_live_x" not in repr(model)
    via_filter = filter_plugin.app_model(text, app_name="shop", env="review", aws_region="eu-west-1",
                                         aws_account_id="123456789012", env_vars={"STRIPE_KEY": "sk_live_x"})
    assert via_filter == model


def test_defaults_written_in_the_docs_are_the_model_defaults():
    model = build_app_model("api:\n  type: backend\n", app_name="shop", env="review")
    assert model["region"] == SETTINGS["aws_region"]
    assert model["services"][0]["port"] == SETTINGS["container_port"]
    assert model["network"]["cidr"] == SETTINGS["vpc_cidr"] and model["network"]["az_count"] == SETTINGS["az_count"]
