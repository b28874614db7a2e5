# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS resource names: every rule of every service, in one place.

Each name is built from parts (app, environment, service, ...), folded into the
service's charset and, when too long, cut and suffixed with a short hash of the
uncut name, so that names stay deterministic, within limits and distinct.
"""

from __future__ import annotations

import hashlib
import re

# kind: (max length, regex the whole name must match, separator)
# Limits from the AWS API references of each service.
RULES = {
    # Elastic Load Balancing: 32 chars, alphanumerics and hyphens, no hyphen at either end.
    "alb": (32, r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", "-"),
    "target_group": (32, r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", "-"),
    # S3: 3-63, lowercase letters, digits, hyphens; starts and ends with a letter or digit.
    "s3_bucket": (63, r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", "-"),
    # RDS instance / proxy / ElastiCache replication group: letter first, no '--', no trailing '-'.
    "rds_instance": (63, r"^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$|^[a-z]$", "-"),
    "rds_proxy": (63, r"^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$|^[a-z]$", "-"),
    "db_subnet_group": (255, r"^[a-z0-9][a-z0-9-]*$", "-"),
    "elasticache": (40, r"^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$|^[a-z]$", "-"),
    "cache_subnet_group": (255, r"^[a-z0-9][a-z0-9-]*$", "-"),
    # Database name inside the engine: letter first, letters/digits/underscores (MySQL 64, Postgres 63).
    "db_name": (63, r"^[a-z][a-z0-9_]*$", "_"),
    # IAM roles 64, instance profiles and policies 128: [\w+=,.@-].
    "iam_role": (64, r"^[A-Za-z0-9+=,.@_-]+$", "-"),
    "iam_policy": (128, r"^[A-Za-z0-9+=,.@_-]+$", "-"),
    "instance_profile": (128, r"^[A-Za-z0-9+=,.@_-]+$", "-"),
    # ECS clusters, services, task families: 255, letters, digits, hyphens, underscores.
    "ecs": (255, r"^[A-Za-z0-9][A-Za-z0-9_-]*$", "-"),
    # ECR: lowercase, path components separated by '/', '.', '_' or '-'.
    "ecr": (256, r"^[a-z0-9]+(?:[._/-][a-z0-9]+)*$", "-"),
    # CloudWatch Logs: 512, [.-_/#A-Za-z0-9].
    "log_group": (512, r"^[A-Za-z0-9._/#-]+$", "/"),
    # Secrets Manager: 512, alphanumerics and /_+=.@-. Avoid a trailing '-xxxxxx' (ARN suffix).
    "secret": (512, r"^[A-Za-z0-9/_+=.@-]+$", "/"),
    # EventBridge rules 64, Lambda functions 64.
    "event_rule": (64, r"^[A-Za-z0-9._-]+$", "-"),
    "lambda": (64, r"^[A-Za-z0-9_-]+$", "-"),
    # CodeBuild 2-150 (alphanumeric first), CodePipeline 100.
    "codebuild": (150, r"^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$", "-"),
    "codepipeline": (100, r"^[A-Za-z0-9.@_-]+$", "-"),
    # EC2 security group names: 255, must not start with 'sg-'.
    "security_group": (255, r"^(?!sg-)[A-Za-z0-9 ._:/()#,@\[\]+=&;{}!$*-]+$", "-"),
    # KMS alias: 'alias/' + [A-Za-z0-9/_-], 256 in all, never 'alias/aws/'.
    "kms_alias": (256, r"^alias/(?!aws/)[A-Za-z0-9/_-]+$", "-"),
    # SSM parameters: 1011 with the path, [A-Za-z0-9_.-] between slashes.
    "ssm_parameter": (1011, r"^[A-Za-z0-9_./-]+$", "/"),  # a leading / makes it hierarchical
    # CloudWatch alarms and Application Auto Scaling policies: 255.
    "alarm": (255, r"^[A-Za-z0-9 ._/-]+$", "-"),
    # EC2 Name tags and other free-form labels.
    "label": (255, r"^[A-Za-z0-9 ._:/@+=-]+$", "-"),
}

_HASH_LEN = 6
_MIN_LENGTH = {"s3_bucket": 3, "codebuild": 2}
_LETTER_FIRST = ("rds_instance", "rds_proxy", "elasticache", "db_name")
# Prefixes AWS reserves: ELB's internal- and S3's sthree- / amzn-s3-demo- / xn--.
_BANNED_PREFIXES = {
    "alb": ("internal-",),
    "target_group": ("internal-",),
    "s3_bucket": ("xn--", "sthree-", "amzn-s3-demo-"),
}


def short_hash(*parts, length=_HASH_LEN):
    """A stable short hex digest of parts (sha256, not for security)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:length]


def slug(value, sep="-"):
    """Lowercase, with every run of other characters turned into one separator."""
    out = re.sub(r"[^a-z0-9]+", sep, str(value).lower()).strip(sep)
    return out or "x"


def upper_snake(value):
    """`payment-db` -> `PAYMENT_DB`, for environment variable prefixes."""
    out = re.sub(r"[^A-Za-z0-9]+", "_", str(value)).strip("_").upper()
    if not out or out[0].isdigit():
        out = "R_" + out
    return out


def make_name(kind, *parts, prefix="", suffix_hash=None):
    """Build the name of `kind` from `parts`.

    `prefix` is prepended verbatim (``alias/``); `suffix_hash` (a tuple) adds a hash of those
    values to the end, used where a name must be globally unique (S3).  A name longer than
    the limit keeps its head and gets a hash of the full name, so two long names that share a
    head stay distinct.
    """
    max_len, pattern, sep = RULES[kind]
    room = max_len - len(prefix)
    inner = "-" if sep == "/" else sep
    body = sep.join(slug(p, inner) for p in parts if p not in (None, ""))
    if (kind in _LETTER_FIRST and not body[0].isalpha()) or body.startswith(_BANNED_PREFIXES.get(kind, ())):
        body = "c" + inner + body
    tail = inner + short_hash(*suffix_hash) if suffix_hash is not None else ""
    if len(body) + len(tail) > room:
        # Too long: keep the head, and let the hash cover the whole uncut name.
        tail = inner + short_hash(body, *(suffix_hash or ()))
        body = body[: room - len(tail)].rstrip(sep + inner)
    name = prefix + body + tail
    if len(name) < _MIN_LENGTH.get(kind, 1):
        name += inner + short_hash(body)
    if len(name) > max_len or not re.match(pattern, name):
        raise ValueError("internal error: %s name %r breaks its rule" % (kind, name))
    return name
