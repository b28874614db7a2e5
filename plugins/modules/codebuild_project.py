#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: codebuild_project
short_description: Manage AWS CodeBuild projects, writing only what differs
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Creates, updates in place and deletes an AWS CodeBuild project, or a set of projects in one
    invocation (O(projects)).
  - Reads the project first and calls C(UpdateProject) only when what the task sets differs from
    what AWS has (values AWS adds by itself are not differences), with only the settings that
    differ. community.aws.codebuild_project updates on every run.
  - Settings the task leaves unset are left as they are.
options:
  name:
    description: The project's name. One of O(name) and O(projects) is required.
    type: str
  projects:
    description:
      - A set of projects managed in one invocation (one read for all of them), instead of O(name).
      - Each item takes C(name) and any of the project settings below (C(description), C(service_role),
        C(source), C(artifacts), C(environment), C(logs_config), C(timeout_in_minutes),
        C(queued_timeout_in_minutes), C(encryption_key)). The module's own settings apply to every
        item; an item's setting replaces the module's, and an item's dict setting is merged key by
        key over the module's (O(environment) for every project, C(environment.privileged_mode) for one).
      - With O(state=absent), each item needs only C(name); projects that do not exist are skipped.
    type: list
    elements: dict
  description:
    description: The project's description.
    type: str
  service_role:
    description: ARN of the IAM role CodeBuild uses for the project's builds. Required to create a project.
    type: str
  source:
    description:
      - Where the build's source comes from, in snake_case (C(type), C(location), C(buildspec) -
        a file path in the source or the buildspec's own YAML text). Required to create a project.
    type: dict
  artifacts:
    description: What the build produces (C(type) C(CODEPIPELINE), C(S3) or C(NO_ARTIFACTS), ...). Required to create a project.
    type: dict
  environment:
    description:
      - The build environment in snake_case (C(type), C(image), C(compute_type),
        C(privileged_mode), C(environment_variables) - each C(name), C(value), C(type)).
        Required to create a project.
      - An environment variable's C(type) defaults to C(PLAINTEXT); never put a secret in one,
        use C(SECRETS_MANAGER) or C(PARAMETER_STORE) references.
    type: dict
  logs_config:
    description: Where build logs go (C(cloud_watch_logs) with C(status), C(group_name), C(stream_name); C(s3_logs)).
    type: dict
  timeout_in_minutes:
    description: Minutes a build may run before CodeBuild stops it (5-2160).
    type: int
  queued_timeout_in_minutes:
    description: Minutes a build may wait in the queue.
    type: int
  encryption_key:
    description: The KMS key encrypting the build's output artifacts.
    type: str
extends_documentation_fragment: [coherence.aws.common.resource, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
notes:
  - CodeBuild has no separate tagging API; tags are written with C(UpdateProject), as AWS does.
  - The embedded AWS (moto) lacks C(UpdateProject); its fidelity patch applies it as AWS
    documents (docs/embedded-aws.md).
seealso:
  - name: CodeBuild UpdateProject
    description: Changes the settings of a build project.
    link: https://docs.aws.amazon.com/codebuild/latest/APIReference/API_UpdateProject.html
"""

EXAMPLES = r"""
- name: Build an image in a pipeline
  coherence.aws.codebuild_project:
    name: shop-review-api
    service_role: "{{ build_role.iam_role.arn }}"
    source:
      type: CODEPIPELINE
      buildspec: "{{ lookup('file', 'buildspec.yml') }}"
    artifacts: {type: CODEPIPELINE}
    environment:
      type: LINUX_CONTAINER
      image: aws/codebuild/amazonlinux2-x86_64-standard:5.0
      compute_type: BUILD_GENERAL1_MEDIUM
      privileged_mode: true
      environment_variables:
        - {name: COHERENCE_REGISTRY, value: 123456789012.dkr.ecr.us-east-1.amazonaws.com}
    logs_config:
      cloud_watch_logs: {status: ENABLED, group_name: /coherence/shop/review/build}
    tags: {Application: shop}

- name: Delete it
  coherence.aws.codebuild_project:
    name: shop-review-api
    state: absent

- name: An environment's projects in one invocation (shared settings once, each project's own)
  coherence.aws.codebuild_project:
    service_role: "{{ build_role.iam_role.arn }}"
    artifacts: {type: CODEPIPELINE}
    environment: {type: LINUX_CONTAINER, image: aws/codebuild/amazonlinux2-x86_64-standard:5.0, compute_type: BUILD_GENERAL1_SMALL}
    projects:
      - {name: shop-review-api, source: {type: CODEPIPELINE, buildspec: "{{ api_spec }}"}, environment: {privileged_mode: true}}
      - {name: shop-review-web, source: {type: CODEPIPELINE, buildspec: "{{ web_spec }}"}}
    tags: {Application: shop}
"""

RETURN = r"""
projects:
  description: With O(projects), each project (name -> the project as BatchGetProjects returns it, in snake_case; empty after deletion).
  returned: when O(projects) is given
  type: dict
project:
  description: The project as BatchGetProjects returns it, in snake_case (empty after deletion).
  returned: when O(name) is given
  type: dict
  contains:
    arn:
      description: The project's ARN.
      type: str
    name:
      description: The project's name.
      type: str
    tags:
      description: The project's tags.
      type: dict
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible.module_utils.common.dict_transformations import snake_dict_to_camel_dict

from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.coherence.aws.plugins.module_utils.compare import covers
from ansible_collections.coherence.aws.plugins.module_utils.compare import wanted_tags
from ansible_collections.coherence.aws.plugins.module_utils.modules import run_resource_module

# option -> the API's key
SETTINGS = {"description": "description", "service_role": "serviceRole", "source": "source",
            "artifacts": "artifacts", "environment": "environment", "logs_config": "logsConfig",
            "timeout_in_minutes": "timeoutInMinutes", "queued_timeout_in_minutes": "queuedTimeoutInMinutes",
            "encryption_key": "encryptionKey"}
CREATE_REQUIRED = ("service_role", "source", "artifacts", "environment")


def desired(params):
    """The API's settings the task sets (camelCase), with AWS's documented defaults filled in
    where AWS fills them (an environment variable's type)."""
    out = {}
    for option, key in SETTINGS.items():
        value = params[option]
        if value is None:
            continue
        if isinstance(value, dict):
            value = snake_dict_to_camel_dict(value)
        if key == "environment" and value.get("environmentVariables") is not None:
            value["environmentVariables"] = [dict(v, type=v.get("type") or "PLAINTEXT")
                                             for v in value["environmentVariables"]]
        out[key] = value
    return out


def describe(client, names):
    """name -> the project, for those of names that exist (BatchGetProjects takes 100 at a time)."""
    out = {}
    for start in range(0, len(names), 100):
        for project in client.batch_get_projects(aws_retry=True, names=names[start:start + 100])["projects"]:
            out[project["name"]] = project
    return out


def output(project):
    if not project:
        return {}
    out = camel_dict_to_snake_dict(project, ignore_list=["tags"])
    out["tags"] = boto3_tag_list_to_ansible_dict(project.get("tags") or [], "key", "value")
    return out


def items(module):
    """Each project's options: the module's, with an item's over them (dicts merged key by key)."""
    params = module.params
    if params["projects"] is None:
        return [params]
    out = []
    for index, item in enumerate(params["projects"]):
        unknown = sorted(set(item) - set(SETTINGS) - {"name"})
        if unknown or not item.get("name"):
            module.fail_json(msg="projects[%d]: %s; an item takes name (required) and %s" % (
                index, "unknown %s" % ", ".join(unknown) if unknown else "name is missing", ", ".join(sorted(SETTINGS))))
        merged = dict(params)
        for key, value in item.items():
            if isinstance(value, dict) and isinstance(params.get(key), dict):
                value = dict(params[key], **value)
            merged[key] = value
        out.append(merged)
    return out


def settle(module, client, params, project):
    """Create or update one project as params ask: (changed, before, after, project)."""
    name, want, tags = params["name"], desired(params), params["tags"]
    if project is None:
        missing = [o for o in CREATE_REQUIRED if not params.get(o)]
        if missing and not module.check_mode:
            module.fail_json(msg="project %s does not exist; creating it needs %s" % (name, ", ".join(missing)))
        if not module.check_mode:
            project = client.create_project(aws_retry=True, name=name,
                                            tags=ansible_dict_to_boto3_tag_list(tags or {}, "key", "value"),
                                            **want)["project"]
        return True, {}, dict(want, tags=tags or {}), project or {"name": name}
    have_tags = boto3_tag_list_to_ansible_dict(project.get("tags") or [], "key", "value")
    update = dict((k, v) for k, v in want.items() if not covers(project.get(k), v))
    before = dict((k, project.get(k)) for k in update)
    new_tags = wanted_tags(have_tags, tags, params["purge_tags"])
    if new_tags is not None and new_tags != have_tags:
        update["tags"], before["tags"] = new_tags, have_tags
    if update and not module.check_mode:
        kwargs = dict(update)
        if "tags" in kwargs:
            kwargs["tags"] = ansible_dict_to_boto3_tag_list(kwargs["tags"], "key", "value")
        project = client.update_project(aws_retry=True, name=name, **kwargs)["project"]
    return bool(update), before, update, project


def finish(module, results):
    """Exit with one project's result (O(name)) or the set's, keyed by name (O(projects))."""
    if module.params["projects"] is None:
        changed, before, after, project = results[0]
        module.exit_changed(changed, before, after, project=output(project))
    changed = dict((r[3]["name"], r) for r in results if r[0])
    module.exit_changed(bool(changed), dict((n, r[1]) for n, r in changed.items()),
                        dict((n, r[2]) for n, r in changed.items()),
                        projects=dict((r[3]["name"], output(r[3])) for r in results))


def ensure_present(module, client):
    wanted = items(module)
    current = describe(client, [p["name"] for p in wanted])
    finish(module, [settle(module, client, p, current.get(p["name"])) for p in wanted])


def ensure_absent(module, client):
    wanted = items(module)
    current = describe(client, [p["name"] for p in wanted])
    results = []
    for params in wanted:
        project = current.get(params["name"])
        if project and not module.check_mode:
            client.delete_project(aws_retry=True, name=params["name"])
        results.append((bool(project), {"name": params["name"], "arn": project.get("arn")} if project else {}, {},
                        {"name": params["name"]}))
    if module.params["projects"] is None:
        module.exit_changed(results[0][0], results[0][1], {}, project={})
    gone = [r for r in results if r[0]]
    module.exit_changed(bool(gone), dict((r[3]["name"], r[1]) for r in gone), {},
                        projects=dict((r[3]["name"], {}) for r in results))


def main():
    run_resource_module("codebuild", dict(
        name=dict(type="str"),
        projects=dict(type="list", elements="dict"),
        description=dict(type="str"),
        service_role=dict(type="str"),
        source=dict(type="dict"),
        artifacts=dict(type="dict"),
        environment=dict(type="dict"),
        logs_config=dict(type="dict"),
        timeout_in_minutes=dict(type="int"),
        queued_timeout_in_minutes=dict(type="int"),
        encryption_key=dict(type="str", no_log=False),
    ), ensure_present, ensure_absent, "CodeBuild request failed", wait=None,
        mutually_exclusive=[["name", "projects"]], required_one_of=[["name", "projects"]])


if __name__ == "__main__":
    main()
