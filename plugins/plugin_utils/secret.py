# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment's secret: every key the model wired, with its value.

The model decides which keys exist and where each value comes from (see app_model.py); this
renders them once the resources exist. Values come from the model (environment), the user's
env_vars, or what the data role found of each resource.
"""

from __future__ import annotations

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported by the collection
    from urllib import quote  # type: ignore


def resource_values(resource, found):
    """The fields a resource gives services, from what the data role found of it.

    found: database {host, port, username, password, database}; cache {host, port};
    object storage {bucket}.
    """
    if resource["type"] == "database":
        user, password = found["username"], found["password"]
        scheme = resource.get("adapter") or resource["engine"]
        url = "%s://%s:%s@%s:%s/%s" % (scheme, quote(user, safe=""), quote(password, safe=""), found["host"],
                                       found["port"], found["database"])
        return {"DATABASE_URL": url, "DB_NAME": found["database"], "DB_USER": user, "DB_PASSWORD": password,
                "DB_HOST": found["host"], "DB_PORT": str(found["port"]), "DB_ENGINE": resource["engine"]}
    if resource["type"] == "cache":
        # In-transit encryption is on: clients must speak TLS (rediss://).
        return {"REDIS_URL": "rediss://%s:%s" % (found["host"], found["port"]), "REDIS_HOST": found["host"],
                "REDIS_PORT": str(found["port"])}
    return {"BUCKET": found["bucket"]}


def render(model, found, user_values):
    """{secret key: value} for the environment's secret.

    found: {resource key: what the data role found}; user_values: the user's env_vars (all of
    them; only the wired names are used). Raises ValueError naming what is missing.
    """
    by_key = dict((r["key"], r) for r in model["resources"])
    fields = {}
    out = {}
    missing = []
    for key, source in sorted(model["secret"]["keys"].items()):
        if source["source"] == "environment":
            out[key] = source["value"]
        elif source["source"] == "user":
            if key not in (user_values or {}):
                missing.append("env_vars.%s" % key)
                continue
            out[key] = "" if user_values[key] is None else str(user_values[key])
        else:
            rkey = source["resource"]
            if rkey not in found:
                missing.append("resource %s" % rkey)
                continue
            if rkey not in fields:
                fields[rkey] = resource_values(by_key[rkey], found[rkey])
            out[key] = fields[rkey][source["field"]]
    if missing:
        raise ValueError("cannot fill the environment's secret: no value for %s" % ", ".join(sorted(set(missing))))
    return out


def key_diff(now, after):
    """What a write of `after` changes in a secret holding `now` (None: no secret yet), as the
    before and after texts of a diff that name keys only, never a value: one key a line, and a
    key whose value changes is marked `(new value)` after. (changed, before text, after text)."""
    now = now or {}
    before = "".join("%s\n" % key for key in sorted(now))
    after_text = "".join("%s%s\n" % (key, " (new value)" if key in now and now[key] != value else "")
                         for key, value in sorted(after.items()))
    return before != after_text, before, after_text
