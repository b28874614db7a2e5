# -*- coding: utf-8 -*-
"""The coherence.aws.plan callback's counting: what is a creation, a change, a deletion, and
that each resource counts once. The callback itself runs in tests/integration/test_newcomer.py."""

from __future__ import annotations

import pytest

from ansible_collections.coherence.aws.plugins.callback.plan import CHANGE, CREATE, DELETE, Plan, classify
from ansible_collections.coherence.aws.plugins.plugin_utils.secret import key_diff


@pytest.mark.parametrize("diff, expected", [
    ({"before": {}, "after": {"name": "x"}}, CREATE),
    ({"before": None, "after": {"name": "x"}}, CREATE),
    ({"before": {"state": "absent"}, "after": {"state": "present"}}, CREATE),
    ({"before": {"name": "x"}, "after": {}}, DELETE),
    ({"before": {"state": "present"}, "after": {"state": "absent"}}, DELETE),
    ({"before": {"keys": ["A"]}, "after": {"keys": ["A", "B"]}}, CHANGE),
    ([{"before": {}, "after": {"group_name": "sg"}}], CREATE),  # ec2_security_group's list
])
def test_a_diff_says_best(diff, expected):
    assert classify("whatever", {}, {"changed": True, "diff": diff}, check_mode=False) == expected


def test_state_absent_is_a_deletion_in_both_modes():
    for check_mode in (True, False):
        assert classify("kms_key", {"state": "absent"}, {"changed": True, "key_arn": "arn:k"}, check_mode) == DELETE


@pytest.mark.parametrize("message, expected", [
    ("VPC would be created if not in check mode", CREATE),
    ("Would have created log group if not in check_mode.", CREATE),
    ("Would have launched instances if not in check_mode.", CREATE),
    ("Would have deleted log group if not in check_mode.", DELETE),
    ("Would have updated ALB if not in check mode.", CHANGE),
])
def test_check_mode_messages(message, expected):
    assert classify("cloudwatchlogs_log_group", {}, {"changed": True, "msg": message}, check_mode=True) == expected


def test_a_missing_id_means_a_creation_in_check_mode_only():
    new = {"changed": True, "certificate": {"arn": None, "domain_name": "shop.example.com"}}
    known = {"changed": True, "certificate": {"arn": "arn:aws:acm:us-east-1:1:certificate/x"}}
    assert classify("acm_certificate", {}, new, check_mode=True) == CREATE
    assert classify("acm_certificate", {}, known, check_mode=True) == CHANGE
    # After a real run every resource has its id: that says nothing about whether it was new.
    assert classify("acm_certificate", {}, known, check_mode=False) == CHANGE
    # A module without a known id path is not guessed at.
    assert classify("ecs_service", {}, {"changed": True}, check_mode=True) == CHANGE


def test_each_resource_counts_once_at_its_most_telling_action():
    plan = Plan()
    bucket = {"name": "shop-review-uploads", "region": "us-east-1"}
    plan.add("amazon.aws.s3_bucket", bucket, {"changed": True, "diff": {"before": {}, "after": bucket}}, True)
    plan.add("community.aws.s3_cors", bucket, {"changed": True}, True)  # the same bucket's CORS rules
    cert = {"domain_name": "shop.example.com", "region": "us-east-1"}
    plan.add("coherence.aws.acm_certificate", cert, {"changed": True, "certificate": {"arn": None}}, True)
    elsewhere = dict(cert, region="eu-west-1")
    plan.add("coherence.aws.acm_certificate", elsewhere, {"changed": True, "certificate": {}}, True)
    plan.add("coherence.aws.acm_certificate", cert, {"changed": True, "certificate": {"arn": None}}, True)  # waited for
    for name in ("shop-public", "shop-private-a"):
        table = {"vpc_id": "vpc-1", "tags": {"Name": name}}
        plan.add("amazon.aws.ec2_vpc_route_table", table, {"changed": True, "route_table": {}}, True)
    assert plan.lines(check_mode=True) == [
        "Plan: 5 to create, 0 to change, 0 to delete",
        "  bucket                       1 to create",
        "  certificate                  2 to create",
        "  route table                  2 to create",
    ]


def test_what_is_not_an_aws_change_is_not_counted():
    plan = Plan()
    plan.add("amazon.aws.ec2_vpc_net_info", {}, {"changed": True}, True)
    plan.add("ansible.builtin.set_fact", {}, {"changed": True}, True)
    plan.add("coherence.aws.app_model", {}, {"changed": True}, True)
    plan.add("amazon.aws.ec2_vpc_net", {"name": "shop"}, {"changed": False}, True)
    plan.add("amazon.aws.ec2_vpc_net", {"name": "shop"}, {"changed": True, "failed": True}, True)
    assert plan.lines(check_mode=True) == ["Plan: 0 to create, 0 to change, 0 to delete"]
    assert plan.lines(check_mode=False) == []


def test_hidden_results_count_one_resource_each():
    plan = Plan()
    for _login in range(2):  # two databases' logins, no_log
        plan.add("community.aws.secretsmanager_secret", {}, {"changed": True, "censored": "hidden"}, True)
    plan.add("amazon.aws.kms_key", {"alias": "alias/shop", "state": "absent"}, {"changed": True}, True)
    assert plan.lines(check_mode=True) == [
        "Plan: 0 to create, 2 to change, 1 to delete",
        "  KMS key                      1 to delete",
        "  secret                       2 to change",
    ]


def test_a_real_run_says_what_it_did():
    plan = Plan()
    plan.add("amazon.aws.ec2_vpc_subnet", {"cidr": "10.0.0.0/20"}, {"changed": True, "subnet": {"id": "s-1"}}, False)
    plan.add("amazon.aws.ec2_vpc_subnet", {"cidr": "10.0.16.0/20"}, {"changed": True, "subnet": {"id": "s-2"}}, False)
    plan.add("amazon.aws.route53", {"record": "x.shop.example.com", "type": "CNAME", "state": "absent"},
             {"changed": True}, False)
    assert plan.lines(check_mode=False) == [
        "Applied: 2 created or changed, 1 deleted",
        "  DNS record                   1 deleted",
        "  subnet                       2 created or changed",
    ]


def test_after_a_failure_only_what_was_counted_and_said_so():
    plan = Plan()
    assert plan.lines(check_mode=True, failed=True) == []  # a bad coherence.yml: its message alone
    plan.add("amazon.aws.ec2_vpc_net", {"name": "shop"}, {"changed": True, "msg": "VPC would be created"}, True)
    assert plan.lines(check_mode=True, failed=True) == [
        "Plan, until the run failed: 1 to create, 0 to change, 0 to delete",
        "  VPC                          1 to create",
    ]


def test_tags_count_as_the_resource_they_are_on():
    plan = Plan()
    plan.add("amazon.aws.ec2_tag", {"resource": "eipalloc-0a1"}, {"changed": True}, False)
    plan.add("amazon.aws.ec2_tag", {"resource": "arn:aws:s3:::x"}, {"changed": True}, False)
    assert plan.lines(check_mode=False) == [
        "Applied: 2 created or changed, 0 deleted",
        "  Elastic IP                   1 created or changed",
        "  tags                         1 created or changed",
    ]


def test_an_alias_record_is_named_by_its_record():
    # route53's `alias: true` is a flag, not a name (it broke the callback on the edge's records)
    plan = Plan()
    for record_type in ("A", "AAAA"):
        plan.add("amazon.aws.route53", {"zone": "shop.example.com", "record": "review.shop.example.com", "alias": True,
                                        "type": record_type}, {"changed": True}, False)
    assert plan.lines(check_mode=False) == [
        "Applied: 2 created or changed, 0 deleted",
        "  DNS record                   2 created or changed",
    ]


@pytest.mark.parametrize("args", [
    {"vpc_id": "vpc-00000000000000000", "cidr": "10.0.0.0/20"},
    {"subnets": ["subnet-00000000000000000", "subnet-00000000000000000"], "name": "shop-review-db"},
    {"rules": [{"proto": "tcp", "group_id": "sg-00000000000000002"}], "name": "shop-review-db"},
    {"kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000", "name": "x"},
])
def test_what_names_a_placeholder_id_is_new_in_check_mode(args):
    result = {"changed": True, "route_table": {"id": "rtb-1"}, "diff": {"before": {"name": "x"}, "after": {}}}
    assert classify("ec2_vpc_route_table", args, result, check_mode=True) == CREATE
    # A real run never sees placeholders; nor are real ids that end in zeros taken for one.
    assert classify("rds_subnet_group", {"subnets": ["subnet-0a00000000000000000"]}, {"changed": True}, True) == CHANGE
    assert classify("rds_subnet_group", {"subnets": ["subnet-00000000000000000"], "state": "absent"},
                    {"changed": True}, True) == DELETE


def test_acm_validation_records_count_with_their_certificate():
    plan = Plan()
    record = {"zone": "shop.example.com", "record": "_a1.shop.example.com.", "type": "CNAME",
              "value": "_b2.xyz.acm-validations.aws."}
    plan.add("amazon.aws.route53", record, {"changed": True}, check_mode=False)
    plan.add("amazon.aws.route53", dict(record, record="www.shop.example.com", value="1.2.3.4"), {"changed": True},
             check_mode=False)
    assert plan.lines(check_mode=False) == ["Applied: 1 created or changed, 0 deleted",
                                            "  DNS record                   1 created or changed"]


def test_a_module_without_check_mode_counts_only_when_it_names_a_placeholder():
    skipped = {"changed": False, "msg": "remote module (amazon.aws.s3_bucket) does not support check mode"}
    new = {"name": "shop-review-uploads",
           "encryption_key_id": "arn:aws:kms:us-east-1:1:key/00000000-0000-0000-0000-000000000000"}
    known = dict(new, encryption_key_id="arn:aws:kms:us-east-1:1:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    plan = Plan()
    plan.add("amazon.aws.s3_bucket", new, skipped, check_mode=True, skipped=True)
    plan.add("amazon.aws.s3_bucket", dict(known, name="other"), skipped, check_mode=True, skipped=True)
    plan.add("community.aws.s3_cors", {"name": "shop-review-uploads"}, skipped, check_mode=True, skipped=True)
    # A task skipped by its condition is not a plan, whatever it names.
    plan.add("amazon.aws.s3_bucket", dict(new, name="third"), {"changed": False, "false_condition": "x"}, True, True)
    assert plan.lines(check_mode=True) == ["Plan: 1 to create, 0 to change, 0 to delete",
                                           "  bucket                       1 to create"]


def test_the_secret_diff_names_keys_never_values():
    """What coherence.aws.secret_values shows with --diff (and the plan reads)."""
    changed, before, after = key_diff({"A": "1", "B": "old-value", "C": "3"}, {"A": "1", "B": "new-value", "D": "4"})
    assert changed and before == "A\nB\nC\n" and after == "A\nB (new value)\nD\n"
    assert not any(value in before + after for value in ("old-value", "new-value", "4"))
    assert key_diff(None, {"A": "1"}) == (True, "", "A\n")
    assert key_diff({"A": "1"}, {"A": "1"}) == (False, "A\n", "A\n")
    new = {"changed": True, "diff": {"before": "", "after": "A\n"}}
    assert classify("secret_values", {}, new, check_mode=True) == CREATE
    changed = {"changed": True, "diff": {"before": "A\n", "after": "A\nB\n"}}
    assert classify("secret_values", {}, changed, check_mode=True) == CHANGE


def test_set_modules_count_each_resource_of_their_diff():
    plan = Plan()
    plan.add("coherence.aws.ecs_workloads", {"tags": {}}, {"changed": True, "diff": {
        "before": {"service api": {}, "log_group /coherence/shop/review/api": {},
                   "service web tags": {"a": "1"}, "task_definition shop-review-old": {"revisions": 2}},
        "after": {"service api": {"desiredCount": 0}, "log_group /coherence/shop/review/api": {"retention": 30},
                  "service web tags": {"a": "1", "b": "2"}, "task_definition shop-review-old": {}}}}, True)
    plan.add("coherence.aws.ecs_scaling", {"tags": {}}, {"changed": True, "diff": {
        "before": {"alarms": {"names": ["a-5xx", "a-unhealthy"]}}, "after": {"alarms": {}}}}, True)
    plan.add("coherence.aws.event_schedules", {"tags": {}}, {"changed": True, "diff": {
        "before": {"rule shop-review-nightly": {}}, "after": {"rule shop-review-nightly": {"schedule": "cron(0 1 * * ? *)"}}}}, True)
    plan.add("coherence.aws.ecr_repositories", {"names": ["shop-api", "shop-web"]}, {"changed": True, "diff": {
        "before": {"shop-web": {"scan_on_push": False}}, "after": {"shop-api": {}, "shop-web": {"scan_on_push": True}}}}, True)
    plan.add("coherence.aws.iam_roles", {"tags": {}}, {"changed": True, "censored": "hidden"}, True)  # no_log: one
    assert plan.lines(check_mode=True) == [
        "Plan: 4 to create, 3 to change, 3 to delete",
        "  alarm                        2 to delete",
        "  container repository         1 to create, 1 to change",
        "  ECS service                  1 to create, 1 to change",
        "  IAM role                     1 to change",
        "  log group                    1 to create",
        "  schedule                     1 to create",
        "  task definition              1 to delete",
    ]
