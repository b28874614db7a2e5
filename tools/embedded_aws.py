#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The embedded AWS: a moto server on 127.0.0.1, for the demo and the tests.

    embedded_aws.py start   start one (or reuse the running one); prints its URL
    embedded_aws.py url     print the running one's URL (exit 1 if none)
    embedded_aws.py env     print `export AWS_ENDPOINT_URL=...` and test credentials
    embedded_aws.py tagged APP [--all]   list what carries the tag Application=APP (both test
                            accounts) with its state; --all also lists what is deleted
    embedded_aws.py stop    stop it by its recorded pid
    embedded_aws.py serve   (internal) run the server in the foreground

State (URL, port, pid) lives in $COHERENCE_EMBEDDED_AWS_DIR, default .embedded-aws/ in the
checkout. It never listens anywhere but 127.0.0.1.

Off unless asked for, the server can hold what AWS takes minutes to make in its "in progress"
status for a set time: `COHERENCE_EMBEDDED_AWS_DELAYS=rds=60,nat=20 embedded_aws.py start`, or
start(delays={"rds": 60, "nat": 20}); the kinds are in WAIT_KINDS (tools/benchmark.py uses it).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

HOST = "127.0.0.1"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Settings the server starts with: AWS-managed IAM policies exist (as in AWS), and requested
# ACM certificates are issued after a short wait instead of moto's 60 s.
SERVER_ENV = {
    "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
    "MOTO_ACM_VALIDATION_WAIT": "5",
}
# Simulated waits (see simulate_waits): "kind=seconds,..." in the server's environment. Each kind:
# what it holds, from which status to which.
DELAYS_ENV = "COHERENCE_EMBEDDED_AWS_DELAYS"
WAIT_KINDS = {
    "rds": "RDS DB instances: creating, then available",
    "rds_proxy": "RDS proxies: creating, then available",
    "elasticache": "ElastiCache replication groups: creating, then available",
    "cloudfront": "CloudFront distributions: InProgress, then Deployed (after each update too)",
    "nat": "NAT gateways: pending, then available",
    "acm": "ACM certificates: PENDING_VALIDATION, then ISSUED (instead of MOTO_ACM_VALIDATION_WAIT)",
}
# Credentials for the embedded AWS only (moto's default account 123456789012).
CLIENT_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def state_dir():
    return os.environ.get("COHERENCE_EMBEDDED_AWS_DIR") or os.path.join(ROOT, ".embedded-aws")


def _state_file(directory):
    return os.path.join(directory, "state.json")


def _read_state(directory):
    try:
        with open(_state_file(directory)) as handle:
            return json.load(handle)
    except (IOError, OSError, ValueError):
        return None


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def answers(url, timeout=1.0):
    """True when a moto server answers at url. The probe reads moto's configuration (GET
    /moto-api/config), a call that succeeds and changes nothing, so it leaves no traceback in the
    server's log."""
    try:
        urllib.request.urlopen(url + "/moto-api/config", timeout=timeout).close()
    except (urllib.error.URLError, OSError):  # HTTPError too: not a moto server
        return False
    return True


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def running(directory=None):
    """The running server's state, or None."""
    directory = directory or state_dir()
    state = _read_state(directory)
    if state and _alive(state["pid"]) and answers(state["url"]):
        return state
    return None


def parse_delays(text):
    """{kind: seconds} from "rds=60,nat=20" (nothing from ""); ValueError names a kind that is
    not in WAIT_KINDS or a time that is not a number of seconds."""
    delays = {}
    for item in (text or "").replace(" ", "").split(","):
        if not item:
            continue
        kind, _, seconds = item.partition("=")
        if kind not in WAIT_KINDS:
            raise ValueError("%s: unknown kind %r (kinds: %s)" % (DELAYS_ENV, kind, ", ".join(sorted(WAIT_KINDS))))
        try:
            delays[kind] = float(seconds)
        except ValueError:
            raise ValueError("%s: %s=%r is not a number of seconds" % (DELAYS_ENV, kind, seconds))
    return delays


def format_delays(delays):
    return ",".join("%s=%g" % (kind, seconds) for kind, seconds in sorted(delays.items()))


def start(directory=None, timeout=60.0, delays=None):
    """Start a server (or reuse the one already recorded there); return its state. delays
    ({kind: seconds}, see WAIT_KINDS) turns the simulated waits on; a running server is reused
    only with the same delays."""
    directory = directory or state_dir()
    delays = parse_delays(format_delays(delays or {}))  # checks the kinds before anything starts
    state = running(directory)
    if state:
        if state.get("delays", {}) != delays:
            raise RuntimeError("the embedded AWS in %s runs with delays %r, not %r: stop it first"
                               % (directory, state.get("delays", {}), delays))
        return state
    os.makedirs(directory, exist_ok=True)
    port = _free_port()
    url = "http://%s:%d" % (HOST, port)
    log = open(os.path.join(directory, "server.log"), "ab")
    env = dict(os.environ, **SERVER_ENV)
    env.pop(DELAYS_ENV, None)  # only what this call asks for: a test's server never inherits a shell's delays
    if delays:
        env[DELAYS_ENV] = format_delays(delays)
    proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env=env, start_new_session=True, close_fds=True)
    log.close()
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the embedded AWS exited at start (code %s); see %s"
                               % (proc.returncode, os.path.join(directory, "server.log")))
        if answers(url, timeout=0.5):
            state = {"url": url, "port": port, "pid": proc.pid}
            if delays:
                state["delays"] = delays
            with open(_state_file(directory), "w") as handle:
                json.dump(state, handle)
            return state
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the embedded AWS did not answer on %s within %ds" % (url, timeout))


def stop(directory=None, timeout=10.0):
    """Stop the server recorded in directory; True if one was stopped."""
    directory = directory or state_dir()
    state = _read_state(directory)
    stopped = False
    if state and _alive(state["pid"]):
        os.kill(state["pid"], signal.SIGTERM)
        deadline = time.time() + timeout
        while _alive(state["pid"]) and time.time() < deadline:
            _reap(state["pid"])
            time.sleep(0.1)
        if _alive(state["pid"]):
            os.kill(state["pid"], signal.SIGKILL)
            _reap(state["pid"])
        stopped = True
    try:
        os.remove(_state_file(directory))
    except OSError:
        pass
    return stopped


def _reap(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def client_env(url):
    """Environment for anything that should reach this server (boto3, ansible-playbook)."""
    return dict(CLIENT_ENV, AWS_ENDPOINT_URL=url)


# moto's default account, and the one production is assumed into in the demo and the tests.
ACCOUNTS = ("123456789012", "222222222222")


def _sessions(url, region):
    """(account, boto3 session) for each account the demo and the tests use."""
    import boto3

    base = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                 aws_session_token="testing", region_name=region)
    yield ACCOUNTS[0], base
    for account in ACCOUNTS[1:]:
        creds = base.client("sts", endpoint_url=url).assume_role(
            RoleArn="arn:aws:iam::%s:role/coherence-deploy" % account, RoleSessionName="embedded-aws")["Credentials"]
        yield account, boto3.session.Session(aws_access_key_id=creds["AccessKeyId"],
                                             aws_secret_access_key=creds["SecretAccessKey"],
                                             aws_session_token=creds["SessionToken"], region_name=region)


# How to read the state of what the tagging API lists: (ARN part, service, read(client, arn) ->
# state). AWS, and moto, keep listing for a while what was deleted: terminated instances,
# deleted NAT gateways, keys and secrets waiting out their deletion window.
STATE_READERS = (
    (":instance/", "ec2", lambda c, arn: c.describe_instances(InstanceIds=[arn.rsplit("/", 1)[1]])[
        "Reservations"][0]["Instances"][0]["State"]["Name"]),
    (":natgateway/", "ec2", lambda c, arn: c.describe_nat_gateways(NatGatewayIds=[arn.rsplit("/", 1)[1]])[
        "NatGateways"][0]["State"]),
    (":volume/", "ec2", lambda c, arn: c.describe_volumes(VolumeIds=[arn.rsplit("/", 1)[1]])["Volumes"][0]["State"]),
    (":kms:", "kms", lambda c, arn: c.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"]),
    (":secretsmanager:", "secretsmanager",
     lambda c, arn: "scheduled for deletion" if "DeletedDate" in c.describe_secret(SecretId=arn) else "active"),
    (":rds:", "rds", lambda c, arn: _rds_state(c, arn)),
    (":elasticache:", "elasticache", lambda c, arn: c.describe_replication_groups(
        ReplicationGroupId=arn.rsplit(":", 1)[1])["ReplicationGroups"][0]["Status"]),
    (":acm:", "acm", lambda c, arn: c.describe_certificate(CertificateArn=arn)["Certificate"]["Status"]),
)
# States after which a resource is gone, although AWS still lists it for a while.
GONE = frozenset(("terminated", "deleted", "PendingDeletion", "PendingReplicaDeletion", "scheduled for deletion",
                  "not found"))


def _rds_state(client, arn):
    if ":db:" in arn:
        return client.describe_db_instances(DBInstanceIdentifier=arn.split(":db:", 1)[1])["DBInstances"][0][
            "DBInstanceStatus"]
    if ":snapshot:" in arn:  # automated snapshots' names hold a colon: rds:<instance>-<date>
        return client.describe_db_snapshots(DBSnapshotIdentifier=arn.split(":snapshot:", 1)[1])["DBSnapshots"][0][
            "Status"]
    if ":db-proxy:" in arn:
        found = [p for p in client.describe_db_proxies()["DBProxies"] if p["DBProxyArn"] == arn]
        return found[0]["Status"] if found else "not found"
    return None


def resource_state(session, url, arn):
    """The state of the resource at arn ('running', 'deleted', ...), or None where the kind has
    no state to read."""
    import botocore.exceptions

    for part, service, read in STATE_READERS:
        if part in arn:
            try:
                return read(session.client(service, endpoint_url=url), arn)
            except (botocore.exceptions.ClientError, IndexError, KeyError):
                return "not found"
    return None


def tagged(url, app, region="us-east-1"):
    """{account: [{arn, state, gone}]} of everything tagged Application=app, through the tagging
    API, each with its state where it has one; gone is True for what is deleted but still listed."""
    out = {}
    for account, session in _sessions(url, region):
        pages = session.client("resourcegroupstaggingapi", endpoint_url=url).get_paginator("get_resources").paginate(
            TagFilters=[{"Key": "Application", "Values": [app]}])
        arns = sorted(r["ResourceARN"] for page in pages for r in page["ResourceTagMappingList"])
        out[account] = []
        for arn in arns:
            state = resource_state(session, url, arn)
            out[account].append({"arn": arn, "state": state, "gone": state in GONE})
    return out


def print_tagged(url, app, everything=False):
    """What `tagged APP` prints: what is live, with its state; what is gone counted, or listed
    with --all."""
    for account, found in sorted(tagged(url, app).items()):
        live = [r for r in found if not r["gone"]]
        gone = [r for r in found if r["gone"]]
        print("account %s: %d resource%s tagged Application=%s" % (account, len(live), "" if len(live) == 1 else "s",
                                                                  app))
        for res in found if everything else live:
            print("  %s%s" % (res["arn"], "  [%s]" % res["state"] if res["state"] else ""))
        if gone and not everything:
            print("  (and %d deleted but still listed by AWS for a while, not shown: --all shows them)" % len(gone))


def apply_fidelity_patches():
    """Where moto differs from AWS's documented behaviour, restore AWS's. Each patch names what
    it restores; tests/integration/test_embedded_aws.py checks each one over HTTP."""
    from moto.ec2 import utils as ec2_utils

    # EC2 DescribeTags: the resource-type of a NAT gateway is 'natgateway' and of an Elastic IP
    # 'elastic-ip' (EC2 API Reference, DescribeTags, filter resource-type). moto says
    # 'nat-gateway' and 'vpc-elastic-ip', so amazon.aws.ec2_vpc_nat_gateway re-tags on every run.
    ec2_utils.EC2_PREFIX_TO_RESOURCE["nat"] = "natgateway"
    ec2_utils.EC2_PREFIX_TO_RESOURCE["eipalloc"] = "elastic-ip"

    # EC2 DeleteNatGateway: the gateway's network interface is deleted and its Elastic IP
    # disassociated (VPC user guide, "Delete a NAT gateway"). moto leaves the interface behind,
    # so a deleted VPC still held an ENI.
    from moto.ec2.models.nat_gateways import NatGatewayBackend

    delete_nat_gateway = NatGatewayBackend.delete_nat_gateway

    def delete_nat_gateway_and_its_interface(self, nat_gateway_id):
        gateway = delete_nat_gateway(self, nat_gateway_id)
        eni = getattr(gateway, "_eni", None)
        if eni is not None and eni.id in self.enis:
            for address in self.addresses:
                if address.eni is eni:
                    address.eni = None
                    address.association_id = None
            del self.enis[eni.id]
        return gateway

    NatGatewayBackend.delete_nat_gateway = delete_nat_gateway_and_its_interface

    # EC2 CreateNatGateway with an Elastic IP already associated elsewhere: the gateway is made
    # and goes to 'failed', FailureCode Resource.AlreadyAssociated (VPC user guide, "Troubleshoot
    # NAT gateways: NAT gateway goes to a status of Failed"; EC2 API Reference, NatGateway
    # FailureCode). moto refused the call instead, so nothing could see a failed gateway.
    create_nat_gateway = NatGatewayBackend.create_nat_gateway

    def create_nat_gateway_that_may_fail(self, subnet_id, allocation_id, tags=None, connectivity_type="public"):
        found = self.address_by_allocation([allocation_id]) if allocation_id and connectivity_type != "private" else []
        if not (found and (found[0].eni is not None or found[0].instance is not None)):
            return create_nat_gateway(self, subnet_id, allocation_id, tags=tags, connectivity_type=connectivity_type)
        gateway = create_nat_gateway(self, subnet_id, None, tags=tags, connectivity_type=connectivity_type)
        self.enis.pop(gateway._eni.id, None)  # a failed gateway has no interface
        gateway.state = "failed"
        gateway.failure_code = "Resource.AlreadyAssociated"
        gateway.failure_message = "Elastic IP address [%s] is already associated" % allocation_id
        gateway.address_set = [{"allocationId": allocation_id}]
        return gateway

    NatGatewayBackend.create_nat_gateway = create_nat_gateway_that_may_fail

    # KMS ScheduleKeyDeletion, CancelKeyDeletion, EnableKey, DisableKey: KeyId is a key id or a
    # key ARN, not an alias (KMS API Reference, KeyId of each); an unknown key is NotFoundException.
    # moto took the id only and answered an ARN (or anything unknown) with a 500. The lookup is
    # moto's exact one (get_key_id: a key id, or the id in a key ARN), never an alias.
    # amazon.aws.kms_key sends the ARN (deleting a key, and re-enabling it when an environment
    # is deployed again within the waiting period).
    from moto.kms.exceptions import NotFoundException as KmsNotFound
    from moto.kms.models import KmsBackend

    def by_id_or_arn(method):
        def call(self, key_id, *args, **kwargs):
            exact = self.get_key_id(key_id)
            if exact not in self.keys:
                raise KmsNotFound("Invalid keyId %s" % key_id)
            return method(self, exact, *args, **kwargs)
        return call

    for name in ("schedule_key_deletion", "cancel_key_deletion", "enable_key", "disable_key"):
        setattr(KmsBackend, name, by_id_or_arn(getattr(KmsBackend, name)))

    # ElastiCache DeleteReplicationGroup: the group answers 'deleting', then is gone (ElastiCache
    # user guide, "Deleting a replication group"). moto kept it 'deleting' for ever; like its
    # other instant transitions, it is now gone at once (the response still says 'deleting').
    from moto.elasticache.exceptions import CacheSubnetGroupNotFound
    from moto.elasticache.exceptions import ElastiCacheException
    from moto.elasticache.exceptions import InvalidParameterCombinationException
    from moto.elasticache.models import ElastiCacheBackend
    from moto.elasticache.responses import ElastiCacheResponse
    from moto.core.responses import EmptyResult

    delete_replication_group = ElastiCacheBackend.delete_replication_group

    def delete_replication_group_to_the_end(self, replication_group_id, retain_primary_cluster):
        group = delete_replication_group(self, replication_group_id, retain_primary_cluster)
        self.replication_groups.pop(replication_group_id, None)
        return group

    ElastiCacheBackend.delete_replication_group = delete_replication_group_to_the_end

    # ElastiCache DeleteCacheSubnetGroup (ElastiCache API Reference): moto lacks the call. AWS
    # refuses a group a replication group or cache cluster still uses (CacheSubnetGroupInUse).
    # moto never finishes deleting a cache cluster, so one it marked 'deleting' counts as gone.
    class CacheSubnetGroupInUse(ElastiCacheException):
        code = "CacheSubnetGroupInUse"

    def delete_cache_subnet_group(self):
        name = self._get_param("CacheSubnetGroupName")
        backend = self.elasticache_backend
        if name not in backend.cache_subnet_groups:
            raise CacheSubnetGroupNotFound(name)
        users = sorted([g.replication_group_id for g in backend.replication_groups.values() if g.cache_subnet_group_name == name] +
                       [c.cache_cluster_id for c in backend.cache_clusters.values()
                        if c.cache_subnet_group_name == name and c.cache_cluster_status != "deleting"])
        if users:
            raise CacheSubnetGroupInUse("Cache subnet group %s is currently in use by %s" % (name, ", ".join(users)))
        del backend.cache_subnet_groups[name]
        return EmptyResult()

    ElastiCacheResponse.delete_cache_subnet_group = delete_cache_subnet_group

    # ElastiCache ModifyReplicationGroup, TransitEncryptionEnabled and TransitEncryptionMode
    # (ElastiCache user guide, "Enabling in-transit encryption on an existing cluster"): TLS goes
    # on with mode 'preferred', and 'required' is a later modification; off goes back through
    # 'preferred'. moto ignored both parameters.
    modify_replication_group = ElastiCacheResponse.modify_replication_group

    def modify_replication_group_with_tls(self):
        group = self.elasticache_backend.describe_replication_groups(self._get_param("ReplicationGroupId"))[0]
        enabled = self._get_bool_param("TransitEncryptionEnabled")
        mode = self._get_param("TransitEncryptionMode")
        was_on = bool(group.transit_encryption_enabled)
        if enabled and not was_on and mode != "preferred":
            raise InvalidParameterCombinationException(
                "TransitEncryptionMode must be preferred when enabling in-transit encryption on an existing group")
        if enabled is False and was_on and (group.transit_encryption_mode or "required") == "required":
            raise InvalidParameterCombinationException(
                "TransitEncryptionMode must be preferred before in-transit encryption can be disabled")
        if mode and not (enabled or (enabled is None and was_on)):
            raise InvalidParameterCombinationException("TransitEncryptionMode needs in-transit encryption enabled")
        result = modify_replication_group(self)
        if enabled is not None:
            group.transit_encryption_enabled = enabled
            group.transit_encryption_mode = mode if enabled else None
        elif mode:
            group.transit_encryption_mode = mode
        return result

    ElastiCacheResponse.modify_replication_group = modify_replication_group_with_tls

    # RDS ModifyDBProxy (RDS API Reference): changes a proxy's name, logins, TLS requirement,
    # idle timeout, debug logging, role and security groups, answering the proxy. moto lacks it
    # (500).
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.rds.responses import RDSResponse

    def modify_db_proxy(self):
        params = self.params
        proxy = self.backend.describe_db_proxies(params["DBProxyName"])[0]  # DBProxyNotFoundFault
        for param, attribute in (("Auth", "auth"), ("RequireTLS", "require_tls"), ("DebugLogging", "debug_logging"),
                                 ("RoleArn", "role_arn"), ("SecurityGroups", "vpc_security_group_ids")):
            if params.get(param) is not None:
                setattr(proxy, attribute, params[param])
        if params.get("IdleClientTimeout") is not None:
            proxy.idle_client_timeout = min(max(int(params["IdleClientTimeout"]), 1), 28800)
        if params.get("NewDBProxyName"):
            self.backend.db_proxies[params["NewDBProxyName"]] = self.backend.db_proxies.pop(proxy.db_proxy_name)
            proxy.db_proxy_name = params["NewDBProxyName"]
        proxy.updated_date = utcnow()
        return ActionResult({"DBProxy": proxy})

    RDSResponse.modify_db_proxy = modify_db_proxy

    # Secrets Manager GetSecretValue on a secret scheduled for deletion: InvalidRequestException
    # "You can't perform this operation on the secret because it was marked for deletion."
    # (Secrets Manager API Reference, GetSecretValue, Errors). moto words it otherwise, so
    # readers that recognise AWS's wording (amazon.aws's secretsmanager_secret lookup,
    # on_deleted) took a deleted secret for an error, and a redeploy within the recovery window
    # failed.
    from moto.secretsmanager.exceptions import InvalidRequestException as SecretInvalidRequest
    from moto.secretsmanager.models import SecretsManagerBackend

    get_secret_value = SecretsManagerBackend.get_secret_value

    def get_secret_value_as_aws_words_it(self, secret_id, version_id, version_stage):
        if self._is_valid_identifier(secret_id) and self.secrets[secret_id].is_deleted():
            raise SecretInvalidRequest("You can't perform this operation on the secret because it was marked for deletion.")
        return get_secret_value(self, secret_id, version_id, version_stage)

    SecretsManagerBackend.get_secret_value = get_secret_value_as_aws_words_it
    # ELBv2 DescribeLoadBalancerAttributes of an application load balancer answers every
    # attribute with its default (Elastic Load Balancing user guide, "Load balancer attributes":
    # idle timeout 60, HTTP/2 on, desync mitigation defensive, invalid header fields kept, ...).
    # moto answered four, and amazon.aws.elb_application_lb fails on the first missing one.
    from moto.elbv2.models import FakeLoadBalancer

    alb_defaults = {
        "access_logs.s3.enabled": "false", "idle_timeout.timeout_seconds": "60", "routing.http2.enabled": "true",
        "routing.http.desync_mitigation_mode": "defensive", "routing.http.drop_invalid_header_fields.enabled": "false",
        "routing.http.preserve_host_header.enabled": "false", "routing.http.xff_client_port.enabled": "false",
        "routing.http.xff_header_processing.mode": "append", "waf.fail_open.enabled": "false",
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false", "client_keep_alive.seconds": "3600",
    }
    load_balancer_init = FakeLoadBalancer.__init__

    def load_balancer_with_all_attributes(self, *args, **kwargs):
        load_balancer_init(self, *args, **kwargs)
        if self.type == "application":
            for key, value in alb_defaults.items():
                self.attrs.setdefault(key, value)

    FakeLoadBalancer.__init__ = load_balancer_with_all_attributes

    # CloudFront distributions keep an origin's OriginAccessControlId and a cache behaviour's
    # LambdaFunctionAssociations as they were sent (CloudFront API Reference, Origin and
    # CacheBehavior; GetDistributionConfig answers them). moto dropped both, so what a module
    # set could not be read back.
    from moto.cloudfront import models as cloudfront_models

    origin_init = cloudfront_models.Origin.__init__

    def origin_with_access_control(self, origin):
        origin_init(self, origin)
        self.origin_access_control_id = origin.get("OriginAccessControlId") or ""

    cloudfront_models.Origin.__init__ = origin_with_access_control
    behaviour_init = cloudfront_models.DefaultCacheBehaviour.__init__

    def behaviour_with_lambda_associations(self, config):
        behaviour_init(self, config)
        associations = (config.get("LambdaFunctionAssociations") or {}).get("Items") or []
        self.lambda_function_associations = {"Quantity": len(associations), "Items": associations}

    cloudfront_models.DefaultCacheBehaviour.__init__ = behaviour_with_lambda_associations

    # ECS CreateService with a capacity provider strategy: the service has that strategy and no
    # launch type (the two are exclusive), and keeps its deploymentConfiguration (circuit
    # breaker), healthCheckGracePeriodSeconds, enableECSManagedTags and propagateTags (ECS API
    # Reference, CreateService and Service). moto answered launchType EC2 without the strategy
    # and dropped the rest, so a service could not be compared with what created it.
    from moto.ecs.responses import EC2ContainerServiceResponse

    create_service = EC2ContainerServiceResponse.create_service

    def create_service_as_asked(self):
        strategy = self._get_param("capacityProviderStrategy")
        if strategy and self._get_param("launchType"):
            from moto.ecs.exceptions import InvalidParameterException
            raise InvalidParameterException("Specify either Launch Type or Capacity Provider Strategy, but not both.")
        result = create_service(self)
        service = self.ecs_backend.describe_services(self._get_param("cluster", "default"),
                                                     [self._get_param("serviceName")])[0][0]
        if strategy:
            service.capacity_provider_strategy = [dict({"base": 0, "weight": 1}, **s) for s in strategy]
            service.launch_type = None
            for deployment in service.deployments:
                deployment["launchType"] = None
                deployment["capacityProviderStrategy"] = service.capacity_provider_strategy
        for param, attribute in (("deploymentConfiguration", "deployment_configuration"),
                                 ("healthCheckGracePeriodSeconds", "health_check_grace_period_seconds"),
                                 ("enableECSManagedTags", "enable_ecs_managed_tags")):
            if self._get_param(param) is not None:
                setattr(service, attribute, self._get_param(param))
        return result

    EC2ContainerServiceResponse.create_service = create_service_as_asked

    # EC2 NetworkInterface privateDnsName: ip-<address with dashes>.ec2.internal in us-east-1,
    # .<region>.compute.internal elsewhere (EC2 user guide, "EC2 instance hostnames"). moto set it
    # only in VPCs with DNS hostnames enabled, and ECS RunTask of an awsvpc task (which names it)
    # answered 500 elsewhere.
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface

    def get_private_dns_name(self):
        if self.__dict__.get("_private_dns_name"):
            return self.__dict__["_private_dns_name"]
        address = (self.private_ip_address or "").replace(".", "-")
        region = self.ec2_backend.region_name
        return "ip-%s.%s" % (address, "ec2.internal" if region == "us-east-1" else region + ".compute.internal")

    def set_private_dns_name(self, value):
        self.__dict__["_private_dns_name"] = value

    NetworkInterface.private_dns_name = property(get_private_dns_name, set_private_dns_name)

    # ECS RunTask of a Fargate task definition whose containers set no memory of their own: the
    # task-level memory is what counts (ECS developer guide, "Task size": container-level memory
    # is optional on Fargate). moto summed the containers' memory and answered 500 on None.
    from moto.ecs.models import EC2ContainerServiceBackend as EcsBackend

    requirements = EcsBackend._calculate_task_resource_requirements

    def task_level_memory(task_definition):
        containers = task_definition.container_definitions
        if all(c.get("memory") or c.get("memoryReservation") or c.get("Memory") or c.get("MemoryReservation")
               for c in containers):
            return requirements(task_definition)
        share = int(task_definition.memory or 0) // max(1, len(containers))

        class Sized(object):
            container_definitions = [dict({"memory": share}, **c) if not (c.get("memory") or c.get("memoryReservation"))
                                     else c for c in containers]

        return requirements(Sized())

    EcsBackend._calculate_task_resource_requirements = staticmethod(task_level_memory)

    # ECS: a stopped Fargate task's network interface is deleted (ECS developer guide, "Fargate
    # task networking": the ENI is detached and deleted when the task stops); moto kept it, so
    # its subnet and security group could not be deleted after a one-off task.
    # And a test hook, not a fidelity patch: moto runs no container, so a stopped task's
    # container always "exited" 0. A task of a task definition tagged `embedded-aws:exit-code`
    # stops with its container exiting that code (stopCode EssentialContainerExited), so that
    # the failure path of a one-off task (a migration) is testable over HTTP. Tasks reach STOPPED
    # at the first look, as moto's other resources are instant.
    from moto.ecs.models import EC2ContainerServiceBackend
    from moto.ec2.models import ec2_backends
    from moto.moto_api import state_manager

    state_manager.set_transition(model_name="ecs::task", transition={"progression": "immediate"})
    describe_tasks = EC2ContainerServiceBackend.describe_tasks

    def describe_tasks_as_stopped(self, cluster_str, tasks):
        found = describe_tasks(self, cluster_str, tasks)
        for task in found:
            if task.last_status != "STOPPED" or getattr(task, "_stopped_as_aws", False):
                continue
            task._stopped_as_aws = True
            tags = dict((t["key"], t["value"]) for t in self.list_tags_for_resource(task.task_definition_arn) or [])
            code = int(tags.get("embedded-aws:exit-code", 0))
            for container in task.containers:
                container.exitCode = code
                container.last_status = "STOPPED"
            task.desired_status = "STOPPED"
            task.stop_code = "EssentialContainerExited"
            task.stopped_reason = "Essential container in task exited"
            ec2 = ec2_backends[self.account_id][self.region_name]
            for attachment in task.attachments:
                for detail in attachment.get("details", []):
                    if detail["name"] == "networkInterfaceId" and detail["value"] in ec2.enis:
                        ec2.delete_network_interface(detail["value"])
                attachment["status"] = "DELETED"
        return found

    EC2ContainerServiceBackend.describe_tasks = describe_tasks_as_stopped

    # CodeBuild UpdateProject (CodeBuild API Reference, UpdateProject): each setting given
    # replaces the project's (tags included: CodeBuild has no other tagging call), the rest is
    # kept, lastModifiedDate moves, and the answer is the project. moto lacks the call (500).
    from moto.codebuild.exceptions import ResourceNotFoundException as CodeBuildNotFound
    from moto.codebuild.responses import CodeBuildResponse
    from moto.core.utils import unix_time

    def update_project(self):
        name = self._get_param("name")
        project = self.codebuild_backend.codebuild_projects.get(name)
        if project is None:
            raise CodeBuildNotFound("Project not found: %s" % name)
        metadata = project.project_metadata
        for key in ("description", "source", "artifacts", "environment", "serviceRole", "timeoutInMinutes",
                    "queuedTimeoutInMinutes", "encryptionKey", "tags", "cache", "logsConfig", "vpcConfig",
                    "sourceVersion", "secondarySources", "secondaryArtifacts", "badgeEnabled"):
            value = self._get_param(key)
            if value is not None:
                metadata[key] = value
        project.tags = metadata.get("tags")
        metadata["lastModifiedDate"] = unix_time()
        return ActionResult({"project": metadata})

    CodeBuildResponse.update_project = update_project

    # CodeBuild CreateProject, source.location and artifacts.location: a CODEPIPELINE source or
    # artifact has none ("If type is set to CODEPIPELINE, CodePipeline ignores this value";
    # CodeBuild API Reference, ProjectSource and ProjectArtifacts), nor a NO_SOURCE source.
    # moto required a location for them.
    from moto.codebuild import responses as codebuild_responses

    def located(validate, types):
        def check(value):
            if value.get("type") in types and "location" not in value:
                value = dict(value, location="-")
            validate(value)
        return check

    codebuild_responses._validate_required_params_source = located(
        codebuild_responses._validate_required_params_source, ("CODEPIPELINE", "NO_SOURCE"))
    codebuild_responses._validate_required_params_artifacts = located(
        codebuild_responses._validate_required_params_artifacts, ("CODEPIPELINE",))

    # S3 bucket policies, aws:SecureTransport: AWS's endpoints are HTTPS, so a request through
    # them has aws:SecureTransport true (IAM User Guide, global condition context keys) and a
    # TLS-only statement (Deny when aws:SecureTransport is false) does not apply to it. moto
    # cannot evaluate a Bool condition and applied the Deny to every object request. The
    # embedded AWS stands for AWS's HTTPS endpoints on plain HTTP at 127.0.0.1: a bucket policy is
    # evaluated without its TLS-only statements, the rest as moto does.
    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3.models import FakeBucket

    def tls_only(statement):
        return statement.get("Effect") == "Deny" and statement.get("Condition") == {
            "Bool": {"aws:SecureTransport": "false"}}

    def permission_over_tls(self, action, resource):
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = json.loads(self.policy.decode())
        statements = policy.get("Statement", [])
        statements = [st for st in (statements if isinstance(statements, list) else [statements]) if not tls_only(st)]
        if not statements:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps(dict(policy, Statement=statements))).is_action_permitted(action, resource)

    FakeBucket.get_permission = permission_over_tls


def _hold(cls, attribute, busy, ready, seconds):
    """cls.<attribute> reads `busy` for `seconds` after it is first set (the object is made),
    while moto has it `ready`; any other value moto sets (deleting, stopped, failed) reads as set,
    at once. moto's own checks read it too, so a creating database cannot be stopped (as on AWS)."""
    value_key, since_key = "_held_" + attribute, "_held_%s_since" % attribute

    def read(self):
        value = self.__dict__.get(value_key)
        if value == ready and time.monotonic() < self.__dict__[since_key] + seconds:
            return busy
        return value

    def write(self, value):
        self.__dict__.setdefault(since_key, time.monotonic())
        self.__dict__[value_key] = value

    setattr(cls, attribute, property(read, write))


def simulate_waits(delays):
    """Not a fidelity patch: moto makes everything at once, AWS does not. With delays ({kind:
    seconds}, WAIT_KINDS), what AWS takes minutes to make reads as AWS reports it meanwhile, for
    that many seconds after it is made, then as ready, so that a run's waits cost time here too
    (tools/benchmark.py --simulate-waits). Only the status is held: calls on a held resource
    (modify, delete) proceed as moto has them, and teardown works whatever the delays."""
    from moto.ec2.models.nat_gateways import NatGateway
    from moto.elasticache.models import ReplicationGroup
    from moto.rds.models import DBInstance, DBProxy

    # The status AWS reports while it works (RDS DBInstance.DBInstanceStatus and DBProxy.Status,
    # ElastiCache ReplicationGroup.Status, EC2 NatGateway.State), then the one moto has.
    for kind, cls, attribute, busy in (("rds", DBInstance, "status", "creating"), ("rds_proxy", DBProxy, "status", "creating"),
                                       ("elasticache", ReplicationGroup, "status", "creating"),
                                       ("nat", NatGateway, "state", "pending")):
        if kind in delays:
            _hold(cls, attribute, busy, "available", delays[kind])

    # ACM: moto issues a requested certificate once MOTO_ACM_VALIDATION_WAIT seconds have passed.
    if "acm" in delays:
        from moto import settings

        settings.ACM_VALIDATION_WAIT = delays["acm"]

    # CloudFront: a distribution is InProgress until deployed, after its creation and after each
    # UpdateDistribution (CloudFront API Reference, Distribution.Status). moto's state manager
    # times the first; an update starts it again.
    if "cloudfront" in delays:
        from datetime import datetime

        from moto.cloudfront.models import CloudFrontBackend
        from moto.moto_api import state_manager

        state_manager.set_transition(model_name="cloudfront::distribution",
                                     transition={"progression": "time", "seconds": delays["cloudfront"]})
        update_distribution = CloudFrontBackend.update_distribution

        def update_then_deploy(self, dist_config, _id, if_match):
            dist, location, etag = update_distribution(self, dist_config, _id, if_match)
            dist.status = "InProgress"
            dist._time_progressed = datetime.now()  # the state manager's clock for this distribution
            return dist, location, etag

        CloudFrontBackend.update_distribution = update_then_deploy


def serve(port):
    from moto.server import main as moto_main

    apply_fidelity_patches()
    delays = parse_delays(os.environ.get(DELAYS_ENV))
    if delays:
        simulate_waits(delays)
    moto_main(["-H", HOST, "-p", str(port)])


def main(argv):
    command = argv[1] if len(argv) > 1 else "start"
    if command == "serve":
        serve(int(argv[2]))
        return 0
    if command == "start":
        try:
            delays = parse_delays(os.environ.get(DELAYS_ENV))
        except ValueError as e:
            print(e, file=sys.stderr)
            return 2
        print(start(delays=delays)["url"])
        return 0
    if command == "url":
        state = running()
        if not state:
            print("the embedded AWS is not running; start it with %s start" % argv[0], file=sys.stderr)
            return 1
        print(state["url"])
        return 0
    if command == "env":
        state = running()
        if not state:
            print("the embedded AWS is not running", file=sys.stderr)
            return 1
        for key, value in sorted(client_env(state["url"]).items()):
            print("export %s=%s" % (key, value))
        return 0
    if command == "tagged":
        state = running()
        names = [a for a in argv[2:] if a != "--all"]
        if not state or len(names) != 1:
            print("usage: %s tagged APP [--all]   (with the embedded AWS running)" % argv[0], file=sys.stderr)
            return 1
        print_tagged(state["url"], names[0], everything="--all" in argv[2:])
        return 0
    if command == "stop":
        print("stopped" if stop() else "was not running")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


def project_python(argv):
    """Run under the checkout's .venv (the pinned moto) whatever python started this script:
    re-execute with .venv/bin/python, or say how to make it."""
    venv = os.path.join(ROOT, ".venv")
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        return
    python = os.path.join(venv, "bin", "python")
    if os.access(python, os.X_OK):
        os.execv(python, [python, os.path.abspath(__file__)] + argv[1:])
    sys.exit("%s: the embedded AWS runs with the project's pinned moto, in %s, which does not exist yet:\n"
             "  run tools/setup --demo (or tools/demo), then %s/bin/python %s" % (argv[0], venv, venv, " ".join(argv)))


if __name__ == "__main__":
    project_python(sys.argv)
    sys.exit(main(sys.argv))
