# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment(object):
    # The options our modules share, as module_utils/modules.py declares them
    # (wait_argument_spec, resource_argument_spec).

    # coherence.aws.common: every module that waits.
    DOCUMENTATION = r"""
options:
  wait_timeout:
    description:
      - Seconds to wait. A wait fails at the first poll that finds the resource in a state it
        does not leave by itself (failed, deleting, stopped, ...), and names that state.
    type: int
    default: 1800
"""

    # coherence.aws.common.resource: modules that create, update and delete a resource.
    RESOURCE = r"""
options:
  state:
    description:
      - C(present) creates the resource or brings what the task sets to it; C(absent) deletes it.
      - Options the task leaves unset are left as they are on an existing resource.
    type: str
    choices: [present, absent]
    default: present
  tags:
    description:
      - Tags of the resource. Unset leaves its tags as they are.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description:
      - With O(tags) set, remove the tags that O(tags) does not name (never those starting with C(aws:)).
    type: bool
    default: true
notes:
  - Supports check mode (nothing is written, nothing waited for) and diff mode (before and
    after of what the task compares).
"""
