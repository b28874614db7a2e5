# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network and DNS: the VPC's layout and the hosted zones and certificates."""

from __future__ import annotations

from .names import make_name


def network(doc, st, resources, has_data, needs_vpc):
    """The VPC's layout: subnets (public i, private i in AZ i), NAT gateways, route tables, ports.
    needs_vpc: only containers, databases and caches live in a VPC; an app of frontends (and
    buckets) gets none, nor its NAT gateways, load balancer and bastion."""
    app, net = st["app"], st["network"]
    az = net["az_count"]
    blocks = list(net["cidr"].subnets(new_prefix=net["cidr"].prefixlen + 4))  # 16 equal blocks

    def tier(name, offset):
        return [{"name": make_name("label", app, name, i + 1), "cidr": str(blocks[offset + i]), "az_index": i}
                for i in range(az)]

    nats = 1 if net["nat_gateways"] == "single" else az
    sharing = doc.data.get("vpc_sharing")
    existing = st["use_existing"].get("vpc")
    return {
        "vpc": needs_vpc,
        # create: our own VPC; existing: the team's (use_existing.vpc); shared: another app's (vpc_sharing)
        "mode": "existing" if existing else "shared" if sharing else "create",
        "existing_vpc": existing,
        "vpc_sharing": sharing,
        "allow_vpc_sharing": bool(doc.data.get("allow_vpc_sharing", False)),
        "cidr": str(net["cidr"]),
        "az_count": az,
        "public_subnets": tier("public", 0),
        "private_subnets": tier("private", 8),
        "internet_gateway": make_name("label", app, "igw"),
        "nat_gateways": [{"name": make_name("label", app, "nat", i + 1), "public_subnet": i} for i in range(nats)],
        "nat_mode": net["nat_gateways"],
        "public_route_table": make_name("label", app, "public"),
        # One private table per NAT gateway; with one NAT, every private subnet uses it.
        "private_route_tables": [{"name": make_name("label", app, "private", i + 1), "nat": i,
                                  "subnets": [i] if nats > 1 else list(range(az))} for i in range(nats)],
        "bastion": has_data,
        "database_ports": sorted(set(r["port"] for r in resources if r["type"] == "database")),
        "cache_ports": sorted(set(r["port"] for r in resources if r["type"] == "cache")),
        "container_port": st["container_port"],
    }


def dns(st):
    """Hosted zones and ACM certificates: the app's domain and its wildcard, in the region (ALB)
    and in us-east-1 (CloudFront only takes certificates from there); the same for an
    environment domain outside the app's domain, in a zone of its own."""
    base, env_domain = st["base_domain"], st["environment_domain"]
    if not base:
        return None
    own_zone = env_domain if env_domain and env_domain != base and not env_domain.endswith("." + base) else None

    def certificates(domain, scope, *parts):
        regions = [st["region"]] if st["region"] == "us-east-1" else [st["region"], "us-east-1"]
        return [{"name": make_name("label", st["app"], *(parts + (() if region == st["region"] else ("cloudfront",)))),
                 "domain_name": domain, "subject_alternative_names": ["*." + domain], "region": region,
                 "zone": domain, "scope": scope,
                 "serves": (["alb", "cloudfront"] if len(regions) == 1 else ["alb"] if region == st["region"]
                            else ["cloudfront"])} for region in regions]

    certs = certificates(base, "shared")
    if own_zone:
        certs += certificates(own_zone, "environment", st["env"])
    return {"zone": base, "environment_domain": env_domain, "environment_zone": own_zone, "certificates": certs}
