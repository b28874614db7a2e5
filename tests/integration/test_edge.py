# -*- coding: utf-8 -*-
"""roles/edge against the embedded AWS.

What the demo's review environment got is read from the one shared deploy (fixture
demo_review: site.yml once); its re-run and check mode are test_network's and the molecule
scenarios'; its teardown (with the sweep) is test_network's `gone` app. What changes an environment runs on
this file's own small deploys (the edge role alone, xdist group edge-role): `edgerole` (a
frontend and a backend on a boto3-made network, no domain: re-run, check mode, a new backend
path, teardown) and `edgefront` (frontends only, no network)."""

from __future__ import annotations

import json
import os

import pytest

from support import (
    DEFAULT_ACCOUNT, FIXTURES, assert_ok, assert_unchanged, clients, edge_leftovers, leftovers, role_playbook)

DISTRIBUTION = "coherence shop review"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def distribution(client, comment):
    cf = client("cloudfront")
    items = cf.list_distributions()["DistributionList"].get("Items") or []
    found = [d for d in items if d["Comment"] == comment]
    assert len(found) <= 1
    if not found:
        return None, None
    return found[0], cf.get_distribution_config(Id=found[0]["Id"])["DistributionConfig"]


def test_load_balancer_https_redirect_and_404(demo_review):
    client = demo_review["client"]
    elb = client("elbv2")
    lb = elb.describe_load_balancers(Names=["shop"])["LoadBalancers"][0]
    assert lb["Scheme"] == "internet-facing"
    group = client("ec2").describe_security_groups(GroupIds=lb["SecurityGroups"])["SecurityGroups"]
    assert [g["GroupName"] for g in group] == ["shop-alb"]
    listeners = {l["Port"]: l for l in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]}
    assert sorted(listeners) == [80, 443]
    https = listeners[443]
    assert https["Protocol"] == "HTTPS" and https["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    cert = client("acm").describe_certificate(CertificateArn=https["Certificates"][0]["CertificateArn"])["Certificate"]
    assert cert["DomainName"] == "shop.example.com"
    assert https["DefaultActions"][0]["Type"] == "fixed-response"
    assert https["DefaultActions"][0]["FixedResponseConfig"]["StatusCode"] == "404"
    redirect = listeners[80]["DefaultActions"][0]
    assert redirect["Type"] == "redirect"
    assert (redirect["RedirectConfig"]["Protocol"], redirect["RedirectConfig"]["Port"]) == ("HTTPS", "443")
    attributes = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(
        LoadBalancerArn=lb["LoadBalancerArn"])["Attributes"]}
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
    assert attributes["deletion_protection.enabled"] == "false"  # review; production's is on
    tags = {t["Key"]: t["Value"] for t in elb.describe_tags(ResourceArns=[lb["LoadBalancerArn"]])["TagDescriptions"][0]["Tags"]}
    assert tags == {"Application": "shop", "ManagedBy": "coherence"}, "the shared load balancer carries no environment"


def test_distribution_read_back(demo_review):
    client = demo_review["client"]
    summary, config = distribution(client, DISTRIBUTION)
    assert summary is not None
    origins = {o["Id"]: o for o in config["Origins"]["Items"]}
    s3 = [o for o in origins.values() if "CustomOriginConfig" not in o]
    assert s3 and all(o["OriginAccessControlId"] for o in s3), "every S3 origin reads through the OAC"
    oac = client("cloudfront").get_origin_access_control(Id=s3[0]["OriginAccessControlId"])["OriginAccessControl"]
    assert oac["OriginAccessControlConfig"]["SigningBehavior"] == "always"
    alb = origins["alb"]["CustomOriginConfig"]
    assert alb["OriginProtocolPolicy"] == "https-only" and alb["OriginSslProtocols"]["Items"] == ["TLSv1.2"]
    assert origins["alb"]["DomainName"] == "origin-review.shop.example.com"
    behaviours = config["CacheBehaviors"]["Items"]
    assert [b["PathPattern"] for b in behaviours] == ["/admin", "/admin/*", "/api", "/api/*"]
    for b in behaviours:
        assert b["TargetOriginId"] == "alb" and b["CachePolicyId"] == CACHING_DISABLED
        assert b["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
        assert b["LambdaFunctionAssociations"]["Quantity"] == 0, "no edge function on a backend"
        assert b["ViewerProtocolPolicy"] == "redirect-to-https"
    default = config["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == "frontend-storefront" and default["ViewerProtocolPolicy"] == "redirect-to-https"
    association = default["LambdaFunctionAssociations"]["Items"]
    assert len(association) == 1 and association[0]["EventType"] == "origin-response"
    function_arn = association[0]["LambdaFunctionARN"]
    version = function_arn.rsplit(":", 1)[1]
    assert version.isdigit(), "a numbered version, never $LATEST"
    published = client("lambda").get_function(FunctionName=function_arn)["Configuration"]
    assert published["Version"] == version and published["Runtime"].startswith("python")
    assert config["CustomErrorResponses"]["Quantity"] == 0
    assert config["Aliases"]["Items"] == ["review.shop.example.com"]
    cert_arn = config["ViewerCertificate"]["ACMCertificateArn"]
    assert cert_arn.split(":")[3] == "us-east-1"
    assert config["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    tags = {t["Key"]: t["Value"] for t in client("cloudfront").list_tags_for_resource(
        Resource=summary["ARN"])["Tags"]["Items"]}
    assert tags["EnvironmentName"] == "review" and tags["Application"] == "shop"


def test_frontend_bucket_only_this_distribution(demo_review):
    client = demo_review["client"]
    summary, config = distribution(client, DISTRIBUTION)
    s3 = client("s3")
    bucket = [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith("shop-review-storefront")]
    assert len(bucket) == 1
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket[0])["Policy"])
    allows = [st for st in policy["Statement"] if st["Effect"] == "Allow"]
    assert len(allows) == 1
    assert allows[0]["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allows[0]["Condition"]["StringEquals"]["AWS:SourceArn"] == summary["ARN"]
    denies = [st for st in policy["Statement"] if st["Effect"] == "Deny"]
    assert denies[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    rule = s3.get_bucket_encryption(Bucket=bucket[0])["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    block = s3.get_public_access_block(Bucket=bucket[0])["PublicAccessBlockConfiguration"]
    assert all(block.values())
    # The environment's key (the data role's) lets CloudFront decrypt what it reads through OAC.
    key = client("kms").describe_key(KeyId=rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"])["KeyMetadata"]
    assert key["Description"] == "shop review: secrets and object storage"
    key_policy = json.loads(client("kms").get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
    decrypt = [st for st in key_policy["Statement"] if st["Principal"] == {"Service": "cloudfront.amazonaws.com"}]
    assert [st["Action"] for st in decrypt] == ["kms:Decrypt"]
    assert decrypt[0]["Condition"] == {"StringLike": {"AWS:SourceArn": summary["ARN"].rsplit("/", 1)[0] + "/*"}}


def test_dns_aliases(demo_review):
    client = demo_review["client"]
    summary, _config = distribution(client, DISTRIBUTION)
    r53 = client("route53")
    zone = [z for z in r53.list_hosted_zones()["HostedZones"] if z["Name"] == "shop.example.com."][0]
    records = r53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
    aliases = {(r["Name"], r["Type"]): r["AliasTarget"]["DNSName"].rstrip(".") for r in records if r.get("AliasTarget")}
    assert aliases[("review.shop.example.com.", "A")] == summary["DomainName"]
    assert aliases[("review.shop.example.com.", "AAAA")] == summary["DomainName"]
    lb = client("elbv2").describe_load_balancers(Names=["shop"])["LoadBalancers"][0]
    assert aliases[("origin-review.shop.example.com.", "A")] == lb["DNSName"]


# The role's own deploys: two small apps under their own names, on one worker.
ROLE_GROUP = pytest.mark.xdist_group("edge-role")


def public_network(client, suffix):
    """What the network role publishes, made with boto3: a VPC, two public subnets in two AZs
    and the load balancer's security group; no domain, so no certificate."""
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock="10.61.%d.0/24" % i, AvailabilityZone=az)["Subnet"]["SubnetId"]
               for i, az in enumerate(azs)]
    alb = ec2.create_security_group(GroupName="alb-" + suffix, Description="alb", VpcId=vpc)["GroupId"]
    return {"vpc_id": vpc, "public_subnet_ids": subnets, "private_subnet_ids": [], "security_groups": {"alb": alb},
            "certificates": {}}


def listener_rules(client, name):
    elb = client("elbv2")
    lbs = [l for l in elb.describe_load_balancers()["LoadBalancers"] if l["LoadBalancerName"] == name]
    return {l["Port"]: elb.describe_rules(ListenerArn=l["ListenerArn"])["Rules"]
            for lb in lbs for l in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]}


@ROLE_GROUP
def test_role_rerun_check_mode_new_backend_path_and_teardown(aws_env, tmp_path):
    """edge_small (a frontend at /, a backend at /api): made, made again (changed=0), a backend
    path added in check mode (nothing written) then for real (its two patterns, in place, and
    nothing else), then torn down (nothing of the app left)."""
    client = clients(aws_env)
    network = public_network(client, "edgerole")
    settings = dict(env="review", app_name="edgerole", with_network="false",
                    coherence_file=os.path.join(FIXTURES, "edge_small.yml"))
    extra = ("-e", json.dumps({"coherence_network": network}))
    assert_ok(role_playbook("edge", "create", *extra, environ=aws_env, **settings))
    summary, config = distribution(client, "coherence edgerole review")
    assert [b["PathPattern"] for b in config["CacheBehaviors"]["Items"]] == ["/api", "/api/*"]
    assert config["Origins"]["Items"][-1]["CustomOriginConfig"]["OriginProtocolPolicy"] == "http-only"  # no domain
    function_arn = config["DefaultCacheBehavior"]["LambdaFunctionAssociations"]["Items"][0]["LambdaFunctionARN"]
    rules = listener_rules(client, "edgerole")
    assert list(rules) == [80] and [r["Actions"][0]["FixedResponseConfig"]["StatusCode"] for r in rules[80]] == ["404"]

    assert_unchanged(role_playbook("edge", "create", *extra, environ=aws_env, **settings))

    wider = tmp_path / "edge_small.yml"
    wider.write_text(open(settings["coherence_file"]).read()
                     + "admin:\n  type: backend\n  url_path: /api/admin\n  prod: [\"node\", \"admin.js\"]\n")
    settings["coherence_file"] = str(wider)
    planned = assert_ok(role_playbook("edge", "create", "--check", *extra, environ=aws_env, **settings))
    assert "CloudFront distribution      1 to change" in planned.stdout
    assert distribution(client, "coherence edgerole review")[1] == config, "check mode wrote nothing"

    assert_ok(role_playbook("edge", "create", *extra, environ=aws_env, **settings))
    _summary, after = distribution(client, "coherence edgerole review")
    assert [b["PathPattern"] for b in after["CacheBehaviors"]["Items"]] == ["/api/admin", "/api/admin/*", "/api", "/api/*"]
    assert after["CacheBehaviors"]["Items"][0]["TargetOriginId"] == "alb"
    assert {k: v for k, v in after.items() if k != "CacheBehaviors"} == {
        k: v for k, v in config.items() if k != "CacheBehaviors"}, "only the behaviours changed"
    assert after["DefaultCacheBehavior"]["LambdaFunctionAssociations"]["Items"][0]["LambdaFunctionARN"] == function_arn
    # The path's listener rule is ecs_service's (it registers the service): the edge adds none.
    assert listener_rules(client, "edgerole") == rules

    assert_ok(role_playbook("edge", "delete", *extra, environ=aws_env, **settings))
    assert distribution(client, "coherence edgerole review") == (None, None)
    assert leftovers(aws_env, "edgerole", [(DEFAULT_ACCOUNT, "us-east-1")]) == []
    assert edge_leftovers(client, "edgerole") == []


@ROLE_GROUP
def test_frontend_only_app_gets_no_load_balancer_nor_edge_function(aws_env):
    settings = dict(env="review", app_name="edgefront", coherence_file=os.path.join(FIXTURES, "frontend_only.yml"),
                    with_network="false")
    assert_ok(role_playbook("edge", "create", environ=aws_env, **settings))
    client = clients(aws_env)
    summary, config = distribution(client, "coherence edgefront review")
    assert summary is not None
    assert sorted(o["Id"] for o in config["Origins"]["Items"]) == ["frontend-docs", "frontend-web"]
    assert [b["PathPattern"] for b in config["CacheBehaviors"]["Items"]] == ["/docs", "/docs/*"]
    assert config["DefaultCacheBehavior"]["LambdaFunctionAssociations"]["Quantity"] == 0
    assert config["CustomErrorResponses"]["Quantity"] == 0
    assert not [l for l in client("elbv2").describe_load_balancers()["LoadBalancers"]
                if l["LoadBalancerName"] == "edgefront"]
    assert not [f for f in client("lambda").list_functions()["Functions"] if f["FunctionName"].startswith("edgefront-")]

    assert_ok(role_playbook("edge", "delete", environ=aws_env, **settings))
    assert edge_leftovers(client, "edgefront") == []
    assert leftovers(aws_env, "edgefront", [(DEFAULT_ACCOUNT, "us-east-1")]) == []


def test_embedded_aws_keeps_alb_attributes_and_cloudfront_oac_and_lambda(aws, network):
    """The two fidelity patches tools/embedded_aws.py carries for the edge, over HTTP."""
    elb = aws("elbv2")
    lb = elb.create_load_balancer(Name="fidelity-%s" % network["suffix"], Subnets=network["private_subnet_ids"])
    arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
    attributes = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}
    assert attributes["idle_timeout.timeout_seconds"] == "60" and attributes["routing.http2.enabled"] == "true"
    assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "false"
    elb.delete_load_balancer(LoadBalancerArn=arn)

    cf = aws("cloudfront")
    oac = cf.create_origin_access_control(OriginAccessControlConfig=dict(
        Name="fidelity-%s" % network["suffix"], SigningProtocol="sigv4", SigningBehavior="always",
        OriginAccessControlOriginType="s3"))["OriginAccessControl"]["Id"]
    function = "arn:aws:lambda:us-east-1:123456789012:function:f:1"
    config = {"CallerReference": "fidelity-" + network["suffix"], "Comment": "fidelity", "Enabled": False,
              "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": "b.s3.us-east-1.amazonaws.com",
                                                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                                                    "OriginAccessControlId": oac}]},
              "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
                                       "CachePolicyId": CACHING_DISABLED,
                                       "LambdaFunctionAssociations": {"Quantity": 1, "Items": [
                                           {"LambdaFunctionARN": function, "EventType": "origin-response"}]}}}
    made = cf.create_distribution(DistributionConfig=config)
    read = cf.get_distribution_config(Id=made["Distribution"]["Id"])
    assert read["DistributionConfig"]["Origins"]["Items"][0]["OriginAccessControlId"] == oac
    assert [a["LambdaFunctionARN"] for a in read["DistributionConfig"]["DefaultCacheBehavior"][
        "LambdaFunctionAssociations"]["Items"]] == [function]
    cf.delete_distribution(Id=made["Distribution"]["Id"], IfMatch=read["ETag"])
    cf.delete_origin_access_control(Id=oac, IfMatch="x")
