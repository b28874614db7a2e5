# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What of an app, or of one of its environments, still exists in an account: the teardown's
closing sweep (coherence.aws.app_resources_info) and the tests' check that nothing is left.

Two sources, because neither is complete. The Resource Groups Tagging API lists what carries
the app's tags, but never IAM, and AWS (and moto) keep some deleted things listed for a while
(terminated instances, deleted NAT gateways, keys pending deletion, secrets in their recovery
window, inactive ECS resources): those are dropped. Each service's own listing then finds what
the tagging API does not show, by the names the collection gives (`<app>-...`), keeping only
what carries the app's tags where the listing can read them (another app may be called
`<app>-admin`).

Every function takes `client`: a callable returning a boto3 client for a service, in one region.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch

try:
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule


def _tags(items):
    """{Key: Value} from AWS's [{Key:, Value:}] (either capitalisation); None for no tags at all
    (something made half-way, before its tags: its name decides)."""
    if not items:
        return None
    return dict((t.get("Key", t.get("key")), t.get("Value", t.get("value"))) for t in items)


def _missing(error):
    return isinstance(error, botocore.exceptions.ClientError) and (
        "NotFound" in error.response["Error"]["Code"] or "NoSuch" in error.response["Error"]["Code"])


def ecs_inactive(client, arn):
    """Whether an ECS cluster, service, task definition or task (by ARN) is gone: AWS keeps
    deleted clusters and services, deregistered task definitions (INACTIVE) and stopped tasks
    visible with their tags for a while (the tagging API lists them)."""
    ecs = client("ecs")
    if ":task-definition/" in arn:
        return ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]["status"] != "ACTIVE"
    if ":service/" in arn:
        found = ecs.describe_services(cluster=arn.split(":service/", 1)[1].split("/")[0], services=[arn])["services"]
    elif ":cluster/" in arn:
        found = ecs.describe_clusters(clusters=[arn])["clusters"]
    elif ":task/" in arn:  # a stopped task (a one-off) stays listed for about an hour
        found = ecs.describe_tasks(cluster=arn.split(":task/", 1)[1].split("/")[0], tasks=[arn])["tasks"]
        return not found or found[0]["lastStatus"] == "STOPPED"
    else:
        return False
    return not found or found[0]["status"] == "INACTIVE"


def _gone(client, arn):
    """Whether a tagged ARN is only the trace of something deleted."""
    rid = arn.rsplit("/", 1)[-1]
    try:
        if ":instance/" in arn:
            reservations = client("ec2").describe_instances(InstanceIds=[rid])["Reservations"]
            return not reservations or reservations[0]["Instances"][0]["State"]["Name"] in ("terminated", "shutting-down")
        if ":natgateway/" in arn:
            found = client("ec2").describe_nat_gateways(NatGatewayIds=[rid])["NatGateways"]
            return not found or found[0]["State"] in ("deleted", "deleting")
        if ":kms:" in arn:  # KMS keeps a deleted key PendingDeletion for 7-30 days
            return client("kms").describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] in ("PendingDeletion", "PendingReplicaDeletion")
        if ":secretsmanager:" in arn:  # a production secret waits out its recovery window
            return "DeletedDate" in client("secretsmanager").describe_secret(SecretId=arn)
        if ":ecs:" in arn:
            return ecs_inactive(client, arn)
    except botocore.exceptions.ClientError as e:
        if _missing(e):
            return True
        raise
    return False


def tagged(client, app, environment=None):
    """ARNs (in the client's region) tagged Application=app (and EnvironmentName=environment)
    that are not only the trace of something deleted, with their tags: [(arn, tags)]."""
    filters = [{"Key": "Application", "Values": [app]}]
    if environment:
        filters.append({"Key": "EnvironmentName", "Values": [environment]})
    out = []
    for page in client("resourcegroupstaggingapi").get_paginator("get_resources").paginate(TagFilters=filters):
        for mapping in page["ResourceTagMappingList"]:
            if not _gone(client, mapping["ResourceARN"]):
                out.append((mapping["ResourceARN"], _tags(mapping.get("Tags")) or {}))
    return out


def _ours(tags, app, environment):
    """None: tags unknown (the name decided); else whether they name this app (and environment)."""
    if tags is None:
        return None
    return tags.get("Application") == app and (not environment or tags.get("EnvironmentName") == environment)


def _tags_or_none(call):
    try:
        return _tags(call())
    except botocore.exceptions.ClientError as e:
        if _missing(e):  # S3's NoSuchTagSet: no tags at all
            return None
        raise


def _iam(client, app, environment, prefix):
    iam = client("iam")
    out = []
    for page in iam.get_paginator("list_roles").paginate():
        for role in page["Roles"]:
            if role["RoleName"].startswith(prefix):
                out.append(("IAM role", role["RoleName"], role["Arn"],
                            _tags_or_none(lambda: iam.list_role_tags(RoleName=role["RoleName"])["Tags"])))
    for page in iam.get_paginator("list_instance_profiles").paginate():
        for profile in page["InstanceProfiles"]:
            if profile["InstanceProfileName"].startswith(prefix):
                name = profile["InstanceProfileName"]
                out.append(("instance profile", name, profile["Arn"],
                            _tags_or_none(lambda: iam.list_instance_profile_tags(InstanceProfileName=name)["Tags"])))
    return out


def _regional(client, app, environment, prefix):
    """(kind, name, arn, tags or None) of what each regional service lists under the app's names."""
    out = []
    secrets = client("secretsmanager")
    secret_prefix = "coherence/%s/%s" % (app, environment or "")
    for page in secrets.get_paginator("list_secrets").paginate():
        for s in page["SecretList"]:
            if s["Name"].startswith(secret_prefix) and "DeletedDate" not in s:
                out.append(("secret", s["Name"], s["ARN"], _tags(s.get("Tags"))))
    s3 = client("s3")
    for b in s3.list_buckets()["Buckets"]:
        if b["Name"].startswith(prefix):
            out.append(("bucket", b["Name"], "arn:aws:s3:::" + b["Name"],
                        _tags_or_none(lambda: s3.get_bucket_tagging(Bucket=b["Name"])["TagSet"])))
    rds = client("rds")
    for db in rds.describe_db_instances()["DBInstances"]:
        if db["DBInstanceIdentifier"].startswith(prefix):
            out.append(("database", db["DBInstanceIdentifier"], db["DBInstanceArn"], _tags(db.get("TagList"))))
    for proxy in rds.describe_db_proxies()["DBProxies"]:
        if proxy["DBProxyName"].startswith(prefix):
            out.append(("database proxy", proxy["DBProxyName"], proxy["DBProxyArn"], None))
    for group in rds.describe_db_subnet_groups()["DBSubnetGroups"]:
        if group["DBSubnetGroupName"].startswith(prefix):
            out.append(("database subnet group", group["DBSubnetGroupName"], group["DBSubnetGroupArn"], None))
    cache = client("elasticache")
    for group in cache.describe_replication_groups()["ReplicationGroups"]:
        if group["ReplicationGroupId"].startswith(prefix):
            out.append(("cache", group["ReplicationGroupId"], group.get("ARN"), None))
    for group in cache.describe_cache_subnet_groups()["CacheSubnetGroups"]:
        if group["CacheSubnetGroupName"].startswith(prefix):
            out.append(("cache subnet group", group["CacheSubnetGroupName"], group.get("ARN"), None))
    for lb in client("elbv2").describe_load_balancers()["LoadBalancers"]:
        # The app's own load balancer is named after the app alone (shared: never an environment's).
        if (lb["LoadBalancerName"] == app and not environment) or lb["LoadBalancerName"].startswith(prefix):
            out.append(("load balancer", lb["LoadBalancerName"], lb["LoadBalancerArn"], None))
    for page in client("lambda").get_paginator("list_functions").paginate():
        for f in page["Functions"]:
            if f["FunctionName"].startswith(prefix):
                out.append(("function", f["FunctionName"], f["FunctionArn"], None))
    return out


def _cloudfront(client, app, environment, prefix):
    cf = client("cloudfront")
    comment = "coherence %s %s" % (app, environment or "")
    out = [("distribution", d["Id"], d["ARN"], None) for d in cf.list_distributions()["DistributionList"].get("Items") or []
           if (d["Comment"] == comment.strip() if environment else d["Comment"].startswith(comment))]
    out += [("origin access control", c["Name"], c["Id"], None)
            for c in cf.list_origin_access_controls()["OriginAccessControlList"].get("Items") or []
            if c["Name"].startswith(prefix)]
    return out


def _domains(client, domains):
    out = []
    for zone in client("route53").list_hosted_zones()["HostedZones"]:
        if zone["Name"].rstrip(".") in domains:
            out.append(("zone", zone["Name"].rstrip("."), zone["Id"], None))
    for cert in client("acm").list_certificates()["CertificateSummaryList"]:
        if any(cert["DomainName"] == d or cert["DomainName"].endswith("." + d) for d in domains):
            out.append(("certificate", cert["DomainName"], cert["CertificateArn"], None))
    return out


def named(client, app, environment=None, domains=(), global_services=True):
    """What each service lists under the app's (or the environment's) names, and what carries
    no other app's or environment's tags: [(kind, name, arn)]. global_services: IAM, CloudFront
    and Route 53, once per account. domains: the hosted zones and certificates of these domains."""
    prefix = "%s-%s-" % (app, environment) if environment else app + "-"
    found = _regional(client, app, environment, prefix)
    if global_services:
        found += _iam(client, app, environment, prefix) + _cloudfront(client, app, environment, prefix)
        found += _domains(client, list(domains))
    elif domains:
        found += [f for f in _domains(client, list(domains)) if f[0] == "certificate"]
    return [(kind, name, arn) for kind, name, arn, tags in found if _ours(tags, app, environment) is not False]


def _kind(arn):
    """A readable kind from an ARN: `ec2 security-group`, `s3`, `logs log-group`."""
    parts = arn.split(":", 5)
    resource = parts[5] if len(parts) > 5 else ""
    kind = resource.split("/", 1)[0].split(":", 1)[0] if ("/" in resource or ":" in resource) else ""
    return ("%s %s" % (parts[2], kind)).strip()


def sweep(client, app, environment=None, domains=(), global_services=True, keep=()):
    """Everything of app (or of its environment) still in the client's region, tagged first
    then by name, each once: (left, kept), each a sorted list of {kind, name, arn}. keep: shell
    patterns matched against an ARN or `<kind> <name>`; what matches is kept on purpose."""
    seen, items = set(), []
    for arn, _tags_found in tagged(client, app, environment):
        seen.add(arn)
        items.append({"kind": _kind(arn), "name": arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1], "arn": arn})
    for kind, name, arn in named(client, app, environment, domains, global_services):
        if arn not in seen:
            seen.add(arn)
            items.append({"kind": kind, "name": name, "arn": arn})

    def kept(item):
        return any(fnmatch.fnmatchcase(item["arn"] or "", p) or fnmatch.fnmatchcase("%s %s" % (item["kind"], item["name"]), p)
                   for p in keep)

    order = sorted(items, key=lambda i: (i["kind"], i["name"]))
    return [i for i in order if not kept(i)], [i for i in order if kept(i)]
