# -*- coding: utf-8 -*-
"""The outputs a deploy prints and writes: from the model and the roles' facts, nothing secret."""

from __future__ import annotations

from ansible_collections.coherence.aws.plugins.filter.outputs import outputs

MODEL = {"app": "shop", "environment": {"name": "review"}, "region": "us-east-1", "account_id": "123456789012",
         "dns": {"zone": "shop.example.com", "environment_zone": None}, "secret": {"name": "coherence/shop/review"}}
NETWORK = {"bastion_instance_id": "i-0abc", "name_servers": ["ns-1.awsdns-01.org", "ns-2.awsdns-02.com"]}
ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:coherence/shop/review-AbCdEf"
DATA = {"secret_name": "coherence/shop/review", "secret_arn": ARN,
        "resources": {"api-db": {"host": "shop-review-api-db.proxy-x.us-east-1.rds.amazonaws.com", "port": 5432,
                                 "database": "api"},
                      "api-redis": {"host": "master.shop-review-api-redis.x.use1.cache.amazonaws.com", "port": 6379},
                      "api-uploads": {"bucket": "shop-review-api-uploads-1a2b3c"}}}
EDGE = {"urls": ["https://review.shop.example.com"], "distribution_id": "E1", "distribution_domain": "d1.cloudfront.net",
        "alb_dns_name": "shop-1.us-east-1.elb.amazonaws.com"}
BUILD = {"pipeline": "shop-review"}


def test_everything_a_user_needs_after_a_deploy():
    out = outputs(MODEL, network=NETWORK, data=DATA, edge=EDGE, build=BUILD)
    assert out["urls"] == ["https://review.shop.example.com"] and out["cloudfront"] == {"id": "E1", "domain": "d1.cloudfront.net"}
    assert out["data"]["api-db"]["port_forward"] == (
        "aws ssm start-session --region us-east-1 --target i-0abc --document-name AWS-StartPortForwardingSessionToRemoteHost"
        " --parameters host=shop-review-api-db.proxy-x.us-east-1.rds.amazonaws.com,portNumber=5432,localPortNumber=5432")
    assert out["delegate"] == {"zone": "shop.example.com", "name_servers": NETWORK["name_servers"]}
    assert out["deploy"] == "ansible-playbook coherence.aws.deploy -e env=review -e app_name=shop -e git_ref=<ref>"
    assert out["summary"][0] == "shop review (account 123456789012, us-east-1)"
    assert "api-db: shop-review-api-db.proxy-x.us-east-1.rds.amazonaws.com:5432/api" in out["summary"]
    assert "api-uploads: s3://shop-review-api-uploads-1a2b3c" in out["summary"] and "port_forward" not in out["data"]["api-uploads"]
    assert "Delegate shop.example.com to: ns-1.awsdns-01.org, ns-2.awsdns-02.com" in out["summary"]
    assert out["secret_arn"] == ARN and "Secret: coherence/shop/review, %s (Secrets Manager; its values are never printed)" % ARN in out["summary"]


def test_a_frontend_only_app_says_only_what_it_has():
    out = outputs(dict(MODEL, dns=None), edge={"urls": ["https://d2.cloudfront.net"], "distribution_id": "E2",
                                               "distribution_domain": "d2.cloudfront.net"})
    assert out["data"] == {} and out["bastion"] is None and out["delegate"] is None and out["pipeline"] is None
    assert out["summary"] == ["shop review (account 123456789012, us-east-1)", "URLs: https://d2.cloudfront.net",
                              "CloudFront: d2.cloudfront.net (E2)",
                              "Secret: coherence/shop/review (Secrets Manager; its values are never printed)"]
