# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip bootstrap script that `ansible-test` downloads.

ansible-test fetches get-pip from a host this machine cannot reach; it also accepts the script
from its cache (~/.ansible/test/cache/get_pip_<version>.py).  This stand-in does what get-pip
does: puts pip into the (empty) virtual environment that runs it, from Python's own ensurepip,
then installs the requested packages (pip==<version>, ...) with that pip from the package index.
"""

import subprocess
import sys

# get-pip's own switches; pip itself does not know them.
_GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}

# In a child process: ensurepip points PIP_CONFIG_FILE at /dev/null in its own process, which
# would hide the machine's pip settings (index, certificates) from the install below.
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
args = [a for a in sys.argv[1:] if a not in _GET_PIP_ONLY]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args))
