# -*- coding: utf-8 -*-
"""Shared test set-up: the collection on sys.path, the shared examples, the embedded AWS (one per
pytest-xdist worker), boto3 on it, and a network made with boto3 for module and role tests.

Helpers that are not fixtures live in tests/support.py; the names test modules import from here
(REPO, FIXTURES, playbook, run_module, ...) keep working.
"""

from __future__ import annotations

import json
import os
import sys
import uuid

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from support import (  # noqa: E402  (tests/ is on sys.path now)
    COLLECTIONS, DEMO, EXAMPLES, FIXTURES, REPO, assert_ok, clients, playbook, run, run_module, runner_playbook, venv_bin)

# What test modules import from here (older ones; new code imports support directly).
__all__ = ["EXAMPLES", "FIXTURES", "REPO", "embedded_aws", "playbook", "run", "run_module", "shared_examples", "venv_bin"]

# The checkout, importable as ansible_collections.coherence.aws (tools/setup makes the link).
_link = os.path.join(COLLECTIONS, "ansible_collections", "coherence", "aws")
if not os.path.lexists(_link):
    os.makedirs(os.path.dirname(_link), exist_ok=True)
    os.symlink(os.path.join("..", "..", ".."), _link)
sys.path.insert(0, COLLECTIONS)
sys.path.insert(0, os.path.join(REPO, "tools"))

import embedded_aws  # noqa: E402  (tools/, added above)


def pytest_sessionstart(session):
    """Test modules share one namespace (rootdir import mode, no packages): two files of the same
    name in different folders break collection of the whole suite, so say so on any run, even one
    that collects only one of them."""
    seen = {}
    for folder, _dirs, files in os.walk(HERE):
        for name in files:
            if name.startswith("test_") and name.endswith(".py"):
                seen.setdefault(name, []).append(os.path.relpath(os.path.join(folder, name), REPO))
    clashes = sorted(paths for paths in seen.values() if len(paths) > 1)
    if clashes:
        raise pytest.UsageError("test modules need unique file names: " + "; ".join(" and ".join(p) for p in clashes))


def shared_examples():
    """The real coherence.yml files in ../shared/coherence-examples (not copied here)."""
    if not os.path.isdir(EXAMPLES):
        return []
    return sorted(os.path.join(EXAMPLES, f) for f in os.listdir(EXAMPLES) if f.endswith(".yml"))


# Fixtures made once per pytest process (a deploy): every test that uses one runs on the same
# xdist worker (--dist loadgroup), so it is made once per suite run. A test module's own
# module-scoped fixtures (a fleet of environments, the built collection) keep that module's
# tests on one worker the same way.
SHARED_FIXTURES = {"demo_review": "demo-review"}


def pytest_itemcollected(item):
    """Tiers: what is under tests/integration or tests/sanity is marked `integration` (the fast
    tier, `tools/test --fast`, deselects it). Groups: a test that reads a shared deploy, or a
    fixture its module makes once, joins that xdist group (unless it names its own). Marked as
    each test is collected: a pytest-xdist worker reads the groups in its own
    pytest_collection_modifyitems, which may run before any of ours."""
    path = str(item.fspath)
    if os.sep + "integration" + os.sep in path or os.sep + "sanity" + os.sep in path:
        item.add_marker(pytest.mark.integration)
    if item.get_closest_marker("xdist_group") is None:
        group = _shared_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_collection_modifyitems(items):
    # The longest first, so that two workers finish together: molecule scenarios, the slow and
    # module-grouped ones, other groups. A module's tests stay together and in their order:
    # pytest tears a module's fixtures down when the next test is another module's, and a
    # fleet interleaved with other tests would be deployed twice.
    # (tools/test passes --no-loadscope-reorder: xdist would otherwise put the biggest groups first.)
    first = {}
    for index, item in enumerate(items):
        module = item.nodeid.split("::", 1)[0]
        weight, start = first.get(module, (5, index))
        first[module] = (min(weight, _weight(item)), start)
    order = {id(item): index for index, item in enumerate(items)}
    items.sort(key=lambda item: first[item.nodeid.split("::", 1)[0]] + (order[id(item)],))


def _shared_group(item):
    for fixture, group in SHARED_FIXTURES.items():
        if fixture in getattr(item, "fixturenames", ()):
            return group
    module = item.nodeid.split("::", 1)[0]
    info = getattr(item, "_fixtureinfo", None)
    for defs in (info.name2fixturedefs.values() if info else ()):
        if defs and defs[-1].scope == "module" and defs[-1].baseid == module:
            return os.path.basename(module)
    return None


def _weight(item):
    if os.path.basename(str(item.fspath)) == "test_molecule.py":
        return 0
    group = item.get_closest_marker("xdist_group")
    if item.get_closest_marker("slow") or (group and group.args and group.args[0].endswith(".py")):
        return 1
    if group:
        return 2
    return 3 if item.get_closest_marker("integration") else 4


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory):
    """A moto server of this pytest process's own on 127.0.0.1 (not the demo's; one per xdist
    worker, each on a free port); its URL."""
    directory = str(tmp_path_factory.mktemp("embedded-aws"))
    state = embedded_aws.start(directory)
    assert state["url"].startswith("http://127.0.0.1:")
    # boto3 in the tests themselves reaches this server only, never AWS.
    saved = {k: os.environ.get(k) for k in embedded_aws.client_env(state["url"])}
    os.environ.update(embedded_aws.client_env(state["url"]))
    yield state["url"]
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    embedded_aws.stop(directory)


def _aws_env(url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(embedded_aws.client_env(url))
    env["ANSIBLE_CONFIG"] = os.path.join(REPO, "ansible.cfg")
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_FORCE_COLOR"] = "0"
    return env


@pytest.fixture(scope="session")
def session_aws_env(moto_server):
    """aws_env for session- and module-scoped fixtures (a deploy shared by many tests)."""
    return _aws_env(moto_server)


@pytest.fixture
def aws_env(moto_server):
    """Environment that points botocore (boto3, every AWS module) at the test server only."""
    return _aws_env(moto_server)


@pytest.fixture
def aws(aws_env):
    """A boto3 client factory on the test server, moto's default account, us-east-1:
    aws('ec2'). For another account or region: support.clients(aws_env, account, region)."""
    return clients(aws_env)


@pytest.fixture
def boto3_session(aws_env):
    """A boto3 session bound to the test server (its endpoint is set on every client)."""
    import boto3

    class Session(boto3.session.Session):
        def client(self, *args, **kwargs):
            kwargs.setdefault("endpoint_url", aws_env["AWS_ENDPOINT_URL"])
            return super(Session, self).client(*args, **kwargs)

    return Session(aws_access_key_id=aws_env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=aws_env["AWS_SECRET_ACCESS_KEY"],
                   aws_session_token=aws_env["AWS_SESSION_TOKEN"], region_name="us-east-1")


def make_network(client, cidr_prefix="10.42", groups=("database", "cache")):
    """A VPC with two private subnets in two AZs and one security group per name in groups,
    made with boto3: what module tests and role-scoped tests stand on. Returns the shape the
    network role publishes (coherence_network): vpc_id, private_subnet_ids,
    availability_zones, security_groups {name: id}."""
    ec2 = client("ec2")
    suffix = uuid.uuid4().hex[:6]
    vpc = ec2.create_vpc(CidrBlock="%s.0.0/16" % cidr_prefix)["Vpc"]["VpcId"]
    azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]][:2]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock="%s.%d.0/24" % (cidr_prefix, i), AvailabilityZone=az)
               ["Subnet"]["SubnetId"] for i, az in enumerate(azs)]
    security_groups = {name: ec2.create_security_group(GroupName="%s-%s" % (name, suffix), Description=name,
                                                       VpcId=vpc)["GroupId"] for name in groups}
    return {"vpc_id": vpc, "private_subnet_ids": subnets, "public_subnet_ids": [], "availability_zones": azs,
            "security_groups": security_groups, "suffix": suffix}


@pytest.fixture
def network(aws):
    """A boto3-made VPC, two private subnets and database/cache security groups (see
    make_network), in the default account and us-east-1."""
    return make_network(aws)


DEMO_SECRET = "sk_test_never_printed_1234"


@pytest.fixture(scope="session")
def demo_review(session_aws_env, tmp_path_factory):
    """The review environment of examples/demo (app `shop`, with a user variable), deployed
    once with site.yml and only read by the tests that use it. A test that changes an
    environment (update, drift, teardown) deploys its own, under its own app name.
    The deploy goes through ansible-runner, as AWX and Automation Platform run a job template:
    `first` is a support.RunnerRun (stdout, stderr, returncode, and the runner's events and
    stats; tests/integration/test_awx.py reads them). `extra` gives playbook() the same
    variables as `-e`, `extravars` gives them to support.runner_playbook()."""
    settings = dict(env="review", app_name="shop", base_domain="shop.example.com", coherence_file=DEMO)
    user_vars = {"env_vars": {"STRIPE_KEY": DEMO_SECRET}}
    extra = ("-e", json.dumps(user_vars))
    extravars = dict(settings, **user_vars)
    first = assert_ok(runner_playbook("site", str(tmp_path_factory.mktemp("awx-demo-review")), session_aws_env, extravars),
                      tail=6000)
    return {"environ": session_aws_env, "settings": settings, "extra": extra, "extravars": extravars, "first": first,
            "client": clients(session_aws_env), "secret": DEMO_SECRET}
