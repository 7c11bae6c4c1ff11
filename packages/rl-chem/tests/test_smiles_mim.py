"""SMILES encoder-decoder: tokenisation, randomised SMILES, the cMIM critic, training."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from rdkit import Chem

from rl_chem.smiles_mim import SmilesMIM, Vocab, _cmim_term, randomize_smiles, train_smiles_model

SMILES = ["CCO", "c1ccccc1O", "CC(=O)N", "C#N", "OCC(O)CO", "CCCCCl"]


def test_randomized_smiles_is_the_same_molecule():
    rng = np.random.default_rng(0)
    for s in SMILES:
        r = randomize_smiles(s, rng)
        assert Chem.CanonSmiles(r) == Chem.CanonSmiles(s)


def test_vocab_round_trip_shape_and_padding():
    v = Vocab.build(SMILES)
    x = v.encode(SMILES, 12)
    assert x.shape == (6, 12) and (x[:, 0] == 1).all() and (x == 2).sum() == 6


def test_cmim_term_prefers_own_code_after_training():
    v = Vocab.build(SMILES)
    x = v.encode(SMILES, 12)
    torch.manual_seed(0)
    fresh = SmilesMIM(len(v), latent=8, hidden=16)
    trained = train_smiles_model(SMILES, "cmim", v, max_len=12, batch_size=6, steps=15,
                                 latent=8, hidden=16)  # fmt: skip
    with torch.no_grad():
        before = float(_cmim_term(fresh, x, fresh.encode(x)[0]))
        after = float(_cmim_term(trained, x, trained.encode(x)[0]))
    assert after < before and after < np.log(6)


@pytest.mark.parametrize("method", ["mim", "infonce"])
def test_other_methods_train_and_embed(method):
    v = Vocab.build(SMILES)
    m = train_smiles_model(SMILES, method, v, max_len=12, batch_size=4, steps=3, latent=4,
                           hidden=8)  # fmt: skip
    assert torch.isfinite(m.embed(v.encode(SMILES, 12))).all()


def test_unknown_method():
    from rl_shared.errors import UnknownName

    with pytest.raises(UnknownName):
        train_smiles_model(SMILES, "vae", Vocab.build(SMILES), steps=1)
