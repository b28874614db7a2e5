# -*- coding: utf-8 -*-
"""Only what the app needs, through site.yml and teardown.yml: an app of frontends gets its
buckets, distribution, zone and certificates, and no VPC, NAT gateway, load balancer, cluster,
bastion nor Lambda@Edge (users pay for what they use); after a deploy that failed half-way, and
twice, its teardown leaves nothing. A backend-only app's shape (no frontend
bucket, no Lambda@Edge) is read on test_environments' fleet, which is one."""

from __future__ import annotations

import os

from support import DEFAULT_ACCOUNT, FIXTURES, alive_tagged, assert_ok, assert_unchanged, clients, leftovers, playbook


def test_frontend_only_app_gets_no_network_load_balancer_cluster_nor_bastion(aws_env):
    settings = dict(env="review", app_name="fronts", base_domain="fronts.example.com",
                    coherence_file=os.path.join(FIXTURES, "frontend_only.yml"))
    client = clients(aws_env)
    # A deploy that fails half-way (a bad build setting, refused where the build role is first
    # reached: the zone, certificates, key and record exist by then) is torn down whole, and a
    # second teardown finds nothing to do.
    half = playbook("site", environ=aws_env, build_timeout_minutes="soon", **settings)
    assert half.returncode != 0 and "build_timeout_minutes" in half.stdout + half.stderr, half.stdout[-2000:]
    assert alive_tagged(client, "fronts")
    assert_ok(playbook("teardown", environ=aws_env, **settings))
    assert leftovers(aws_env, "fronts", [(DEFAULT_ACCOUNT, "us-east-1")], domain="fronts.example.com") == []
    assert_unchanged(playbook("teardown", environ=aws_env, **settings))

    first = assert_ok(playbook("site", environ=aws_env, **settings))
    assert "no VPC, NAT gateway, load balancer, cluster nor bastion" in " ".join(first.stdout.split()), first.stdout[-3000:]
    ec2 = client("ec2")
    mine = [{"Name": "tag:Application", "Values": ["fronts"]}]
    assert ec2.describe_vpcs(Filters=mine)["Vpcs"] == []
    # (the embedded AWS filters NAT gateways by tag only through the tagging API: read the tags)
    assert [n for n in ec2.describe_nat_gateways()["NatGateways"]
            if {"Key": "Application", "Value": "fronts"} in n.get("Tags", [])] == []
    assert ec2.describe_security_groups(Filters=mine)["SecurityGroups"] == []
    assert ec2.describe_instances(Filters=mine)["Reservations"] == []
    assert ec2.describe_addresses(Filters=mine)["Addresses"] == []
    assert not [lb for lb in client("elbv2").describe_load_balancers()["LoadBalancers"]
                if lb["LoadBalancerName"].startswith("fronts")]
    assert [c for c in client("ecs").describe_clusters(clusters=["fronts"])["clusters"] if c["status"] == "ACTIVE"] == []
    assert not [f for f in client("lambda").list_functions()["Functions"] if f["FunctionName"].startswith("fronts-")]
    assert not [r for r in client("ecr").describe_repositories()["repositories"] if r["repositoryName"].startswith("fronts")]
    # What it does get: a bucket per frontend behind the distribution, its zone and certificates.
    tagged = alive_tagged(client, "fronts")
    buckets = sorted(a.split(":::")[1].rsplit("-", 1)[0] for a in tagged if a.startswith("arn:aws:s3:::fronts-review-"))
    assert buckets == ["fronts-review-artifacts", "fronts-review-docs", "fronts-review-web"], tagged
    cf = client("cloudfront")
    mine_cf = [d for d in cf.list_distributions()["DistributionList"].get("Items", []) if d["Comment"] == "coherence fronts review"]
    assert len(mine_cf) == 1 and mine_cf[0]["Aliases"]["Items"] == ["review.fronts.example.com"]
    assert [z["Name"] for z in client("route53").list_hosted_zones()["HostedZones"]].count("fronts.example.com.") == 1

    # A re-run finds its environment by the distribution (no security group to count by).
    assert_unchanged(playbook("site", environ=aws_env, **settings))

    assert_ok(playbook("teardown", environ=aws_env, **settings))
    assert leftovers(aws_env, "fronts", [(DEFAULT_ACCOUNT, "us-east-1")], domain="fronts.example.com") == []
