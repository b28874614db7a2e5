# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each service's resources (database, cache, object storage) and use_sibling sharing."""

from __future__ import annotations

from . import checks as check
from . import normalize
from .names import slug
from .source import path_join

RESOURCE_KEYS = {"name", "type", "engine", "version", "adapter", "use_sibling", "cors"}
RESOURCE_TYPES = ("database", "cache", "object_storage")
DATABASE_ENGINES = ("postgres", "mysql")
CORS_METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")


def resolve_resources(doc, services):
    """Check every service's resources and resolve use_sibling.  Returns the resources to create;
    each service's ``uses`` lists the keys of those it reads (its own and its siblings').

    A resource with a problem stays listed (marked ``invalid``) so that a sibling pointing at it
    finds it: its own problem is reported once, and nothing false is said about the sibling.
    """
    by_service = {}
    owned = []
    for svc in services:
        spath = svc["path"] + ".resources"
        items = [r for r in (_check_resource(doc, ipath, item)
                             for ipath, item in check.items(doc, spath, svc.pop("resources_raw"), "resources")) if r]
        check.unique_slugs(doc, items, "resource")
        for res in items:
            if not res["use_sibling"]:
                res.update(service=svc["name"], key="%s-%s" % (slug(svc["name"]), slug(res["name"])))
                if not res["invalid"]:
                    owned.append(res)
        by_service[svc["name"]] = items
    for svc in services:
        svc["uses"] = []
        for res in by_service[svc["name"]]:
            target = _sibling(doc, res, by_service) if res["use_sibling"] else res
            if target and not target["invalid"] and target["key"] not in svc["uses"]:
                svc["uses"].append(target["key"])
                if svc["type"] == "frontend" and target["type"] in ("database", "cache"):
                    doc.warn("%s: a frontend is static files served by CloudFront; its %s %s reaches only its "
                             "build (as variables a bundler may copy into the files); give it to a backend"
                             % (res["path"], target["type"], target["name"]))
    return owned


def _check_resource(doc, path, item):
    """The resource as checked; None when it has no usable name, ``invalid`` when it has a problem."""
    if not isinstance(item, dict):
        check.mapping(doc, path, item, RESOURCE_KEYS)
        return None
    ok = check.mapping(doc, path, item, RESOURCE_KEYS, required={"name", "type"})
    res = {"name": check.string(doc, path + ".name", item.get("name")), "path": path, "use_sibling": None,
           "type": item.get("type"), "engine": None, "version": None, "invalid": not ok}
    if res["name"] is not None and not check.NAME_RE.match(res["name"]):
        doc.error(path + ".name", "resource names are letters, digits, '-' or '_', starting with a letter")
        res["name"] = None
    if res["name"] is None:
        return None
    rtype = item.get("type")
    if rtype not in RESOURCE_TYPES:
        if rtype is not None:
            doc.error(path + ".type", "must be one of %s, got %r" % (", ".join(RESOURCE_TYPES), rtype))
        res["invalid"] = True
        return res
    if item.get("use_sibling") is not None:
        _check_sibling_ref(doc, path, item, res)
        return res
    if rtype == "database":
        _database(doc, path, item, res)
    elif rtype == "cache":
        _cache(doc, path, item, res)
    else:
        for key in ("engine", "version", "adapter"):
            if key in item:
                doc.unused("object storage has no engine, version or adapter", path_join(path, key))
        res["engine"] = "s3"
        res["cors"] = _cors(doc, path + ".cors", item.get("cors"))
    if rtype != "object_storage" and item.get("cors") is not None:
        doc.error(path + ".cors", "only object_storage resources take cors")
    return res


def _check_sibling_ref(doc, path, item, res):
    """use_sibling: {service_name, resource_name}; an engine given here must itself be valid."""
    sp = path + ".use_sibling"
    if not check.mapping(doc, sp, item["use_sibling"], {"resource_name", "service_name"},
                         required={"resource_name", "service_name"}):
        res["invalid"] = True
        return
    ref = item["use_sibling"]
    res["use_sibling"] = {"service_name": check.string(doc, sp + ".service_name", ref["service_name"]),
                          "resource_name": check.string(doc, sp + ".resource_name", ref["resource_name"])}
    engine = item.get("engine")
    allowed = DATABASE_ENGINES if res["type"] == "database" else ("redis",) if res["type"] == "cache" else None
    if engine is not None and allowed and engine not in allowed:
        doc.error(path + ".engine", "must be one of %s, got %r" % (", ".join(allowed), engine))
        engine = None
    res.update({"engine": engine, "version": item.get("version")})


def _database(doc, path, item, res):
    engine = item.get("engine")
    if engine not in DATABASE_ENGINES:
        doc.error(path + ".engine", "must be one of %s, got %r" % (", ".join(DATABASE_ENGINES), engine))
        res["invalid"] = True
        return
    res["engine"] = engine
    if item.get("version") is None:
        doc.error(path + ".version", "required for a database (e.g. 16 for postgres, 8.0 for mysql)")
        res["invalid"] = True
        return
    info = check.convert(doc, path + ".version", item["version"], lambda v: normalize.database_version(engine, v))
    if info is None:
        res["invalid"] = True
        return
    if info["extended_support"]:
        doc.warn("%s: %s %s runs on RDS only under paid Extended Support: an extra charge per vCPU-hour on top "
                 "of the instance (US$0.10-0.20 in us-east-1, see RDS pricing); consider %s %s"
                 % (path + ".version", engine, item["version"], engine, info["recommended"]))
    adapter = item.get("adapter", "postgresql" if engine == "postgres" else "mysql")
    res.update({"version": str(item["version"]), "adapter": check.string(doc, path + ".adapter", adapter)})
    res.update(info)


def _cache(doc, path, item, res):
    engine = item.get("engine", "redis")
    if engine != "redis":
        doc.error(path + ".engine", "must be 'redis', got %r" % (engine,))
        res["invalid"] = True
        return
    res["engine"] = "redis"
    version = item.get("version")
    if version is None:
        version = normalize.DEFAULT_REDIS  # `version:` left empty means the default too
    info = check.convert(doc, path + ".version", version, normalize.redis_version)
    if info is None:
        res["invalid"] = True
        return
    if info["extended_support"]:
        doc.warn("%s: redis %s is in ElastiCache extended support (billed extra); consider %s"
                 % (path + ".version", version, normalize.DEFAULT_REDIS))
    elif info["note"]:
        doc.warn("%s: %s" % (path + ".version", info["note"]))
    res.update({"version": str(version)})
    res.update((k, v) for k, v in info.items() if k != "note")


def _cors(doc, path, value):
    rules = []
    for rpath, rule in check.items(doc, path, value, "{allowed_methods, allowed_origins}"):
        if check.mapping(doc, rpath, rule, {"allowed_methods", "allowed_origins", "allowed_headers", "max_age_seconds"},
                         required={"allowed_methods", "allowed_origins"}):
            methods = check.str_list(doc, rpath + ".allowed_methods", rule["allowed_methods"])
            bad = [m for m in methods if m.upper() not in CORS_METHODS]
            if bad:
                doc.error(rpath + ".allowed_methods", "%s not allowed; use %s" % (", ".join(bad), ", ".join(CORS_METHODS)))
            rules.append({"allowed_methods": [m.upper() for m in methods],
                          "allowed_origins": check.str_list(doc, rpath + ".allowed_origins", rule["allowed_origins"]),
                          "allowed_headers": check.str_list(doc, rpath + ".allowed_headers", rule.get("allowed_headers", [])),
                          "max_age_seconds": check.whole_number(doc, rpath + ".max_age_seconds",
                                                                rule.get("max_age_seconds"), minimum=0, optional=True)})
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
        if other["name"] != ref["resource_name"]:
            continue
        if other["invalid"]:
            return None  # its own problem is reported where it is written
        shared = "%s.%s" % (ref["service_name"], ref["resource_name"])
        if other["use_sibling"]:
            doc.error(path, "%s is itself a use_sibling; point at the service that owns the resource" % shared)
            return None
        if other["type"] != res["type"]:
            doc.error(path, "%s is a %s, not a %s" % (shared, other["type"], res["type"]))
            return None
        if res.get("engine") not in (None, other.get("engine")):
            doc.error(path, "%s is %s, not %s" % (shared, other.get("engine"), res["engine"]))
            return None
        if res.get("version") is not None and str(res["version"]) != other.get("version"):
            doc.warn("%s: version %s ignored; the shared %s is %s %s" % (
                res["path"] + ".version", res["version"], shared, other.get("engine"), other.get("version")))
        return other
    doc.error(path + ".resource_name", "service %r has no resource named %r; it has: %s" % (
        ref["service_name"], ref["resource_name"],
        ", ".join(r["name"] for r in by_service[ref["service_name"]]) or "none"))
    return None
