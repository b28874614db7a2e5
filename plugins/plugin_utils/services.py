# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The document's top level and its services: keys, commands, system sizes, workers, schedules."""

from __future__ import annotations

import difflib

from . import checks as check
from . import normalize
from .names import slug
from .source import path_join

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
# Written by users who expect variables in the file; they go to the playbook's env_vars.
VARIABLE_KEYS = ("environment", "variables", "env", "env_vars", "environment_variables")
# Workers with these names have a special meaning (coherence-yml.md).
PREVIEW_WORKER = "preview_environment"
WORKSPACE_WORKER = "dev_workspace"


def check_document(doc):
    data = doc.data
    if data is None:
        doc.error("", "the file is empty; define at least one service (a key with type: backend or frontend)")
        return []
    if not isinstance(data, dict):
        doc.error("", "must be a mapping of service names to services, got a %s" % check.kind(data))
        return []
    if _compose_format(doc, data):
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


def _compose_format(doc, data):
    """The newer docker-compose style file (services: {name: {x-cnc: ...}}): say what it is, once."""
    services = data.get("services")
    if not isinstance(services, dict) or "type" in services:
        return False
    if not any(isinstance(v, dict) and ("x-cnc" in v or "x-coherence" in v) for v in services.values()):
        return False
    doc.error("services", "this file is in the newer docker-compose format (services with x-cnc), which "
              "coherence.aws does not read yet; write a coherence.yml: each top-level key a service with "
              "type: backend or frontend (see docs/app-model.md)")
    return True


def _check_unique(doc, items, what, key, why):
    seen = {}
    for item in items:
        k = key(item)
        if k is None:
            continue  # unknown (its own problem is reported)
        if k in seen:
            doc.error(item["path"] + ("" if what == "name" else "." + what),
                      "%s %r is also used by %s; %s" % (what, item.get(what), seen[k], why))
        else:
            seen[k] = item["path"]


def _check_reserved(doc, key, value):
    if key == "build_settings":
        if check.mapping(doc, key, value, {"platform_settings"}):
            ps = value.get("platform_settings")
            path = "build_settings.platform_settings"
            if ps is not None and check.mapping(doc, path, ps, {"machine_type"}, open_keys=True):
                for k in ps:
                    if k != "machine_type":
                        doc.unused("build settings other than machine_type", path_join(path, k))
                if "machine_type" in ps:
                    check.convert(doc, path + ".machine_type", ps["machine_type"], normalize.codebuild_compute_type)
    elif key == "preview_inactivity_timeout_hours":
        if check.whole_number(doc, key, value, minimum=1) is not None:
            doc.unused("previews are not paused on AWS; delete them with the teardown playbook", key)
    elif key == "allow_vpc_sharing":
        check.boolean(doc, key, value)
    elif key == "vpc_sharing":
        if check.mapping(doc, key, value, {"app_name", "fallback_environment"}, required={"app_name"}):
            check.string(doc, key + ".app_name", value.get("app_name"))
            if "fallback_environment" in value:
                check.string(doc, key + ".fallback_environment", value["fallback_environment"])
    elif key == "integration_test":
        if check.mapping(doc, key, value, {"type", "command", "image"}, required={"command", "image"}):
            if value.get("type", "integration_test") != "integration_test":
                doc.error(key + ".type", "must be 'integration_test', got %r" % (value.get("type"),))
            check.command(doc, key + ".command", value.get("command"))
            check.string(doc, key + ".image", value.get("image"))


def _check_service(doc, name, raw):
    path = path_join("", name)
    if not check.NAME_RE.match(name) or len(name) > 63:
        # Reported, and the service is still checked: its other problems are real ones.
        doc.error(path, "service names are 1-63 letters, digits, '-' or '_', starting with a letter, got %r" % name)
    stype = raw.get("type")
    if stype not in ("backend", "frontend"):
        doc.error(path + ".type", "must be 'backend' or 'frontend', got %r" % (stype,))
        stype = _likely_type(stype, raw)
    own = BACKEND_KEYS if stype == "backend" else FRONTEND_KEYS
    other = FRONTEND_KEYS if stype == "backend" else BACKEND_KEYS
    guessed = set()  # keys the user probably meant when misspelling one: not there, so not checked
    for key in raw:
        if key in COMMON_KEYS or key in own:
            continue
        if key in other:
            if stype == "backend":
                # Real files carry frontend keys on backends (index_file_name): harmless, ignored.
                doc.unused("frontend-only keys on a backend service", path_join(path, key))
            else:
                doc.error(path_join(path, key), "applies to backend services only; %s is a frontend" % name)
        elif key in VARIABLE_KEYS:
            doc.error(path_join(path, key), "variables are not read from coherence.yml (they would be in the "
                      "repository); give them to the playbook as env_vars: they are kept in the environment's "
                      "Secrets Manager secret and given to every service")
        else:
            guessed.add(doc.unknown_key(path, key, COMMON_KEYS | own))
    svc = {"name": name, "type": stype, "path": path}
    svc["repo_path"] = check.string(doc, path + ".repo_path", raw.get("repo_path", "."), default=".")
    url = raw.get("url_path", "/")
    if "url_path" in guessed and "url_path" not in raw:
        svc["url_path"] = None  # misspelled: which path was meant is unknown, so no clash is claimed
    elif isinstance(url, str) and check.PATH_RE.match(url):
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
        svc["migration"] = check.command(doc, path + ".migration", raw.get("migration"))
        svc["seed"] = check.command(doc, path + ".seed", raw.get("seed"))
        svc["workers"] = _named_commands(doc, path + ".workers", raw.get("workers"), "worker")
        svc["scheduled_tasks"] = _named_commands(doc, path + ".scheduled_tasks", raw.get("scheduled_tasks"),
                                                 "scheduled task", scheduled=True)
        svc["compile"] = None
        if raw.get("compile") is not None:
            cpath = path + ".compile"
            if check.mapping(doc, cpath, raw["compile"], {"image", "command", "entrypoint"}, required={"image"}):
                svc["compile"] = {"image": check.string(doc, cpath + ".image", raw["compile"].get("image")),
                                  "command": check.command(doc, cpath + ".command", raw["compile"].get("command")),
                                  "entrypoint": check.string(doc, cpath + ".entrypoint", raw["compile"].get("entrypoint"))
                                  if raw["compile"].get("entrypoint") is not None else None}
    else:
        if "assets_path" in raw and "build_path" in raw:
            doc.error(path + ".build_path", "give assets_path or its older name build_path, not both")
        assets = raw.get("assets_path", raw.get("build_path", "build"))
        svc["assets_path"] = check.string(doc, path + (".assets_path" if "assets_path" in raw else ".build_path"), assets)
        svc["build"] = check.command(doc, path + ".build", raw.get("build"))
        svc["install"] = check.command(doc, path + ".install", raw.get("install"))
        svc["index_file_name"] = check.string(doc, path + ".index_file_name", raw.get("index_file_name", "index.html"))
        svc["cors_allowed_origins"] = []
        if raw.get("cors") is not None and check.mapping(doc, path + ".cors", raw["cors"], {"allowed_origins"}):
            svc["cors_allowed_origins"] = check.str_list(doc, path + ".cors.allowed_origins",
                                                         raw["cors"].get("allowed_origins", []))
        if svc["prod"] and svc["prod"]["command"]:
            doc.unused("frontends are served from S3 through CloudFront, not run", path + ".prod.command")
        if svc["build"] is None and not svc["prod"]["dockerfile"] and "build" not in guessed:
            doc.warn("%s: a frontend without a build command (or prod.dockerfile); the files in %s are uploaded "
                     "as they are in the repository" % (path, svc["assets_path"]))
    return svc


def _likely_type(stype, raw):
    """The type a service with a misspelled type most likely has, so its other keys are checked."""
    close = difflib.get_close_matches(str(stype), ["backend", "frontend"], n=1)
    if close:
        return close[0]
    return "frontend" if any(k in FRONTEND_KEYS for k in raw) and not any(k in BACKEND_KEYS for k in raw) \
        else "backend"


def _prod(doc, path, value):
    if value is None:
        return {"command": None, "dockerfile": None}
    if isinstance(value, dict):
        if not check.mapping(doc, path, value, {"command", "dockerfile"}):
            return {"command": None, "dockerfile": None}
        dockerfile = value.get("dockerfile")
        if dockerfile is not None:
            dockerfile = check.string(doc, path + ".dockerfile", dockerfile)
        return {"command": check.command(doc, path + ".command", value.get("command")), "dockerfile": dockerfile}
    return {"command": check.command(doc, path, value), "dockerfile": None}


def _tests(doc, path, value):
    """One command, a list of commands, or Coherence's older {image, command} (run in that image)."""
    if value in (None, []):
        return []
    if isinstance(value, dict):
        if not check.mapping(doc, path, value, {"image", "command"}, required={"command"}):
            return []
        cmd = check.command(doc, path + ".command", value["command"])
        if cmd and value.get("image") is not None:
            cmd["image"] = check.string(doc, path + ".image", value["image"])
        return [cmd] if cmd else []
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return [c for c in (check.command(doc, path_join(path, i), v) for i, v in enumerate(value)) if c]
    if isinstance(value, list) and any(isinstance(v, list) for v in value):
        doc.error(path, "mixes commands and words; give one command (a list of words) or a list of commands")
        return []
    cmd = check.command(doc, path, value)
    return [cmd] if cmd else []


def _build_config(doc, path, value):
    out = {"included_paths": [], "excluded_paths": []}
    if value is not None and check.mapping(doc, path, value, set(out)):
        for key in out:
            out[key] = check.str_list(doc, path + "." + key, value.get(key, []))
    return out


def _system(doc, path, value, stype):
    out = {"cpu": None, "memory": None, "health_check": "/", "min_scale": None, "max_scale": None}
    if value is None:
        value = {}
    elif not check.mapping(doc, path, value, SYSTEM_KEYS):
        value = {}
    if "dev" in value:
        doc.unused("workspaces and Coherence's UI only", path + ".dev")
    if stype == "frontend":
        for key in ("cpu", "memory", "platform_settings", "health_check"):
            if key in value:
                doc.unused("frontends are served from S3 through CloudFront, not run", path_join(path, key))
        return out
    for key, conv in (("cpu", normalize.parse_cpu), ("memory", normalize.parse_memory)):
        if value.get(key) is not None and check.convert(doc, path_join(path, key), value[key], conv) is not None:
            out[key] = value[key]
    if value.get("cpu") is not None or value.get("memory") is not None:
        try:
            normalize.fargate_size(out["cpu"], out["memory"])
        except ValueError as exc:
            doc.error(path, str(exc))
    hc = value.get("health_check", "/")
    if isinstance(hc, str) and check.PATH_RE.match(hc):
        out["health_check"] = hc
    else:
        doc.error(path + ".health_check", "must be a URL path starting with '/', got %r" % (hc,))
    ps = value.get("platform_settings")
    pspath = path + ".platform_settings"
    if ps is not None and check.mapping(doc, pspath, ps, {"min_scale", "max_scale"}, open_keys=True):
        for key in ps:
            if key not in ("min_scale", "max_scale"):
                doc.unused("platform settings without an ECS equivalent", path_join(pspath, key))
        low = check.whole_number(doc, pspath + ".min_scale", ps.get("min_scale"), minimum=0, optional=True)
        high = check.whole_number(doc, pspath + ".max_scale", ps.get("max_scale"), minimum=1, optional=True)
        if low is not None and high is not None and high < low:
            doc.error(pspath + ".max_scale", "must be at least min_scale (%s), got %s" % (low, high))
        out.update(min_scale=low, max_scale=high)
    return out


def _named_commands(doc, path, value, what, scheduled=False):
    """workers ({name, command}) and scheduled_tasks ({name, command, schedule})."""
    keys = {"name", "command", "schedule"} if scheduled else {"name", "command"}
    out = []
    for ipath, item in check.items(doc, path, value, "{%s}" % ", ".join(sorted(keys))):
        if not check.mapping(doc, ipath, item, keys, required=keys):
            continue
        entry = {"name": check.string(doc, ipath + ".name", item["name"]), "path": ipath,
                 "command": check.command(doc, ipath + ".command", item["command"], required=True)}
        if scheduled:
            entry["cron"] = item["schedule"]
            entry["schedule"] = check.convert(doc, ipath + ".schedule", item["schedule"], normalize.cron_to_eventbridge)
        elif entry["name"] == WORKSPACE_WORKER:
            doc.unused("workspaces and Coherence's UI only", "%s (%s)" % (ipath, entry["name"]))
        if entry["name"]:
            out.append(entry)
    check.unique_slugs(doc, out, what)
    return out
