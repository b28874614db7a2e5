# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment(object):
    # The options our modules share (module_utils/modules.py resource_argument_spec).
    DOCUMENTATION = r"""
options:
  wait_timeout:
    description:
      - Seconds to wait. A wait fails at the first poll that finds the resource in a state it
        does not leave by itself (failed, deleting, stopped, ...), and names that state.
    type: int
    default: 1800
notes:
  - Supports check mode (nothing is written, nothing waited for) and diff mode (before and
    after of what the task compares).
"""

    # Resource modules: create or update, or delete.
    STATE = r"""
options:
  state:
    description:
      - C(present) creates the resource or brings what the task sets to it; C(absent) deletes it.
      - Options the task leaves unset are left as they are on an existing resource.
    type: str
    choices: [present, absent]
    default: present
"""
