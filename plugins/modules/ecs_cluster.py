#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ecs_cluster
short_description: Manage an ECS cluster with its capacity providers and tags
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Creates, updates and deletes an ECS cluster, its capacity providers (C(FARGATE),
    C(FARGATE_SPOT)), its default capacity provider strategy and its tags.
  - community.aws.ecs_cluster takes no tags.
  - Deleting a cluster that still runs services fails and names them (AWS refuses it too).
options:
  name:
    description: The cluster's name.
    type: str
    required: true
  capacity_providers:
    description: Its capacity providers. Unset leaves them as they are.
    type: list
    elements: str
  default_capacity_provider_strategy:
    description: Its default strategy (each item C(capacity_provider), C(weight), C(base)). Unset leaves it.
    type: list
    elements: dict
  container_insights:
    description: Whether Container Insights is on. Unset leaves it.
    type: bool
extends_documentation_fragment: [coherence.aws.common.resource, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
"""

EXAMPLES = r"""
- name: The application's cluster
  coherence.aws.ecs_cluster:
    name: shop
    capacity_providers: [FARGATE, FARGATE_SPOT]
    default_capacity_provider_strategy:
      - {capacity_provider: FARGATE, weight: 1}
    tags: {Application: shop, ManagedBy: coherence}
"""

RETURN = r"""
cluster:
  description: The cluster as DescribeClusters returns it in snake_case, tags as a dict (empty after deletion).
  returned: always
  type: dict
  contains:
    cluster_arn:
      description: Its ARN.
      type: str
    capacity_providers:
      description: Its capacity providers.
      type: list
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.coherence.aws.plugins.module_utils.ecs import paginate
from ansible_collections.coherence.aws.plugins.module_utils.ecs import tag_dict
from ansible_collections.coherence.aws.plugins.module_utils.ecs import to_ecs_tags
from ansible_collections.coherence.aws.plugins.module_utils.modules import run_resource_module
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


def describe(client, name):
    found = client.describe_clusters(aws_retry=True, clusters=[name], include=["TAGS", "SETTINGS"]).get("clusters", [])
    return next((c for c in found if c.get("status") != "INACTIVE"), None)


def strategy(params):
    items = params["default_capacity_provider_strategy"]
    if items is None:
        return None
    return [{"capacityProvider": i["capacity_provider"], "weight": int(i.get("weight", 1)), "base": int(i.get("base", 0))}
            for i in items]


def insights(params):
    if params["container_insights"] is None:
        return None
    return [{"name": "containerInsights", "value": "enabled" if params["container_insights"] else "disabled"}]


def output(cluster):
    if not cluster:
        return {}
    out = camel_dict_to_snake_dict(dict((k, v) for k, v in cluster.items() if k != "tags"))
    out["tags"] = tag_dict(cluster.get("tags"), "key", "value")
    return out


def ensure_present(module, client):
    name, params = module.params["name"], module.params
    cluster = describe(client, name)
    providers, wanted_strategy, settings = params["capacity_providers"], strategy(params), insights(params)
    if cluster is None:
        after = {"capacityProviders": providers, "defaultCapacityProviderStrategy": wanted_strategy,
                 "settings": settings, "tags": params["tags"] or {}}
        if not module.check_mode:
            kwargs = dict((k, v) for k, v in after.items() if v is not None and k != "tags")
            client.create_cluster(aws_retry=True, clusterName=name, tags=to_ecs_tags(params["tags"]), **kwargs)
            cluster = describe(client, name)
        module.exit_changed(True, {}, after, cluster=output(cluster) or {"cluster_name": name})
    before, after = {}, {}
    have_strategy = [dict({"base": 0, "weight": 1}, **s) for s in cluster.get("defaultCapacityProviderStrategy") or []]
    update = {}
    if providers is not None and sorted(providers) != sorted(cluster.get("capacityProviders") or []):
        update["capacityProviders"] = providers
    if wanted_strategy is not None and wanted_strategy != have_strategy:
        update["defaultCapacityProviderStrategy"] = wanted_strategy
    if update:
        update.setdefault("capacityProviders", cluster.get("capacityProviders") or [])
        update.setdefault("defaultCapacityProviderStrategy", have_strategy)
        before.update(capacityProviders=cluster.get("capacityProviders"), defaultCapacityProviderStrategy=have_strategy)
        after.update(update)
        if not module.check_mode:
            client.put_cluster_capacity_providers(aws_retry=True, cluster=name, **update)
    have_settings = [s for s in cluster.get("settings") or [] if s["name"] == "containerInsights"]
    if settings is not None and settings != have_settings:
        before["settings"], after["settings"] = have_settings, settings
        if not module.check_mode:
            client.update_cluster_settings(aws_retry=True, cluster=name, settings=settings)
    tags = tag_dict(cluster.get("tags"), "key", "value")
    if params["tags"] is not None:
        add, remove = compare_aws_tags(tags, params["tags"], params["purge_tags"])
        if add or remove:
            before["tags"], after["tags"] = tags, dict((k, v) for k, v in dict(tags, **add).items() if k not in remove)
            if not module.check_mode:
                if remove:
                    client.untag_resource(aws_retry=True, resourceArn=cluster["clusterArn"], tagKeys=remove)
                if add:
                    client.tag_resource(aws_retry=True, resourceArn=cluster["clusterArn"], tags=to_ecs_tags(add))
    changed = bool(after)
    if changed and not module.check_mode:
        cluster = describe(client, name)
    module.exit_changed(changed, before, after, cluster=output(cluster))


def ensure_absent(module, client):
    name = module.params["name"]
    cluster = describe(client, name)
    if cluster is None:
        module.exit_changed(False, {}, {}, cluster={})
    arns = paginate(client, "list_services", "serviceArns", cluster=name)
    services = []
    for start in range(0, len(arns), 10):  # a deleted service may still be listed while it drains
        services += [s["serviceArn"] for s in client.describe_services(aws_retry=True, cluster=name,
                                                                       services=arns[start:start + 10])["services"]
                     if s.get("status") != "INACTIVE"]
    if services:
        module.fail_json(msg="cluster %s still runs the services %s: remove them first"
                             % (name, ", ".join(sorted(a.rsplit("/", 1)[-1] for a in services))))
    if not module.check_mode:
        client.delete_cluster(aws_retry=True, cluster=name)
    module.exit_changed(True, {"clusterName": name, "status": cluster.get("status")}, {}, cluster={})


def main():
    run_resource_module("ecs", dict(
        name=dict(type="str", required=True),
        capacity_providers=dict(type="list", elements="str"),
        default_capacity_provider_strategy=dict(type="list", elements="dict"),
        container_insights=dict(type="bool"),
    ), ensure_present, ensure_absent, "ECS cluster request failed", wait=None)


if __name__ == "__main__":
    main()
