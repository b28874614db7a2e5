# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared base of coherence.aws modules: amazon.aws's AnsibleAWSModule, named for us."""

try:
    import botocore
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.coherence.aws.plugins.module_utils.common import COHERENCE_AWS_COLLECTION_NAME
from ansible_collections.coherence.aws.plugins.module_utils.common import COHERENCE_AWS_COLLECTION_VERSION


def wait_argument_spec(**options):
    """wait_timeout (doc fragment coherence.aws.common), plus the module's own options."""
    return dict(options, wait_timeout=dict(type="int", default=1800))


def resource_argument_spec(waits=True, **options):
    """The options every resource module of ours shares (doc fragment coherence.aws.common.resource,
    and coherence.aws.common's wait_timeout when it `waits`), plus the module's own."""
    options = dict(state=dict(type="str", choices=["present", "absent"], default="present"),
                   tags=dict(type="dict", aliases=["resource_tags"]),
                   purge_tags=dict(type="bool", default=True), **options)
    return wait_argument_spec(**options) if waits else options


class CoherenceAWSModule(AnsibleAWSModule):
    """AnsibleAWSModule whose User-Agent names coherence.aws (as community.aws does for itself)."""

    def __init__(self, **kwargs):
        super(CoherenceAWSModule, self).__init__(**kwargs)
        set_collection_info(
            collection_name=COHERENCE_AWS_COLLECTION_NAME,
            collection_version=COHERENCE_AWS_COLLECTION_VERSION,
        )

    def run_state(self, client, present, absent, failure):
        """Call present(module, client) or absent(module, client) by the state option; AWS
        errors fail the task with `failure` and the error AWS gave."""
        self.run(lambda: (present if self.params["state"] == "present" else absent)(self, client), failure)

    def run(self, call, failure):
        try:
            call()
        except AnsibleAWSError as e:
            self.fail_json_aws(e.exception or e, msg="%s: %s" % (failure, e.message))
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            self.fail_json_aws(e, msg=failure)

    def exit_changed(self, changed, before, after, **result):
        """exit_json with the diff --diff shows: `before` and `after` are what the task compared
        (empty for a resource that does not exist)."""
        self.exit_json(changed=changed, diff=dict(before=before or {}, after=after or {}), **result)


def run_resource_module(service, options, present, absent, failure, wait=True, retry_codes=None, **module_kwargs):
    """The whole of a resource module's main(): its options on the shared ones (a `wait` option
    defaulting to `wait`, none at all when `wait` is None: a resource usable once written has
    nothing to wait for), check mode, a client of `service` retrying throttling and
    `retry_codes`, and present(module, client) or absent(module, client) by `state`."""
    if wait is not None:
        options = dict(options, wait=dict(type="bool", default=wait))
    module = CoherenceAWSModule(argument_spec=resource_argument_spec(waits=wait is not None, **options),
                                supports_check_mode=True, **module_kwargs)
    client = module.client(service, retry_decorator=AWSRetry.jittered_backoff(catch_extra_error_codes=retry_codes or []))
    module.run_state(client, present, absent, failure)
