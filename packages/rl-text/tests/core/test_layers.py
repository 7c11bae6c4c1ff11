from __future__ import annotations

import pytest
import torch

from rl_shared.errors import BadInput
from rl_text.core.layers import encode_layers, num_layers, truncate_layers

TEXTS = ["a man plays the guitar", "a cat", "the woman drives a red car fast", "a dog"]


def test_layer_embedding_equals_truncated_model(tiny_model) -> None:
    embs = encode_layers(tiny_model, TEXTS)
    assert sorted(embs) == [1, 2, 3]
    for layer in (1, 2):
        cut = truncate_layers(tiny_model, layer)
        assert num_layers(cut) == layer
        expected = cut.encode(TEXTS, convert_to_tensor=True)
        torch.testing.assert_close(embs[layer], expected, atol=1e-5, rtol=1e-5)
    full = tiny_model.encode(TEXTS, convert_to_tensor=True)
    torch.testing.assert_close(embs[3], full, atol=1e-5, rtol=1e-5)
    assert num_layers(tiny_model) == 3  # the original is untouched


def test_order_and_batching_do_not_matter(tiny_model) -> None:
    one = encode_layers(tiny_model, TEXTS, [2], batch_size=1)[2]
    many = encode_layers(tiny_model, TEXTS, [2], batch_size=3)[2]
    torch.testing.assert_close(one, many, atol=1e-5, rtol=1e-5)


def test_bad_layer(tiny_model) -> None:
    with pytest.raises(BadInput, match="between 1 and 3"):
        encode_layers(tiny_model, TEXTS, [4])
    with pytest.raises(BadInput):
        truncate_layers(tiny_model, 0)
