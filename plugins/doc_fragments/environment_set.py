# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment(object):
    # The options of modules that manage an environment's set of like resources
    # (module_utils/ecs.py set_argument_spec).
    DOCUMENTATION = r"""
options:
  purge:
    description:
      - Remove the environment's resources of this kind that the task does not list (those with
        the name prefix that carry every tag of O(tags)).
    type: bool
    default: true
  tags:
    description:
      - Tags of what the module creates; also what marks a resource as the environment's (a
        resource of another environment whose name shares the prefix is never touched).
    type: dict
    required: true
  state:
    description: C(present) brings the set to the task; C(absent) removes all of the environment's resources of this kind.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Supports check mode (nothing is written) and diff mode (before and after of each changed resource).
"""
