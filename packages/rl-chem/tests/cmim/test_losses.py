"""The cMIM critic prefers each SMILES' own code after training."""

from __future__ import annotations

import numpy as np
import torch

from rl_chem.cmim.losses import smiles_cmim_term
from rl_chem.cmim.model import SmilesMIM, Vocab
from rl_chem.cmim.train import train_smiles_model

SMILES = ["CCO", "c1ccccc1O", "CC(=O)N", "C#N", "OCC(O)CO", "CCCCCl"]


def test_cmim_term_prefers_own_code_after_training():
    v = Vocab.build(SMILES)
    x = v.encode(SMILES, 12)
    torch.manual_seed(0)
    fresh = SmilesMIM(len(v), latent=8, hidden=16)
    trained = train_smiles_model(SMILES, "cmim", v, max_len=12, batch_size=6, steps=15,
                                 latent=8, hidden=16)  # fmt: skip
    with torch.no_grad():
        before = float(smiles_cmim_term(fresh, x, fresh.encode(x)[0]))
        after = float(smiles_cmim_term(trained, x, trained.encode(x)[0]))
    assert after < before and after < np.log(6)
