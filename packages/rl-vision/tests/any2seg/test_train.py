import json
import shutil

import pytest
import torch

from rl_shared.errors import BadInput, ModelNotFound
from rl_shared.runtime import seed_everything
from rl_vision.any2seg.baselines import EarlyFusionUnet
from rl_vision.any2seg.config import TrainConfig
from rl_vision.any2seg.evaluation import evaluate
from rl_vision.any2seg.model_folder import load_model
from rl_vision.any2seg.teacher import ModalityTeacher, TrainedTeacher
from rl_vision.any2seg.train import train
from rl_vision.core.scenes.dataset import MODALITIES, make_batch

TINY = {"batch_size": 2, "size": 32, "num_scenes": 4, "depth": 3, "encoder": "resnet18"}


@pytest.fixture(scope="module")
def pool():
    return make_batch(range(4), 32, ("clean", "night"))


@pytest.fixture(scope="module")
def text():
    return torch.randn(10, 12)


def test_resume_reaches_the_same_weights(tmp_path, pool, text):
    cfg = TrainConfig(kind="any2seg", lscd_weight=0.0, steps=4, checkpoint_every=2, **TINY)
    straight = train(cfg, tmp_path / "a", pool=pool, text=text)
    # simulate a run stopped after step 2: drop everything written after it
    shutil.rmtree(tmp_path / "a" / "checkpoints" / "step-000004")
    shutil.rmtree(tmp_path / "a" / "model")
    resumed = train(cfg, tmp_path / "a", pool=pool, text=text, resume=True)
    for (k, a), b in zip(straight.state_dict().items(), resumed.state_dict().values()):
        torch.testing.assert_close(a, b, msg=k, rtol=0, atol=0)


def test_resume_refuses_another_configuration(tmp_path, pool, text):
    cfg = TrainConfig(kind="early", steps=2, checkpoint_every=1, **TINY)
    train(cfg, tmp_path, pool=pool)
    other = TrainConfig(kind="early", steps=2, checkpoint_every=1, **{**TINY, "batch_size": 3})
    with pytest.raises(BadInput, match="another configuration"):
        train(other, tmp_path, pool=pool, resume=True)


def test_save_load_round_trip(tmp_path, pool, text):
    teacher = train(
        TrainConfig(kind="teacher", steps=1, **TINY), tmp_path / "t", pool=pool, text=text
    )
    cfg = TrainConfig(kind="any2seg", steps=2, **TINY)
    model = train(cfg, tmp_path / "s", pool=pool, text=text, teacher=teacher)
    loaded, loaded_cfg = load_model(tmp_path / "s")
    assert loaded_cfg == cfg
    with torch.no_grad():
        x = {m: pool.inputs[m][:1] for m in ("rgb", "event")}
        torch.testing.assert_close(model(x).logits, loaded(x).logits)
    meta = json.loads((tmp_path / "s" / "model" / "config.json").read_text())
    assert meta["kind"] == "vision.any2seg" and meta["config"]["classes"][0] == "road"
    assert (tmp_path / "s" / "model" / "README.md").is_file()
    t2, _ = load_model(tmp_path / "t")
    assert isinstance(t2, TrainedTeacher)
    with pytest.raises(ModelNotFound, match="holds no trained model"):
        load_model(tmp_path / "nothing")


def test_lscd_needs_a_teacher(pool, text):
    with pytest.raises(BadInput, match="needs a teacher"):
        train(TrainConfig(kind="any2seg", steps=1, **TINY), pool=pool, text=text)
    with pytest.raises(BadInput, match="one modality"):
        TrainConfig(kind="single", modalities=("rgb", "depth"))


class _FixedTeacher:
    """A plug-in teacher: random fixed projections of each modality (not an nn.Module)."""

    def __init__(self, dim):
        g = torch.Generator().manual_seed(0)
        self.proj = {m: torch.randn(dim, c, generator=g) for m, c in MODALITIES.items()}
        self.calls = 0

    def embed(self, inputs):
        self.calls += 1
        return {m: torch.einsum("dc,bchw->bdhw", self.proj[m], x) for m, x in inputs.items()}


def test_any_object_with_embed_is_a_teacher(pool, text):
    teacher = _FixedTeacher(text.shape[1])
    assert isinstance(teacher, ModalityTeacher)
    train(TrainConfig(kind="any2seg", steps=2, **TINY), pool=pool, text=text, teacher=teacher)
    assert teacher.calls == 2


def test_early_fusion_zero_fills_missing_modalities():
    seed_everything(0)
    model = EarlyFusionUnet(3, MODALITIES, "resnet18", depth=3).eval()
    x = {"rgb": torch.randn(1, 3, 32, 32)}
    full = {m: torch.zeros(1, c, 32, 32) for m, c in MODALITIES.items()} | x
    with torch.no_grad():
        torch.testing.assert_close(model(x).logits, model(full).logits)
    with pytest.raises(BadInput, match="none of the given modalities"):
        EarlyFusionUnet(3, {"rgb": 3})({"depth": torch.zeros(1, 1, 32, 32)})


def test_training_learns_something(pool):
    """Sixty steps on four scenes must beat the untrained model on those scenes."""
    cfg = TrainConfig(kind="early", steps=60, modality_dropout=False, lr=3e-3, **TINY)
    before = evaluate(
        train(TrainConfig(kind="early", steps=1, lr=1e-9, **TINY), pool=pool),
        pool,
        tuple(MODALITIES),
    )
    after = evaluate(train(cfg, pool=pool), pool, tuple(MODALITIES))
    assert after["miou"] > before["miou"] + 0.1
