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
  - Records the task does not name are left alone, but for O(purge) (with O(state=absent)),
    which finds the records to delete from what exists, so that a teardown given fewer
    inputs than the deploy still empties the zones it made.
options:
  records:
    description: The alias records.
    type: list
    elements: dict
    default: []
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
  purge:
    description:
      - With O(state=absent), more records to delete, found by rules; one rule's records are
        the alias records, in every public hosted zone carrying all of its O(purge[].zone_tags),
        that point at one of its O(purge[].targets) or are named one of its O(purge[].names).
    type: list
    elements: dict
    default: []
    suboptions:
      zone_tags:
        description: Tags a hosted zone must carry (all of them) for the rule to look into it.
        type: dict
        required: true
      targets:
        description: DNS names (a distribution's, a load balancer's) whose aliases are deleted.
        type: list
        elements: str
        default: []
      names:
        description: Record names relative to the zone (C(origin) is C(origin.<zone>)), deleted.
        type: list
        elements: str
        default: []
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
    delete; with O(state=present) it fails the task (in check mode, its records are planned as new).
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

- name: At teardown, whatever points at the environment's distribution in the app's zones
  coherence.aws.route53_aliases:
    state: absent
    purge:
      - zone_tags: {Application: shop, ManagedBy: coherence}
        targets: [d111111abcdef8.cloudfront.net]
        names: [origin-review]
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


def _tagged_zones(client, wanted):
    """{name: id} of the public hosted zones carrying all the tags in `wanted`."""
    zones = {}
    for page in client.get_paginator("list_hosted_zones").paginate():
        zones.update((z["Id"].split("/")[-1], _dns(z["Name"])) for z in page["HostedZones"]
                     if not z.get("Config", {}).get("PrivateZone"))
    ids, out = sorted(zones), {}
    for start in range(0, len(ids), 10):  # the API's limit per call
        found = client.list_tags_for_resources(aws_retry=True, ResourceType="hostedzone", ResourceIds=ids[start:start + 10])
        for item in found["ResourceTagSets"]:
            tags = dict((t["Key"], t["Value"]) for t in item.get("Tags") or [])
            if all(tags.get(k) == v for k, v in wanted.items()):
                out[zones[item["ResourceId"]]] = item["ResourceId"]
    return out


def _purged(rule, zone, have):
    """The keys of the alias records in `have` (one zone's) that `rule` deletes."""
    targets = set(_dns(t) for t in rule["targets"])
    names = set(_dns("%s.%s" % (n, zone)) for n in rule["names"])
    return [key for key, record in have.items()
            if key[0] in names or _dns(record["AliasTarget"]["DNSName"]) in targets]


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
        records=dict(type="list", elements="dict", default=[], options=dict(
            zone=dict(type="str", required=True), name=dict(type="str", required=True),
            type=dict(type="str", choices=["A", "AAAA"], default="A"), target=dict(type="str"),
            target_zone_id=dict(type="str"))),
        purge=dict(type="list", elements="dict", default=[], options=dict(
            zone_tags=dict(type="dict", required=True), targets=dict(type="list", elements="str", default=[]),
            names=dict(type="list", elements="str", default=[]))),
        state=dict(type="str", choices=["present", "absent"], default="present")), supports_check_mode=True)
    present = module.params["state"] == "present"
    if present:
        missing = [r["name"] for r in module.params["records"] if not (r["target"] and r["target_zone_id"])]
        if missing:
            module.fail_json(msg="records: target and target_zone_id are required with state=present (%s)"
                             % ", ".join(missing))
        if module.params["purge"]:
            module.fail_json(msg="purge: only with state=absent")
    client = module.client("route53", retry_decorator=AWSRetry.jittered_backoff(catch_extra_error_codes=["PriorRequestNotComplete"]))
    zones = []
    for record in module.params["records"]:
        if record["zone"] not in zones:
            zones.append(record["zone"])

    def run():
        zone_ids = dict((zone, _zone_id(client, zone)) for zone in zones)
        purging = {}  # zone -> the rules that look into it
        for rule in module.params["purge"]:
            for zone, zone_id in _tagged_zones(client, rule["zone_tags"]).items():
                zone_ids[zone] = zone_id
                purging.setdefault(zone, []).append(rule)
        before, after, changed = [], [], False
        for zone, zone_id in zone_ids.items():
            if zone_id is None:
                if present and not module.check_mode:
                    module.fail_json(msg="records: no public hosted zone %s" % zone)
                if not present:
                    continue
            # Check mode before the zone is made (a new environment's): every record is new.
            have = _aliases(client, zone_id) if zone_id else {}
            keys = [(_dns(r["name"]), r["type"]) for r in module.params["records"] if r["zone"] == zone]
            if not present:
                for rule in purging.get(zone, []):
                    keys.extend(k for k in _purged(rule, zone, have) if k not in keys)
            changes = []
            for wanted in (r for r in module.params["records"] if r["zone"] == zone and present):
                key = (_dns(wanted["name"]), wanted["type"])
                found = have.get(key)
                if found:
                    before.append(_shown(zone, found))
                record = {"Name": key[0] + ".", "Type": key[1], "AliasTarget": {
                    "HostedZoneId": wanted["target_zone_id"], "DNSName": _dns(wanted["target"]) + ".",
                    "EvaluateTargetHealth": False}}
                after.append(_shown(zone, record))
                if not found or _shown(zone, found) != _shown(zone, record) or (
                        found["AliasTarget"]["HostedZoneId"] != wanted["target_zone_id"]):
                    changes.append({"Action": "UPSERT", "ResourceRecordSet": record})
            for key in (k for k in keys if not present and k in have):
                before.append(_shown(zone, have[key]))
                changes.append({"Action": "DELETE", "ResourceRecordSet": have[key]})
            if changes and not module.check_mode:
                client.change_resource_record_sets(aws_retry=True, HostedZoneId=zone_id, ChangeBatch={
                    "Comment": "coherence.aws.route53_aliases", "Changes": changes})
            changed = changed or bool(changes)
        # No record before (after): a creation (deletion), as the plan callback counts it.
        module.exit_changed(changed, {"records": before} if before else {}, {"records": after} if after else {},
                            records=after if present else [])

    module.run(run, "alias records in %s" % (", ".join(zones) or "the zones tagged as asked"))


if __name__ == "__main__":
    main()
