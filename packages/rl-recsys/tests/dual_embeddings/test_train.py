import numpy as np
import pytest

from rl_recsys.dual_embeddings.model import DualEmbeddings
from rl_recsys.dual_embeddings.sgns import SGNSConfig
from rl_recsys.dual_embeddings.train import CHECKPOINTS, compare, train_model
from rl_shared.errors import BadInput

CONFIG = SGNSConfig(dim=8, epochs=4, negative=3, seed=1)


class Stop(Exception):
    pass


def test_train_model_saves_to_out_model(planted, tmp_path):
    model = train_model(planted, CONFIG, out=tmp_path)
    back = DualEmbeddings.load(tmp_path / "model")
    np.testing.assert_array_equal(back.out_vectors, model.out_vectors)
    assert [p.name for p in (tmp_path / CHECKPOINTS).iterdir()] == ["step-000004"]
    straight = DualEmbeddings.fit(planted, CONFIG)
    np.testing.assert_array_equal(straight.in_vectors, model.in_vectors)


def test_resume_reaches_the_uninterrupted_result(planted, tmp_path, monkeypatch):
    straight = train_model(planted, CONFIG, out=tmp_path / "straight")
    import rl_recsys.dual_embeddings.train as train_mod

    real = train_mod.train_word2vec

    def interrupted(*args, on_epoch, **kwargs):
        def stop_after_two(done, w2v, rng):
            on_epoch(done, w2v, rng)
            if done == 2:
                raise Stop

        return real(*args, on_epoch=stop_after_two, **kwargs)

    monkeypatch.setattr(train_mod, "train_word2vec", interrupted)
    with pytest.raises(Stop):
        train_model(planted, CONFIG, out=tmp_path / "cut")
    assert not (tmp_path / "cut" / "model").exists()
    monkeypatch.setattr(train_mod, "train_word2vec", real)
    epochs = []
    resumed = train_model(
        planted,
        CONFIG,
        out=tmp_path / "cut",
        progress=lambda it, d: (epochs.append(e) or e for e in it),
    )
    assert epochs == [2, 3]
    np.testing.assert_array_equal(resumed.in_vectors, straight.in_vectors)
    np.testing.assert_array_equal(resumed.out_vectors, straight.out_vectors)


def test_resume_refuses_another_configuration(planted, tmp_path):
    train_model(planted, CONFIG, out=tmp_path)
    with pytest.raises(BadInput, match="--no-resume"):
        train_model(planted, CONFIG.replace(dim=4), out=tmp_path)
    with pytest.raises(BadInput, match="--no-resume"):
        train_model(planted[:50], CONFIG, out=tmp_path)
    fresh = train_model(planted, CONFIG.replace(epochs=2), out=tmp_path, resume=False)
    assert [p.name for p in (tmp_path / CHECKPOINTS).iterdir()] == ["step-000002"]
    assert DualEmbeddings.load(tmp_path).items == fresh.items


def test_compare_methods(planted):
    table = compare(planted, planted[:80], CONFIG, k=2)
    assert set(table) == {"in-out", "in-in", "popularity", "lift"}
    assert table["in-out"]["hit@2"] > table["in-in"]["hit@2"]
