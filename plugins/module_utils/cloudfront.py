# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudFront distributions as coherence.aws.cloudfront_distribution manages them: the API
configuration built from the module's options, the part of a configuration the module owns
(what it compares), and the reads and writes, through amazon.aws's error handlers."""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_list

# What viewers and backends may send; a frontend (S3) answers reads only.
READ_METHODS = ["GET", "HEAD", "OPTIONS"]
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]


def _items(values):
    return {"Quantity": len(values), "Items": list(values)}


def origin_to_api(origin, access_control_id):
    api = {"Id": origin["id"], "DomainName": origin["domain_name"], "OriginPath": origin.get("origin_path") or ""}
    if origin["type"] == "s3":
        # Origin Access Control signs CloudFront's requests; the legacy identity stays empty.
        api["S3OriginConfig"] = {"OriginAccessIdentity": ""}
        api["OriginAccessControlId"] = access_control_id or ""
    else:
        api["CustomOriginConfig"] = {"HTTPPort": 80, "HTTPSPort": 443,
                                     "OriginProtocolPolicy": origin.get("protocol_policy") or "https-only",
                                     "OriginSslProtocols": _items(["TLSv1.2"]),
                                     "OriginReadTimeout": 30, "OriginKeepaliveTimeout": 5}
    return api


def behavior_to_api(behavior, function_arn=None):
    methods = ALL_METHODS if behavior.get("allow_writes") else READ_METHODS
    api = {"TargetOriginId": behavior["origin_id"], "ViewerProtocolPolicy": "redirect-to-https",
           "AllowedMethods": dict(_items(methods), CachedMethods=_items(["GET", "HEAD"])),
           "Compress": True, "CachePolicyId": behavior["cache_policy_id"],
           "LambdaFunctionAssociations": _items(
               [{"LambdaFunctionARN": function_arn, "EventType": "origin-response", "IncludeBody": False}]
               if behavior.get("edge_function") and function_arn else [])}
    if behavior.get("origin_request_policy_id"):
        api["OriginRequestPolicyId"] = behavior["origin_request_policy_id"]
    if behavior.get("path_pattern"):
        api["PathPattern"] = behavior["path_pattern"]
    return api


def config_to_api(params, access_control_id, current=None):
    """The DistributionConfig to send: the current one (what we do not own kept as it is) with
    what we own set from the options."""
    config = dict(current or {"CallerReference": params["caller_reference"] or params["comment"],
                              "Restrictions": {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}}})
    certificate = ({"ACMCertificateArn": params["certificate_arn"], "SSLSupportMethod": "sni-only",
                    "MinimumProtocolVersion": params["minimum_protocol_version"]}
                   if params["certificate_arn"] else
                   {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1"})
    config.update({
        "Comment": params["comment"], "Enabled": params["enabled"], "Aliases": _items(params["aliases"]),
        "DefaultRootObject": params["default_root_object"] or "", "IsIPV6Enabled": True,
        "PriceClass": params["price_class"], "ViewerCertificate": certificate,
        "Origins": _items([origin_to_api(o, access_control_id) for o in params["origins"]]),
        "DefaultCacheBehavior": behavior_to_api(params["default_behavior"], params["edge_function_arn"]),
        "CacheBehaviors": _items([behavior_to_api(b, params["edge_function_arn"]) for b in params["behaviors"]]),
        # None on purpose: a backend's 4xx/5xx must reach its client as it was sent.
        "CustomErrorResponses": {"Quantity": 0},
    })
    return config


def _owned_behavior(api):
    lambdas = (api.get("LambdaFunctionAssociations") or {}).get("Items") or []
    return {"path_pattern": api.get("PathPattern"), "origin_id": api["TargetOriginId"],
            "viewer_protocol_policy": api["ViewerProtocolPolicy"],
            "allowed_methods": sorted((api.get("AllowedMethods") or {}).get("Items") or []),
            "cache_policy_id": api.get("CachePolicyId") or None,
            "origin_request_policy_id": api.get("OriginRequestPolicyId") or None,
            "lambda_function_associations": sorted((a["EventType"], a["LambdaFunctionARN"]) for a in lambdas)}


def _owned_origin(api):
    custom = api.get("CustomOriginConfig") or {}
    return {"id": api["Id"], "domain_name": api["DomainName"], "origin_path": api.get("OriginPath") or "",
            "origin_access_control_id": api.get("OriginAccessControlId") or None,
            "protocol_policy": custom.get("OriginProtocolPolicy"),
            "ssl_protocols": sorted((custom.get("OriginSslProtocols") or {}).get("Items") or [])}


def owned(config):
    """The part of a DistributionConfig this module decides, in a form to compare and show:
    what CloudFront (or the embedded AWS) adds by default is left out."""
    if not config:
        return {}
    cert = config.get("ViewerCertificate") or {}
    return {
        "comment": config.get("Comment"), "enabled": config.get("Enabled"),
        "aliases": sorted((config.get("Aliases") or {}).get("Items") or []),
        "default_root_object": config.get("DefaultRootObject") or "",
        "price_class": config.get("PriceClass"), "ipv6": config.get("IsIPV6Enabled"),
        "certificate_arn": cert.get("ACMCertificateArn") or None,
        "minimum_protocol_version": cert.get("MinimumProtocolVersion") if cert.get("ACMCertificateArn") else None,
        "origins": sorted((_owned_origin(o) for o in (config.get("Origins") or {}).get("Items") or []),
                          key=lambda o: o["id"]),
        "default_behavior": _owned_behavior(config["DefaultCacheBehavior"]),
        # In order: CloudFront takes the first pattern that matches.
        "behaviors": [_owned_behavior(b) for b in (config.get("CacheBehaviors") or {}).get("Items") or []],
        "custom_error_responses": (config.get("CustomErrorResponses") or {}).get("Quantity", 0),
    }


def find(client, comment):
    """The summary of the distribution whose comment is `comment`, or None."""
    paginator = client.get_paginator("list_distributions")
    for page in paginator.paginate():
        for item in (page.get("DistributionList") or {}).get("Items") or []:
            if item.get("Comment") == comment:
                return item
    return None


def get_config(client, distribution_id):
    found = client.get_distribution_config(aws_retry=True, Id=distribution_id)
    return found["DistributionConfig"], found["ETag"]


def access_control(client, name):
    """The id of the Origin Access Control called `name`, or None."""
    found = describe_list(client, "list_origin_access_controls", "OriginAccessControlList", "NoSuchOriginAccessControl")
    for item in found.get("Items") or []:
        if item["Name"] == name:
            return item["Id"]
    return None


def create_access_control(client, name):
    config = {"Name": name, "Description": "coherence.aws: CloudFront reads the frontend buckets",
              "SigningProtocol": "sigv4", "SigningBehavior": "always", "OriginAccessControlOriginType": "s3"}
    return client.create_origin_access_control(aws_retry=True, OriginAccessControlConfig=config)["OriginAccessControl"]["Id"]


def tags(client, arn):
    found = client.list_tags_for_resource(aws_retry=True, Resource=arn)
    return boto3_tag_list_to_ansible_dict((found.get("Tags") or {}).get("Items") or [])


def set_tags(client, arn, add, remove):
    if remove:
        client.untag_resource(aws_retry=True, Resource=arn, TagKeys={"Items": list(remove)})
    if add:
        client.tag_resource(aws_retry=True, Resource=arn, Tags={"Items": ansible_dict_to_boto3_tag_list(add)})
