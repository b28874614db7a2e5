# -*- coding: utf-8 -*-
"""site.yml's outputs, on the shared demo deploy: the summary it prints and the JSON it writes
name what exists (read back from the embedded AWS), and no secret."""

from __future__ import annotations

import json
import os
import tempfile


def test_outputs_name_what_exists_and_no_secret(demo_review):
    client, stdout = demo_review["client"], demo_review["first"].stdout
    path = os.path.join(tempfile.gettempdir(), "coherence-test-outputs-%d" % os.getpid(), "coherence-outputs-shop-review.json")
    text = open(path).read()
    out = json.loads(text)
    assert demo_review["secret"] not in text and demo_review["secret"] not in stdout
    distribution = [d for d in client("cloudfront").list_distributions()["DistributionList"]["Items"]
                    if d["Comment"] == "coherence shop review"][0]
    assert out["cloudfront"] == {"id": distribution["Id"], "domain": distribution["DomainName"]}
    assert out["urls"] == ["https://review.shop.example.com"]
    assert out["load_balancer"] == client("elbv2").describe_load_balancers(Names=["shop"])["LoadBalancers"][0]["DNSName"]
    bastion = client("ec2").describe_instances(Filters=[{"Name": "tag:Application", "Values": ["shop"]},
                                                        {"Name": "instance-state-name", "Values": ["running"]}])
    assert out["bastion"] == bastion["Reservations"][0]["Instances"][0]["InstanceId"]
    proxy = client("rds").describe_db_proxies()["DBProxies"][0]["Endpoint"]
    database = [e for e in out["data"].values() if e.get("database")][0]
    assert database["host"] == proxy and "--target %s " % out["bastion"] in database["port_forward"]
    assert out["pipeline"] == "shop-review" and "git_ref=" in out["deploy"]
    # The secret's ARN, intact (read by a task that takes no secret value), as Secrets Manager has it.
    assert out["secret_arn"] == client("secretsmanager").describe_secret(SecretId="coherence/shop/review")["ARN"]
    assert "summary" not in out
    assert "TASK [The environment]" in stdout and "Pipeline: shop-review; ship a git ref" in stdout
