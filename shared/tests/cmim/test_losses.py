import math

import torch

from rl_shared.cmim.model import MIMAutoencoder
from rl_shared.losses import CMIMLoss, cmim_contrastive, mim_loss


def test_mim_loss_matches_distributions():
    g = torch.Generator().manual_seed(0)
    x, mean = torch.randn(5, 3, generator=g), torch.randn(5, 3, generator=g)
    z, mu, logvar = (
        torch.randn(5, 2, generator=g),
        torch.randn(5, 2, generator=g),
        torch.randn(5, 2, generator=g),
    )
    out_logvar = torch.randn(3, generator=g)
    normal = torch.distributions.Normal
    log_q = normal(mu, (0.5 * logvar).exp()).log_prob(z).sum(-1)
    log_p = normal(mean, (0.5 * out_logvar).exp()).log_prob(x).sum(-1)
    log_prior = normal(0.0, 1.0).log_prob(z).sum(-1)
    expected = (-0.5 * (log_q + log_p + log_prior)).mean()
    assert torch.allclose(mim_loss(x, z, mu, logvar, mean, out_logvar), expected, atol=1e-6)


def test_contrastive_term_is_cross_entropy_over_decoder_likelihoods():
    g = torch.Generator().manual_seed(1)
    x, means, logvar = (
        torch.randn(6, 4, generator=g),
        torch.randn(6, 4, generator=g),
        torch.randn(4, generator=g),
    )
    normal = torch.distributions.Normal(means[None, :, :], (0.5 * logvar).exp())
    loglik = normal.log_prob(x[:, None, :]).sum(-1)  # [i, j] = log p(x_i | code j)
    expected = torch.nn.functional.cross_entropy(loglik / 0.5, torch.arange(6))
    assert torch.allclose(cmim_contrastive(x, means, logvar, temperature=0.5), expected, atol=1e-5)


def test_contrastive_gradcheck():
    g = torch.Generator().manual_seed(2)
    x, m = (torch.randn(4, 3, generator=g, dtype=torch.float64).requires_grad_() for _ in range(2))
    lv = torch.randn(3, generator=g, dtype=torch.float64).requires_grad_()
    assert torch.autograd.gradcheck(lambda x, m, lv: cmim_contrastive(x, m, lv), (x, m, lv))


def test_cmim_trains_and_weight_zero_is_mim():
    torch.manual_seed(0)
    model = MIMAutoencoder(8, 2, 16, depth=1)
    x = torch.rand(32, 8)
    loss = CMIMLoss(model, contrastive_weight=1.0)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    first = None
    for _ in range(60):
        value = loss(x)
        first = first if first is not None else float(value.detach())
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
    assert float(value.detach()) < first
    assert set(loss.last_parts) == {"mim", "contrastive"}
    plain = CMIMLoss(model, contrastive_weight=0.0)
    plain(x)
    assert set(plain.last_parts) == {"mim"}
    assert not math.isnan(plain.last_parts["mim"])
