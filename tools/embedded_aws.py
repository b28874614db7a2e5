#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The embedded AWS: a moto server on 127.0.0.1, for the demo and the tests.

    embedded_aws.py start   start one (or reuse the running one); prints its URL
    embedded_aws.py url     print the running one's URL (exit 1 if none)
    embedded_aws.py env     print `export AWS_ENDPOINT_URL=...` and test credentials
    embedded_aws.py tagged APP   list what carries the tag Application=APP (both test accounts)
    embedded_aws.py stop    stop it by its recorded pid
    embedded_aws.py serve   (internal) run the server in the foreground

State (URL, port, pid) lives in $COHERENCE_EMBEDDED_AWS_DIR, default .embedded-aws/ in the
checkout. It never listens anywhere but 127.0.0.1.
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
    """True when a moto server answers at url."""
    try:
        urllib.request.urlopen(url + "/moto-api/reset-auth", data=b"", timeout=timeout).close()
    except urllib.error.HTTPError:
        return True  # it answered, whatever it said
    except (urllib.error.URLError, OSError):
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


def start(directory=None, timeout=60.0):
    """Start a server (or reuse the one already recorded there); return its state."""
    directory = directory or state_dir()
    state = running(directory)
    if state:
        return state
    os.makedirs(directory, exist_ok=True)
    port = _free_port()
    url = "http://%s:%d" % (HOST, port)
    log = open(os.path.join(directory, "server.log"), "ab")
    env = dict(os.environ, **SERVER_ENV)
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


def tagged(url, app, region="us-east-1"):
    """{account: [ARN, ...]} of everything tagged Application=app, through the tagging API."""
    import boto3

    out = {}
    base = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                 aws_session_token="testing", region_name=region)
    for account in ACCOUNTS:
        session = base
        if account != ACCOUNTS[0]:
            creds = base.client("sts", endpoint_url=url).assume_role(
                RoleArn="arn:aws:iam::%s:role/coherence-deploy" % account, RoleSessionName="embedded-aws")["Credentials"]
            session = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"],
                                            aws_secret_access_key=creds["SecretAccessKey"],
                                            aws_session_token=creds["SessionToken"], region_name=region)
        pages = session.client("resourcegroupstaggingapi", endpoint_url=url).get_paginator("get_resources").paginate(
            TagFilters=[{"Key": "Application", "Values": [app]}])
        out[account] = sorted(r["ResourceARN"] for page in pages for r in page["ResourceTagMappingList"])
    return out


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


def serve(port):
    from moto.server import main as moto_main

    apply_fidelity_patches()
    moto_main(["-H", HOST, "-p", str(port)])


def main(argv):
    command = argv[1] if len(argv) > 1 else "start"
    if command == "serve":
        serve(int(argv[2]))
        return 0
    if command == "start":
        print(start()["url"])
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
        if not state or len(argv) < 3:
            print("usage: %s tagged APP (with the embedded AWS running)" % argv[0], file=sys.stderr)
            return 1
        for account, arns in sorted(tagged(state["url"], argv[2]).items()):
            print("account %s: %d resource%s tagged Application=%s" % (account, len(arns), "" if len(arns) == 1 else "s",
                                                                      argv[2]))
            for arn in arns:
                print("  " + arn)
        return 0
    if command == "stop":
        print("stopped" if stop() else "was not running")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
