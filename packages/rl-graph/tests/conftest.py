import pytest

from rl_shared.runtime import threads


@pytest.fixture(autouse=True)
def _one_thread():
    """Tiny tensors: one torch thread is faster and deterministic on a loaded machine."""
    with threads(1):
        yield
