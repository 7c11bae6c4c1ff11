"""One torch / BLAS thread for these tiny models: on a busy 2-core machine two threads spin."""

from __future__ import annotations

import pytest
from threadpoolctl import threadpool_limits

from rl_shared.runtime import threads


@pytest.fixture(autouse=True)
def _one_thread():
    with threads(1), threadpool_limits(1):
        yield
