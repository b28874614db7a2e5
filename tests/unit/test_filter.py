# -*- coding: utf-8 -*-
"""The filter and the action plugin are thin wrappers over the same model."""

from __future__ import annotations

import os

import pytest
from ansible.errors import AnsibleFilterError

from conftest import FIXTURES

from ansible_collections.coherence.aws.plugins.filter.app_model import FilterModule
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model

app_model = FilterModule().filters()["app_model"]


def test_filter_returns_the_model():
    text = open(os.path.join(FIXTURES, "monorepo.yml")).read()
    assert app_model(text, app_name="shop", env="pr-7") == build_app_model(text, app_name="shop", env="pr-7")


def test_filter_reads_names_from_a_dict_of_variables_without_their_values():
    text = open(os.path.join(FIXTURES, "monorepo.yml")).read()
    model = app_model(text, app_name="shop", env="pr-7", env_vars={"STRIPE_KEY": "sk_live_secret"})
    assert "STRIPE_KEY" in model["secret"]["keys"]
    assert "sk_live_secret" not in repr(model)


def test_filter_raises_ansible_error_with_every_problem():
    with pytest.raises(AnsibleFilterError) as info:
        app_model("api:\n  type: backend\n  system: {cpu: x}\n", app_name="shop", env="Bad")
    assert "env (playbook variable)" in str(info.value)
    assert "api.system.cpu (line 3)" in str(info.value)


def test_filter_rejects_non_text():
    with pytest.raises(AnsibleFilterError):
        app_model({"api": {"type": "backend"}}, app_name="shop", env="review")
