# -*- coding: utf-8 -*-
"""coherence.aws.ecr_repositories against the embedded AWS: apply, an update in place with a new
repository, delete by name and by tags (check mode and re-runs of a set of repositories run in the
role test, test_build.py)."""

from __future__ import annotations

import json
import uuid

from conftest import run_module

MODULE = "coherence.aws.ecr_repositories"


def test_update_in_place_and_delete_by_tags(aws_env, boto3_session):
    ecr = boto3_session.client("ecr")
    app = "ecr" + uuid.uuid4().hex[:6]
    names = ["%s/api" % app, "%s/admin" % app]
    tags = {"Application": app, "ManagedBy": "coherence"}
    args = {"names": names, "keep_images": 5, "tags": tags}

    def described():
        return dict((r["repositoryName"], r) for r in ecr.describe_repositories()["repositories"]
                    if r["repositoryName"].startswith(app + "/"))

    applied = run_module(MODULE, args, aws_env)
    assert applied["changed"] is True, applied
    repos = described()
    assert sorted(repos) == sorted(names)
    for name, repo in repos.items():
        assert repo["imageScanningConfiguration"] == {"scanOnPush": True}
        assert repo["imageTagMutability"] == "MUTABLE"
        assert repo["encryptionConfiguration"]["encryptionType"] == "KMS"
        policy = json.loads(ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"])
        assert policy["rules"][0]["selection"]["countNumber"] == 5
        assert {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]} == tags
        assert applied["repositories"][name]["repository_uri"] == repo["repositoryUri"]

    # update in place: keep fewer images, immutable tags, one more repository; nothing else moves
    more = dict(args, names=names + ["%s/worker" % app], keep_images=3, immutable_tags=True)
    updated = run_module(MODULE, more, aws_env)
    assert updated["changed"] is True
    assert updated["diff"]["before"]["%s/api" % app]["keep_images"] == 5
    assert updated["diff"]["after"]["%s/api" % app]["keep_images"] == 3
    repos = described()
    assert len(repos) == 3 and all(r["imageTagMutability"] == "IMMUTABLE" for r in repos.values())
    assert repos["%s/api" % app]["repositoryArn"] == applied["repositories"]["%s/api" % app]["repository_arn"]

    # delete: one by name, the rest found by their tags (what today's names no longer list)
    gone = run_module(MODULE, {"names": names[:1], "state": "absent", "match_tags": tags}, aws_env, check=True)
    assert gone["changed"] is True and len(described()) == 3  # check mode deletes nothing
    gone = run_module(MODULE, {"names": names[:1], "state": "absent", "match_tags": tags, "force": True}, aws_env)
    assert gone["changed"] is True and sorted(gone["repositories"]) == sorted(repos)
    assert described() == {}
