# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Assembly: checked services, resources and settings -> the app model (names, tags, wiring)."""

from __future__ import annotations

from . import normalize
from .build import build_model
from .names import make_name, short_hash, upper_snake
from .edge import edge
from .network import dns, network
from .ecs import ecs
from .plan import plan
from .settings import dns_suffix, partition
from .services import PREVIEW_WORKER, WORKSPACE_WORKER

MODEL_VERSION = 1
DEFAULT_MAX_SCALE = 4


def assemble(doc, st, services, resources):
    app, env, env_type = st["app"], st["env"], st["env_type"]
    production = env_type == "production"
    # What the environments share carries no environment: whichever ran last must not re-tag it.
    app_tags = {"ManagedBy": "coherence", "Application": app}
    env_tags = dict(app_tags, Environment=env_type, EnvironmentName=env)
    uniq = (st["account_id"] or "", app, env, st["region"])

    def env_name(kind, *parts, **kw):
        return make_name(kind, app, env, *parts, **kw)

    # --- resources
    existing = st["use_existing"].get("databases", {})
    res_out = []
    for res in resources:
        users = [s["name"] for s in services if res["key"] in s["uses"]]
        item = {k: v for k, v in res.items() if k not in ("path", "use_sibling", "invalid", "recommended")}
        item["used_by"] = users
        item["existing"] = existing.get(res["key"])
        svc_part = res["service"]
        if res["type"] == "database":
            item["names"] = {
                "instance": env_name("rds_instance", svc_part, res["name"]),
                "subnet_group": env_name("db_subnet_group", svc_part, res["name"]),
                "proxy": env_name("rds_proxy", svc_part, res["name"]),
                "proxy_role": env_name("iam_role", svc_part, res["name"], "proxy"),
                "secret": make_name("secret", "coherence", app, env, "db", svc_part, res["name"]),
                "database": make_name("db_name", res["name"]),
                # Distinctive on purpose: Ansible masks a no_log value wherever it appears in
                # output, so a common word here would mangle names and ARNs that contain it.
                "username": make_name("db_name", "master", short_hash(app, env, res["key"])),
                "final_snapshot": env_name("rds_instance", svc_part, res["name"], "final"),
            }
            item["proxy"] = bool(item.pop("proxy")) and not item["existing"]
            item["deletion_protection"] = production
            item["final_snapshot"] = production
        elif res["type"] == "cache":
            item["names"] = {"replication_group": env_name("elasticache", svc_part, res["name"]),
                             "subnet_group": env_name("cache_subnet_group", svc_part, res["name"])}
        else:
            item["names"] = {"bucket": env_name("s3_bucket", svc_part, res["name"], suffix_hash=uniq + (res["key"],))}
            # Review buckets go with their objects; production keeps them unless forced.
            item["force_destroy"] = not production
        res_out.append(item)
    by_key = {r["key"]: r for r in res_out}

    # --- the environment's secret and each service's variables
    secret_keys = {
        "COHERENCE_ENVIRONMENT_NAME": {"source": "environment", "value": env},
        "ENVIRONMENT_NAME": {"source": "environment", "value": env},
        "COHERENCE_ENVIRONMENT_DOMAIN": {"source": "environment", "value": st["environment_domain"] or ""},
        "PORT": {"source": "environment", "value": str(st["container_port"])},
    }
    for var in st["env_var_names"]:
        secret_keys[var] = {"source": "user"}
    svc_out = []
    for svc in services:
        svc_out.append(_service(doc, st, svc, by_key, secret_keys, env_name, production))

    # --- routing: longest path first; CloudFront's default behaviour is the service at '/'
    routes = sorted(({"path": s["url_path"], "service": s["name"], "type": s["type"]} for s in svc_out),
                    key=lambda r: (-len(r["path"]), r["path"]))

    backends = [s for s in svc_out if s["type"] == "backend"]
    frontends = [s for s in svc_out if s["type"] == "frontend"]
    has_data = any(r["type"] in ("database", "cache") for r in res_out)
    shared = {
        "vpc": make_name("label", app),
        "cluster": make_name("ecs", app),
        "alb": make_name("alb", app),
        "security_groups": {k: make_name("security_group", app, k) for k in ("alb", "bastion")},
        "bastion": make_name("label", app, "bastion"),
        "bastion_role": make_name("iam_role", app, "bastion"),
        "bastion_profile": make_name("instance_profile", app, "bastion"),
        "lambda_edge": make_name("lambda", app, "edge-errors"),
        "lambda_edge_role": make_name("iam_role", app, "edge-errors"),
        "source_bucket": make_name("s3_bucket", app, "source", suffix_hash=(st["account_id"] or "", app, st["region"])),
        "zone": st["base_domain"],
    }
    env_names = {
        "secret": make_name("secret", "coherence", app, env),
        "kms_alias": make_name("kms_alias", app, env, prefix="alias/coherence/"),
        # What the environment was deployed with (SSM parameter): teardown removes it all, whatever
        # coherence.yml says by then.
        "record": make_name("ssm_parameter", "coherence", app, env, "resources", prefix="/"),
        # The environment's own groups: its services reach its own data only.
        "security_groups": {k: env_name("security_group", k) for k in ("services", "database", "cache")},
        "execution_role": env_name("iam_role", "execution"),
        "build_role": env_name("iam_role", "build"),
        "pipeline_role": env_name("iam_role", "pipeline"),
        "events_role": env_name("iam_role", "events"),
        "pipeline": env_name("codepipeline"),
        "log_group_prefix": make_name("log_group", "coherence", app, env, prefix="/"),
        "cloudfront_comment": "coherence %s %s" % (app, env),
        "domain": st["environment_domain"],
        # STS session name when assuming the environment's role (64 chars, IAM charset).
        "session": make_name("iam_role", "coherence", app, env),
    }
    build = doc.data.get("build_settings") or {}
    machine = ((build.get("platform_settings") or {}).get("machine_type"))
    model = {
        "version": MODEL_VERSION,
        "source": doc.source,
        "app": app,
        "region": st["region"],
        "partition": partition(st["region"]),
        "dns_suffix": dns_suffix(st["region"]),
        # From STS when the playbooks build the model again after the session; None before.
        "account_id": st["account_id"],
        "environment": {"name": env, "type": env_type, "production": production,
                        "domain": st["environment_domain"], "base_domain": st["base_domain"],
                        "capacity_provider": "FARGATE" if production else "FARGATE_SPOT"},
        "tags": {"app": app_tags, "environment": env_tags},
        "names": {"shared": shared, "environment": env_names},
        "services": svc_out,
        "resources": res_out,
        "routes": routes,
        "secret": {"name": env_names["secret"], "keys": secret_keys},
        "network": network(doc, st, res_out, has_data, needs_vpc=bool(backends) or has_data),
        "dns": dns(st),
        "edge": edge(st, svc_out, routes, dns(st), shared),
        "build": {
            "compute_type": normalize.codebuild_compute_type(machine) if machine else normalize.DEFAULT_CODEBUILD_TYPE,
            "integration_test": _integration_test(doc.data.get("integration_test")) if not production else None,
        },
        "warnings": doc.warnings,
    }
    model["ecs"] = ecs(model)
    model["kms_key_policy"] = key_policy(model)
    model["build"].update(build_model(model))
    model["plan"] = plan(model)
    return model


def _service(doc, st, svc, by_key, secret_keys, env_name, production):
    name = svc["name"]
    out = {k: v for k, v in svc.items() if k not in ("path", "uses", "system", "prod")}
    out["dockerfile"] = svc["prod"]["dockerfile"] or "Dockerfile"
    out["names"] = {"ecr": make_name("ecr", st["app"], name), "codebuild": env_name("codebuild", name),
                    "log_group": make_name("log_group", "coherence", st["app"], st["env"], name, prefix="/")}
    # variables: name -> key in the environment's secret
    variables = {k: k for k in ("COHERENCE_ENVIRONMENT_NAME", "ENVIRONMENT_NAME", "COHERENCE_ENVIRONMENT_DOMAIN")}
    used = [by_key[k] for k in svc["uses"] if k in by_key]
    for rtype in ("database", "cache", "object_storage"):
        of_type = [r for r in used if r["type"] == rtype]
        for res in of_type:
            prefix = upper_snake(res["name"]) + "_" if (len(of_type) > 1 or rtype == "object_storage") else ""
            for field in _FIELDS[rtype]:
                var = prefix + field if rtype != "object_storage" else prefix + "BUCKET"
                key = "%s.%s" % (res["key"], field)
                secret_keys[key] = {"source": "resource", "resource": res["key"], "field": field}
                variables[var] = key
    for var in st["env_var_names"]:
        if var in variables and variables[var] != var:
            doc.warn("env_vars.%s overrides the %s that coherence.aws wires for %s" % (var, var, name))
        variables[var] = var
    if svc["type"] == "frontend":
        out["variables"] = variables  # build-time variables for the frontend build
        out["names"]["bucket"] = env_name("s3_bucket", name, suffix_hash=(st["account_id"] or "", st["app"],
                                                                          st["env"], st["region"], name))
        return out
    variables["PORT"] = "PORT"
    out["variables"] = variables
    system = svc["system"]
    cpu, memory, note = normalize.fargate_size(system["cpu"], system["memory"])
    if note and (system["cpu"] is not None or system["memory"] is not None):
        doc.warn("%s.system: %s" % (name, note))
    min_scale = system["min_scale"] if system["min_scale"] is not None else 1
    max_scale = system["max_scale"] if system["max_scale"] is not None else max(min_scale, DEFAULT_MAX_SCALE)
    if not production:
        min_scale = max_scale = 1  # platform_settings scale production only (coherence-yml.md)
    out.update({
        "cpu": cpu, "memory": memory, "port": st["container_port"], "health_check": system["health_check"],
        "min_scale": min_scale, "max_scale": max_scale,
        "command": svc["prod"]["command"],
        "seed": svc["seed"] if not production else None,
    })
    out["names"].update({
        "service": env_name("ecs", name), "task_family": env_name("ecs", name),
        "task_role": env_name("iam_role", name, "task"), "target_group": env_name("target_group", name),
        "scaling_policy": env_name("alarm", name, "cpu"),
        "migration_family": env_name("ecs", name, "migration"), "seed_family": env_name("ecs", name, "seed"),
    })
    workers = svc["workers"]
    runnable = [w for w in workers if w["name"] != WORKSPACE_WORKER]
    preview = [w for w in runnable if w["name"] == PREVIEW_WORKER]
    if production:
        runnable = [w for w in runnable if w["name"] != PREVIEW_WORKER]
    elif preview:
        runnable = preview  # the preview worker alone runs in review environments
    out["workers"] = [{"name": w["name"], "command": w["command"],
                       "names": {"service": env_name("ecs", name, w["name"]),
                                 "task_family": env_name("ecs", name, w["name"])}} for w in runnable]
    out["scheduled_tasks"] = [{"name": t["name"], "command": t["command"], "cron": t["cron"],
                               "schedule": t["schedule"],
                               "names": {"rule": env_name("event_rule", name, t["name"]),
                                         "task_family": env_name("ecs", name, "cron", t["name"])}}
                              for t in svc["scheduled_tasks"]]
    return out


_FIELDS = {
    "database": ("DATABASE_URL", "DB_NAME", "DB_USER", "DB_PASSWORD", "DB_HOST", "DB_PORT", "DB_ENGINE"),
    "cache": ("REDIS_URL", "REDIS_HOST", "REDIS_PORT"),
    "object_storage": ("BUCKET",),
}


def key_policy(model):
    """The environment's KMS key policy (the data role's key), when a service beside the account
    must use the key: AWS's default statement (the account's IAM policies decide who uses it)
    and what the edge (CloudFront reads the frontends) and the services (CloudWatch Logs) add.
    None keeps KMS's default policy; so does a model built before the account is known."""
    statements = (model["edge"] or {}).get("key_statements", []) + ((model["ecs"] or {}).get("key_statements") or [])
    if not statements or not model["account_id"]:
        return None
    root = "arn:%s:iam::%s:root" % (model["partition"], model["account_id"])
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "TheAccountsPoliciesDecide", "Effect": "Allow", "Principal": {"AWS": root}, "Action": "kms:*", "Resource": "*"},
    ] + statements}


def _integration_test(value):
    if not value:
        return None
    return {"image": value.get("image"), "command": normalize.command(value.get("command"))}
