#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: lambda_edge
short_description: A Lambda@Edge function and its numbered version
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Creates or updates a Lambda function for Lambda@Edge from files given inline, and publishes
    a numbered version only when its code or configuration changed (or none exists yet).
    Returns that version's ARN, which a CloudFront behaviour associates.
  - The package is built the same way every time (fixed file order and times), so unchanged
    files mean an unchanged code hash.
  - O(state=absent) deletes the function with its versions. AWS refuses while CloudFront
    replicas remain (hours after the distribution went); the task then reports
    C(lingering=true) without failing, and a later run deletes it.
  - amazon.aws.lambda returns C($LATEST) and does not publish on a configuration-only change.
options:
  name:
    description: The function's name.
    type: str
    required: true
  role_arn:
    description: The execution role (trusting lambda.amazonaws.com and edgelambda.amazonaws.com). Required to create.
    type: str
  runtime:
    description: The runtime.
    type: str
    default: python3.12
  handler:
    description: The handler, C(file.function).
    type: str
    required: true
  files:
    description: The package's files, name to content.
    type: dict
    default: {}
  memory_size:
    description: MiB (Lambda@Edge origin events allow up to 10240).
    type: int
    default: 128
  timeout:
    description: Seconds (Lambda@Edge origin events allow up to 30).
    type: int
    default: 5
  description:
    description: The function's description.
    type: str
    default: ''
extends_documentation_fragment:
  - coherence.aws.common.resource
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Lambda@Edge functions live in C(us-east-1); set O(region) accordingly.
"""

EXAMPLES = r"""
- name: The SPA index function
  coherence.aws.lambda_edge:
    name: shop-edge-errors
    region: us-east-1
    role_arn: "arn:aws:iam::123456789012:role/shop-edge-errors"
    handler: spa_index.handler
    files:
      spa_index.py: "{{ lookup('file', 'spa_index.py') }}"
      routes.json: '{"": "index.html"}'
  register: edge_function
"""

RETURN = r"""
function:
  description: The function and its latest numbered version (empty when absent).
  returned: always
  type: dict
  contains:
    function_arn:
      description: The unqualified ARN.
      type: str
    version:
      description: The latest numbered version (empty in check mode before the first).
      type: str
      sample: "3"
    version_arn:
      description: The ARN of that version, for CloudFront.
      type: str
    code_sha256:
      description: The package's hash.
      type: str
lingering:
  description: With O(state=absent), true when AWS still keeps CloudFront replicas and refused the deletion.
  returned: always
  type: bool
"""

import base64
import hashlib
import io
import zipfile

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code

from ansible_collections.coherence.aws.plugins.module_utils.modules import run_resource_module
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_one

CONFIG = (("role_arn", "Role"), ("runtime", "Runtime"), ("handler", "Handler"), ("memory_size", "MemorySize"),
          ("timeout", "Timeout"), ("description", "Description"))


def package(files):
    """A zip of `files` that is the same bytes for the same files: fixed order, times, modes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buf.getvalue()


def code_hash(data):
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def latest_version(client, name):
    versions = []
    for page in client.get_paginator("list_versions_by_function").paginate(FunctionName=name):
        versions += [v for v in page["Versions"] if v["Version"] != "$LATEST"]
    return max(versions, key=lambda v: int(v["Version"])) if versions else None


def _config(source, params=False):
    return dict((option, source[option] if params else source.get(key)) for option, key in CONFIG)


def _output(function, version):
    if not function:
        return {}
    return {"function_arn": function["FunctionArn"], "code_sha256": function["CodeSha256"],
            "version": version["Version"] if version else "", "version_arn": version["FunctionArn"] if version else ""}


def ensure_present(module, client):
    params, name = module.params, module.params["name"]
    data = package(params["files"])
    wanted = dict(_config(params, params=True), code_sha256=code_hash(data))
    found = describe_one(client, "get_function", "Configuration", "ResourceNotFoundException", FunctionName=name)
    if found is None:
        if not params["role_arn"]:
            module.fail_json(msg="role_arn is required to create the function %s" % name)
        if module.check_mode:
            module.exit_changed(True, {}, wanted, function={}, lingering=False)
        made = client.create_function(aws_retry=True, FunctionName=name, Role=params["role_arn"], Runtime=params["runtime"],
                                      Handler=params["handler"], Code={"ZipFile": data}, Timeout=params["timeout"],
                                      MemorySize=params["memory_size"], Description=params["description"],
                                      Publish=True, Tags=params["tags"] or {})
        client.get_waiter("function_active_v2").wait(FunctionName=name)
        version = latest_version(client, name)
        module.exit_changed(True, {}, wanted, function=_output(made, version), lingering=False)
    have = dict(_config(found), code_sha256=found["CodeSha256"])
    version = latest_version(client, name)
    # A version published from what is there now has its hash and configuration.
    stale = version is None or dict(_config(version), code_sha256=version["CodeSha256"]) != have
    changed = have != wanted or stale
    if changed and not module.check_mode:
        if have["code_sha256"] != wanted["code_sha256"]:
            client.update_function_code(aws_retry=True, FunctionName=name, ZipFile=data)
            client.get_waiter("function_updated_v2").wait(FunctionName=name)
        if _config(found) != _config(params, params=True):
            client.update_function_configuration(aws_retry=True, FunctionName=name, Role=params["role_arn"] or found["Role"],
                                                 Runtime=params["runtime"], Handler=params["handler"],
                                                 Timeout=params["timeout"], MemorySize=params["memory_size"],
                                                 Description=params["description"])
            client.get_waiter("function_updated_v2").wait(FunctionName=name)
        client.publish_version(aws_retry=True, FunctionName=name)
        version = latest_version(client, name)
        found = client.get_function(aws_retry=True, FunctionName=name)["Configuration"]
    module.exit_changed(changed, have, wanted, function=_output(found, version), lingering=False)


def ensure_absent(module, client):
    name = module.params["name"]
    found = describe_one(client, "get_function", "Configuration", "ResourceNotFoundException", FunctionName=name)
    if found is None:
        module.exit_changed(False, {}, {}, function={}, lingering=False)
    if module.check_mode:
        module.exit_changed(True, _config(found), {}, function={}, lingering=False)
    try:
        client.delete_function(aws_retry=True, FunctionName=name)
    except is_boto3_error_code("InvalidParameterValueException"):
        # "... unable to delete ... because it is a replicated function": CloudFront's replicas
        # go hours after the distribution; the next teardown deletes it.
        module.exit_changed(False, _config(found), _config(found), function=_output(found, latest_version(client, name)),
                            lingering=True)
    module.exit_changed(True, _config(found), {}, function={}, lingering=False)


def main():
    run_resource_module("lambda", dict(
        name=dict(type="str", required=True), role_arn=dict(type="str"), runtime=dict(type="str", default="python3.12"),
        handler=dict(type="str", required=True), files=dict(type="dict", default={}),
        memory_size=dict(type="int", default=128), timeout=dict(type="int", default=5),
        description=dict(type="str", default="")), ensure_present, ensure_absent, "Lambda@Edge function",
        wait=None, retry_codes=["ResourceConflictException"])


if __name__ == "__main__":
    main()
