#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: route53_aliases
short_description: Create or delete a set of Route 53 alias records in one call per zone
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Makes each given alias record (A or AAAA) point at its target (a CloudFront distribution, a
    load balancer), or deletes the given records whatever they point at, with one
    C(ChangeResourceRecordSets) per hosted zone, and only for the records that differ.
  - amazon.aws.route53 handles one record per call, and needs an alias record's current target
    to delete it.
  - Records the task does not name are left alone.
options:
  records:
    description: The alias records.
    type: list
    elements: dict
    required: true
    suboptions:
      zone:
        description: The public hosted zone the record is in (its domain name).
        type: str
        required: true
      name:
        description: The record's name (a name in O(records[].zone)).
        type: str
        required: true
      type:
        description: The record's type.
        type: str
        choices: [A, AAAA]
        default: A
      target:
        description: The DNS name the alias points at (needed with O(state=present)).
        type: str
      target_zone_id:
        description: The hosted zone id of the target (CloudFront's is C(Z2FDTNDATAQYW2); a load
          balancer's is its canonical hosted zone id). Needed with O(state=present).
        type: str
  state:
    description: C(present) creates or updates the records; C(absent) deletes those that exist.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Supports check mode and diff mode. A hosted zone that does not exist has no records to
    delete; with O(state=present) it fails the task.
"""

EXAMPLES = r"""
- name: Point the environment's domain at its distribution (IPv4 and IPv6)
  coherence.aws.route53_aliases:
    records:
      - {zone: shop.example.com, name: review.shop.example.com, type: A,
         target: d111111abcdef8.cloudfront.net, target_zone_id: Z2FDTNDATAQYW2}
      - {zone: shop.example.com, name: review.shop.example.com, type: AAAA,
         target: d111111abcdef8.cloudfront.net, target_zone_id: Z2FDTNDATAQYW2}

- name: Delete them
  coherence.aws.route53_aliases:
    records:
      - {zone: shop.example.com, name: review.shop.example.com, type: A}
      - {zone: shop.example.com, name: review.shop.example.com, type: AAAA}
    state: absent
"""

RETURN = r"""
records:
  description: The named records as they are after the task (those that exist).
  returned: always
  type: list
  elements: dict
  contains:
    zone:
      description: The hosted zone.
      type: str
    name:
      description: The record's name, without the final dot.
      type: str
    type:
      description: A or AAAA.
      type: str
    target:
      description: What the alias points at, without the final dot.
      type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule


def _dns(name):
    return (name or "").rstrip(".").lower()


def _zone_id(client, zone):
    """The id of the public hosted zone named zone, or None."""
    found = client.list_hosted_zones_by_name(aws_retry=True, DNSName=zone)["HostedZones"]
    ids = [z["Id"] for z in found if _dns(z["Name"]) == _dns(zone) and not z.get("Config", {}).get("PrivateZone")]
    return ids[0] if ids else None


def _aliases(client, zone_id):
    """(name, type) -> the zone's alias record sets."""
    out = {}
    for page in client.get_paginator("list_resource_record_sets").paginate(HostedZoneId=zone_id):
        for record in page["ResourceRecordSets"]:
            if record.get("AliasTarget"):
                out[(_dns(record["Name"]), record["Type"])] = record
    return out


def _shown(zone, record):
    return {"zone": zone, "name": _dns(record["Name"]), "type": record["Type"],
            "target": _dns(record["AliasTarget"]["DNSName"])}


def main():
    module = CoherenceAWSModule(argument_spec=dict(
        records=dict(type="list", elements="dict", required=True, options=dict(
            zone=dict(type="str", required=True), name=dict(type="str", required=True),
            type=dict(type="str", choices=["A", "AAAA"], default="A"), target=dict(type="str"),
            target_zone_id=dict(type="str"))),
        state=dict(type="str", choices=["present", "absent"], default="present")), supports_check_mode=True)
    present = module.params["state"] == "present"
    if present:
        missing = [r["name"] for r in module.params["records"] if not (r["target"] and r["target_zone_id"])]
        if missing:
            module.fail_json(msg="records: target and target_zone_id are required with state=present (%s)"
                             % ", ".join(missing))
    client = module.client("route53", retry_decorator=AWSRetry.jittered_backoff(catch_extra_error_codes=["PriorRequestNotComplete"]))
    zones = []
    for record in module.params["records"]:
        if record["zone"] not in zones:
            zones.append(record["zone"])

    def run():
        before, after, changed = [], [], False
        for zone in zones:
            zone_id = _zone_id(client, zone)
            if zone_id is None:
                if present:
                    module.fail_json(msg="records: no public hosted zone %s" % zone)
                continue
            have = _aliases(client, zone_id)
            changes = []
            for wanted in (r for r in module.params["records"] if r["zone"] == zone):
                key = (_dns(wanted["name"]), wanted["type"])
                found = have.get(key)
                if found:
                    before.append(_shown(zone, found))
                if not present:
                    if found:
                        changes.append({"Action": "DELETE", "ResourceRecordSet": found})
                    continue
                record = {"Name": key[0] + ".", "Type": key[1], "AliasTarget": {
                    "HostedZoneId": wanted["target_zone_id"], "DNSName": _dns(wanted["target"]) + ".",
                    "EvaluateTargetHealth": False}}
                after.append(_shown(zone, record))
                if not found or _shown(zone, found) != _shown(zone, record) or (
                        found["AliasTarget"]["HostedZoneId"] != wanted["target_zone_id"]):
                    changes.append({"Action": "UPSERT", "ResourceRecordSet": record})
            if changes and not module.check_mode:
                client.change_resource_record_sets(aws_retry=True, HostedZoneId=zone_id, ChangeBatch={
                    "Comment": "coherence.aws.route53_aliases", "Changes": changes})
            changed = changed or bool(changes)
        module.exit_changed(changed, {"records": before}, {"records": after}, records=after if present else [])

    module.run(run, "alias records in %s" % ", ".join(zones))


if __name__ == "__main__":
    main()
