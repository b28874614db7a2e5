# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment(object):
    # The options every resource module of coherence.aws shares (module_utils/modules.py
    # resource_argument_spec), and how they behave.
    DOCUMENTATION = r"""
options:
  state:
    description:
      - C(present) creates the resource or brings what the task sets to it; C(absent) deletes it.
      - Options the task leaves unset are left as they are on an existing resource.
    type: str
    choices: [present, absent]
    default: present
  wait_timeout:
    description:
      - Seconds to wait. A wait fails at once when the resource reaches a state it does not
        leave by itself (failed, deleting, ...), and names that state.
    type: int
    default: 1800
notes:
  - Supports check mode (nothing is written) and diff mode (before and after of what the task compared).
"""
