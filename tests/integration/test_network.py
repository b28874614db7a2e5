# -*- coding: utf-8 -*-
"""roles/network against the embedded AWS.

Read-only checks read the one shared deploy of examples/demo (fixture demo_review). Tests that
change an environment deploy their own, under their own app name: teardown (site.yml), an
existing VPC (the network role alone), check mode on a new environment. Production in its own
account and region, re-runs that change nothing and the sweep after teardown are the molecule
scenarios' (extensions/molecule, run by test_molecule.py).
"""

from __future__ import annotations

import os


from support import (DEMO, FIXTURES, alive_tagged, assert_ok, assert_unchanged, by_name, clients, ingress,
                     leftovers, playbook, recap, role_playbook, tags_of)


def test_network_created_as_the_model_says(demo_review):
    ec2 = demo_review["client"]("ec2")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Application", "Values": ["shop"]}])["Vpcs"]
    assert len(vpcs) == 1 and vpcs[0]["CidrBlock"] == "10.0.0.0/16"
    vpc = vpcs[0]["VpcId"]
    assert tags_of(vpcs[0]) == {"Name": "shop", "Application": "shop", "ManagedBy": "coherence",
                                "AllowVpcSharing": "false", "CoherenceAzCount": "2",
                                "CoherenceNatGateways": "single"}
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
    assert tags_of(eip)["Application"] == "shop"

    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
    pub = by_name(tables, "shop-public")
    priv = by_name(tables, "shop-private-1")
    assert {"0.0.0.0/0": igws[0]["InternetGatewayId"]}.items() <= {
        r["DestinationCidrBlock"]: r.get("GatewayId") for r in pub["Routes"]}.items()
    assert any(r.get("NatGatewayId") == nats[0]["NatGatewayId"] and r["DestinationCidrBlock"] == "0.0.0.0/0"
               for r in priv["Routes"])
    assert {a["SubnetId"] for a in pub["Associations"] if a.get("SubnetId")} == {s["SubnetId"] for s in public}
    assert {a["SubnetId"] for a in priv["Associations"] if a.get("SubnetId")} == {s["SubnetId"] for s in private}

    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
    sg = {g["GroupName"].split("-", 1)[1]: g for g in groups if g["GroupName"].startswith("shop-")}
    ids = {k: v["GroupId"] for k, v in sg.items()}
    assert ingress(sg["alb"]) == {(80, "0.0.0.0/0"), (443, "0.0.0.0/0"), (80, "::/0"), (443, "::/0")}
    assert ingress(sg["bastion"]) == set(), "the bastion takes no inbound traffic"
    assert ingress(sg["review-services"]) == {(3000, ids["alb"]), (3000, ids["review-services"])}
    assert ingress(sg["review-database"]) == {(5432, ids["review-services"]), (5432, ids["bastion"])}
    assert ingress(sg["review-cache"]) == {(6379, ids["review-services"]), (6379, ids["bastion"])}


def test_dns_and_certificate(demo_review):
    client = demo_review["client"]
    zones = [z for z in client("route53").list_hosted_zones()["HostedZones"] if z["Name"] == "shop.example.com."]
    assert len(zones) == 1
    records = client("route53").list_resource_record_sets(HostedZoneId=zones[0]["Id"])["ResourceRecordSets"]
    cnames = [r for r in records if r["Type"] == "CNAME"]
    certs = [c for c in client("acm").list_certificates()["CertificateSummaryList"]
             if c["DomainName"] == "shop.example.com"]
    assert len(certs) == 1
    cert = client("acm").describe_certificate(CertificateArn=certs[0]["CertificateArn"])["Certificate"]
    assert cert["Status"] == "ISSUED"  # the run waited for it at the end
    assert sorted(cert["SubjectAlternativeNames"]) == ["*.shop.example.com", "shop.example.com"]
    wanted = cert["DomainValidationOptions"][0]["ResourceRecord"]
    assert [(r["Name"], r["ResourceRecords"][0]["Value"]) for r in cnames] == [(wanted["Name"], wanted["Value"])]
    name_servers = client("route53").get_hosted_zone(Id=zones[0]["Id"])["DelegationSet"]["NameServers"]
    assert "Delegate shop.example.com to: %s" % ", ".join(name_servers) in " ".join(demo_review["first"].stdout.split())


def test_bastion_hardened(demo_review):
    client = demo_review["client"]
    ec2 = client("ec2")
    found = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["shop-bastion"]},
                                            {"Name": "instance-state-name", "Values": ["pending", "running"]}])
    instances = [i for r in found["Reservations"] for i in r["Instances"]]
    assert len(instances) == 1
    bastion = instances[0]
    assert bastion["MetadataOptions"]["HttpTokens"] == "required"
    assert bastion["IamInstanceProfile"]["Arn"].endswith("/shop-bastion")
    assert "PublicIpAddress" not in bastion or not bastion["PublicIpAddress"]
    private = ec2.describe_subnets(SubnetIds=[bastion["SubnetId"]])["Subnets"][0]
    assert tags_of(private)["Tier"] == "private"
    image = ec2.describe_images(ImageIds=[bastion["ImageId"]])["Images"][0]
    assert image["Name"].startswith("al2023-ami-") and image["Architecture"] == "arm64"
    volume_id = bastion["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
    assert ec2.describe_volumes(VolumeIds=[volume_id])["Volumes"][0]["Encrypted"] is True
    policies = client("iam").list_attached_role_policies(RoleName="shop-bastion")["AttachedPolicies"]
    assert [p["PolicyName"] for p in policies] == ["AmazonSSMManagedInstanceCore"]


def test_check_mode_on_the_deployed_environment_changes_nothing(demo_review):
    assert_unchanged(playbook("site", "--check", *demo_review["extra"], environ=demo_review["environ"],
                              **demo_review["settings"]))


def test_teardown_keeps_shared_then_leaves_nothing(aws_env):
    """Its own deploy (app `gone`): data, then the shared network, then nothing; a second
    teardown finds nothing to do."""
    settings = dict(env="review", app_name="gone", base_domain="gone.example.com", coherence_file=DEMO)
    assert_ok(playbook("site", environ=aws_env, **settings))
    client = clients(aws_env)
    vpc = client("ec2").describe_vpcs(Filters=[{"Name": "tag:Application", "Values": ["gone"]}])["Vpcs"][0]["VpcId"]
    # A review bucket goes with what is in it (the embedded AWS takes requests as AWS's HTTPS
    # endpoints would: the TLS-only statement lets them in; docs/embedded-aws.md).
    s3 = client("s3")
    bucket = [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith("gone-review-api-up")][0]
    s3.put_object(Bucket=bucket, Key="avatar.png", Body=b"x")

    kept = assert_ok(playbook("teardown", environ=aws_env, keep_shared="true", **settings))
    assert "kept the network" in kept.stdout
    assert alive_tagged(client, "gone"), "the shared network went with keep_shared=true"
    # the environment's buckets went; the build's source bucket is the app's (kept with the network)
    assert [b["Name"][:12] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith("gone-")] == ["gone-source-"]

    # The last environment of the app: what the environments shared goes with it.
    assert_ok(playbook("teardown", environ=aws_env, **settings))
    assert leftovers(aws_env, "gone", [("123456789012", "us-east-1")], domain="gone.example.com") == []
    ec2 = client("ec2")
    assert ec2.describe_vpcs(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Vpcs"] == []
    assert ec2.describe_network_interfaces(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkInterfaces"] == []
    assert not [a for a in ec2.describe_addresses()["Addresses"] if tags_of(a).get("Application") == "gone"]
    assert "gone-bastion" not in [r["RoleName"] for r in client("iam").list_roles()["Roles"]]
    assert "gone-bastion" not in [p["InstanceProfileName"] for p in client("iam").list_instance_profiles()["InstanceProfiles"]]

    assert_unchanged(playbook("teardown", environ=aws_env, **settings))


def test_existing_vpc_is_used_and_never_deleted(aws_env, tmp_path):
    """The network role alone (app `ownvpc`), in a VPC the team made."""
    ec2 = clients(aws_env)("ec2")
    vpc = ec2.create_vpc(CidrBlock="172.31.0.0/16")["Vpc"]["VpcId"]
    azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock="172.31.%d.0/24" % i, AvailabilityZone=azs[i % 2])["Subnet"]["SubnetId"]
               for i in range(4)]
    use_existing = tmp_path / "existing.yml"
    use_existing.write_text("use_existing:\n  vpc:\n    vpc_id: %s\n    public_subnet_ids: [%s, %s]\n"
                            "    private_subnet_ids: [%s, %s]\n" % ((vpc,) + tuple(subnets)))
    settings = dict(env="review", app_name="ownvpc", coherence_file=os.path.join(FIXTURES, "monorepo.yml"))
    built = assert_ok(role_playbook("network", "create", "-e", "@%s" % use_existing, environ=aws_env, **settings))
    assert "VPC ownvpc (existing" in built.stdout
    groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]
    assert {"ownvpc-alb", "ownvpc-review-services", "ownvpc-review-database", "ownvpc-bastion"} <= {
        g["GroupName"] for g in groups}
    assert ec2.describe_vpcs(Filters=[{"Name": "tag:Application", "Values": ["ownvpc"]}])["Vpcs"] == []
    assert ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NatGateways"] == []
    assert_ok(role_playbook("network", "delete", "-e", "@%s" % use_existing, environ=aws_env, **settings))
    assert alive_tagged(clients(aws_env), "ownvpc") == []
    assert len(ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]) == 4, "the team's VPC was touched"


def test_check_mode_on_a_new_environment_creates_nothing(aws_env):
    settings = dict(env="review", app_name="dryrun", base_domain="dryrun.example.com", coherence_file=DEMO)
    checked = assert_ok(playbook("site", "--check", environ=aws_env, **settings))
    assert recap(checked.stdout)["changed"] > 0, "check mode should report what it would create"
    client = clients(aws_env)
    assert alive_tagged(client, "dryrun") == []
    assert not [z for z in client("route53").list_hosted_zones()["HostedZones"] if z["Name"] == "dryrun.example.com."]
    assert not [c for c in client("acm").list_certificates()["CertificateSummaryList"]
                if c["DomainName"] == "dryrun.example.com"]
