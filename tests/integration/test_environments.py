# -*- coding: utf-8 -*-
"""Several environments of one app side by side, and teardown that is safe for production.

Two chains run against the embedded AWS, side by side (each playbook run is a process of its
own, so the production chain runs in a thread while the review chain runs here):

- `fleet` (app `envs`, the default account): review, then pr-42 (adds a cache, drops the
  bucket, has an environment domain of its own), then review again with `aws_account_id`;
  a run asking to reshape the shared VPC and a refused removal of what review still uses;
  then pr-42 torn down, then review torn down last, neither given its domains.
- `production` (app `prodenv`, account 222222222222 through an assumed role, eu-west-1):
  deploy, an unconfirmed teardown, a confirmed one, a redeploy at once, a second confirmed one.

Every state is read back with boto3 right after the step that made it, so the assertions do not
depend on the order the tests run in.
"""

from __future__ import annotations

import json
import os
import re
import threading

import boto3
import pytest

from conftest import FIXTURES, REPO, embedded_aws, playbook

APP = "envs"
PROD_APP = "prodenv"
ACCOUNT = "123456789012"  # the embedded AWS's default account
PROD_ACCOUNT = "222222222222"
FIXTURE = os.path.join(FIXTURES, "environments.yml")
# Values that must never reach the output, at any verbosity.
ENV_VARS = {"STRIPE_KEY": "sk_live_never_in_a_log_4242", "WEBHOOK_SECRET": "whsec_never_in_a_log_0707"}


# --------------------------------------------------------------------------- helpers
# (candidates for tests/conftest.py: recap, clients, what_is_left, ingress, tags_of)
def recap(output):
    match = re.search(r"localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", output)
    assert match, output[-3000:]
    return {"ok": int(match.group(1)), "changed": int(match.group(2)), "failed": int(match.group(3))}


def succeeded(result):
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return result


def environ_for(moto_server):
    environ = dict(os.environ, **embedded_aws.client_env(moto_server))
    environ.update(ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    return environ


def clients(environ, account=None, region="us-east-1"):
    """client(service, region=...) for the embedded AWS, in `account` (assumed) or the default one."""
    creds = dict(aws_access_key_id=environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key=environ["AWS_SECRET_ACCESS_KEY"],
                 aws_session_token=environ["AWS_SESSION_TOKEN"])
    if account:
        assumed = boto3.client("sts", endpoint_url=environ["AWS_ENDPOINT_URL"], region_name=region, **creds).assume_role(
            RoleArn="arn:aws:iam::%s:role/check" % account, RoleSessionName="check")["Credentials"]
        creds = dict(aws_access_key_id=assumed["AccessKeyId"], aws_secret_access_key=assumed["SecretAccessKey"],
                     aws_session_token=assumed["SessionToken"])

    def client(service, region=region):
        return boto3.client(service, endpoint_url=environ["AWS_ENDPOINT_URL"], region_name=region, **creds)
    return client


def tags_of(item, key="Tags"):
    return {t["Key"]: t["Value"] for t in item.get(key) or []}


def ingress(group):
    """{(port, source)}: source a CIDR or a security group id."""
    out = set()
    for perm in group["IpPermissions"]:
        out.update((perm.get("FromPort"), r["CidrIp"]) for r in perm.get("IpRanges", []))
        out.update((perm.get("FromPort"), r["CidrIpv6"]) for r in perm.get("Ipv6Ranges", []))
        out.update((perm.get("FromPort"), p["GroupId"]) for p in perm.get("UserIdGroupPairs", []))
    return out


def what_is_left(client, app, regions, domains=(), vpc_ids=()):
    """What of `app` is alive, per service, found by listings (names, VPCs, domains) and not only
    by tags. Gone means terminated, deleted or pending deletion. Returns {kind: [ids]} of what is
    left; final snapshots are listed under 'snapshots'."""
    left = {}

    def add(kind, items):
        if items:
            left.setdefault(kind, []).extend(items)

    prefix = app + "-"
    app_filter = [{"Name": "tag:Application", "Values": [app]}]
    for region in regions:
        ec2 = client("ec2", region=region)
        vpcs = [v["VpcId"] for v in ec2.describe_vpcs(Filters=app_filter)["Vpcs"]]
        add("vpc", vpcs)
        add("subnet", [s["SubnetId"] for s in ec2.describe_subnets(Filters=app_filter)["Subnets"]])
        add("nat", [n["NatGatewayId"] for n in ec2.describe_nat_gateways(Filter=app_filter)["NatGateways"]
                    if n["State"] not in ("deleted", "deleting")])
        add("eip", [a["AllocationId"] for a in ec2.describe_addresses(Filters=app_filter)["Addresses"]])
        for vpc in set(vpcs) | set(vpc_ids):
            add("eni", [e["NetworkInterfaceId"] for e in ec2.describe_network_interfaces(
                Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkInterfaces"]])
        add("security_group", [g["GroupName"] for g in ec2.describe_security_groups(Filters=app_filter)["SecurityGroups"]])
        add("instance", [i["InstanceId"] for r in ec2.describe_instances(Filters=app_filter)["Reservations"]
                         for i in r["Instances"] if i["State"]["Name"] not in ("terminated", "shutting-down")])
        rds = client("rds", region=region)
        add("rds", [d["DBInstanceIdentifier"] for d in rds.describe_db_instances()["DBInstances"]
                    if d["DBInstanceIdentifier"].startswith(prefix)])
        add("rds_proxy", [p["DBProxyName"] for p in rds.describe_db_proxies()["DBProxies"]
                          if p["DBProxyName"].startswith(prefix)])
        add("db_subnet_group", [g["DBSubnetGroupName"] for g in rds.describe_db_subnet_groups()["DBSubnetGroups"]
                                if g["DBSubnetGroupName"].startswith(prefix)])
        add("snapshots", [s["DBSnapshotIdentifier"] for s in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]
                          if s["DBSnapshotIdentifier"].startswith(prefix)])
        cache = client("elasticache", region=region)
        add("cache", [g["ReplicationGroupId"] for g in cache.describe_replication_groups()["ReplicationGroups"]
                      if g["ReplicationGroupId"].startswith(prefix) and g["Status"] != "deleting"])
        add("secret", [s["Name"] for s in client("secretsmanager", region=region).list_secrets()["SecretList"]
                       if s["Name"].startswith("coherence/%s/" % app) and "DeletedDate" not in s])
        kms = client("kms", region=region)
        for alias in kms.list_aliases()["Aliases"]:
            if alias["AliasName"].startswith("alias/coherence/%s-" % app) and alias.get("TargetKeyId"):
                if kms.describe_key(KeyId=alias["TargetKeyId"])["KeyMetadata"]["KeyState"] != "PendingDeletion":
                    add("kms_key", [alias["AliasName"]])
    for region in set(regions) | {"us-east-1"}:
        add("certificate", ["%s (%s)" % (c["DomainName"], region) for c in client("acm", region=region).list_certificates()[
            "CertificateSummaryList"] if c["DomainName"] in domains])
    add("zone", [z["Name"] for z in client("route53").list_hosted_zones()["HostedZones"] if z["Name"].rstrip(".") in domains])
    iam = client("iam")
    add("role", [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith(prefix)])
    add("instance_profile", [p["InstanceProfileName"] for p in iam.list_instance_profiles()["InstanceProfiles"]
                             if p["InstanceProfileName"].startswith(prefix)])
    add("bucket", [b["Name"] for b in client("s3").list_buckets()["Buckets"] if b["Name"].startswith(prefix)])
    return left


def security_groups(client, app):
    """{group name: group} of the app."""
    found = client("ec2").describe_security_groups(Filters=[{"Name": "tag:Application", "Values": [app]}])
    return {g["GroupName"]: g for g in found["SecurityGroups"]}


def db_groups(client, instance):
    db = client("rds").describe_db_instances(DBInstanceIdentifier=instance)["DBInstances"][0]
    return [g["VpcSecurityGroupId"] for g in db["VpcSecurityGroups"]]


def secret_values(client, name):
    return json.loads(client("secretsmanager").get_secret_value(SecretId=name)["SecretString"])


def pr42_file(directory):
    """pr-42's branch of the fixture: a cache added, the bucket dropped."""
    text = open(FIXTURE).read()
    assert "    - name: uploads\n      type: object_storage\n" in text
    path = os.path.join(str(directory), "coherence.yml")
    with open(path, "w") as handle:
        handle.write(text.replace("    - name: uploads\n      type: object_storage\n",
                                  "    - name: cache\n      type: cache\n"))
    return path


# --------------------------------------------------------------------------- the model (no AWS)
def _model(**settings):
    from ansible_collections.coherence.aws.plugins.plugin_utils.app_model import build_app_model

    return build_app_model(open(FIXTURE).read(), app_name=APP, **settings)


@pytest.mark.parametrize("region, partition, suffix", [
    ("us-east-1", "aws", "amazonaws.com"), ("eu-west-1", "aws", "amazonaws.com"),
    ("us-gov-west-1", "aws-us-gov", "amazonaws.com"), ("cn-north-1", "aws-cn", "amazonaws.com.cn")])
def test_partition_comes_from_the_region(region, partition, suffix):
    model = _model(env="review", region=region, account_id=ACCOUNT)
    assert (model["region"], model["partition"], model["dns_suffix"], model["account_id"]) == (
        region, partition, suffix, ACCOUNT)


def test_shared_names_and_tags_do_not_depend_on_the_environment():
    review, pr42, prod = (_model(env=env) for env in ("review", "pr-42", "production"))
    assert review["tags"]["app"] == pr42["tags"]["app"] == prod["tags"]["app"] == {
        "ManagedBy": "coherence", "Application": APP}
    assert review["names"]["shared"] == pr42["names"]["shared"] == prod["names"]["shared"]
    assert review["names"]["shared"]["security_groups"] == {"alb": "envs-alb", "bastion": "envs-bastion"}
    assert pr42["names"]["environment"]["security_groups"] == {
        "services": "envs-pr-42-services", "database": "envs-pr-42-database", "cache": "envs-pr-42-cache"}
    assert pr42["tags"]["environment"] == {"ManagedBy": "coherence", "Application": APP, "Environment": "review",
                                           "EnvironmentName": "pr-42"}


def test_the_account_decides_bucket_names():
    # The playbooks always build the model with the account from STS: given or not, the same.
    with_account = _model(env="review", account_id=ACCOUNT)["resources"]
    other = _model(env="review", account_id=PROD_ACCOUNT)["resources"]
    buckets = [r["names"]["bucket"] for r in with_account if r["type"] == "object_storage"]
    assert buckets == [r["names"]["bucket"] for r in _model(env="review", account_id=ACCOUNT)["resources"]
                       if r["type"] == "object_storage"]
    assert buckets != [r["names"]["bucket"] for r in other if r["type"] == "object_storage"]


# --------------------------------------------------------------------------- production chain
def _production_chain(environ, out):
    settings = dict(env="production", app_name=PROD_APP, base_domain="prodenv.example.com", coherence_file=FIXTURE,
                    aws_region="eu-west-1", aws_assume_role_arn="arn:aws:iam::%s:role/coherence-deploy" % PROD_ACCOUNT)
    client = clients(environ, account=PROD_ACCOUNT, region="eu-west-1")
    regions = ["eu-west-1"]
    domains = ("prodenv.example.com",)

    def state():
        left = what_is_left(client, PROD_APP, regions, domains)
        rds = client("rds").describe_db_instances()["DBInstances"]
        left["_protected"] = sorted(d["DBInstanceIdentifier"] for d in rds if d["DeletionProtection"])
        left["_secrets"] = sorted(s["Name"] for s in client("secretsmanager").list_secrets()["SecretList"]
                                  if "DeletedDate" not in s)
        return left

    # As if the run outlasted its credentials: renewed wherever a long step starts.
    out["deploy"] = playbook("site", environ=environ, aws_session_refresh_before="100000", **settings)
    if out["deploy"].returncode:
        return
    out["deployed"] = state()
    out["unconfirmed"] = playbook("teardown", environ=environ, **settings)
    out["after_unconfirmed"] = state()
    out["confirmed"] = playbook("teardown", environ=environ, confirm_teardown="production",
                                data_force_delete_buckets="true", **settings)
    out["after_confirmed"] = state()
    out["redeploy"] = playbook("site", environ=environ, **settings)
    out["redeployed"] = state()
    out["confirmed_again"] = playbook("teardown", environ=environ, confirm_teardown="production", **settings)
    out["after_confirmed_again"] = state()


@pytest.fixture(scope="module")
def production_chain(moto_server):
    """Started before the fleet's deploys; joined by the production tests."""
    out = {}
    thread = threading.Thread(target=_production_chain, args=(environ_for(moto_server), out), daemon=True)
    thread.start()
    return thread, out


@pytest.fixture(scope="module")
def production(production_chain):
    thread, out = production_chain
    thread.join(timeout=1500)
    assert not thread.is_alive(), "the production chain did not finish"
    succeeded(out["deploy"])
    return out


# --------------------------------------------------------------------------- the fleet
@pytest.fixture(scope="module")
def fleet(moto_server, production_chain, tmp_path_factory):
    environ = environ_for(moto_server)
    client = clients(environ)
    review = dict(env="review", app_name=APP, base_domain="envs.example.com", coherence_file=FIXTURE)
    pr42 = dict(env="pr-42", app_name=APP, base_domain="envs.example.com", environment_domain="pr-42.envs-preview.net",
                coherence_file=pr42_file(tmp_path_factory.mktemp("pr-42")))
    secrets = ("-e", json.dumps({"env_vars": ENV_VARS}))
    out = {"environ": environ, "client": client, "review": review, "pr42": pr42}
    out["review_first"] = succeeded(playbook("site", "-vvv", *secrets, environ=environ, **review))
    out["buckets_first"] = sorted(b["Name"] for b in client("s3").list_buckets()["Buckets"] if b["Name"].startswith("envs-"))
    out["pr42_first"] = succeeded(playbook("site", environ=environ, aws_account_id=ACCOUNT, **pr42))
    # The same environment with the account given: the same names, nothing to change.
    out["review_again"] = succeeded(playbook("site", "-vvv", *secrets, environ=environ, aws_account_id=ACCOUNT, **review))
    # --check --diff with a changed and a new variable: key names shown, values never, nothing written.
    changed_vars = ("-e", json.dumps({"env_vars": dict(ENV_VARS, STRIPE_KEY="sk_live_rotated_never_shown_5151",
                                                       NEW_FLAG="new_value_never_shown_6161")}))
    out["diff"] = succeeded(playbook("site", "--check", "--diff", *changed_vars, environ=environ, **review))
    out["groups"] = security_groups(client, APP)
    out["vpc"] = client("ec2").describe_vpcs(Filters=[{"Name": "tag:Application", "Values": [APP]}])["Vpcs"]
    out["nats"] = [n for n in client("ec2").describe_nat_gateways(
        Filter=[{"Name": "vpc-id", "Values": [v["VpcId"] for v in out["vpc"]]}])["NatGateways"] if n["State"] == "available"]
    out["db_groups"] = {env: db_groups(client, "envs-%s-api-db" % env) for env in ("review", "pr-42")}
    out["passwords"] = [secret_values(client, "coherence/envs/%s/db/api/db" % env)["password"] for env in ("review", "pr-42")]
    out["buckets"] = sorted(b["Name"] for b in client("s3").list_buckets()["Buckets"] if b["Name"].startswith("envs-"))
    cf = client("cloudfront")
    out["distributions"] = {d["Comment"]: cf.get_distribution_config(Id=d["Id"])["DistributionConfig"]
                            for d in cf.list_distributions()["DistributionList"].get("Items", [])
                            if d["Comment"].startswith("coherence %s " % APP)}
    out["functions"] = [f["FunctionName"] for f in client("lambda").list_functions()["Functions"]
                        if f["FunctionName"].startswith(APP + "-")]
    out["access_controls"] = [c["Name"] for c in cf.list_origin_access_controls()["OriginAccessControlList"].get("Items", [])
                              if c["Name"].startswith(APP + "-")]
    # Asking to reshape what the environments share fails, before anything changes.
    out["reshape"] = playbook("site", environ=environ, vpc_cidr="10.1.0.0/16", nat_gateways="one_per_az", **review)
    # Removing what review still uses is refused, before anything changes.
    out["refused"] = playbook("teardown", environ=environ, keep_shared="false", **pr42)
    out["left_after_refusals"] = what_is_left(client, APP, ["us-east-1"], ("envs.example.com", "pr-42.envs-preview.net"))
    return out


@pytest.fixture(scope="module")
def pr42_gone(fleet):
    """pr-42 torn down without its domains (nor base_domain), with the main branch's coherence.yml
    (no cache): its zone and certificates are found by tags, its cache from its record."""
    environ, client = fleet["environ"], fleet["client"]
    settings = dict(env="pr-42", app_name=APP, coherence_file=FIXTURE)
    out = {"run": succeeded(playbook("teardown", environ=environ, **settings))}
    out["left"] = what_is_left(client, APP, ["us-east-1"], ("envs.example.com", "pr-42.envs-preview.net"))
    out["review_secret"] = secret_values(client, "coherence/envs/review")
    out["review_db"] = client("rds").describe_db_instances(DBInstanceIdentifier="envs-review-api-db")["DBInstances"][0]
    return out


@pytest.fixture(scope="module")
def review_gone(pr42_gone, fleet):
    """review torn down last, without base_domain: everything of the app goes."""
    environ, client = fleet["environ"], fleet["client"]
    settings = dict(env="review", app_name=APP, coherence_file=FIXTURE)
    out = {"run": succeeded(playbook("teardown", environ=environ, **settings))}
    out["left"] = what_is_left(client, APP, ["us-east-1"], ("envs.example.com", "pr-42.envs-preview.net"),
                               vpc_ids=[v["VpcId"] for v in fleet["vpc"]])
    return out


# --------------------------------------------------------------------------- tests: side by side
def test_second_environment_and_rerun_change_nothing_shared(fleet):
    assert recap(fleet["review_again"].stdout)["changed"] == 0, [
        line for line in fleet["review_again"].stdout.splitlines() if line.startswith("changed")]
    changed_by_pr42 = re.findall(r"TASK \[coherence\.aws\.network : ([^\]]+)\][^\n]*\nchanged", fleet["pr42_first"].stdout)
    # pr-42 made only what is its own: its security groups, its zone and certificates.
    assert all("environment's" in task or "zone" in task or "certificate" in task or "validation" in task
               for task in changed_by_pr42), changed_by_pr42


def test_backend_only_app_gets_no_frontend_bucket_nor_edge_function(fleet):
    """The fleet's app has one backend and no frontend: its distributions go to the load
    balancer only; no frontend bucket, Origin Access Control nor Lambda@Edge function exists."""
    assert sorted(fleet["distributions"]) == ["coherence envs pr-42", "coherence envs review"]
    for config in fleet["distributions"].values():
        assert [o.get("S3OriginConfig") for o in config["Origins"]["Items"]] == [None]
        assert config["DefaultCacheBehavior"]["LambdaFunctionAssociations"]["Quantity"] == 0
    assert fleet["functions"] == [] and fleet["access_controls"] == []
    # Its buckets: the declared uploads (review only: pr-42's branch drops it), artifacts, source.
    assert [b.rsplit("-", 1)[0] for b in fleet["buckets"]] == [
        "envs-pr-42-artifacts", "envs-review-api-uploads", "envs-review-artifacts", "envs-source"], fleet["buckets"]


def test_shared_resources_carry_no_environment(fleet):
    assert len(fleet["vpc"]) == 1
    tags = tags_of(fleet["vpc"][0])
    assert "Environment" not in tags and "EnvironmentName" not in tags, tags
    assert (tags["CoherenceAzCount"], tags["CoherenceNatGateways"]) == ("2", "single")
    assert len(fleet["nats"]) == 1, "pr-42 must not add or flip NAT gateways"
    for name in ("envs-alb", "envs-bastion"):
        assert "EnvironmentName" not in tags_of(fleet["groups"][name]), name


def test_each_environment_reaches_only_its_own_data(fleet):
    groups = fleet["groups"]
    ids = {name: g["GroupId"] for name, g in groups.items()}
    assert set(groups) == {"envs-alb", "envs-bastion", "envs-review-services", "envs-review-database",
                           "envs-pr-42-services", "envs-pr-42-database", "envs-pr-42-cache"}
    for env in ("review", "pr-42"):
        services = "envs-%s-services" % env
        assert tags_of(groups[services])["EnvironmentName"] == env
        assert ingress(groups[services]) == {(3000, ids["envs-alb"]), (3000, ids[services])}
        assert ingress(groups["envs-%s-database" % env]) == {(5432, ids[services]), (5432, ids["envs-bastion"])}
        assert fleet["db_groups"][env] == [ids["envs-%s-database" % env]]
    # The cache's own groups cannot be read back here: moto makes no member clusters, where AWS
    # reports a replication group's security groups (DescribeCacheClusters). Its group's rules:
    assert ingress(groups["envs-pr-42-cache"]) == {(6379, ids["envs-pr-42-services"]), (6379, ids["envs-bastion"])}


def test_bucket_names_do_not_depend_on_passing_the_account(fleet):
    # The services' buckets (the build's source and artifact buckets are named the same way).
    first, now = ([name for name in names if "-api-" in name] for names in (fleet["buckets_first"], fleet["buckets"]))
    assert len(first) == 1 and first[0].startswith("envs-review-api-uploads-")
    assert now == first, "pr-42 dropped the bucket; review's is the same with aws_account_id"


def test_reshaping_the_shared_network_is_refused(fleet):
    result = fleet["reshape"]
    assert result.returncode != 0
    text = " ".join(result.stdout.split())
    assert "vpc_cidr: the VPC was made with 10.0.0.0/16, this run asks for 10.1.0.0/16" in text, text[-3000:]
    assert "nat_gateways: the VPC was made with single, this run asks for one_per_az" in text
    assert "tear down every environment of envs" in text
    assert recap(result.stdout)["changed"] == 0


def test_removing_what_another_environment_uses_is_refused(fleet):
    result = fleet["refused"]
    assert result.returncode != 0
    text = " ".join(result.stdout.split())
    assert "still has the environments review" in text, text[-3000:]
    assert recap(result.stdout)["changed"] == 0
    assert "rds" in fleet["left_after_refusals"] and "envs-pr-42-api-db" in fleet["left_after_refusals"]["rds"]


def test_account_mismatch_is_refused(aws_env):
    result = playbook("site", environ=aws_env, env="review", app_name="wrongacct", coherence_file=FIXTURE,
                      aws_account_id="999999999999")
    assert result.returncode != 0
    assert "aws_account_id is 999999999999 but these credentials act in account %s" % ACCOUNT in " ".join(
        result.stdout.split())
    assert recap(result.stdout)["changed"] == 0


def test_no_secret_in_the_output_at_vvv(fleet):
    output = "".join(r.stdout + r.stderr for r in (fleet["review_first"], fleet["review_again"]))
    assert "ansible-playbook" in output and "ESTABLISH LOCAL CONNECTION" in output  # it really was -vvv
    for value in list(ENV_VARS.values()) + fleet["passwords"][:1]:
        assert value not in output
    stored = secret_values(fleet["client"], "coherence/envs/review")
    assert stored["STRIPE_KEY"] == ENV_VARS["STRIPE_KEY"]  # the values did reach the secret
    assert fleet["passwords"][0] in stored["api-db.DATABASE_URL"]


def test_diff_names_the_secret_keys_that_change_never_their_values(fleet):
    output = fleet["diff"].stdout + fleet["diff"].stderr
    # The secret's diff (coherence.aws.secret_values): a key per line, a new value marked, never shown.
    assert re.search(r"^\+NEW_FLAG\s*$", output, re.M) and re.search(r"^\+STRIPE_KEY \(new value\)\s*$", output, re.M), output[-3000:]
    assert re.search(r"^-STRIPE_KEY\s*$", output, re.M), output[-3000:]
    assert "sk_live_rotated_never_shown_5151" not in output and "new_value_never_shown_6161" not in output
    assert recap(fleet["diff"].stdout)["changed"] >= 1
    assert secret_values(fleet["client"], "coherence/envs/review")["STRIPE_KEY"] == ENV_VARS["STRIPE_KEY"]


# --------------------------------------------------------------------------- tests: teardown
def test_teardown_of_pr42_leaves_review_intact(pr42_gone):
    left = pr42_gone["left"]
    assert not [g for g in left.get("security_group", []) if "pr-42" in g]
    assert "pr-42.envs-preview.net." not in left.get("zone", [])
    assert not [c for c in left.get("certificate", []) if "pr-42" in c]
    assert not [n for kind in ("rds", "rds_proxy", "cache", "secret", "kms_key", "role") for n in left.get(kind, [])
                if "pr-42" in n]
    # review's own and what the environments share are still there
    assert left["rds"] == ["envs-review-api-db"] and left["zone"] == ["envs.example.com."]
    assert set(left["security_group"]) == {"envs-alb", "envs-bastion", "envs-review-services", "envs-review-database"}
    assert left["vpc"] and left["nat"] and left["instance"] and left["bucket"]
    assert pr42_gone["review_db"]["DBInstanceStatus"] == "available"
    assert pr42_gone["review_secret"]["STRIPE_KEY"] == ENV_VARS["STRIPE_KEY"]
    assert "used by review" in " ".join(pr42_gone["run"].stdout.split())


def test_teardown_of_the_last_environment_leaves_nothing(review_gone):
    assert review_gone["left"] == {}, review_gone["left"]
    assert recap(review_gone["run"].stdout)["failed"] == 0


# --------------------------------------------------------------------------- tests: production
def test_production_renews_the_assumed_role_before_its_credentials_expire(production):
    """Forced here (aws_session_refresh_before beyond the credentials' lifetime): assumed again
    before the services, the pipeline and each round of the late wait, and every later call
    went through the new credentials (the deploy succeeded in the production account)."""
    stdout = production["deploy"].stdout
    renewals = stdout.count("TASK [coherence.aws.aws_session : Assume the environment's role again]")
    assert renewals >= 3, stdout[-3000:]
    assert "ok: [localhost]" in stdout.split("TASK [coherence.aws.aws_session : Assume the environment's role again]")[-1][:400]


def test_unconfirmed_production_teardown_changes_nothing(production):
    result = production["unconfirmed"]
    assert result.returncode != 0
    text = " ".join(result.stdout.split())
    assert "-e confirm_teardown=production" in text and "prodenv-production-api-db" in text, text[-3000:]
    assert "nothing was changed" in text
    assert production["after_unconfirmed"] == production["deployed"]
    assert production["deployed"]["_protected"] == ["prodenv-production-api-db"]


def test_confirmed_production_teardown_keeps_only_snapshots(production):
    succeeded(production["confirmed"])
    first = production["after_confirmed"]  # buckets forced: only the final snapshot stays
    assert set(first) - {"_protected", "_secrets"} == {"snapshots"}, first
    assert len(first["snapshots"]) == 1 and first["snapshots"][0].startswith("prodenv-production-api-db-final-")


def test_redeploy_right_after_teardown_then_teardown_again(production):
    # Within the secrets' recovery window, the key's waiting period, the certificates' hour of
    # idempotency (the certificate needs coherence.aws.acm_certificate's token to differ).
    succeeded(production["redeploy"])
    redeployed = production["redeployed"]
    assert redeployed["rds"] == ["prodenv-production-api-db"] and redeployed["_protected"] == redeployed["rds"]
    assert "coherence/prodenv/production" in redeployed["_secrets"]  # restored from its recovery window
    assert redeployed["kms_key"] == ["alias/coherence/prodenv-production"]  # its deletion cancelled
    assert len(redeployed["certificate"]) == 2  # eu-west-1 (the load balancer's) and us-east-1
    succeeded(production["confirmed_again"])
    second = production["after_confirmed_again"]  # buckets kept this time, with their key
    assert set(second) - {"_protected", "_secrets"} == {"snapshots", "bucket", "kms_key"}, second
    assert len(second["snapshots"]) == 2, "each teardown keeps its own final snapshot"
