# -*- coding: utf-8 -*-
"""roles/network through site.yml and teardown.yml against the embedded AWS.

create -> verify with boto3 -> re-run reports no change -> check mode changes nothing ->
teardown leaves nothing of the app alive -> teardown again tolerates what is gone.
"""

from __future__ import annotations

import os

import boto3
import pytest

from conftest import FIXTURES, REPO, playbook
from test_playbooks import recap

DEMO = os.path.join(REPO, "examples", "demo", "coherence.yml")


def session_for(aws_env, account=None, region="us-east-1"):
    base = dict(aws_access_key_id=aws_env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=aws_env["AWS_SECRET_ACCESS_KEY"],
                aws_session_token=aws_env["AWS_SESSION_TOKEN"], region_name=region)
    if account:
        creds = boto3.client("sts", endpoint_url=aws_env["AWS_ENDPOINT_URL"], **base).assume_role(
            RoleArn="arn:aws:iam::%s:role/check" % account, RoleSessionName="check")["Credentials"]
        base.update(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                    aws_session_token=creds["SessionToken"])
    session = boto3.session.Session(**base)
    return lambda service, **kw: session.client(service, endpoint_url=aws_env["AWS_ENDPOINT_URL"], **kw)


def alive_tagged(client, app):
    """ARNs tagged Application=app that are not in a terminal state (AWS keeps terminated
    instances, deleted NAT gateways, keys and secrets pending deletion visible for a while; so
    does moto)."""
    arns = []
    for page in client("resourcegroupstaggingapi").get_paginator("get_resources").paginate(
            TagFilters=[{"Key": "Application", "Values": [app]}]):
        arns += [r["ResourceARN"] for r in page["ResourceTagMappingList"]]
    ec2 = client("ec2")
    alive = []
    for arn in arns:
        rid = arn.rsplit("/", 1)[-1]
        if ":instance/" in arn:
            state = ec2.describe_instances(InstanceIds=[rid])["Reservations"][0]["Instances"][0]["State"]["Name"]
            if state in ("terminated", "shutting-down"):
                continue
        if ":natgateway/" in arn:
            if ec2.describe_nat_gateways(NatGatewayIds=[rid])["NatGateways"][0]["State"] in ("deleted", "deleting"):
                continue
        if ":kms:" in arn:  # KMS keeps a deleted key PendingDeletion for 7-30 days
            if client("kms").describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "PendingDeletion":
                continue
        if ":secretsmanager:" in arn:  # a production secret waits out its recovery window
            if "DeletedDate" in client("secretsmanager").describe_secret(SecretId=arn):
                continue
        alive.append(arn)
    return alive


def tags_of(item):
    return {t["Key"]: t["Value"] for t in item.get("Tags", [])}


def by_name(items, name):
    found = [i for i in items if tags_of(i).get("Name") == name]
    assert len(found) == 1, (name, items)
    return found[0]


def ingress(sg):
    """{(port, source)} where source is a CIDR or a group id."""
    out = set()
    for perm in sg["IpPermissions"]:
        for rng in perm.get("IpRanges", []):
            out.add((perm.get("FromPort"), rng["CidrIp"]))
        for rng in perm.get("Ipv6Ranges", []):
            out.add((perm.get("FromPort"), rng["CidrIpv6"]))
        for pair in perm.get("UserIdGroupPairs", []):
            out.add((perm.get("FromPort"), pair["GroupId"]))
    return out


@pytest.fixture(scope="module")
def review(moto_server):
    """The demo app's review environment, built once for the tests below."""
    from conftest import embedded_aws

    env = dict(os.environ, **embedded_aws.client_env(moto_server))
    env["ANSIBLE_CONFIG"] = os.path.join(REPO, "ansible.cfg")
    settings = dict(env="review", app_name="nettest", base_domain="nettest.example.com", coherence_file=DEMO)
    first = playbook("site", environ=env, **settings)
    assert first.returncode == 0, first.stdout[-5000:] + first.stderr[-3000:]
    return {"env": env, "settings": settings, "first": first}


def test_network_created_as_the_model_says(review):
    client = session_for(review["env"])
    ec2 = client("ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Application", "Values": ["nettest"]}])["Vpcs"]
    assert len(vpcs) == 1 and vpcs[0]["CidrBlock"] == "10.0.0.0/16"
    vpc = vpcs[0]["VpcId"]
    assert tags_of(vpcs[0]) == {"Name": "nettest", "Application": "nettest", "ManagedBy": "coherence",
                                "AllowVpcSharing": "false", "CoherenceAzCount": "2", "CoherenceNatGateways": "single"}
    assert ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"]

    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    public = sorted((s for s in subnets if tags_of(s)["Tier"] == "public"), key=lambda s: s["CidrBlock"])
    private = sorted((s for s in subnets if tags_of(s)["Tier"] == "private"), key=lambda s: s["CidrBlock"])
    assert [s["CidrBlock"] for s in public] == ["10.0.0.0/20", "10.0.16.0/20"]
    assert [s["CidrBlock"] for s in private] == ["10.0.128.0/20", "10.0.144.0/20"]
    assert len({s["AvailabilityZone"] for s in public}) == 2, "public subnets must span two AZs"
    assert all(s["MapPublicIpOnLaunch"] for s in public) and not any(s["MapPublicIpOnLaunch"] for s in private)

    igws = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc]}])["InternetGateways"]
    assert len(igws) == 1 and tags_of(igws[0])["ManagedBy"] == "coherence"
    nats = [n for n in ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NatGateways"]
            if n["State"] != "deleted"]
    assert len(nats) == 1 and nats[0]["SubnetId"] == public[0]["SubnetId"]  # review: one NAT
    eip = ec2.describe_addresses(AllocationIds=[nats[0]["NatGatewayAddresses"][0]["AllocationId"]])["Addresses"][0]
    assert tags_of(eip)["Application"] == "nettest"

    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
    pub = by_name(tables, "nettest-public")
    priv = by_name(tables, "nettest-private-1")
    assert {"0.0.0.0/0": igws[0]["InternetGatewayId"]}.items() <= {
        r["DestinationCidrBlock"]: r.get("GatewayId") for r in pub["Routes"]}.items()
    assert any(r.get("NatGatewayId") == nats[0]["NatGatewayId"] and r["DestinationCidrBlock"] == "0.0.0.0/0"
               for r in priv["Routes"])
    assert {a["SubnetId"] for a in pub["Associations"] if a.get("SubnetId")} == {s["SubnetId"] for s in public}
    assert {a["SubnetId"] for a in priv["Associations"] if a.get("SubnetId")} == {s["SubnetId"] for s in private}

    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
    sg = {g["GroupName"].split("-", 1)[1]: g for g in groups if g["GroupName"].startswith("nettest-")}
    ids = {k: v["GroupId"] for k, v in sg.items()}
    assert ingress(sg["alb"]) == {(80, "0.0.0.0/0"), (443, "0.0.0.0/0"), (80, "::/0"), (443, "::/0")}
    assert ingress(sg["bastion"]) == set(), "the bastion takes no inbound traffic"
    assert ingress(sg["review-services"]) == {(3000, ids["alb"]), (3000, ids["review-services"])}
    assert ingress(sg["review-database"]) == {(5432, ids["review-services"]), (5432, ids["bastion"])}
    assert ingress(sg["review-cache"]) == {(6379, ids["review-services"]), (6379, ids["bastion"])}


def test_dns_and_certificate(review):
    client = session_for(review["env"])
    zones = [z for z in client("route53").list_hosted_zones()["HostedZones"] if z["Name"] == "nettest.example.com."]
    assert len(zones) == 1
    records = client("route53").list_resource_record_sets(HostedZoneId=zones[0]["Id"])["ResourceRecordSets"]
    cnames = [r for r in records if r["Type"] == "CNAME"]
    certs = [c for c in client("acm").list_certificates()["CertificateSummaryList"]
             if c["DomainName"] == "nettest.example.com"]
    assert len(certs) == 1
    cert = client("acm").describe_certificate(CertificateArn=certs[0]["CertificateArn"])["Certificate"]
    assert cert["Status"] == "ISSUED"  # the run waited for it at the end
    assert sorted(cert["SubjectAlternativeNames"]) == ["*.nettest.example.com", "nettest.example.com"]
    wanted = cert["DomainValidationOptions"][0]["ResourceRecord"]
    assert [(r["Name"], r["ResourceRecords"][0]["Value"]) for r in cnames] == [(wanted["Name"], wanted["Value"])]
    name_servers = client("route53").get_hosted_zone(Id=zones[0]["Id"])["DelegationSet"]["NameServers"]
    assert "Delegate nettest.example.com to: %s" % ", ".join(name_servers) in " ".join(review["first"].stdout.split())


def test_bastion_hardened(review):
    client = session_for(review["env"])
    ec2 = client("ec2")
    found = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["nettest-bastion"]},
                                            {"Name": "instance-state-name", "Values": ["pending", "running"]}])
    instances = [i for r in found["Reservations"] for i in r["Instances"]]
    assert len(instances) == 1
    bastion = instances[0]
    assert bastion["MetadataOptions"]["HttpTokens"] == "required"
    assert bastion["IamInstanceProfile"]["Arn"].endswith("/nettest-bastion")
    assert "PublicIpAddress" not in bastion or not bastion["PublicIpAddress"]
    private = ec2.describe_subnets(SubnetIds=[bastion["SubnetId"]])["Subnets"][0]
    assert tags_of(private)["Tier"] == "private"
    image = ec2.describe_images(ImageIds=[bastion["ImageId"]])["Images"][0]
    assert image["Name"].startswith("al2023-ami-") and image["Architecture"] == "arm64"
    volume_id = bastion["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    assert ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]["Encrypted"] is True
    policies = client("iam").list_attached_role_policies(RoleName="nettest-bastion")["AttachedPolicies"]
    assert [p["PolicyName"] for p in policies] == ["AmazonSSMManagedInstanceCore"]


def test_rerun_and_check_mode_change_nothing(review):
    again = playbook("site", environ=review["env"], **review["settings"])
    assert again.returncode == 0, again.stdout[-4000:]
    assert recap(again.stdout)["changed"] == 0, [l for l in again.stdout.splitlines() if l.startswith("changed")]
    checked = playbook("site", "--check", environ=review["env"], **review["settings"])
    assert checked.returncode == 0, checked.stdout[-4000:]
    assert recap(checked.stdout)["changed"] == 0


def test_teardown_without_shared_keeps_the_network(review):
    kept = playbook("teardown", environ=review["env"], keep_shared="true", **review["settings"])
    assert kept.returncode == 0, kept.stdout[-4000:]
    assert "kept the network" in kept.stdout
    assert alive_tagged(session_for(review["env"]), "nettest")


def test_teardown_leaves_nothing(review):
    client = session_for(review["env"])
    vpc = client("ec2").describe_vpcs(Filters=[{"Name": "tag:Application", "Values": ["nettest"]}])["Vpcs"][0]["VpcId"]
    done = playbook("teardown", environ=review["env"], teardown_shared="true", **review["settings"])
    assert done.returncode == 0, done.stdout[-5000:]
    assert alive_tagged(client, "nettest") == []
    assert client("ec2").describe_vpcs(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Vpcs"] == []
    assert client("ec2").describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkInterfaces"] == []
    assert not [z for z in client("route53").list_hosted_zones()["HostedZones"] if z["Name"] == "nettest.example.com."]
    assert not [c for c in client("acm").list_certificates()["CertificateSummaryList"]
                if c["DomainName"] == "nettest.example.com"]
    assert not [a for a in client("ec2").describe_addresses()["Addresses"] if tags_of(a).get("Application") == "nettest"]
    assert "nettest-bastion" not in [r["RoleName"] for r in client("iam").list_roles()["Roles"]]
    assert "nettest-bastion" not in [p["InstanceProfileName"] for p in client("iam").list_instance_profiles()["InstanceProfiles"]]
    again = playbook("teardown", environ=review["env"], teardown_shared="true", **review["settings"])
    assert again.returncode == 0, again.stdout[-4000:]
    assert recap(again.stdout)["changed"] == 0


def test_production_in_its_own_account_and_region(aws_env):
    settings = dict(env="production", app_name="prodnet", base_domain="prodnet.example.com",
                    coherence_file=os.path.join(FIXTURES, "monorepo.yml"), aws_region="eu-west-1", az_count="3",
                    aws_assume_role_arn="arn:aws:iam::222222222222:role/coherence-deploy")
    built = playbook("site", environ=aws_env, **settings)
    assert built.returncode == 0, built.stdout[-5000:]
    client = session_for(aws_env, account="222222222222", region="eu-west-1")
    ec2 = client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Application", "Values": ["prodnet"]}])["Vpcs"][0]["VpcId"]
    assert tags_of(ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0])["CoherenceNatGateways"] == "one_per_az"
    nats = [n for n in ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NatGateways"]
            if n["State"] == "available"]
    assert len(nats) == 3, "production: one NAT gateway per availability zone"
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    assert len({s["AvailabilityZone"] for s in subnets}) == 3
    # The ALB's certificate in the region, CloudFront's in us-east-1.
    assert [c["DomainName"] for c in client("acm").list_certificates()["CertificateSummaryList"]] == ["prodnet.example.com"]
    us = session_for(aws_env, account="222222222222", region="us-east-1")
    assert [c["DomainName"] for c in us("acm").list_certificates()["CertificateSummaryList"]] == ["prodnet.example.com"]
    # Nothing landed in the default account.
    assert alive_tagged(session_for(aws_env, region="eu-west-1"), "prodnet") == []
    # Production keeps its databases and buckets unless told otherwise.
    kept = playbook("teardown", environ=aws_env, teardown_shared="true", **settings)
    assert kept.returncode != 0 and "confirm_teardown=production" in kept.stdout, kept.stdout[-3000:]
    gone = playbook("teardown", environ=aws_env, teardown_shared="true", confirm_teardown="production",
                    data_force_delete_buckets="true", **settings)
    assert gone.returncode == 0, gone.stdout[-5000:]
    left = alive_tagged(client, "prodnet")
    # Production databases leave their final snapshots, on purpose.
    assert sorted(arn.rsplit(":", 1)[-1].rsplit("-", 1)[0] for arn in left) == [
        "prodnet-production-billing-billing-db-final", "prodnet-production-hooks-audit-db-final"]
    assert us("acm").list_certificates()["CertificateSummaryList"] == []


def test_existing_vpc_is_used_and_never_deleted(aws_env, tmp_path):
    client = session_for(aws_env)
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="172.31.0.0/16")["Vpc"]["VpcId"]
    azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock="172.31.%d.0/24" % i, AvailabilityZone=azs[i % 2])["Subnet"]["SubnetId"]
               for i in range(4)]
    use_existing = tmp_path / "existing.yml"
    use_existing.write_text("use_existing:\n  vpc:\n    vpc_id: %s\n    public_subnet_ids: [%s, %s]\n"
                            "    private_subnet_ids: [%s, %s]\n" % ((vpc,) + tuple(subnets)))
    settings = dict(env="review", app_name="ownvpc", coherence_file=os.path.join(FIXTURES, "monorepo.yml"))
    built = playbook("site", "-e", "@%s" % use_existing, environ=aws_env, **settings)
    assert built.returncode == 0, built.stdout[-5000:]
    assert "VPC ownvpc (existing" in built.stdout
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
    assert {"ownvpc-alb", "ownvpc-review-services", "ownvpc-review-database", "ownvpc-bastion"} <= {
        g["GroupName"] for g in groups}
    assert ec2.describe_vpcs(Filters=[{"Name": "tag:Application", "Values": ["ownvpc"]}])["Vpcs"] == []
    assert ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NatGateways"] == []
    gone = playbook("teardown", "-e", "@%s" % use_existing, environ=aws_env, teardown_shared="true", **settings)
    assert gone.returncode == 0, gone.stdout[-5000:]
    assert alive_tagged(client, "ownvpc") == []
    assert len(ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]) == 4, "the team's VPC was touched"


def test_check_mode_on_a_new_environment_creates_nothing(aws_env):
    settings = dict(env="review", app_name="dryrun", base_domain="dryrun.example.com", coherence_file=DEMO)
    checked = playbook("site", "--check", environ=aws_env, **settings)
    assert checked.returncode == 0, checked.stdout[-5000:]
    assert recap(checked.stdout)["changed"] > 0, "check mode should report what it would create"
    client = session_for(aws_env)
    assert alive_tagged(client, "dryrun") == []
    assert not [z for z in client("route53").list_hosted_zones()["HostedZones"] if z["Name"] == "dryrun.example.com."]
    assert not [c for c in client("acm").list_certificates()["CertificateSummaryList"]
                if c["DomainName"] == "dryrun.example.com"]
