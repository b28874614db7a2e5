#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: app_resources_info
short_description: List what of an app, or of one of its environments, still exists
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Lists what carries the app's tags (C(Application), and C(EnvironmentName) with O(environment))
    through the Resource Groups Tagging API, in each of O(regions), leaving out what is only the
    trace of something deleted (terminated instances, deleted NAT gateways, KMS keys pending
    deletion, secrets in their recovery window, inactive ECS clusters, services and task
    definitions, stopped tasks).
  - Then each service's own listing, for what the tagging API does not show (IAM roles and
    instance profiles never appear there), by the names the collection gives (C(<app>-...), or
    C(<app>-<environment>-...) with O(environment)), secrets under C(coherence/<app>/),
    distributions by their comment, and the hosted zones and certificates of O(domains). A
    resource listed by name that carries another app's or environment's tags is not counted.
  - The teardown's closing sweep; it fails the run naming what remains. Each call reads, so a
    sweep costs one task whatever the app has.
options:
  app:
    description: The app's name (its C(Application) tag).
    type: str
    required: true
  environment:
    description:
      - Only what belongs to this environment (tagged C(EnvironmentName) and named
        C(<app>-<environment>-...)). Unset, everything of the app.
    type: str
  regions:
    description:
      - The regions to look in. IAM, CloudFront and Route 53 are global and read once, with the
        first region. Unset, the module's region.
    type: list
    elements: str
    default: []
  domains:
    description: Domains whose hosted zones and certificates are the app's.
    type: list
    elements: str
    default: []
  keep:
    description:
      - Shell patterns (C(*), C(?)) matched against each resource's ARN and against
        C(<kind> <name>); what matches is returned in RV(kept), not in RV(resources). For what a
        teardown keeps on purpose (a production environment's buckets, key, logs, repositories
        and final snapshots).
    type: list
    elements: str
    default: []
notes:
  - Supports check mode (it only reads).
  - The embedded AWS's tagging API does not cover every service; the per-service listings cover
    the ones the collection makes that it misses.
extends_documentation_fragment: [amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
seealso:
  - module: amazon.aws.ec2_vpc_net_info
"""

EXAMPLES = r"""
- name: Find what is left of the review environment
  coherence.aws.app_resources_info:
    app: shop
    environment: review
    regions: [eu-west-1, us-east-1]
  register: left

- name: Fail naming what remains
  ansible.builtin.assert:
    that: left.resources | length == 0
    fail_msg: "still there: {{ left.resources | map(attribute='arn') | join(', ') }}"
"""

RETURN = r"""
resources:
  description: What is left, sorted by region, kind and name.
  returned: always
  type: list
  elements: dict
  contains:
    region:
      description: Where it was found (the first region for IAM, CloudFront and Route 53).
      type: str
    kind:
      description: What it is (C(ec2 security-group), C(IAM role), C(bucket), ...).
      type: str
    name:
      description: Its name or id.
      type: str
    arn:
      description: Its ARN (the id for a hosted zone or an Origin Access Control).
      type: str
    summary:
      description: C(<kind> <name> (<region>)), for a message.
      type: str
kept:
  description: What matched O(keep), in the same form.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule
from ansible_collections.coherence.aws.plugins.module_utils.sweep import sweep


class Clients(object):
    """client(service): one client per service, in one region, made when first asked for."""

    def __init__(self, module, region):
        self.module, self.region, self.made = module, region, {}

    def __call__(self, service):
        if service not in self.made:
            self.made[service] = self.module.client(service, region=self.region, retry_decorator=AWSRetry.jittered_backoff())
        return self.made[service]


def summary(item, region):
    return "%s %s (%s)" % (item["kind"], item["name"], region)


def main():
    module = CoherenceAWSModule(argument_spec=dict(
        app=dict(type="str", required=True), environment=dict(type="str"),
        regions=dict(type="list", elements="str", default=[]), domains=dict(type="list", elements="str", default=[]),
        keep=dict(type="list", elements="str", default=[])), supports_check_mode=True)
    p = module.params
    regions = p["regions"] or [module.region]
    result = {"resources": [], "kept": []}

    def run():
        for index, region in enumerate(dict.fromkeys(regions)):
            left, kept = sweep(Clients(module, region), p["app"], p["environment"], p["domains"], global_services=index == 0,
                               keep=p["keep"])
            result["resources"] += [dict(item, region=region, summary=summary(item, region)) for item in left]
            result["kept"] += [dict(item, region=region, summary=summary(item, region)) for item in kept]

    module.run(run, "listing what is left of %s failed" % p["app"])
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
