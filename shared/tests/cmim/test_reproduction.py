import torch

from rl_shared.cmim.reproduction import _train, augment_digits


def test_augmentations_keep_range_and_change_images():
    x = torch.rand(5, 64)
    view = augment_digits(x, torch.Generator().manual_seed(0))
    assert (
        view.shape == x.shape and view.min() >= 0 and view.max() <= 1 and not torch.equal(view, x)
    )


def test_training_is_deterministic_for_a_seed():
    x = torch.rand(64, 64).numpy()
    a = _train("cmim", x, 16, 3, seed=1)
    b = _train("cmim", x, 16, 3, seed=1)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
