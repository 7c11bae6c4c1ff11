import pytest
import torch

from rl_shared.cmim.model import MIMAutoencoder
from rl_shared.errors import ShapeMismatch


def test_informative_embedding_is_mean_then_decoder_hidden_states():
    model = MIMAutoencoder(10, latent_dim=3, hidden_dim=7, depth=2)
    x = torch.rand(4, 10)
    emb = model.informative_embedding(x)
    mu, _ = model.encode(x)
    _, hidden = model.decode(mu, return_hidden=True)
    assert emb.shape == (4, 3 + 2 * 7)
    assert torch.equal(emb[:, :3], mu) and torch.equal(emb[:, 3:10], hidden[0])


def test_wrong_input_size_is_a_clear_error():
    with pytest.raises(ShapeMismatch, match=r"shape \(B, 10\)"):
        MIMAutoencoder(10).encode(torch.rand(2, 9))
