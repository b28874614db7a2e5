# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a deploy tells its user at the end: the environment's outputs, from the model and the
facts the roles published, as a dict (the JSON file AWX and scripts read) and as lines (the
summary). Nothing secret is in the facts it reads (endpoints, ids and names only)."""

# SSM's document that forwards a local port to a host the instance reaches.
PORT_FORWARD = "AWS-StartPortForwardingSessionToRemoteHost"


def outputs(model, network=None, data=None, edge=None, build=None):
    network, data, edge, build = network or {}, data or {}, edge or {}, build or {}
    app, env, region = model["app"], model["environment"]["name"], model["region"]
    bastion = network.get("bastion_instance_id")
    endpoints = {}
    for name, found in sorted((data.get("resources") or {}).items()):
        if found.get("bucket"):
            endpoints[name] = {"bucket": found["bucket"]}
            continue
        endpoint = {"host": found.get("host"), "port": found.get("port")}
        if found.get("database"):
            endpoint["database"] = found["database"]
        if bastion and found.get("host") and found.get("port"):
            # What the user runs to reach it from a laptop (localhost:<port>), through the bastion.
            endpoint["port_forward"] = (
                "aws ssm start-session --region %s --target %s --document-name %s --parameters "
                "host=%s,portNumber=%s,localPortNumber=%s" % (region, bastion, PORT_FORWARD, found["host"],
                                                              found["port"], found["port"]))
        endpoints[name] = endpoint
    dns = model.get("dns") or {}
    out = {
        "app": app, "environment": env, "account_id": model.get("account_id"), "region": region,
        "urls": list(edge.get("urls") or []),
        "cloudfront": {"id": edge.get("distribution_id"), "domain": edge.get("distribution_domain")}
        if edge.get("distribution_id") else None,
        "load_balancer": edge.get("alb_dns_name"),
        "data": endpoints,
        "bastion": bastion,
        "delegate": {"zone": dns.get("environment_zone") or dns.get("zone"), "name_servers": network.get("name_servers")}
        if dns and network.get("name_servers") else None,
        "secret": data.get("secret_name") or (model.get("secret") or {}).get("name"),
        "secret_arn": data.get("secret_arn"),
        "pipeline": build.get("pipeline"),
        "deploy": ("ansible-playbook coherence.aws.deploy -e env=%s -e app_name=%s -e git_ref=<ref>" % (env, app))
        if build.get("pipeline") else None,
    }
    return out


def summary_lines(out):
    """The summary a run prints: one line per output that exists."""
    lines = ["%s %s (account %s, %s)" % (out["app"], out["environment"], out["account_id"], out["region"])]
    if out["urls"]:
        lines.append("URLs: " + ", ".join(out["urls"]))
    if out["cloudfront"]:
        lines.append("CloudFront: %(domain)s (%(id)s)" % out["cloudfront"])
    if out["load_balancer"]:
        lines.append("Load balancer: " + out["load_balancer"])
    for name, endpoint in sorted(out["data"].items()):
        if endpoint.get("bucket"):
            lines.append("%s: s3://%s" % (name, endpoint["bucket"]))
            continue
        where = "%s:%s" % (endpoint["host"], endpoint["port"])
        lines.append("%s: %s%s" % (name, where, "/" + endpoint["database"] if endpoint.get("database") else ""))
        if endpoint.get("port_forward"):
            lines.append("  from your machine: " + endpoint["port_forward"])
    if out["bastion"]:
        lines.append("Bastion: %s (SSM Session Manager only)" % out["bastion"])
    if out["delegate"]:
        lines.append("Delegate %s to: %s" % (out["delegate"]["zone"], ", ".join(out["delegate"]["name_servers"])))
    if out["secret"]:
        lines.append("Secret: %s%s (Secrets Manager; its values are never printed)" % (
            out["secret"], ", " + out["secret_arn"] if out["secret_arn"] else ""))
    if out["pipeline"]:
        lines.append("Pipeline: %s; ship a git ref: %s" % (out["pipeline"], out["deploy"]))
    return lines
