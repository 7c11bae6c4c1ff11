import random

import numpy as np
import pytest
import torch

from rl_shared.errors import BadInput
from rl_shared.runtime import isolated, resolve_device, seed_everything, threads


def test_seed_everything_repeats_every_generator():
    seed_everything(5)
    first = (random.random(), np.random.rand(), torch.rand(2))
    seed_everything(5)
    again = (random.random(), np.random.rand(), torch.rand(2))
    assert first[:2] == again[:2] and torch.equal(first[2], again[2])


def test_threads_restores_even_after_an_error():
    before = torch.get_num_threads()
    with pytest.raises(RuntimeError), threads(1):
        assert torch.get_num_threads() == 1
        raise RuntimeError
    assert torch.get_num_threads() == before
    with pytest.raises(BadInput):
        with threads(0):
            pass


def test_isolated_restores_state_and_seeds_on_entry():
    with isolated(seed=1):
        a = torch.rand(1)
    state = torch.random.get_rng_state()
    with isolated(seed=1):
        b = torch.rand(1)
        torch.set_num_threads(1)
    assert torch.equal(a, b) and torch.equal(torch.random.get_rng_state(), state)


@pytest.mark.parametrize("spec", ["gpu", "cuda:", "cuda:a", "tpu", ""])
def test_resolve_device_rejects_malformed_specs(spec):
    with pytest.raises(BadInput, match="--device"):
        resolve_device(spec)


def test_resolve_device_cpu_and_auto():
    assert resolve_device("CPU") == torch.device("cpu")
    assert resolve_device("auto").type in {"cpu", "cuda", "mps"}
    if not torch.cuda.is_available():
        with pytest.raises(BadInput, match="no CUDA device"):
            resolve_device("cuda:0")
