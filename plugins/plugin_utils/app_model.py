# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The app model: coherence.yml plus the environment's settings -> one dict the roles read.

Everything a role needs is decided here once: which services and resources exist in this
environment, their AWS names (see names.py), tags, sizes, schedules and which variables
each service receives.  Nothing here talks to AWS, and nothing here sees a secret value:
user variables arrive by name only.

Where each decision lives:
  source.py     reading YAML: lines of key paths, located problems
  checks.py     generic value checkers (mapping, string, command, ...)
  settings.py   the environment's settings (playbook variables) and use_existing
  services.py   the document's top level and its services (commands, system, workers, schedules)
  resources.py  databases, caches, object storage and use_sibling
  network.py    the VPC's layout, hosted zones and certificates
  assembly.py   names, tags and wiring: the model itself
  plan.py       the human-readable plan
"""

from __future__ import annotations

from .assembly import DEFAULT_MAX_SCALE, MODEL_VERSION, assemble
from .names import short_hash
from .plan import plan
from .resources import CORS_METHODS, DATABASE_ENGINES, RESOURCE_KEYS, RESOURCE_TYPES, resolve_resources
from .services import (BACKEND_KEYS, COMMON_KEYS, FRONTEND_KEYS, PREVIEW_WORKER, RESERVED, SYSTEM_KEYS,
                       WORKSPACE_WORKER, check_document)
from .settings import (DEFAULT_CONTAINER_PORT, ENV_TYPES, NAT_MODES, SETTINGS, SETTINGS_TABLE, check_settings,
                       check_use_existing)

# Earlier keyword names, kept for Python callers until they move to the one name (tests/unit/test_secret.py).
_OLD_NAMES = {"region": "aws_region", "account_id": "aws_account_id", "env_var_names": "env_vars"}
from .source import CoherenceConfigError, Located, load


def build_app_model(text, source="coherence.yml", **settings):
    """Validate coherence.yml text and the environment's settings; return the app model.

    ``settings`` are those of SETTINGS_TABLE (None means the default).  Raises CoherenceConfigError
    listing every problem, each with its key path (and line).
    """
    settings = dict((_OLD_NAMES.get(k, k), v) for k, v in settings.items())
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise TypeError("unknown settings: %s" % ", ".join(sorted(unknown)))
    given = dict(SETTINGS)
    given.update((k, v) for k, v in settings.items() if v is not None and v != "")  # empty: unset
    doc = load(text, source)
    settings = check_settings(doc, given)
    services = check_document(doc)
    resources = resolve_resources(doc, services)
    check_use_existing(doc, settings, resources)
    doc.finish()  # raises when any error was recorded
    return assemble(doc, settings, services, resources)


__all__ = ["build_app_model", "CoherenceConfigError", "Located", "plan", "short_hash",
           "MODEL_VERSION", "SETTINGS", "SETTINGS_TABLE", "ENV_TYPES", "NAT_MODES", "RESERVED", "COMMON_KEYS", "BACKEND_KEYS",
           "FRONTEND_KEYS", "SYSTEM_KEYS", "RESOURCE_KEYS", "RESOURCE_TYPES", "DATABASE_ENGINES", "CORS_METHODS",
           "PREVIEW_WORKER", "WORKSPACE_WORKER", "DEFAULT_CONTAINER_PORT", "DEFAULT_MAX_SCALE"]
