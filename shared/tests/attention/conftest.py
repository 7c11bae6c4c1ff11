"""Attention tests run the Triton kernels on the CPU through Triton's interpreter.

``TRITON_INTERPRET=1`` must be set before the first ``@triton.jit`` decorator runs; the
kernels' modules are imported lazily by the functions that launch them, so setting it
here, when pytest collects this folder, is early enough.
"""

import os

os.environ.setdefault("TRITON_INTERPRET", "1")
