# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan: human-readable lines saying what an environment will have."""

from __future__ import annotations


_EXTENDED = " (Extended Support, billed extra)"


def plan(model):
    """Human-readable lines: what this environment will have."""
    env = model["environment"]
    lines = ["app %s, environment %s (%s) in %s%s" % (
        model["app"], env["name"], env["type"], model["region"],
        ", served at https://%s" % env["domain"] if env["domain"] else ", no domain (base_domain unset)")]
    shared = model["names"]["shared"]
    net = model["network"]
    parts = []
    if net["vpc"]:
        parts.append("VPC %s (%s, %d AZs, %s NAT)" % (
            shared["vpc"], {"create": net["cidr"], "existing": "existing", "shared": "shared"}[net["mode"]],
            net["az_count"], net["nat_mode"].replace("_", " ")))
    if model["ecs"]:
        parts.append("ECS cluster %s" % shared["cluster"])
    if (model["edge"]["load_balancer"] or {}).get("needed"):
        parts.append("ALB %s" % shared["alb"])
    if net["bastion"]:
        parts.append("bastion")
    lines.append("shared by the account's environments: %s" % (
        ", ".join(parts) or "no VPC, NAT gateway, load balancer, cluster nor bastion (only frontends: none needed)"))
    if model["dns"]:
        lines.append("DNS zone %s%s; certificates: %s" % (
            model["dns"]["zone"], ", and %s" % model["dns"]["environment_zone"] if model["dns"]["environment_zone"]
            else "", ", ".join("%s (%s)" % (c["domain_name"], c["region"]) for c in model["dns"]["certificates"])))
    for svc in model["services"]:
        if svc["type"] == "frontend":
            lines.append("frontend %s at %s: S3 %s behind CloudFront"
                         % (svc["name"], svc["url_path"], svc["names"]["bucket"]))
            continue
        lines.append("backend %s at %s: Fargate %s, %g vCPU / %d MiB, %d-%d tasks, health %s" % (
            svc["name"], svc["url_path"], env["capacity_provider"], svc["cpu"] / 1024.0, svc["memory"],
            svc["min_scale"], svc["max_scale"], svc["health_check"]))
        for w in svc["workers"]:
            lines.append("  worker %s: %s" % (w["name"], w["command"]["shell"]))
        for t in svc["scheduled_tasks"]:
            lines.append("  scheduled %s: %s -> %s" % (t["name"], t["cron"], t["schedule"]))
        lines.append("  variables: %s" % ", ".join(sorted(svc["variables"])))
    for res in model["resources"]:
        if res["type"] == "database":
            what = "existing %s" % ", ".join("%s=%s" % kv for kv in sorted(res["existing"].items())
                                             if kv[0] != "secret_arn") if res["existing"] else \
                "RDS %s %s%s%s" % (res["engine"], res["engine_version"], _EXTENDED if res["extended_support"] else "",
                                   " + RDS Proxy" if res["proxy"] else "")
            lines.append("database %s: %s (%s)" % (res["key"], what, res["names"]["instance"]))
        elif res["type"] == "cache":
            lines.append("cache %s: ElastiCache redis %s%s (%s)" % (
                res["key"], res["engine_version"], _EXTENDED if res["extended_support"] else "",
                res["names"]["replication_group"]))
        else:
            lines.append("object storage %s: S3 %s" % (res["key"], res["names"]["bucket"]))
    lines.append("variables in Secrets Manager %s: %d keys" % (model["secret"]["name"], len(model["secret"]["keys"])))
    return lines
