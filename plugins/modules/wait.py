#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: wait
short_description: Wait, in one task, for the slow resources a run started without waiting
version_added: 0.1.0
author: coherence.aws contributors (@coherence-aws)
description:
  - Waits until every NAT gateway, DB instance, RDS proxy and ElastiCache replication group given
    is available, every ACM certificate given is issued and every CloudFront distribution given
    is deployed, then returns their descriptions.
  - A run starts its slow resources early without waiting and calls this once, late, for all of
    them; one task instead of one per resource (each task costs about a second). The waits run
    one after the other against one deadline; AWS brings the resources up meanwhile, so the task
    takes about as long as the slowest of them.
  - A resource in a state it does not leave by itself (a C(failed) NAT gateway, a database in
    C(incompatible-parameters) or C(inaccessible-encryption-credentials), a cache in
    C(create-failed), a C(FAILED) certificate, one being deleted) fails the task at the first poll
    that sees it, naming the resource and the state.
  - Uses botocore's waiter definitions where botocore has one, through amazon.aws's waiter factory
    (throttling is retried, never taken as a state).
options:
  nat_gateway_ids:
    description: NAT gateways to wait for (C(available)).
    type: list
    elements: str
    default: []
  db_instance_identifiers:
    description: DB instances to wait for (C(available)).
    type: list
    elements: str
    default: []
  db_proxy_names:
    description: RDS proxies to wait for (C(available)).
    type: list
    elements: str
    default: []
  replication_group_ids:
    description: ElastiCache replication groups to wait for (C(available)).
    type: list
    elements: str
    default: []
  certificate_arns:
    description:
      - ACM certificates to wait for (C(ISSUED)). Each is read in the region of its ARN, so the
        CloudFront certificates in C(us-east-1) and the load balancer's wait in the same task.
    type: list
    elements: str
    default: []
  distribution_ids:
    description: CloudFront distributions to wait for (C(Deployed)).
    type: list
    elements: str
    default: []
  report_after:
    description:
      - Return after this many seconds with what is still not ready in RV(pending), instead of
        waiting on in silence; the caller says what it waits for and calls again (with what is
        left of its own deadline as O(wait_timeout)). When O(wait_timeout) ends first, the task
        fails as without it.
      - Unset, wait up to O(wait_timeout) in one call.
    type: int
notes:
  - Never reports C(changed). In check mode nothing is waited for; what exists is described.
  - Empty items (an id a check-mode run could not know) are ignored.
extends_documentation_fragment: [coherence.aws.common, amazon.aws.common.modules, amazon.aws.region.modules, amazon.aws.boto3]
seealso:
  - module: amazon.aws.ec2_vpc_nat_gateway_info
  - module: amazon.aws.rds_instance_info
"""

EXAMPLES = r"""
- name: Wait for the NAT gateways and the certificates
  coherence.aws.wait:
    nat_gateway_ids: "{{ coherence_network.nat_gateway_ids }}"
    certificate_arns: "{{ coherence_network.certificates.values() | map(attribute='arn') | list }}"
    wait_timeout: 1800

- name: Wait for the databases and caches
  coherence.aws.wait:
    db_instance_identifiers: [shop-review-api-db]
    replication_group_ids: [shop-review-api-cache]
  register: ready
"""

RETURN = r"""
nat_gateways:
  description: The NAT gateways, in the order given, as DescribeNatGateways returns them in snake_case.
  returned: always
  type: list
  elements: dict
instances:
  description:
    - The DB instances, in the order given, as DescribeDBInstances returns them in snake_case
      (named as amazon.aws.rds_instance_info names them).
  returned: always
  type: list
  elements: dict
proxies:
  description: The RDS proxies, in the order given, as DescribeDBProxies returns them in snake_case.
  returned: always
  type: list
  elements: dict
pending:
  description:
    - With O(report_after), what was still not ready when it ran out, in the order waited for.
  returned: always
  type: list
  elements: dict
  contains:
    resource:
      description: What it is (C(DB instance shop-review-api-db)).
      type: str
    state:
      description: The state it was in at the last poll.
      type: str
distributions:
  description: The distributions, in the order given, as GetDistribution returns them in snake_case.
  returned: always
  type: list
  elements: dict
replication_groups:
  description: The replication groups, in the order given, as DescribeReplicationGroups returns them in snake_case.
  returned: always
  type: list
  elements: dict
certificates:
  description: The certificates, in the order given, as DescribeCertificate returns them in snake_case.
  returned: always
  type: list
  elements: dict
"""

import time

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.coherence.aws.plugins.module_utils.modules import CoherenceAWSModule
from ansible_collections.coherence.aws.plugins.module_utils.modules import wait_argument_spec
from ansible_collections.coherence.aws.plugins.module_utils.resources import describe_one
from ansible_collections.coherence.aws.plugins.module_utils.waiting import WaitFailed
from ansible_collections.coherence.aws.plugins.module_utils.waiting import wait


class Waits(object):
    """The clients (one per service and region) and the one deadline of all the waits; with
    report_after, the round's end, where what is not ready yet is noted instead of failing."""

    def __init__(self, module):
        self.module = module
        now = time.time()
        self.deadline = now + module.params["wait_timeout"]
        report_after = module.params["report_after"]
        self.round_end = min(self.deadline, now + report_after) if report_after is not None else self.deadline
        self.pending = []
        self._clients = {}

    def client(self, service, region=None):
        key = (service, region)
        if key not in self._clients:
            extra = {"region": region} if region else {}
            self._clients[key] = self.module.client(service, retry_decorator=AWSRetry.jittered_backoff(), **extra)
        return self._clients[key]

    def wait(self, client, waiter, label, **params):
        if self.module.check_mode:
            return
        try:
            wait(client, waiter, label, max(0, int(self.round_end - time.time())), **params)
        except WaitFailed as e:
            if e.state is None or self.round_end >= self.deadline:
                self.module.fail_json(msg=e.message)
            self.pending.append({"resource": label, "state": e.state})


def one_by_one(waits, ids, service, waiter, label, operation, key, missing, param):
    """Wait for each in turn (a failure then names the one that failed); their descriptions."""
    out = []
    for name in ids:
        client = waits.client(*service) if isinstance(service, tuple) else waits.client(service)
        value = [name] if param.endswith("Ids") else name
        waits.wait(client, waiter, "%s %s" % (label, name), **{param: value})
        out.append(describe_one(client, operation, key, missing, **{param: value}) or {})
    return out


def certificates(waits, arns):
    out = []
    for arn in arns:
        acm = waits.client("acm", parse_aws_arn(arn)["region"])
        waits.wait(acm, "certificate_issued", "certificate %s" % arn, CertificateArn=arn)
        out.append(describe_one(acm, "describe_certificate", "Certificate", "ResourceNotFoundException",
                                CertificateArn=arn) or {})
    return out


def main():
    ids = dict(type="list", elements="str", default=[])
    module = CoherenceAWSModule(argument_spec=wait_argument_spec(
        nat_gateway_ids=ids, db_instance_identifiers=ids, db_proxy_names=ids, replication_group_ids=ids,
        certificate_arns=ids, distribution_ids=ids, report_after=dict(type="int")), supports_check_mode=True)
    p = dict((k, [i for i in v if i]) for k, v in module.params.items() if isinstance(v, list))
    bad = [arn for arn in p["certificate_arns"] if not (parse_aws_arn(arn) or {}).get("region")]
    if bad:
        module.fail_json(msg="certificate_arns: %s is not a certificate ARN" % ", ".join(bad))
    waits = Waits(module)
    result = {}

    def run():
        result["nat_gateways"] = one_by_one(waits, p["nat_gateway_ids"], "ec2", "nat_gateway_available", "NAT gateway",
                                            "describe_nat_gateways", "NatGateways", "NatGatewayNotFound", "NatGatewayIds")
        result["instances"] = one_by_one(waits, p["db_instance_identifiers"], "rds", "db_instance_available",
                                         "DB instance", "describe_db_instances", "DBInstances", "DBInstanceNotFound",
                                         "DBInstanceIdentifier")
        result["proxies"] = one_by_one(waits, p["db_proxy_names"], "rds", "db_proxy_available", "proxy",
                                       "describe_db_proxies", "DBProxies", "DBProxyNotFoundFault", "DBProxyName")
        result["replication_groups"] = one_by_one(
            waits, p["replication_group_ids"], "elasticache", "replication_group_available", "replication group",
            "describe_replication_groups", "ReplicationGroups", "ReplicationGroupNotFoundFault", "ReplicationGroupId")
        result["certificates"] = certificates(waits, p["certificate_arns"])
        # CloudFront is global: its API answers in us-east-1.
        result["distributions"] = one_by_one(waits, p["distribution_ids"], ("cloudfront", "us-east-1"), "distribution_deployed",
                                             "CloudFront distribution", "get_distribution", "Distribution",
                                             "NoSuchDistribution", "Id")

    module.run(run, "reading what the wait is for failed")
    module.exit_json(changed=False, pending=waits.pending,
                     **dict((k, [camel_dict_to_snake_dict(r) for r in v]) for k, v in result.items()))


if __name__ == "__main__":
    main()
