"""Training with each objective, the saved model folder, and exact resumption."""

from __future__ import annotations

import pytest
import torch

from rl_chem.cmim.model import Vocab
from rl_chem.cmim.train import load_smiles_model, save_smiles_model, train_smiles_model

SMILES = ["CCO", "c1ccccc1O", "CC(=O)N", "C#N", "OCC(O)CO", "CCCCCl"]


@pytest.mark.parametrize("method", ["mim", "infonce"])
def test_other_methods_train_and_embed(method):
    v = Vocab.build(SMILES)
    m = train_smiles_model(SMILES, method, v, max_len=12, batch_size=4, steps=3, latent=4,
                           hidden=8)  # fmt: skip
    assert torch.isfinite(m.embed(v.encode(SMILES, 12))).all()


def test_unknown_method_and_too_few_smiles():
    from rl_shared.errors import BadInput, UnknownName

    with pytest.raises(UnknownName):
        train_smiles_model(SMILES, "vae", Vocab.build(SMILES), steps=1)
    with pytest.raises(BadInput, match="batch of 32"):
        train_smiles_model(SMILES, "mim", Vocab.build(SMILES), steps=1)


def test_model_folder_round_trip(tmp_path):
    v = Vocab.build(SMILES)
    m = train_smiles_model(SMILES, "mim", v, max_len=12, batch_size=4, steps=2, latent=4,
                           hidden=8)  # fmt: skip
    save_smiles_model(m, v, tmp_path / "model", method="mim", max_len=12)
    again, v2, cfg = load_smiles_model(tmp_path / "model")
    x = v.encode(SMILES, 12)
    assert v2.chars == v.chars and cfg["method"] == "mim"
    torch.testing.assert_close(again.embed(x), m.embed(x))


def test_resumed_training_equals_uninterrupted(tmp_path):
    v = Vocab.build(SMILES)
    kw = dict(max_len=12, batch_size=4, latent=4, hidden=8, checkpoint_every=2)
    straight = train_smiles_model(SMILES, "infonce", v, steps=6, checkpoint_dir=tmp_path / "a",
                                  **kw)  # fmt: skip
    train_smiles_model(SMILES, "infonce", v, steps=4, checkpoint_dir=tmp_path / "b", **kw)
    resumed = train_smiles_model(SMILES, "infonce", v, steps=6, checkpoint_dir=tmp_path / "b",
                                 **kw)  # fmt: skip
    for p, q in zip(straight.state_dict().values(), resumed.state_dict().values()):
        torch.testing.assert_close(p, q, rtol=0, atol=0)
