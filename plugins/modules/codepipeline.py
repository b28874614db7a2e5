#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: codepipeline
short_description: Manage an AWS CodePipeline pipeline, writing only what differs
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Creates, updates in place and deletes an AWS CodePipeline pipeline, with its tags.
  - Reads the pipeline first and calls C(UpdatePipeline) only when its role, artifact store,
    stages or type differ from what the task sets (defaults AWS adds to each action are not
    differences). community.aws.codepipeline updates on every run and takes no tags.
options:
  name:
    description: The pipeline's name.
    type: str
    required: true
  role_arn:
    description: ARN of the IAM role CodePipeline assumes. Required to create a pipeline.
    type: str
  artifact_store:
    description:
      - Where the pipeline keeps artifacts between stages, as the API spells it
        (C(type) C(S3), C(location) a bucket, optional C(encryptionKey) with C(id) and C(type)).
        Required to create a pipeline.
    type: dict
  stages:
    description:
      - The stages, in order, each as the API spells it (C(name), C(actions) - each C(name),
        C(actionTypeId), C(configuration), C(inputArtifacts), C(outputArtifacts), C(runOrder)).
        At least two. Required to create a pipeline.
    type: list
    elements: dict
  pipeline_type:
    description: The pipeline's type.
    type: str
    choices: [V1, V2]
  execution_mode:
    description: How executions run when several are started (V2 pipelines).
    type: str
    choices: [QUEUED, SUPERSEDED, PARALLEL]
extends_documentation_fragment: [coherence.aws.common.resource, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
seealso:
  - name: CodePipeline pipeline structure
    description: The stages, actions and artifacts of a pipeline.
    link: https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html
"""

EXAMPLES = r"""
- name: Source from S3, then build
  coherence.aws.codepipeline:
    name: shop-review
    role_arn: "{{ pipeline_role.iam_role.arn }}"
    artifact_store: {type: S3, location: shop-review-artifacts-a2a048}
    stages:
      - name: Source
        actions:
          - name: source
            actionTypeId: {category: Source, owner: AWS, provider: S3, version: "1"}
            configuration: {S3Bucket: shop-source-0a1b2c, S3ObjectKey: shop/review/source.zip, PollForSourceChanges: "false"}
            outputArtifacts: [{name: source}]
      - name: Build
        actions:
          - name: api
            actionTypeId: {category: Build, owner: AWS, provider: CodeBuild, version: "1"}
            configuration: {ProjectName: shop-review-api}
            inputArtifacts: [{name: source}]
    tags: {Application: shop}
"""

RETURN = r"""
pipeline:
  description:
    - The pipeline's structure as GetPipeline returns it (the API's spelling), with its C(arn) and C(tags).
    - With O(state=absent), the pipeline that was deleted (its actions name the projects and services
      it used), or empty when there was none.
  returned: always
  type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

from ansible_collections.coherence.aws.plugins.module_utils.compare import covers
from ansible_collections.coherence.aws.plugins.module_utils.modules import run_resource_module
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_list

MISSING = "PipelineNotFoundException"
SETTINGS = {"role_arn": "roleArn", "artifact_store": "artifactStore", "stages": "stages",
            "pipeline_type": "pipelineType", "execution_mode": "executionMode"}
CREATE_REQUIRED = ("role_arn", "artifact_store", "stages")


def normalized_stages(stages):
    """The stages as AWS stores them: each action with runOrder 1, and empty configuration and
    artifact lists, unless set; configuration values are strings."""
    out = []
    for stage in stages:
        actions = []
        for action in stage.get("actions", []):
            action = dict(action)
            action.setdefault("runOrder", 1)
            action["configuration"] = dict((k, str(v).lower() if isinstance(v, bool) else str(v))
                                           for k, v in (action.get("configuration") or {}).items())
            action.setdefault("inputArtifacts", [])
            action.setdefault("outputArtifacts", [])
            actions.append(action)
        out.append(dict(stage, actions=actions))
    return out


def desired(params):
    out = dict((key, params[option]) for option, key in SETTINGS.items() if params[option] is not None)
    if "stages" in out:
        out["stages"] = normalized_stages(out["stages"])
    return out


def describe(client, name):
    """(pipeline, metadata), or (None, None) when there is none."""
    try:
        found = client.get_pipeline(aws_retry=True, name=name)
    except is_boto3_error_code(MISSING):
        return None, None
    return found["pipeline"], found["metadata"]


def tags_of(client, arn):
    return boto3_tag_list_to_ansible_dict(describe_list(client, "list_tags_for_resource", "tags", MISSING,
                                                        resourceArn=arn), "key", "value")


def stages_equal(have, want):
    """Same stages and actions, in order, each holding what the task sets (and no other action)."""
    return covers(have, want) and all(len(h.get("actions", [])) == len(w["actions"]) for h, w in zip(have, want))


def ensure_present(module, client):
    name, want = module.params["name"], desired(module.params)
    pipeline, metadata = describe(client, name)
    tags = module.params["tags"]
    if pipeline is None:
        missing = [o for o in CREATE_REQUIRED if not module.params[o]]
        if missing and not module.check_mode:
            module.fail_json(msg="pipeline %s does not exist; creating it needs %s" % (name, ", ".join(missing)))
        if not module.check_mode:
            kwargs = {"tags": ansible_dict_to_boto3_tag_list(tags, "key", "value")} if tags else {}
            client.create_pipeline(aws_retry=True, pipeline=dict(want, name=name), **kwargs)
        module.exit_changed(True, {}, dict(want, name=name, tags=tags or {}), pipeline=output(client, name, module))
    update = dict((k, v) for k, v in want.items()
                  if not (stages_equal(pipeline.get(k), v) if k == "stages" else covers(pipeline.get(k), v)))
    before = dict((k, pipeline.get(k)) for k in update)
    after = dict(update)
    if update and not module.check_mode:
        body = dict((k, v) for k, v in pipeline.items() if k != "version")
        body.update(update)
        client.update_pipeline(aws_retry=True, pipeline=body)
    changed = bool(update)
    have_tags = tags_of(client, metadata["pipelineArn"])
    if tags is not None:
        add, remove = compare_aws_tags(have_tags, tags, module.params["purge_tags"])
        if add or remove:
            changed = True
            before["tags"], after["tags"] = have_tags, dict((k, v) for k, v in dict(have_tags, **add).items()
                                                            if k not in remove)
            if not module.check_mode:
                if add:
                    client.tag_resource(aws_retry=True, resourceArn=metadata["pipelineArn"],
                                        tags=ansible_dict_to_boto3_tag_list(add, "key", "value"))
                if remove:
                    client.untag_resource(aws_retry=True, resourceArn=metadata["pipelineArn"], tagKeys=remove)
    if changed and not module.check_mode:
        module.exit_changed(changed, before, after, pipeline=output(client, name, module))
    module.exit_changed(changed, before, after, pipeline=dict(pipeline, arn=metadata["pipelineArn"], tags=have_tags))


def output(client, name, module):
    pipeline, metadata = describe(client, name)
    if pipeline is None:
        return {"name": name} if module.params["state"] == "present" else {}
    return dict(pipeline, arn=metadata["pipelineArn"], tags=tags_of(client, metadata["pipelineArn"]))


def ensure_absent(module, client):
    name = module.params["name"]
    pipeline, metadata = describe(client, name)
    if pipeline is None:
        module.exit_changed(False, {}, {}, pipeline={})
    if not module.check_mode:
        client.delete_pipeline(aws_retry=True, name=name)
    # What was deleted: its actions name what else the pipeline used (projects, services).
    module.exit_changed(True, {"name": name, "arn": metadata["pipelineArn"]}, {},
                        pipeline=dict(pipeline, arn=metadata["pipelineArn"]))


def main():
    run_resource_module("codepipeline", dict(
        name=dict(type="str", required=True),
        role_arn=dict(type="str"),
        artifact_store=dict(type="dict"),
        stages=dict(type="list", elements="dict"),
        pipeline_type=dict(type="str", choices=["V1", "V2"]),
        execution_mode=dict(type="str", choices=["QUEUED", "SUPERSEDED", "PARALLEL"]),
    ), ensure_present, ensure_absent, "CodePipeline request failed", wait=None)


if __name__ == "__main__":
    main()
