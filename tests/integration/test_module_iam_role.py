# -*- coding: utf-8 -*-
"""coherence.aws.iam_role against the embedded AWS: check mode, apply, re-runs, policy and tag
changes, delete; and no warning on any call (amazon.aws.iam_role prints deprecations on each)."""

from __future__ import annotations

import uuid

from conftest import run_module

MODULE = "coherence.aws.iam_role"
TRUST = {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": {"Service": "rds.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
SSM = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"


def test_four_steps_then_policies_tags_and_delete(aws_env, boto3_session):
    iam = boto3_session.client("iam")
    name = "roletest-" + uuid.uuid4().hex[:8]
    args = {"name": name, "description": "test", "assume_role_policy_document": TRUST, "managed_policies": [SSM],
            "inline_policies": {"read": READ}, "tags": {"Application": "roletest"}}

    checked = run_module(MODULE, args, aws_env, check=True)
    assert checked["changed"] is True and checked["iam_role"]["arn"] is None
    assert checked["diff"]["before"] == {} and checked["diff"]["after"]["inline_policies"] == {"read": READ}
    assert name not in [r["RoleName"] for r in iam.list_roles()["Roles"]]

    applied = run_module(MODULE, args, aws_env)
    assert applied["changed"] is True and applied["iam_role"]["arn"] == "arn:aws:iam::123456789012:role/" + name
    assert [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]] == [SSM]
    assert iam.get_role_policy(RoleName=name, PolicyName="read")["PolicyDocument"] == READ
    assert "warnings" not in applied and "deprecations" not in applied

    assert run_module(MODULE, args, aws_env, check=True)["changed"] is False
    assert run_module(MODULE, args, aws_env)["changed"] is False

    other = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}
    changed = run_module(MODULE, dict(args, managed_policies=[], inline_policies={"write": other},
                                      tags={"Owner": "ops"}), aws_env)
    assert changed["changed"] is True
    assert changed["diff"]["before"]["inline_policies"] == {"read": READ}
    assert iam.list_role_policies(RoleName=name)["PolicyNames"] == ["write"]
    assert iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"] == []
    assert iam.list_role_tags(RoleName=name)["Tags"] == [{"Key": "Owner", "Value": "ops"}]
    # Unset options are left alone.
    assert run_module(MODULE, {"name": name}, aws_env)["changed"] is False

    # A profile of the role's own name (amazon.aws.iam_role's old default) goes with it.
    iam.create_instance_profile(InstanceProfileName=name)
    iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=name)
    assert run_module(MODULE, {"name": name, "state": "absent"}, aws_env, check=True)["changed"] is True
    assert run_module(MODULE, {"name": name, "state": "absent"}, aws_env)["changed"] is True
    assert name not in [r["RoleName"] for r in iam.list_roles()["Roles"]]
    assert name not in [p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]]
    assert run_module(MODULE, {"name": name, "state": "absent"}, aws_env)["changed"] is False


def test_creating_without_a_trust_policy_fails_clearly(aws_env):
    failed = run_module(MODULE, {"name": "roletest-" + uuid.uuid4().hex[:8]}, aws_env)
    assert failed.get("failed") and "creating it needs assume_role_policy_document" in failed["msg"]
