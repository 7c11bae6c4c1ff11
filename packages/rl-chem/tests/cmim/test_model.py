"""SMILES encoder-decoder: tokenisation and randomised SMILES."""

from __future__ import annotations

import numpy as np
from rdkit import Chem

from rl_chem.cmim.model import Vocab, randomize_smiles

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
