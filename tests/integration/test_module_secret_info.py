# -*- coding: utf-8 -*-
"""coherence.aws.secret_info against the embedded AWS: a secret's ARN, intact, and never its value."""

from __future__ import annotations

import json

from support import run_module


def test_arn_and_tags_never_the_value(aws, aws_env):
    made = aws("secretsmanager").create_secret(Name="coherence/infoapp/review", SecretString=json.dumps(
        {"COHERENCE_ENVIRONMENT_NAME": "review", "TOKEN": "never_shown_7171"}), Tags=[{"Key": "Application", "Value": "infoapp"}])
    found = run_module("coherence.aws.secret_info", {"name": "coherence/infoapp/review"}, aws_env)
    assert found["changed"] is False
    assert found["secret"]["arn"] == made["ARN"] and found["secret"]["tags"] == {"Application": "infoapp"}
    assert "never_shown_7171" not in json.dumps(found)
    assert run_module("coherence.aws.secret_info", {"name": "coherence/infoapp/absent"}, aws_env)["secret"] == {}
