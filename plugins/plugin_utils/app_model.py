# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The app model: coherence.yml plus the environment's settings -> one dict the roles read.

Everything a role needs is decided here once: which services and resources exist in this
environment, their AWS names (see names.py), tags, sizes, schedules and which variables
each service receives.  Nothing here talks to AWS, and nothing here sees a secret value:
user variables arrive by name only.
"""

from __future__ import annotations

import ipaddress
import re

from . import normalize
from .names import make_name, short_hash, slug, upper_snake
from .source import CoherenceConfigError, Located, load, path_join

MODEL_VERSION = 1

RESERVED = {
    "build_settings": "build machine settings",
    "preview_inactivity_timeout_hours": "pause previews after this many idle hours",
    "integration_test": "a test run after each preview deploy",
    "allow_vpc_sharing": "let other apps share this app's VPC",
    "vpc_sharing": "join another app's VPC",
}
COMMON_KEYS = {"type", "repo_path", "url_path", "dev", "prod", "test", "local_packages", "build_config",
               "system", "resources", "integrations", "docs"}
BACKEND_KEYS = {"migration", "seed", "workers", "scheduled_tasks", "compile"}
FRONTEND_KEYS = {"assets_path", "build_path", "build", "install", "index_file_name", "cors"}
SYSTEM_KEYS = {"cpu", "memory", "health_check", "dev", "platform_settings"}
RESOURCE_KEYS = {"name", "type", "engine", "version", "adapter", "use_sibling", "cors"}
RESOURCE_TYPES = ("database", "cache", "object_storage")
DATABASE_ENGINES = ("postgres", "mysql")
CORS_METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
ENV_TYPES = ("review", "production")
# Workers with these names have a special meaning (coherence-yml.md).
PREVIEW_WORKER = "preview_environment"
WORKSPACE_WORKER = "dev_workspace"

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_APP_RE = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$")
_VAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_PATH_RE = re.compile(r"^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$")

DEFAULT_CONTAINER_PORT = 3000
DEFAULT_MAX_SCALE = 4


# The environment's settings (playbook variables) and their defaults.
SETTINGS = {
    "app_name": None, "env": None, "env_type": None, "base_domain": None, "environment_domain": None,
    "region": "us-east-1", "account_id": None, "env_var_names": (), "use_existing": None,
    "container_port": DEFAULT_CONTAINER_PORT, "vpc_cidr": "10.0.0.0/16", "az_count": 2, "nat_gateways": None,
}
NAT_MODES = ("single", "one_per_az")


def build_app_model(text, source="coherence.yml", **settings):
    """Validate coherence.yml text and the environment's settings; return the app model.

    ``settings`` are those of SETTINGS (None means the default).  Raises CoherenceConfigError
    listing every problem, each with its key path (and line).
    """
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise TypeError("unknown settings: %s" % ", ".join(sorted(unknown)))
    given = dict(SETTINGS)
    given.update((k, v) for k, v in settings.items() if v is not None)
    doc = load(text, source)
    settings = _check_settings(doc, given)
    services = _check_document(doc)
    resources = _resolve_resources(doc, services)
    _check_use_existing(doc, settings, resources)
    doc.finish()  # raises when any error was recorded
    return _assemble(doc, settings, services, resources)


# =========================================================================== settings
def _check_settings(doc, given):
    bad = doc.setting
    app_name, env, env_type = given["app_name"], given["env"], given["env_type"]
    base_domain, environment_domain, region = given["base_domain"], given["environment_domain"], given["region"]
    if not isinstance(app_name, str) or not _APP_RE.match(app_name or "") or len(app_name) > 63:
        bad("app_name", "required; 1-63 lowercase letters, digits and hyphens, starting with a letter, got %r"
            % (app_name,))
    if not isinstance(env, str) or not _APP_RE.match(env or "") or len(env) > 63:
        bad("env", "required; the environment's name (e.g. review, production, pr-42): 1-63 lowercase "
            "letters, digits and hyphens, starting with a letter, got %r" % (env,))
    if env_type in (None, ""):
        env_type = "production" if env == "production" else "review"
    elif env_type not in ENV_TYPES:
        bad("env_type", "must be one of %s, got %r" % (", ".join(ENV_TYPES), env_type))
    base_domain = _domain(bad, "base_domain", base_domain)
    environment_domain = _domain(bad, "environment_domain", environment_domain)
    if not environment_domain and base_domain and isinstance(env, str):
        environment_domain = "%s.%s" % (env, base_domain)
    if not isinstance(region, str) or not re.match(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$", region or ""):
        bad("aws_region", "must be an AWS region such as us-east-1, got %r" % (region,))
    account_id = given["account_id"]
    if account_id not in (None, "") and not re.match(r"^\d{12}$", str(account_id)):
        bad("aws_account_id", "must be a 12-digit AWS account id, got %r" % (account_id,))
    port = given["container_port"]
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        bad("container_port", "must be a port number 1-65535, got %r" % (port,))
    names = []
    var_names = given["env_var_names"]
    for var in (list(var_names) if isinstance(var_names, dict) else var_names) or ():
        if not isinstance(var, str) or not _VAR_RE.match(var):
            bad("env_vars", "%r is not a valid variable name (letters, digits, underscores; not starting "
                "with a digit)" % (var,))
        else:
            names.append(var)
    network = _network_settings(bad, given, env_type)
    return {"app": app_name, "env": env, "env_type": env_type, "base_domain": base_domain,
            "environment_domain": environment_domain, "region": region, "env_var_names": sorted(names),
            "use_existing": given["use_existing"], "account_id": str(account_id) if account_id else None,
            "container_port": port, "network": network}


def _domain(bad, key, value):
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _DOMAIN_RE.match(value.rstrip(".").lower()):
        bad(key, "must be a DNS domain such as example.com, got %r" % (value,))
        return None
    return value.rstrip(".").lower()


def _network_settings(bad, given, env_type):
    """VPC CIDR, number of availability zones and NAT mode (playbook variables)."""
    out = {"cidr": None, "az_count": given["az_count"],
           "nat_gateways": given["nat_gateways"] or ("one_per_az" if env_type == "production" else "single")}
    try:
        cidr = ipaddress.ip_network(str(given["vpc_cidr"]), strict=True)
        if cidr.version != 4 or not 16 <= cidr.prefixlen <= 24:
            raise ValueError("not an IPv4 /16 to /24")
        out["cidr"] = cidr
    except ValueError:
        bad("vpc_cidr", "must be an IPv4 network from /16 to /24 such as 10.0.0.0/16, got %r" % (given["vpc_cidr"],))
    if isinstance(out["az_count"], bool) or not isinstance(out["az_count"], int) or not 2 <= out["az_count"] <= 6:
        bad("az_count", "must be a whole number from 2 to 6 (availability zones to spread over), got %r"
            % (out["az_count"],))
    if out["nat_gateways"] not in NAT_MODES:
        bad("nat_gateways", "must be one of %s, got %r" % (", ".join(NAT_MODES), out["nat_gateways"]))
    return out


# =========================================================================== the document
def _check_document(doc):
    data = doc.data
    if data is None:
        doc.error("", "the file is empty; define at least one service (a key with type: backend or frontend)")
        return []
    if not isinstance(data, dict):
        doc.error("", "must be a mapping of service names to services, got a %s" % _kind(data))
        return []
    services = []
    for key, value in data.items():
        if key in RESERVED:
            _check_reserved(doc, key, value)
        elif isinstance(value, dict) and "type" in value:
            services.append(_check_service(doc, key, value))
        elif isinstance(value, dict):
            doc.error(path_join("", key), "a service needs 'type: backend' or 'type: frontend'")
        else:
            doc.error(path_join("", key), "is neither a service (a mapping with type: backend|frontend) nor one "
                      "of the top-level settings: %s" % ", ".join(sorted(RESERVED)))
    services = [s for s in services if s]
    if not services and not doc.errors:
        doc.error("", "defines no service; add at least one (a key with type: backend or frontend)")
    _check_unique(doc, services, "name", lambda s: slug(s["name"]), "service names must differ after lowercasing "
                  "and turning _ into - (they name AWS resources)")
    _check_unique(doc, services, "url_path", lambda s: s["url_path"], "each service needs its own url_path")
    return services


def _check_unique(doc, items, what, key, why):
    seen = {}
    for item in items:
        k = key(item)
        if k in seen:
            doc.error(item["path"] + ("" if what == "name" else "." + what),
                      "%s %r is also used by %s; %s" % (what, item.get(what), seen[k], why))
        else:
            seen[k] = item["path"]


def _check_reserved(doc, key, value):
    if key == "build_settings":
        if _mapping(doc, key, value, {"platform_settings"}):
            ps = value.get("platform_settings")
            path = "build_settings.platform_settings"
            if ps is not None and _mapping(doc, path, ps, {"machine_type"}, open_keys=True):
                for k in ps:
                    if k != "machine_type":
                        doc.unused("build settings other than machine_type", path_join(path, k))
                if "machine_type" in ps:
                    _convert(doc, path + ".machine_type", ps["machine_type"], normalize.codebuild_compute_type)
    elif key == "preview_inactivity_timeout_hours":
        if _int(doc, key, value, minimum=1) is not None:
            doc.unused("previews are not paused on AWS; delete them with the teardown playbook", key)
    elif key == "allow_vpc_sharing":
        _bool(doc, key, value)
    elif key == "vpc_sharing":
        if _mapping(doc, key, value, {"app_name", "fallback_environment"}, required={"app_name"}):
            _string(doc, key + ".app_name", value.get("app_name"))
            if "fallback_environment" in value:
                _string(doc, key + ".fallback_environment", value["fallback_environment"])
    elif key == "integration_test":
        if _mapping(doc, key, value, {"type", "command", "image"}, required={"command", "image"}):
            if value.get("type", "integration_test") != "integration_test":
                doc.error(key + ".type", "must be 'integration_test', got %r" % (value.get("type"),))
            _command(doc, key + ".command", value.get("command"))
            _string(doc, key + ".image", value.get("image"))


def _check_service(doc, name, raw):
    path = path_join("", name)
    if not isinstance(name, str) or not _NAME_RE.match(name) or len(name) > 63:
        doc.error(path, "service names are 1-63 letters, digits, '-' or '_', starting with a letter")
        return None
    stype = raw.get("type")
    if stype not in ("backend", "frontend"):
        doc.error(path + ".type", "must be 'backend' or 'frontend', got %r" % (stype,))
        return None
    own = BACKEND_KEYS if stype == "backend" else FRONTEND_KEYS
    other = FRONTEND_KEYS if stype == "backend" else BACKEND_KEYS
    for key in raw:
        if key in COMMON_KEYS or key in own:
            continue
        if key in other:
            if stype == "backend":
                # Real files carry frontend keys on backends (index_file_name): harmless, ignored.
                doc.unused("frontend-only keys on a backend service", path_join(path, key))
            else:
                doc.error(path_join(path, key), "applies to backend services only; %s is a frontend" % name)
        else:
            doc.unknown_key(path, key, COMMON_KEYS | own)
    svc = {"name": name, "type": stype, "path": path}
    svc["repo_path"] = _string(doc, path + ".repo_path", raw.get("repo_path", "."), default=".")
    url = raw.get("url_path", "/")
    if isinstance(url, str) and _PATH_RE.match(url):
        svc["url_path"] = "/" + url.strip("/") if url.strip("/") else "/"
    else:
        doc.error(path + ".url_path", "must be a URL path starting with '/', got %r" % (url,))
        svc["url_path"] = None
    for key in ("dev", "local_packages", "integrations", "docs"):
        if key in raw:
            doc.unused("workspaces and Coherence's UI only" if key != "integrations" else "integrations",
                       path_join(path, key))
    svc["prod"] = _prod(doc, path + ".prod", raw.get("prod"))
    svc["test"] = _tests(doc, path + ".test", raw.get("test"))
    svc["build_config"] = _build_config(doc, path + ".build_config", raw.get("build_config"))
    svc["system"] = _system(doc, path + ".system", raw.get("system"), stype)
    svc["resources_raw"] = raw.get("resources")
    if stype == "backend":
        svc["migration"] = _command(doc, path + ".migration", raw.get("migration"))
        svc["seed"] = _command(doc, path + ".seed", raw.get("seed"))
        svc["workers"] = _named_commands(doc, path + ".workers", raw.get("workers"), "worker")
        svc["scheduled_tasks"] = _named_commands(doc, path + ".scheduled_tasks", raw.get("scheduled_tasks"),
                                                 "scheduled task", scheduled=True)
        svc["compile"] = None
        if raw.get("compile") is not None:
            cpath = path + ".compile"
            if _mapping(doc, cpath, raw["compile"], {"image", "command", "entrypoint"}, required={"image"}):
                svc["compile"] = {"image": _string(doc, cpath + ".image", raw["compile"].get("image")),
                                  "command": _command(doc, cpath + ".command", raw["compile"].get("command")),
                                  "entrypoint": _string(doc, cpath + ".entrypoint", raw["compile"].get("entrypoint"))
                                  if raw["compile"].get("entrypoint") is not None else None}
    else:
        if "assets_path" in raw and "build_path" in raw:
            doc.error(path + ".build_path", "give assets_path or its older name build_path, not both")
        assets = raw.get("assets_path", raw.get("build_path", "build"))
        svc["assets_path"] = _string(doc, path + (".assets_path" if "assets_path" in raw else ".build_path"), assets)
        svc["build"] = _command(doc, path + ".build", raw.get("build"))
        svc["install"] = _command(doc, path + ".install", raw.get("install"))
        svc["index_file_name"] = _string(doc, path + ".index_file_name", raw.get("index_file_name", "index.html"))
        svc["cors_allowed_origins"] = []
        if raw.get("cors") is not None and _mapping(doc, path + ".cors", raw["cors"], {"allowed_origins"}):
            svc["cors_allowed_origins"] = _str_list(doc, path + ".cors.allowed_origins",
                                                    raw["cors"].get("allowed_origins", []))
        if svc["prod"] and svc["prod"]["command"]:
            doc.unused("frontends are served from S3 through CloudFront, not run", path + ".prod.command")
    return svc


def _prod(doc, path, value):
    if value is None:
        return {"command": None, "dockerfile": None}
    if isinstance(value, dict):
        if not _mapping(doc, path, value, {"command", "dockerfile"}):
            return {"command": None, "dockerfile": None}
        dockerfile = value.get("dockerfile")
        if dockerfile is not None:
            dockerfile = _string(doc, path + ".dockerfile", dockerfile)
        return {"command": _command(doc, path + ".command", value.get("command")), "dockerfile": dockerfile}
    return {"command": _command(doc, path, value), "dockerfile": None}


def _tests(doc, path, value):
    if value in (None, []):
        return []
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return [c for c in (_command(doc, path_join(path, i), v) for i, v in enumerate(value)) if c]
    if isinstance(value, list) and any(isinstance(v, list) for v in value):
        doc.error(path, "mixes commands and words; give one command (a list of words) or a list of commands")
        return []
    cmd = _command(doc, path, value)
    return [cmd] if cmd else []


def _build_config(doc, path, value):
    out = {"included_paths": [], "excluded_paths": []}
    if value is not None and _mapping(doc, path, value, set(out)):
        for key in out:
            out[key] = _str_list(doc, path + "." + key, value.get(key, []))
    return out


def _system(doc, path, value, stype):
    out = {"cpu": None, "memory": None, "health_check": "/", "min_scale": None, "max_scale": None}
    if value is None:
        value = {}
    elif not _mapping(doc, path, value, SYSTEM_KEYS):
        value = {}
    if "dev" in value:
        doc.unused("workspaces and Coherence's UI only", path + ".dev")
    if stype == "frontend":
        for key in ("cpu", "memory", "platform_settings", "health_check"):
            if key in value:
                doc.unused("frontends are served from S3 through CloudFront, not run", path_join(path, key))
        return out
    for key, conv in (("cpu", normalize.parse_cpu), ("memory", normalize.parse_memory)):
        if value.get(key) is not None and _convert(doc, path_join(path, key), value[key], conv) is not None:
            out[key] = value[key]
    if value.get("cpu") is not None or value.get("memory") is not None:
        try:
            normalize.fargate_size(out["cpu"], out["memory"])
        except ValueError as exc:
            doc.error(path, str(exc))
    hc = value.get("health_check", "/")
    if isinstance(hc, str) and _PATH_RE.match(hc):
        out["health_check"] = hc
    else:
        doc.error(path + ".health_check", "must be a URL path starting with '/', got %r" % (hc,))
    ps = value.get("platform_settings")
    pspath = path + ".platform_settings"
    if ps is not None and _mapping(doc, pspath, ps, {"min_scale", "max_scale"}, open_keys=True):
        for key in ps:
            if key not in ("min_scale", "max_scale"):
                doc.unused("platform settings without an ECS equivalent", path_join(pspath, key))
        low = _int(doc, pspath + ".min_scale", ps.get("min_scale"), minimum=0, optional=True)
        high = _int(doc, pspath + ".max_scale", ps.get("max_scale"), minimum=1, optional=True)
        if low is not None and high is not None and high < low:
            doc.error(pspath + ".max_scale", "must be at least min_scale (%s), got %s" % (low, high))
        out.update(min_scale=low, max_scale=high)
    return out


def _items(doc, path, value, shape):
    """(path, item) for each item of a list; an error when value is there but not a list."""
    if value is None:
        return []
    if not isinstance(value, list):
        doc.error(path, "must be a list of %s, got a %s" % (shape, _kind(value)))
        return []
    return [(path_join(path, i), item) for i, item in enumerate(value)]


def _named_commands(doc, path, value, what, scheduled=False):
    """workers ({name, command}) and scheduled_tasks ({name, command, schedule})."""
    keys = {"name", "command", "schedule"} if scheduled else {"name", "command"}
    out = []
    for ipath, item in _items(doc, path, value, "{%s}" % ", ".join(sorted(keys))):
        if not _mapping(doc, ipath, item, keys, required=keys):
            continue
        entry = {"name": _string(doc, ipath + ".name", item["name"]), "path": ipath,
                 "command": _command(doc, ipath + ".command", item["command"], required=True)}
        if scheduled:
            entry["cron"] = item["schedule"]
            entry["schedule"] = _convert(doc, ipath + ".schedule", item["schedule"], normalize.cron_to_eventbridge)
        elif entry["name"] == WORKSPACE_WORKER:
            doc.unused("workspaces and Coherence's UI only", "%s (%s)" % (ipath, entry["name"]))
        if entry["name"]:
            out.append(entry)
    _check_unique_slugs(doc, out, what)
    return out


def _check_unique_slugs(doc, items, what):
    seen = {}
    for item in items:
        key = slug(item["name"])
        if key in seen:
            doc.error(item["path"] + ".name", "%s name %r clashes with %r (names must differ after lowercasing "
                      "and turning other characters into -)" % (what, item["name"], seen[key]))
        seen[key] = item["name"]


# =========================================================================== resources
def _resolve_resources(doc, services):
    """Check every service's resources and resolve use_sibling.  Returns the resources to create;
    each service's ``uses`` lists the keys of those it reads (its own and its siblings')."""
    by_service = {}
    owned = []
    for svc in services:
        spath = svc["path"] + ".resources"
        items = [r for r in (_check_resource(doc, ipath, item)
                             for ipath, item in _items(doc, spath, svc.pop("resources_raw"), "resources")) if r]
        _check_unique_slugs(doc, items, "resource")
        for res in items:
            if not res["use_sibling"]:
                res.update(service=svc["name"], key="%s-%s" % (slug(svc["name"]), slug(res["name"])))
                owned.append(res)
        by_service[svc["name"]] = items
    for svc in services:
        svc["uses"] = []
        for res in by_service[svc["name"]]:
            target = _sibling(doc, res, by_service) if res["use_sibling"] else res
            if target and target["key"] not in svc["uses"]:
                svc["uses"].append(target["key"])
    return owned


def _check_resource(doc, path, item):
    if not _mapping(doc, path, item, RESOURCE_KEYS, required={"name", "type"}):
        return None
    res = {"name": _string(doc, path + ".name", item.get("name")), "path": path, "use_sibling": None}
    if res["name"] is not None and not _NAME_RE.match(res["name"]):
        doc.error(path + ".name", "resource names are letters, digits, '-' or '_', starting with a letter")
        return None
    rtype = item.get("type")
    if rtype not in RESOURCE_TYPES:
        doc.error(path + ".type", "must be one of %s, got %r" % (", ".join(RESOURCE_TYPES), rtype))
        return None
    res["type"] = rtype
    if item.get("use_sibling") is not None:
        sp = path + ".use_sibling"
        if not _mapping(doc, sp, item["use_sibling"], {"resource_name", "service_name"},
                        required={"resource_name", "service_name"}):
            return None
        ref = item["use_sibling"]
        res["use_sibling"] = {"service_name": _string(doc, sp + ".service_name", ref["service_name"]),
                              "resource_name": _string(doc, sp + ".resource_name", ref["resource_name"])}
        res.update({"engine": item.get("engine"), "version": item.get("version")})
        return res
    if rtype == "database":
        engine = item.get("engine")
        if engine not in DATABASE_ENGINES:
            doc.error(path + ".engine", "must be one of %s, got %r" % (", ".join(DATABASE_ENGINES), engine))
            return None
        if item.get("version") is None:
            doc.error(path + ".version", "required for a database (e.g. 15 for postgres, 8.0 for mysql)")
            return None
        info = _convert(doc, path + ".version", item["version"], lambda v: normalize.database_version(engine, v))
        if info is None:
            return None
        adapter = item.get("adapter", "postgresql" if engine == "postgres" else "mysql")
        res.update({"engine": engine, "version": str(item["version"]), "adapter": _string(doc, path + ".adapter", adapter)})
        res.update(info)
    elif rtype == "cache":
        engine = item.get("engine", "redis")
        if engine != "redis":
            doc.error(path + ".engine", "must be 'redis', got %r" % (engine,))
            return None
        info = _convert(doc, path + ".version", item.get("version", 7), normalize.redis_version)
        if info is None:
            return None
        if info["extended_support"]:
            doc.warn("%s: redis %s is in ElastiCache extended support (billed extra); consider 7"
                     % (path + ".version", item.get("version")))
        res.update({"engine": "redis", "version": str(item.get("version", 7))})
        res.update(info)
    else:
        for key in ("engine", "version", "adapter"):
            if key in item:
                doc.unused("object storage has no engine, version or adapter", path_join(path, key))
        res["engine"] = "s3"
        res["cors"] = _cors(doc, path + ".cors", item.get("cors"))
    if rtype != "object_storage" and item.get("cors") is not None:
        doc.error(path + ".cors", "only object_storage resources take cors")
    return res


def _cors(doc, path, value):
    rules = []
    for rpath, rule in _items(doc, path, value, "{allowed_methods, allowed_origins}"):
        if _mapping(doc, rpath, rule, {"allowed_methods", "allowed_origins", "allowed_headers", "max_age_seconds"},
                    required={"allowed_methods", "allowed_origins"}):
            methods = _str_list(doc, rpath + ".allowed_methods", rule["allowed_methods"])
            bad = [m for m in methods if m.upper() not in CORS_METHODS]
            if bad:
                doc.error(rpath + ".allowed_methods", "%s not allowed; use %s" % (", ".join(bad), ", ".join(CORS_METHODS)))
            rules.append({"allowed_methods": [m.upper() for m in methods],
                          "allowed_origins": _str_list(doc, rpath + ".allowed_origins", rule["allowed_origins"]),
                          "allowed_headers": _str_list(doc, rpath + ".allowed_headers", rule.get("allowed_headers", [])),
                          "max_age_seconds": _int(doc, rpath + ".max_age_seconds", rule.get("max_age_seconds"),
                                                  minimum=0, optional=True)})
    return rules


def _sibling(doc, res, by_service):
    ref = res["use_sibling"]
    path = res["path"] + ".use_sibling"
    if not ref or not ref["service_name"] or not ref["resource_name"]:
        return None
    if ref["service_name"] not in by_service:
        doc.error(path + ".service_name", "no service named %r; services: %s"
                  % (ref["service_name"], ", ".join(sorted(by_service))))
        return None
    for other in by_service[ref["service_name"]]:
        if other["name"] == ref["resource_name"]:
            if other["use_sibling"]:
                doc.error(path, "%s.%s is itself a use_sibling; point at the service that owns the resource"
                          % (ref["service_name"], ref["resource_name"]))
                return None
            shared = "%s.%s" % (ref["service_name"], ref["resource_name"])
            if other["type"] != res["type"]:
                doc.error(path, "%s is a %s, not a %s" % (shared, other["type"], res["type"]))
                return None
            if res.get("engine") not in (None, other.get("engine")):
                doc.error(path, "%s is %s, not %s" % (shared, other.get("engine"), res["engine"]))
                return None
            if res.get("version") is not None and str(res["version"]) != other.get("version"):
                doc.warn("%s: version %s ignored; the shared %s.%s is %s %s" % (
                    res["path"] + ".version", res["version"], ref["service_name"], ref["resource_name"],
                    other.get("engine"), other.get("version")))
            return other
    doc.error(path + ".resource_name", "service %r has no resource named %r; it has: %s" % (
        ref["service_name"], ref["resource_name"],
        ", ".join(r["name"] for r in by_service[ref["service_name"]]) or "none"))
    return None


def _check_use_existing(doc, settings, resources):
    """use_existing: {<resource name>: {db_instance_identifier | db_cluster_identifier, secret_arn}, vpc: {...}}."""
    value = settings["use_existing"]
    if value in (None, {}):
        settings["use_existing"] = {}
        return

    def bad(key, message):
        doc.setting("use_existing" + ("." + key if key else ""), message)

    if not isinstance(value, dict):
        bad("", "must be a mapping of database resource names (and 'vpc') to what to reuse")
        settings["use_existing"] = {}
        return
    databases = {}
    for res in resources:
        if res["type"] == "database":
            databases.setdefault(res["name"], []).append(res)
            databases.setdefault("%s.%s" % (res["service"], res["name"]), [res])
    out = {"databases": {}, "vpc": None}
    for key, spec in value.items():
        if key == "vpc":
            allowed = {"vpc_id", "private_subnet_ids", "public_subnet_ids"}
            if not isinstance(spec, dict) or set(spec) - allowed or "vpc_id" not in spec:
                bad("vpc", "must be {vpc_id, private_subnet_ids, public_subnet_ids}")
                continue
            for k in ("private_subnet_ids", "public_subnet_ids"):
                if not isinstance(spec.get(k), list) or len(spec.get(k) or []) < 2:
                    bad("vpc." + k, "must list at least two subnet ids in different availability zones")
            out["vpc"] = spec
            continue
        if settings["env_type"] != "production":
            bad(str(key), "reusing a database is for production environments only (this is %s)" % settings["env_type"])
            continue
        if key not in databases:
            bad(str(key), "no database resource named %r; databases: %s" % (
                key, ", ".join(sorted(k for k in databases if "." not in k)) or "none"))
            continue
        if len(databases[key]) > 1:
            bad(str(key), "several services have a database named %r; write <service>.%s" % (key, key))
            continue
        if not isinstance(spec, dict):
            bad(str(key), "must be {db_instance_identifier or db_cluster_identifier, secret_arn}")
            continue
        ids = [k for k in ("db_instance_identifier", "db_cluster_identifier") if spec.get(k)]
        unknown = set(spec) - {"db_instance_identifier", "db_cluster_identifier", "secret_arn", "database_name"}
        if unknown:
            bad("%s.%s" % (key, sorted(unknown)[0]), "unknown key; allowed: db_instance_identifier, "
                "db_cluster_identifier, secret_arn, database_name")
        if len(ids) != 1:
            bad(str(key), "give exactly one of db_instance_identifier, db_cluster_identifier")
            continue
        if not isinstance(spec.get("secret_arn"), str) or not spec["secret_arn"].startswith("arn:"):
            bad("%s.secret_arn" % key, "required: the ARN of the existing secret holding username and password")
            continue
        out["databases"][databases[key][0]["key"]] = dict(spec)
    settings["use_existing"] = out


# =========================================================================== assembly
def _assemble(doc, st, services, resources):
    app, env, env_type = st["app"], st["env"], st["env_type"]
    production = env_type == "production"
    app_tags = {"Environment": env_type, "ManagedBy": "coherence", "Application": app}
    env_tags = dict(app_tags, EnvironmentName=env)
    uniq = (st["account_id"] or "", app, env, st["region"])

    def env_name(kind, *parts, **kw):
        return make_name(kind, app, env, *parts, **kw)

    # --- resources
    existing = st["use_existing"].get("databases", {})
    res_out = []
    for res in resources:
        users = [s["name"] for s in services if res["key"] in s["uses"]]
        item = {k: v for k, v in res.items() if k not in ("path", "use_sibling")}
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
        "security_groups": {k: make_name("security_group", app, k)
                            for k in ("alb", "services", "database", "cache", "bastion")},
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
        "environment": {"name": env, "type": env_type, "production": production,
                        "domain": st["environment_domain"], "base_domain": st["base_domain"],
                        "capacity_provider": "FARGATE" if production else "FARGATE_SPOT"},
        "tags": {"app": app_tags, "environment": env_tags},
        "names": {"shared": shared, "environment": env_names},
        "services": svc_out,
        "resources": res_out,
        "routes": routes,
        "secret": {"name": env_names["secret"], "keys": secret_keys},
        "network": _network(doc, st, res_out, has_data),
        "dns": _dns(st),
        "edge": {
            "cloudfront": bool(svc_out),
            # A backend behind CloudFront with a frontend: Lambda@Edge keeps backend errors visible.
            "lambda_edge": bool(backends and frontends),
        },
        "build": {
            "compute_type": normalize.codebuild_compute_type(machine) if machine else normalize.DEFAULT_CODEBUILD_TYPE,
            "integration_test": _integration_test(doc.data.get("integration_test")) if not production else None,
        },
        "warnings": doc.warnings,
    }
    model["plan"] = plan(model)
    return model


def _network(doc, st, resources, has_data):
    """The VPC's layout: subnets (public i, private i in AZ i), NAT gateways, route tables, ports."""
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


def _dns(st):
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


def _integration_test(value):
    if not value:
        return None
    return {"image": value.get("image"), "command": normalize.command(value.get("command"))}


def plan(model):
    """Human-readable lines: what this environment will have."""
    env = model["environment"]
    lines = ["app %s, environment %s (%s) in %s%s" % (
        model["app"], env["name"], env["type"], model["region"],
        ", served at https://%s" % env["domain"] if env["domain"] else ", no domain (base_domain unset)")]
    shared = model["names"]["shared"]
    net = model["network"]
    lines.append("shared by the account's environments: VPC %s (%s, %d AZs, %s NAT), ECS cluster %s, ALB %s%s" % (
        shared["vpc"], {"create": net["cidr"], "existing": "existing", "shared": "shared"}[net["mode"]],
        net["az_count"], net["nat_mode"].replace("_", " "), shared["cluster"], shared["alb"],
        ", bastion" if net["bastion"] else ""))
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
                "RDS %s %s%s" % (res["engine"], res["engine_version"], " + RDS Proxy" if res["proxy"] else "")
            lines.append("database %s: %s (%s)" % (res["key"], what, res["names"]["instance"]))
        elif res["type"] == "cache":
            lines.append("cache %s: ElastiCache redis %s (%s)"
                         % (res["key"], res["engine_version"], res["names"]["replication_group"]))
        else:
            lines.append("object storage %s: S3 %s" % (res["key"], res["names"]["bucket"]))
    lines.append("variables in Secrets Manager %s: %d keys" % (model["secret"]["name"], len(model["secret"]["keys"])))
    return lines


# =========================================================================== checkers
def _kind(value):
    return {dict: "mapping", list: "list", str: "string", bool: "boolean", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def _mapping(doc, path, value, allowed, required=(), open_keys=False):
    if not isinstance(value, dict):
        doc.error(path, "must be a mapping with keys %s, got a %s" % (", ".join(sorted(allowed)), _kind(value)))
        return False
    ok = True
    if not open_keys:
        for key in value:
            if key not in allowed:
                doc.unknown_key(path, key, allowed)
                ok = False
    for key in sorted(required):
        if value.get(key) is None:
            doc.error(path_join(path, key), "required")
            ok = False
    return ok


def _string(doc, path, value, default=None):
    if value is None:
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        doc.error(path, "must be a non-empty string, got %s" % (repr(value) if isinstance(value, str) else "a " + _kind(value)))
        return None
    return value


def _str_list(doc, path, value):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        doc.error(path, "must be a list of strings, got a %s" % _kind(value))
        return []
    return list(value)


def _int(doc, path, value, minimum=None, optional=False):
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        doc.error(path, "must be a whole number, got %r" % (value,))
        return None
    if minimum is not None and value < minimum:
        doc.error(path, "must be at least %d, got %d" % (minimum, value))
        return None
    return value


def _bool(doc, path, value):
    if not isinstance(value, bool):
        doc.error(path, "must be true or false, got %r" % (value,))
        return None
    return value


def _command(doc, path, value, required=False):
    if value is None or value == []:
        if required:
            doc.error(path, "required: a command (a list of words or one string)")
        return None
    cmd = _convert(doc, path, value, normalize.command)
    if cmd and any(q in cmd["shell"] for q in ("\u201c", "\u201d", "\u2018", "\u2019")):
        doc.warn("%s: contains typographic quotes (\u201c \u201d); a shell will not treat them as quotes" % path)
    return cmd


def _convert(doc, path, value, func):
    try:
        return func(value)
    except ValueError as exc:
        doc.error(path, str(exc))
        return None


__all__ = ["build_app_model", "CoherenceConfigError", "Located", "plan", "short_hash"]
