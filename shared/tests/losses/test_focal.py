import torch

from rl_shared.losses import FocalInfoNCELoss, focal_info_nce, info_nce


def test_gamma_zero_is_info_nce():
    g = torch.Generator().manual_seed(1)
    a, p = torch.randn(8, 16, generator=g), torch.randn(8, 16, generator=g)
    assert torch.allclose(focal_info_nce(a, p, gamma=0.0), info_nce(a, p))


def test_weights_follow_positive_probability():
    g = torch.Generator().manual_seed(2)
    a, p = torch.randn(8, 16, generator=g), torch.randn(8, 16, generator=g)
    per = info_nce(a, p, reduction="none")
    expected = ((1 - torch.exp(-per)) ** 2 * per).mean()
    assert torch.allclose(focal_info_nce(a, p, gamma=2.0), expected)


def test_easy_pairs_contribute_less_than_in_plain_info_nce(model):
    g = torch.Generator().manual_seed(3)
    a = torch.randn(8, 16, generator=g)
    easy = a + 0.01 * torch.randn(8, 16, generator=g)
    loss = FocalInfoNCELoss(model, gamma=2.0)
    assert float(loss([{"x": a}, {"x": easy}])) < 0.05 * float(info_nce(a, easy))


def test_gradcheck():
    g = torch.Generator().manual_seed(4)
    a, p = (torch.randn(4, 5, generator=g, dtype=torch.float64).requires_grad_() for _ in range(2))
    assert torch.autograd.gradcheck(
        lambda a, p: focal_info_nce(a, p, gamma=1.5, temperature=0.5), (a, p)
    )
