# -*- coding: utf-8 -*-
"""The edge part of the app model (plugins/plugin_utils/edge.py) and the comparison
coherence.aws.cloudfront_distribution and lambda_edge make."""

from __future__ import annotations

import os

from conftest import REPO

from ansible_collections.coherence.aws.plugins.module_utils import cloudfront
from ansible_collections.coherence.aws.plugins.modules import lambda_edge
from ansible_collections.coherence.aws.plugins.plugin_utils import edge as edge_model
from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model

DEMO = os.path.join(REPO, "examples", "demo", "coherence.yml")


def model(text, env="review", **kw):
    kw.setdefault("app_name", "shop")
    kw.setdefault("base_domain", "shop.example.com")
    return build_app_model(text, env=env, account_id="123456789012", **kw)


def demo(**kw):
    return model(open(DEMO).read(), **kw)["edge"]


def test_behaviours_longest_path_first_both_patterns_backends_uncached():
    e = demo()
    assert [b["path_pattern"] for b in e["distribution"]["behaviours"]] == ["/admin", "/admin/*", "/api", "/api/*"]
    for b in e["distribution"]["behaviours"]:
        assert b["origin_id"] == edge_model.ALB_ORIGIN and b["allow_writes"] and not b["edge_function"]
        assert b["cache_policy_id"] == edge_model.CACHING_DISABLED
        assert b["origin_request_policy_id"] == edge_model.ALL_VIEWER_EXCEPT_HOST_HEADER
    default = e["distribution"]["default_behaviour"]
    assert default["origin_id"] == "frontend-storefront" and default["edge_function"] and not default["allow_writes"]


def test_frontend_bucket_origin_and_certificates():
    e = demo()
    front = e["frontends"][0]
    assert front["origin"] == {"id": "frontend-storefront", "type": "s3",
                               "domain_name": front["bucket"] + ".s3.us-east-1.amazonaws.com"}
    assert front["index"] == "index.html" and front["key_prefix"] == ""
    assert e["distribution"]["aliases"] == ["review.shop.example.com"]
    assert e["distribution"]["certificate"] == "shop"  # us-east-1: the same certificate serves both
    assert e["load_balancer"]["origin_domain"] == "origin-review.shop.example.com"
    assert e["load_balancer"]["deletion_protection"] is False
    assert e["function"]["routes"] == {"": "index.html"}
    assert e["dns_records"] == [{"zone": "shop.example.com", "name": "review.shop.example.com", "type": t} for t in ("A", "AAAA")]
    assert e["origin_record"] == {"zone": "shop.example.com", "name": "origin-review.shop.example.com", "type": "A"}


def test_production_in_another_region_protects_the_load_balancer_and_uses_us_east_1_for_cloudfront():
    e = demo(env="main", env_type="production", region="eu-west-1")
    assert e["load_balancer"]["deletion_protection"] is True
    assert e["load_balancer"]["certificates"] == ["shop"]
    assert e["distribution"]["certificate"] == "shop-cloudfront"


def test_key_policy_lets_the_accounts_distributions_decrypt_only_when_there_are_frontends():
    policy = model(open(DEMO).read(), env="main", env_type="production", region="cn-north-1")["kms_key_policy"]
    admin = policy["Statement"][0]
    cloudfront = [st for st in policy["Statement"] if st["Principal"] == {"Service": "cloudfront.amazonaws.com"}]
    assert admin["Principal"] == {"AWS": "arn:aws-cn:iam::123456789012:root"} and admin["Action"] == "kms:*"
    assert len(cloudfront) == 1 and cloudfront[0]["Action"] == "kms:Decrypt"
    assert cloudfront[0]["Condition"] == {"StringLike": {"AWS:SourceArn": "arn:aws-cn:cloudfront::123456789012:distribution/*"}}
    backend_only = model(BACKEND_ONLY)["kms_key_policy"]  # its services' logs only
    assert [st["Principal"] for st in backend_only["Statement"][1:]] == [{"Service": "logs.us-east-1.amazonaws.com"}]
    assert build_app_model(open(DEMO).read(), env="review", app_name="shop")["kms_key_policy"] is None  # no account yet


FRONTEND_ONLY = os.path.join(REPO, "tests", "fixtures", "frontend_only.yml")


def test_frontend_only_app_has_no_load_balancer_nor_edge_function():
    e = model(open(FRONTEND_ONLY).read())["edge"]
    assert e["load_balancer"] is None and e["function"] is None and e["lambda_edge"] is False
    assert [b["path_pattern"] for b in e["distribution"]["behaviours"]] == ["/docs", "/docs/*"]
    assert not any(b["edge_function"] for b in e["distribution"]["behaviours"])
    docs = [f for f in e["frontends"] if f["service"] == "docs"][0]
    assert docs["index"] == "docs/start.html" and docs["key_prefix"] == "docs/"


BACKEND_ONLY = """
api:
  type: backend
  url_path: /api
"""


def test_backend_only_app_default_goes_to_the_load_balancer():
    e = model(BACKEND_ONLY)["edge"]
    assert e["frontends"] == [] and e["function"] is None
    assert e["distribution"]["default_behaviour"]["origin_id"] == edge_model.ALB_ORIGIN


PARAMS = {
    "comment": "c", "caller_reference": "r", "enabled": True, "aliases": ["a.example.com"],
    "certificate_arn": "arn:cert", "minimum_protocol_version": "TLSv1.2_2021", "default_root_object": "index.html",
    "price_class": "PriceClass_All", "edge_function_arn": "arn:fn:3",
    "origins": [{"id": "s3", "domain_name": "b.s3.us-east-1.amazonaws.com", "type": "s3", "origin_path": None},
                {"id": "alb", "domain_name": "origin.example.com", "type": "custom", "protocol_policy": "https-only"}],
    "default_behavior": {"origin_id": "s3", "cache_policy_id": "opt", "origin_request_policy_id": None,
                         "allow_writes": False, "edge_function": True},
    "behaviors": [{"path_pattern": "/api", "origin_id": "alb", "cache_policy_id": "off",
                   "origin_request_policy_id": "viewer", "allow_writes": True, "edge_function": False}],
}


def test_config_sets_oac_https_only_origin_lambda_on_frontend_and_no_error_pages():
    api = cloudfront.config_to_api(PARAMS, "oac-1")
    s3, alb = api["Origins"]["Items"]
    assert s3["OriginAccessControlId"] == "oac-1" and s3["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert alb["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert alb["CustomOriginConfig"]["OriginSslProtocols"]["Items"] == ["TLSv1.2"]
    assert api["DefaultCacheBehavior"]["LambdaFunctionAssociations"]["Items"][0]["LambdaFunctionARN"] == "arn:fn:3"
    assert api["CacheBehaviors"]["Items"][0]["LambdaFunctionAssociations"] == {"Quantity": 0, "Items": []}
    assert api["CustomErrorResponses"] == {"Quantity": 0}
    assert api["ViewerCertificate"]["ACMCertificateArn"] == "arn:cert"


def test_what_cloudfront_adds_is_not_a_difference_but_what_we_own_is():
    sent = cloudfront.config_to_api(PARAMS, "oac-1")
    # What a read gives back: defaults added (ForwardedValues, TTLs, trusted signers, logging).
    read = dict(sent, Logging={"Enabled": False}, HttpVersion="http2", WebACLId="")
    read["DefaultCacheBehavior"] = dict(sent["DefaultCacheBehavior"], MinTTL=0, SmoothStreaming=False,
                                        ForwardedValues={"QueryString": False}, TrustedSigners={"Quantity": 0})
    read["ViewerCertificate"] = dict(sent["ViewerCertificate"], CloudFrontDefaultCertificate=True, CertificateSource="acm")
    assert cloudfront.owned(read) == cloudfront.owned(sent)
    moved = dict(PARAMS, edge_function_arn="arn:fn:4")
    assert cloudfront.owned(cloudfront.config_to_api(moved, "oac-1")) != cloudfront.owned(sent)
    kept = cloudfront.config_to_api(PARAMS, "oac-1", current=dict(read, Logging={"Enabled": True, "Bucket": "logs"}))
    assert kept["Logging"] == {"Enabled": True, "Bucket": "logs"}, "what the module does not own is kept"


def test_lambda_package_is_the_same_bytes_for_the_same_files():
    files = {"b.py": "x = 1\n", "a.json": "{}"}
    one = lambda_edge.package(files)
    assert one == lambda_edge.package(dict(reversed(list(files.items()))))
    assert lambda_edge.code_hash(one) != lambda_edge.code_hash(lambda_edge.package(dict(files, **{"a.json": "[]"})))


def _spa(tmp_path, monkeypatch, routes):
    import importlib.util
    import json
    import shutil

    shutil.copy(os.path.join(REPO, "roles", "edge", "files", "spa_index.py"), str(tmp_path))
    (tmp_path / "routes.json").write_text(json.dumps(routes))
    spec = importlib.util.spec_from_file_location("spa_index", str(tmp_path / "spa_index.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _event(uri, status):
    return {"Records": [{"cf": {"config": {"distributionDomainName": "d1.cloudfront.net"},
                                "request": {"uri": uri}, "response": {"status": status, "headers": {}}}}]}


def test_spa_function_serves_the_index_for_client_routes_only(tmp_path, monkeypatch):
    spa = _spa(tmp_path, monkeypatch, {"": "index.html", "docs/": "docs/start.html"})
    assert spa.index_for("/docs/guide/intro") == "docs/start.html"
    assert spa.index_for("/cart") == "index.html"
    fetched = []

    class Page(object):
        def __init__(self, url):
            fetched.append(url)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return b"<html>app</html>"

    monkeypatch.setattr(spa.urllib.request, "urlopen", lambda url, timeout: Page(url))
    # A missing file and a found page are answered as the bucket said.
    assert spa.handler(_event("/assets/app.js", "404"), None)["status"] == "404"
    assert spa.handler(_event("/cart", "200"), None)["status"] == "200" and not fetched
    answer = spa.handler(_event("/docs/guide/intro", "403"), None)
    assert answer["status"] == "200" and answer["body"] == "<html>app</html>"
    assert fetched == ["https://d1.cloudfront.net/docs/start.html"]
