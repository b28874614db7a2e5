# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading one resource and deleting one, with amazon.aws's error handlers: the service's
"not found" error becomes None (describe) or False (delete), any other error an AnsibleAWSError
that CoherenceAWSModule.run_state turns into the task's failure."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler


def _handler(missing):
    class NotFoundHandler(AWSErrorHandler):
        @classmethod
        def _is_missing(cls):
            return is_boto3_error_code(missing)

    return NotFoundHandler


def describe_list(client, operation, key, missing, **params):
    """What a Describe/List call returns under `key`, or [] when AWS answers `missing`."""

    @_handler(missing).list_error_handler("%s %s" % (operation, params), [])
    def call():
        return getattr(client, operation)(aws_retry=True, **params)[key]

    return call()


def describe_one(client, operation, key, missing, **params):
    """The resource a Describe call returns (the first of `key`'s list, or `key` itself when it
    is one object), or None when AWS answers `missing` or an empty list."""
    found = describe_list(client, operation, key, missing, **params)
    if isinstance(found, list):
        return found[0] if found else None
    return found or None


def delete(client, operation, missing, **params):
    """Call a Delete operation; False when AWS answers `missing` (already gone), else True."""

    @_handler(missing).deletion_error_handler("%s %s" % (operation, params))
    def call():
        getattr(client, operation)(aws_retry=True, **params)
        return True

    return call()
