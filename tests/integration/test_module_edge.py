# -*- coding: utf-8 -*-
"""coherence.aws.cloudfront_distribution, lambda_edge, elb_listener_certificates and route53_aliases against the
embedded AWS: check mode, create, re-run unchanged, update, delete."""

from __future__ import annotations

import json
import uuid

import support

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


def run_module(module, args, environ, check=False):
    # Without the plan callback: its summary after a change would follow the JSON result.
    quiet = dict(environ, ANSIBLE_CALLBACKS_ENABLED="ansible.builtin.tree", ANSIBLE_CALLBACK_TREE_DIR="/tmp/e12-tree")
    return support.run_module(module, args, quiet, check=check)


def ok(result):
    assert not result.get("failed"), result.get("msg")
    return result


def test_cloudfront_distribution(aws_env, aws):
    suffix = uuid.uuid4().hex[:6]
    comment = "module test " + suffix
    args = {"comment": comment, "origin_access_control": "oac-" + suffix, "tags": {"Owner": "test"},
            "origins": [{"id": "web", "domain_name": "b-%s.s3.us-east-1.amazonaws.com" % suffix},
                        {"id": "api", "type": "custom", "domain_name": "api.example.com"}],
            "default_behavior": {"origin_id": "web", "cache_policy_id": CACHING_OPTIMIZED},
            "behaviors": [{"path_pattern": "/api/*", "origin_id": "api", "cache_policy_id": CACHING_DISABLED,
                           "allow_writes": True}]}
    cf = aws("cloudfront")

    def mine():
        return [d for d in cf.list_distributions()["DistributionList"].get("Items") or [] if d["Comment"] == comment]

    assert ok(run_module("coherence.aws.cloudfront_distribution", args, aws_env, check=True))["changed"]
    assert mine() == []
    made = ok(run_module("coherence.aws.cloudfront_distribution", args, aws_env))
    assert made["changed"] and made["distribution"]["id"] == mine()[0]["Id"]
    config = cf.get_distribution_config(Id=made["distribution"]["id"])["DistributionConfig"]
    assert config["Origins"]["Items"][0]["OriginAccessControlId"] == made["distribution"]["origin_access_control_id"]
    assert config["CacheBehaviors"]["Items"][0]["AllowedMethods"]["Quantity"] == 7
    assert not ok(run_module("coherence.aws.cloudfront_distribution", args, aws_env))["changed"]

    args["behaviors"].insert(0, {"path_pattern": "/api", "origin_id": "api", "cache_policy_id": CACHING_DISABLED})
    args["tags"] = {"Owner": "other"}
    changed = ok(run_module("coherence.aws.cloudfront_distribution", args, aws_env))
    assert changed["changed"] and changed["diff"]["before"]["tags"] == {"Owner": "test"}
    config = cf.get_distribution_config(Id=made["distribution"]["id"])["DistributionConfig"]
    assert [b["PathPattern"] for b in config["CacheBehaviors"]["Items"]] == ["/api", "/api/*"]
    assert not ok(run_module("coherence.aws.cloudfront_distribution", args, aws_env))["changed"]
    assert ok(run_module("coherence.aws.cloudfront_distribution", {"comment": comment, "state": "deployed"},
                         aws_env))["distribution"]["status"] == "Deployed"

    gone = {"comment": comment, "origin_access_control": "oac-" + suffix, "state": "absent"}
    assert ok(run_module("coherence.aws.cloudfront_distribution", gone, aws_env))["changed"]
    assert mine() == []
    assert not [c for c in cf.list_origin_access_controls()["OriginAccessControlList"].get("Items") or []
                if c["Name"] == "oac-" + suffix]
    assert not ok(run_module("coherence.aws.cloudfront_distribution", gone, aws_env))["changed"]


SOURCE = "def handler(event, context):\n    return event['Records'][0]['cf']['response']\n"


def test_lambda_edge_publishes_only_on_change(aws_env, aws):
    name = "edge-test-" + uuid.uuid4().hex[:6]
    role = aws("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {
            "Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}}]}))["Role"]["Arn"]
    args = {"name": name, "role_arn": role, "handler": "index.handler", "files": {"index.py": SOURCE},
            "region": "us-east-1"}
    assert ok(run_module("coherence.aws.lambda_edge", args, aws_env, check=True))["changed"]
    first = ok(run_module("coherence.aws.lambda_edge", args, aws_env))
    assert first["changed"] and first["function"]["version"] == "1"
    assert first["function"]["version_arn"].endswith(":%s:1" % name)
    again = ok(run_module("coherence.aws.lambda_edge", args, aws_env))
    assert not again["changed"] and again["function"]["version"] == "1"
    # A configuration-only change publishes a version too (amazon.aws.lambda does not).
    config = ok(run_module("coherence.aws.lambda_edge", dict(args, timeout=10), aws_env))
    assert config["changed"] and config["function"]["version"] == "2"
    code = ok(run_module("coherence.aws.lambda_edge", dict(args, timeout=10, files={"index.py": SOURCE + "# v3\n"}),
                         aws_env))
    assert code["changed"] and code["function"]["version"] == "3"
    published = aws("lambda").get_function(FunctionName=code["function"]["version_arn"])["Configuration"]
    assert published["Timeout"] == 10 and published["CodeSha256"] == code["function"]["code_sha256"]
    gone = ok(run_module("coherence.aws.lambda_edge", dict(args, state="absent"), aws_env))
    assert gone["changed"] and not gone["lingering"]
    assert name not in [f["FunctionName"] for f in aws("lambda").list_functions()["Functions"]]


def test_elb_listener_certificates(aws_env, aws, network):
    elb = aws("elbv2")
    lb = elb.create_load_balancer(Name="sni-" + network["suffix"], Subnets=network["private_subnet_ids"])
    acm = aws("acm")
    default, extra = (acm.request_certificate(DomainName=d, ValidationMethod="DNS")["CertificateArn"]
                      for d in ("a.example.com", "b.example.org"))
    listener = elb.create_listener(LoadBalancerArn=lb["LoadBalancers"][0]["LoadBalancerArn"], Protocol="HTTPS", Port=443,
                                   Certificates=[{"CertificateArn": default}],
                                   DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}])
    arn = listener["Listeners"][0]["ListenerArn"]
    args = {"listener_arn": arn, "certificate_arns": [extra]}

    def served():
        return sorted(c["CertificateArn"] for c in elb.describe_listener_certificates(ListenerArn=arn)["Certificates"])

    assert ok(run_module("coherence.aws.elb_listener_certificates", args, aws_env, check=True))["changed"]
    assert extra not in served()
    assert ok(run_module("coherence.aws.elb_listener_certificates", args, aws_env))["changed"]
    assert extra in served()
    assert not ok(run_module("coherence.aws.elb_listener_certificates", args, aws_env))["changed"]
    removed = ok(run_module("coherence.aws.elb_listener_certificates", dict(args, state="absent"), aws_env))
    assert removed["changed"] and extra not in served()
    # The default certificate stays whatever the task says.
    kept = ok(run_module("coherence.aws.elb_listener_certificates", {"listener_arn": arn, "certificate_arns": [default],
                                                                     "state": "absent"}, aws_env))
    assert not kept["changed"] and default in served()


def test_route53_aliases(aws_env, aws):
    suffix = uuid.uuid4().hex[:6]
    zone_name = "aliases-%s.example.com" % suffix
    r53 = aws("route53")
    zone = r53.create_hosted_zone(Name=zone_name, CallerReference=suffix)["HostedZone"]["Id"]
    r53.create_hosted_zone(Name=zone_name, CallerReference=suffix + "-private", VPC={"VPCRegion": "us-east-1",
                           "VPCId": aws("ec2").create_vpc(CidrBlock="10.77.0.0/16")["Vpc"]["VpcId"]})
    name = "review." + zone_name
    records = [{"zone": zone_name, "name": name, "type": t, "target": "d1.cloudfront.net",
                "target_zone_id": "Z2FDTNDATAQYW2"} for t in ("A", "AAAA")]

    def aliases():
        return sorted((r["Type"], r["AliasTarget"]["DNSName"].rstrip(".")) for r in
                      r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"] if r.get("AliasTarget"))

    assert ok(run_module("coherence.aws.route53_aliases", {"records": records}, aws_env, check=True))["changed"]
    assert aliases() == []
    made = ok(run_module("coherence.aws.route53_aliases", {"records": records}, aws_env))
    assert made["changed"] and aliases() == [("A", "d1.cloudfront.net"), ("AAAA", "d1.cloudfront.net")]
    assert not ok(run_module("coherence.aws.route53_aliases", {"records": records}, aws_env))["changed"]
    records[1]["target"] = "d2.cloudfront.net"
    moved = ok(run_module("coherence.aws.route53_aliases", {"records": records}, aws_env))
    assert moved["changed"] and aliases() == [("A", "d1.cloudfront.net"), ("AAAA", "d2.cloudfront.net")]
    assert moved["diff"]["before"]["records"][1]["target"] == "d1.cloudfront.net"
    gone = [{"zone": zone_name, "name": name, "type": t} for t in ("A", "AAAA")]
    assert ok(run_module("coherence.aws.route53_aliases", {"records": gone, "state": "absent"}, aws_env))["changed"]
    assert aliases() == []
    failed = run_module("coherence.aws.route53_aliases", {"records": [{"zone": zone_name, "name": name}]}, aws_env)
    assert failed["failed"] and "target and target_zone_id are required" in failed["msg"]


def test_route53_aliases_purge_finds_records_by_zone_tags(aws_env, aws):
    """A teardown not given the domains: the aliases pointing at a distribution, and an origin
    name, in the zones carrying the app's tags; another app's zone and other records are kept."""
    suffix = uuid.uuid4().hex[:6]
    r53 = aws("route53")
    zones = {}
    for label, app in (("ours", "purge-" + suffix), ("theirs", "other-" + suffix)):
        name = "%s-%s.example.com" % (label, suffix)
        zones[label] = (name, r53.create_hosted_zone(Name=name, CallerReference=name)["HostedZone"]["Id"])
        r53.change_tags_for_resource(ResourceType="hostedzone", ResourceId=zones[label][1].split("/")[-1],
                                     AddTags=[{"Key": "Application", "Value": app}, {"Key": "ManagedBy", "Value": "coherence"}])
    records = [{"zone": zones[label][0], "name": "%s.%s" % (host, zones[label][0]), "type": "A", "target": target,
                "target_zone_id": "Z2FDTNDATAQYW2"}
               for label in zones for host, target in (("review", "d1.cloudfront.net"), ("www", "d2.cloudfront.net"),
                                                       ("origin-review", "alb-1.elb.amazonaws.com"))]
    assert ok(run_module("coherence.aws.route53_aliases", {"records": records}, aws_env))["changed"]

    def names(label):
        return sorted(r["Name"].split(".")[0] for r in r53.list_resource_record_sets(
            HostedZoneId=zones[label][1])["ResourceRecordSets"] if r.get("AliasTarget"))

    rule = {"zone_tags": {"Application": "purge-" + suffix, "ManagedBy": "coherence"},
            "targets": ["d1.cloudfront.net."], "names": ["origin-review"]}
    planned = ok(run_module("coherence.aws.route53_aliases", {"purge": [rule], "state": "absent"}, aws_env, check=True))
    assert planned["changed"] and names("ours") == ["origin-review", "review", "www"]
    assert sorted(r["name"] for r in planned["diff"]["before"]["records"]) == [
        "origin-review." + zones["ours"][0], "review." + zones["ours"][0]]
    assert ok(run_module("coherence.aws.route53_aliases", {"purge": [rule], "state": "absent"}, aws_env))["changed"]
    assert names("ours") == ["www"] and names("theirs") == ["origin-review", "review", "www"]
    assert not ok(run_module("coherence.aws.route53_aliases", {"purge": [rule], "state": "absent"}, aws_env))["changed"]
    refused = run_module("coherence.aws.route53_aliases", {"records": records[:1], "purge": [rule]}, aws_env)
    assert refused["failed"] and refused["msg"] == "purge: only with state=absent"
