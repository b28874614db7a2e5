#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudfront_distribution
short_description: Manage a CloudFront distribution with Origin Access Control, by what it owns
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Creates, updates, waits for and deletes a CloudFront distribution found by its comment; S3
    origins read through an Origin Access Control (created by name when missing), custom origins
    over HTTPS only with TLS 1.2, cache behaviours in the order given, viewers redirected to
    HTTPS with an ACM certificate, aliases, tags, and no custom error responses.
  - Compares only the configuration it owns (what CloudFront adds by default is left out) and
    writes only on a difference; what it does not own (logging, geo restrictions, WAF) is kept.
  - Starts a change without waiting (O(wait=false)); O(state=deployed) waits for it, once, later.
  - O(state=absent) disables the distribution, waits until CloudFront has deployed that, and
    deletes it (and the Origin Access Control named in O(origin_access_control), if unused).
  - community.aws.cloudfront_distribution cannot set an Origin Access Control and reports a
    change on every run.
options:
  state:
    description:
      - C(present) creates or updates the distribution; C(absent) deletes it; C(deployed) only
        waits until it is deployed (needs O(comment) only).
    type: str
    choices: [present, absent, deployed]
    default: present
  comment:
    description: The distribution's comment, which names it (unique in the account).
    type: str
    required: true
  caller_reference:
    description: The caller reference of a new distribution (default O(comment)).
    type: str
  enabled:
    description: Whether the distribution serves requests.
    type: bool
    default: true
  aliases:
    description: Alternate domain names (CNAMEs) the certificate covers.
    type: list
    elements: str
    default: []
  certificate_arn:
    description: ARN of an ACM certificate in C(us-east-1) for the aliases. Unset uses CloudFront's own.
    type: str
  minimum_protocol_version:
    description: The oldest TLS viewers may use (with O(certificate_arn)).
    type: str
    default: TLSv1.2_2021
  default_root_object:
    description: The object served for C(/).
    type: str
  price_class:
    description: Where the distribution is served from.
    type: str
    choices: [PriceClass_100, PriceClass_200, PriceClass_All]
    default: PriceClass_All
  origin_access_control:
    description: Name of the Origin Access Control every S3 origin uses (created when missing).
    type: str
  origins:
    description: The origins.
    type: list
    elements: dict
    default: []
    suboptions:
      id:
        description: The origin's id, which behaviours name.
        type: str
        required: true
      domain_name:
        description: The bucket's regional domain name, or the custom origin's host name.
        type: str
        required: true
      type:
        description: C(s3) (read through the Origin Access Control) or C(custom).
        type: str
        choices: [s3, custom]
        default: s3
      origin_path:
        description: A path prefix CloudFront adds to requests to this origin.
        type: str
      protocol_policy:
        description: How CloudFront talks to a custom origin.
        type: str
        choices: [https-only, http-only, match-viewer]
        default: https-only
  default_behavior:
    description: The behaviour for what no other matches. Required with O(state=present).
    type: dict
    suboptions:
      origin_id:
        description: The origin served.
        type: str
        required: true
      cache_policy_id:
        description: The cache policy (for example the managed CachingDisabled).
        type: str
        required: true
      origin_request_policy_id:
        description: The origin request policy (for example the managed AllViewerExceptHostHeader).
        type: str
      allow_writes:
        description: Allow PUT, POST, PATCH and DELETE (a backend); else GET, HEAD and OPTIONS.
        type: bool
        default: false
      edge_function:
        description: Run O(edge_function_arn) on this behaviour's origin responses.
        type: bool
        default: false
  behaviors:
    description: Cache behaviours, first match wins (give the longest paths first).
    type: list
    elements: dict
    default: []
    suboptions:
      path_pattern:
        description: The pattern requests are matched against.
        type: str
      origin_id:
        description: The origin served.
        type: str
        required: true
      cache_policy_id:
        description: The cache policy (for example the managed CachingDisabled).
        type: str
        required: true
      origin_request_policy_id:
        description: The origin request policy (for example the managed AllViewerExceptHostHeader).
        type: str
      allow_writes:
        description: Allow PUT, POST, PATCH and DELETE (a backend); else GET, HEAD and OPTIONS.
        type: bool
        default: false
      edge_function:
        description: Run O(edge_function_arn) on this behaviour's origin responses.
        type: bool
        default: false
  edge_function_arn:
    description: A numbered Lambda@Edge version, for the behaviours that set C(edge_function).
    type: str
  wait:
    description: Wait until CloudFront has deployed the change.
    type: bool
    default: false
extends_documentation_fragment:
  - coherence.aws.common
  - coherence.aws.common.resource
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - CloudFront is global, the region option does not matter.
  - Deleting waits for the disabled distribution to be deployed (15 minutes or more on AWS).
"""

EXAMPLES = r"""
- name: A frontend bucket and an API behind a load balancer
  coherence.aws.cloudfront_distribution:
    comment: coherence shop review
    aliases: [review.shop.example.com]
    certificate_arn: "{{ cloudfront_certificate_arn }}"
    origin_access_control: shop-review-frontends
    origins:
      - {id: frontend-web, domain_name: shop-review-web.s3.us-east-1.amazonaws.com, type: s3}
      - {id: alb, domain_name: origin-review.shop.example.com, type: custom}
    default_behavior: {origin_id: frontend-web, cache_policy_id: 658327ea-f89d-4fab-a63d-7e88639e58f6}
    behaviors:
      - {path_pattern: /api, origin_id: alb, allow_writes: true, cache_policy_id: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad,
         origin_request_policy_id: b689b0a8-53d0-40ab-baf2-68738e2966ac}
      - {path_pattern: /api/*, origin_id: alb, allow_writes: true, cache_policy_id: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad,
         origin_request_policy_id: b689b0a8-53d0-40ab-baf2-68738e2966ac}
    edge_function_arn: "{{ edge_function.function.version_arn }}"
    tags: {Application: shop}
  register: cdn

- name: Later, wait once
  coherence.aws.cloudfront_distribution:
    comment: coherence shop review
    state: deployed
"""

RETURN = r"""
distribution:
  description: The distribution (empty when absent, or not yet made in check mode).
  returned: always
  type: dict
  contains:
    id:
      description: The distribution's id.
      type: str
    arn:
      description: The distribution's ARN.
      type: str
    domain_name:
      description: The distribution's own domain name.
      type: str
      sample: d111111abcdef8.cloudfront.net
    status:
      description: C(InProgress) or C(Deployed).
      type: str
    origin_access_control_id:
      description: The id of the Origin Access Control the S3 origins use.
      type: str
    config:
      description: The configuration the module owns, as it compared it.
      type: dict
    tags:
      description: The distribution's tags.
      type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.coherence.aws.plugins.module_utils import cloudfront
from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule
from ansible_collections.coherence.aws.plugins.module_utils.modules import resource_argument_spec
from ansible_collections.coherence.aws.plugins.module_utils.waiting import wait_or_fail

DEFAULT_BEHAVIOR = dict(origin_id=dict(type="str", required=True), cache_policy_id=dict(type="str", required=True),
                        origin_request_policy_id=dict(type="str"), allow_writes=dict(type="bool", default=False),
                        edge_function=dict(type="bool", default=False))
BEHAVIOR = dict(DEFAULT_BEHAVIOR, path_pattern=dict(type="str"))


def _output(summary, access_control_id, config, tags):
    if not summary:
        return {}
    return {"id": summary["Id"], "arn": summary["ARN"], "domain_name": summary["DomainName"],
            "status": summary["Status"], "origin_access_control_id": access_control_id,
            "config": cloudfront.owned(config), "tags": tags}


def _wait(module, client, distribution_id):
    wait_or_fail(module, client, "distribution_deployed", "CloudFront distribution %s" % distribution_id,
                 Id=distribution_id)


def ensure_present(module, client):
    params = module.params
    summary = cloudfront.find(client, params["comment"])
    control = None
    if params["origin_access_control"]:
        control = cloudfront.access_control(client, params["origin_access_control"])
        if control is None and not module.check_mode:
            control = cloudfront.create_access_control(client, params["origin_access_control"])
    if summary is None:
        desired = cloudfront.config_to_api(params, control)
        after = cloudfront.owned(desired)
        if module.check_mode:
            module.exit_changed(True, {}, after, distribution={})
        made = client.create_distribution_with_tags(aws_retry=True, DistributionConfigWithTags={
            "DistributionConfig": desired,
            "Tags": {"Items": ansible_dict_to_boto3_tag_list(params["tags"] or {})}})["Distribution"]
        if params["wait"]:
            _wait(module, client, made["Id"])
        module.exit_changed(True, {}, after, distribution=_output(made, control, desired, params["tags"] or {}))

    current, etag = cloudfront.get_config(client, summary["Id"])
    desired = cloudfront.config_to_api(params, control, current)
    before, after = cloudfront.owned(current), cloudfront.owned(desired)
    changed = before != after
    if changed and not module.check_mode:
        summary = client.update_distribution(aws_retry=True, Id=summary["Id"], IfMatch=etag,
                                             DistributionConfig=desired)["Distribution"]
    have_tags = cloudfront.tags(client, summary["ARN"])
    add, remove = compare_aws_tags(have_tags, params["tags"] or {}, params["purge_tags"]) if params["tags"] is not None else ({}, [])
    if (add or remove) and not module.check_mode:
        cloudfront.set_tags(client, summary["ARN"], add, remove)
    new_tags = dict((k, v) for k, v in dict(have_tags, **add).items() if k not in remove)
    if params["wait"] and not module.check_mode:
        _wait(module, client, summary["Id"])
    before["tags"], after["tags"] = have_tags, new_tags
    module.exit_changed(changed or bool(add or remove), before, after,
                        distribution=_output(summary, control, desired if changed else current, new_tags))


def ensure_deployed(module, client):
    summary = cloudfront.find(client, module.params["comment"])
    if summary is None:
        module.fail_json(msg="no CloudFront distribution has the comment %r" % module.params["comment"])
    if not module.check_mode:
        _wait(module, client, summary["Id"])
        summary = client.get_distribution(aws_retry=True, Id=summary["Id"])["Distribution"]
    config, dummy = cloudfront.get_config(client, summary["Id"])
    module.exit_json(changed=False, distribution=_output(summary, None, config, cloudfront.tags(client, summary["ARN"])))


def ensure_absent(module, client):
    summary = cloudfront.find(client, module.params["comment"])
    name = module.params["origin_access_control"]
    control = cloudfront.access_control(client, name) if name else None
    if summary is None and control is None:
        module.exit_changed(False, {}, {}, distribution={})
    before = {}
    if summary is not None:
        current, etag = cloudfront.get_config(client, summary["Id"])
        before = cloudfront.owned(current)
    if module.check_mode:
        module.exit_changed(True, before, {}, distribution={})
    if summary is not None:
        if current["Enabled"]:
            # CloudFront deletes only a disabled distribution whose change is deployed.
            client.update_distribution(aws_retry=True, Id=summary["Id"], IfMatch=etag,
                                       DistributionConfig=dict(current, Enabled=False))
        _wait(module, client, summary["Id"])
        dummy, etag = cloudfront.get_config(client, summary["Id"])
        client.delete_distribution(aws_retry=True, Id=summary["Id"], IfMatch=etag)
    if control is not None:
        etag = client.get_origin_access_control(aws_retry=True, Id=control)["ETag"]
        client.delete_origin_access_control(aws_retry=True, Id=control, IfMatch=etag)
    module.exit_changed(True, before, {}, distribution={})


def main():
    options = resource_argument_spec(
        wait=dict(type="bool", default=False),
        comment=dict(type="str", required=True), caller_reference=dict(type="str"),
        enabled=dict(type="bool", default=True), aliases=dict(type="list", elements="str", default=[]),
        certificate_arn=dict(type="str"), minimum_protocol_version=dict(type="str", default="TLSv1.2_2021"),
        default_root_object=dict(type="str"),
        price_class=dict(type="str", choices=["PriceClass_100", "PriceClass_200", "PriceClass_All"],
                         default="PriceClass_All"),
        origin_access_control=dict(type="str"),
        origins=dict(type="list", elements="dict", default=[], options=dict(
            id=dict(type="str", required=True), domain_name=dict(type="str", required=True),
            type=dict(type="str", choices=["s3", "custom"], default="s3"), origin_path=dict(type="str"),
            protocol_policy=dict(type="str", choices=["https-only", "http-only", "match-viewer"], default="https-only"))),
        default_behavior=dict(type="dict", options=DEFAULT_BEHAVIOR), edge_function_arn=dict(type="str"),
        behaviors=dict(type="list", elements="dict", default=[], options=BEHAVIOR))
    # One more state than the shared spec: `deployed` only waits.
    options["state"] = dict(type="str", choices=["present", "absent", "deployed"], default="present")
    module = CoherenceAWSModule(argument_spec=options, supports_check_mode=True,
                                required_if=[("state", "present", ["default_behavior"])])
    client = module.client("cloudfront", retry_decorator=AWSRetry.jittered_backoff(catch_extra_error_codes=["PreconditionFailed"]))
    states = {"present": ensure_present, "absent": ensure_absent, "deployed": ensure_deployed}
    module.run(lambda: states[module.params["state"]](module, client), "CloudFront distribution %s" % module.params["comment"])


if __name__ == "__main__":
    main()
