# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment's settings (playbook variables): checked, defaulted, and use_existing resolved."""

from __future__ import annotations

import ipaddress
import re

ENV_TYPES = ("review", "production")
DEFAULT_CONTAINER_PORT = 3000

_APP_RE = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$")
_VAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


NAT_MODES = ("single", "one_per_az")

# The model's settings: THE table.  One name per setting everywhere: the playbook variable, the
# app_model task's option, the filter's keyword and build_app_model's keyword.  The action
# plugin's argument spec is built from it; the module's and the filter's documentation and the
# model role's argument specs and tasks are checked against it by tests/unit/test_settings_table.py.
# ``required`` and ``choices`` are checked by the model itself (check_settings), so that a missing
# or wrong setting is one line in the one list of problems.
SETTINGS_TABLE = {
    "app_name": {
        "type": "str", "required": True,
        "description": ["The application's name, 1-63 lowercase letters, digits and hyphens, starting with a "
                        "letter. It is part of every AWS name and the C(Application) tag."]},
    "env": {
        "type": "str", "required": True,
        "description": ["The environment's name, for example C(review), C(production) or C(pr-42) (the same "
                        "rule as O(app_name))."]},
    "env_type": {
        "type": "str", "choices": list(ENV_TYPES),
        "description": ["C(review) (Fargate Spot, deletable, scale 1) or C(production) (on-demand Fargate, "
                        "deletion protection, final snapshots, scaling from C(platform_settings)).",
                        "Default C(production) when O(env=production), otherwise C(review)."]},
    "base_domain": {
        "type": "str",
        "description": ["The application's DNS domain; the hosted zone and certificates are made for it."]},
    "environment_domain": {
        "type": "str",
        "description": ["The environment's domain. Default C(<env>.<base_domain>)."]},
    "aws_region": {
        "type": "str", "default": "us-east-1",
        "description": ["The AWS region."]},
    "aws_account_id": {
        "type": "str",
        "description": ["The AWS account id (12 digits); mixed into globally unique names (S3 buckets) when "
                        "given."]},
    "env_vars": {
        "type": "raw", "no_log": True,
        "description": ["The user's environment variables, a mapping of names to values (values may be "
                        "vault-encrypted). Only their names are read here, to decide which service receives "
                        "what; values are never read, returned or logged by the model.",
                        "The filter also takes a list of names."]},
    "use_existing": {
        "type": "dict",
        "description": ["Production only. Maps a database resource name (or C(<service>.<resource>)) to "
                        "C({db_instance_identifier | db_cluster_identifier, secret_arn, database_name}). That "
                        "database is used instead of creating one, and teardown never touches it.",
                        "The key C(vpc) takes C({vpc_id, private_subnet_ids, public_subnet_ids}) to deploy "
                        "into a VPC the team owns."]},
    "container_port": {
        "type": "int", "default": DEFAULT_CONTAINER_PORT,
        "description": ["The port backend containers listen on; services receive it as C(PORT)."]},
    "vpc_cidr": {
        "type": "str", "default": "10.0.0.0/16",
        "description": ["The VPC's IPv4 CIDR, /16 to /24; it is cut into 16 equal blocks for the subnets."]},
    "az_count": {
        "type": "int", "default": 2,
        "description": ["How many availability zones the subnets span (2 to 6)."]},
    "nat_gateways": {
        "type": "str", "choices": list(NAT_MODES),
        "description": ["C(single) (one NAT gateway for the VPC; cheaper, but private subnets lose the "
                        "internet if its availability zone fails) or C(one_per_az) (one per availability zone).",
                        "Default C(one_per_az) for production, C(single) for review."]},
}
# Each setting's default (None: none, or decided from others).
SETTINGS = dict((name, spec.get("default")) for name, spec in SETTINGS_TABLE.items())


def check_settings(doc, given):
    bad = doc.setting
    app_name, env, env_type = given["app_name"], given["env"], given["env_type"]
    base_domain, environment_domain, region = given["base_domain"], given["environment_domain"], given["aws_region"]
    rule = "1-63 lowercase letters, digits and hyphens, starting with a letter"
    if app_name in (None, ""):
        bad("app_name", "required: the application's name (%s), e.g. -e app_name=shop" % rule)
    elif not isinstance(app_name, str) or not _APP_RE.match(app_name) or len(app_name) > 63:
        bad("app_name", "invalid: %s, got %r" % (rule, app_name))
    if env in (None, ""):
        bad("env", "required: the environment's name (%s), e.g. -e env=review, -e env=pr-42" % rule)
    elif not isinstance(env, str) or not _APP_RE.match(env) or len(env) > 63:
        bad("env", "invalid: the environment's name is %s (e.g. review, production, pr-42), got %r" % (rule, env))
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
    account_id = given["aws_account_id"]
    if account_id not in (None, "") and not re.match(r"^\d{12}$", str(account_id)):
        bad("aws_account_id", "must be a 12-digit AWS account id, got %r" % (account_id,))
    port = _whole(given["container_port"])
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        bad("container_port", "must be a port number 1-65535, got %r" % (port,))
    names = []
    var_names = given["env_vars"]
    if isinstance(var_names, dict):
        var_names = list(var_names)
    elif var_names is not None and not isinstance(var_names, (list, tuple)):
        bad("env_vars", "must be a mapping of variable names to values, got a %s" % type(var_names).__name__)
        var_names = ()
    for var in var_names or ():
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


def partition(region):
    """The ARN partition of a region: aws-cn, aws-us-gov or aws (one helper for every ARN)."""
    return "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"


def dns_suffix(region):
    """The domain of a region's service endpoints (kms:ViaService conditions)."""
    return "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"


def _whole(value):
    """A whole-number setting as given: -e and templates give strings ('8080'), read as numbers."""
    if isinstance(value, str) and re.match(r"^\s*\d{1,9}\s*$", value):
        return int(value)
    return value


def _domain(bad, key, value):
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not _DOMAIN_RE.match(value.rstrip(".").lower()):
        bad(key, "must be a DNS domain such as example.com, got %r" % (value,))
        return None
    return value.rstrip(".").lower()


def _network_settings(bad, given, env_type):
    """VPC CIDR, number of availability zones and NAT mode (playbook variables).

    They shape what the app's environments share and take effect when the VPC is created: the
    playbooks pass what exists on later runs (network role, `inspect`), so the env_type default
    here decides only for the environment that creates the VPC."""
    out = {"cidr": None, "az_count": _whole(given["az_count"]),
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


def check_use_existing(doc, settings, resources):
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
