#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecr_repositories
short_description: Manage a set of ECR repositories in one call
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Creates, updates and deletes a set of Amazon ECR private repositories that share one
    configuration (an application's backend services); scan on push, KMS encryption, a lifecycle
    policy keeping the last images, tag immutability and tags.
  - Compares first and writes only what differs. The encryption of a repository cannot change
    once it exists; asking for another fails and names it.
  - community.aws.ecs_ecr manages one repository per call and takes no tags.
options:
  names:
    description: The repositories' names. With O(state=absent), the ones to delete (besides O(match_tags)).
    type: list
    elements: str
    default: []
  scan_on_push:
    description: Scan each image for vulnerabilities when it is pushed.
    type: bool
    default: true
  kms_key:
    description:
      - The KMS key (id, ARN or alias) encrypting new repositories. Unset uses KMS with ECR's
        AWS-managed key (C(aws/ecr)).
    type: str
  keep_images:
    description:
      - Keep the last this many images; a lifecycle policy expires older ones. V(0) sets no
        policy (and leaves an existing one alone).
    type: int
    default: 30
  immutable_tags:
    description: Whether an image tag, once pushed, can be pushed again (V(false)) or not (V(true)).
    type: bool
    default: false
  match_tags:
    description:
      - With O(state=absent), also delete every repository carrying all of these tags, whatever
        its name (what an earlier run made and today's O(names) no longer lists).
    type: dict
  force:
    description: With O(state=absent), delete repositories that still hold images (and the images).
    type: bool
    default: false
extends_documentation_fragment: [coherence.aws.common.resource, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
seealso:
  - name: Amazon ECR private repositories
    description: Repositories, scanning, encryption and lifecycle policies.
    link: https://docs.aws.amazon.com/AmazonECR/latest/userguide/Repositories.html
"""

EXAMPLES = r"""
- name: One repository per backend service
  coherence.aws.ecr_repositories:
    names: [shop/api, shop/admin]
    keep_images: 30
    tags: {Application: shop, ManagedBy: coherence}
  register: repos

- name: Remove them, and any other the app made
  coherence.aws.ecr_repositories:
    names: [shop/api, shop/admin]
    match_tags: {Application: shop, ManagedBy: coherence}
    force: true
    state: absent
"""

RETURN = r"""
repositories:
  description: The repositories named in O(names) (or, after deletion, those deleted), by name.
  returned: always
  type: dict
  sample:
    shop/api:
      repository_arn: arn:aws:ecr:us-east-1:123456789012:repository/shop/api
      repository_uri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/api
      scan_on_push: true
      image_tag_mutability: MUTABLE
      encryption_type: KMS
      keep_images: 30
      tags: {Application: shop}
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.coherence.aws.plugins.module_utils.compare import wanted_tags
from ansible_collections.coherence.aws.plugins.module_utils.modules import run_resource_module
from ansible_collections.coherence.aws.plugins.module_utils.resources import delete
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_list
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_one

MISSING_POLICY = "LifecyclePolicyNotFoundException"


def lifecycle_policy(keep):
    """The policy that expires all but the last `keep` images (any tag status)."""
    return {"rules": [{"rulePriority": 1, "description": "keep the last %d images" % keep,
                       "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep},
                       "action": {"type": "expire"}}]}


def kept_images(policy):
    """The count a policy of ours keeps; None for no policy, -1 for someone else's."""
    if policy is None:
        return None
    rules = policy.get("rules", [])
    if len(rules) == 1 and rules[0].get("selection", {}).get("countType") == "imageCountMoreThan" and \
            rules[0].get("action", {}).get("type") == "expire":
        return rules[0]["selection"].get("countNumber")
    return -1


def all_repositories(client):
    paginator = client.get_paginator("describe_repositories")
    return [r for page in paginator.paginate() for r in page["repositories"]]


def state_of(client, repo):
    """What the task compares, as it is on AWS."""
    arn, name = repo["repositoryArn"], repo["repositoryName"]
    text = describe_one(client, "get_lifecycle_policy", "lifecyclePolicyText", MISSING_POLICY, repositoryName=name)
    return {
        "repository_arn": arn,
        "repository_uri": repo["repositoryUri"],
        "scan_on_push": repo.get("imageScanningConfiguration", {}).get("scanOnPush", False),
        "image_tag_mutability": repo.get("imageTagMutability", "MUTABLE"),
        "encryption_type": repo.get("encryptionConfiguration", {}).get("encryptionType", "AES256"),
        "kms_key": repo.get("encryptionConfiguration", {}).get("kmsKey"),
        "keep_images": kept_images(json.loads(text) if text else None),
        "tags": boto3_tag_list_to_ansible_dict(describe_list(client, "list_tags_for_resource", "tags",
                                                             "RepositoryNotFoundException", resourceArn=arn)),
    }


def wanted(module, name, have):
    p = module.params
    mutability = "IMMUTABLE" if p["immutable_tags"] else "MUTABLE"
    want = dict(have or {}, scan_on_push=p["scan_on_push"], image_tag_mutability=mutability)
    if p["keep_images"]:
        want["keep_images"] = p["keep_images"]
    if have is None:
        want.update(encryption_type="KMS", kms_key=p["kms_key"], tags=p["tags"] or {})
    elif p["tags"] is not None:
        want["tags"] = wanted_tags(have["tags"], p["tags"], p["purge_tags"])
    return want


def create(module, client, name):
    p = module.params
    encryption = {"encryptionType": "KMS"}
    if p["kms_key"]:
        encryption["kmsKey"] = p["kms_key"]
    kwargs = dict(repositoryName=name, imageScanningConfiguration={"scanOnPush": p["scan_on_push"]},
                  imageTagMutability="IMMUTABLE" if p["immutable_tags"] else "MUTABLE",
                  encryptionConfiguration=encryption)
    if p["tags"]:
        kwargs["tags"] = ansible_dict_to_boto3_tag_list(p["tags"])
    client.create_repository(aws_retry=True, **kwargs)
    if p["keep_images"]:
        client.put_lifecycle_policy(aws_retry=True, repositoryName=name,
                                    lifecyclePolicyText=json.dumps(lifecycle_policy(p["keep_images"])))


def update(module, client, name, have, want):
    p = module.params
    if have["scan_on_push"] != want["scan_on_push"]:
        client.put_image_scanning_configuration(aws_retry=True, repositoryName=name,
                                                imageScanningConfiguration={"scanOnPush": want["scan_on_push"]})
    if have["image_tag_mutability"] != want["image_tag_mutability"]:
        client.put_image_tag_mutability(aws_retry=True, repositoryName=name,
                                        imageTagMutability=want["image_tag_mutability"])
    if have["keep_images"] != want["keep_images"]:
        client.put_lifecycle_policy(aws_retry=True, repositoryName=name,
                                    lifecyclePolicyText=json.dumps(lifecycle_policy(want["keep_images"])))
    if p["tags"] is not None:
        add, remove = compare_aws_tags(have["tags"], p["tags"], p["purge_tags"])
        if add:
            client.tag_resource(aws_retry=True, resourceArn=have["repository_arn"], tags=ansible_dict_to_boto3_tag_list(add))
        if remove:
            client.untag_resource(aws_retry=True, resourceArn=have["repository_arn"], tagKeys=remove)


def ensure_present(module, client):
    found = dict((r["repositoryName"], r) for r in all_repositories(client))
    before, after, out = {}, {}, {}
    for name in module.params["names"]:
        have = state_of(client, found[name]) if name in found else None
        want = wanted(module, name, have)
        if have is not None and module.params["kms_key"] and have["kms_key"] not in (None, module.params["kms_key"]):
            module.fail_json(msg="repository %s is encrypted with %s; its encryption cannot change (delete the "
                                 "repository to recreate it)" % (name, have["kms_key"]))
        compared = dict((k, v) for k, v in want.items() if k not in ("repository_arn", "repository_uri"))
        current = dict((k, v) for k, v in (have or {}).items() if k in compared)
        if compared != current:
            if have is not None:
                before[name] = current
            after[name] = compared
            if not module.check_mode:
                if have is None:
                    create(module, client, name)
                else:
                    update(module, client, name, have, want)
        out[name] = want
    if after and not module.check_mode:
        found = dict((r["repositoryName"], r) for r in all_repositories(client))
        out = dict((name, state_of(client, found[name])) for name in module.params["names"])
    module.exit_changed(bool(after), before, after, repositories=out)


def ensure_absent(module, client):
    match = module.params["match_tags"] or {}
    doomed = {}
    for repo in all_repositories(client):
        name = repo["repositoryName"]
        if name in module.params["names"]:
            doomed[name] = repo
        elif match:
            tags = boto3_tag_list_to_ansible_dict(describe_list(client, "list_tags_for_resource", "tags",
                                                                "RepositoryNotFoundException",
                                                                resourceArn=repo["repositoryArn"]))
            if all(tags.get(k) == v for k, v in match.items()):
                doomed[name] = repo
    before = dict((name, {"repository_uri": r["repositoryUri"]}) for name, r in doomed.items())
    if not module.check_mode:
        for name in sorted(doomed):
            delete(client, "delete_repository", "RepositoryNotFoundException", repositoryName=name,
                   force=module.params["force"])
    module.exit_changed(bool(doomed), before, {}, repositories=before)


def main():
    run_resource_module("ecr", dict(
        names=dict(type="list", elements="str", default=[]),
        scan_on_push=dict(type="bool", default=True),
        kms_key=dict(type="str", no_log=False),
        keep_images=dict(type="int", default=30),
        immutable_tags=dict(type="bool", default=False),
        match_tags=dict(type="dict"),
        force=dict(type="bool", default=False),
    ), ensure_present, ensure_absent, "ECR request failed", wait=None)


if __name__ == "__main__":
    main()
