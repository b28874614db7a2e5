# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every wait of our modules, on amazon.aws's waiter factory (throttling is a retry, never a state).

botocore's own definitions where it has one (EC2 NatGatewayAvailable, RDS DBInstanceAvailable,
ElastiCache ReplicationGroupAvailable/Deleted), widened by the states AWS documents as ones a
resource does not leave by itself; ours where botocore has none (RDS Proxy, ACM issue). A wait
therefore fails at the first poll that sees a failed resource, not at its timeout."""

try:
    import botocore
    import jmespath
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.waiter import BaseWaiterFactory


def _waiter(operation, status, success, failed=(), delay=15, matcher="pathAll", missing=None, missing_means="failure",
            detail=None):
    """A waiter definition: `status` (a JMESPath) reaching `success`; any of `failed` (or the
    error `missing`, with missing_means) stops it. `status` also names the state in messages,
    `detail` (a JMESPath) what AWS says about a failure."""
    acceptors = [dict(state="success", matcher=matcher, argument=status, expected=success)]
    acceptors += [dict(state="failure", matcher="pathAny" if matcher == "pathAll" else matcher,
                       argument=status, expected=state) for state in failed]
    if missing:
        acceptors.append(dict(state=missing_means, matcher="error", expected=missing))
    return dict(operation=operation, delay=delay, maxAttempts=1, acceptors=acceptors, status=status, detail=detail)


# What each resource's states mean (AWS documentation of each Status / State field).
WAITERS = {
    # EC2 API Reference, NatGateway.State; botocore's NatGatewayAvailable.
    "nat_gateway_available": _waiter("DescribeNatGateways", "NatGateways[].State", "available",
                                     ("failed", "deleting", "deleted"), missing="NatGatewayNotFound",
                                     missing_means="retry", detail="NatGateways[].FailureMessage"),
    # RDS User Guide, "Viewing Amazon RDS DB instance status": botocore's DBInstanceAvailable
    # failure states plus those an instance does not leave without someone acting.
    "db_instance_available": _waiter("DescribeDBInstances", "DBInstances[].DBInstanceStatus", "available",
                                     ("deleted", "deleting", "failed", "incompatible-restore", "incompatible-parameters",
                                      "incompatible-network", "incompatible-option-group", "inaccessible-encryption-credentials",
                                      "inaccessible-encryption-credentials-recoverable", "storage-full", "stopped",
                                      "stopping"), delay=30, missing="DBInstanceNotFound"),
    # ElastiCache API Reference, ReplicationGroup.Status; botocore's ReplicationGroupAvailable
    # plus create-failed and deleting.
    "replication_group_available": _waiter("DescribeReplicationGroups", "ReplicationGroups[].Status", "available",
                                           ("deleted", "deleting", "create-failed"), missing="ReplicationGroupNotFoundFault"),
    "replication_group_deleted": _waiter("DescribeReplicationGroups", "ReplicationGroups[].Status", "deleted",
                                         ("available", "create-failed"), missing="ReplicationGroupNotFoundFault",
                                         missing_means="success"),
    # RDS API Reference, DBProxy.Status (botocore has no RDS Proxy waiter).
    "db_proxy_available": _waiter("DescribeDBProxies", "DBProxies[].Status", "available",
                                  ("incompatible-network", "insufficient-resource-limits", "deleting"), delay=10,
                                  missing="DBProxyNotFoundFault"),
    "db_proxy_deleted": _waiter("DescribeDBProxies", "DBProxies[].Status", "deleted", (), delay=10,
                                missing="DBProxyNotFoundFault", missing_means="success"),
    # ACM API Reference, CertificateDetail.Status (botocore's CertificateValidated waits for the
    # validation, not the issue, and gives up after 5 minutes).
    "certificate_issued": _waiter("DescribeCertificate", "Certificate.Status", "ISSUED",
                                  ("FAILED", "VALIDATION_TIMED_OUT", "REVOKED", "EXPIRED", "INACTIVE"), delay=10,
                                  matcher="path", missing="ResourceNotFoundException"),
    # CloudFront API Reference, DistributionSummary.Status: InProgress until the change reached
    # every edge location, then Deployed (botocore's DistributionDeployed, with our messages).
    "distribution_deployed": _waiter("GetDistribution", "Distribution.Status", "Deployed", (), delay=20, matcher="path",
                                     missing="NoSuchDistribution"),
    # ACM publishes a requested certificate's validation records a few seconds after the request.
    "certificate_records_published": dict(_waiter(
        "DescribeCertificate", "length(Certificate.DomainValidationOptions[?ResourceRecord]) > `0` && "
        "length(Certificate.DomainValidationOptions[?!ResourceRecord]) == `0`", True, delay=2, matcher="path",
        missing="ResourceNotFoundException"), status="Certificate.Status"),
}


class CoherenceWaiterFactory(BaseWaiterFactory):
    @property
    def _waiter_model_data(self):
        return dict((name, dict((k, v) for k, v in spec.items() if k not in ("status", "detail")))
                    for name, spec in WAITERS.items())


_FACTORY = []


def _factory():
    if not _FACTORY:
        _FACTORY.append(CoherenceWaiterFactory())
    return _FACTORY[0]


class WaitFailed(Exception):
    """A wait that ended without success: `message` says what the resource was."""

    def __init__(self, message, last=None, state=None):
        super(WaitFailed, self).__init__(message)
        self.message = message
        self.last = last
        self.state = state  # set when the time ran out: the state it was still in


def wait(client, waiter_name, label, timeout, **params):
    """Wait up to `timeout` seconds; return nothing on success, raise WaitFailed naming `label`
    and its last state otherwise (a failed state at the first poll that sees it)."""
    spec = WAITERS[waiter_name]
    attempts = 1 + max(0, int(timeout)) // spec["delay"]
    client = getattr(client, "client", client)  # the waiter retries by itself; it wants the plain client
    try:
        _factory().get_waiter(client, waiter_name).wait(
            WaiterConfig=dict(Delay=spec["delay"], MaxAttempts=attempts), **params)
    except botocore.exceptions.WaiterError as e:
        last = e.last_response or {}
        error = last.get("Error")
        state = jmespath.search(spec["status"], last) if not error else None
        if isinstance(state, list):
            state = ", ".join(sorted(set(state))) or None
        if error:
            raise WaitFailed("%s: %s (%s)" % (label, error.get("Message"), error.get("Code")), last)
        if "Max attempts exceeded" in str(e):
            raise WaitFailed("%s is still %s after %d seconds" % (label, state, timeout), last, state=state or "missing")
        detail = jmespath.search(spec["detail"], last) if spec.get("detail") else None
        if isinstance(detail, list):
            detail = "; ".join(d for d in detail if d)
        raise WaitFailed("%s is %s, a state it does not leave by itself%s" % (label, state, ": %s" % detail if detail else ""),
                         last)


def wait_or_fail(module, client, waiter_name, label, **params):
    """wait() with the module's wait_timeout; a failed wait fails the task with its message."""
    try:
        wait(client, waiter_name, label, module.params["wait_timeout"], **params)
    except WaitFailed as e:
        module.fail_json(msg=e.message)
