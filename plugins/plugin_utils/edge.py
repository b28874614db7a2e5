# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The edge of an environment: its load balancer (shared by the app's environments), its
CloudFront distribution (behaviours, origins, policies), frontend buckets, Lambda@Edge and DNS
aliases. Every name and wire roles/edge uses is decided here."""

from __future__ import annotations

from .names import make_name
from .settings import dns_suffix, partition

# AWS-managed CloudFront policies (the same ids in every account; CloudFront developer guide,
# "Use managed cache policies" and "Use managed origin request policies").
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"

# TLS 1.2 and 1.3 only, for viewers (CloudFront) and clients of the load balancer.
ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
CLOUDFRONT_TLS = "TLSv1.2_2021"
ALB_ORIGIN = "alb"
# The load balancer's origin name in an environment's own zone (in the app's zone: origin-<env>).
ENV_ZONE_ORIGIN = "origin"
# Node or Python both run at the edge; the function we ship is Python.
EDGE_RUNTIME = "python3.12"
EDGE_HANDLER = "spa_index.handler"


def _patterns(path):
    """A url_path's CloudFront path patterns: '/p' itself and everything under it."""
    return [path, path + "/*"]


def edge(st, services, routes, dns_model, shared_names):
    """The edge part of the app model, from the assembled services (their names), the routes
    (longest path first) and the DNS model (zone, certificates)."""
    app, env = st["app"], st["env"]
    backends = [s for s in services if s["type"] == "backend"]
    frontends = [s for s in services if s["type"] == "frontend"]
    env_domain = st["environment_domain"] if dns_model else None
    certificates = (dns_model or {}).get("certificates", [])

    # CloudFront reaches the load balancer by a name its certificate covers: a record of the
    # environment's own in the zone whose wildcard certificate the load balancer carries.
    origin_domain = None
    if backends and dns_model:
        origin_domain = ("%s.%s" % (ENV_ZONE_ORIGIN, dns_model["environment_zone"])
                         if dns_model["environment_zone"] else "%s.%s" % (_origin_name(env), dns_model["zone"]))

    frontend_out = []
    for svc in frontends:
        prefix = svc["url_path"].strip("/")
        frontend_out.append({
            "service": svc["name"], "bucket": svc["names"]["bucket"], "origin_id": "frontend-" + svc["name"],
            "url_path": svc["url_path"], "key_prefix": prefix + "/" if prefix else "",
            "index": (prefix + "/" if prefix else "") + svc["index_file_name"],
            "cors_allowed_origins": svc.get("cors_allowed_origins", []),
            "origin": {"id": "frontend-" + svc["name"], "type": "s3",
                       "domain_name": "%s.s3.%s.%s" % (svc["names"]["bucket"], st["region"], dns_suffix(st["region"]))},
        })
    by_service = {f["service"]: f for f in frontend_out}
    lambda_edge = bool(backends and frontends)

    def behaviour(route):
        # In coherence.aws.cloudfront_distribution's shape: frontends cached and read-only with
        # the SPA function; backends never cached, every method, the viewer's request but Host.
        front = by_service.get(route["service"])
        if front:
            return {"origin_id": front["origin_id"], "cache_policy_id": CACHING_OPTIMIZED,
                    "origin_request_policy_id": None, "allow_writes": False, "edge_function": lambda_edge}
        return {"origin_id": ALB_ORIGIN, "cache_policy_id": CACHING_DISABLED,
                "origin_request_policy_id": ALL_VIEWER_EXCEPT_HOST_HEADER, "allow_writes": True, "edge_function": False}

    behaviours = []
    default = None
    for route in routes:  # longest first: CloudFront takes the first pattern that matches
        if route["path"] == "/":
            default = behaviour(route)
            continue
        for pattern in _patterns(route["path"]):
            behaviours.append(dict(behaviour(route), path_pattern=pattern))
    if default is None and services:
        # Nothing at '/': the load balancer's default answer (404), or the only frontends' first.
        default = behaviour({"service": None if backends else frontends[0]["name"], "path": "/"})

    record_zone = (dns_model["environment_zone"] or dns_model["zone"]) if dns_model else None
    cert_for = {c["region"]: c["name"] for c in certificates if "cloudfront" in c["serves"]} if certificates else {}
    aliases = [env_domain] if env_domain else []
    comment = "coherence %s %s" % (app, env)
    access_control = make_name("lambda", app, env, "frontends")
    return {
        "cloudfront": bool(services),
        "lambda_edge": lambda_edge,
        "load_balancer": {
            "name": shared_names["alb"],
            "needed": bool(backends),
            "ssl_policy": ALB_SSL_POLICY,
            "deletion_protection": st["env_type"] == "production",
            # The app's certificate in the region is the listener's default; an environment
            # domain of its own adds its certificate by SNI.
            "certificates": [c["name"] for c in certificates if "alb" in c["serves"] and c["scope"] == "shared"],
            "sni_certificates": [c["name"] for c in certificates if "alb" in c["serves"] and c["scope"] == "environment"],
            "origin_domain": origin_domain,
        } if backends else None,
        "frontends": frontend_out,
        "distribution": {
            "comment": comment,
            "caller_reference": make_name("label", "coherence", app, env, st["account_id"] or ""),
            "origin_access_control": access_control,
            "aliases": aliases,
            "certificate": cert_for.get("us-east-1"),
            "tls": CLOUDFRONT_TLS,
            "default_behaviour": default,
            "behaviours": behaviours,
        } if services else None,
        "function": {
            "name": shared_names["lambda_edge"], "role": shared_names["lambda_edge_role"],
            "runtime": EDGE_RUNTIME, "handler": EDGE_HANDLER, "region": "us-east-1",
            # What the function needs to know (Lambda@Edge takes no environment variables).
            "routes": {f["key_prefix"]: f["index"] for f in frontend_out},
        } if lambda_edge else None,
        # Alias records: the environment's domain to the distribution, the origin name to the
        # load balancer; each in the zone its name is in.
        "dns_records": [{"zone": record_zone, "name": name, "type": kind} for name in aliases for kind in ("A", "AAAA")],
        "origin_record": {"zone": record_zone, "name": origin_domain, "type": "A"} if origin_domain else None,
        # The origin record's name in each kind of zone, for a teardown that is not given the domains.
        # What names the distribution (also for a teardown whose coherence.yml has no service left).
        "distribution_comment": comment,
        "origin_access_control": access_control,
        "origin_names": {"app_zone": _origin_name(env), "environment_zone": ENV_ZONE_ORIGIN},
        "key_statements": _key_statements(st) if frontends else [],
    }


def _origin_name(env):
    return "origin-%s" % make_name("label", env).lower()


def _key_statements(st):
    """CloudFront's part of the environment's KMS key policy when it has frontends: decrypt, so an
    origin read through OAC can decrypt its SSE-KMS bucket (CloudFront developer guide,
    "Restricting access to an Amazon S3 origin", SSE-KMS). The key is made before the
    distribution: the account's distributions are allowed here, the bucket policy allows only the
    environment's."""
    return [{"Sid": "CloudFrontDecryptsFrontends", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
             "Action": "kms:Decrypt", "Resource": "*",
             "Condition": {"StringLike": {"AWS:SourceArn": "arn:%s:cloudfront::%s:distribution/*" % (
                 partition(st["region"]), st["account_id"] or "")}}}]
