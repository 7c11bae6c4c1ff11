import itertools

import pytest
import torch

from rl_shared.errors import BadInput
from rl_shared.runtime import seed_everything
from rl_vision.any2seg.fusion import MeanFusion, ModalityAgnosticFusion
from rl_vision.any2seg.model import Any2Seg
from rl_vision.core.scenes.dataset import MODALITIES

SUBSETS = [c for k in range(1, 5) for c in itertools.combinations(MODALITIES, k)]


def test_mff_weights_sum_to_one_and_single_modality_passes_through():
    seed_everything(0)
    fuse = ModalityAgnosticFusion(8).eval()
    x = torch.randn(3, 4, 8, 5, 5)
    w = fuse.modality_weights(x)
    torch.testing.assert_close(w.sum(1), torch.ones(3))
    one = torch.randn(2, 8, 3, 3)
    assert torch.allclose(fuse.modality_weights(one[:, None]), torch.ones(2, 1))


@pytest.mark.parametrize("m", [1, 2, 3, 4])
def test_mff_is_permutation_invariant(m):
    seed_everything(m)
    fuse = ModalityAgnosticFusion(6).eval()
    feats = [torch.randn(2, 6, 4, 4) for _ in range(m)]
    ref = fuse(feats)
    for perm in itertools.permutations(range(m)):
        torch.testing.assert_close(fuse([feats[i] for i in perm]), ref, atol=1e-5, rtol=1e-5)


def test_fusion_needs_a_modality():
    with pytest.raises(BadInput):
        ModalityAgnosticFusion(4)([])
    with pytest.raises(BadInput):
        MeanFusion()([])


@pytest.fixture(scope="module")
def model():
    seed_everything(0)
    return Any2Seg(5, MODALITIES, encoder_name="resnet18", depth=3, embed_dim=8).eval()


@pytest.fixture(scope="module")
def inputs():
    seed_everything(1)
    return {m: torch.randn(2, c, 32, 32) for m, c in MODALITIES.items()}


@pytest.mark.parametrize("subset", SUBSETS, ids=["+".join(s) for s in SUBSETS])
def test_any2seg_accepts_every_subset_in_any_order(model, inputs, subset):
    with torch.no_grad():
        out = model({m: inputs[m] for m in subset})
        rev = model({m: inputs[m] for m in reversed(subset)})
    assert out.logits.shape == (2, 5, 32, 32) and set(out.embeddings) == set(subset)
    torch.testing.assert_close(out.logits, rev.logits, atol=1e-4, rtol=1e-4)


def test_any2seg_rejects_bad_inputs(model, inputs):
    with pytest.raises(BadInput, match="unknown modality 'thermal'"):
        model({"thermal": inputs["rgb"]})
    with pytest.raises(Exception, match=r"\(B, 3, H, W\)"):
        model({"rgb": inputs["depth"]})
    with pytest.raises(BadInput, match="fusion must be"):
        Any2Seg(3, MODALITIES, fusion="sum")


@pytest.mark.parametrize("shared", [True, False])
def test_gradients_reach_only_present_modalities(inputs, shared):
    seed_everything(0)
    model = Any2Seg(
        5, MODALITIES, encoder_name="resnet18", depth=3, embed_dim=8, shared_encoder=shared
    )
    out = model({"rgb": inputs["rgb"], "lidar": inputs["lidar"]})
    out.logits.mean().backward()
    parts = model.encoder.stems if shared else model.encoder.encoders

    def grad(m):
        return [p.grad for p in parts[m].parameters()]

    assert any(g is not None for g in grad("rgb")) and any(g is not None for g in grad("lidar"))
    assert all(g is None for g in grad("depth"))
