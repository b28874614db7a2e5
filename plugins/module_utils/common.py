# -*- coding: utf-8 -*-
# Copyright: (c) 2026, coherence.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

COHERENCE_AWS_COLLECTION_NAME = "coherence.aws"
COHERENCE_AWS_COLLECTION_VERSION = "0.1.0"
