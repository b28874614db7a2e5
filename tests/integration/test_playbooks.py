# -*- coding: utf-8 -*-
"""site.yml and teardown.yml from a checkout, against the embedded AWS."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from support import DEMO, FIXTURES, ConnectionCounter, assert_secret_free, playbook, recap


def test_site_validates_and_prints_the_plan(aws_env):
    result = playbook("site", "-e", "plan_only=true", environ=aws_env, env="review", app_name="shop", coherence_file=DEMO,
                      base_domain="shop.example.com")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "AWS account 123456789012" in out
    assert "app shop, environment review (review) in us-east-1, served at https://review.shop.example.com" in out
    assert "backend api at /api: Fargate FARGATE_SPOT" in out
    assert "scheduled nightly report: 30 4 * * 1-5 -> cron(30 4 ? * 2-6 *)" in out
    assert "[WARNING]" not in out + result.stderr
    assert recap(out)["changed"] == 0 and recap(out)["failed"] == 0


def test_a_key_used_only_by_coherence_warns_once(aws_env):
    result = playbook("site", "-e", "plan_only=true", environ=aws_env, env="review", app_name="devkeys",
                      coherence_file=os.path.join(FIXTURES, "dev_keys.yml"))
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    # Once, although the model is built again when STS has told the account.
    assert out.count("[WARNING]: not used on AWS (workspaces and Coherence's UI only): api.dev") == 1


def test_site_check_mode_changes_nothing(aws_env):
    result = playbook("site", "-e", "plan_only=true", "--check", environ=aws_env, env="review", app_name="shop", coherence_file=DEMO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert recap(result.stdout)["changed"] == 0


def test_production_assumes_its_own_account(aws_env):
    result = playbook("site", "-e", "plan_only=true", environ=aws_env, env="production", app_name="shop", coherence_file=DEMO,
                      aws_assume_role_arn="arn:aws:iam::222222222222:role/coherence-deploy")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "AWS account 222222222222" in out
    assert "environment production (production)" in out and "Fargate FARGATE," in out
    assert recap(out)["changed"] == 0
    assert "SessionToken" not in out and "secret_key" not in out


def test_aws_endpoint_url_variable_reaches_every_call(aws_env):
    env = dict(aws_env)
    url = env.pop("AWS_ENDPOINT_URL")
    # Account 222222222222 exists only on the embedded AWS: both calls (AssumeRole, then
    # GetCallerIdentity with the assumed credentials) went through the variable.
    result = playbook("site", "-e", "plan_only=true", environ=env, app_name="shop", coherence_file=DEMO, aws_endpoint_url=url,
                      aws_assume_role_arn="arn:aws:iam::222222222222:role/coherence-deploy", env="production")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "AWS account 222222222222" in result.stdout


@pytest.mark.parametrize("name", ["site", "teardown"])
def test_malformed_file_fails_before_any_aws_call(aws_env, tmp_path, name):
    bad = tmp_path / "coherence.yml"
    bad.write_text("api:\n  type: backend\n  resources:\n  - name: db\n    type: database\n    engine: mongodb\n"
                   "    version: 5\n")
    counter = ConnectionCounter()
    try:
        env = dict(aws_env, AWS_ENDPOINT_URL=counter.url)
        result = playbook(name, environ=env, app_name="shop", coherence_file=str(bad), env="review")
    finally:
        counter.close()
    out = result.stdout
    assert result.returncode != 0
    assert "api.resources[0].engine (line 6): must be one of postgres, mysql, got 'mongodb'" in out
    assert "Validate coherence.yml and build the app model" in out
    assert counter.count == 0, "an AWS call was made before validation failed"
    assert recap(out)["failed"] == 1


def test_missing_required_variable_is_named(aws_env):
    result = playbook("site", "-e", "plan_only=true", environ=aws_env, coherence_file=DEMO)
    assert result.returncode != 0
    assert "app_name" in result.stdout and "env" in result.stdout


def test_relative_coherence_file_is_taken_from_the_working_directory(aws_env, tmp_path):
    shutil.copy(os.path.join(FIXTURES, "monorepo.yml"), str(tmp_path / "coherence.yml"))
    result = playbook("site", "-e", "plan_only=true", environ=aws_env, cwd=str(tmp_path), env="review", app_name="billing")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "backend hooks at /hooks" in result.stdout


def test_teardown_keeps_what_the_account_shares_unless_asked(aws_env):
    result = playbook("teardown", environ=aws_env, app_name="shop", coherence_file=DEMO, env="pr-9", keep_shared="true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "AWS account 123456789012" in result.stdout
    assert "kept the network, DNS zone, certificates and bastion" in " ".join(result.stdout.split())
    assert recap(result.stdout)["changed"] == 0


def test_user_variable_values_never_reach_the_output(aws_env):
    secret = "sk_live_do_not_print_4242"
    result = playbook("site", "-e", "plan_only=true", "-vvv", "-e", '{"env_vars": {"STRIPE_KEY": "%s"}}' % secret, environ=aws_env,
                      env="review", app_name="shop", coherence_file=DEMO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "STRIPE_KEY" in result.stdout  # wired by name ...
    assert_secret_free(result.stdout + result.stderr, secret)  # ... never by value


def test_plan_only_with_the_account_makes_no_aws_call(aws_env):
    """plan_only with aws_account_id: the whole plan, exact names included, without AWS."""
    counter = ConnectionCounter()
    try:
        env = dict(aws_env, AWS_ENDPOINT_URL=counter.url)
        result = playbook("site", "-e", "plan_only=true", environ=env, env="review", app_name="shop",
                          coherence_file=DEMO, base_domain="shop.example.com", aws_account_id="123456789012")
    finally:
        counter.close()
    assert result.returncode == 0, result.stdout[-3000:]
    assert counter.count == 0, "plan_only with aws_account_id reached AWS"
    online = playbook("site", "-e", "plan_only=true", environ=aws_env, env="review", app_name="shop",
                      coherence_file=DEMO, base_domain="shop.example.com")
    bucket = re.search(r"object storage api-uploads: S3 (\S+)", online.stdout).group(1)
    assert "object storage api-uploads: S3 %s" % bucket in result.stdout, "offline names differ from the account's"


def test_a_wrong_typed_variable_is_one_located_message_before_any_aws_call(aws_env):
    counter = ConnectionCounter()
    try:
        result = playbook("site", "-e", "az_count=three", environ=dict(aws_env, AWS_ENDPOINT_URL=counter.url),
                          app_name="shop", coherence_file=DEMO, env="review")
    finally:
        counter.close()
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert out.count("az_count") == 1 and "must be a whole number from 2 to 6" in out and "'three'" in out, out
    assert "argument_spec" not in out and "Validating arguments" not in out.split("TASK [coherence.aws.model : Validate")[-1]
    assert counter.count == 0, "an AWS call was made before validation failed"
